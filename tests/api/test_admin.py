"""The control API: health, reset, the world document (GET and PUT, JSON and YAML), the event log."""

from __future__ import annotations

import json

import yaml
from falcon.testing import TestClient

from mocksnap.world import World
from tests.conftest import PROVISIONING_KEY, SUPPORT_WIDGET, assert_valid, default_document


def test_health(client: TestClient) -> None:
    result = client.simulate_get("/__admin/health")
    assert result.status_code == 200
    assert_valid("admin-health", result.json)
    assert result.json | {"version": "x"} == {
        "status": "ok",
        "version": "x",
        "time": "2026-11-23T09:30:00.000Z",
        "organizations": 1,
        "widgets": 2,
    }


def test_get_world_as_json_and_yaml(client: TestClient) -> None:
    result = client.simulate_get("/__admin/world")
    assert result.json == default_document()
    assert_valid("world", result.json)
    as_yaml = client.simulate_get("/__admin/world", params={"format": "yaml"})
    assert as_yaml.headers["content-type"] == "application/yaml"
    assert yaml.safe_load(as_yaml.text) == default_document()
    by_accept = client.simulate_get("/__admin/world", headers={"Accept": "application/yaml"})
    assert yaml.safe_load(by_accept.text) == default_document()


def test_put_world_replaces_it_and_reset_brings_back_the_loaded_one(client: TestClient, world: World) -> None:
    document = default_document()
    document["organizations"][0]["widgets"] = document["organizations"][0]["widgets"][:1]
    document["organizations"][0]["widgets"][0]["name"] = "Renamed"
    result = client.simulate_put("/__admin/world", body=json.dumps(document))
    assert (result.status_code, result.json) == (200, document)
    assert world.orgs["5406213"].widgets[SUPPORT_WIDGET].name == "Renamed"

    reset = client.simulate_post("/__admin/reset")
    assert reset.status_code == 200
    assert_valid("admin-health", reset.json)
    assert client.simulate_get("/__admin/world").json == default_document()


def test_put_world_accepts_yaml(client: TestClient) -> None:
    document = default_document()
    document["organizations"][0]["users"][0]["name"] = "Yaml Admin"
    result = client.simulate_put(
        "/__admin/world", body=yaml.safe_dump(document), headers={"Content-Type": "application/yaml"}
    )
    assert result.status_code == 200
    assert result.json["organizations"][0]["users"][0]["name"] == "Yaml Admin"


def test_an_invalid_world_is_400_with_every_error_and_the_world_stays(
    client: TestClient, world: World
) -> None:
    before = world.dump()
    document = default_document()
    del document["organizations"][0]["apiToken"]
    document["organizations"][0]["widgets"][1]["email"] = "nobody@example.com"
    result = client.simulate_put("/__admin/world", body=json.dumps(document))
    assert result.status_code == 400
    assert_valid("api-error", result.json)
    assert [e["path"] for e in result.json["errors"]] == ["/organizations/0/apiToken"]
    document["organizations"][0]["apiToken"] = "t"
    document["organizations"][0]["widgets"][0]["email"] = "nobody@example.com"
    result = client.simulate_put("/__admin/world", body=json.dumps(document))
    assert [e["path"] for e in result.json["errors"]] == [
        "/organizations/0/widgets/0/email",
        "/organizations/0/widgets/1/email",
    ]
    for body in ("", "{", "[]", '{"organizations": 5}'):
        result = client.simulate_put("/__admin/world", body=body)
        assert result.status_code == 400
        assert result.json["errors"]
    assert world.dump() == before


def test_reset_undoes_api_changes_and_replays_the_same_ids(client: TestClient) -> None:
    sample = {
        "email": "admin@example.com",
        "agents": [
            {"agentId": "a@example.com", "agentAlias": "A", "agentAvatar": "", "agentType": "webclient"}
        ],
    }
    first = client.simulate_put("/api/v1/widget.json", params={"api_key": PROVISIONING_KEY}, json=sample).json
    client.simulate_post("/__admin/reset")
    assert client.simulate_get("/__admin/world").json == default_document()
    again = client.simulate_put("/api/v1/widget.json", params={"api_key": PROVISIONING_KEY}, json=sample).json
    assert again["uuid"] == first["uuid"]


def test_events_list_what_changed_in_order(client: TestClient) -> None:
    client.simulate_post("/__admin/reset")
    client.simulate_put(
        "/api/v1/user.json",
        params={"api_key": PROVISIONING_KEY},
        json={"email": "e@example.com", "name": "E", "password": "12345", "accountType": "biz"},
    )
    result = client.simulate_get("/__admin/events")
    assert result.status_code == 200
    assert_valid("admin-events", result.json)
    assert [e["kind"] for e in result.json["events"]] == ["world.reset", "user.created"]
    newest = result.json["events"][-1]["seq"]
    assert client.simulate_get("/__admin/events", params={"since": str(newest)}).json == {"events": []}
    bad = client.simulate_get("/__admin/events", params={"since": "-1"})
    assert bad.status_code == 400
    assert_valid("api-error", bad.json)


def test_unknown_admin_paths_are_404(client: TestClient) -> None:
    result = client.simulate_get("/__admin/nothing-here")
    assert result.status_code == 404
    assert_valid("api-error", result.json)
