"""What `mocksnap serve` promises, checked against the real server over real HTTP."""

from __future__ import annotations

import copy
import json
import re
import shutil
import signal
import ssl
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import yaml

from mocksnap import __version__
from mocksnap.testing import HOST, free_port, launch, run_server
from mocksnap.testing import MocksnapServer as Server
from tests.conftest import (
    API_TOKEN,
    ORG_ID,
    OWNER,
    PROVISIONING_KEY,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    assert_valid,
)
from tests.e2e.conftest import port_is_free

USERS = "/api/v1/user.json"
WIDGETS = "/api/v1/widget.json"
ACCESS_LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<method>[A-Z]+) (?P<target>\S+) "
    r"(?P<status>\d{3}) (?P<bytes>\d+) (?P<ms>\d+\.\d\d)ms$",
    re.M,
)


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def query(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}"


def provisioning(path: str, **params: str) -> str:
    return query(path, api_key=PROVISIONING_KEY, **params)


def assert_api_error(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status == status, f"expected HTTP {status}, got {answer.status}: {answer.body!r}"
    assert answer.content_type.startswith("application/json")
    body = answer.json()
    assert_valid("api-error", body)
    assert body["code"] == status
    return body


def public_availability(server: Server, widget_id: str) -> dict[str, Any]:
    answer = server.get(f"/public/api/v2/chat/{widget_id}")
    assert answer.status == 200
    body = answer.json()
    assert_valid("widget-availability", body)
    return body


def visitor_availability(server: Server, widget_id: str, key: str = VISITOR_KEY) -> dict[str, Any]:
    answer = server.get(f"/api/v1/chat/{widget_id}", headers={"x-api-key": key})
    assert answer.status == 200, answer.body
    body = answer.json()
    assert_valid("visitor-chat-availability", body)
    return body


def small_world(org_id: str = "777001", widget_id: str = "0b0b0b0b-1111-4222-8333-444455556666") -> dict:
    """A one-organization world with credentials of its own, and one widget staffed by one online agent."""
    return {
        "organizations": [
            {
                "orgId": org_id,
                "apiToken": f"e2e-token-{org_id}",
                "provisioningApiKey": f"e2e-provisioning-{org_id}",
                "visitorApiKey": f"e2e-visitor-{org_id}",
                "users": [
                    {
                        "email": "owner@e2e.example.com",
                        "name": "Olive Owner",
                        "password": "secret",
                        "accountType": "biz",
                    }
                ],
                "widgets": [
                    {
                        "uuid": widget_id,
                        "name": "E2E widget",
                        "email": "owner@e2e.example.com",
                        "emailRequired": True,
                        "agents": [
                            {
                                "agentId": "olga@e2e.example.com",
                                "agentAlias": "Olga",
                                "agentAvatar": "https://e2e.example.com/olga.png",
                                "agentType": "webclient",
                                "status": "online",
                            }
                        ],
                    }
                ],
            }
        ]
    }


def wait_for_output(server: Server, offset: int, predicate, timeout: float = 3.0) -> str:
    """The server's output since offset, once predicate holds for it (access lines are written after the
    response is sent)."""
    deadline = time.monotonic() + timeout
    text = server.output_since(offset)
    while not predicate(text) and time.monotonic() < deadline:
        time.sleep(0.05)
        text = server.output_since(offset)
    return text


# -- start-up output and access log ---------------------------------------------------------------------


def test_banner_prints_the_default_worlds_credentials_and_ids(server: Server) -> None:
    out = server.output()
    assert f"mocksnap {__version__} serving {server.base_url}" in out
    assert f"{server.base_url}/__admin" in out
    assert f"organization {ORG_ID}" in out
    for credential in (API_TOKEN, PROVISIONING_KEY, VISITOR_KEY):
        assert credential in out
    for widget_id in (SUPPORT_WIDGET, SALES_WIDGET):
        assert re.search(rf"^\s*widget {widget_id}\b", out, re.M), widget_id
        demo = f"{server.base_url}/demo/{widget_id}"
        assert re.search(rf"^\s*demo page\s+{re.escape(demo)}$", out, re.M), demo
        assert server.get(urlsplit(demo).path).status == 200
    assert "wc:sam@example.com (online)" in out
    assert "wc:dana@example.com (pause)" in out


def test_one_access_log_line_per_request(server: Server) -> None:
    offset = server.output_size()
    probe = uuid.uuid4().hex
    requests = [
        ("GET", f"/__admin/health?probe={probe}", 200),
        ("GET", f"/api/v1/chat/unknown-{probe}", 404),  # with the key: empty 404
        ("GET", f"/public/api/v2/chat/{SUPPORT_WIDGET}?probe={probe}", 200),
        ("PUT", provisioning(USERS, probe=probe), 400),  # no body
        ("GET", f"/api/v2/{ORG_ID}/logs?probe={probe}", 400),  # no widgetId
    ]
    sizes = []
    for method, target, status in requests:
        headers = {"x-api-key": VISITOR_KEY, "Authorization": API_TOKEN}
        answer = server.request(method, target, headers=headers)
        assert answer.status == status, (method, target, answer.body)
        sizes.append(len(answer.body))

    def logged(text: str) -> list[re.Match]:
        return [m for m in ACCESS_LINE.finditer(text) if probe in m["target"]]

    text = wait_for_output(server, offset, lambda t: len(logged(t)) >= len(requests))
    lines = logged(text)
    assert [(m["method"], m["target"], int(m["status"])) for m in lines] == [
        (method, target.replace(f"api_key={PROVISIONING_KEY}", "api_key=***"), status)
        for method, target, status in requests
    ], f"access lines since the requests:\n{text}"
    assert [int(m["bytes"]) for m in lines] == sizes
    for line in lines:
        at = datetime.fromisoformat(line["time"].replace("Z", "+00:00"))
        assert abs((datetime.now(UTC) - at).total_seconds()) < 60
        assert 0 <= float(line["ms"]) < 5000
    # Secrets are never written: neither the api_key of a query string nor an Authorization header.
    assert PROVISIONING_KEY not in text
    assert API_TOKEN not in text


# -- Provisioning API ------------------------------------------------------------------------------------


def test_provisioning_round_trip(server: Server) -> None:
    email = "e2e-jimbo@example.com"
    user_request = {**sample("provisioning-user-create-request"), "email": email}
    expected_user = {**sample("provisioning-user-create-response"), "email": email}

    created = server.request("PUT", provisioning(USERS), body=user_request)
    assert created.status == 201, created.body
    assert created.content_type.startswith("application/json")
    assert_valid("provisioning-user", created.json())
    assert created.json() == expected_user
    assert "password" not in created.json()

    fetched = server.get(provisioning(USERS, email=email))
    assert fetched.status == 200
    assert_valid("provisioning-user", fetched.json())
    assert fetched.json() == expected_user

    update = {**sample("provisioning-user-update-request"), "email": email, "name": "Jimbo Renamed"}
    updated = server.request("POST", provisioning(USERS), body=update)
    assert updated.status == 200, updated.body
    assert_valid("provisioning-user", updated.json())
    assert updated.json() == {**expected_user, "name": "Jimbo Renamed"}
    assert server.get(provisioning(USERS, email=email)).json()["name"] == "Jimbo Renamed"

    # A widget, from the vendor's sample body with its owner replaced by the user just created.
    widget_request = {**sample("provisioning-widget-create-request"), "email": email}
    made = server.request("PUT", provisioning(WIDGETS), body=widget_request)
    assert made.status == 201, made.body
    widget = made.json()
    assert_valid("provisioning-widget", widget)
    widget_id = widget["uuid"]
    assert uuid.UUID(widget_id).version == 4
    assert widget_id not in (SUPPORT_WIDGET, SALES_WIDGET)
    assert widget["email"] == email
    assert widget["name"] == "Widget #1"
    assert widget["destinationEmail"] == widget_request["destinationEmail"]
    assert widget["agents"] == [
        {
            "agentId": "wc:x@example.com",
            "agentAlias": "An Agent",
            "agentAvatar": "https://www.website.com/charlie.png",
            "agentType": "webclient",
        }
    ]
    assert widget["enableProactiveChat"] == "true"
    assert widget["enableConversations"] is True

    got = server.get(provisioning(WIDGETS, uuid=widget_id, email=email))
    assert got.status == 200
    assert_valid("provisioning-widget", got.json())
    assert got.json() == {k: v for k, v in widget.items() if k != "enableConversations"}

    # The new widget is served by the availability APIs; its only agent is new, hence offline.
    assert public_availability(server, widget_id)["data"]["online"] == "false"
    assert visitor_availability(server, widget_id)["widgetId"] == widget_id

    update_request = {**sample("provisioning-widget-update-request"), "email": email, "uuid": widget_id}
    changed = server.request("POST", provisioning(WIDGETS), body=update_request)
    assert changed.status == 200, changed.body
    assert_valid("provisioning-widget", changed.json())
    assert changed.json()["uuid"] == widget_id
    assert changed.json()["name"] == "Widget #1 - Sales Widget"
    assert changed.json()["enableProactiveChat"] == "false"
    assert changed.json()["agents"][0]["agentId"] == "wc:x@example.com"
    assert changed.json()["agents"][0]["agentAlias"] == "A New Agent"
    assert server.get(provisioning(WIDGETS, uuid=widget_id, email=email)).json()["name"] == (
        "Widget #1 - Sales Widget"
    )

    # A user who owns a widget cannot be deleted.
    refused = server.request("DELETE", provisioning(USERS, email=email))
    assert widget_id in assert_api_error(refused, 400)["message"]

    assert server.request("DELETE", provisioning(WIDGETS, uuid=widget_id, email=email)).status == 200
    assert_api_error(server.get(provisioning(WIDGETS, uuid=widget_id, email=email)), 404)
    assert public_availability(server, widget_id)["statusCode"] == 404

    assert server.request("DELETE", provisioning(USERS, email=email)).status == 200
    assert_api_error(server.get(provisioning(USERS, email=email)), 404)


def test_reset_reseeds_generated_widget_ids(server: Server) -> None:
    body = {**sample("provisioning-widget-create-request"), "email": OWNER}
    first = server.request("PUT", provisioning(WIDGETS), body=body).json()["uuid"]
    assert server.request("POST", "/__admin/reset").status == 200
    again = server.request("PUT", provisioning(WIDGETS), body=body).json()["uuid"]
    assert again == first


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", query(USERS, email=OWNER)),
        ("GET", query(USERS, email=OWNER, api_key="wrong-key")),
        ("PUT", query(USERS)),
        ("GET", query(WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER, api_key=VISITOR_KEY)),
        ("DELETE", query(WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER)),
    ],
)
def test_provisioning_without_a_valid_api_key_is_401(server: Server, method: str, path: str) -> None:
    body = sample("provisioning-user-create-request") if method == "PUT" else None
    assert_api_error(server.request(method, path, body=body), 401)
    # Nothing was deleted.
    assert server.get(provisioning(WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER)).status == 200


