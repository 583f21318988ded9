"""The agent Hub's endpoints over a world: the agent's view, the Hub SDK events its apps get for what happens
(every one checked against hub-sdk-event.schema.json), and what the Hub does with each message an app posts
(checked against hub-sdk-message.schema.json; a bad one listed in /__admin/violations)."""

from __future__ import annotations

from typing import Any

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from mocksnap.world.agent_side import HUB_SIGNALS
from tests.conftest import ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

KEY = {"x-api-key": VISITOR_KEY}
SAM, MICHAEL = "sam@example.com", "michael@example.com"
HUB = f"/__admin/hub/{SAM}"
LINK = "http://127.0.0.1:9/app.html"


def start(client: TestClient, message: str = "Where is my order?", widget: str = SUPPORT_WIDGET) -> str:
    params = {"widgetId": widget, "visitorMessage": message, "email": "v@example.com"}
    started = client.simulate_post("/api/v1/chat", params=params, headers=KEY)
    assert started.status_code == 200, started.text
    return started.json["caseId"]


def act(client: TestClient, case_id: str, action: str, body: dict[str, Any]) -> None:
    done = client.simulate_post(f"/__admin/cases/{case_id}/{action}", json=body)
    assert done.status_code == 200, done.text


def state(client: TestClient, agent: str = SAM) -> dict[str, Any]:
    found = client.simulate_get(f"/__admin/hub/{agent}")
    assert found.status_code == 200, found.text
    assert_valid("hub-state", found.json)
    return found.json


def sdk_events(client: TestClient, after: int, agent: str = SAM) -> list[dict[str, Any]]:
    found = client.simulate_get(f"/__admin/hub/{agent}/sdk-events", params={"after": after})
    assert found.status_code == 200, found.text
    assert_valid("hub-sdk-events", found.json)
    for item in found.json["events"]:
        assert_valid("hub-sdk-event", item["event"])
    return [item["event"] for item in found.json["events"]]


def post(client: TestClient, message: Any, status: int = 200, agent: str = SAM) -> dict[str, Any]:
    answer = client.simulate_post(f"/__admin/hub/{agent}/messages", json={"message": message, "link": LINK})
    assert answer.status_code == status, answer.text
    assert_valid("hub-app-message-result" if status == 200 else "api-error", answer.json)
    return answer.json


@pytest.fixture(autouse=True)
def _no_autopilot(client: TestClient) -> None:
    client.simulate_put("/__admin/autopilot", json={"enabled": False})


