"""The Bot API on the wire: a real server on a manual clock calls real bot programs (tests/e2e/bots.py).

A chat started through the Visitor Chat API on a widget with an online bot goes to the bot at once: it gets
chatStarted, then each visitor line as a message, and chatClosed when the chat ends with it. Its replies are
applied: messages (with buttons) and every command, each visible in the case, the poll, the event log and the
conversation events it fires; commands that fail come back as one commandResult; a bot that fails to answer
(an error, a hang past --delivery-timeout, a reply that is not JSON or breaks the schema) loses the chat to
the widget's humans. Every payload a bot received is checked against its schema at teardown.

One server for the module, on a manual clock at a time the sales widget is open; every test starts from the
reset world (the module's autouse `_fresh_world`) and installs
its own bots with PUT /__admin/world. A test's bans (BAN_IP bans 127.0.0.1) go with the reset.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

import pytest

from mocksnap.testing import Mocksnap, Response, start_server
from mocksnap.testing import MocksnapServer as Server
from tests.bot_replies import command, message, reply
from tests.conftest import (
    ORG_ID,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    assert_valid,
    default_document,
)
from tests.e2e.bots import ExampleBot, Reply, ScriptedBot, Step, event_of, garbage, hang
from tests.webhooks.receiver import Receiver

START = "2026-11-23T09:30:00Z"  # a Monday, 10:30 in Berlin: the sales widget is open as well
START_MS = int(datetime(2026, 11, 23, 9, 30, tzinfo=UTC).timestamp() * 1000)
DELIVERY_TIMEOUT_S = 1
VISITOR = {"x-api-key": VISITOR_KEY}
BOT = "bot@example.com"
BOT_ALIAS = "Helper Bot"
TOKEN = "bot-secret-token"
IDENTITY_SECRET = "identity-secret"
OTHER_ORG_WIDGET = "0f0e0d0c-0000-4000-8000-000000000001"  # a widget of a second organization
CLOSED_WIDGET = "0f0e0d0c-0000-4000-8000-000000000002"  # the first organization's, conversations off
HUMANS = {"wc:sam@example.com", "wc:michael@example.com"}
EVENTS = ["caseQueued", "caseBroadcasted", "caseAssigned", "caseResponded", "caseLabeled", "caseTransferred",
          "caseSurveyed", "caseClosed"]  # fmt: skip

PAYLOAD_SCHEMAS = {
    "chatStarted": "bot-chat-started",
    "message": "bot-message",
    "chatClosed": "bot-chat-closed",
    "commandResult": "bot-command-result",
}


def human(agent_id: str, alias: str) -> dict[str, Any]:
    return {"agentId": agent_id, "agentAlias": alias, "agentAvatar": "", "agentType": "webclient",
            "status": "online"}  # fmt: skip


# A widget of the default organization that takes no chats (conversations off), though its agent is online.
CLOSED_WIDGET_DOC = {
    "uuid": CLOSED_WIDGET,
    "name": "Closed",
    "email": "admin@example.com",
    "enableConversations": False,
    "agents": [human("owen@example.com", "Owen")],
}
OTHER_ORG_DOC = {
    "orgId": "7700001",
    "apiToken": "other-api-token",
    "provisioningApiKey": "other-provisioning-key",
    "visitorApiKey": "other-visitor-key",
    "users": [
        {"email": "boss@other.example", "name": "Boss", "password": "other-pass", "accountType": "enterprise"}
    ],
    "widgets": [
        {
            "uuid": OTHER_ORG_WIDGET,
            "name": "Other",
            "email": "boss@other.example",
            "agents": [human("olga@other.example", "Olga")],
        }
    ],
}

T = TypeVar("T")


# -- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One server for the module, on a manual clock (it overrides the session's default one)."""
    with start_server("--start", START, "--delivery-timeout", str(DELIVERY_TIMEOUT_S)) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh_world(server: Server) -> None:
    """Every test starts from the world the module's server started with."""
    Mocksnap(server).reset()


class Bots:
    """Bot programs started for one test."""

    def __init__(self) -> None:
        self.started: list[ScriptedBot | ExampleBot] = []

    def scripted(self, script: list[Step] | Callable[[Any], Step] | None = None) -> ScriptedBot:
        bot = ScriptedBot(script)
        self.started.append(bot)
        return bot

    def example(self, token: str) -> ExampleBot:
        bot = ExampleBot(token)
        self.started.append(bot)
        return bot


