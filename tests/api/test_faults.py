"""Inbound faults through the control API: the error body of each API family, Retry-After and other headers,
the next N calls, a rate that a seed replays, delays that never block the loop, the journal, the control API
never faulted, bad bodies refused with nothing made, one fault or all cleared, reset."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from falcon.testing import TestClient

from mocksnap.app import create_app
from mocksnap.clock import ManualClock
from mocksnap.world import World
from tests.conftest import (
    API_TOKEN,
    MONDAY_MORNING_BERLIN,
    ORG_ID,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    LocalClient,
    LocalConductor,
    assert_valid,
    default_document,
)

LOGS = f"/api/v2/{ORG_ID}/logs"
AUTH = {"Authorization": API_TOKEN}
TODAY = {"start": "2026-11-23", "end": "2026-11-23"}


def make_fault(client: TestClient, **body: Any) -> dict[str, Any]:
    answer = client.simulate_post("/__admin/faults", json=body)
    assert answer.status_code == 201, answer.text
    assert_valid("admin-fault", answer.json)
    return answer.json


def logs(client: TestClient) -> Any:
    return client.simulate_get(LOGS, params=TODAY, headers=AUTH)


def listed(client: TestClient) -> list[dict[str, Any]]:
    answer = client.simulate_get("/__admin/faults")
    assert answer.status_code == 200
    assert_valid("admin-faults", answer.json)
    return answer.json["faults"]


def test_a_429_on_the_logs_api_has_its_error_body_and_a_retry_after_then_the_real_answer(
    client: TestClient,
) -> None:
    fault = make_fault(client, method="get", path="/api/v2/*/logs", status=429, times=2)
    assert fault == {
        "id": "f1",
        "method": "GET",
        "path": "/api/v2/*/logs",
        "status": 429,
        "delay_ms": 0,
        "headers": {"Retry-After": "1"},
        "times": 2,
        "rate": None,
        "fired": 0,
        "remaining": 2,
    }
    for _ in range(2):
        answer = logs(client)
        assert answer.status_code == 429
        assert answer.headers["retry-after"] == "1"
        assert answer.json == {"code": 429, "message": "Too Many Requests"}
        assert_valid("api-error", answer.json)
    assert logs(client).status_code == 200
    [seen] = listed(client)
    assert (seen["fired"], seen["remaining"]) == (2, 0)


def test_each_api_family_answers_with_its_own_error_body(client: TestClient) -> None:
    make_fault(client, path="/public/api/v2/chat/*", status=503)
    make_fault(client, path="/api/v1/chat/poll/*", status=404)
    make_fault(client, method="POST", path="/api/v1/chat", status=500)
    availability = client.simulate_get(f"/public/api/v2/chat/{SUPPORT_WIDGET}")
    assert availability.status_code == 503
    assert availability.json == {"statusCode": 503, "error": {"message": "Service Unavailable"}}
    poll = client.simulate_post("/api/v1/chat/poll/some-case", headers={"x-api-key": VISITOR_KEY})
    assert (poll.status_code, poll.content) == (404, b"")  # the Visitor Chat API's empty 404
    start = client.simulate_post(
        "/api/v1/chat", params={"widgetId": SUPPORT_WIDGET}, headers={"x-api-key": VISITOR_KEY}
    )
    assert (start.status_code, start.json) == (500, {"code": 500, "message": "Internal Server Error"})
    assert "retry-after" not in start.headers


def test_the_headers_given_go_with_the_answer_and_replace_the_default_retry_after(client: TestClient) -> None:
    fault = make_fault(
        client, path="/api/v2/*", status=429, headers={"retry-after": "30", "X-RateLimit-Remaining": "0"}
    )
    assert fault["headers"] == {"retry-after": "30", "X-RateLimit-Remaining": "0"}
    answer = logs(client)
    assert (answer.headers["retry-after"], answer.headers["x-ratelimit-remaining"]) == ("30", "0")
    make_fault(client, path="/api/v1/user.json", status=503, headers={"Retry-After": "5"})
    assert client.simulate_get("/api/v1/user.json").headers["retry-after"] == "5"


def test_a_method_limits_the_fault_and_a_faulted_call_changes_nothing(
    client: TestClient, world: World
) -> None:
    make_fault(client, method="POST", path="/api/v1/chat", status=503)
    params = {"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"}
    refused = client.simulate_post("/api/v1/chat", params=params, headers={"x-api-key": VISITOR_KEY})
    assert refused.status_code == 503
    assert world.cases == {}
    answer = client.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers={"x-api-key": VISITOR_KEY})
    assert answer.status_code == 200


def test_a_faulted_call_is_in_the_journal_with_the_status_it_got(client: TestClient) -> None:
    make_fault(client, path="/api/v2/*/logs", status=504, times=1)
    logs(client)
    logs(client)
    journal = client.simulate_get("/__admin/requests").json
    assert_valid("admin-requests", journal)
    assert [(r["path"], r["status"]) for r in journal["requests"]] == [(LOGS, 504), (LOGS, 200)]


def _statuses(seed: int, count: int = 40) -> list[int]:
    world = World(default_document(), ManualClock(MONDAY_MORNING_BERLIN), seed=seed)
    client = LocalClient(create_app(world=world))
    make_fault(client, path="/api/v2/*/logs", status=500, rate=0.5)
    return [logs(client).status_code for _ in range(count)]


def test_a_rate_faults_a_share_of_calls_and_the_same_seed_replays_it(client: TestClient) -> None:
    first = _statuses(7)
    assert first == _statuses(7)
    assert 10 < first.count(500) < 30
    assert set(first) == {200, 500}
    assert first != _statuses(8)


def test_after_a_reset_the_same_faults_fire_on_the_same_calls(client: TestClient) -> None:
    def run() -> list[int]:
        make_fault(client, path="/api/v2/*/logs", status=503, rate=0.3)
        return [logs(client).status_code for _ in range(30)]

    first = run()
    assert client.simulate_post("/__admin/reset").status_code == 200
    assert listed(client) == []
    assert run() == first


def test_rate_zero_never_fires_and_rate_one_always_does(client: TestClient) -> None:
    make_fault(client, path="/api/v1/user.json", status=500, rate=0)
    make_fault(client, path="/api/v1/widget.json", status=500, rate=1)
    assert all(client.simulate_get("/api/v1/user.json").status_code != 500 for _ in range(10))
    assert all(client.simulate_get("/api/v1/widget.json").status_code == 500 for _ in range(10))
    assert [f["fired"] for f in listed(client)] == [0, 10]


def test_a_delay_alone_holds_the_call_back_then_the_resource_answers(client: TestClient) -> None:
    make_fault(client, path="/api/v2/*/logs", delay_ms=150, times=1)
    started = time.perf_counter()
    answer = logs(client)
    assert time.perf_counter() - started >= 0.15
    assert answer.status_code == 200
    assert_valid("logs-response", answer.json)


def test_a_delay_and_a_status_answer_the_status_late(client: TestClient) -> None:
    make_fault(client, path="/api/v2/*/logs", delay_ms=100, status=504)
    started = time.perf_counter()
    assert logs(client).status_code == 504
    assert time.perf_counter() - started >= 0.1


def test_delays_never_block_the_loop(world: World) -> None:
    app = create_app(world=world)

    async def scenario() -> float:
        async with LocalConductor(app) as conductor:
            created = await conductor.simulate_post(
                "/__admin/faults", json={"path": "/api/v2/*/logs", "delay_ms": 300}
            )
            assert created.status_code == 201
            started = time.perf_counter()
            slow = [
                asyncio.ensure_future(conductor.simulate_get(LOGS, params=TODAY, headers=AUTH))
                for _ in range(5)
            ]
            await asyncio.sleep(0.05)  # the five calls are under way, held back
            health = await conductor.simulate_get("/__admin/health")
            assert health.status_code == 200
            assert time.perf_counter() - started < 0.3
            answers = await asyncio.gather(*slow)
            assert [a.status_code for a in answers] == [200] * 5
            return time.perf_counter() - started

    assert asyncio.run(scenario()) < 1.0  # five delays of 0.3 s side by side, not one after another


def test_the_control_api_is_never_faulted(client: TestClient) -> None:
    make_fault(client, path="*", status=500)
    assert client.simulate_get("/__admin/health").status_code == 200
    assert client.simulate_get("/__admin/requests").status_code == 200
    assert logs(client).status_code == 500
    [fault] = listed(client)
    assert fault["fired"] == 1


@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        "[]",
        "{}",
        {"path": "/api/v2/*/logs"},
        {"path": "api/v2", "status": 500},
        {"path": "/__admin/health", "status": 500},
        {"path": "/x", "status": 200},
        {"path": "/x", "status": 600},
        {"path": "/x", "status": "500"},
        {"path": "/x", "status": 500, "times": 0},
        {"path": "/x", "status": 500, "rate": 1.5},
        {"path": "/x", "status": 500, "times": 2, "rate": 0.5},
        {"path": "/x", "status": 500, "method": "GE T"},
        {"path": "/x", "delay_ms": -1},
        {"path": "/x", "delay_ms": 50, "headers": {"X-A": "b"}},
        {"path": "/x", "status": 500, "headers": {"bad name": "b"}},
        {"path": "/x", "status": 500, "headers": {"X-A": 5}},
        {"path": "/x", "status": 500, "colour": "red"},
        {"delivery": {"action": "explode"}},
        {"delivery": {"action": "delay"}},
        {"delivery": {"action": "drop", "delay_ms": 10}},
        {"delivery": {"action": "drop", "kind": "email"}},
        {"delivery": {"action": "drop"}, "path": "/x"},
        {"delivery": {"action": "drop"}, "status": 500},
    ],
)
def test_a_bad_body_is_400_and_makes_nothing(client: TestClient, body: Any) -> None:
    answer = client.simulate_post("/__admin/faults", body=body if isinstance(body, str) else json.dumps(body))
    assert answer.status_code == 400
    assert_valid("api-error", answer.json)
    assert listed(client) == []
    assert make_fault(client, path="/x", status=500)["id"] == "f1"  # no id was used up


def test_a_bad_body_names_the_field(client: TestClient) -> None:
    cases = {
        '{"path": "/x"}': "body needs a status, a delay_ms, or both",
        '{"path": "/x", "status": 500, "times": 1, "rate": 0.5}': "body may have times or rate, not both",
        '{"path": "/__admin/*", "status": 500}': (
            "path must not be under /__admin: the control API is never faulted"
        ),
        '{"delivery": {"action": "drop", "delay_ms": 5}}': (
            "delivery may have delay_ms only with the delay action"
        ),
    }
    for body, message in cases.items():
        assert client.simulate_post("/__admin/faults", body=body).json["message"] == message


def test_a_delivery_fault_is_listed_with_its_defaults(client: TestClient) -> None:
    fault = make_fault(client, delivery={"action": "delay", "delay_ms": 500, "kind": "bot"}, rate=0.25)
    assert fault == {
        "id": "f1",
        "delivery": {"action": "delay", "kind": "bot", "url": "*", "delay_ms": 500},
        "times": None,
        "rate": 0.25,
        "fired": 0,
        "remaining": None,
    }
    assert client.simulate_get("/api/v1/user.json").status_code != 500  # no inbound fault


def test_one_fault_is_read_and_cleared_by_its_id_and_all_at_once(client: TestClient) -> None:
    make_fault(client, path="/api/v1/user.json", status=500)
    make_fault(client, path="/api/v1/widget.json", status=503)
    one = client.simulate_get("/__admin/faults/f2")
    assert one.status_code == 200
    assert_valid("admin-fault", one.json)
    assert one.json["path"] == "/api/v1/widget.json"
    assert client.simulate_delete("/__admin/faults/f1").status_code == 204
    assert [f["id"] for f in listed(client)] == ["f2"]
    assert client.simulate_get("/api/v1/user.json").status_code != 500
    missing = client.simulate_delete("/__admin/faults/f1")
    assert missing.status_code == 404
    assert_valid("api-error", missing.json)
    cleared = client.simulate_delete("/__admin/faults")
    assert (cleared.status_code, cleared.json) == (200, {"faults": []})
    assert client.simulate_get("/api/v1/widget.json").status_code != 503
    assert make_fault(client, path="/x", status=500)["id"] == "f3"  # an old id never names a new fault


def test_reset_clears_the_faults_and_ids_start_again(client: TestClient) -> None:
    make_fault(client, path="/api/v2/*/logs", status=500)
    make_fault(client, delivery={"action": "drop"})
    assert client.simulate_post("/__admin/reset").status_code == 200
    assert listed(client) == []
    assert logs(client).status_code == 200
    assert make_fault(client, path="/x", status=500)["id"] == "f1"


def test_a_status_written_with_a_fraction_of_zero_is_that_status(client: TestClient) -> None:
    """JSON has one kind of number: 438.0 and 4.38e2 are the integer 438, which JSON Schema's `integer`
    accepts, so the fault is made with it and answers it (it used to answer 500 when it fired)."""
    answer = client.simulate_post(
        "/__admin/faults",
        body=b'{"path": "/api/v2/*/logs", "status": 438.0, "delay_ms": 0.0, "times": 2e0}',
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json["status"], answer.json["delay_ms"], answer.json["times"]) == (438, 0, 2)
    assert '"status": 438,' in answer.text
    assert logs(client).status_code == 438
    assert logs(client).status_code == 438
    assert logs(client).status_code == 200