def test_provisioning_not_found_is_404(server: Server) -> None:
    assert_api_error(server.get(provisioning(USERS, email="nobody@example.com")), 404)
    assert_api_error(server.get(provisioning(WIDGETS, uuid=str(uuid.uuid4()), email=OWNER)), 404)
    # A widget asked for with an email that is not its owner's.
    assert_api_error(server.get(provisioning(WIDGETS, uuid=SUPPORT_WIDGET, email="x@example.com")), 404)
    widget_for_nobody = {**sample("provisioning-widget-create-request"), "email": "nobody@example.com"}
    assert_api_error(server.request("PUT", provisioning(WIDGETS), body=widget_for_nobody), 404)
    assert_api_error(server.request("DELETE", provisioning(USERS, email="nobody@example.com")), 404)


def test_provisioning_bad_requests_are_400(server: Server) -> None:
    before = server.get("/__admin/world").json()

    missing_name = {k: v for k, v in sample("provisioning-user-create-request").items() if k != "name"}
    body = assert_api_error(server.request("PUT", provisioning(USERS), body=missing_name), 400)
    assert "name" in body["message"]

    duplicate = {**sample("provisioning-user-create-request"), "email": OWNER}
    assert (
        OWNER in assert_api_error(server.request("PUT", provisioning(USERS), body=duplicate), 400)["message"]
    )

    assert_api_error(server.request("PUT", provisioning(USERS), body=b"{not json"), 400)
    assert_api_error(server.request("PUT", provisioning(USERS), body=b""), 400)
    assert "email" in assert_api_error(server.get(provisioning(USERS)), 400)["message"]

    no_agents = {**sample("provisioning-widget-create-request"), "email": OWNER, "agents": []}
    assert_api_error(server.request("PUT", provisioning(WIDGETS), body=no_agents), 400)

    wrong_route = provisioning(USERS, email=OWNER, uuid=SUPPORT_WIDGET)
    assert "widget.json" in assert_api_error(server.request("DELETE", wrong_route), 400)["message"]

    assert server.get("/__admin/world").json() == before, "a refused request changed the world"


