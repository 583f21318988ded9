"""Faults on the wire: a real server answers a faulted Logs API call with a 429 and Retry-After and journals
it, and drops then duplicates an agent status webhook to a real receiver, the retry schedule in between."""

from __future__ import annotations

import json

from mocksnap.testing import MocksnapServer as Server
from tests.conftest import API_TOKEN, ORG_ID, assert_valid
from tests.webhooks.receiver import Receiver


def make_fault(server: Server, body: dict) -> dict:
    answer = server.request("POST", "/__admin/faults", body=body)
    assert answer.status == 201, answer.body
    assert_valid("admin-fault", answer.json())
    return answer.json()


def advance(server: Server, seconds: float) -> None:
    assert server.request("POST", "/__admin/clock/advance", body={"seconds": seconds}).status == 200


def test_a_faulted_logs_call_gets_429_with_retry_after_and_is_journaled(server: Server) -> None:
    make_fault(server, {"method": "GET", "path": "/api/v2/*/logs", "status": 429, "times": 1})
    path = f"/api/v2/{ORG_ID}/logs?start=2026-11-23&end=2026-11-23"
    limited = server.get(path, headers={"Authorization": API_TOKEN})
    assert (limited.status, limited.headers["Retry-After"]) == (429, "1")
    assert limited.json() == {"code": 429, "message": "Too Many Requests"}
    assert server.get(path, headers={"Authorization": API_TOKEN}).status == 200
    journal = server.get("/__admin/requests?path=/api/v2/*").json()["requests"]
    assert [entry["status"] for entry in journal] == [429, 200]


def test_a_dropped_webhook_is_retried_and_a_duplicate_reaches_the_receiver_twice(
    server: Server, receiver: Receiver
) -> None:
    make_fault(server, {"delivery": {"kind": "agent_status", "action": "drop"}, "times": 1})
    make_fault(server, {"delivery": {"kind": "agent_status", "action": "duplicate"}, "times": 1})
    hook = {"url": f"{receiver.url}/agents", "authToken": "agents-token"}
    webhook = server.request("PUT", f"/__admin/organizations/{ORG_ID}/agent-status-webhook", body=hook)
    assert webhook.status == 200
    status = json.dumps({"agent_id": "sam@example.com", "status": "pause"})
    answer = server.request("POST", "/api/v2/agentstatus", body=status, headers={"Authorization": API_TOKEN})
    assert answer.status == 200

    advance(server, 0)  # the first attempt is dropped: nothing on the wire, a retry in 10 s
    assert receiver.records() == []
    [dropped] = server.get("/__admin/deliveries?kind=agent_status").json()["deliveries"]
    detail = server.get(f"/__admin/deliveries/{dropped['id']}").json()
    assert_valid("admin-delivery", detail)
    assert detail["status"] == "retrying"
    assert [(a["status"], a["error"]) for a in detail["attemptLog"]] == [(None, "dropped by fault f1")]

    advance(server, 10)  # the retry goes out twice
    first, second = receiver.wait_for(2)
    assert (first.body, first.headers["authorization"]) == (second.body, second.headers["authorization"])
    assert first.json["status"] == "pause"
    detail = server.get(f"/__admin/deliveries/{dropped['id']}").json()
    assert_valid("admin-delivery", detail)
    assert (detail["status"], detail["attempts"]) == ("delivered", 2)
    assert detail["faults"] == ["f1: attempt 1 dropped", "f2: attempt 2 sent twice (the copy: HTTP 200)"]
    faults = server.get("/__admin/faults").json()
    assert_valid("admin-faults", faults)
    assert [(f["fired"], f["remaining"]) for f in faults["faults"]] == [(1, 0), (1, 0)]
