# ruff: noqa: RUF001 -- the Japanese phrases use full-width punctuation, as Japanese is written
"""What fake visitors, agents and bots say: a phrase bank of chat lines in eight languages.

Each phrase is written in English and translated into German, French, Spanish, Portuguese, Dutch, Italian and
Japanese. `line(rng, category, language)` gives a line as the visitor's side writes it: the text in their
language and, when that is not English, `{"en": english}` for the agent, the shape of the visitor lines of the
Integration API sample (`"message": "Hola, "`, `"translations": {"en": "Hello,"}`). `agent_line` gives it as
the sample's agent lines: the agent's English and `{language: translation}` for the visitor (`"Good day"`,
`{"es": "Buen día"}`). Either way the translations map is what Entry.translations holds, as it is sent.

Categories (CATEGORIES): visitor lines "visitor_greeting", "question", "visitor_closing", "offline" (the
message left when nobody is there), "survey" (a survey comment); agent lines "greeting", "hold", "answer",
"closing", "proactive" (the prompt a proactive chat opens with); "bot" lines. Questions and answers go in
pairs: answer i answers question i (`pick` then `index=`). Questions, answers, offline messages and proactive
prompts have a topic ("retail", "saas", "support"); survey comments a mood ("positive", "negative", "mixed").
"""

from __future__ import annotations

import random
from typing import NamedTuple

LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it", "ja")
_COLUMN = {language: i for i, language in enumerate(LANGUAGES)}


class Phrase(NamedTuple):
    topic: str  # "any" for a phrase of every topic
    texts: tuple[str, ...]  # in the order of LANGUAGES


def _p(topic: str, *texts: str) -> Phrase:
    if len(texts) != len(LANGUAGES):
        raise ValueError(f"{texts[0]!r}: {len(texts)} texts for {len(LANGUAGES)} languages")
    return Phrase(topic, texts)