# -- availability ----------------------------------------------------------------------------------------


def test_availability_of_the_always_staffed_widget(server: Server) -> None:
    expected = {
        "widgetId": SUPPORT_WIDGET,
        "online": "true",
        "emailRequired": "false",
        "messageRequired": "false",
        "screenshotRequired": "false",
    }
    assert public_availability(server, SUPPORT_WIDGET) == {"statusCode": 1, "data": expected}
    assert visitor_availability(server, SUPPORT_WIDGET) == expected


def test_availability_flags_of_the_business_hours_widget(server: Server) -> None:
    # Whether it is online depends on the wall clock in Berlin; its flags do not.
    data = public_availability(server, SALES_WIDGET)["data"]
    assert data["widgetId"] == SALES_WIDGET
    assert (data["emailRequired"], data["messageRequired"], data["screenshotRequired"]) == (
        "true",
        "true",
        "false",
    )
    assert visitor_availability(server, SALES_WIDGET) == data


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong-key"}, {"x-api-key": PROVISIONING_KEY}])
def test_visitor_chat_availability_needs_the_visitor_key(server: Server, headers: dict[str, str]) -> None:
    assert_api_error(server.get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers=headers), 401)


def test_unknown_widget_on_visitor_chat_is_an_empty_404(server: Server) -> None:
    answer = server.get(f"/api/v1/chat/{uuid.uuid4()}", headers={"x-api-key": VISITOR_KEY})
    assert answer.status == 404
    assert answer.body == b""
    assert answer.headers.get("content-length") == "0"


