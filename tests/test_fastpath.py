"""The Widget Availability fast path answers exactly as the app would, and is journaled and logged alike."""

from __future__ import annotations

import io

import pytest
from falcon.testing import TestClient

from mocksnap import access_log
from mocksnap.app import create_app, create_served_app
from mocksnap.config import Config
from mocksnap.world import World
from tests.conftest import SUPPORT_WIDGET, default_document

PATH = f"/public/api/v2/chat/{SUPPORT_WIDGET}"


@pytest.fixture
def clients(world: World) -> tuple[TestClient, TestClient]:
    """The app as served (fast path in front) and the app alone, each over a world of its own."""
    other = World(default_document(), world.clock)
    return TestClient(create_served_app(Config(), world)), TestClient(create_app(Config(), other))


@pytest.mark.parametrize(
    "path",
    [PATH, f"{PATH}?callback=x", f"{PATH}/", "/public/api/v2/chat/no-such-widget", f"{PATH}/more"],
)
def test_the_served_app_answers_as_the_app(clients: tuple[TestClient, TestClient], path: str) -> None:
    served, plain = clients
    # As a browser on an integrator's page asks: anything the app adds for another origin, the fast path must.
    headers = {"Origin": "https://shop.example.com"}
    fast, slow = served.simulate_get(path, headers=headers), plain.simulate_get(path, headers=headers)
    assert (fast.status_code, fast.content) == (slow.status_code, slow.content)
    assert dict(fast.headers) == dict(slow.headers)
    journaled = [
        client.simulate_get("/__admin/requests", host="127.0.0.1").json["requests"] for client in clients
    ]
    assert journaled[0] == journaled[1]
    [entry] = journaled[0]
    assert (entry["method"], entry["status"]) == ("GET", slow.status_code)


def test_a_fault_on_availability_is_played_by_the_served_app(clients: tuple[TestClient, TestClient]) -> None:
    served, _ = clients
    fault = {"path": "/public/api/v2/chat/*", "status": 503, "times": 1}
    assert served.simulate_post("/__admin/faults", json=fault, host="127.0.0.1").status_code == 201
    assert served.simulate_get(PATH).status_code == 503
    assert served.simulate_get(PATH).status_code == 200


def test_the_fast_path_writes_an_access_line(world: World) -> None:
    served = TestClient(create_served_app(Config(), world))
    out = io.StringIO()
    for log in list(access_log._LOGS):
        log.stream = out
    assert served.simulate_get(PATH, query_string="api_key=secret").status_code == 200
    access_log.flush_all()
    [line] = [line for line in out.getvalue().splitlines() if PATH in line]
    assert line.endswith("ms")
    assert f" GET {PATH}?api_key=*** 200 " in line
    assert "secret" not in line
