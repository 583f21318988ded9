"""The control API of live chats: the clock, scripting the agents' side, agent statuses, the journal."""

from __future__ import annotations

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

KEY = {"x-api-key": VISITOR_KEY}


@pytest.fixture
def case_id(client: TestClient) -> str:
    client.simulate_put("/__admin/autopilot", json={"enabled": False})
    result = client.simulate_post(
        "/api/v1/chat", params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello"}, headers=KEY
    )
    return result.json["caseId"]


def act(client: TestClient, case_id: str, action: str, body: dict, status: int = 200) -> dict:
    result = client.simulate_post(f"/__admin/cases/{case_id}/{action}", json=body)
    assert result.status_code == status, result.text
    assert_valid("admin-case" if status == 200 else "api-error", result.json)
    return result.json


def test_clock_shows_and_advances_a_manual_clock(client: TestClient, case_id: str) -> None:
    clock = client.simulate_get("/__admin/clock").json
    assert_valid("admin-clock", clock)
    assert clock == {
        "now": "2026-11-23T09:30:00.000Z",
        "mode": "manual",
        "speed": 1.0,
        "pendingTimers": 2,  # the chat's queue and inactivity timeouts
        "nextTimerAt": "2026-11-23T09:32:00.000Z",
    }
    advanced = client.simulate_post("/__admin/clock/advance", json={"seconds": 120}).json
    assert_valid("admin-clock", advanced)
    assert (advanced["now"], advanced["timersRun"]) == ("2026-11-23T09:32:00.000Z", 1)
    assert client.simulate_get(f"/__admin/cases/{case_id}").json["endedBy"] == "no_agents_found"


@pytest.mark.parametrize("body", [{}, {"seconds": -1}, {"seconds": "10"}, {"seconds": 10**9}])
def test_advance_refuses_bad_durations(client: TestClient, body: dict) -> None:
    result = client.simulate_post("/__admin/clock/advance", json=body)
    assert result.status_code == 400
    assert_valid("api-error", result.json)


def test_a_scripted_conversation(client: TestClient, world: World, case_id: str) -> None:
    act(client, case_id, "accept", {"agentId": "wc:sam@example.com"})
    client.simulate_post("/__admin/clock/advance", json={"seconds": 3})
    view = act(
        client,
        case_id,
        "messages",
        {"agentId": "sam@example.com", "text": "Hola", "translations": {"en": "Hello"}},
    )
    assert view["entries"][-1] == {
        "index": 4,
        "sender": "AGENT",
        "agentId": "wc:sam@example.com",
        "alias": "Sam",
        "at": 1795426203000,
        "message": "Hola",
        "translations": {"en": "Hello"},
    }
    act(client, case_id, "labels", {"name": "chatType", "value": "new chat"})
    act(client, case_id, "labels", {"name": "chatType", "value": "sales"})
    act(client, case_id, "transfer", {"agentId": "michael@example.com"})
    client.simulate_post("/__admin/clock/advance", json={"seconds": 7})
    view = act(client, case_id, "close", {"endedBy": "agent"})
    view = act(client, case_id, "survey", {"score": 90, "comment": "quick"})
    assert {
        k: view[k] for k in ("state", "agentId", "endedBy", "waitSeconds", "durationSeconds", "labels")
    } == {
        "state": "closed",
        "agentId": "wc:michael@example.com",
        "endedBy": "agent",
        "waitSeconds": 3,  # until the first answer
        "durationSeconds": 10,  # the whole request
        "labels": [{"name": "chatType", "value": "sales"}],
    }
    assert (view["surveyScore"], view["surveyComment"]) == (90, "quick")
    kinds = [e.kind for e in world.events.since(0) if e.kind.startswith("case.")]
    assert kinds == [
        "case.queued", "case.broadcasted", "case.assigned", "case.message", "case.responded",
        "case.labeled", "case.labeled", "case.transferred", "case.closed", "case.surveyed",
    ]  # fmt: skip


