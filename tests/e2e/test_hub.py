"""The agent Hub in a real browser, over a real server, with a Hub SDK app served from another origin (a
second local port) as the support widget's persistent agent link: the app gets every event the world
produces there (each one valid against hub-sdk-event.schema.json), and each of its messages acts on the world
(the visitor's poll, the Integration API, the Logs API see it), refused when it is not about the agent's
ongoing chat or breaks its schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from mocksnap.testing import MocksnapServer, WebhookSink
from mocksnap.world.agent_side import HUB_SIGNALS
from tests.conftest import API_TOKEN, ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.e2e.conftest import Site

VISITOR = {"x-api-key": VISITOR_KEY}
SAM = "sam@example.com"
APP_FOLDER = Path(__file__).parent / "hub_app"
# Every Hub SDK event: the world produces each of them (the widget reports the visitor's page changes).
FROM_THE_WORLD = 22


@pytest.fixture(scope="module")
def app_origin() -> Iterator[str]:
    """The integrator's app, served from an origin of its own."""
    site = Site()
    site.pages["/app.html"] = (APP_FOLDER / "app.html").read_text(encoding="utf-8")
    yield site.url
    site.close()


def start_chat(server: MocksnapServer, message: str, email: str) -> str:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "email": email, "visitorMessage": message})
    started = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert started.status == 200, started.body
    return started.json()["caseId"]


def ok(answer: Any) -> Any:
    assert 200 <= answer.status < 300, answer.body
    return answer.json() if answer.body else None