def test_unknown_widget_on_the_public_api_is_a_200_carrying_404(server: Server) -> None:
    answer = server.get(f"/public/api/v2/chat/{uuid.uuid4()}")
    assert answer.status == 200
    body = answer.json()
    assert_valid("widget-availability", body)
    assert body["statusCode"] == 404
    assert body["error"]["message"]
    assert "data" not in body


def test_a_world_with_no_agent_online_is_offline(server: Server) -> None:
    document = server.get("/__admin/world").json()
    for org in document["organizations"]:
        for widget in org["widgets"]:
            for agent in widget["agents"]:
                agent["status"] = "offline"
                agent.pop("subStatus", None)
    put = server.request("PUT", "/__admin/world", body=document)
    assert put.status == 200, put.body
    assert_valid("world", put.json())
    for widget_id in (SUPPORT_WIDGET, SALES_WIDGET):
        assert public_availability(server, widget_id)["data"]["online"] == "false"
        assert visitor_availability(server, widget_id)["online"] == "false"


# -- control API -----------------------------------------------------------------------------------------


def test_health(server: Server) -> None:
    answer = server.get("/__admin/health")
    assert answer.status == 200
    assert answer.content_type.startswith("application/json")
    health = answer.json()
    assert health["status"] == "ok"
    assert health["version"] == __version__
    assert (health["organizations"], health["widgets"]) == (1, 2)
    assert health["time"].endswith("Z")


