"""Availability: the public and the Visitor Chat endpoints, and how online is derived."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from falcon.testing import TestClient

from mocksnap.clock import ManualClock
from mocksnap.world import World
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid


def public(client: TestClient, widget_id: str) -> dict:
    result = client.simulate_get(f"/public/api/v2/chat/{widget_id}")
    assert result.status_code == 200
    assert_valid("widget-availability", result.json)
    return result.json


def visitor(client: TestClient, widget_id: str) -> dict:
    result = client.simulate_get(f"/api/v1/chat/{widget_id}", headers={"x-api-key": VISITOR_KEY})
    assert result.status_code == 200
    assert_valid("visitor-chat-availability", result.json)
    return result.json


def test_both_endpoints_show_the_same_string_flags(client: TestClient) -> None:
    flat = visitor(client, SUPPORT_WIDGET)
    assert flat == {
        "widgetId": SUPPORT_WIDGET,
        "online": "true",
        "emailRequired": "false",
        "messageRequired": "false",
        "screenshotRequired": "false",
    }
    assert public(client, SUPPORT_WIDGET) == {"statusCode": 1, "data": flat}
    assert visitor(client, SALES_WIDGET)["emailRequired"] == "true"


@pytest.mark.parametrize(
    ("utc", "online"),
    [
        (datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "true"),  # Monday 10:30 in Berlin
        (datetime(2026, 11, 23, 11, 30, tzinfo=UTC), "false"),  # 12:30, the lunch break
        (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), "true"),  # 13:00
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), "false"),  # 17:00, closed
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "false"),  # Saturday, disabled
        (datetime(2026, 11, 29, 10, 0, tzinfo=UTC), "false"),  # Sunday, no hours
    ],
)
def test_online_follows_the_schedule_in_the_widget_time_zone(
    client: TestClient, clock: ManualClock, utc: datetime, online: str
) -> None:
    clock.set(utc)
    assert visitor(client, SALES_WIDGET)["online"] == online
    assert public(client, SALES_WIDGET)["data"]["online"] == online
    assert visitor(client, SUPPORT_WIDGET)["online"] == "true"  # no schedule: around the clock


def test_online_needs_an_online_agent_not_a_paused_one(client: TestClient, world: World) -> None:
    org = world.orgs["5406213"]
    org.agents["charlie@example.com"].status = "pause"  # dana is paused already
    assert visitor(client, SALES_WIDGET)["online"] == "false"
    org.agents["dana@example.com"].status = "online"
    assert visitor(client, SALES_WIDGET)["online"] == "true"
    for agent in org.agents.values():
        agent.status = "offline"
    assert visitor(client, SUPPORT_WIDGET)["online"] == "false"


def test_online_needs_conversations_enabled(client: TestClient, world: World) -> None:
    world.orgs["5406213"].widgets[SUPPORT_WIDGET].enable_conversations = False
    assert visitor(client, SUPPORT_WIDGET)["online"] == "false"


def test_public_unknown_widget_is_an_error_sent_with_http_200(client: TestClient) -> None:
    assert public(client, "no-such-widget") == {"statusCode": 404, "error": {"message": "Widget not found"}}


@pytest.mark.parametrize(
    "headers", [{}, {"x-api-key": ""}, {"x-api-key": "wrong"}, {"x-api-key": "mocksnap-api-token"}]
)
def test_visitor_endpoint_needs_the_visitor_key(client: TestClient, headers: dict) -> None:
    result = client.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers=headers)
    assert result.status_code == 401
    assert_valid("api-error", result.json)
    assert "x-api-key" in result.json["message"]


def test_visitor_endpoint_unknown_widget_is_404_with_an_empty_body(client: TestClient) -> None:
    result = client.simulate_get("/api/v1/chat/no-such-widget", headers={"x-api-key": VISITOR_KEY})
    assert (result.status_code, result.content) == (404, b"")
    assert "content-type" not in result.headers


def test_a_widget_of_another_organization_is_not_found(client: TestClient, world: World) -> None:
    document = world.dump()
    other = {**document["organizations"][0], "orgId": "77", "apiToken": "t2", "provisioningApiKey": "p2"}
    other |= {"visitorApiKey": "v2", "users": [], "widgets": [], "accountTemplates": []}
    document["organizations"].append(other)
    world.replace(document)
    result = client.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers={"x-api-key": "v2"})
    assert (result.status_code, result.content) == (404, b"")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_in_each_family_shape(client: TestClient, method: str) -> None:
    result = client.simulate_request(method, f"/public/api/v2/chat/{SUPPORT_WIDGET}")
    assert result.status_code == 405
    assert_valid("widget-availability", result.json)
    assert "GET" in result.headers["allow"]
    result = client.simulate_request(
        method, f"/api/v1/chat/{SUPPORT_WIDGET}", headers={"x-api-key": VISITOR_KEY}
    )
    assert result.status_code == 405
    assert_valid("api-error", result.json)
