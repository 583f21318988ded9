"""docker/ without a Docker engine: the Dockerfile's install steps, start command and health check work in a
fresh virtual environment (tests/installed.py replays them), and docker/compose.yaml's services run as they
are written: mocksnap on the variables it sets, and the receiver (`mocksnap sink`) printing each webhook."""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import fields
from pathlib import Path

import yaml

from mocksnap.config import Config
from mocksnap.testing import MocksnapServer, free_port, run_server
from tests.installed import Dockerfile, Installed

COMPOSE = Path(__file__).resolve().parents[2] / "docker" / "compose.yaml"


def start(installed: Installed, command: list[str], port: int, **env: str) -> MocksnapServer:
    """A command of the image, run from its WORKDIR with the venv's mocksnap; stopped by the caller."""
    return run_server(command, port, installed.env(**env), cwd=installed.app)


def test_the_image_runs_as_a_numeric_user_other_than_root_and_exposes_the_default_port() -> None:
    dockerfile = Dockerfile.read()
    assert dockerfile.user.isdigit()
    assert int(dockerfile.user) != 0
    assert dockerfile.expose == [Config().port]
    assert dockerfile.entrypoint + dockerfile.cmd == ["mocksnap", "serve", "--host", "0.0.0.0"]


def test_the_images_command_serves_the_default_world_and_its_health_check_passes(
    installed: Installed,
) -> None:
    port = free_port()  # the image's port is 8000; here MOCKSNAP_PORT moves it to a free one
    dockerfile = installed.dockerfile
    server = start(installed, dockerfile.entrypoint + dockerfile.cmd, port, MOCKSNAP_PORT=str(port))
    try:
        server.wait_ready()
        health = server.get("/__admin/health").json()
        assert (health["status"], health["organizations"], health["widgets"]) == ("ok", 1, 2)
        check = subprocess.run(
            dockerfile.healthcheck,
            env=installed.env(MOCKSNAP_PORT=str(port)),
            capture_output=True,
            timeout=10,
        )
        assert check.returncode == 0, check.stderr
    finally:
        assert server.stop() == 0, server.output()
    # Stopped, the health check fails, as Docker needs it to.
    check = subprocess.run(dockerfile.healthcheck, env=installed.env(MOCKSNAP_PORT=str(port)), timeout=10)
    assert check.returncode != 0


def test_the_compose_example_runs_mocksnap_and_a_receiver_that_prints_every_webhook(
    installed: Installed,
) -> None:
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    settings = services["mocksnap"]["environment"]
    known = {f"MOCKSNAP_{field.name.upper()}" for field in fields(Config)}
    assert set(settings) <= known, (
        f"compose.yaml sets variables mocksnap does not read: {set(settings) - known}"
    )

    receiver_port, server_port = free_port(), free_port()
    command = ["mocksnap", *services["receiver"]["command"]]
    command[command.index("--port") + 1] = str(receiver_port)
    receiver = start(installed, command, receiver_port)
    server = start(
        installed,
        installed.dockerfile.entrypoint + installed.dockerfile.cmd,
        server_port,
        MOCKSNAP_PORT=str(server_port),
        **{name: str(value) for name, value in settings.items()},
    )
    try:
        server.wait_ready()
        assert server.get("/__admin/clock").json()["mode"] == "manual"
        # As compose.yaml's comment says, with the receiver's address here instead of its service name.
        widget = "5286374d-5c92-419d-bcdb-b926d242b78b"
        hook = f"http://127.0.0.1:{receiver_port}"
        subscribed = server.request(
            "PUT",
            f"/__admin/widgets/{widget}/integrations",
            {
                "integrationApi": {"url": f"{hook}/integration"},
                "conversationEvents": {"url": f"{hook}/events", "events": ["caseQueued", "caseClosed"]},
            },
        )
        assert subscribed.status == 200, subscribed.body
        started = server.request(
            "POST",
            f"/api/v1/chat?widgetId={widget}&email=v@example.com&visitorMessage=hi",
            headers={"x-api-key": "mocksnap-visitor-key"},
        )
        case_id = started.json()["caseId"]
        server.request(
            "PUT",
            f"/api/v1/chat?caseId={case_id}&messageType=2",
            headers={"x-api-key": "mocksnap-visitor-key"},
        )
        printed = _printed(receiver, count=3)
        # Each URL has its own queue, so only the events' order between themselves is given.
        events = [line["body"]["event"] for line in printed if line["path"] == "/events"]
        assert events == ["caseQueued", "caseClosed"]
        integration = next(line for line in printed if line["path"] == "/integration")
        assert (integration["method"], integration["body"]["id"]) == ("POST", case_id)
    finally:
        server.stop()
        assert receiver.stop() == 0, receiver.output()


def _printed(receiver: MocksnapServer, count: int, timeout: float = 10.0) -> list[dict]:
    """The JSON lines the receiver printed, once there are `count` of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [line for line in receiver.output().splitlines() if line.startswith("{")]
        if len(lines) >= count:
            return [json.loads(line) for line in lines]
        time.sleep(0.05)
    raise AssertionError(f"the receiver printed {receiver.output()!r}")