def test_get_world_as_json_and_yaml(server: Server) -> None:
    answer = server.get("/__admin/world")
    assert answer.status == 200
    document = answer.json()
    assert_valid("world", document)
    [org] = document["organizations"]
    assert (org["orgId"], org["apiToken"], org["provisioningApiKey"], org["visitorApiKey"]) == (
        ORG_ID,
        API_TOKEN,
        PROVISIONING_KEY,
        VISITOR_KEY,
    )
    assert [w["uuid"] for w in org["widgets"]] == [SUPPORT_WIDGET, SALES_WIDGET]

    as_yaml = server.get("/__admin/world?format=yaml")
    assert as_yaml.status == 200
    assert as_yaml.content_type.startswith("application/yaml")
    assert yaml.safe_load(as_yaml.body) == document
    by_accept = server.get("/__admin/world", headers={"Accept": "application/yaml"})
    assert yaml.safe_load(by_accept.body) == document


def test_put_world_replaces_it_and_reset_restores_the_started_one(server: Server) -> None:
    started = server.get("/__admin/world").json()
    other = small_world()

    put = server.request("PUT", "/__admin/world", body=other)
    assert put.status == 200, put.body
    assert_valid("world", put.json())
    assert put.json()["organizations"][0]["orgId"] == "777001"
    assert server.get("/__admin/world").json() == put.json()
    assert server.get("/__admin/health").json()["widgets"] == 1
    # The credentials of the new world work, the old ones no longer do.
    new_widget = visitor_availability(
        server, "0b0b0b0b-1111-4222-8333-444455556666", key="e2e-visitor-777001"
    )
    assert new_widget["online"] == "true"
    assert_api_error(server.get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers={"x-api-key": VISITOR_KEY}), 401)
    assert public_availability(server, SUPPORT_WIDGET)["statusCode"] == 404

    # A YAML body is accepted with a YAML content type; the answer is JSON unless YAML is asked for.
    put_yaml = server.request(
        "PUT",
        "/__admin/world",
        body=yaml.safe_dump(small_world("777002")),
        headers={"Content-Type": "application/yaml"},
    )
    assert put_yaml.status == 200, put_yaml.body
    assert put_yaml.content_type.startswith("application/json")
    assert put_yaml.json()["organizations"][0]["orgId"] == "777002"
    put_yaml = server.request(
        "PUT",
        "/__admin/world?format=yaml",
        body=yaml.safe_dump(small_world("777003")),
        headers={"Content-Type": "application/x-yaml"},
    )
    assert put_yaml.status == 200, put_yaml.body
    assert put_yaml.content_type.startswith("application/yaml")
    assert yaml.safe_load(put_yaml.body)["organizations"][0]["orgId"] == "777003"

    reset = server.request("POST", "/__admin/reset")
    assert reset.status == 200
    assert reset.json()["status"] == "ok"
    assert (reset.json()["organizations"], reset.json()["widgets"]) == (1, 2)
    assert server.get("/__admin/world").json() == started
    assert visitor_availability(server, SUPPORT_WIDGET)["online"] == "true"


def test_reset_undoes_provisioning_changes(server: Server) -> None:
    started = server.get("/__admin/world").json()
    user = {**sample("provisioning-user-create-request"), "email": "e2e-reset@example.com"}
    assert server.request("PUT", provisioning(USERS), body=user).status == 201
    gone = server.request("DELETE", provisioning(WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER))
    assert gone.status == 200
    assert server.get("/__admin/world").json() != started

    assert server.request("POST", "/__admin/reset").status == 200
    assert server.get("/__admin/world").json() == started
    assert server.get(provisioning(USERS, email="e2e-reset@example.com")).status == 404
    assert server.get(provisioning(WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER)).status == 200


def _duplicate_widget_world() -> dict:
    document = small_world()
    org = document["organizations"][0]
    org["widgets"].append(copy.deepcopy(org["widgets"][0]))
    return document


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        pytest.param(b"{not json", "not a valid JSON document", id="not-json"),
        pytest.param({"organisations": []}, "organizations", id="schema"),
        pytest.param({"organizations": [{"orgId": 5}]}, "apiToken", id="org-fields"),
        pytest.param(_duplicate_widget_world(), "is used by another widget", id="duplicate-uuid"),
    ],
)
def test_invalid_world_is_refused_and_the_world_unchanged(server: Server, body: Any, problem: str) -> None:
    before = server.get("/__admin/world").json()
    answer = server.request("PUT", "/__admin/world", body=body, headers={"Content-Type": "application/json"})
    error = assert_api_error(answer, 400)
    assert isinstance(error["errors"], list)
    assert error["errors"], "an invalid world must list its errors"
    assert all(set(e) >= {"path", "message"} for e in error["errors"])
    assert problem in json.dumps(error["errors"])
    assert server.get("/__admin/world").json() == before
    assert server.get("/__admin/health").json()["widgets"] == 2


