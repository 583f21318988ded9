"""Agent Status API (in): POST /api/v2/agentstatus with the raw API token; availability follows at once."""

from __future__ import annotations

import json

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from tests.conftest import API_TOKEN, SAMPLES, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

PATH = "/api/v2/agentstatus"


def post(client: TestClient, body: object, token: str | None = API_TOKEN):
    headers = {"Content-Type": "application/json"} | ({"Authorization": token} if token is not None else {})
    return client.simulate_post(PATH, body=json.dumps(body), headers=headers)


def online(client: TestClient) -> str:
    return client.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers={"x-api-key": VISITOR_KEY}).json[
        "online"
    ]


def test_the_docs_request_sets_the_status_and_availability_follows(client: TestClient, world: World) -> None:
    sample = json.loads((SAMPLES / "agent-status-request.json").read_text())
    for agent in ("sam@example.com", "MICHAEL@example.com"):
        result = post(client, sample | {"agent_id": agent})
        assert (result.status_code, result.content) == (200, b"")
    agent = world.orgs["5406213"].agents["michael@example.com"]
    assert (agent.status, agent.sub_status) == ("pause", "Gone to lunch")
    assert online(client) == "false"
    post(client, {"agent_id": "wc:sam@example.com", "status": "online"})
    assert online(client) == "true"
    assert world.orgs["5406213"].agents["sam@example.com"].sub_status is None


@pytest.mark.parametrize("token", [None, "", "wrong", "Bearer mocksnap-api-token", "mocksnap-visitor-key"])
def test_a_wrong_or_missing_token_is_401(client: TestClient, token: str | None) -> None:
    result = post(client, {"agent_id": "sam@example.com", "status": "pause"}, token)
    assert result.status_code == 401
    assert_valid("api-error", result.json)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"agent_id": "sam@example.com", "status": "offline"}, "status must be one of"),
        ({"agent_id": "sam@example.com", "status": "away"}, "status must be one of"),
        ({"agent_id": "sam@example.com"}, "status is required"),
        ({"status": "online"}, "agent_id is required"),
        ({"agent_id": "nobody@example.com", "status": "online"}, "not an agent of organization 5406213"),
        ({"agent_id": 5, "status": "online"}, "agent_id must be a string"),
        ([], "body must be an object"),
    ],
)
def test_invalid_requests_are_400_with_the_documented_body(
    client: TestClient, world: World, body: object, message: str
) -> None:
    before = world.dump()
    result = post(client, body)
    assert result.status_code == 400
    assert_valid("api-error", result.json)
    assert result.json["code"] == 400
    assert message in result.json["message"]
    assert world.dump() == before


def test_each_change_is_an_agent_status_event(client: TestClient, world: World) -> None:
    post(client, {"agent_id": "sam@example.com", "status": "pause", "sub_status": "Meeting"})
    event = world.events.since(0)[-1].as_dict()
    assert (event["kind"], event["data"]) == (
        "agent.status_changed",
        {"agentId": "sam@example.com", "status": "pause", "subStatus": "Meeting", "previous": "online"},
    )