def test_the_page_signs_in_as_a_human_agent_of_the_world(client: TestClient) -> None:
    page = client.simulate_get("/hub", params={"agent": "wc:Sam@example.com"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/static/hub.js" in page.text
    assert client.simulate_get("/hub", params={"agent": "nobody@example.com"}).status_code == 404
    assert client.simulate_get("/hub").status_code == 404
    assert client.simulate_get("/static/hub.js").status_code == 200


def test_the_view_offers_queued_chats_to_online_agents_only(client: TestClient, world: World) -> None:
    case_id = start(client)
    view = state(client)
    assert view["agent"] == {
        "agentId": "wc:" + SAM,
        "email": SAM,
        "alias": "Sam",
        "status": "online",
        "subStatus": None,
    }
    assert [chat["caseId"] for chat in view["offered"]] == [case_id]
    assert view["offered"][0]["visitor"]["email"] == "v@example.com"
    assert [w["widgetId"] for w in view["widgets"]] == [SUPPORT_WIDGET]
    assert {c["agentId"] for c in view["colleagues"]} == {"wc:" + MICHAEL}
    assert view["signals"] == list(HUB_SIGNALS)
    client.simulate_put(f"/__admin/organizations/{ORG_ID}/agents/{SAM}/status", json={"status": "pause"})
    assert state(client)["offered"] == []
    client.simulate_put(f"/__admin/organizations/{ORG_ID}/agents/{SAM}/status", json={"status": "online"})
    act(client, case_id, "accept", {"agentId": SAM})
    view = state(client)
    assert (view["offered"], [c["caseId"] for c in view["chats"]]) == ([], [case_id])
    act(client, case_id, "transfer", {"agentId": MICHAEL})
    assert [c["caseId"] for c in state(client)["handedOn"]] == [case_id]


def test_every_event_the_world_produces_reaches_the_agent_s_apps(client: TestClient, world: World) -> None:
    first = world.events.last_seq
    case_id = start(client, "Hello there")
    case = world.case(case_id)
    act(client, case_id, "accept", {"agentId": SAM})
    world.visitor_typing(case, True)
    world.visitor_message(case, "My order is late")
    world.visitor_page(case, "https://shop.example.com/orders")
    act(client, case_id, "messages", {"agentId": SAM, "text": "Let me check"})
    for field, value in (("name", "Pat"), ("phone", "555 0100"), ("email", "pat@example.com")):
        act(client, case_id, "capture", {"agentId": SAM, "field": field, "value": value})
    act(client, case_id, "request", {"agentId": SAM, "what": "file"})
    act(client, case_id, "request", {"agentId": SAM, "what": "secure_data", "secureDataType": "Credit Card"})
    act(client, case_id, "transfer", {"agentId": MICHAEL})
    act(client, case_id, "reclaim", {"agentId": SAM})
    for signal in HUB_SIGNALS:
        data = {
            "weather_info_captured": {
                "temperature_celsius": 20,
                "temperature_fahrenheit": 68,
                "description": "Cloudy",
            },
            "widget_changed": {"changed_widget": "Sales"},
        }.get(signal)
        act(client, case_id, "hub-signal", {"type": signal, **({"data": data} if data else {})})
    act(client, case_id, "close", {"endedBy": "visitor"})
    second = start(client, "Again")
    act(client, second, "accept", {"agentId": SAM})
    act(client, second, "ban", {"by": "cookie"})

    events = sdk_events(client, first)
    assert [(e["type"], e["conversationId"]) for e in events] == [
        ("conversation_started", case_id),
        ("visitor_typing", case_id),
        ("visitor_message_received", case_id),
        ("visitor_page_update", case_id),
        ("agent_message_received", case_id),
        ("name_captured", case_id),
        ("phone_captured", case_id),
        ("email_captured", case_id),
        ("request_file", case_id),
        ("request_secure_data", case_id),
        ("reclaim_transfer_request", case_id),
        *((signal, case_id) for signal in HUB_SIGNALS),
        ("conversation_closed_by_visitor", case_id),
        ("conversation_started", second),
        ("ban_user", second),
    ]
    assert len({e["type"] for e in events}) == 22
    by_type = {e["type"]: e for e in events if e["conversationId"] == case_id}
    assert by_type["conversation_started"] == {
        "type": "conversation_started",
        "conversationId": case_id,
        "agentEmail": SAM,
        "data": {"type": "text", "text": "Hello there"},
    }
    assert by_type["visitor_message_received"]["data"] == {"type": "text", "text": "My order is late"}
    assert by_type["visitor_page_update"]["data"] == {"page": "https://shop.example.com/orders"}
    assert by_type["email_captured"]["data"] == {"email": "pat@example.com", "phone": "pat@example.com"}
    assert by_type["request_secure_data"]["data"] == {"secure_data_type": "Credit Card"}
    assert by_type["conversation_closed_by_visitor"] == {
        "type": "conversation_closed_by_visitor",
        "conversationId": case_id,
    }
    # Michael's Hub saw the chat only while it was his.
    assert [e["type"] for e in sdk_events(client, first, MICHAEL)] == ["conversation_started"]


def test_sdk_events_read_a_span_of_the_log(client: TestClient, world: World) -> None:
    first = world.events.last_seq
    case_id = start(client)
    act(client, case_id, "accept", {"agentId": SAM})
    span = client.simulate_get(f"{HUB}/sdk-events", params={"after": first, "upto": first + 1}).json
    assert span == {"events": [], "upto": first + 1}
    rest = client.simulate_get(f"{HUB}/sdk-events", params={"after": span["upto"]}).json
    assert [item["event"]["type"] for item in rest["events"]] == ["conversation_started"]
    assert rest["events"][0]["widgetId"] == SUPPORT_WIDGET
    assert rest["upto"] == world.events.last_seq
    assert client.simulate_get(f"{HUB}/sdk-events").status_code == 400


@pytest.fixture
def chat(client: TestClient) -> str:
    case_id = start(client)
    act(client, case_id, "accept", {"agentId": SAM})
    return case_id


def message(kind: str, case_id: str, data: Any = None, agent: str = SAM) -> dict[str, Any]:
    return {
        "type": kind,
        "conversationId": case_id,
        "agent": agent,
        **({"data": data} if data is not None else {}),
    }


def test_each_app_message_acts_on_the_world(client: TestClient, world: World, chat: str) -> None:
    case = world.case(chat)
    post(client, message("agent_message_received", chat, {"text": "From the app"}))
    post(client, message("agent_message_received", chat, {"message": "The intro's form"}))
    assert [e.message for e in case.entries if e.sender == "AGENT"] == ["From the app", "The intro's form"]
    label = {"labelName": "topic", "freeForm": True, "value": "billing"}
    assert post(client, message("label_added", chat, label))["action"] == "labels"
    assert case.labels == [("topic", "billing")]
    post(client, message("label_removed", chat, label))
    assert not case.labels
    before = world.events.last_seq
    post(client, message("request_file", chat))
    post(client, message("request_secure_data", chat, {"secure_data_type": "SSN"}))
    assert [e.kind for e in world.events.since(before)] == ["case.requested", "case.requested"]
    populated = post(client, message("populate_text", chat, {"message": "Draft"}))
    assert populated == {"type": "populate_text", "conversationId": chat, "populate": "Draft"}
    post(client, message("transfer_request", chat, {"widgetId": SUPPORT_WIDGET}), 400)  # its own widget
    act(client, chat, "transfer", {"agentId": MICHAEL})
    post(client, message("agent_message_received", chat, {"text": "not mine now"}), 409)
    post(client, message("reclaim_transfer_request", chat))
    assert case.agent_id == SAM
    post(client, message("conversation_closed_by_agent", chat))
    assert (case.state, case.ended_by) == ("closed", "agent")
    post(client, message("conversation_closed_by_agent", chat), 409)


def test_an_app_transfers_and_bans(client: TestClient, world: World, chat: str) -> None:
    post(client, message("transfer_request", chat, {"widgetId": SALES_WIDGET}))
    assert world.case(chat).widget_id == SALES_WIDGET
    other = start(client)
    act(client, other, "accept", {"agentId": SAM})
    post(client, message("ban_user", other, {"type": "IP"}))
    assert world.case(other).state == "closed"
    assert list(world.orgs[ORG_ID].bans.values()) == [None]


def test_bad_messages_are_refused_and_listed(client: TestClient, world: World, chat: str) -> None:
    before = world.events.last_seq
    bad = [
        message("agent_message_received", chat, {"words": "hi"}),
        message("label_added", chat, {"labelName": "topic", "value": "x"}),  # freeForm left out
        message("ban_user", chat, {"type": "mac"}),
        {"type": "agent_message_received", "conversationId": chat, "data": {"text": "who?"}},  # no agent
        {"type": "dance", "conversationId": chat, "agent": SAM},
        "not an object",
    ]
    for item in bad:
        post(client, item, 400)
    violations = client.simulate_get("/__admin/violations").json["violations"]
    assert [v["payload"] for v in violations] == bad
    assert violations[0]["schema"] == "hub-sdk-message#/$defs/agent_message_received"
    assert all(v["errors"] for v in violations)
    assert world.events.last_seq == before


def test_only_the_agent_s_ongoing_conversations(client: TestClient, world: World, chat: str) -> None:
    queued = start(client)
    post(client, message("agent_message_received", queued, {"text": "x"}), 409)  # offered, not taken
    post(client, message("agent_message_received", chat, {"text": "x"}, agent=MICHAEL), 400)
    post(client, message("agent_message_received", "nope", {"text": "x"}), 404)
    michael = post(client, message("agent_message_received", chat, {"text": "x"}, MICHAEL), 409, MICHAEL)
    assert "not an ongoing conversation of michael@example.com" in michael["message"]
    assert (
        client.simulate_post("/__admin/hub/nobody/messages", json={"message": {}, "link": LINK}).status_code
        == 404
    )
    assert client.simulate_post(f"{HUB}/messages", json={"link": LINK}).status_code == 400
