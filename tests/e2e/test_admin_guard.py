"""The control API cannot be driven from a web page, against a real server: a real Chromium on a page of
another origin (a second local port plays a site the developer visits) sends the "simple" requests a page may
send anywhere, and a page whose name rebinds to 127.0.0.1 calls it as its own origin; neither changes
anything. A page of mocksnap's own origin can. With --admin-token, every control API call needs the token,
which mocksnap.testing and `mocksnap traffic` send; the Docker image's command reads it from the
environment."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from mocksnap.testing import HOST, Mocksnap, MocksnapServer, free_port, run_server, start_server
from tests.conftest import SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.e2e.conftest import CHROMIUM, Site
from tests.e2e.test_hub import accept_in_hub, send_in_hub
from tests.installed import Installed

FAULT = {"path": "/api/v2/*/logs", "status": 503}
REBOUND = "rebind.test"  # a name Chromium resolves to 127.0.0.1, as a rebinding attacker's DNS would


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The conftest's Chromium, except that it resolves REBOUND to 127.0.0.1."""
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM, args=[f"--host-resolver-rules=MAP {REBOUND} {HOST}"]
        )
        yield launched
        launched.close()


def faults(server: MocksnapServer) -> list[dict[str, Any]]:
    return server.get("/__admin/faults").json()["faults"]


ATTACK = """async (base) => {
    const simple = (path, body) => fetch(base + path, {method: "POST", mode: "no-cors", body: body});
    await simple("/__admin/faults", JSON.stringify({path: "/api/v1/*", status: 500}));
    await simple("/__admin/reset", "{}");
    await simple("/__admin/traffic", JSON.stringify({profile: "busy-retail", webhooks: "http://evil.example"}));
    try {
        const read = await fetch(base + "/__admin/world");
        return "read " + read.status;
    } catch (error) {
        return "unreadable";
    }
}"""


def test_a_page_of_another_origin_changes_nothing(
    server: MocksnapServer, browser: Browser, site: Site
) -> None:
    """A site the developer visits, on a second local port."""
    site.pages["/"] = "<!doctype html><title>a site</title><p>hello</p>"
    assert server.request("POST", "/__admin/faults", FAULT).status == 201
    page = browser.new_page()
    page.goto(f"{site.url}/")
    assert page.evaluate(ATTACK, server.base_url) == "unreadable"  # no CORS: the page reads nothing either
    page.close()
    assert [fault["path"] for fault in faults(server)] == [FAULT["path"]]  # not reset, nothing added
    assert server.get("/__admin/traffic").status == 404  # no traffic was started


SAME_ORIGIN_POST = """async (fault) => {
    const answer = await fetch("/__admin/faults", {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(fault)});
    return {status: answer.status, body: await answer.json()};
}"""


def test_a_page_on_a_name_rebound_to_loopback_is_refused(server: MocksnapServer, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"http://{REBOUND}:{server.port}/__admin/health")  # its own origin, as the browser sees it
    answer = page.evaluate(SAME_ORIGIN_POST, FAULT)
    page.close()
    assert answer["status"] == 403
    assert_valid("api-error", answer["body"])
    assert "loopback Host" in answer["body"]["message"]
    assert faults(server) == []


def test_a_page_of_mocksnaps_own_origin_drives_it(server: MocksnapServer, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{server.base_url}/__admin/health")
    answer = page.evaluate(SAME_ORIGIN_POST, FAULT)
    page.close()
    assert answer["status"] == 201, answer
    assert faults(server)[0]["path"] == FAULT["path"]


def test_without_the_admin_token_the_control_api_is_closed() -> None:
    with start_server(admin_token="t0ken") as server:
        for headers in ({"Authorization": ""}, {"Authorization": "Bearer other"}):
            refused = server.request("POST", "/__admin/reset", headers=headers)
            assert refused.status == 401
            assert_valid("api-error", refused.json())
            assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert server.request("GET", "/__admin/health", headers={"Authorization": ""}).status == 200
        # mocksnap.testing sends it.
        snap = Mocksnap(server)
        snap.reset()
        assert snap.advance(60)["now"] == "2026-11-23T09:31:00.000Z"
        assert snap.inject_fault(**FAULT)["path"] == FAULT["path"]


def test_start_server_takes_the_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSNAP_ADMIN_TOKEN", "from-env")
    with start_server() as server:
        assert server.admin_token == "from-env"
        assert server.request("GET", "/__admin/clock").status == 200
        assert server.request("GET", "/__admin/clock", headers={"Authorization": "Bearer x"}).status == 401


def test_traffic_against_a_server_sends_the_token() -> None:
    with start_server(admin_token="t0ken") as server:
        command = [sys.executable, "-m", "mocksnap", "traffic", "--server", server.base_url]
        command += ["--profile", "support-24x7", "--duration", "10m", "--json"]
        refused = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1
        assert "401" in refused.stderr
        ran = subprocess.run(
            [*command, "--admin-token", "t0ken"], capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, ran.stderr
        assert json.loads(ran.stdout)["profile"] == "support-24x7"


def test_the_images_command_takes_the_token_from_the_environment(installed: Installed) -> None:
    port = free_port()
    dockerfile = installed.dockerfile
    env = installed.env(MOCKSNAP_PORT=str(port), MOCKSNAP_ADMIN_TOKEN="image-token")
    server = run_server(dockerfile.entrypoint + dockerfile.cmd, port, env, cwd=installed.app)
    try:
        server.wait_ready()
        check = subprocess.run(dockerfile.healthcheck, env=env, capture_output=True, timeout=10)
        assert check.returncode == 0, check.stderr  # the health check needs no token
        assert server.request("POST", "/__admin/reset").status == 401
        server.admin_token = "image-token"
        assert server.request("POST", "/__admin/reset").status == 200
    finally:
        server.stop()


def test_mocksnaps_pages_take_the_token_from_their_address(
    spawn: Callable[..., MocksnapServer], page: Any
) -> None:
    server = spawn("--clock", "manual", "--admin-token", "page-token")
    page.goto(f"{server.base_url}/wallboard#token=page-token")
    expect(page.locator("#queue-length")).to_have_text("0")
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello from the wallboard test"})
    started = server.request("POST", f"/api/v1/chat?{query}", headers={"x-api-key": VISITOR_KEY})
    assert started.status == 200, started.body
    expect(page.locator("#queue-length")).to_have_text("1")
    case_id = started.json()["caseId"]
    page.goto(f"{server.base_url}/viewcase?c={case_id}#token=page-token")
    expect(page.locator("#transcript")).to_contain_text("hello from the wallboard test")
    page.goto(f"{server.base_url}/hub?agent=sam@example.com#token=page-token")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    accept_in_hub(page, case_id)  # each a control API call, with the token
    send_in_hub(page, "answered from the Hub")
    expect(page.locator("#transcript")).to_contain_text("answered from the Hub")
    expect(page.locator("#notice")).to_have_text("")
