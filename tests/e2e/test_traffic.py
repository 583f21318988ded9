"""`mocksnap traffic` as a user runs it: into a running server on a manual clock, with a real webhook
receiver; and in-process, written as a world document that `mocksnap serve` then serves. The same seed gives
the same bytes in both."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from mocksnap.testing import MocksnapServer as Server
from tests.conftest import API_TOKEN, ORG_ID, assert_valid
from tests.webhooks.receiver import Receiver

START = "2026-11-23T08:00:00Z"


def traffic(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "mocksnap", "traffic", "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def logs_case_ids(server: Server, org_id: str, token: str, start: str, end: str) -> list[str]:
    """Every case of the organization, page after page, as a Logs API client reads them."""
    query = urlencode({"start": start, "end": end})
    path = f"/api/v2/{org_id}/logs?{query}"
    ids: list[str] = []
    while path:
        page = server.request("GET", path, headers={"Authorization": token})
        assert page.status == 200, page.body
        body = page.json()
        assert_valid("logs-response", body)
        ids += [case["id"] for case in body["cases"]]
        link = body["linkToNextSetOfResults"]
        path = link[link.index("/api/") :] if link else ""
    return ids


def run_in_server(server: Server, receiver: Receiver) -> tuple[dict, dict[str, list[bytes]], dict]:
    summary = traffic(
        "--profile", "support-24x7", "--duration", "2h", "--seed", "7",
        "--server", server.base_url, "--webhooks", f"{receiver.url}/hooks",
    )  # fmt: skip
    received = receiver.wait_for(summary["webhooks"], timeout=30)
    by_path: dict[str, list[bytes]] = defaultdict(list)
    for request in received:
        by_path[request.path].append(request.body)
    return summary, by_path, server.request("GET", "/__admin/world").json()


def test_traffic_into_a_running_server_fills_the_logs_and_the_receiver_gets_every_event(
    spawn: Callable[..., Server], receiver: Receiver
) -> None:
    server = spawn("--clock", "manual", "--start", START, "--seed", "7")
    summary, by_path, world = run_in_server(server, receiver)
    assert summary["visitors"] > 50
    assert summary["chats"] + summary["offlineMessages"] == summary["visitors"]
    assert summary["failures"] == 0
    state = server.request("GET", "/__admin/traffic").json()
    assert_valid("admin-traffic", state)
    assert (state["state"], state["progress"]) == ("done", 1)
    ids = logs_case_ids(server, ORG_ID, API_TOKEN, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z")
    assert len(ids) == len(set(ids)) == summary["visitors"]
    assert len(by_path["/hooks/integration"]) == summary["visitors"]
    for body in by_path["/hooks/integration"]:
        assert_valid("integration-api", json.loads(body))
    for body in by_path["/hooks/events"]:
        assert_valid("conversation-event", json.loads(body))
    assert server.request("GET", "/__admin/violations").json() == {"violations": []}

    # The same seed on a fresh start of the same server gives the same world and the same payloads.
    assert server.request("POST", "/__admin/reset").status == 200
    receiver.clear()
    again, again_by_path, again_world = run_in_server(server, receiver)
    assert again == summary
    assert again_world == world
    assert again_by_path == by_path


def test_a_second_run_while_one_is_going_is_refused(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "manual", "--start", START)
    body = {"profile": "support-24x7", "duration": "1d", "speed": 1}
    first = server.request("POST", "/__admin/traffic", body=body)
    assert first.status == 202, first.body
    assert_valid("admin-traffic", first.json())
    refused = server.request("POST", "/__admin/traffic", body=body)
    assert refused.status == 409
    stopped = server.request("DELETE", "/__admin/traffic").json()
    assert stopped["state"] == "stopped"
    assert_valid("admin-traffic", stopped)
    assert server.request("GET", "/__admin/autopilot").json()["enabled"]  # the agents are back
    bad = server.request("POST", "/__admin/traffic", body={"profile": "nope", "duration": "1d"})
    assert (bad.status, bad.json()["code"]) == (400, 400)
    assert "no bundled profile" in bad.json()["message"]


def test_ctrl_c_stops_the_run_in_the_server_too_and_exits_130(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "manual", "--start", START)
    command = [sys.executable, "-m", "mocksnap", "traffic", "--profile", "support-24x7", "--speed", "1"]
    running = subprocess.Popen(
        [*command, "--server", server.base_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while server.request("GET", "/__admin/traffic").status != 200:
        assert time.monotonic() < deadline, "the run did not start"
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=20)
    assert running.returncode == 130, err
    assert "Traceback" not in err
    assert "stopped (Ctrl-C)" in err
    assert "visitors" in out  # what it had played
    assert server.request("GET", "/__admin/traffic").json()["state"] == "stopped"


def test_a_speed_for_a_server_whose_clock_it_cannot_set_is_refused(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "real")
    refused = server.request(
        "POST", "/__admin/traffic", body={"profile": "support-24x7", "duration": "1h", "speed": 60}
    )
    assert refused.status == 400
    assert "speed is for a server on a manual clock" in refused.json()["message"]


def test_a_profile_for_another_world_says_which_world_to_serve(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "manual")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mocksnap",
            "traffic",
            "--profile",
            "busy-retail",
            "--server",
            server.base_url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert "organization 5406213 does not have" in line
    assert "`mocksnap serve --world retail`" in line


def test_an_in_process_day_written_out_is_served_and_is_the_same_bytes_every_time(
    tmp_path: Path, spawn: Callable[..., Server]
) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    hooks = tmp_path / "hooks.jsonl"
    args = (
        "--profile",
        "quiet-saas",
        "--duration",
        "1d",
        "--seed",
        "7",
        "--webhooks",
        "http://127.0.0.1:9/h",
    )
    summary = traffic(*args, "--out", str(first), "--payloads", str(hooks))
    assert summary == traffic(*args, "--out", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert summary["violations"] == 0
    lines = hooks.read_text().splitlines()
    assert len(lines) == sum(summary["webhooks"].values())
    server = spawn("--world", str(first))
    ids = logs_case_ids(server, "7300002", "saas-api-token", "2026-11-22T00:00:00Z", "2026-11-25T00:00:00Z")
    assert len(ids) == summary["visitors"]
