"""One seeded stream per kind of id: a widget's id does not depend on the chats before it, nor a case's on
what the simulated agents drew, so a guide's commands give the ids it shows whatever ran before them."""

from __future__ import annotations

from falcon.testing import TestClient

from mocksnap.app import create_app
from mocksnap.clock import ManualClock
from mocksnap.world import World
from tests.conftest import (
    MONDAY_MORNING_BERLIN,
    OWNER,
    PROVISIONING_KEY,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    LocalClient,
)
from tests.conftest import default_document as document

WIDGET = {
    "email": OWNER,
    "name": "Widget #1",
    "agents": [
        {"agentId": "sam@example.com", "agentAlias": "Sam", "agentAvatar": "", "agentType": "webclient"}
    ],
}


def _client(seed: int = 7) -> TestClient:
    return LocalClient(create_app(world=World(document(), ManualClock(MONDAY_MORNING_BERLIN), seed=seed)))


def _new_widget(client: TestClient) -> str:
    made = client.simulate_put("/api/v1/widget.json", params={"api_key": PROVISIONING_KEY}, json=WIDGET)
    assert made.status_code == 201, made.text
    return made.json["uuid"]


def _chat(client: TestClient) -> str:
    started = client.simulate_post(
        "/api/v1/chat",
        params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"},
        headers={"x-api-key": VISITOR_KEY},
    )
    assert started.status_code == 200, started.text
    return started.json["caseId"]


def test_a_new_widgets_id_is_the_same_after_chats() -> None:
    fresh = _new_widget(_client())
    busy = _client()
    for _ in range(3):
        _chat(busy)
    assert _new_widget(busy) == fresh


def test_a_cases_id_is_the_same_after_widgets_were_made() -> None:
    fresh = _chat(_client())
    busy = _client()
    _new_widget(busy)
    assert _chat(busy) == fresh


def test_the_seed_chooses_the_ids_and_kinds_do_not_share_them() -> None:
    first, other = _client(7), _client(8)
    assert _new_widget(first) != _new_widget(other)
    assert _chat(_client(7)) != _new_widget(_client(7))
