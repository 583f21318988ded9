"""GET /__admin/stats, the wallboard's figures, over a world on a manual clock; and --public-url, which points
the cases' links at mocksnap's own case page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from falcon.testing import TestClient

from mocksnap.app import create_app
from mocksnap.clock import ManualClock
from mocksnap.config import Config, parse_public_url
from mocksnap.webhooks.payloads import integration_json
from mocksnap.world import World
from mocksnap.world.models import Visitor
from tests.conftest import API_TOKEN, ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, assert_valid


def stats(client: TestClient) -> dict:
    answer = client.simulate_get("/__admin/stats")
    assert answer.status_code == 200, answer.text
    assert_valid("admin-stats", answer.json)
    return answer.json


def test_an_empty_world_has_every_figure_at_zero(client: TestClient) -> None:
    figures = stats(client)
    assert figures["queue"] == {"length": 0, "longestWaitSeconds": 0}
    assert figures["agents"]["byStatus"] == {"online": 3, "pause": 1, "offline": 0}
    assert [hour["chats"] for hour in figures["chatsPerHour"]] == [0] * 24
    assert figures["deliveries"]["byStatus"]["delivered"] == 0
    assert figures["violations"] == {"count": 0, "latest": []}


def test_the_queue_widgets_hours_and_events_follow_the_world(
    client: TestClient, world: World, clock: ManualClock
) -> None:
    org = world.orgs[ORG_ID]
    world.start_case(org, SUPPORT_WIDGET, Visitor(email="a@example.com"), "first")
    clock.set(clock.now() + timedelta(hours=2))  # no timer runs: the first chat still waits
    world.start_case(org, SUPPORT_WIDGET, Visitor(email="b@example.com"), "second")
    world.start_case(org, SALES_WIDGET, Visitor(email="c@example.com"), "offline?", offline=True)
    figures = stats(client)
    assert figures["queue"] == {"length": 2, "longestWaitSeconds": 7200}
    by_widget = {widget["widgetId"]: widget for widget in figures["widgets"]}
    assert {k: by_widget[SUPPORT_WIDGET][k] for k in ("queued", "assigned", "closed", "offline")} == {
        "queued": 2,
        "assigned": 0,
        "closed": 0,
        "offline": 0,
    }
    assert by_widget[SALES_WIDGET]["offline"] == 1
    # two hours ago starts the last hour but one; now falls in the last hour
    assert [hour["chats"] for hour in figures["chatsPerHour"]][-3:] == [0, 1, 1]
    assert [event["event"] for event in figures["conversationEvents"]][:2] == [
        "caseBroadcasted",
        "caseQueued",
    ]


def test_a_public_url_points_case_links_at_mocksnap_s_case_page(world: World) -> None:
    client = TestClient(create_app(Config(public_url=parse_public_url("https://mocksnap.test:8443/")), world))
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(email="v@example.com"), "hi")
    link = f"https://mocksnap.test:8443/viewcase?c={case.case_id}"
    assert integration_json(world, case)["url"] == link
    page = client.simulate_get(
        f"/api/v2/{ORG_ID}/logs",
        params={"widgetId": SUPPORT_WIDGET, "start": "2026-11-01", "end": "2026-12-01"},
        headers={"Authorization": API_TOKEN},
    )
    assert page.status_code == 200, page.text
    assert [case["url"] for case in page.json["cases"]] == [link]


def test_without_a_public_url_links_are_the_vendor_s(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hi")
    assert integration_json(world, case)["url"] == f"https://www.snapengage.com/viewcase?c={case.case_id}"


@pytest.mark.parametrize("bad", ["mocksnap.test", "ftp://x", "https://x/?a=1", "https://"])
def test_a_public_url_must_be_an_http_base_url(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a base URL"):
        parse_public_url(bad)