@pytest.fixture
def bots(server: Server) -> Iterator[Bots]:
    """Bot programs for the test; at teardown, every payload they received is checked against its schema, and
    nothing mocksnap sent broke one (bad bot replies aside, which are the bots' violations)."""
    started = Bots()
    yield started
    for bot in started.started:
        bot.close()
    for bot in started.started:
        for request in bot.records():
            assert request.method == "POST"
            assert request.headers["content-type"].startswith("application/json")
            assert_valid(PAYLOAD_SCHEMAS[event_of(request)], request.json)
    ours = [v for v in violations(server) if v["kind"] != "bot_reply"]
    assert ours == [], ours


# -- the world --------------------------------------------------------------------------------------------


def bot_agent(
    bot: ScriptedBot | ExampleBot,
    agent_id: str = BOT,
    alias: str = BOT_ALIAS,
    token: str | None = TOKEN,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    webhook = {"url": f"{bot.url}/bot", **({"authToken": token} if token else {})}
    agent = {"agentId": agent_id, "agentAlias": alias, "agentAvatar": "https://example.com/avatars/bot.png",
             "agentType": "bot", "status": "online", "bot": webhook}  # fmt: skip
    if tags:
        agent["tags"] = tags
    return agent


def widget_of(document: dict[str, Any], widget_id: str) -> dict[str, Any]:
    return next(w for org in document["organizations"] for w in org["widgets"] if w["uuid"] == widget_id)


def install(
    server: Server,
    *agents: dict[str, Any],
    on_sales: tuple[dict[str, Any], ...] = (),
    autopilot: bool = False,
    identity_secret: str | None = None,
    more_widgets: bool = False,
) -> dict[str, Any]:
    """The default world with these agents (bots) added to the support widget (`on_sales`: to the sales
    widget); with `more_widgets`, a closed widget of its own organization and a second organization's."""
    document = copy.deepcopy(default_document())
    support = widget_of(document, SUPPORT_WIDGET)
    support["agents"].extend(agents)
    widget_of(document, SALES_WIDGET)["agents"].extend(on_sales)
    if identity_secret:
        support["visitorIdentityVerification"] = {"secret": identity_secret}
    if more_widgets:
        document["organizations"][0]["widgets"].append(copy.deepcopy(CLOSED_WIDGET_DOC))
        document["organizations"].append(copy.deepcopy(OTHER_ORG_DOC))
    answer = server.request("PUT", "/__admin/world", body=document)
    assert answer.status == 200, answer.body
    switched = server.request("PUT", "/__admin/autopilot", body={"enabled": autopilot})
    assert switched.status == 200, switched.body
    return document


def subscribe(server: Server, receiver: Receiver, *widget_ids: str) -> None:
    for widget_id in widget_ids:
        body = {"conversationEvents": {"url": f"{receiver.url}/events", "events": EVENTS}}
        answer = server.request("PUT", f"/__admin/widgets/{widget_id}/integrations", body=body)
        assert answer.status == 200, answer.body


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


# -- speaking to the server -------------------------------------------------------------------------------


def start(server: Server, widget_id: str = SUPPORT_WIDGET, **params: str) -> Response:
    query = urlencode({"widgetId": widget_id, "visitorMessage": "Hello bot", **params})
    return server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)


def start_chat(server: Server, widget_id: str = SUPPORT_WIDGET, **params: str) -> str:
    answer = start(server, widget_id, **params)
    assert answer.status == 200, answer.body
    return answer.json()["caseId"]


def say(server: Server, case_id: str, text: str, response_id: str | None = None) -> None:
    params = {"caseId": case_id, "messageType": "1", "messageBody": text}
    if response_id is not None:
        params["displayResponseId"] = response_id
    answer = server.request("PUT", f"/api/v1/chat?{urlencode(params)}", headers=VISITOR)
    assert answer.status == 200, answer.body


def end_chat(server: Server, case_id: str) -> None:
    answer = server.request("PUT", f"/api/v1/chat?caseId={case_id}&messageType=2", headers=VISITOR)
    assert answer.status == 200, answer.body


def poll(server: Server, case_id: str) -> list[dict[str, Any]]:
    answer = server.get(f"/api/v1/chat/poll/{case_id}", headers=VISITOR)
    assert answer.status == 200, answer.body
    assert_valid("visitor-chat-poll-response", answer.json())
    return answer.json()["messageList"]


def texts(server: Server, case_id: str) -> list[str]:
    return [line["text"] for line in poll(server, case_id)]


def case(server: Server, case_id: str) -> dict[str, Any]:
    answer = server.get(f"/__admin/cases/{case_id}")
    assert answer.status == 200, answer.body
    assert_valid("admin-case", answer.json())
    return answer.json()


