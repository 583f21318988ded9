"""The widget in a real browser: a page on another origin than mocksnap (the integrator's site, served from a
second local port) loads the documented snippet with only its host changed, and chats with the world.

Every method of the JavaScript API and every callback runs at least once. The page records each callback it
registered as [name, ...arguments] in `window.seen`. The module's Chromium (tests/e2e/conftest.py), a fresh
context (no cookies) for each test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mocksnap.testing import HOST, Mocksnap, MocksnapServer, WebhookSink, validate
from tests.conftest import ORG_ID, SALES_WIDGET, SAMPLES, SUPPORT_WIDGET
from tests.e2e.bots import ScriptedBot
from tests.e2e.conftest import Site

CALLBACKS = [
    "Close", "ChatMessageReceived", "ChatMessageSent", "MessageSubmit", "Minimize", "Open", "OpenProactive",
    "StartChat", "StartCallMe", "SwitchWidget", "InlineButtonClicked", "RatingPromptClicked",
]  # fmt: skip

# The developer reference's snippet, its host changed to mocksnap's; its API block registers every callback.
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>
<a href="#" id="chat-link" onclick="SnapEngage.startLink(); return false;">Chat with us!</a>
<script>window.seen = [];</script>
<!-- begin SnapEngage code -->
<script type="text/javascript">
  (function() {{
    var se = document.createElement('script'); se.type = 'text/javascript'; se.async = true;
    se.src = '//{mocksnap}/code.snapengage.com/js/{widget}.js';
    var done = false;
    se.onload = se.onreadystatechange = function() {{
      if (!done&&(!this.readyState||this.readyState==='loaded'||this.readyState==='complete')) {{
        done = true;
        /* Place your SnapEngage JS API code below */
        /* Example JS API: Enable sounds for Visitors. */
        var allow = true;
        SnapEngage.allowChatSound(allow);
        {callbacks}.forEach(function (name) {{
          SnapEngage.setCallback(name, function () {{
            window.seen.push([name].concat(Array.prototype.slice.call(arguments)));
          }});
        }});
        SnapEngage.setCallback(SnapEngage.callbacks.CHAT_ENDED, function (options) {{
          window.seen.push(['CHAT_ENDED', options]);
        }});
        window.snapLoaded = true;
      }}
    }};
    var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(se, s);
  }})();
</script>
<!-- end SnapEngage code -->
</body></html>
"""


@pytest.fixture(scope="module")
def site(mocksnap_server: MocksnapServer) -> Iterator[Site]:
    """The integrator's site: any path is a page with the snippet, for the widget in `?widget=`."""
    mocksnap = mocksnap_server.base_url.removeprefix("http://")

    def page(path: str, query: dict[str, list[str]]) -> str:
        widget = query.get("widget", [SUPPORT_WIDGET])[0]
        return PAGE.format(title=path, mocksnap=mocksnap, widget=widget, callbacks=json.dumps(CALLBACKS))

    running = Site(page)
    yield running
    running.close()