def test_transfer_to_another_widget_requeues_the_chat(client: TestClient, world: World, case_id: str) -> None:
    act(client, case_id, "accept", {"agentId": "sam@example.com"})
    view = act(client, case_id, "transfer", {"widgetId": SALES_WIDGET})
    assert (view["widgetId"], view["state"], view["agentId"]) == (SALES_WIDGET, "queued", None)
    assert [
        c["caseId"]
        for c in client.simulate_get("/__admin/cases", params={"widgetId": SALES_WIDGET}).json["cases"]
    ] == [case_id]
    assert world.cases_created(SUPPORT_WIDGET, 0, 2**62) == []
    act(client, case_id, "accept", {"agentId": "charlie@example.com"})


@pytest.mark.parametrize(
    ("action", "body", "message"),
    [
        ("messages", {"agentId": "sam@example.com", "text": "hi"}, "accept it first"),
        ("accept", {"agentId": "charlie@example.com"}, "not an agent of widget"),
        ("accept", {}, "agentId is required"),
        ("transfer", {"agentId": "sam@example.com", "widgetId": SALES_WIDGET}, "body"),
        ("transfer", {"widgetId": SUPPORT_WIDGET}, "already on widget"),
        ("close", {"endedBy": "aliens"}, "endedBy must be one of"),
        ("survey", {"score": 101}, "score must be at most 100"),
        ("typing", {"agentId": "sam@example.com", "typing": True}, "not the agent"),
    ],
)
def test_case_actions_refuse_what_cannot_happen(
    client: TestClient, world: World, case_id: str, action: str, body: dict, message: str
) -> None:
    before = [(e.sender, e.message) for e in world.cases[case_id].entries]
    assert message in act(client, case_id, action, body, 400)["message"]
    assert [(e.sender, e.message) for e in world.cases[case_id].entries] == before
    assert world.cases[case_id].state == "queued"


def test_unknown_cases_and_actions_are_404(client: TestClient, case_id: str) -> None:
    assert client.simulate_get("/__admin/cases/nope").status_code == 404
    assert client.simulate_post(f"/__admin/cases/{case_id}/dance", json={}).status_code == 404
    assert client.simulate_post("/__admin/cases/nope/close", json={}).status_code == 404


def test_agent_status_by_hand_may_set_offline(client: TestClient) -> None:
    path = "/__admin/organizations/5406213/agents/sam@example.com/status"
    result = client.simulate_put(path, json={"status": "offline"})
    assert result.json == {"agentId": "wc:sam@example.com", "status": "offline", "subStatus": None}
    assert_valid("admin-agent-status", result.json)
    assert client.simulate_put(path.replace("5406213", "1"), json={"status": "online"}).status_code == 404
    assert client.simulate_put(path, json={"status": "gone"}).status_code == 400


def test_the_journal_keeps_what_was_called_and_filters_it(client: TestClient, case_id: str) -> None:
    client.simulate_put("/api/v1/chat", params={"caseId": case_id, "messageType": "2"}, headers=KEY)
    client.simulate_post("/api/v2/agentstatus", body='{"agent_id": "x"', headers={"Authorization": "bad"})
    everything = client.simulate_get("/__admin/requests").json
    assert_valid("admin-requests", everything)
    assert [(r["method"], r["path"], r["status"]) for r in everything["requests"]] == [
        ("POST", "/api/v1/chat", 200),
        ("PUT", "/api/v1/chat", 200),
        ("POST", "/api/v2/agentstatus", 401),
    ]
    refused = client.simulate_get("/__admin/requests", params={"path": "/api/v2/*"}).json["requests"]
    assert (
        refused[0]["body"] == '{"agent_id": "x"'
    )  # kept even though the request was refused before reading it
    assert refused[0]["headers"]["authorization"] == "bad"
    assert len(client.simulate_get("/__admin/requests", params={"method": "put"}).json["requests"]) == 1
    assert len(client.simulate_get("/__admin/requests", params={"limit": "1"}).json["requests"]) == 1
    client.simulate_delete("/__admin/requests")
    assert client.simulate_get("/__admin/requests").json == {"requests": []}


def test_reset_brings_the_clock_back_and_forgets_cases(
    client: TestClient, world: World, case_id: str
) -> None:
    client.simulate_post("/__admin/clock/advance", json={"seconds": 3600})
    client.simulate_post("/__admin/reset")
    assert client.simulate_get("/__admin/clock").json["now"] == "2026-11-23T09:30:00.000Z"
    assert world.cases == {}
    assert client.simulate_get("/__admin/requests").json == {"requests": []}