# Each phrase: topic, then en, de, fr, es, pt, nl, it, ja.
BANK: dict[str, tuple[Phrase, ...]] = {
    "visitor_greeting": (
        _p("any", "Hi!", "Hallo!", "Bonjour !", "¡Hola!", "Olá!", "Hoi!", "Ciao!", "こんにちは！"),
        _p(
            "any",
            "Hello, is anyone there?",
            "Hallo, ist jemand da?",
            "Bonjour, il y a quelqu'un ?",
            "Hola, ¿hay alguien ahí?",
            "Olá, tem alguém aí?",
            "Hallo, is er iemand?",
            "Salve, c'è qualcuno?",
            "こんにちは、どなたかいらっしゃいますか？",
        ),
        _p(
            "any",
            "Good morning",
            "Guten Morgen",
            "Bonjour",
            "Buenos días",
            "Bom dia",
            "Goedemorgen",
            "Buongiorno",
            "おはようございます",
        ),
        _p(
            "any",
            "Hi, I have a quick question.",
            "Hallo, ich habe eine kurze Frage.",
            "Bonjour, j'ai une petite question.",
            "Hola, tengo una pregunta rápida.",
            "Oi, tenho uma pergunta rápida.",
            "Hoi, ik heb een korte vraag.",
            "Ciao, ho una domanda veloce.",
            "こんにちは、ちょっと質問があります。",
        ),
        _p(
            "any",
            "Hello, I need some help please.",
            "Hallo, ich bräuchte bitte Hilfe.",
            "Bonjour, j'aurais besoin d'aide, s'il vous plaît.",
            "Hola, necesito ayuda, por favor.",
            "Olá, preciso de ajuda, por favor.",
            "Hallo, ik heb hulp nodig alstublieft.",
            "Salve, avrei bisogno di aiuto, per favore.",
            "こんにちは、助けていただけますか。",
        ),
        _p("any", "Hey there", "Hey", "Salut", "Buenas", "Oi", "Hé, hallo", "Ehi, ciao", "どうも"),
        _p(
            "any",
            "Good afternoon, can you help me?",
            "Guten Tag, können Sie mir helfen?",
            "Bonjour, pouvez-vous m'aider ?",
            "Buenas tardes, ¿me pueden ayudar?",
            "Boa tarde, vocês podem me ajudar?",
            "Goedemiddag, kunt u mij helpen?",
            "Buon pomeriggio, potete aiutarmi?",
            "こんにちは、お手伝いいただけますか？",
        ),
        _p(
            "any",
            "Hi, I'm looking for some information.",
            "Hallo, ich suche ein paar Informationen.",
            "Bonjour, je cherche quelques informations.",
            "Hola, estoy buscando información.",
            "Olá, estou procurando algumas informações.",
            "Hoi, ik ben op zoek naar wat informatie.",
            "Ciao, sto cercando alcune informazioni.",
            "こんにちは、少し情報を探しています。",
        ),
        _p(
            "any",
            "Hello! Is this the right place to ask about my order?",
            "Hallo! Bin ich hier richtig, wenn ich eine Frage zu meiner Bestellung habe?",
            "Bonjour ! Est-ce bien ici que je peux poser une question sur ma commande ?",
            "¡Hola! ¿Es aquí donde puedo preguntar por mi pedido?",
            "Olá! É aqui que posso perguntar sobre o meu pedido?",
            "Hallo! Kan ik hier terecht met een vraag over mijn bestelling?",
            "Salve! È qui che posso chiedere informazioni sul mio ordine?",
            "こんにちは！注文について質問したいのですが、こちらでよろしいですか？",
        ),
        _p(
            "any",
            "Hi, sorry to bother you.",
            "Hallo, entschuldigen Sie die Störung.",
            "Bonjour, désolé de vous déranger.",
            "Hola, perdón por la molestia.",
            "Oi, desculpe incomodar.",
            "Hoi, sorry dat ik stoor.",
            "Ciao, scusate il disturbo.",
            "お忙しいところすみません。",
        ),
        _p(
            "any",
            "Good evening",
            "Guten Abend",
            "Bonsoir",
            "Buenas noches",
            "Boa noite",
            "Goedenavond",
            "Buonasera",
            "こんばんは",
        ),
        _p(
            "any",
            "Hello, can I talk to a real person?",
            "Hallo, kann ich mit einem echten Menschen sprechen?",
            "Bonjour, est-ce que je peux parler à une vraie personne ?",
            "Hola, ¿puedo hablar con una persona real?",
            "Olá, posso falar com uma pessoa de verdade?",
            "Hallo, kan ik met een echt persoon praten?",
            "Salve, posso parlare con una persona vera?",
            "こんにちは、担当者の方と話せますか？",
        ),
    ),
    "greeting": (
        _p(
            "any",
            "Hi there! Thanks for reaching out. How can I help you today?",
            "Hallo! Danke, dass Sie sich melden. Wie kann ich Ihnen heute helfen?",
            "Bonjour ! Merci de nous contacter. Comment puis-je vous aider aujourd'hui ?",
            "¡Hola! Gracias por escribirnos. ¿En qué puedo ayudarle hoy?",
            "Olá! Obrigado pelo contato. Como posso ajudar hoje?",
            "Hallo! Bedankt voor uw bericht. Waarmee kan ik u vandaag helpen?",
            "Salve! Grazie per averci contattato. Come posso aiutarla oggi?",
            "こんにちは！お問い合わせありがとうございます。本日はどのようなご用件でしょうか？",
        ),
        _p(
            "any",
            "Hello, welcome! What can I do for you?",
            "Hallo und willkommen! Was kann ich für Sie tun?",
            "Bonjour et bienvenue ! Que puis-je faire pour vous ?",
            "¡Hola, bienvenido! ¿Qué puedo hacer por usted?",
            "Olá, seja bem-vindo! O que posso fazer por você?",
            "Hallo, welkom! Wat kan ik voor u doen?",
            "Salve, benvenuto! Cosa posso fare per lei?",
            "いらっしゃいませ！どのようなご用件でしょうか？",
        ),
        _p(
            "any",
            "Good morning! I'm happy to help.",
            "Guten Morgen! Ich helfe Ihnen gern.",
            "Bonjour ! Je suis là pour vous aider.",
            "¡Buenos días! Con gusto le ayudo.",
            "Bom dia! Fico feliz em ajudar.",
            "Goedemorgen! Ik help u graag.",
            "Buongiorno! Sono felice di aiutarla.",
            "おはようございます！喜んでお手伝いします。",
        ),
        _p(
            "any",
            "Hi! Sure, I can help with that.",
            "Hallo! Klar, dabei kann ich helfen.",
            "Bonjour ! Bien sûr, je peux vous aider avec ça.",
            "¡Hola! Claro, le puedo ayudar con eso.",
            "Oi! Claro, posso ajudar com isso.",
            "Hoi! Zeker, daar kan ik mee helpen.",
            "Ciao! Certo, posso aiutarla con questo.",
            "こんにちは！はい、その件でしたらお手伝いできます。",
        ),
        _p(
            "any",
            "Hello, thanks for waiting. What's your question?",
            "Hallo, danke fürs Warten. Was ist Ihre Frage?",
            "Bonjour, merci d'avoir patienté. Quelle est votre question ?",
            "Hola, gracias por esperar. ¿Cuál es su pregunta?",
            "Olá, obrigado por aguardar. Qual é a sua dúvida?",
            "Hallo, bedankt voor het wachten. Wat is uw vraag?",
            "Salve, grazie per l'attesa. Qual è la sua domanda?",
            "お待たせいたしました。ご質問をお聞かせください。",
        ),
        _p(
            "any",
            "Hi, you're chatting with customer support. How may I assist?",
            "Hallo, Sie sprechen mit dem Kundenservice. Wie kann ich behilflich sein?",
            "Bonjour, vous êtes en contact avec le service client. En quoi puis-je vous aider ?",
            "Hola, está hablando con atención al cliente. ¿En qué le puedo ayudar?",
            "Olá, você está falando com o atendimento ao cliente. Em que posso ajudar?",
            "Hallo, u chat met de klantenservice. Hoe kan ik u helpen?",
            "Salve, sta parlando con l'assistenza clienti. Come posso esserle utile?",
            "カスタマーサポートです。どのようなご用件でしょうか？",
        ),
        _p(
            "any",
            "Good afternoon! Great to hear from you.",
            "Guten Tag! Schön, von Ihnen zu hören.",
            "Bonjour ! Ravi d'avoir de vos nouvelles.",
            "¡Buenas tardes! Qué bueno saber de usted.",
            "Boa tarde! Que bom falar com você.",
            "Goedemiddag! Fijn dat u contact opneemt.",
            "Buon pomeriggio! Piacere di sentirla.",
            "こんにちは！ご連絡ありがとうございます。",
        ),
        _p(
            "any",
            "Hey! Let's get this sorted for you.",
            "Hallo! Das kriegen wir für Sie geregelt.",
            "Bonjour ! On va régler ça ensemble.",
            "¡Hola! Vamos a resolverlo.",
            "Oi! Vamos resolver isso para você.",
            "Hoi! We gaan dit voor u regelen.",
            "Ciao! Risolviamo subito insieme.",
            "こんにちは！一緒に解決しましょう。",
        ),
        _p(
            "any",
            "Hello! Could you tell me a bit more about what you need?",
            "Hallo! Können Sie mir etwas mehr darüber erzählen, was Sie brauchen?",
            "Bonjour ! Pouvez-vous m'en dire un peu plus sur ce dont vous avez besoin ?",
            "¡Hola! ¿Podría contarme un poco más sobre lo que necesita?",
            "Olá! Pode me contar um pouco mais sobre o que precisa?",
            "Hallo! Kunt u iets meer vertellen over wat u nodig heeft?",
            "Salve! Può dirmi qualcosa in più su ciò di cui ha bisogno?",
            "こんにちは！ご用件についてもう少し詳しく教えていただけますか？",
        ),
        _p(
            "any",
            "Good evening, thanks for contacting us.",
            "Guten Abend, danke für Ihre Nachricht.",
            "Bonsoir, merci de nous avoir contactés.",
            "Buenas noches, gracias por contactarnos.",
            "Boa noite, obrigado por entrar em contato.",
            "Goedenavond, bedankt dat u contact met ons opneemt.",
            "Buonasera, grazie per averci contattato.",
            "こんばんは、お問い合わせありがとうございます。",
        ),
    ),
    "question": (
        _p(
            "retail",
            "Where is my order? I ordered last week and haven't received anything.",
            "Wo ist meine Bestellung? Ich habe letzte Woche bestellt und noch nichts erhalten.",
            "Où en est ma commande ? J'ai commandé la semaine dernière et je n'ai toujours rien reçu.",
            "¿Dónde está mi pedido? Lo hice la semana pasada y todavía no he recibido nada.",
            "Cadê meu pedido? Comprei semana passada e ainda não recebi nada.",
            "Waar blijft mijn bestelling? Ik heb vorige week besteld en nog niets ontvangen.",
            "Dov'è il mio ordine? L'ho fatto la settimana scorsa e non ho ancora ricevuto niente.",
            "注文した商品はどうなっていますか？先週注文したのですが、まだ届いていません。",
        ),
        _p(
            "retail",
            "How do I return an item?",
            "Wie kann ich einen Artikel zurückschicken?",
            "Comment retourner un article ?",
            "¿Cómo puedo devolver un artículo?",
            "Como faço para devolver um produto?",
            "Hoe kan ik een artikel retourneren?",
            "Come posso restituire un articolo?",
            "商品を返品するにはどうすればいいですか？",
        ),
        _p(
            "retail",
            "Do you ship to my country, and how much does shipping cost?",
            "Liefern Sie auch in mein Land, und was kostet der Versand?",
            "Livrez-vous dans mon pays, et combien coûte la livraison ?",
            "¿Hacen envíos a mi país y cuánto cuesta el envío?",
            "Vocês entregam no meu país? Quanto custa o frete?",
            "Leveren jullie ook in mijn land, en wat kost de verzending?",
            "Spedite nel mio paese? Quanto costa la spedizione?",
            "私の国にも配送していますか？送料はいくらですか？",
        ),
        _p(
            "retail",
            "Is this item available in a medium size?",
            "Gibt es diesen Artikel auch in Größe M?",
            "Cet article est-il disponible en taille M ?",
            "¿Este artículo está disponible en talla M?",
            "Esse produto tem no tamanho M?",
            "Is dit artikel ook in maat M verkrijgbaar?",
            "Questo articolo è disponibile nella taglia M?",
            "この商品のMサイズはありますか？",
        ),
        _p(
            "retail",
            "My discount code isn't working at checkout.",
            "Mein Rabattcode funktioniert an der Kasse nicht.",
            "Mon code de réduction ne fonctionne pas au moment du paiement.",
            "Mi código de descuento no funciona al pagar.",
            "Meu cupom de desconto não está funcionando no checkout.",
            "Mijn kortingscode werkt niet bij het afrekenen.",
            "Il mio codice sconto non funziona al momento del pagamento.",
            "決済画面で割引コードが使えません。",
        ),
        _p(
            "retail",
            "Can I change the delivery address for my order?",
            "Kann ich die Lieferadresse meiner Bestellung noch ändern?",
            "Puis-je modifier l'adresse de livraison de ma commande ?",
            "¿Puedo cambiar la dirección de entrega de mi pedido?",
            "Posso alterar o endereço de entrega do meu pedido?",
            "Kan ik het bezorgadres van mijn bestelling nog wijzigen?",
            "Posso cambiare l'indirizzo di consegna del mio ordine?",
            "注文の配送先住所を変更できますか？",
        ),
        _p(
            "retail",
            "What payment methods do you accept?",
            "Welche Zahlungsarten akzeptieren Sie?",
            "Quels moyens de paiement acceptez-vous ?",
            "¿Qué métodos de pago aceptan?",
            "Quais formas de pagamento vocês aceitam?",
            "Welke betaalmethoden accepteren jullie?",
            "Quali metodi di pagamento accettate?",
            "どの支払い方法が使えますか？",
        ),
        _p(
            "retail",
            "The item I received is damaged.",
            "Der Artikel, den ich erhalten habe, ist beschädigt.",
            "L'article que j'ai reçu est endommagé.",
            "El artículo que recibí está dañado.",
            "O produto que recebi veio danificado.",
            "Het artikel dat ik heb ontvangen is beschadigd.",
            "L'articolo che ho ricevuto è danneggiato.",
            "届いた商品が破損していました。",
        ),
        _p(
            "saas",
            "What's the difference between the Pro and Business plans?",
            "Was ist der Unterschied zwischen dem Pro- und dem Business-Tarif?",
            "Quelle est la différence entre les formules Pro et Business ?",
            "¿Qué diferencia hay entre el plan Pro y el Business?",
            "Qual é a diferença entre os planos Pro e Business?",
            "Wat is het verschil tussen het Pro- en het Business-abonnement?",
            "Qual è la differenza tra il piano Pro e il piano Business?",
            "ProプランとBusinessプランの違いは何ですか？",
        ),
        _p(
            "saas",
            "Can I get an invoice for my last payment?",
            "Kann ich eine Rechnung für meine letzte Zahlung bekommen?",
            "Puis-je obtenir une facture pour mon dernier paiement ?",
            "¿Me pueden enviar una factura de mi último pago?",
            "Vocês podem me enviar a nota fiscal do meu último pagamento?",
            "Kan ik een factuur krijgen voor mijn laatste betaling?",
            "Posso avere una fattura per il mio ultimo pagamento?",
            "前回の支払いの請求書をいただけますか？",
        ),
        _p(
            "saas",
            "I can't log in to my account, the password reset email never arrives.",
            "Ich kann mich nicht in mein Konto einloggen, die E-Mail zum Zurücksetzen des Passworts kommt "
            "nie an.",
            "Je n'arrive pas à me connecter à mon compte, l'e-mail de réinitialisation du mot de passe "
            "n'arrive jamais.",
            "No puedo entrar en mi cuenta y el correo para restablecer la contraseña nunca llega.",
            "Não consigo entrar na minha conta, o e-mail de redefinição de senha nunca chega.",
            "Ik kan niet inloggen op mijn account, de e-mail om mijn wachtwoord te resetten komt nooit aan.",
            "Non riesco ad accedere al mio account, l'email per reimpostare la password non arriva mai.",
            "アカウントにログインできません。パスワード再設定のメールが届きません。",
        ),
        _p(
            "saas",
            "Does your product integrate with Salesforce?",
            "Lässt sich Ihr Produkt mit Salesforce verbinden?",
            "Votre produit s'intègre-t-il à Salesforce ?",
            "¿Su producto se integra con Salesforce?",
            "O produto de vocês tem integração com o Salesforce?",
            "Integreert jullie product met Salesforce?",
            "Il vostro prodotto si integra con Salesforce?",
            "御社の製品はSalesforceと連携できますか？",
        ),
        _p(
            "saas",
            "How do I add more users to my team?",
            "Wie füge ich meinem Team weitere Benutzer hinzu?",
            "Comment ajouter des utilisateurs à mon équipe ?",
            "¿Cómo añado más usuarios a mi equipo?",
            "Como adiciono mais usuários à minha equipe?",
            "Hoe voeg ik meer gebruikers toe aan mijn team?",
            "Come aggiungo altri utenti al mio team?",
            "チームにユーザーを追加するにはどうすればいいですか？",
        ),
        _p(
            "saas",
            "Can I extend my free trial?",
            "Kann ich meine kostenlose Testphase verlängern?",
            "Puis-je prolonger mon essai gratuit ?",
            "¿Puedo ampliar mi prueba gratuita?",
            "Posso estender meu período de teste grátis?",
            "Kan ik mijn gratis proefperiode verlengen?",
            "Posso prolungare la prova gratuita?",
            "無料トライアルを延長できますか？",
        ),
        _p(
            "support",
            "What are your opening hours?",
            "Wann sind Sie erreichbar?",
            "Quels sont vos horaires d'ouverture ?",
            "¿Cuál es su horario de atención?",
            "Qual é o horário de atendimento?",
            "Wat zijn jullie openingstijden?",
            "Quali sono i vostri orari?",
            "営業時間を教えてください。",
        ),
        _p(
            "support",
            "How can I delete my account and my data?",
            "Wie kann ich mein Konto und meine Daten löschen?",
            "Comment supprimer mon compte et mes données ?",
            "¿Cómo puedo eliminar mi cuenta y mis datos?",
            "Como posso excluir minha conta e meus dados?",
            "Hoe kan ik mijn account en mijn gegevens verwijderen?",
            "Come posso eliminare il mio account e i miei dati?",
            "アカウントとデータを削除するにはどうすればいいですか？",
        ),
    ),
    "answer": (
        _p(
            "retail",
            "I'm sorry for the wait. I've checked your order: it shipped yesterday and should arrive within "
            "two business days.",
            "Entschuldigen Sie die Wartezeit. Ich habe Ihre Bestellung geprüft: Sie wurde gestern "
            "verschickt und sollte innerhalb von zwei Werktagen ankommen.",
            "Désolé pour l'attente. J'ai vérifié votre commande : elle a été expédiée hier et devrait "
            "arriver sous deux jours ouvrés.",
            "Disculpe la espera. He revisado su pedido: se envió ayer y debería llegar en dos días hábiles.",
            "Desculpe pela espera. Verifiquei seu pedido: ele foi enviado ontem e deve chegar em até dois "
            "dias úteis.",
            "Sorry voor het wachten. Ik heb uw bestelling bekeken: die is gisteren verzonden en zou binnen "
            "twee werkdagen moeten aankomen.",
            "Mi scusi per l'attesa. Ho controllato il suo ordine: è stato spedito ieri e dovrebbe arrivare "
            "entro due giorni lavorativi.",
            "お待たせして申し訳ありません。ご注文を確認したところ、昨日発送済みで、"
            "2営業日以内に届く予定です。",
        ),
        _p(
            "retail",
            "You can return any item within 30 days. Just go to My orders, choose the item and print the "
            "free return label.",
            "Sie können jeden Artikel innerhalb von 30 Tagen zurückgeben. Gehen Sie einfach auf „Meine "
            "Bestellungen“, wählen Sie den Artikel aus und drucken Sie das kostenlose Rücksendeetikett.",
            "Vous pouvez retourner tout article sous 30 jours. Allez dans « Mes commandes », choisissez "
            "l'article et imprimez l'étiquette de retour gratuite.",
            "Puede devolver cualquier artículo en un plazo de 30 días. Vaya a «Mis pedidos», elija el "
            "artículo e imprima la etiqueta de devolución gratuita.",
            "Você pode devolver qualquer produto em até 30 dias. É só acessar “Meus pedidos”, escolher o "
            "produto e imprimir a etiqueta de devolução gratuita.",
            "U kunt elk artikel binnen 30 dagen retourneren. Ga naar ‘Mijn bestellingen’, kies het artikel "
            "en print het gratis retourlabel.",
            "Può restituire qualsiasi articolo entro 30 giorni. Vada su “I miei ordini”, scelga l'articolo "
            "e stampi l'etichetta di reso gratuita.",
            "商品は30日以内であれば返品できます。「注文履歴」から商品を選び、"
            "無料の返品ラベルを印刷してください。",
        ),
        _p(
            "retail",
            "Yes, we do. Standard shipping takes 3 to 5 business days, and you'll see the exact cost at "
            "checkout before you pay.",
            "Ja, das tun wir. Der Standardversand dauert 3 bis 5 Werktage, und die genauen Kosten sehen Sie "
            "an der Kasse, bevor Sie bezahlen.",
            "Oui, tout à fait. La livraison standard prend 3 à 5 jours ouvrés, et le coût exact s'affiche "
            "avant le paiement.",
            "Sí, claro. El envío estándar tarda de 3 a 5 días hábiles y verá el coste exacto en la caja "
            "antes de pagar.",
            "Sim, entregamos. O frete padrão leva de 3 a 5 dias úteis, e você vê o valor exato no checkout "
            "antes de pagar.",
            "Ja, zeker. Standaardverzending duurt 3 tot 5 werkdagen en de exacte kosten ziet u bij het "
            "afrekenen, voordat u betaalt.",
            "Sì, certo. La spedizione standard richiede da 3 a 5 giorni lavorativi e vedrà il costo esatto "
            "al checkout prima di pagare.",
            "はい、配送しております。通常配送は3〜5営業日で、"
            "正確な送料はお支払い前に決済画面でご確認いただけます。",
        ),
        _p(
            "retail",
            "Medium is back in stock in black and navy; the grey one should be available again next week.",
            "Größe M ist in Schwarz und Marineblau wieder auf Lager; Grau sollte nächste Woche wieder "
            "verfügbar sein.",
            "La taille M est de nouveau en stock en noir et en bleu marine ; le gris devrait être "
            "disponible la semaine prochaine.",
            "La talla M vuelve a estar disponible en negro y azul marino; la gris debería estarlo la semana "
            "que viene.",
            "O tamanho M voltou ao estoque nas cores preta e azul-marinho; a cinza deve voltar na próxima "
            "semana.",
            "Maat M is weer op voorraad in zwart en marineblauw; de grijze zou volgende week weer "
            "beschikbaar moeten zijn.",
            "La taglia M è di nuovo disponibile in nero e blu navy; quella grigia dovrebbe tornare la "
            "prossima settimana.",
            "Mサイズはブラックとネイビーが再入荷しました。グレーは来週入荷予定です。",
        ),
        _p(
            "retail",
            "That code expired on Sunday, but I've applied a 10% discount to your cart so you can complete "
            "your order.",
            "Dieser Code ist am Sonntag abgelaufen, aber ich habe Ihrem Warenkorb 10 % Rabatt "
            "gutgeschrieben, damit Sie Ihre Bestellung abschließen können.",
            "Ce code a expiré dimanche, mais j'ai appliqué une remise de 10 % à votre panier pour que vous "
            "puissiez finaliser votre commande.",
            "Ese código caducó el domingo, pero he aplicado un 10 % de descuento a su carrito para que "
            "pueda completar su pedido.",
            "Esse cupom expirou no domingo, mas apliquei 10% de desconto no seu carrinho para você "
            "finalizar o pedido.",
            "Die code is zondag verlopen, maar ik heb 10% korting op uw winkelwagen toegepast zodat u uw "
            "bestelling kunt afronden.",
            "Quel codice è scaduto domenica, ma ho applicato uno sconto del 10% al suo carrello così può "
            "completare l'ordine.",
            "そのコードは日曜日で期限切れとなっていますが、ご注文を完了できるよう、"
            "カートに10%の割引を適用しました。",
        ),
        _p(
            "retail",
            "Yes, it hasn't shipped yet. Please send me the new address and I'll update it right away.",
            "Ja, sie wurde noch nicht verschickt. Schicken Sie mir bitte die neue Adresse, dann ändere ich "
            "sie sofort.",
            "Oui, elle n'a pas encore été expédiée. Envoyez-moi la nouvelle adresse et je la mets à jour "
            "tout de suite.",
            "Sí, todavía no se ha enviado. Envíeme la nueva dirección y la actualizo enseguida.",
            "Sim, ele ainda não foi enviado. Me mande o novo endereço que eu atualizo na hora.",
            "Ja, hij is nog niet verzonden. Stuur me het nieuwe adres, dan pas ik het meteen aan.",
            "Sì, non è ancora stato spedito. Mi invii il nuovo indirizzo e lo aggiorno subito.",
            "はい、まだ発送前ですので変更可能です。新しいご住所をお送りいただければ、すぐに更新いたします。",
        ),
        _p(
            "retail",
            "We accept all major credit cards, PayPal, Apple Pay and Google Pay.",
            "Wir akzeptieren alle gängigen Kreditkarten, PayPal, Apple Pay und Google Pay.",
            "Nous acceptons toutes les principales cartes bancaires, PayPal, Apple Pay et Google Pay.",
            "Aceptamos las principales tarjetas de crédito, PayPal, Apple Pay y Google Pay.",
            "Aceitamos os principais cartões de crédito, PayPal, Apple Pay e Google Pay.",
            "We accepteren alle gangbare creditcards, PayPal, Apple Pay en Google Pay.",
            "Accettiamo tutte le principali carte di credito, PayPal, Apple Pay e Google Pay.",
            "主要なクレジットカード、PayPal、Apple Pay、Google Payをご利用いただけます。",
        ),
        _p(
            "retail",
            "I'm really sorry about that. I've sent a replacement at no cost; you don't need to return the "
            "damaged one.",
            "Das tut mir wirklich leid. Ich habe Ihnen kostenlos einen Ersatz geschickt; den beschädigten "
            "Artikel müssen Sie nicht zurücksenden.",
            "Je suis vraiment désolé. Je vous ai envoyé un article de remplacement sans frais ; inutile de "
            "renvoyer celui qui est endommagé.",
            "Lo siento mucho. Le he enviado un reemplazo sin coste; no hace falta que devuelva el dañado.",
            "Sinto muito por isso. Já enviei um substituto sem custo; você não precisa devolver o "
            "danificado.",
            "Dat spijt me echt. Ik heb kosteloos een vervangend exemplaar gestuurd; u hoeft het beschadigde "
            "niet terug te sturen.",
            "Mi dispiace davvero. Le ho inviato un articolo sostitutivo senza costi; non deve restituire "
            "quello danneggiato.",
            "大変申し訳ございません。代わりの商品を無料でお送りしました。破損した商品の返送は不要です。",
        ),
        _p(
            "saas",
            "Business adds single sign-on, an audit log and priority support; everything else is the same "
            "as Pro.",
            "Business bietet zusätzlich Single Sign-on, ein Audit-Log und bevorzugten Support; alles andere "
            "ist wie bei Pro.",
            "Business ajoute l'authentification unique (SSO), un journal d'audit et un support prioritaire "
            "; le reste est identique à Pro.",
            "Business añade inicio de sesión único, registro de auditoría y soporte prioritario; todo lo "
            "demás es igual que en Pro.",
            "O Business inclui login único (SSO), log de auditoria e suporte prioritário; o resto é igual "
            "ao Pro.",
            "Business voegt single sign-on, een auditlog en voorrangssupport toe; de rest is hetzelfde als "
            "bij Pro.",
            "Business aggiunge il single sign-on, un registro di controllo e l'assistenza prioritaria; per "
            "il resto è uguale a Pro.",
            "Businessプランには、シングルサインオン、監査ログ、優先サポートが追加されます。"
            "それ以外はProプランと同じです。",
        ),
        _p(
            "saas",
            "Of course. You'll find all invoices under Settings > Billing, and I've just emailed you the "
            "latest one.",
            "Natürlich. Alle Rechnungen finden Sie unter Einstellungen > Abrechnung, und die letzte habe "
            "ich Ihnen gerade per E-Mail geschickt.",
            "Bien sûr. Toutes vos factures se trouvent dans Paramètres > Facturation, et je viens de vous "
            "envoyer la dernière par e-mail.",
            "Por supuesto. Encontrará todas las facturas en Configuración > Facturación, y le acabo de "
            "enviar la última por correo.",
            "Claro. Todas as notas ficam em Configurações > Cobrança, e acabei de enviar a mais recente por "
            "e-mail.",
            "Natuurlijk. Alle facturen vindt u onder Instellingen > Facturering, en ik heb u de laatste net "
            "gemaild.",
            "Certo. Trova tutte le fatture in Impostazioni > Fatturazione, e le ho appena inviato l'ultima "
            "via email.",
            "もちろんです。請求書はすべて「設定 > 請求」からご確認いただけます。"
            "最新のものをたった今メールでお送りしました。",
        ),
        _p(
            "saas",
            "Sorry about that! The email was blocked by your spam filter. I've sent a new reset link; it's "
            "valid for one hour.",
            "Das tut mir leid! Die E-Mail wurde von Ihrem Spamfilter blockiert. Ich habe Ihnen einen neuen "
            "Link zum Zurücksetzen geschickt; er ist eine Stunde gültig.",
            "Désolé ! L'e-mail a été bloqué par votre filtre anti-spam. Je vous ai envoyé un nouveau lien "
            "de réinitialisation, valable une heure.",
            "¡Lo siento! Su filtro de spam bloqueó el correo. Le he enviado un nuevo enlace para "
            "restablecerla; es válido durante una hora.",
            "Desculpe! O e-mail foi bloqueado pelo seu filtro de spam. Enviei um novo link de redefinição, "
            "válido por uma hora.",
            "Sorry daarvoor! De e-mail werd tegengehouden door uw spamfilter. Ik heb een nieuwe resetlink "
            "gestuurd; die is een uur geldig.",
            "Mi dispiace! L'email è stata bloccata dal filtro antispam. Le ho inviato un nuovo link per "
            "reimpostarla, valido per un'ora.",
            "ご不便をおかけしました。メールが迷惑メールフィルターでブロックされていたようです。"
            "新しい再設定リンクをお送りしました。有効期限は1時間です。",
        ),
        _p(
            "saas",
            "Yes, there's a native Salesforce integration on every plan. You can connect it under Settings "
            "> Integrations.",
            "Ja, es gibt in jedem Tarif eine native Salesforce-Integration. Sie können sie unter "
            "Einstellungen > Integrationen verbinden.",
            "Oui, une intégration Salesforce native est incluse dans toutes les formules. Vous pouvez la "
            "connecter dans Paramètres > Intégrations.",
            "Sí, todos los planes incluyen una integración nativa con Salesforce. Puede conectarla en "
            "Configuración > Integraciones.",
            "Sim, todos os planos têm integração nativa com o Salesforce. Você pode conectá-la em "
            "Configurações > Integrações.",
            "Ja, elk abonnement heeft een ingebouwde Salesforce-integratie. U kunt die koppelen via "
            "Instellingen > Integraties.",
            "Sì, tutti i piani includono un'integrazione nativa con Salesforce. Può collegarla da "
            "Impostazioni > Integrazioni.",
            "はい、すべてのプランでSalesforceとの標準連携をご利用いただけます。「設定 > "
            "連携」から接続できます。",
        ),
        _p(
            "saas",
            "Go to Settings > Team and click Invite. Each new seat is added to your next invoice, prorated.",
            "Gehen Sie zu Einstellungen > Team und klicken Sie auf „Einladen“. Jeder neue Platz wird "
            "anteilig auf Ihrer nächsten Rechnung berechnet.",
            "Allez dans Paramètres > Équipe et cliquez sur Inviter. Chaque nouvelle licence est ajoutée au "
            "prorata à votre prochaine facture.",
            "Vaya a Configuración > Equipo y haga clic en Invitar. Cada nueva licencia se añade de forma "
            "prorrateada a su próxima factura.",
            "Acesse Configurações > Equipe e clique em Convidar. Cada novo usuário é cobrado "
            "proporcionalmente na próxima fatura.",
            "Ga naar Instellingen > Team en klik op Uitnodigen. Elke nieuwe licentie wordt naar rato op uw "
            "volgende factuur gezet.",
            "Vada su Impostazioni > Team e clicchi su Invita. Ogni nuova licenza viene aggiunta, in "
            "proporzione, alla prossima fattura.",
            "「設定 > チーム」で「招待」をクリックしてください。"
            "追加したユーザー分は日割りで次回の請求に加算されます。",
        ),
        _p(
            "saas",
            "Sure, I've extended your trial by 14 days. Let me know if you'd like a quick demo in the "
            "meantime.",
            "Klar, ich habe Ihre Testphase um 14 Tage verlängert. Sagen Sie Bescheid, wenn Sie in der "
            "Zwischenzeit eine kurze Demo möchten.",
            "Bien sûr, j'ai prolongé votre essai de 14 jours. Dites-moi si vous souhaitez une courte démo "
            "en attendant.",
            "Claro, he ampliado su prueba 14 días. Avíseme si mientras tanto le gustaría una demostración "
            "rápida.",
            "Claro, estendi seu teste por mais 14 dias. Se quiser uma demonstração rápida enquanto isso, é "
            "só avisar.",
            "Zeker, ik heb uw proefperiode met 14 dagen verlengd. Laat het me weten als u in de tussentijd "
            "een korte demo wilt.",
            "Certo, ho prolungato la sua prova di 14 giorni. Mi faccia sapere se nel frattempo desidera una "
            "breve demo.",
            "かしこまりました。トライアル期間を14日間延長しました。"
            "その間に簡単なデモをご希望でしたらお知らせください。",
        ),
        _p(
            "support",
            "Our team is available Monday to Friday, 8 am to 8 pm, and Saturday from 9 am to 1 pm.",
            "Unser Team ist montags bis freitags von 8 bis 20 Uhr und samstags von 9 bis 13 Uhr für Sie da.",
            "Notre équipe est disponible du lundi au vendredi de 8 h à 20 h, et le samedi de 9 h à 13 h.",
            "Nuestro equipo atiende de lunes a viernes de 8:00 a 20:00 y los sábados de 9:00 a 13:00.",
            "Nossa equipe atende de segunda a sexta, das 8h às 20h, e aos sábados, das 9h às 13h.",
            "Ons team is bereikbaar van maandag tot en met vrijdag van 8.00 tot 20.00 uur en op zaterdag "
            "van 9.00 tot 13.00 uur.",
            "Il nostro team è disponibile dal lunedì al venerdì dalle 8 alle 20 e il sabato dalle 9 alle 13.",
            "平日は午前8時から午後8時まで、土曜日は午前9時から午後1時まで対応しております。",
        ),
        _p(
            "support",
            "You can do it under Account > Privacy. Your data is deleted within 30 days, and we'll send you "
            "a confirmation email.",
            "Das geht unter Konto > Datenschutz. Ihre Daten werden innerhalb von 30 Tagen gelöscht, und Sie "
            "erhalten eine Bestätigung per E-Mail.",
            "Vous pouvez le faire dans Compte > Confidentialité. Vos données sont supprimées sous 30 jours "
            "et vous recevrez un e-mail de confirmation.",
            "Puede hacerlo en Cuenta > Privacidad. Sus datos se eliminan en un plazo de 30 días y le "
            "enviaremos un correo de confirmación.",
            "Você pode fazer isso em Conta > Privacidade. Seus dados são excluídos em até 30 dias e "
            "enviaremos um e-mail de confirmação.",
            "Dat kan via Account > Privacy. Uw gegevens worden binnen 30 dagen verwijderd en u ontvangt een "
            "bevestiging per e-mail.",
            "Può farlo da Account > Privacy. I suoi dati vengono eliminati entro 30 giorni e le invieremo "
            "un'email di conferma.",
            "「アカウント > プライバシー」から削除できます。データは30日以内に削除され、"
            "確認メールをお送りします。",
        ),
    ),
    "hold": (
        _p(
            "any",
            "Let me check that for you, one moment please.",
            "Ich sehe kurz für Sie nach, einen Moment bitte.",
            "Je vérifie pour vous, un instant s'il vous plaît.",
            "Déjeme comprobarlo, un momento por favor.",
            "Vou verificar para você, só um momento.",
            "Ik kijk het even voor u na, een ogenblik alstublieft.",
            "Controllo subito, un attimo per favore.",
            "確認いたしますので、少々お待ちください。",
        ),
        _p(
            "any",
            "Could you give me your order number?",
            "Können Sie mir Ihre Bestellnummer nennen?",
            "Pouvez-vous me donner votre numéro de commande ?",
            "¿Me puede dar su número de pedido?",
            "Você pode me passar o número do pedido?",
            "Kunt u mij uw bestelnummer geven?",
            "Può darmi il numero dell'ordine?",
            "ご注文番号を教えていただけますか？",
        ),
        _p(
            "any",
            "Thanks, I'm looking into it now.",
            "Danke, ich schaue mir das gerade an.",
            "Merci, je regarde ça tout de suite.",
            "Gracias, lo estoy revisando ahora.",
            "Obrigado, estou verificando agora.",
            "Bedankt, ik ben ernaar aan het kijken.",
            "Grazie, ci sto guardando ora.",
            "ありがとうございます。ただいま確認しております。",
        ),
        _p(
            "any",
            "Can you confirm the email address on your account?",
            "Können Sie mir die E-Mail-Adresse Ihres Kontos bestätigen?",
            "Pouvez-vous me confirmer l'adresse e-mail de votre compte ?",
            "¿Puede confirmarme el correo electrónico de su cuenta?",
            "Pode confirmar o e-mail cadastrado na sua conta?",
            "Kunt u het e-mailadres van uw account bevestigen?",
            "Può confermarmi l'indirizzo email del suo account?",
            "アカウントに登録されているメールアドレスをご確認いただけますか？",
        ),
        _p(
            "any",
            "Sorry for the delay, I'm checking with a colleague.",
            "Entschuldigen Sie die Verzögerung, ich kläre das gerade mit einem Kollegen.",
            "Désolé pour l'attente, je vérifie auprès d'un collègue.",
            "Perdone la demora, lo estoy consultando con un compañero.",
            "Desculpe a demora, estou confirmando com um colega.",
            "Sorry voor de vertraging, ik overleg even met een collega.",
            "Scusi l'attesa, sto verificando con un collega.",
            "お待たせして申し訳ありません。担当者に確認しております。",
        ),
        _p(
            "any",
            "Just a moment while I pull up your account.",
            "Einen Moment, ich rufe Ihr Konto auf.",
            "Un instant, j'ouvre votre compte.",
            "Un momento mientras abro su cuenta.",
            "Só um instante enquanto abro sua conta.",
            "Een moment, ik zoek uw account erbij.",
            "Un attimo, apro il suo account.",
            "お客様のアカウントを確認しますので、少々お待ちください。",
        ),
        _p(
            "any",
            "I understand, that must be frustrating.",
            "Ich verstehe, das ist sicher ärgerlich.",
            "Je comprends, ça doit être agaçant.",
            "Lo entiendo, debe de ser frustrante.",
            "Entendo, deve ser frustrante.",
            "Ik begrijp het, dat is vast vervelend.",
            "Capisco, dev'essere frustrante.",
            "ご不便をおかけして申し訳ございません。",
        ),
        _p(
            "any",
            "Which browser and device are you using?",
            "Welchen Browser und welches Gerät verwenden Sie?",
            "Quel navigateur et quel appareil utilisez-vous ?",
            "¿Qué navegador y qué dispositivo está usando?",
            "Qual navegador e dispositivo você está usando?",
            "Welke browser en welk apparaat gebruikt u?",
            "Quale browser e quale dispositivo sta usando?",
            "ご利用のブラウザと端末を教えていただけますか？",
        ),
    ),
    "visitor_closing": (
        _p(
            "any",
            "Thanks, that helps!",
            "Danke, das hilft mir weiter!",
            "Merci, ça m'aide beaucoup !",
            "¡Gracias, eso me ayuda!",
            "Obrigado, isso ajuda!",
            "Bedankt, daar heb ik wat aan!",
            "Grazie, mi è stato utile!",
            "ありがとうございます、助かりました！",
        ),
        _p(
            "any",
            "Perfect, thank you so much.",
            "Perfekt, vielen Dank.",
            "Parfait, merci beaucoup.",
            "Perfecto, muchas gracias.",
            "Perfeito, muito obrigado.",
            "Perfect, heel erg bedankt.",
            "Perfetto, grazie mille.",
            "完璧です、本当にありがとうございます。",
        ),
        _p(
            "any",
            "Great, have a nice day!",
            "Super, einen schönen Tag noch!",
            "Super, bonne journée !",
            "Genial, ¡que tenga un buen día!",
            "Ótimo, tenha um bom dia!",
            "Top, fijne dag nog!",
            "Ottimo, buona giornata!",
            "よかったです、良い一日を！",
        ),
        _p(
            "any",
            "OK, I'll try that. Thanks!",
            "Okay, ich probiere das. Danke!",
            "D'accord, je vais essayer. Merci !",
            "Vale, lo intento. ¡Gracias!",
            "Beleza, vou tentar. Obrigado!",
            "Oké, dat ga ik proberen. Bedankt!",
            "Ok, provo subito. Grazie!",
            "わかりました、試してみます。ありがとうございます！",
        ),
        _p(
            "any",
            "That's all I needed, bye.",
            "Das war alles, tschüss.",
            "C'est tout ce qu'il me fallait, au revoir.",
            "Eso era todo, adiós.",
            "Era só isso, tchau.",
            "Dat was alles, doei.",
            "Era tutto, arrivederci.",
            "用件は以上です。失礼します。",
        ),
        _p(
            "any",
            "Thanks for your help, much appreciated.",
            "Danke für Ihre Hilfe, sehr nett.",
            "Merci pour votre aide, c'est très apprécié.",
            "Gracias por su ayuda, se lo agradezco mucho.",
            "Obrigado pela ajuda, agradeço muito.",
            "Bedankt voor uw hulp, zeer gewaardeerd.",
            "Grazie per l'aiuto, lo apprezzo molto.",
            "ご対応ありがとうございました。とても助かりました。",
        ),
        _p(
            "any",
            "Awesome, you guys are great.",
            "Klasse, ihr seid super.",
            "Génial, vous êtes au top.",
            "Genial, son los mejores.",
            "Show, vocês são demais.",
            "Geweldig, jullie zijn top.",
            "Fantastico, siete grandi.",
            "最高です、素晴らしい対応でした。",
        ),
        _p(
            "any",
            "Got it, thanks.",
            "Alles klar, danke.",
            "C'est noté, merci.",
            "Entendido, gracias.",
            "Entendi, obrigado.",
            "Begrepen, bedankt.",
            "Capito, grazie.",
            "了解しました、ありがとうございます。",
        ),
        _p(
            "any",
            "Thank you, I'll wait for the email then.",
            "Danke, dann warte ich auf die E-Mail.",
            "Merci, j'attends l'e-mail alors.",
            "Gracias, entonces espero el correo.",
            "Obrigado, vou aguardar o e-mail então.",
            "Bedankt, dan wacht ik op de e-mail.",
            "Grazie, allora aspetto l'email.",
            "ありがとうございます。ではメールを待ちます。",
        ),
        _p(
            "any",
            "No more questions, thanks again!",
            "Keine weiteren Fragen, nochmals danke!",
            "Plus de questions, merci encore !",
            "No tengo más preguntas, ¡gracias de nuevo!",
            "Sem mais perguntas, obrigado de novo!",
            "Geen vragen meer, nogmaals bedankt!",
            "Nessun'altra domanda, grazie ancora!",
            "ほかに質問はありません。改めてありがとうございました！",
        ),
    ),
    "closing": (
        _p(
            "any",
            "Glad I could help. Have a great day!",
            "Freut mich, dass ich helfen konnte. Einen schönen Tag noch!",
            "Ravi d'avoir pu vous aider. Excellente journée !",
            "Me alegra haberle ayudado. ¡Que tenga un gran día!",
            "Que bom que pude ajudar. Tenha um ótimo dia!",
            "Fijn dat ik kon helpen. Nog een fijne dag!",
            "Sono contento di esserle stato d'aiuto. Buona giornata!",
            "お役に立ててうれしいです。良い一日をお過ごしください！",
        ),
        _p(
            "any",
            "Is there anything else I can help you with?",
            "Kann ich Ihnen sonst noch irgendwie helfen?",
            "Puis-je vous aider pour autre chose ?",
            "¿Hay algo más en lo que pueda ayudarle?",
            "Posso ajudar com mais alguma coisa?",
            "Kan ik u nog ergens anders mee helpen?",
            "Posso aiutarla in qualcos'altro?",
            "ほかに何かお手伝いできることはありますか？",
        ),
        _p(
            "any",
            "Thanks for chatting with us. Take care!",
            "Danke für den Chat. Alles Gute!",
            "Merci d'avoir discuté avec nous. Prenez soin de vous !",
            "Gracias por chatear con nosotros. ¡Cuídese!",
            "Obrigado por conversar com a gente. Até mais!",
            "Bedankt voor het chatten. Het beste!",
            "Grazie per averci scritto. A presto!",
            "チャットでのお問い合わせありがとうございました。",
        ),
        _p(
            "any",
            "You're welcome! Feel free to reach out any time.",
            "Gern geschehen! Melden Sie sich jederzeit gern wieder.",
            "Avec plaisir ! N'hésitez pas à nous recontacter à tout moment.",
            "¡De nada! Escríbanos cuando quiera.",
            "Por nada! Fale com a gente sempre que precisar.",
            "Graag gedaan! Neem gerust op elk moment contact op.",
            "Prego! Ci contatti pure in qualsiasi momento.",
            "どういたしまして！いつでもお気軽にお問い合わせください。",
        ),
        _p(
            "any",
            "I'll close this chat now; you'll receive a copy of the transcript by email.",
            "Ich schließe diesen Chat jetzt; Sie erhalten eine Kopie des Verlaufs per E-Mail.",
            "Je vais clôturer cette conversation ; vous recevrez une copie de l'échange par e-mail.",
            "Voy a cerrar este chat; recibirá una copia de la conversación por correo.",
            "Vou encerrar este chat; você receberá uma cópia da conversa por e-mail.",
            "Ik sluit deze chat nu af; u ontvangt een kopie van het gesprek per e-mail.",
            "Ora chiudo questa chat; riceverà una copia della conversazione via email.",
            "このチャットを終了いたします。会話の記録はメールでお送りします。",
        ),
        _p(
            "any",
            "Happy to help! Enjoy your purchase.",
            "Gern geschehen! Viel Freude mit Ihrem Einkauf.",
            "Avec plaisir ! Profitez bien de votre achat.",
            "¡Un placer! Que disfrute de su compra.",
            "Foi um prazer! Aproveite sua compra.",
            "Graag gedaan! Veel plezier met uw aankoop.",
            "È stato un piacere! Si goda il suo acquisto.",
            "お役に立ててうれしいです！お買い物をお楽しみください。",
        ),
        _p(
            "any",
            "Perfect. If anything else comes up, just reply to our email.",
            "Perfekt. Falls noch etwas ist, antworten Sie einfach auf unsere E-Mail.",
            "Parfait. Si vous avez besoin d'autre chose, répondez simplement à notre e-mail.",
            "Perfecto. Si surge algo más, responda a nuestro correo.",
            "Perfeito. Se surgir mais alguma coisa, é só responder ao nosso e-mail.",
            "Perfect. Als er nog iets is, beantwoord dan gewoon onze e-mail.",
            "Perfetto. Se ha bisogno d'altro, risponda pure alla nostra email.",
            "承知しました。ほかに何かございましたら、メールにご返信ください。",
        ),
        _p(
            "any",
            "Thanks for your patience today. Goodbye!",
            "Danke für Ihre Geduld heute. Auf Wiedersehen!",
            "Merci pour votre patience aujourd'hui. Au revoir !",
            "Gracias por su paciencia hoy. ¡Hasta luego!",
            "Obrigado pela paciência hoje. Até logo!",
            "Bedankt voor uw geduld vandaag. Tot ziens!",
            "Grazie per la pazienza. Arrivederci!",
            "本日はお待ちいただきありがとうございました。失礼いたします。",
        ),
        _p(
            "any",
            "Have a lovely evening!",
            "Einen schönen Abend noch!",
            "Très bonne soirée !",
            "¡Que tenga una buena noche!",
            "Tenha uma ótima noite!",
            "Nog een fijne avond!",
            "Buona serata!",
            "素敵な夜をお過ごしください！",
        ),
        _p(
            "any",
            "Great, I'm glad that's sorted. Bye for now!",
            "Super, schön, dass das geklärt ist. Bis bald!",
            "Super, content que ce soit réglé. À bientôt !",
            "Genial, me alegra que esté resuelto. ¡Hasta pronto!",
            "Ótimo, que bom que resolvemos. Até breve!",
            "Top, fijn dat het is opgelost. Tot later!",
            "Ottimo, sono contento che sia tutto risolto. A presto!",
            "解決してよかったです。それでは失礼いたします！",
        ),
    ),
    "bot": (
        _p(
            "any",
            "Hi! I'm the virtual assistant. What can I help you with?",
            "Hallo! Ich bin der virtuelle Assistent. Wobei kann ich helfen?",
            "Bonjour ! Je suis l'assistant virtuel. En quoi puis-je vous aider ?",
            "¡Hola! Soy el asistente virtual. ¿En qué puedo ayudarle?",
            "Olá! Sou o assistente virtual. Como posso ajudar?",
            "Hallo! Ik ben de virtuele assistent. Waarmee kan ik helpen?",
            "Ciao! Sono l'assistente virtuale. Come posso aiutarti?",
            "こんにちは！バーチャルアシスタントです。ご用件をお聞かせください。",
        ),
        _p(
            "any",
            "Please choose a topic: Orders, Returns or Billing.",
            "Bitte wählen Sie ein Thema: Bestellungen, Rücksendungen oder Abrechnung.",
            "Veuillez choisir un sujet : Commandes, Retours ou Facturation.",
            "Elija un tema: Pedidos, Devoluciones o Facturación.",
            "Escolha um assunto: Pedidos, Devoluções ou Cobrança.",
            "Kies een onderwerp: Bestellingen, Retouren of Facturering.",
            "Scegli un argomento: Ordini, Resi o Fatturazione.",
            "トピックを選択してください：注文、返品、請求。",
        ),
        _p(
            "any",
            "Let me connect you with one of our agents.",
            "Ich verbinde Sie mit einem unserer Mitarbeiter.",
            "Je vous mets en relation avec l'un de nos conseillers.",
            "Le pongo en contacto con uno de nuestros agentes.",
            "Vou transferir você para um dos nossos atendentes.",
            "Ik verbind u door met een van onze medewerkers.",
            "Ti metto in contatto con uno dei nostri operatori.",
            "担当者におつなぎします。",
        ),
        _p(
            "any",
            "I found an article that might help: How to track your order.",
            "Ich habe einen Artikel gefunden, der helfen könnte: So verfolgen Sie Ihre Bestellung.",
            "J'ai trouvé un article qui pourrait vous aider : Comment suivre votre commande.",
            "He encontrado un artículo que puede ayudarle: Cómo seguir su pedido.",
            "Encontrei um artigo que pode ajudar: Como rastrear seu pedido.",
            "Ik heb een artikel gevonden dat kan helpen: Zo volgt u uw bestelling.",
            "Ho trovato un articolo che potrebbe aiutarti: Come tracciare il tuo ordine.",
            "お役に立ちそうな記事が見つかりました：「注文の追跡方法」",
        ),
        _p(
            "any",
            "Did that answer your question?",
            "Hat das Ihre Frage beantwortet?",
            "Cela a-t-il répondu à votre question ?",
            "¿Eso ha respondido a su pregunta?",
            "Isso respondeu à sua pergunta?",
            "Heeft dit uw vraag beantwoord?",
            "Ho risposto alla tua domanda?",
            "ご質問への回答になりましたか？",
        ),
        _p(
            "any",
            "Sorry, I didn't understand that. Could you rephrase it?",
            "Entschuldigung, das habe ich nicht verstanden. Können Sie es anders formulieren?",
            "Désolé, je n'ai pas compris. Pouvez-vous reformuler ?",
            "Lo siento, no le he entendido. ¿Puede decirlo de otra forma?",
            "Desculpe, não entendi. Pode reformular?",
            "Sorry, dat begreep ik niet. Kunt u het anders formuleren?",
            "Scusa, non ho capito. Puoi riformulare?",
            "申し訳ありません、理解できませんでした。別の言い方でお試しください。",
        ),
        _p(
            "any",
            "All our agents are busy right now. Your estimated wait time is 3 minutes.",
            "Alle Mitarbeiter sind gerade im Gespräch. Die geschätzte Wartezeit beträgt 3 Minuten.",
            "Tous nos conseillers sont occupés. Le temps d'attente estimé est de 3 minutes.",
            "Todos nuestros agentes están ocupados. El tiempo de espera estimado es de 3 minutos.",
            "Todos os atendentes estão ocupados no momento. O tempo de espera estimado é de 3 minutos.",
            "Al onze medewerkers zijn in gesprek. De geschatte wachttijd is 3 minuten.",
            "Tutti i nostri operatori sono occupati. Il tempo di attesa stimato è di 3 minuti.",
            "ただいま担当者が全員対応中です。お待ち時間は約3分です。",
        ),
        _p(
            "any",
            "Can I have your email address in case we get disconnected?",
            "Darf ich Ihre E-Mail-Adresse haben, falls die Verbindung abbricht?",
            "Puis-je avoir votre adresse e-mail au cas où la connexion serait interrompue ?",
            "¿Me deja su correo electrónico por si se corta la conexión?",
            "Pode me informar seu e-mail caso a conexão caia?",
            "Mag ik uw e-mailadres voor het geval de verbinding wegvalt?",
            "Posso avere il tuo indirizzo email nel caso in cui la connessione cada?",
            "接続が切れた場合に備えて、メールアドレスを教えていただけますか？",
        ),
        _p(
            "any",
            "Your order is on its way. You can track it with the link in your confirmation email.",
            "Ihre Bestellung ist unterwegs. Sie können sie über den Link in Ihrer Bestätigungs-E-Mail "
            "verfolgen.",
            "Votre commande est en route. Vous pouvez la suivre grâce au lien de votre e-mail de "
            "confirmation.",
            "Su pedido está en camino. Puede seguirlo con el enlace de su correo de confirmación.",
            "Seu pedido está a caminho. Você pode rastreá-lo pelo link no e-mail de confirmação.",
            "Uw bestelling is onderweg. U kunt hem volgen via de link in uw bevestigingsmail.",
            "Il tuo ordine è in viaggio. Puoi seguirlo con il link nell'email di conferma.",
            "ご注文の商品は配送中です。確認メールのリンクから追跡できます。",
        ),
        _p(
            "any",
            "Thanks! A human agent will be with you shortly.",
            "Danke! Gleich meldet sich ein Mitarbeiter bei Ihnen.",
            "Merci ! Un conseiller va vous répondre dans un instant.",
            "¡Gracias! Un agente le atenderá en breve.",
            "Obrigado! Um atendente vai falar com você em breve.",
            "Bedankt! Een medewerker helpt u zo verder.",
            "Grazie! Un operatore ti risponderà a breve.",
            "ありがとうございます！まもなく担当者が対応いたします。",
        ),
    ),
    "offline": (
        _p(
            "retail",
            "Hi, I placed order #48213 on Monday and it still shows as processing. Can someone get back to "
            "me?",
            "Hallo, ich habe am Montag die Bestellung #48213 aufgegeben und sie wird immer noch als „in "
            "Bearbeitung“ angezeigt. Kann sich jemand bei mir melden?",
            "Bonjour, j'ai passé la commande n° 48213 lundi et elle est toujours « en cours de traitement "
            "». Quelqu'un peut-il me recontacter ?",
            "Hola, hice el pedido n.º 48213 el lunes y sigue apareciendo como «en proceso». ¿Alguien puede "
            "contactarme?",
            "Olá, fiz o pedido nº 48213 na segunda e ele ainda aparece como “em processamento”. Alguém pode "
            "me retornar?",
            "Hallo, ik heb maandag bestelling #48213 geplaatst en die staat nog steeds op ‘in behandeling’. "
            "Kan iemand contact met me opnemen?",
            "Salve, ho effettuato l'ordine n. 48213 lunedì e risulta ancora “in lavorazione”. Qualcuno può "
            "ricontattarmi?",
            "月曜日に注文番号48213で注文しましたが、まだ「処理中」のままです。ご連絡いただけますか？",
        ),
        _p(
            "retail",
            "Please call me back about a bulk order for our office.",
            "Bitte rufen Sie mich wegen einer Großbestellung für unser Büro zurück.",
            "Merci de me rappeler au sujet d'une commande en gros pour notre bureau.",
            "Por favor, llámenme por un pedido al por mayor para nuestra oficina.",
            "Por favor, me liguem sobre um pedido em grande quantidade para o nosso escritório.",
            "Bel me alstublieft terug over een grote bestelling voor ons kantoor.",
            "Per favore, richiamatemi per un ordine all'ingrosso per il nostro ufficio.",
            "オフィス用の大量注文について、折り返しお電話ください。",
        ),
        _p(
            "saas",
            "I'd like a quote for 25 licenses on the annual plan.",
            "Ich hätte gern ein Angebot für 25 Lizenzen im Jahrestarif.",
            "Je souhaiterais un devis pour 25 licences en formule annuelle.",
            "Quisiera un presupuesto para 25 licencias con el plan anual.",
            "Gostaria de um orçamento para 25 licenças no plano anual.",
            "Ik wil graag een offerte voor 25 licenties op het jaarabonnement.",
            "Vorrei un preventivo per 25 licenze con il piano annuale.",
            "年間プランで25ライセンスの見積もりをお願いします。",
        ),
        _p(
            "support",
            "My card was charged twice for the same order. Please refund one of the payments.",
            "Meine Karte wurde für dieselbe Bestellung zweimal belastet. Bitte erstatten Sie eine der "
            "Zahlungen.",
            "Ma carte a été débitée deux fois pour la même commande. Merci de rembourser l'un des paiements.",
            "Me han cobrado dos veces el mismo pedido en la tarjeta. Por favor, devuélvanme uno de los "
            "pagos.",
            "Meu cartão foi cobrado duas vezes pelo mesmo pedido. Por favor, estornem um dos pagamentos.",
            "Mijn kaart is twee keer belast voor dezelfde bestelling. Wilt u een van de betalingen "
            "terugstorten?",
            "La mia carta è stata addebitata due volte per lo stesso ordine. Vi prego di rimborsare uno dei "
            "pagamenti.",
            "同じ注文でカードに2回請求されています。1回分の返金をお願いします。",
        ),
        _p(
            "saas",
            "The export to CSV fails with an error since yesterday. Can you look into it?",
            "Der CSV-Export bricht seit gestern mit einem Fehler ab. Können Sie sich das ansehen?",
            "L'export en CSV échoue avec une erreur depuis hier. Pouvez-vous regarder ?",
            "La exportación a CSV falla con un error desde ayer. ¿Pueden revisarlo?",
            "A exportação para CSV está dando erro desde ontem. Vocês podem verificar?",
            "De export naar CSV mislukt sinds gisteren met een foutmelding. Kunnen jullie daarnaar kijken?",
            "L'esportazione in CSV non funziona da ieri e dà un errore. Potete verificare?",
            "昨日からCSVエクスポートがエラーで失敗します。確認していただけますか？",
        ),
        _p(
            "retail",
            "Do you have a store in my city where I can try the shoes on?",
            "Haben Sie einen Laden in meiner Stadt, wo ich die Schuhe anprobieren kann?",
            "Avez-vous un magasin dans ma ville où je peux essayer les chaussures ?",
            "¿Tienen alguna tienda en mi ciudad donde pueda probarme las zapatillas?",
            "Vocês têm loja na minha cidade onde eu possa experimentar o tênis?",
            "Hebben jullie een winkel in mijn stad waar ik de schoenen kan passen?",
            "Avete un negozio nella mia città dove posso provare le scarpe?",
            "私の住んでいる街に、靴を試着できる店舗はありますか？",
        ),
        _p(
            "saas",
            "Please cancel my subscription at the end of the current billing period.",
            "Bitte kündigen Sie mein Abonnement zum Ende des aktuellen Abrechnungszeitraums.",
            "Merci de résilier mon abonnement à la fin de la période de facturation en cours.",
            "Por favor, cancelen mi suscripción al final del periodo de facturación actual.",
            "Por favor, cancelem minha assinatura no fim do período de cobrança atual.",
            "Zeg alstublieft mijn abonnement op aan het einde van de huidige factuurperiode.",
            "Vi prego di disdire il mio abbonamento alla fine del periodo di fatturazione in corso.",
            "現在の請求期間の終了時にサブスクリプションを解約してください。",
        ),
        _p(
            "support",
            "I never received the confirmation email for my booking.",
            "Ich habe die Bestätigungs-E-Mail für meine Buchung nie erhalten.",
            "Je n'ai jamais reçu l'e-mail de confirmation de ma réservation.",
            "Nunca recibí el correo de confirmación de mi reserva.",
            "Nunca recebi o e-mail de confirmação da minha reserva.",
            "Ik heb de bevestigingsmail van mijn boeking nooit ontvangen.",
            "Non ho mai ricevuto l'email di conferma della mia prenotazione.",
            "予約の確認メールが届いていません。",
        ),
        _p(
            "retail",
            "Could someone email me the warranty terms for the coffee machine?",
            "Könnte mir jemand die Garantiebedingungen für die Kaffeemaschine mailen?",
            "Quelqu'un pourrait-il m'envoyer par e-mail les conditions de garantie de la machine à café ?",
            "¿Alguien podría enviarme por correo las condiciones de garantía de la cafetera?",
            "Alguém pode me enviar por e-mail os termos de garantia da cafeteira?",
            "Kan iemand mij de garantievoorwaarden van het koffiezetapparaat mailen?",
            "Qualcuno potrebbe inviarmi via email le condizioni di garanzia della macchina da caffè?",
            "コーヒーメーカーの保証条件をメールで送っていただけますか？",
        ),
        _p(
            "support",
            "Hello, I'm interested in a partnership. Who is the right person to talk to?",
            "Hallo, ich interessiere mich für eine Partnerschaft. Wer ist dafür der richtige "
            "Ansprechpartner?",
            "Bonjour, je suis intéressé par un partenariat. À qui dois-je m'adresser ?",
            "Hola, me interesa una colaboración. ¿Con quién debería hablar?",
            "Olá, tenho interesse em uma parceria. Com quem devo falar?",
            "Hallo, ik ben geïnteresseerd in een samenwerking. Wie is daarvoor de juiste persoon?",
            "Salve, sono interessato a una collaborazione. Chi è la persona giusta con cui parlare?",
            "提携に興味があります。どなたにご相談すればよいでしょうか？",
        ),
    ),
    "survey": (
        _p(
            "positive",
            "Very helpful and quick, thank you!",
            "Sehr hilfsbereit und schnell, danke!",
            "Très utile et rapide, merci !",
            "Muy útil y rápido, ¡gracias!",
            "Muito prestativo e rápido, obrigado!",
            "Heel behulpzaam en snel, bedankt!",
            "Molto disponibile e veloce, grazie!",
            "とても親切で迅速な対応でした。ありがとうございます！",
        ),
        _p(
            "positive",
            "The agent solved my problem in minutes.",
            "Der Mitarbeiter hat mein Problem in wenigen Minuten gelöst.",
            "Le conseiller a résolu mon problème en quelques minutes.",
            "El agente resolvió mi problema en minutos.",
            "O atendente resolveu meu problema em minutos.",
            "De medewerker had mijn probleem binnen een paar minuten opgelost.",
            "L'operatore ha risolto il mio problema in pochi minuti.",
            "担当者が数分で問題を解決してくれました。",
        ),
        _p(
            "negative",
            "I had to wait too long before someone answered.",
            "Ich musste zu lange warten, bis jemand geantwortet hat.",
            "J'ai dû attendre trop longtemps avant qu'on me réponde.",
            "Tuve que esperar demasiado hasta que alguien respondió.",
            "Tive que esperar muito até alguém responder.",
            "Ik moest te lang wachten voordat iemand antwoordde.",
            "Ho dovuto aspettare troppo prima che qualcuno rispondesse.",
            "返答までの待ち時間が長すぎました。",
        ),
        _p(
            "mixed",
            "Friendly, but my question wasn't fully answered.",
            "Freundlich, aber meine Frage wurde nicht ganz beantwortet.",
            "Sympathique, mais ma question n'a pas vraiment trouvé de réponse.",
            "Amables, pero no respondieron del todo a mi pregunta.",
            "Atendimento simpático, mas minha dúvida não foi totalmente resolvida.",
            "Vriendelijk, maar mijn vraag is niet helemaal beantwoord.",
            "Gentili, ma la mia domanda non ha avuto una risposta completa.",
            "丁寧でしたが、質問への回答は十分ではありませんでした。",
        ),
        _p(
            "positive",
            "Great service as always.",
            "Toller Service wie immer.",
            "Super service, comme toujours.",
            "Un gran servicio, como siempre.",
            "Ótimo atendimento, como sempre.",
            "Geweldige service, zoals altijd.",
            "Ottimo servizio, come sempre.",
            "いつもながら素晴らしいサービスです。",
        ),
        _p(
            "positive",
            "Easy and fast, much better than calling.",
            "Einfach und schnell, viel besser als anzurufen.",
            "Simple et rapide, bien mieux qu'un appel.",
            "Fácil y rápido, mucho mejor que llamar.",
            "Fácil e rápido, bem melhor do que ligar.",
            "Makkelijk en snel, veel beter dan bellen.",
            "Facile e veloce, molto meglio che telefonare.",
            "簡単で早く、電話よりずっと便利です。",
        ),
        _p(
            "negative",
            "The bot kept sending me in circles.",
            "Der Bot hat mich nur im Kreis geschickt.",
            "Le bot me faisait tourner en rond.",
            "El bot me hacía dar vueltas sin sentido.",
            "O bot ficava me mandando de um lado para o outro.",
            "De bot liet me steeds in rondjes lopen.",
            "Il bot mi faceva girare in tondo.",
            "ボットの案内が堂々巡りでした。",
        ),
        _p(
            "positive",
            "The agent was patient and explained everything clearly.",
            "Der Mitarbeiter war geduldig und hat alles klar erklärt.",
            "Le conseiller a été patient et a tout expliqué clairement.",
            "El agente fue paciente y lo explicó todo con claridad.",
            "O atendente foi paciente e explicou tudo com clareza.",
            "De medewerker was geduldig en legde alles duidelijk uit.",
            "L'operatore è stato paziente e ha spiegato tutto chiaramente.",
            "担当者の方が辛抱強く、すべてわかりやすく説明してくれました。",
        ),
        _p(
            "mixed",
            "Problem solved, but the chat window was hard to find.",
            "Problem gelöst, aber das Chatfenster war schwer zu finden.",
            "Problème résolu, mais la fenêtre de chat était difficile à trouver.",
            "Problema resuelto, pero costó encontrar la ventana del chat.",
            "Problema resolvido, mas foi difícil encontrar a janela do chat.",
            "Probleem opgelost, maar het chatvenster was moeilijk te vinden.",
            "Problema risolto, ma la finestra della chat era difficile da trovare.",
            "問題は解決しましたが、チャット画面が見つけにくかったです。",
        ),
        _p(
            "positive",
            "Excellent, I'll recommend you to my friends.",
            "Hervorragend, ich werde Sie weiterempfehlen.",
            "Excellent, je vous recommanderai à mes amis.",
            "Excelente, les recomendaré a mis amigos.",
            "Excelente, vou recomendar vocês para meus amigos.",
            "Uitstekend, ik ga jullie aanraden bij mijn vrienden.",
            "Eccellente, vi consiglierò ai miei amici.",
            "最高でした。友人にも勧めます。",
        ),
    ),
    "proactive": (
        _p(
            "any",
            "Hi there! Can I help you find what you're looking for?",
            "Hallo! Kann ich Ihnen helfen, das Richtige zu finden?",
            "Bonjour ! Puis-je vous aider à trouver ce que vous cherchez ?",
            "¡Hola! ¿Le ayudo a encontrar lo que busca?",
            "Olá! Posso ajudar você a encontrar o que procura?",
            "Hallo! Kan ik u helpen vinden wat u zoekt?",
            "Salve! Posso aiutarla a trovare quello che cerca?",
            "こんにちは！お探しのものはございますか？",
        ),
        _p(
            "retail",
            "Questions about sizing? We're happy to help.",
            "Fragen zur Größe? Wir helfen gern.",
            "Des questions sur les tailles ? Nous sommes là pour vous aider.",
            "¿Dudas con las tallas? Estaremos encantados de ayudarle.",
            "Dúvidas sobre tamanhos? Estamos aqui para ajudar.",
            "Vragen over de maat? We helpen u graag.",
            "Dubbi sulle taglie? Siamo qui per aiutarla.",
            "サイズについてご不明な点はございませんか？お気軽にご相談ください。",
        ),
        _p(
            "retail",
            "Free shipping ends tonight. Need help completing your order?",
            "Der kostenlose Versand endet heute Nacht. Brauchen Sie Hilfe beim Abschließen Ihrer Bestellung?",
            "La livraison gratuite se termine ce soir. Besoin d'aide pour finaliser votre commande ?",
            "El envío gratis termina esta noche. ¿Necesita ayuda para completar su pedido?",
            "O frete grátis acaba hoje à noite. Precisa de ajuda para finalizar seu pedido?",
            "Gratis verzending eindigt vanavond. Hulp nodig bij het afronden van uw bestelling?",
            "La spedizione gratuita termina stasera. Serve aiuto per completare l'ordine?",
            "送料無料は今夜までです。ご注文の手続きでお困りではありませんか？",
        ),
        _p(
            "saas",
            "Comparing plans? I can walk you through the differences.",
            "Sie vergleichen Tarife? Ich erkläre Ihnen gern die Unterschiede.",
            "Vous comparez les formules ? Je peux vous expliquer les différences.",
            "¿Comparando planes? Puedo explicarle las diferencias.",
            "Comparando planos? Posso explicar as diferenças.",
            "Bent u abonnementen aan het vergelijken? Ik leg u graag de verschillen uit.",
            "Sta confrontando i piani? Posso spiegarle le differenze.",
            "プランを比較中ですか？違いをご説明いたします。",
        ),
        _p(
            "any",
            "Still thinking it over? Ask us anything about the product.",
            "Noch unentschlossen? Fragen Sie uns alles zum Produkt.",
            "Vous hésitez encore ? Posez-nous toutes vos questions sur le produit.",
            "¿Todavía lo está pensando? Pregúntenos lo que quiera sobre el producto.",
            "Ainda pensando? Pergunte o que quiser sobre o produto.",
            "Twijfelt u nog? Stel ons gerust al uw vragen over het product.",
            "Ci sta ancora pensando? Ci chieda qualsiasi cosa sul prodotto.",
            "ご検討中ですか？製品について何でもお尋ねください。",
        ),
        _p(
            "retail",
            "Need a hand with checkout?",
            "Brauchen Sie Hilfe an der Kasse?",
            "Besoin d'un coup de main pour le paiement ?",
            "¿Necesita ayuda para finalizar la compra?",
            "Precisa de ajuda para finalizar a compra?",
            "Hulp nodig bij het afrekenen?",
            "Serve una mano per il pagamento?",
            "ご購入手続きでお困りではありませんか？",
        ),
        _p(
            "saas",
            "Hi! Want a quick demo of how it works?",
            "Hallo! Möchten Sie eine kurze Demo, wie es funktioniert?",
            "Bonjour ! Voulez-vous une courte démo de son fonctionnement ?",
            "¡Hola! ¿Quiere una demostración rápida de cómo funciona?",
            "Olá! Quer uma demonstração rápida de como funciona?",
            "Hallo! Wilt u een korte demo van hoe het werkt?",
            "Salve! Vuole una breve demo di come funziona?",
            "こんにちは！使い方を簡単にデモでご紹介しましょうか？",
        ),
        _p(
            "retail",
            "Looking for a gift? We can suggest something.",
            "Suchen Sie ein Geschenk? Wir haben gern ein paar Ideen für Sie.",
            "Vous cherchez un cadeau ? Nous pouvons vous faire des suggestions.",
            "¿Busca un regalo? Podemos sugerirle algo.",
            "Procurando um presente? Podemos dar algumas sugestões.",
            "Op zoek naar een cadeau? We denken graag met u mee.",
            "Cerca un regalo? Possiamo suggerirle qualcosa.",
            "ギフトをお探しですか？おすすめをご提案します。",
        ),
        _p(
            "saas",
            "Your trial ends in 3 days. Any questions before you upgrade?",
            "Ihre Testphase endet in 3 Tagen. Haben Sie vor dem Upgrade noch Fragen?",
            "Votre essai se termine dans 3 jours. Des questions avant de passer à la formule payante ?",
            "Su prueba termina en 3 días. ¿Alguna pregunta antes de pasar a un plan de pago?",
            "Seu teste termina em 3 dias. Alguma dúvida antes de fazer o upgrade?",
            "Uw proefperiode eindigt over 3 dagen. Nog vragen voordat u upgradet?",
            "La sua prova termina tra 3 giorni. Ha domande prima di passare al piano a pagamento?",
            "トライアルはあと3日で終了します。アップグレード前にご質問はございますか？",
        ),
        _p(
            "any",
            "We're online now. Chat with us if you have any questions!",
            "Wir sind jetzt online. Schreiben Sie uns, wenn Sie Fragen haben!",
            "Nous sommes en ligne. Écrivez-nous si vous avez des questions !",
            "Estamos conectados. ¡Escríbanos si tiene alguna pregunta!",
            "Estamos online. Fale com a gente se tiver alguma dúvida!",
            "We zijn nu online. Chat met ons als u vragen heeft!",
            "Siamo online. Ci scriva se ha domande!",
            "ただいまオンラインです。ご質問があればお気軽にチャットでどうぞ！",
        ),
    ),
}
CATEGORIES = tuple(BANK)
if len(BANK["question"]) != len(BANK["answer"]):
    raise ValueError("every question needs its answer")

