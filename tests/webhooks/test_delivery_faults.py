"""Delivery faults played by the delivery engine: a dropped attempt and the retry schedule after it, a
duplicate, a delay that holds back its lane only, a reorder (with and without a delivery to go after), which
deliveries a fault picks, and a rate that a seed replays."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from mocksnap.clock import ManualClock, Scheduler
from mocksnap.faults import Faults
from mocksnap.webhooks.delivery import DeliveryEngine
from tests.conftest import assert_valid

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
URL = "http://127.0.0.1:9/hook"


class FakeTransport:
    """Answers 200 "ok" (or the statuses it is told, one per request) and records what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []
        self.statuses: list[int] = []

    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        self.sent.append((url, body))
        return (self.statuses.pop(0) if self.statuses else 200), {}, b"ok"

    def bodies(self) -> list[bytes]:
        return [body for _, body in self.sent]


def engine_with(*faults: dict[str, Any], seed: int = 0) -> tuple[DeliveryEngine, FakeTransport, Faults]:
    hook = Faults(seed)
    for body in faults:
        hook.add(body)
    transport = FakeTransport()
    return DeliveryEngine(Scheduler(ManualClock(START)), transport, faults=hook), transport, hook


def run(scenario) -> None:
    asyncio.run(scenario())


def test_a_dropped_attempt_fails_unsent_and_the_retry_schedule_takes_over() -> None:
    async def scenario() -> None:
        engine, transport, faults = engine_with({"delivery": {"action": "drop"}, "times": 1})
        engine.start(asyncio.get_running_loop())
        delivery = engine.enqueue("integration", "POST", URL, {}, b"x")
        await engine.idle()
        assert transport.sent == []
        assert delivery.status == "retrying"
        assert [(a.status, a.error) for a in delivery.attempts] == [(None, "dropped by fault f1")]
        await engine.scheduler.advance_async(10, settle=engine.idle)
        assert (delivery.status, transport.bodies()) == ("delivered", [b"x"])
        detail = delivery.detail()
        assert_valid("admin-delivery", detail)
        assert detail["faults"] == ["f1: attempt 1 dropped"]
        assert faults.get("f1").view() | {"delivery": None} == {
            "id": "f1",
            "delivery": None,
            "times": 1,
            "rate": None,
            "fired": 1,
            "remaining": 0,
        }
        await engine.stop()

    run(scenario)


def test_a_dropped_single_attempt_delivery_fails_and_says_why() -> None:
    async def scenario() -> None:
        engine, transport, _ = engine_with({"delivery": {"action": "drop", "kind": "bot"}})
        engine.start(asyncio.get_running_loop())
        failed: list = []
        delivery = engine.enqueue("bot", "POST", URL, {}, b"x", retry=False, on_failure=failed.append)
        await engine.idle()
        assert (delivery.status, failed, transport.sent) == ("failed", [delivery], [])
        assert delivery.attempts[0].error == "dropped by fault f1"
        await engine.stop()

    run(scenario)


def test_a_duplicate_is_the_same_request_sent_twice_in_one_attempt() -> None:
    async def scenario() -> None:
        engine, transport, _ = engine_with({"delivery": {"action": "duplicate"}, "times": 1})
        engine.start(asyncio.get_running_loop())
        answered: list = []
        transport.statuses = [200, 409]  # the receiver refuses the copy: the delivery stays delivered
        first = engine.enqueue("integration", "POST", URL, {"A": "1"}, b"1", on_answer=answered.append)
        second = engine.enqueue("integration", "POST", URL, {}, b"2")
        await engine.idle()
        assert transport.bodies() == [b"1", b"1", b"2"]
        assert (first.status, len(first.attempts), answered) == ("delivered", 1, [first])
        assert first.faults == ["f1: attempt 1 sent twice (the copy: HTTP 409)"]
        assert second.faults == []
        assert "faults" not in second.summary()
        await engine.stop()

    run(scenario)


def test_a_delay_holds_back_its_lane_only() -> None:
    async def scenario() -> None:
        slow_url = "http://127.0.0.1:9/slow"
        delay = {"action": "delay", "delay_ms": 200, "url": "*/slow"}
        engine, transport, _ = engine_with({"delivery": delay})
        engine.start(asyncio.get_running_loop())
        started = time.perf_counter()
        slow = engine.enqueue("conversation_event", "POST", slow_url, {}, b"slow")
        fast = engine.enqueue("conversation_event", "POST", URL, {}, b"fast")
        await engine.idle()
        assert time.perf_counter() - started >= 0.2
        assert transport.bodies() == [b"fast", b"slow"]
        assert (slow.status, fast.status) == ("delivered", "delivered")
        assert slow.faults == ["f1: held back 200 ms"]
        await engine.stop()

    run(scenario)