def accept(server: Server, case_id: str, agent_id: str) -> Response:
    return server.request("POST", f"/__admin/cases/{case_id}/accept", body={"agentId": agent_id})


def advance(server: Server, seconds: float) -> None:
    answer = server.request("POST", "/__admin/clock/advance", body={"seconds": seconds})
    assert answer.status == 200, answer.body


def events(server: Server, kind: str) -> list[dict[str, Any]]:
    """The data of the events of that kind since the test's world was installed (the log outlives a reset, and
    the reset world gives its cases the same ids again)."""
    answer = server.get("/__admin/events").json()
    assert_valid("admin-events", answer)
    found = answer["events"]
    installed = max(i for i, event in enumerate(found) if event["kind"] in ("world.reset", "world.replaced"))
    return [event["data"] for event in found[installed:] if event["kind"] == kind]


def bot_deliveries(server: Server, **filters: str) -> list[dict[str, Any]]:
    answer = server.get(f"/__admin/deliveries?{urlencode({'kind': 'bot', **filters})}").json()
    assert_valid("admin-deliveries", answer)
    return answer["deliveries"]


def violations(server: Server) -> list[dict[str, Any]]:
    answer = server.get("/__admin/violations").json()
    assert_valid("admin-violations", answer)
    return answer["violations"]


def conversation(receiver: Receiver, name: str) -> list[dict[str, Any]]:
    """The conversation events of that name the receiver got so far, each checked against its schema."""
    found = [r.json for r in receiver.records("/events") if r.json["event"] == name]
    for payload in found:
        assert_valid("conversation-event", payload)
    return found