# -- --world ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_serve_a_world_file(spawn, tmp_path: Path, suffix: str) -> None:
    document = small_world("424242", "7e57ab1e-0000-4000-8000-000000000042")
    path = tmp_path / f"world{suffix}"
    text = yaml.safe_dump(document, sort_keys=False) if suffix == ".yaml" else json.dumps(document, indent=2)
    path.write_text(text, encoding="utf-8")

    running = spawn("--world", str(path))
    out = running.output()
    assert "organization 424242" in out
    assert "e2e-visitor-424242" in out
    assert "widget 7e57ab1e-0000-4000-8000-000000000042" in out
    assert ORG_ID not in out
    assert SUPPORT_WIDGET not in out

    health = running.get("/__admin/health").json()
    assert (health["organizations"], health["widgets"]) == (1, 1)
    served = running.get("/__admin/world").json()
    assert_valid("world", served)
    assert served["organizations"][0]["users"][0]["email"] == "owner@e2e.example.com"
    widget = "7e57ab1e-0000-4000-8000-000000000042"
    assert visitor_availability(running, widget, key="e2e-visitor-424242") == {
        "widgetId": widget,
        "online": "true",
        "emailRequired": "true",
        "messageRequired": "false",
        "screenshotRequired": "false",
    }
    assert_api_error(running.get(f"/api/v1/chat/{widget}", headers={"x-api-key": VISITOR_KEY}), 401)

    # Reset goes back to this file's world, not to the default one.
    delete = query(WIDGETS, api_key="e2e-provisioning-424242", uuid=widget, email="owner@e2e.example.com")
    assert running.request("DELETE", delete).status == 200
    assert running.get("/__admin/health").json()["widgets"] == 0
    assert running.request("POST", "/__admin/reset").status == 200
    assert running.get("/__admin/world").json() == served


INVALID_WORLDS = [
    pytest.param(
        "world.yaml", "organizations:\n- orgId: '1'\n", "apiToken is required", id="yaml-missing-field"
    ),
    pytest.param("world.json", '{"organizations": [', "not a valid JSON document", id="json-syntax"),
    pytest.param("world.yaml", "organizations: [\n", "not a valid YAML", id="yaml-syntax"),
    pytest.param(
        "world.json",
        json.dumps(
            {
                "organizations": [
                    {
                        **small_world()["organizations"][0],
                        "users": [],
                    }
                ]
            }
        ),
        "is not a user of organization",
        id="json-widget-owner-unknown",
    ),
    pytest.param("missing.yaml", None, "cannot read", id="missing-file"),
]


@pytest.mark.parametrize(("name", "text", "problem"), INVALID_WORLDS)
def test_invalid_world_file_exits_without_serving(
    tmp_path: Path, name: str, text: str | None, problem: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    port = free_port()
    running = launch(["--world", str(path)], port=port)
    code = running.wait_exit(10)
    if code is None:
        running.kill()
        pytest.fail(f"mocksnap serve kept running on an invalid world; output:\n{running.output()}")
    out = running.output()
    assert code != 0, out
    assert str(path) in out
    assert problem in out
    assert "Listening at" not in out
    assert "serving http" not in out
    assert port_is_free(port)


# -- stopping --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sig", "group"),
    [
        pytest.param(signal.SIGTERM, False, id="SIGTERM"),
        pytest.param(signal.SIGINT, True, id="Ctrl-C"),  # a terminal signals the whole foreground group
        pytest.param(signal.SIGINT, False, id="SIGINT"),
    ],
)
def test_signal_stops_the_server_cleanly(spawn, sig: int, group: bool) -> None:
    running = spawn()
    assert running.get("/__admin/health").status == 200
    started = time.monotonic()
    running.send_signal(sig, group=group)
    code = running.wait_exit(5)
    assert code is not None, f"still running 5 s after {sig!r}; output:\n{running.output()}"
    assert code == 0, f"exit code {code} after {sig!r}; output:\n{running.output()}"
    assert time.monotonic() - started < 5
    assert port_is_free(running.port), f"port {running.port} still taken after the server exited"
    out = running.output()
    assert "Traceback" not in out, out
    assert "shutting down" in out.lower()