# The phrases of each category by topic: those of the topic and those of every topic ("any").
_BY_TOPIC: dict[tuple[str, str | None], tuple[int, ...]] = {}
for _category, _phrases in BANK.items():
    _BY_TOPIC[_category, None] = tuple(range(len(_phrases)))
    for _topic in {p.topic for p in _phrases} - {"any"}:
        _BY_TOPIC[_category, _topic] = tuple(i for i, p in enumerate(_phrases) if p.topic in (_topic, "any"))


def _language(language: str) -> str:
    """The bank's language for a language tag ("pt-BR" is "pt"); English for one the bank does not have."""
    code = language[:2].lower()
    return code if code in _COLUMN else "en"


def _unknown(category: str) -> ValueError:
    return ValueError(f"no phrase category {category!r}; categories: {', '.join(CATEGORIES)}")


def _bank(category: str) -> tuple[Phrase, ...]:
    found = BANK.get(category)
    if found is None:
        raise _unknown(category)
    return found


def pick(rng: random.Random, category: str, topic: str | None = None) -> int:
    """The index of a phrase of the category, of the topic (or of every topic) when one is given; a topic
    the category does not have is ignored."""
    found = _BY_TOPIC.get((category, topic)) or _BY_TOPIC.get((category, None))
    if found is None:
        raise _unknown(category)
    return found[int(rng.random() * len(found))]


