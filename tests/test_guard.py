"""The control API's guard (mocksnap.guard) through Falcon's TestClient: another origin's page, a Host that
rebinds to loopback and a missing admin token are refused, before anything changes; the emulated APIs and
mocksnap's own pages are not concerned."""

from __future__ import annotations

from typing import Any

import pytest

from mocksnap.app import create_app
from mocksnap.config import Config
from mocksnap.guard import bearer_token, is_loopback
from mocksnap.world import World
from tests.conftest import SUPPORT_WIDGET, LocalClient, assert_valid

FAULT = {"path": "/api/v2/*/logs", "status": 503}


def client_of(world: World, **config: Any) -> LocalClient:
    return LocalClient(create_app(Config(**config), world=world))


def faults(client: LocalClient) -> list[dict[str, Any]]:
    return client.simulate_get("/__admin/faults").json["faults"]


def assert_refused(result: Any, status: int, words: str) -> None:
    assert result.status_code == status, result.text
    assert_valid("api-error", result.json)
    assert result.json["code"] == status
    assert words in result.json["message"]


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:3000", "https://127.0.0.1", "http://127.0.0.1:8001", "null", "http://evil.example"],
)
def test_a_page_of_another_origin_cannot_reset_the_world(world: World, origin: str) -> None:
    client = client_of(world)
    assert client.simulate_post("/__admin/faults", json=FAULT).status_code == 201
    refused = client.simulate_post(
        "/__admin/reset",
        body="{}",
        host="127.0.0.1",
        port=8000,
        headers={"Origin": origin, "Content-Type": "text/plain"},
    )
    assert_refused(refused, 403, "another origin")
    assert len(faults(client)) == 1  # nothing changed


@pytest.mark.parametrize(
    ("host", "port", "origin"),
    [("127.0.0.1", 8000, "http://127.0.0.1:8000"), ("localhost", 80, "http://localhost")],
)
def test_a_page_that_mocksnap_serves_is_of_its_own_origin(
    world: World, host: str, port: int, origin: str
) -> None:
    client = client_of(world)
    answer = client.simulate_post(
        "/__admin/faults", json=FAULT, host=host, port=port, headers={"Origin": origin}
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8000", "192.168.1.10", "[2001:db8::1]:8000"])
def test_a_name_rebound_to_loopback_cannot_drive_a_loopback_server(world: World, host: str) -> None:
    client = client_of(world)
    for headers in ({}, {"Origin": f"http://{host}"}):
        refused = client.simulate_post("/__admin/faults", json=FAULT, host=host, headers=headers)
        assert_refused(refused, 403, "loopback Host")
    assert faults(client) == []


def test_a_server_on_every_address_takes_any_host_of_its_own_origin(world: World) -> None:
    client = client_of(world, host="0.0.0.0")
    answer = client.simulate_post(
        "/__admin/faults", json=FAULT, host="mocksnap", headers={"Origin": "http://mocksnap"}
    )
    assert answer.status_code == 201, answer.text
    refused = client.simulate_post(
        "/__admin/faults", json=FAULT, host="mocksnap", headers={"Origin": "http://x"}
    )
    assert_refused(refused, 403, "another origin")


def test_the_emulated_apis_take_any_origin(world: World) -> None:
    client = client_of(world)
    answer = client.simulate_get(
        f"/public/api/v2/chat/{SUPPORT_WIDGET}",
        host="shop.example",
        headers={"Origin": "https://shop.example"},
    )
    assert answer.status_code == 200
    assert answer.json["data"]["widgetId"] == SUPPORT_WIDGET


def test_an_admin_token_is_asked_of_every_control_api_call(world: World) -> None:
    client = client_of(world, admin_token="s3cret")
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "s3cret"},
        {"Authorization": "Basic s3cret"},
    ):
        refused = client.simulate_post("/__admin/faults", json=FAULT, headers=headers)
        assert_refused(refused, 401, "Authorization: Bearer")
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert_refused(client.simulate_post("/__admin/reset"), 401, "--admin-token")
    for scheme in ("Bearer", "bearer"):
        given = client.simulate_post(
            "/__admin/faults", json=FAULT, headers={"Authorization": f"{scheme} s3cret"}
        )
        assert given.status_code == 201, given.text
    # A health check and the API's description need none; the emulated APIs are not concerned.
    assert client.simulate_get("/__admin/health").status_code == 200
    assert client.simulate_get("/__admin/openapi.json").status_code == 200
    assert client.simulate_get(f"/public/api/v2/chat/{SUPPORT_WIDGET}").status_code == 200
    # The token does not open the control API to another origin's page.
    refused = client.simulate_post(
        "/__admin/reset", headers={"Authorization": "Bearer s3cret", "Origin": "http://evil.example"}
    )
    assert_refused(refused, 403, "another origin")


def test_loopback_names_and_addresses() -> None:
    for host in ("localhost", "LOCALHOST.", "app.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "10.0.0.1", "example.com", "localhost.example.com", "", "127.0.0.1.nip.io"):
        assert not is_loopback(host), host


def test_bearer_tokens() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Bearer") is None
    assert bearer_token("abc") is None
    assert bearer_token(None) is None