def eventually(check: Callable[[], T], timeout: float = 2.0) -> T:
    """What `check` returns once it passes (returns without an AssertionError): the bot's answer arrives on
    its own time, a few milliseconds after the request that caused it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.02)


def line_with(server: Server, case_id: str, text: str) -> dict[str, Any]:
    """The poll line with this text (the poll adds a trailing space to every text)."""
    found = [line for line in poll(server, case_id) if line["text"] == text + " "]
    assert found, f"no line {text!r} in the poll: {texts(server, case_id)}"
    return found[-1]


def in_state(server: Server, case_id: str, state: str) -> dict[str, Any]:
    detail = case(server, case_id)
    assert detail["state"] == state, detail
    return detail


def received_events(receiver: Receiver, name: str, count: int) -> list[dict[str, Any]]:
    found = conversation(receiver, name)
    assert len(found) >= count, f"expected {count} {name}, got {found}"
    return found


# -- the vendor's example bot -----------------------------------------------------------------------------


def test_the_example_bot_echoes_the_visitor_and_hears_the_chat_close(server: Server, bots: Bots) -> None:
    bot = bots.example(TOKEN)
    install(server, bot_agent(bot), identity_secret=IDENTITY_SECRET)
    email = "visitor@example.com"
    signature = hmac.new(IDENTITY_SECRET.encode(), email.encode(), hashlib.sha256).hexdigest()
    case_id = start_chat(server, email=email, visitorMessage="Hello bot", hmac=signature)

    echo = eventually(lambda: line_with(server, case_id, "You said: Hello bot"))
    assert (echo["type"], echo["author"]) == ("agent", BOT_ALIAS)
    [started] = bot.wait_for(1, event="chatStarted")
    assert started.headers["authorization"] == TOKEN
    body = started.json
    assert (body["widget_id"], body["case_id"], body["timestamp"]) == (SUPPORT_WIDGET, case_id, START_MS)
    assert body["text"] == body["description"] == "Hello bot"
    assert (body["email"], body["ip_address"]) == (email, "127.0.0.1")
    assert body["hmacVerificationResult"] == {
        "verificationProperty": {"property": "CaseEmail"}, "content": email, "status": "VERIFIED",
    }  # fmt: skip
    detail = case(server, case_id)
    assert (detail["state"], detail["agentId"]) == ("assigned", f"wc:{BOT}")
    assert [(e["sender"], e["message"]) for e in detail["entries"]][-1] == ("BOT", "You said: Hello bot")

    say(server, case_id, "What is your most flexible plan?")
    eventually(lambda: line_with(server, case_id, "You said: What is your most flexible plan?"))
    [said] = bot.wait_for(1, event="message")
    assert said.headers["authorization"] == TOKEN
    assert {k: v for k, v in said.json.items() if k != "timestamp"} == {
        "widget_id": SUPPORT_WIDGET, "case_id": case_id, "event": "message", "from": "visitor",
        "text": "What is your most flexible plan?",
    }  # fmt: skip

    end_chat(server, case_id)
    [closed] = bot.wait_for(1, event="chatClosed")
    assert closed.json == {"widget_id": SUPPORT_WIDGET, "case_id": case_id, "timestamp": START_MS,
                           "event": "chatClosed"}  # fmt: skip
    assert closed.headers["authorization"] == TOKEN
    assert in_state(server, case_id, "closed")["endedBy"] == "visitor"
    log = eventually(lambda: _all_delivered(server, 3))
    assert [(d["event"], d["agentId"], d["caseId"]) for d in log] == [
        ("chatStarted", BOT, case_id), ("message", BOT, case_id), ("chatClosed", BOT, case_id),
    ]  # fmt: skip
    assert violations(server) == []


def _all_delivered(server: Server, count: int) -> list[dict[str, Any]]:
    log = bot_deliveries(server)
    assert len(log) == count, log
    assert {d["status"] for d in log} == {"delivered"}, log
    return log


def test_an_example_bot_called_with_another_token_says_bye(server: Server, bots: Bots) -> None:
    bot = bots.example(TOKEN)
    install(server, bot_agent(bot, token="not-the-bots-token"), identity_secret=IDENTITY_SECRET)
    case_id = start_chat(server, email="visitor@example.com", hmac="0" * 64)

    detail = eventually(lambda: in_state(server, case_id, "closed"))
    assert (detail["endedBy"], detail["agentId"]) == ("agent", f"wc:{BOT}")
    started, closed = bot.wait_for(2)
    assert (event_of(started), event_of(closed)) == ("chatStarted", "chatClosed")
    assert started.headers["authorization"] == closed.headers["authorization"] == "not-the-bots-token"
    assert started.json["hmacVerificationResult"]["status"] == "NOT_VERIFIED"
    assert not [text for text in texts(server, case_id) if text.startswith("You said")]
    assert events(server, "case.closed") == [
        {"caseId": case_id, "widgetId": SUPPORT_WIDGET, "endedBy": "agent", "agentId": BOT}
    ]


# -- messages, buttons, GOTO and CARDS --------------------------------------------------------------------


def test_buttons_goto_and_cards_reach_the_visitor_and_a_click_sends_the_button_id(
    server: Server, bots: Bots
) -> None:
    bot = bots.scripted(
        [
            sample("bot-reply-messages"),  # chatStarted: a question with "Yes" (id btn-123) and "No"
            sample("bot-reply-messages"),  # the click on "No": the question again
            sample("bot-reply-message-and-command"),  # the click on "Yes": GOTO the pricing page
            sample("bot-reply-cards"),  # a line of the visitor's own: a message and cards
        ]
    )
    install(server, bot_agent(bot))
    case_id = start_chat(server)

    question = eventually(lambda: line_with(server, case_id, "Are you willing to travel during the week?"))
    assert question["displayResponses"] == [{"text": "Yes", "id": "btn-123"}, {"text": "No"}]
    assert (question["type"], question["author"]) == ("agent", BOT_ALIAS)
    assert texts(server, case_id)[-2] == "I need to ask you a few questions... "

    say(server, case_id, "No")  # a click on the button without an id: its text
    [no] = bot.wait_for(1, event="message")
    assert (no.json["text"], "id" in no.json) == ("No", False)
    eventually(lambda: _count(texts(server, case_id), "Are you willing to travel during the week? ", 2))

    say(server, case_id, "Yes", response_id="btn-123")
    _, yes = bot.wait_for(2, event="message")
    assert (yes.json["text"], yes.json["id"]) == ("Yes", "btn-123")
    goto = eventually(lambda: line_with(server, case_id, "/GTO https://example.com/pricing"))
    assert goto["type"] == "system"
    assert texts(server, case_id)[-2] == "Let me show you our pricing page... "
    assert events(server, "case.redirected") == [
        {"caseId": case_id, "widgetId": SUPPORT_WIDGET, "url": "https://example.com/pricing"}
    ]
    stale = server.request(
        "PUT", f"/api/v1/chat?caseId={case_id}&messageType=1&messageBody=Yes&displayResponseId=btn-123",
        headers=VISITOR,
    )  # fmt: skip
    assert stale.status == 400  # the visitor has written since: the buttons are gone

    say(server, case_id, "Which one do you like?")
    cards = eventually(lambda: _with_cards(server, case_id))
    given = sample("bot-reply-cards")["content"][1]["parameters"]
    assert cards["cards"] == {"layout": "VERTICAL", "cards": given["cards"]}
    assert cards["text"].startswith(given["cards"][0]["title"])
    assert texts(server, case_id)[-2] == "Which is better? "
    assert len(bot.wait_for(4)) == 4
    assert bot_deliveries(server, status="failed") == []


def _count(items: list[str], item: str, count: int) -> None:
    assert items.count(item) == count, items


def _with_cards(server: Server, case_id: str) -> dict[str, Any]:
    found = [line for line in poll(server, case_id) if "cards" in line]
    assert found, texts(server, case_id)
    return found[-1]


# -- commands and the conversation events they fire -------------------------------------------------------


def test_label_sets_the_labels_and_fires_case_labeled(server: Server, bots: Bots, receiver: Receiver) -> None:
    bot = bots.scripted([sample("bot-reply-label")])
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server)

    labeled = eventually(lambda: received_events(receiver, "caseLabeled", 2))
    assert [(e["label"], e["agent_email"], e["case_id"]) for e in labeled] == [
        ({"value": "labelValue1", "name": "labelName1"}, BOT, case_id),
        ({"value": "labelValue1, labelValue2", "name": "labelName2"}, BOT, case_id),
    ]
    assert case(server, case_id)["labels"] == [
        {"name": "labelName1", "value": "labelValue1"},
        {"name": "labelName2", "value": "labelValue1, labelValue2"},
    ]
    assert [(e["name"], e["value"]) for e in events(server, "case.labeled")] == [
        ("labelName1", "labelValue1"), ("labelName2", "labelValue1, labelValue2"),
    ]  # fmt: skip


def test_transfer_hands_the_chat_to_an_agent_and_fires_case_transferred(
    server: Server, bots: Bots, receiver: Receiver
) -> None:
    bot = bots.scripted([reply(message("Let me get Sam for you."), command("TRANSFER", "sam@example.com"))])
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server)

    [moved] = eventually(lambda: received_events(receiver, "caseTransferred", 1))
    assert (moved["agent_email"], moved["widget_id"]) == ("sam@example.com", SUPPORT_WIDGET)
    detail = case(server, case_id)
    assert (detail["state"], detail["agentId"]) == ("assigned", "wc:sam@example.com")
    assert texts(server, case_id)[-3:] == ["Let me get Sam for you. ", "/NIC Sam ", "/CAL 1 "]
    [event] = events(server, "case.transferred")
    assert (event["fromAgentId"], event["toAgentId"]) == (BOT, "sam@example.com")

    say(server, case_id, "Hi Sam")  # the bot is out of the chat: no message, no chatClosed
    end_chat(server, case_id)
    assert [d["event"] for d in bot_deliveries(server, caseId=case_id)] == ["chatStarted"]


def test_human_transfer_queues_the_chat_for_the_widgets_humans(
    server: Server, bots: Bots, receiver: Receiver
) -> None:
    bot = bots.scripted([reply(message("A person will be with you shortly."), command("HUMAN_TRANSFER"))])
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server)

    [moved] = eventually(lambda: received_events(receiver, "caseTransferred", 1))
    assert (moved["widget_id"], moved["agent_email"]) == (SUPPORT_WIDGET, BOT)  # to the queue, by the bot
    offered = eventually(lambda: received_events(receiver, "caseBroadcasted", 2))
    assert {e["agent_id"] for e in offered} == HUMANS  # not the bot
    detail = case(server, case_id)
    assert (detail["state"], detail["agentId"]) == ("queued", None)
    assert texts(server, case_id)[-1] == "/NFO Just a moment...<br> "

    assert accept(server, case_id, BOT).status == 400  # humans only
    taken = accept(server, case_id, "michael@example.com")
    assert taken.status == 200, taken.body
    assert taken.json()["agentId"] == "wc:michael@example.com"
    assert [e["agent_email"] for e in eventually(lambda: received_events(receiver, "caseAssigned", 2))] == [
        BOT, "michael@example.com",
    ]  # fmt: skip


@pytest.mark.parametrize("operation", ["WIDGET_TRANSFER", "WIDGET_HUMAN_TRANSFER"])
def test_widget_transfers_move_the_chat_to_the_other_widget(
    server: Server, bots: Bots, receiver: Receiver, operation: str
) -> None:
    """The sales widget has a bot of its own: a WIDGET_TRANSFER reaches it, a WIDGET_HUMAN_TRANSFER its
    human (Charlie; Dana is on a break)."""
    bot = bots.scripted([reply(command(operation, SALES_WIDGET))])
    sales_bot = bots.scripted([reply(message("Sales bot here."))])
    install(server, bot_agent(bot), on_sales=(bot_agent(sales_bot, "sales-bot@example.com", "Sales Bot"),))
    subscribe(server, receiver, SUPPORT_WIDGET, SALES_WIDGET)
    case_id = start_chat(server)

    # Each widget hears of it with its own widget_id, the one it leaves first; both name the bot.
    left, moved = eventually(lambda: received_events(receiver, "caseTransferred", 2))
    assert (left["widget_id"], left["widget_name"], left["case_id"]) == (
        SUPPORT_WIDGET,
        "Support (24x7)",
        case_id,
    )
    assert (moved["widget_id"], moved["case_id"]) == (SALES_WIDGET, case_id)
    assert moved["widget_name"] == "Sales (business hours)"
    assert left["agent_email"] == moved["agent_email"] == BOT
    [event] = events(server, "case.transferred")
    assert (event["fromWidgetId"], event["toWidgetId"], event["fromAgentId"]) == (
        SUPPORT_WIDGET,
        SALES_WIDGET,
        BOT,
    )
    if operation == "WIDGET_TRANSFER":
        [started] = sales_bot.wait_for(1, event="chatStarted")
        assert (started.json["widget_id"], started.json["case_id"]) == (SALES_WIDGET, case_id)
        eventually(lambda: line_with(server, case_id, "Sales bot here."))
        detail = case(server, case_id)
        assert (detail["widgetId"], detail["agentId"]) == (SALES_WIDGET, "wc:sales-bot@example.com")
        assigned = eventually(lambda: received_events(receiver, "caseAssigned", 2))
        assert [(e["agent_email"], e["widget_id"]) for e in assigned] == [
            (BOT, SUPPORT_WIDGET),
            ("sales-bot@example.com", SALES_WIDGET),
        ]
    else:
        [offered] = eventually(lambda: received_events(receiver, "caseBroadcasted", 1))
        assert (offered["agent_email"], offered["widget_id"]) == ("charlie@example.com", SALES_WIDGET)
        detail = case(server, case_id)
        assert (detail["widgetId"], detail["state"]) == (SALES_WIDGET, "queued")
        assert accept(server, case_id, "sales-bot@example.com").status == 400
        assert accept(server, case_id, "charlie@example.com").status == 200
        assert sales_bot.received() == []
    assert [event_of(r) for r in bot.received()] == ["chatStarted"]


def test_tag_transfer_reaches_the_agents_with_the_tags_bots_included(
    server: Server, bots: Bots, receiver: Receiver
) -> None:
    bot = bots.scripted([reply(command("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["billing", "refunds"]'),
                               context_id="first-bot-context")])  # fmt: skip
    billing = bots.scripted([reply(message("Billing bot here."))])
    install(
        server,
        bot_agent(bot),
        bot_agent(billing, "billing-bot@example.com", "Billing Bot", token="billing-token", tags=["billing"]),
    )
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server)

    [started] = billing.wait_for(1, event="chatStarted")
    assert started.headers["authorization"] == "billing-token"
    assert (started.json["case_id"], started.json["tags"]) == (case_id, "billing,refunds")
    assert "context_id" not in started.json  # the first bot's context is not the second one's
    eventually(lambda: line_with(server, case_id, "Billing bot here."))
    assert case(server, case_id)["agentId"] == "wc:billing-bot@example.com"
    [moved] = eventually(lambda: received_events(receiver, "caseTransferred", 1))
    assert (moved["widget_id"], moved["agent_email"]) == (SUPPORT_WIDGET, BOT)
    assigned = eventually(lambda: received_events(receiver, "caseAssigned", 2))
    assert [e["agent_email"] for e in assigned] == [BOT, "billing-bot@example.com"]
    assert [event_of(r) for r in bot.received()] == ["chatStarted"]


def test_bye_ends_the_chat_and_fires_case_closed(server: Server, bots: Bots, receiver: Receiver) -> None:
    bot = bots.scripted([sample("bot-reply-command")])  # BYE
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server)

    [closed] = eventually(lambda: received_events(receiver, "caseClosed", 1))
    assert (closed["agent_email"], closed["case_id"]) == (BOT, case_id)
    assert in_state(server, case_id, "closed")["endedBy"] == "agent"
    [goodbye] = bot.wait_for(1, event="chatClosed")
    assert goodbye.json["case_id"] == case_id
    refused = server.request("PUT", f"/api/v1/chat?caseId={case_id}&messageType=1&messageBody=hey",
                             headers=VISITOR)  # fmt: skip
    assert refused.status == 400


def test_ban_keeps_the_visitors_email_out(server: Server, bots: Bots, receiver: Receiver) -> None:
    bot = bots.scripted(lambda request: reply(command("BAN")) if request["event"] == "chatStarted" else None)
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server, email="troll@example.com")

    assert eventually(lambda: in_state(server, case_id, "closed"))["endedBy"] == "agent"
    [closed] = eventually(lambda: received_events(receiver, "caseClosed", 1))
    assert (closed["agent_email"], closed["case_id"]) == (BOT, case_id)
    assert [event_of(r) for r in bot.wait_for(2)] == ["chatStarted", "chatClosed"]
    assert events(server, "visitor.banned") == [
        {"ban": "email:troll@example.com", "untilMs": START_MS + 24 * 3600 * 1000, "caseId": case_id}
    ]
    again = start(server, email="troll@example.com")
    assert again.status == 400
    assert "banned" in again.json()["message"]
    assert start(server, email="friend@example.com").status == 200  # the same IP address, another visitor


def test_ban_ip_keeps_the_address_out_for_good(server: Server, bots: Bots, receiver: Receiver) -> None:
    bot = bots.scripted([reply(command("BAN_IP"))])
    install(server, bot_agent(bot))
    subscribe(server, receiver, SUPPORT_WIDGET)
    case_id = start_chat(server, email="troll@example.com")

    assert eventually(lambda: in_state(server, case_id, "closed"))["endedBy"] == "agent"
    [closed] = eventually(lambda: received_events(receiver, "caseClosed", 1))
    assert (closed["agent_email"], closed["case_id"]) == (BOT, case_id)
    assert [event_of(r) for r in bot.wait_for(2)] == ["chatStarted", "chatClosed"]
    assert events(server, "visitor.banned") == [{"ban": "ip:127.0.0.1", "untilMs": None, "caseId": case_id}]
    assert start(server, email="someone-else@example.com").status == 400  # every visitor of 127.0.0.1
    advance(server, 2 * 24 * 3600)
    assert start(server).status == 400
    # The next test's reset lifts the ban with the rest of the world.


# -- failed commands --------------------------------------------------------------------------------------


def test_every_failed_command_comes_back_in_one_command_result(server: Server, bots: Bots) -> None:
    failing = [
        (command("TRANSFER"), "", "MISSING_PARAM"),
        (command("GOTO", ""), "", "MISSING_PARAM"),
        (command("TAG_TRANSFER", SUPPORT_WIDGET), SUPPORT_WIDGET, "MISSING_PARAM"),
        (command("LABEL", "not json"), "not json", "MISSING_PARAM"),
        (command("CARDS", {"layout": "VERTICAL"}), '{"layout": "VERTICAL"}', "MISSING_PARAM"),
        (command("WIDGET_TRANSFER", "no-such-widget"), "no-such-widget", "WIDGET_NOT_FOUND"),
        (command("WIDGET_HUMAN_TRANSFER", OTHER_ORG_WIDGET), OTHER_ORG_WIDGET, "TRANSFER_NOT_ALLOWED"),
        (command("WIDGET_TRANSFER", SUPPORT_WIDGET), SUPPORT_WIDGET, "TRANSFER_NOT_ALLOWED"),  # its own
        (command("TRANSFER", BOT), BOT, "TRANSFER_NOT_ALLOWED"),  # itself
        (command("WIDGET_TRANSFER", CLOSED_WIDGET), CLOSED_WIDGET, "NO_AGENTS_AVAILABLE"),
        (command("TRANSFER", "dana@example.com"), "dana@example.com", "NO_AGENTS_AVAILABLE"),  # not here
        (command("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["nobody"]'), f'{SUPPORT_WIDGET} ["nobody"]',
         "NO_AGENTS_AVAILABLE"),
    ]  # fmt: skip
    content = [item for item, _, _ in failing] + [message("Sorry, I cannot hand you on right now.")]
    bot = bots.scripted([reply(*content), reply(command("BYE"))])  # the second answers the commandResult
    install(server, bot_agent(bot), more_widgets=True)
    case_id = start_chat(server)

    eventually(lambda: line_with(server, case_id, "Sorry, I cannot hand you on right now."))
    [result] = bot.wait_for(1, event="commandResult")
    assert result.headers["authorization"] == TOKEN
    assert (result.json["widget_id"], result.json["case_id"]) == (SUPPORT_WIDGET, case_id)
    assert result.json["failedCommands"] == [
        {"operation": item["operation"], "params": params, "error": error} for item, params, error in failing
    ]
    eventually(lambda: _all_delivered(server, 2))  # the answer to the commandResult is not applied
    detail = case(server, case_id)
    assert (detail["state"], detail["agentId"], detail["widgetId"]) == (
        "assigned",
        f"wc:{BOT}",
        SUPPORT_WIDGET,
    )
    assert events(server, "case.transferred") == []
    assert [event_of(r) for r in bot.received()] == ["chatStarted", "commandResult"]


# -- bad bots ---------------------------------------------------------------------------------------------

BAD_BOTS = {
    "error_status": (Reply(500, "text/plain", "internal error"), "HTTP 500", False),
    "hang": (
        hang(DELIVERY_TIMEOUT_S + 1.5, reply(message("Sorry, I was thinking."))),
        "no answer within",
        False,
    ),
    "not_json": (garbage(b"<html>Hello!</html>", "text/html"), "not JSON", True),
    "breaks_schema": (reply(command("SELF_DESTRUCT")), "breaks schema bot-reply", True),
}


@pytest.mark.parametrize("badness", list(BAD_BOTS))
def test_a_bad_bot_loses_the_chat_to_the_humans(server: Server, bots: Bots, badness: str) -> None:
    answer, reason, bad_reply = BAD_BOTS[badness]
    bot = bots.scripted([answer])
    install(server, bot_agent(bot), autopilot=True)
    case_id = start_chat(server)

    detail = eventually(lambda: in_state(server, case_id, "queued"), timeout=DELIVERY_TIMEOUT_S + 3)
    assert detail["agentId"] is None
    [failed] = bot_deliveries(server, caseId=case_id)
    assert (failed["status"], failed["attempts"], failed["event"]) == ("failed", 1, "chatStarted")
    attempt = server.get(f"/__admin/deliveries/{failed['id']}").json()["attemptLog"][0]
    assert reason in attempt["error"]
    [violation] = violations(server)  # a bad reply with its errors, no reply at all with its cause
    assert (violation["kind"], violation["schema"]) == ("bot_reply", "bot-reply")
    assert violation["errors"]
    if not bad_reply:
        assert reason in violation["errors"][0]["message"]
    assert accept(server, case_id, BOT).status == 400  # queued for humans only

    advance(server, 10)  # autopilot: a human accepts within 6 s
    detail = in_state(server, case_id, "assigned")
    assert detail["agentId"] in HUMANS
    assert texts(server, case_id)[-1] in ("/CAL 1 ", "Hi, I'm Sam. How can I help you today? ",
                                          "Hi, I'm Michael. How can I help you today? ")  # fmt: skip
    assert "Sorry, I was thinking. " not in texts(server, case_id)
    assert [event_of(r) for r in bot.received()] == ["chatStarted"]


# -- context_id -------------------------------------------------------------------------------------------


def test_a_context_id_comes_back_on_the_next_request_only(server: Server, bots: Bots) -> None:
    bot = bots.scripted(
        [
            reply(message("one"), context_id="ctx-1"),
            reply(message("two")),
            reply(message("three"), context_id="ctx-3"),
        ]
    )
    install(server, bot_agent(bot))
    case_id = start_chat(server)
    eventually(lambda: line_with(server, case_id, "one"))
    say(server, case_id, "first")
    eventually(lambda: line_with(server, case_id, "two"))
    say(server, case_id, "second")
    eventually(lambda: line_with(server, case_id, "three"))
    end_chat(server, case_id)

    sent = bot.wait_for(4)
    assert [(event_of(r), r.json.get("context_id")) for r in sent] == [
        ("chatStarted", None), ("message", "ctx-1"), ("message", None), ("chatClosed", "ctx-3"),
    ]  # fmt: skip


def test_the_default_world_has_no_bot(server: Server) -> None:
    """Without a bot the support widget's chats are broadcast to its humans, as before (the reset world)."""
    case_id = start_chat(server)
    detail = case(server, case_id)
    assert (detail["state"], detail["orgId"]) == ("queued", ORG_ID)
    assert bot_deliveries(server) == []


def test_a_context_id_reaches_a_request_queued_while_the_bot_was_answering(
    server: Server, bots: Bots
) -> None:
    bot = bots.scripted([hang(0.4, reply(message("one"), context_id="slow")), reply(message("two"))])
    install(server, bot_agent(bot))
    case_id = start_chat(server)
    say(server, case_id, "quick")  # while the bot takes its time over chatStarted
    eventually(lambda: line_with(server, case_id, "two"))
    started, said = bot.wait_for(2)
    assert said.json["text"] == "quick"
    assert said.at > started.at + 0.3  # sent after the answer to chatStarted, in order
    assert said.json.get("context_id") == "slow"  # the request after that answer