def text(category: str, index: int, language: str) -> str:
    """The phrase in the language (English for one the bank does not have)."""
    return BANK[category][index].texts[_COLUMN[_language(language)]]


def line(
    rng: random.Random, category: str, language: str, *, topic: str | None = None, index: int | None = None
) -> tuple[str, dict[str, str] | None]:
    """A line written in the visitor's language, with its English for the agent: `("Hola", {"en": "Hi"})`;
    `(english, None)` in English. `index` chooses the phrase (from `pick`), else it is drawn."""
    phrase = _bank(category)[pick(rng, category, topic) if index is None else index]
    column = _COLUMN[_language(language)]
    if column == 0:
        return phrase.texts[0], None
    return phrase.texts[column], {"en": phrase.texts[0]}


def agent_line(
    rng: random.Random, category: str, language: str, *, topic: str | None = None, index: int | None = None
) -> tuple[str, dict[str, str] | None]:
    """A line an agent wrote in English, with its translation the visitor read, as the Integration API
    sample's agent lines: `("Good day", {"es": "Buen día"})`; `(english, None)` for an English visitor."""
    phrase = _bank(category)[pick(rng, category, topic) if index is None else index]
    language = _language(language)
    column = _COLUMN[language]
    if column == 0:
        return phrase.texts[0], None
    return phrase.texts[0], {language: phrase.texts[column]}