def test_a_reordered_delivery_goes_after_the_next_one_to_its_url() -> None:
    async def scenario() -> None:
        engine, transport, _ = engine_with({"delivery": {"action": "reorder"}, "times": 1})
        engine.start(asyncio.get_running_loop())
        first, *_ = [engine.enqueue("integration", "POST", URL, {}, body) for body in (b"1", b"2", b"3")]
        await engine.idle()
        assert transport.bodies() == [b"2", b"1", b"3"]
        assert first.faults == ["f1: sent after d0000002"]
        assert_valid("admin-deliveries", {"deliveries": [d.summary() for d in engine.log.values()]})
        await engine.stop()

    run(scenario)


def test_a_reordered_delivery_alone_waits_for_the_next_one() -> None:
    async def scenario() -> None:
        engine, transport, _ = engine_with({"delivery": {"action": "reorder"}, "times": 1})
        engine.start(asyncio.get_running_loop())
        first = engine.enqueue("agent_status", "POST", URL, {}, b"1")
        await engine.idle()
        assert (transport.sent, first.status) == ([], "queued")
        assert first.faults == ["f1: held for the next delivery in its lane"]
        engine.enqueue("agent_status", "POST", URL, {}, b"2")
        await engine.idle()
        assert transport.bodies() == [b"2", b"1"]
        assert first.faults[-1] == "f1: sent after d0000002"
        await engine.stop()

    run(scenario)


def test_reordering_every_delivery_swaps_pairs_and_never_swaps_them_back() -> None:
    async def scenario() -> None:
        engine, transport, faults = engine_with({"delivery": {"action": "reorder"}})
        engine.start(asyncio.get_running_loop())
        for body in (b"1", b"2", b"3", b"4"):
            engine.enqueue("integration", "POST", URL, {}, body)
        await engine.idle()
        assert transport.bodies() == [b"2", b"1", b"4", b"3"]
        assert faults.get("f1").fired == 2
        await engine.stop()

    run(scenario)


def test_a_fault_picks_deliveries_by_kind_and_url_and_the_first_that_fires_is_played() -> None:
    async def scenario() -> None:
        engine, transport, faults = engine_with(
            {"delivery": {"action": "drop", "kind": "get_contact"}},
            {"delivery": {"action": "drop", "url": "http://127.0.0.1:9/other*"}},
            {"delivery": {"action": "duplicate"}, "times": 1},
        )
        engine.start(asyncio.get_running_loop())
        contact = engine.enqueue("get_contact", "GET", URL, {}, retry=False)
        other = engine.enqueue("integration", "POST", "http://127.0.0.1:9/other/x", {}, b"o", retry=False)
        plain = engine.enqueue("integration", "POST", URL, {}, b"p")
        await engine.idle()
        assert (contact.status, other.status, plain.status) == ("failed", "failed", "delivered")
        assert transport.bodies() == [b"p", b"p"]
        assert [fault.fired for fault in faults.all()] == [1, 1, 1]
        await engine.stop()

    run(scenario)


def test_a_rate_draws_the_same_deliveries_from_the_same_seed() -> None:
    def dropped(seed: int) -> list[bool]:
        async def scenario() -> list[bool]:
            engine, _, _ = engine_with({"delivery": {"action": "drop"}, "rate": 0.5}, seed=seed)
            engine.start(asyncio.get_running_loop())
            found = [engine.enqueue("integration", "POST", URL, {}, b"x", retry=False) for _ in range(30)]
            await engine.idle()
            await engine.stop()
            return [delivery.status == "failed" for delivery in found]

        return asyncio.run(scenario())

    first = dropped(7)
    assert first == dropped(7)
    assert 5 < sum(first) < 25
    assert first != dropped(8)


def test_reset_forgets_a_delivery_held_for_a_reorder() -> None:
    async def scenario() -> None:
        engine, transport, _ = engine_with({"delivery": {"action": "reorder"}, "times": 1})
        engine.start(asyncio.get_running_loop())
        engine.enqueue("integration", "POST", URL, {}, b"1")
        await engine.idle()
        engine.reset()
        engine.enqueue("integration", "POST", URL, {}, b"2")
        await engine.idle()
        assert transport.bodies() == [b"2"]
        await engine.stop()

    run(scenario)