@pytest.fixture
def snap(mocksnap: Mocksnap) -> Mocksnap:
    return mocksnap


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies); no page of it may throw an uncaught error."""
    fresh = browser.new_context()
    errors: list[str] = []
    fresh.on("weberror", lambda error: errors.append(str(error.error)))
    yield fresh
    fresh.close()
    assert errors == []


def open_page(context: Any, site: Site, path: str = "/shop", widget: str = SUPPORT_WIDGET) -> Any:
    page = context.new_page()
    page.goto(f"{site.url}{path}?widget={widget}")
    page.wait_for_function("window.snapLoaded === true")
    page.wait_for_selector("#snapengage-button[data-status]")
    return page


def seen(page: Any, name: str | None = None) -> list[list[Any]]:
    found = page.evaluate("window.seen")
    return [entry for entry in found if name is None or entry[0] == name]


def wait_seen(page: Any, name: str, count: int = 1, timeout: float = 5000) -> list[list[Any]]:
    page.wait_for_function(
        "([name, count]) => window.seen.filter((e) => e[0] === name).length >= count",
        arg=[name, count],
        timeout=timeout,
    )
    return seen(page, name)


def box(page: Any) -> Any:
    return page.frame_locator("#designstudio-iframe")


def events(snap: Mocksnap, kind: str) -> list[dict[str, Any]]:
    found = snap.request("GET", "/__admin/events").json()["events"]
    return [event["data"] for event in found if event["kind"] == kind]


def case_of(snap: Mocksnap, case_id: str) -> dict[str, Any]:
    return snap.request("GET", f"/__admin/cases/{case_id}").json()


def only_case(snap: Mocksnap) -> dict[str, Any]:
    [case] = snap.request("GET", "/__admin/cases").json()["cases"]
    return case


def set_status(snap: Mocksnap, agent: str, status: str) -> None:
    path = f"/__admin/organizations/{ORG_ID}/agents/wc:{agent}/status"
    answer = snap.request("PUT", path, body={"status": status})
    assert answer.status == 200, answer.body


def send(page: Any, text: str) -> None:
    field = box(page).get_by_role("textbox", name="Message")
    field.fill(text)
    field.press("Enter")


# -- the whole chat ------------------------------------------------------------------------------------------


def test_a_page_on_another_origin_chats_with_a_simulated_agent(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    sink = WebhookSink()
    try:
        snap.configure_integrations(
            SUPPORT_WIDGET,
            integrationApi={"url": f"{sink.url}/case", "authToken": "t", "format": "json"},
            conversationEvents={"url": f"{sink.url}/events", "events": ["caseQueued"]},
            getContact={"url": f"{sink.url}/contact", "systemName": "CRM"},
        )
        page = open_page(context, site)
        assert site.url.rsplit(":", 1)[1] != snap.base_url.rsplit(":", 1)[1], "another origin"
        page.evaluate("""() => {
            SnapEngage.setUserEmail('arya@example.com', true);
            SnapEngage.setUserName('Arya Stark');
            SnapEngage.setCustomField('Company', 'Vandelay Industries');
            SnapEngage.setLocale('de');
            SnapEngage.setDescription('I need help with my order');
        }""")
        assert page.evaluate("SnapABug === SnapEngage && SnapEngage.getWidgetId()") == SUPPORT_WIDGET
        assert page.evaluate("document.cookie").count("SnapABugUserAlias=Arya%20Stark") == 1

        page.get_by_role("button", name="Chat with us").click()
        assert wait_seen(page, "Open") == [["Open", "online"]]
        message = box(page).get_by_role("textbox", name="Message")
        assert message.input_value() == "I need help with my order"  # setDescription
        message.press("Enter")
        assert wait_seen(page, "StartChat") == [
            ["StartChat", "arya@example.com", "I need help with my order", "manual"]
        ]
        case_id = only_case(snap)["caseId"]
        page_url = f"{site.url}/shop?widget={SUPPORT_WIDGET}"
        [contact] = sink.wait_for(1, path="/contact")
        assert (contact.query["url"], contact.query["email"]) == ([page_url], ["arya@example.com"])
        [queued] = sink.wait_for(1, path="/events")
        validate(queued.json, "conversation-event")
        assert queued.json["case_id"] == case_id

        message.press_sequentially("are you there")
        snap.wait_for_requests("POST", f"/widget/chats/{case_id}/typing")
        assert {"caseId": case_id, "widgetId": SUPPORT_WIDGET, "who": "visitor", "typing": True} in events(
            snap, "case.typing"
        )
        message.fill("")

        snap.advance(10)  # a simulated agent accepts and greets
        [[_, alias, greeting]] = wait_seen(page, "ChatMessageReceived")
        assert greeting == f"Hi, I'm {alias}. How can I help you today?"
        agent = case_of(snap, case_id)["agentId"]
        box(page).get_by_text(f"{alias} joined the chat").wait_for()
        assert page.evaluate("window.frames[0].document.documentElement.dataset.soundsPlayed") == "1"

        typing = snap.request(
            "POST", f"/__admin/cases/{case_id}/typing", body={"agentId": agent, "typing": True}
        )
        assert typing.status == 200
        box(page).get_by_text(f"{alias} is typing…").wait_for(timeout=1000)
        started = time.monotonic()
        snap.request(
            "POST", f"/__admin/cases/{case_id}/messages", body={"agentId": agent, "text": "One moment"}
        )
        wait_seen(page, "ChatMessageReceived", 2, timeout=1000)  # within a second, through the live feed
        print(f"agent line to ChatMessageReceived: {(time.monotonic() - started) * 1000:.0f} ms")
        assert seen(page, "ChatMessageReceived")[1] == ["ChatMessageReceived", alias, "One moment"]

        send(page, "Thanks!")
        assert wait_seen(page, "ChatMessageSent") == [["ChatMessageSent", "Thanks!"]]
        assert page.evaluate("SnapEngage.sendTextToChat('Customer since 2019')") is True
        assert page.evaluate("SnapEngage.sendTextToChat('Here is a coupon: TENOFF', 'visitor')") is False
        box(page).get_by_text("Here is a coupon: TENOFF").wait_for()
        snap.wait_for_requests("POST", f"/widget/chats/{case_id}/notes")
        entries = case_of(snap, case_id)["entries"]
        assert any(e["sender"] == "NOTE" and e["message"] == "Customer since 2019" for e in entries)

        snap.request("POST", f"/__admin/cases/{case_id}/close", body={"endedBy": "agent"})
        assert wait_seen(page, "CHAT_ENDED") == [["CHAT_ENDED", {"endedByUser": False}]]
        box(page).get_by_role("button", name="4 of 5 stars").click()
        assert wait_seen(page, "RatingPromptClicked") == [["RatingPromptClicked", alias, "STAR", 4]]
        box(page).get_by_text("Thank you for your rating.").wait_for()
        assert case_of(snap, case_id)["surveyScore"] == 80

        [delivery] = sink.wait_for(1, path="/case")
        payload = delivery.json
        validate(payload, "integration-api")
        assert payload["page_url"] == page_url
        assert payload["entry_url"] == payload["page_url"]
        assert payload["requested_by"] == "arya@example.com"
        assert payload["requester_details"]["name"] == "Arya Stark"
        assert payload["javascript_variables"] == [{"name": "Company", "value": "Vandelay Industries"}]
        assert payload["language_code"] == "de"
        assert payload["description"] == "I need help with my order"
        assert "Chrome" in payload["user_agent"]
        assert payload["ip_address"] == HOST
        logs = snap.request(
            "GET",
            f"/api/v2/{ORG_ID}/logs?widgetId={SUPPORT_WIDGET}&start=2026-11-01&end=2026-11-30",
            headers={"Authorization": "mocksnap-api-token"},
        ).json()["cases"]
        assert [(c["id"], c["page_url"], c["requested_by"]) for c in logs] == [
            (case_id, page_url, "arya@example.com")
        ]
        assert logs[0]["javascript_variables"] == payload["javascript_variables"]
        journal = [entry["path"] for entry in snap.requests(path="/widget/*")]
        assert f"/widget/{SUPPORT_WIDGET}/chats" in journal
    finally:
        sink.close()


# -- forms: offline, call me, prechat, the widget selector ---------------------------------------------------


def test_offline_the_button_leaves_a_message_and_asks_for_a_call(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    for agent in ("sam@example.com", "michael@example.com"):
        set_status(snap, agent, "pause")
    page = open_page(context, site)
    assert page.get_by_role("button", name="Leave a message").is_visible()
    page.evaluate("SnapEngage.getAgentStatusAsync((online) => window.seen.push(['status', online]))")
    assert wait_seen(page, "status") == [["status", False]]

    page.evaluate("SnapEngage.openProactiveChat(false, true)")  # offline: falls back to the offline form
    assert wait_seen(page, "Open") == [["Open", "offline"]]
    form = box(page).get_by_role("form", name="Send message")
    form.get_by_label("Email").fill("ned@example.com")
    form.get_by_label("Message").fill("Winter is coming")
    form.get_by_role("button", name="Send message").click()
    assert wait_seen(page, "MessageSubmit") == [["MessageSubmit", "ned@example.com", "Winter is coming"]]
    box(page).get_by_text("Thank you! We will get back to you.").wait_for()
    assert "SnapABugUserEmail=ned%40example.com" in page.evaluate("document.cookie")
    offline = only_case(snap)
    assert (offline["type"], offline["entries"][0]["message"]) == ("offline", "Winter is coming")

    box(page).get_by_role("button", name="Close").click()
    assert wait_seen(page, "Close") == [["Close", "form", "offline"]]
    page.get_by_role("link", name="Chat with us!").click()  # startLink from the page's own link
    wait_seen(page, "Open", 2)
    box(page).get_by_role("button", name="Request a call").click()
    call_me = box(page).get_by_role("form", name="Request a call")
    assert call_me.get_by_label("Email").input_value() == "ned@example.com"
    call_me.get_by_label("Phone").fill("555-1234")
    call_me.get_by_role("button", name="Call me").click()
    assert wait_seen(page, "StartCallMe") == [["StartCallMe", "555-1234"]]  # registered as the docs spell it
    cases = snap.request("GET", "/__admin/cases").json()["cases"]
    assert cases[1]["entries"][0]["message"] == "Please call me back at 555-1234."


def test_a_widget_that_requires_an_email_asks_first_and_the_selector_switches_widgets(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    page = open_page(context, site, widget=SALES_WIDGET)
    page.evaluate("SnapEngage.setUserEmail('sansa@example.com', true); SnapEngage.startLink()")
    form = box(page).get_by_role("form", name="Start chat")
    form.wait_for()
    assert page.locator("#snapengage-lightbox").is_visible()
    page.evaluate("SnapEngage.disableLighbox()")  # the docs' sample spelling
    assert page.locator("#snapengage-lightbox").is_hidden()
    page.evaluate("SnapEngage.disableLightbox()")
    email = form.get_by_label("Email")
    assert (email.input_value(), email.get_attribute("readonly")) == ("sansa@example.com", "")

    form.get_by_label("Department").select_option(SUPPORT_WIDGET)
    assert wait_seen(page, "SwitchWidget") == [["SwitchWidget", SUPPORT_WIDGET]]
    assert page.evaluate("SnapEngage.getWidgetId()") == SUPPORT_WIDGET
    box(page).get_by_role("textbox", name="Message").wait_for()  # the 24x7 widget needs no form: the chat

    page.evaluate(f"SnapEngage.setWidgetId('{SALES_WIDGET}')")
    page.wait_for_function(f"SnapEngage.getWidgetId() === '{SALES_WIDGET}'")
    box(page).get_by_role("button", name="Close").click()
    page.evaluate("SnapEngage.startLink()")
    form = box(page).get_by_role("form", name="Start chat")
    form.get_by_label("Message").fill("Do you ship to Winterfell?")
    form.get_by_role("button", name="Start chat").click()
    started = wait_seen(page, "StartChat")
    assert started == [["StartChat", "sansa@example.com", "Do you ship to Winterfell?", "manual"]]
    case = only_case(snap)
    assert (case["widgetId"], case["type"]) == (SALES_WIDGET, "chat")


# -- proactive invitations -----------------------------------------------------------------------------------


def test_proactive_invitations_from_the_api_and_from_the_world(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    page = open_page(context, site)
    page.evaluate("SnapEngage.setProactiveAutoCloseDelay(0.005); SnapEngage.openProactiveChat(true)")
    assert wait_seen(page, "OpenProactive") == [
        ["OpenProactive", "Sam", "Hi there! Can I help you with anything today?"]  # the default message
    ]
    page.locator("#designstudio-iframe").wait_for(state="hidden")  # closed by itself after 0.3 s
    assert seen(page, "Close") == []
    page.evaluate("SnapEngage.setProactiveAutocloseDelay(0); SnapEngage.setNoProactiveChatDelay(10)")
    page.evaluate("SnapEngage.openProactiveChat(true, false, 'Need a hand?', true)")
    assert wait_seen(page, "OpenProactive", 2)[1] == ["OpenProactive", "Sam", "Need a hand?"]
    box(page).get_by_role("button", name="Maximize").click()  # the minimized invitation
    assert wait_seen(page, "Minimize") == [["Minimize", False, "manual", "proactiveInvite"]]
    box(page).get_by_role("button", name="Close").click()
    assert wait_seen(page, "Close") == [["Close", "proactive", "online"]]
    assert "SnapABugNoProactiveChat=" in page.evaluate("document.cookie")

    url = f"{site.url}/shop?widget={SUPPORT_WIDGET}"
    invite = snap.request("POST", f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", body={"url": url})
    assert invite.status == 200, invite.body
    validate(invite.json(), "admin-proactive")
    page.evaluate("SnapEngage.getAgentStatusAsync((online) => window.seen.push(['status', online]))")
    wait_seen(page, "status")
    time.sleep(0.3)  # the feed's event has arrived by now: closed recently, so no invitation
    assert len(seen(page, "OpenProactive")) == 2

    page.evaluate("SnapEngageChat.reInitProactiveRules({force: true})")
    assert "SnapABugNoProactiveChat=" not in page.evaluate("document.cookie")
    page.evaluate("SnapEngage.allowProactiveChat(false)")
    snap.request("POST", f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", body={"url": url})
    time.sleep(0.3)
    assert len(seen(page, "OpenProactive")) == 2  # proactive chat not allowed on this page
    page.evaluate("SnapEngage.allowProactiveChat(true)")
    other = snap.request("POST", f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", body={"url": f"{url}&other"})
    assert other.status == 200
    snap.request(
        "POST", f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", body={"message": "Looking for boots?"}
    )
    assert wait_seen(page, "OpenProactive", 3)[2] == ["OpenProactive", "Sam", "Looking for boots?"]
    send(page, "Yes, size 44")
    assert wait_seen(page, "StartChat") == [["StartChat", "", "Yes, size 44", "proactive"]]
    case = only_case(snap)
    view = snap.request("GET", f"/widget/chats/{case['caseId']}").json()
    validate(view, "widget-chat")
    assert (case["sourceId"], view["proactiveMessage"]) == (3, "Looking for boots?")
    box(page).get_by_text("Looking for boots?").wait_for()


# -- bots: buttons and cards ---------------------------------------------------------------------------------


def test_a_bot_s_buttons_fire_inline_button_clicked_and_its_cards_show(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    replies = [
        json.loads((SAMPLES / f"{name}.json").read_text())
        for name in ("bot-reply-messages", "bot-reply-message-and-command", "bot-reply-cards")
    ]
    bot = ScriptedBot(replies)
    try:
        agent = {"agentAlias": "Robo", "agentAvatar": "https://example.com/robo.png", "agentType": "bot",
                 "status": "online", "bot": {"url": f"{bot.url}/bot"}}  # fmt: skip
        put = snap.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/agents/robo@example.com", body=agent)
        assert put.status == 200, put.body
        page = open_page(context, site, path="/boots")
        page.evaluate("""() => {
            SnapEngage.setCallback('StartChat', function (email, msg, type) {
                window.seen.push(['StartChat sent', SnapEngage.sendTextToChat('Came from the boots page')]);
            });
            SnapEngage.startLink();
        }""")
        send(page, "Hello bot")
        assert wait_seen(page, "StartChat sent") == [["StartChat sent", True]]  # the chat exists by then
        [started] = bot.wait_for(1)
        assert started.json["page_url"] == f"{site.url}/boots?widget={SUPPORT_WIDGET}"
        received = wait_seen(page, "ChatMessageReceived", 2)
        assert received[1] == ["ChatMessageReceived", "Robo", "Are you willing to travel during the week?"]
        box(page).get_by_role("button", name="Yes").click()
        clicked = wait_seen(page, "InlineButtonClicked")
        assert clicked == [
            ["InlineButtonClicked", {"botName": "Robo", "buttonLabel": "Yes", "buttonValue": "btn-123"}]
        ]
        _, click = bot.wait_for(2)
        assert (click.json["text"], click.json["id"]) == ("Yes", "btn-123")
        goto = box(page).get_by_role("link", name="Go to https://example.com/pricing")
        assert goto.get_attribute("href") == "https://example.com/pricing"
        send(page, "Which one?")
        box(page).get_by_role("heading", name="5 Reasons Life Is Better For Cat People").wait_for()
        assert box(page).get_by_role("button", name="Yes").count() == 0  # answered: the buttons are gone
    finally:
        bot.close()


# -- the other methods ---------------------------------------------------------------------------------------


def test_setters_given_null_or_undefined_leave_their_fields_empty(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    """A page that passes what it does not know (the email of an anonymous user) still gets its chat."""
    page = open_page(context, site)
    page.evaluate("""() => {
        SnapEngage.setUserEmail(undefined);
        SnapEngage.setUserName(null);
        SnapEngage.setDescription(null);
        SnapEngage.setCustomField('Company', undefined);
    }""")
    page.get_by_role("button", name="Chat with us").click()
    message = box(page).get_by_role("textbox", name="Message")
    assert message.input_value() == ""
    message.fill("hello from nobody in particular")
    message.press("Enter")
    assert wait_seen(page, "StartChat") == [["StartChat", "", "hello from nobody in particular", "manual"]]
    case = case_of(snap, only_case(snap)["caseId"])
    visitor = case["visitor"]
    assert (case["visitorEmail"], visitor["email"], visitor["name"]) == (None, None, None)
    assert visitor["javascriptVariables"] == [{"name": "Company", "value": ""}]


def test_the_button_box_and_chat_follow_the_api_and_the_visitor_across_pages(
    snap: Mocksnap, site: Site, context: Any
) -> None:
    page = open_page(context, site)
    chat_button = page.get_by_role("button", name="Chat with us")
    page.evaluate("SnapEngage.hideButton()")
    assert chat_button.is_hidden()
    page.evaluate("SnapEngage.showButton(); SnapEngage.setButtonEffect('-4px')")
    assert chat_button.is_visible()
    assert chat_button.evaluate("(b) => b.style.bottom") == "12px"
    page.evaluate("SnapEngage.allowChatSound(false); SnapEngage.allowScreenshot(false)")
    page.evaluate("SnapEngage.setChatFormPosition('tl'); SnapEngage.startChat('Welcome to the shop!')")
    assert wait_seen(page, "Open") == [["Open", "online"]]
    frame = page.locator("#designstudio-iframe")
    assert frame.evaluate("(f) => [f.style.top, f.style.left]") == ["16px", "16px"]
    assert frame.evaluate("(f) => f.contentDocument.documentElement.dataset.sound") == "off"
    box(page).get_by_text("Welcome to the shop!").wait_for()
    send(page, "Where are my boots?")
    wait_seen(page, "StartChat")
    case_id = only_case(snap)["caseId"]

    box(page).get_by_role("button", name="Minimize").click()
    box(page).get_by_role("button", name="Maximize").click()
    assert wait_seen(page, "Minimize", 2) == [
        ["Minimize", True, "manual", "chatManual"],
        ["Minimize", False, "manual", "chatManual"],
    ]
    with page.expect_file_chooser() as chooser:
        box(page).get_by_role("button", name="Attach a file").click()
    chooser.value.set_files({"name": "receipt.txt", "mimeType": "text/plain", "buffer": b"order 42"})
    [upload] = snap.wait_for_requests("POST", f"/widget/chats/{case_id}/files")
    assert upload["headers"]["content-type"].startswith("multipart/form-data")
    assert 'name="file"; filename="receipt.txt"' in upload["body"]

    page.goto(f"{site.url}/checkout?widget={SUPPORT_WIDGET}")  # the chat follows the visitor
    page.wait_for_function("window.snapLoaded === true")
    box(page).get_by_text("Where are my boots?").wait_for()
    snap.wait_for_requests("POST", f"/widget/chats/{case_id}/page")
    assert events(snap, "case.page")[-1]["url"] == f"{site.url}/checkout?widget={SUPPORT_WIDGET}"
    page.evaluate("SnapEngage.allowPageChangeNotification(false)")
    page.evaluate("history.pushState({}, '', '/checkout/pay'); SnapEngageChat.reInitProactiveRules()")
    page.evaluate("SnapEngage.allowPageChangeNotification(true)")
    page.evaluate("history.pushState({}, '', '/checkout/done'); SnapEngageChat.reInitProactiveRules()")
    snap.wait_for_requests("POST", f"/widget/chats/{case_id}/page", count=2)
    assert [e["url"] for e in events(snap, "case.page")][-1] == f"{site.url}/checkout/done"
    assert len(events(snap, "case.page")) == 2  # not /checkout/pay: page changes were off then

    page.evaluate("SnapEngage.endChat({closeChatBox: true})")
    assert wait_seen(page, "CHAT_ENDED") == [["CHAT_ENDED", {"endedByUser": True}]]
    page.locator("#designstudio-iframe").wait_for(state="hidden")
    assert case_of(snap, case_id)["endedBy"] == "visitor"

    assert page.evaluate("SnapEngage.switchWidget('')") is False
    page.evaluate(f"SnapEngage.switchWidget('{SALES_WIDGET}', () => window.seen.push(['switched']))")
    wait_seen(page, "switched")
    assert page.evaluate("SnapEngage.getWidgetId()") == SALES_WIDGET
    assert "SnapABug" in page.evaluate("document.cookie")
    page.evaluate("SnapEngage.clearAllCookies()")
    assert "SnapABug" not in page.evaluate("document.cookie")