# -- TLS -------------------------------------------------------------------------------------------------


def test_https_with_certfile_and_keyfile(spawn, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    context = ssl.create_default_context(cafile=str(cert))
    running = spawn("--certfile", str(cert), "--keyfile", str(key), scheme="https", ssl_context=context)
    assert running.base_url.startswith("https://")
    assert f"serving https://{HOST}:{running.port}" in running.output()

    health = running.get("/__admin/health")  # verified against the certificate: hostname and chain
    assert health.status == 200
    assert health.json()["status"] == "ok"
    assert visitor_availability(running, SUPPORT_WIDGET)["online"] == "true"

    # The certificate is really checked: a default context (system CAs only) refuses it.
    with pytest.raises(ssl.SSLCertVerificationError):
        Server(running.process, running.port, "https", ssl.create_default_context()).get("/__admin/health")


# -- console script --------------------------------------------------------------------------------------


def _banner(output: str, base_url: str) -> list[str]:
    """The banner, without its clock line (the real clock's time differs between two starts)."""
    lines = output.split("\n")
    end = next(i for i, line in enumerate(lines) if ACCESS_LINE.match(line) or not line)
    return [line.replace(base_url, "BASE") for line in lines[:end] if not line.startswith("clock ")]


def test_console_script_serves_like_python_m(spawn, server: Server) -> None:
    script = shutil.which("mocksnap", path=str(Path(sys.executable).parent)) or str(
        Path(sys.executable).parent / "mocksnap"
    )
    assert Path(script).is_file(), f"no console script at {script}"
    running = spawn(executable=[script])
    assert _banner(running.output(), running.base_url) == _banner(server.output(), server.base_url)

    for path in ("/__admin/health", f"/public/api/v2/chat/{SUPPORT_WIDGET}"):
        mine, theirs = running.get(path), server.get(path)
        assert mine.status == theirs.status == 200
        if path != "/__admin/health":  # health carries the time
            assert mine.json() == theirs.json()
    assert running.get("/__admin/world").json() == server.get("/__admin/world").json()
    assert running.get(f"/api/v1/chat/{uuid.uuid4()}", headers={"x-api-key": VISITOR_KEY}).body == b""
    logged = wait_for_output(running, 0, lambda t: "health 200" in t)
    assert re.search(r"Z GET /__admin/health 200 \d+ ", logged)

    assert running.stop() == 0
    assert port_is_free(running.port)


# -- cold start ------------------------------------------------------------------------------------------


def test_cold_start_is_reported(server: Server, record_property, capsys) -> None:
    assert server.startup_seconds is not None
    assert server.startup_seconds > 0
    record_property("cold_start_seconds", round(server.startup_seconds, 3))
    with capsys.disabled():
        print(
            f"\nmocksnap serve cold start: {server.startup_seconds:.3f} s from process start "
            "to the first answered GET /__admin/health"
        )


def test_the_readmes_gunicorn_command_serves_the_app_with_long_query_strings() -> None:
    """Served by gunicorn directly, as the README shows it, on a free port instead of gunicorn's default."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [command] = re.findall(r"`(MOCKSNAP_SEED=3 gunicorn [^`]*)`", readme)
    port = free_port()
    server = run_server(
        ["bash", "-c", f"exec env {command} --bind {HOST}:{port}"],
        port,
        {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )
    try:
        server.wait_ready()
        message = "é" * 10_000
        query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": message})
        started = server.request("POST", f"/api/v1/chat?{query}", headers={"x-api-key": VISITOR_KEY})
        assert started.status == 200, started.body
    finally:
        assert server.stop() == 0, server.output()
