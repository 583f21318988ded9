"""Outbound subscriptions: in the world document and through the control API, checked like the rest."""

from __future__ import annotations

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from tests.conftest import SUPPORT_WIDGET, assert_valid, default_document

SUBSCRIPTIONS = {
    "integrationApi": {"url": "http://127.0.0.1:9/hooks/case", "authToken": "secret", "format": "xml"},
    "conversationEvents": {"url": "http://127.0.0.1:9/hooks/events", "events": ["caseQueued", "caseClosed"]},
    "getContact": {"url": "https://crm.example.com/segetcontact", "systemName": "CRM"},
}
PATH = f"/__admin/widgets/{SUPPORT_WIDGET}/integrations"
WEBHOOK = "/__admin/organizations/5406213/agent-status-webhook"


def test_widget_integrations_are_read_and_replaced(client: TestClient, world: World) -> None:
    assert client.simulate_get(PATH).json == {}
    assert client.simulate_put(PATH, json=SUBSCRIPTIONS).json == SUBSCRIPTIONS
    assert client.simulate_get(PATH).json == SUBSCRIPTIONS
    dumped = world.dump()
    assert_valid("world", dumped)
    assert dumped["organizations"][0]["widgets"][0]["integrations"] == SUBSCRIPTIONS
    assert World(dumped, world.clock).dump() == dumped
    assert client.simulate_put(PATH, json={}).json == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"integrationApi": {"url": "ftp://x"}}, "integrationApi.url must be an http:// or https:// URL"),
        ({"integrationApi": {"url": "http://x", "format": "csv"}}, "integrationApi.format must be one of"),
        ({"conversationEvents": {"url": "http://x", "events": ["caseExploded"]}}, "events[0] must be one of"),
        ({"conversationEvents": {"url": "http://x"}}, "conversationEvents.events is required"),
        ({"slack": {}}, "unknown properties: slack"),
    ],
)
def test_invalid_integrations_are_400_and_change_nothing(
    client: TestClient, world: World, body: dict, message: str
) -> None:
    client.simulate_put(PATH, json=SUBSCRIPTIONS)
    before = world.dump()
    result = client.simulate_put(PATH, json=body)
    assert result.status_code == 400
    assert_valid("api-error", result.json)
    assert message in result.json["message"]
    assert world.dump() == before


def test_unknown_widget_is_404(client: TestClient) -> None:
    assert client.simulate_get("/__admin/widgets/nope/integrations").status_code == 404
    assert client.simulate_put("/__admin/widgets/nope/integrations", json={}).status_code == 404


def test_the_agent_status_webhook_is_set_read_and_removed(client: TestClient, world: World) -> None:
    assert client.simulate_get(WEBHOOK).status_code == 404
    hook = {"url": "http://127.0.0.1:9/hooks/agents", "authToken": "t"}
    assert client.simulate_put(WEBHOOK, json=hook).json == hook
    assert client.simulate_get(WEBHOOK).json == hook
    assert world.dump()["organizations"][0]["agentStatusWebhook"] == hook
    assert client.simulate_put(WEBHOOK, json={"authToken": "t"}).status_code == 400
    assert client.simulate_delete(WEBHOOK).status_code == 204
    assert "agentStatusWebhook" not in world.dump()["organizations"][0]
    assert client.simulate_put("/__admin/organizations/1/agent-status-webhook", json=hook).status_code == 404


def test_subscriptions_load_from_the_world_document(clock) -> None:
    document = default_document()
    document["organizations"][0]["widgets"][1]["integrations"] = SUBSCRIPTIONS
    document["organizations"][0]["agentStatusWebhook"] = {"url": "https://hooks.example.com/agents"}
    world = World(document, clock)
    assert world.dump() == document
