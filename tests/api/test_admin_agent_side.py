"""The control API's agent-side case actions (capture, unlabel, ban, request, reclaim, hub-signal) and a
widget's agent links: each a world command, refused without a change when it does not hold."""

from __future__ import annotations

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from tests.api.test_admin_chat import act
from tests.conftest import ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

KEY = {"x-api-key": VISITOR_KEY}
SAM, MICHAEL = "sam@example.com", "michael@example.com"


@pytest.fixture
def case_id(client: TestClient) -> str:
    client.simulate_put("/__admin/autopilot", json={"enabled": False})
    result = client.simulate_post(
        "/api/v1/chat",
        params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello", "email": "v@example.com"},
        headers=KEY,
    )
    case_id = result.json["caseId"]
    act(client, case_id, "accept", {"agentId": SAM})
    return case_id


def kinds(world: World, since: int) -> list[tuple[str, dict]]:
    return [(e.kind, e.data) for e in world.events.since(since)]


def test_captures_become_the_visitor_s_details(client: TestClient, world: World, case_id: str) -> None:
    before = world.events.last_seq
    act(client, case_id, "capture", {"agentId": SAM, "field": "name", "value": " Pat Doe "})
    act(client, case_id, "capture", {"agentId": SAM, "field": "phone", "value": "not checked"})
    act(client, case_id, "capture", {"agentId": SAM, "field": "email", "value": "Pat@Example.com"})
    visitor = world.case(case_id).visitor
    assert (visitor.name, visitor.phone, visitor.email) == ("Pat Doe", "not checked", "pat@example.com")
    assert [data["field"] for kind, data in kinds(world, before) if kind == "case.captured"] == [
        "name",
        "phone",
        "email",
    ]
    bad = act(client, case_id, "capture", {"agentId": SAM, "field": "email", "value": "nope"}, 400)
    assert "not an email address" in bad["message"]
    act(client, case_id, "capture", {"agentId": MICHAEL, "field": "name", "value": "X"}, 400)
    assert world.case(case_id).visitor.name == "Pat Doe"


def test_a_label_comes_off(client: TestClient, case_id: str) -> None:
    act(client, case_id, "labels", {"name": "topic", "value": "billing"})
    act(client, case_id, "labels", {"name": "tier", "value": "gold"})
    view = act(client, case_id, "unlabel", {"name": "topic"})
    assert view["labels"] == [{"name": "tier", "value": "gold"}]
    act(client, case_id, "unlabel", {"name": "topic"}, 400)


def test_requests_are_events_of_the_agent_s_chat(client: TestClient, world: World, case_id: str) -> None:
    before = world.events.last_seq
    act(client, case_id, "request", {"agentId": SAM, "what": "file"})
    act(client, case_id, "request", {"agentId": SAM, "what": "secure_data", "secureDataType": "SSN"})
    requested = [data for kind, data in kinds(world, before) if kind == "case.requested"]
    assert [(d["what"], d.get("secureDataType")) for d in requested] == [
        ("file", None),
        ("secure_data", "SSN"),
    ]
    act(client, case_id, "request", {"agentId": SAM, "what": "secure_data"}, 400)
    act(client, case_id, "request", {"agentId": MICHAEL, "what": "file"}, 400)


def test_ban_by_ip_ends_the_chat(client: TestClient, world: World, case_id: str) -> None:
    view = act(client, case_id, "ban", {"by": "IP"})
    assert (view["state"], view["endedBy"]) == ("closed", "agent")
    assert list(world.orgs[ORG_ID].bans.values()) == [None]  # an IP address is banned for good


def test_reclaim_takes_a_transferred_chat_back(client: TestClient, world: World, case_id: str) -> None:
    act(client, case_id, "reclaim", {"agentId": SAM}, 400)  # it is Sam's already
    act(client, case_id, "reclaim", {"agentId": MICHAEL}, 400)  # Michael never had it
    act(client, case_id, "transfer", {"agentId": MICHAEL})
    view = act(client, case_id, "reclaim", {"agentId": SAM})
    assert view["agentId"] == "wc:" + SAM
    transferred = [data for kind, data in kinds(world, 0) if kind == "case.transferred"]
    assert transferred[-1]["reclaimed"] is True
    assert transferred[-1]["fromAgentId"] == MICHAEL


def test_reclaim_brings_a_chat_back_from_another_widget(client: TestClient, world: World) -> None:
    client.simulate_put("/__admin/autopilot", json={"enabled": False})
    started = client.simulate_post(
        "/api/v1/chat",
        params={"widgetId": SALES_WIDGET, "visitorMessage": "hi", "email": "v@example.com"},
        headers=KEY,
    ).json["caseId"]
    act(client, started, "accept", {"agentId": "charlie@example.com"})
    act(client, started, "transfer", {"widgetId": SUPPORT_WIDGET})
    assert world.case(started).state == "queued"
    view = act(client, started, "reclaim", {"agentId": "charlie@example.com"})
    assert (view["widgetId"], view["state"]) == (SALES_WIDGET, "assigned")


def test_hub_signals_are_checked_against_their_event_schema(
    client: TestClient, world: World, case_id: str
) -> None:
    weather = {"temperature_celsius": 21.5, "temperature_fahrenheit": 70.7, "description": "sunny"}
    before = world.events.last_seq
    act(client, case_id, "hub-signal", {"type": "weather_info_captured", "data": weather})
    act(client, case_id, "hub-signal", {"type": "auto_translate_enabled"})
    signals = [data for kind, data in kinds(world, before) if kind == "case.hub_signal"]
    assert [(s["type"], s["data"]) for s in signals] == [
        ("weather_info_captured", weather),
        ("auto_translate_enabled", None),
    ]
    act(client, case_id, "hub-signal", {"type": "weather_info_captured", "data": {"description": 1}}, 400)
    act(client, case_id, "hub-signal", {"type": "ignore", "data": {"x": 1}}, 400)
    act(client, case_id, "hub-signal", {"type": "name_captured", "data": {"name": "x"}}, 400)
    assert world.events.last_seq == before + 2


def test_agent_links_are_set_read_and_dumped(client: TestClient, world: World) -> None:
    path = f"/__admin/widgets/{SUPPORT_WIDGET}/agent-links"
    assert client.simulate_get(path).json == []
    links = [
        {"url": "http://127.0.0.1:9/app.html", "persistent": True},
        {"url": "https://x.example/", "persistent": False},
    ]
    put = client.simulate_put(path, json=links)
    assert (put.status_code, put.json) == (200, links)
    assert client.simulate_get(path).json == links
    widget_doc = next(w for w in world.dump()["organizations"][0]["widgets"] if w["uuid"] == SUPPORT_WIDGET)
    assert widget_doc["agentLinks"] == links
    assert_valid("world", world.dump())
    for bad in ([{"url": "ftp://x", "persistent": True}], [{"url": "http://x"}], {"url": "http://x"}):
        refused = client.simulate_put(path, json=bad)
        assert refused.status_code == 400, bad
        assert_valid("api-error", refused.json)
    assert client.simulate_get(path).json == links
    assert client.simulate_get("/__admin/widgets/nope/agent-links").status_code == 404