class App:
    """The app's frame inside the Hub: what it received, and messages it posts."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def send(self, kind: str, case_id: str, data: Any = None) -> None:
        message = {"type": kind, "conversationId": case_id, "agent": SAM}
        if data is not None:
            message["data"] = data
        self.frame.evaluate("(message) => window.send(message)", message)

    def post_raw(self, message: Any) -> None:
        self.frame.evaluate("(message) => window.send(message)", message)

    def wait_for(self, kind: str, case_id: str) -> dict[str, Any]:
        """The first event of that type about that chat, once the app has it."""
        self.frame.wait_for_function(
            "([kind, id]) => window.received.some((e) => e.type === kind && e.conversationId === id)",
            arg=[kind, case_id],
            timeout=5000,
        )
        return next(e for e in self.received() if e["type"] == kind and e["conversationId"] == case_id)

    def received(self) -> list[dict[str, Any]]:
        return self.frame.evaluate("window.received")


def accept_in_hub(page: Any, case_id: str) -> None:
    page.locator(f'#offered li[data-case="{case_id}"] button.accept').click()
    expect(page.locator(f'#chats li[data-case="{case_id}"]')).to_be_visible()


def send_in_hub(page: Any, text: str) -> None:
    page.locator("#composer").fill(text)
    page.locator("#send").click()
    expect(page.locator("#composer")).to_have_value("")


@pytest.fixture
def hub(server: MocksnapServer, page: Any, app_origin: str) -> tuple[Any, App, str]:
    """Sam's Hub with the app open: the support widget's persistent agent link (and a link that is not
    persistent, which opens no iframe); the simulated agents off, so that Sam takes the chats."""
    ok(server.request("PUT", "/__admin/autopilot", body={"enabled": False}))
    link = f"{app_origin}/app.html?hub={server.base_url}"
    links = [{"url": link, "persistent": True}, {"url": f"{app_origin}/other.html", "persistent": False}]
    ok(server.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/agent-links", body=links))
    page.goto(f"{server.base_url}/hub?agent={SAM}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#apps iframe")).to_have_count(1)
    frame = page.locator(f'iframe[data-link="{link}"]').element_handle().content_frame()
    frame.wait_for_function("Array.isArray(window.received)")
    return page, App(frame), link


def test_the_app_gets_every_event_and_its_messages_act_on_the_world(
    server: MocksnapServer, hub: tuple[Any, App, str]
) -> None:
    page, app, link = hub
    with WebhookSink() as sink:
        integration = {"integrationApi": {"url": f"{sink.url}/case", "authToken": "t", "format": "json"}}
        ok(server.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/integrations", body=integration))
        case_id = start_chat(server, "Hello from the visitor", "first@example.com")

        # The agent takes the chat in the Hub: the app learns of it, with the visitor's first line.
        accept_in_hub(page, case_id)
        started = app.wait_for("conversation_started", case_id)
        assert started == {
            "type": "conversation_started",
            "conversationId": case_id,
            "agentEmail": SAM,
            "data": {"type": "text", "text": "Hello from the visitor"},
        }

        # The visitor types and writes (Visitor Chat API); the Hub shows it live.
        ok(server.request("GET", f"/api/v1/chat/poll/{case_id}?index=0&isTyping=true", headers=VISITOR))
        expect(page.locator("#typing")).to_be_visible()
        app.wait_for("visitor_typing", case_id)
        # The visitor moves to another page of the site: the widget reports it, as its script does.
        moved = server.request(
            "POST", f"/widget/chats/{case_id}/page", body={"url": "https://shop.example/cart"}
        )
        ok(moved)
        assert app.wait_for("visitor_page_update", case_id)["data"] is not None
        query = urlencode({"caseId": case_id, "messageType": "1", "messageBody": "My parcel is late"})
        ok(server.request("PUT", f"/api/v1/chat?{query}", headers=VISITOR))
        expect(page.locator("#transcript")).to_contain_text("My parcel is late")
        assert app.wait_for("visitor_message_received", case_id)["data"]["text"] == "My parcel is late"

        # The agent replies and uses the slash commands.
        send_in_hub(page, "Let me look")
        assert app.wait_for("agent_message_received", case_id)["data"]["text"] == "Let me look"
        for line, kind in (
            ("/name=Pat Doe", "name_captured"),
            ("/phone=555 0100", "phone_captured"),
            ("/email=pat@example.com", "email_captured"),
        ):
            send_in_hub(page, line)
            app.wait_for(kind, case_id)
        expect(page.locator('#visitor [data-field="name"]')).to_contain_text("Pat Doe")

        # The app's messages act on the world.
        app.send("agent_message_received", case_id, {"message": "Hi from the app"})
        poll = ok(server.request("GET", f"/api/v1/chat/poll/{case_id}?index=0", headers=VISITOR))
        expect(page.locator("#transcript")).to_contain_text("Hi from the app")
        poll = ok(server.request("GET", f"/api/v1/chat/poll/{case_id}?index=0", headers=VISITOR))
        assert "Hi from the app" in [line["text"].strip() for line in poll["messageList"]]
        label = {"labelName": "topic", "freeForm": True, "value": "billing"}
        app.send("label_added", case_id, label)
        app.send("label_added", case_id, {"labelName": "tier", "freeForm": False, "value": "gold"})
        expect(page.locator("#labels")).to_contain_text("tier=gold")
        app.send("label_removed", case_id, {"labelName": "tier", "freeForm": False, "value": "gold"})
        expect(page.locator('#labels [data-label="tier"]')).to_have_count(0)
        app.send("request_file", case_id)
        app.wait_for("request_file", case_id)
        app.send("request_secure_data", case_id, {"secure_data_type": "SSN"})
        assert app.wait_for("request_secure_data", case_id)["data"] == {"secure_data_type": "SSN"}
        app.send("populate_text", case_id, {"message": "Draft from the app"})
        expect(page.locator("#composer")).to_have_value("Draft from the app")

        # The events nothing in the world produces: from the Hub's menu, and from the control API.
        for signal in HUB_SIGNALS[:-1]:
            page.locator("#signal-type").select_option(signal)
            page.locator("#signal").click()
            app.wait_for(signal, case_id)
        weather = next(e for e in app.received() if e["type"] == "weather_info_captured")
        assert set(weather["data"]) == {"temperature_celsius", "temperature_fahrenheit", "description"}
        last = {"type": HUB_SIGNALS[-1]}
        ok(server.request("POST", f"/__admin/cases/{case_id}/hub-signal", body=last))
        app.wait_for(HUB_SIGNALS[-1], case_id)

        # Handed to Michael in the Hub, then reclaimed by the app.
        page.locator("#transfer-to").select_option("agent:wc:michael@example.com")
        page.locator("#transfer").click()
        expect(page.locator(f'#handed-on li[data-case="{case_id}"]')).to_be_visible()
        app.send("reclaim_transfer_request", case_id)
        app.wait_for("reclaim_transfer_request", case_id)
        expect(page.locator(f'#chats li[data-case="{case_id}"]')).to_be_visible()

        # A chat that is not Sam's, and a message that breaks its schema: refused, and shown as such.
        queued = start_chat(server, "Someone else's", "second@example.com")
        app.send("agent_message_received", queued, {"text": "not mine"})
        refused = page.locator("#timeline li.from.refused")
        expect(refused.first).to_contain_text("not an ongoing conversation")
        app.post_raw({"type": "label_added", "conversationId": case_id, "agent": SAM, "data": {"x": 1}})
        expect(refused).to_have_count(2)
        violations = ok(server.request("GET", "/__admin/violations"))["violations"]
        assert [v["schema"] for v in violations] == ["hub-sdk-message#/$defs/label_added"]
        assert violations[0]["kind"] == f"hub app message from {link}"

        # The visitor ends the chat: the Integration API's transcript has the app's line, the Logs API its
        # label.
        query = urlencode({"caseId": case_id, "messageType": "2"})
        ok(server.request("PUT", f"/api/v1/chat?{query}", headers=VISITOR))
        assert app.wait_for("conversation_closed_by_visitor", case_id) == {
            "type": "conversation_closed_by_visitor",
            "conversationId": case_id,
        }
        [posted] = sink.wait_for(1, path="/case")
        assert "Hi from the app" in [line["message"] for line in posted.json["transcripts"]]
        logs = ok(
            server.request(
                "GET",
                f"/api/v2/{ORG_ID}/logs?widgetId={SUPPORT_WIDGET}&start=2026-11-23&end=2026-11-23",
                headers={"Authorization": API_TOKEN},
            )
        )
        [record] = [c for c in logs["cases"] if c["id"] == case_id]
        assert {"name": "topic", "value": "billing"} in record["labels"]

    # Three more chats: the app bans one visitor, transfers a chat to the sales widget, closes another.
    banned, moved, closed = (start_chat(server, f"Chat {n}", f"visitor{n}@example.com") for n in range(3, 6))
    ok(server.request("POST", f"/__admin/cases/{queued}/close", body={"endedBy": "agent"}))
    for case in (banned, moved, closed):
        accept_in_hub(page, case)
        app.wait_for("conversation_started", case)
    app.send("ban_user", banned, {"type": "cookie"})
    app.wait_for("ban_user", banned)
    app.send("transfer_request", moved, {"widgetId": SALES_WIDGET})
    app.send("conversation_closed_by_agent", closed)
    expect(page.locator("#chats li")).to_have_count(0)
    assert ok(server.request("GET", f"/__admin/cases/{moved}"))["widgetId"] == SALES_WIDGET
    assert ok(server.request("GET", f"/__admin/cases/{closed}"))["endedBy"] == "agent"
    again = urlencode({"widgetId": SUPPORT_WIDGET, "email": "visitor3@example.com", "visitorMessage": "x"})
    assert server.request("POST", f"/api/v1/chat?{again}", headers=VISITOR).status == 400

    received = app.received()
    for event in received:
        assert_valid("hub-sdk-event", event)
    assert len({event["type"] for event in received}) == FROM_THE_WORLD
    assert app.frame.evaluate("window.ignored") == 0
    timeline = page.locator("#timeline li")
    expect(timeline.filter(has_text="← ")).to_have_count(13)  # every message the app posted
    assert timeline.filter(has_text="→ ").count() == len(received)


def test_the_agent_pauses_and_works_chats_from_the_hub(server: MocksnapServer, page: Any) -> None:
    ok(server.request("PUT", "/__admin/autopilot", body={"enabled": False}))
    page.goto(f"{server.base_url}/hub?agent=wc:{SAM}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#apps iframe")).to_have_count(0)  # no agent links, no apps

    # Paused, Sam is offered nothing; online again, the queued chat is offered.
    page.locator("#status").select_option("pause")
    page.locator("#substatus").fill("Gone to lunch")
    page.locator("#set-status").click()
    expect(page.locator("#who")).to_contain_text("pause (Gone to lunch)")
    agents = ok(server.request("GET", "/__admin/world"))["organizations"][0]["widgets"][0]["agents"]
    assert {"status": "pause", "subStatus": "Gone to lunch"}.items() <= agents[0].items()
    first = start_chat(server, "Anybody?", "a@example.com")
    expect(page.locator("#offered li")).to_have_count(0)
    page.locator("#status").select_option("online")
    page.locator("#substatus").fill("")
    page.locator("#set-status").click()
    expect(page.locator(f'#offered li[data-case="{first}"]')).to_be_visible()

    # Accept, label, then transfer to the sales widget's queue.
    accept_in_hub(page, first)
    page.locator("#label-name").fill("topic")
    page.locator("#label-value").fill("sales")
    page.locator("#add-label").click()
    expect(page.locator('#labels [data-label="topic"]')).to_contain_text("topic=sales")
    page.locator("#transfer-to").select_option(f"widget:{SALES_WIDGET}")
    page.locator("#transfer").click()
    expect(page.locator(f'#handed-on li[data-case="{first}"]')).to_be_visible()
    moved = ok(server.request("GET", f"/__admin/cases/{first}"))
    assert (moved["widgetId"], moved["labels"]) == (SALES_WIDGET, [{"name": "topic", "value": "sales"}])

    # Another chat: the visitor is banned by IP with /banip; a third is closed with the button.
    second = start_chat(server, "Spam", "b@example.com")
    accept_in_hub(page, second)
    send_in_hub(page, "/banip")
    expect(page.locator("#visitor")).to_contain_text("closed (ended by agent)")
    assert server.request("POST", "/api/v1/chat?widgetId=" + SUPPORT_WIDGET, headers=VISITOR).status == 400
    ok(server.request("POST", "/__admin/reset"))
    expect(page.locator("#chats li")).to_have_count(0)
    third = start_chat(server, "Bye soon", "c@example.com")
    ok(server.request("PUT", "/__admin/autopilot", body={"enabled": False}))
    accept_in_hub(page, third)
    page.locator("#close").click()
    expect(page.locator("#visitor")).to_contain_text("closed (ended by agent)")
    assert ok(server.request("GET", f"/__admin/cases/{third}"))["endedBy"] == "agent"
