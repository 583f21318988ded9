"""The delivery engine against a real receiver: attempts, the retry schedule on a manual clock, timeouts,
refused connections, order per URL, the log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from mocksnap.clock import ManualClock, Scheduler, iso
from mocksnap.webhooks.delivery import GIVE_UP_AFTER_S, DeliveryEngine, wire_url
from tests.webhooks.receiver import Receiver

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def engine_on_manual_clock(timeout: float = 2.0) -> DeliveryEngine:
    return DeliveryEngine(Scheduler(ManualClock(START)), timeout=timeout)


def run(scenario) -> None:
    asyncio.run(scenario())


def seconds_after_start(engine_delivery) -> list[float]:
    return [(a.at - START).total_seconds() for a in engine_delivery.attempts]


def test_a_2xx_delivers_at_once_with_the_headers_given(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        headers = {"Authorization": "secret", "Content-Type": "application/json"}
        body, meta = b'{"id": "1"}', {"caseId": "1"}
        delivery = engine.enqueue("integration", "POST", receiver.url, headers, body, meta)
        await engine.idle()
        assert delivery.status == "delivered"
        assert [(a.status, a.error) for a in delivery.attempts] == [(200, None)]
        [request] = receiver.records()
        assert (request.method, request.path, request.body) == ("POST", "/", b'{"id": "1"}')
        assert request.headers["authorization"] == "secret"
        detail = delivery.detail()
        assert detail["attemptLog"][0]["at"] == iso(START)
        assert (detail["caseId"], detail["responseStatus"], detail["responseBody"]) == ("1", 200, "ok")
        await engine.stop()

    run(scenario)


def test_a_failing_receiver_gets_the_retry_schedule_on_a_manual_clock(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        receiver.fail_next(3)
        delivery = engine.enqueue("integration", "POST", receiver.url, {}, b"x")
        await engine.idle()
        assert (delivery.status, delivery.next_attempt_at) == ("retrying", START + timedelta(seconds=10))
        await engine.scheduler.advance_async(3600, settle=engine.idle)
        assert delivery.status == "delivered"
        assert seconds_after_start(delivery) == [0, 10, 40, 100]  # 10, 30, 60 s apart
        assert [a.status for a in delivery.attempts] == [500, 500, 500, 200]
        await engine.stop()

    run(scenario)


def test_after_two_hours_of_failures_a_delivery_falls_back_to_email(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        receiver.fail_next(100, status=503)
        delivery = engine.enqueue("integration", "POST", receiver.url, {}, b"x")
        await engine.scheduler.advance_async(3 * 3600, settle=engine.idle)
        assert delivery.status == "email_fallback"
        times = seconds_after_start(delivery)
        assert times == [0, 10, 40, 100, 220, 520, 1120, 2020, 3820, 5620, GIVE_UP_AFTER_S]
        assert all(a.status == 503 for a in delivery.attempts)
        await engine.stop()

    run(scenario)


def test_a_receiver_that_hangs_past_the_timeout_is_a_failed_attempt(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock(timeout=0.3)
        engine.start(asyncio.get_running_loop())
        receiver.hang_next(1, 1.0)
        delivery = engine.enqueue("integration", "POST", receiver.url, {}, b"x")
        await engine.idle()
        assert delivery.attempts[0].error == "no answer within 0.3 s"
        assert delivery.status == "retrying"
        await engine.scheduler.advance_async(10, settle=engine.idle)
        assert delivery.status == "delivered"
        await engine.stop()

    run(scenario)


def test_refused_connections_are_retried_and_nothing_is_lost() -> None:
    async def scenario() -> None:
        receiver = Receiver()
        url = receiver.url
        receiver.close()  # nobody listens there now
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        delivery = engine.enqueue("integration", "POST", url, {}, b"x")
        await engine.idle()
        assert delivery.status == "retrying"
        assert delivery.attempts[0].status is None
        assert delivery.attempts[0].error
        await engine.scheduler.advance_async(3 * 3600, settle=engine.idle)
        assert delivery.status == "email_fallback"
        await engine.stop()

    run(scenario)


def test_deliveries_to_one_url_keep_their_order_across_retries(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        elsewhere = Receiver()
        receiver.fail_next(2)
        first = engine.enqueue("event", "POST", receiver.url, {}, b"1")
        second = engine.enqueue("event", "POST", receiver.url, {}, b"2")
        other = engine.enqueue("event", "POST", elsewhere.url, {}, b"elsewhere")
        await engine.idle()
        assert (first.status, second.status, other.status) == ("retrying", "queued", "delivered")
        await engine.scheduler.advance_async(60, settle=engine.idle)
        assert (first.status, second.status) == ("delivered", "delivered")
        assert [r.body for r in receiver.records()] == [b"1", b"1", b"1", b"2"]
        await engine.stop()
        elsewhere.close()

    run(scenario)


def test_the_log_is_bounded_filtered_and_redelivers(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = DeliveryEngine(Scheduler(ManualClock(START)), log_size=5)
        engine.start(asyncio.get_running_loop())
        for i in range(8):
            engine.enqueue("event", "POST", receiver.url, {}, str(i).encode(), {"caseId": f"c{i % 2}"})
        await engine.idle()
        assert len(engine.log) == 5
        assert [d.body for d in engine.find(caseId="c1")] == [b"3", b"5", b"7"]
        assert engine.find(status="retrying") == []
        again = engine.redeliver(engine.find(caseId="c1")[0].id)
        await engine.idle()
        assert (again.status, again.body, again.meta["redeliveryOf"]) == ("delivered", b"3", "d0000004")
        await engine.stop()

    run(scenario)


def test_without_a_loop_deliveries_wait_queued_until_there_is_one(receiver: Receiver) -> None:
    engine = engine_on_manual_clock()
    delivery = engine.enqueue("event", "POST", receiver.url, {}, b"x")
    assert delivery.status == "queued"

    async def scenario() -> None:
        engine.start(asyncio.get_running_loop())
        await engine.idle()
        assert delivery.status == "delivered"
        await engine.stop()

    run(scenario)


def test_attempts_cut_short_by_a_stop_are_taken_up_again_at_the_next_start(receiver: Receiver) -> None:
    engine = engine_on_manual_clock()
    receiver.hang_next(1, 0.5)

    async def first_loop() -> None:
        engine.start(asyncio.get_running_loop())
        engine.enqueue("event", "POST", receiver.url, {}, b"x")
        await asyncio.sleep(0.1)  # the attempt is under way when the loop stops
        await engine.stop()

    async def second_loop() -> None:
        engine.start(asyncio.get_running_loop())
        await engine.idle()
        await engine.stop()

    asyncio.run(first_loop())
    [delivery] = engine.log.values()
    assert delivery.status == "queued"
    asyncio.run(second_loop())
    assert delivery.status == "delivered"


def test_a_single_attempt_delivery_fails_at_once_and_says_so(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        failed = []
        receiver.fail_next(1, status=503)
        delivery = engine.enqueue(
            "bot", "POST", receiver.url, {}, b"x", retry=False, on_failure=failed.append
        )
        await engine.idle()
        assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
        assert [(a.status, a.error) for a in delivery.attempts] == [(503, "HTTP 503")]
        assert failed == [delivery]
        assert engine.find(status="failed") == [delivery]
        await engine.stop()

    run(scenario)


def test_an_answer_the_handler_refuses_fails_the_delivery_with_its_reason(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        failed, answered = [], []

        def refuse(delivery) -> str:
            answered.append(delivery.response_body)
            return "the reply is not JSON"

        delivery = engine.enqueue(
            "bot", "POST", receiver.url, {}, b"x", on_answer=refuse, on_failure=failed.append, retry=False
        )
        await engine.idle()
        assert answered == [b"ok"]
        assert delivery.status == "failed"
        assert [(a.status, a.error) for a in delivery.attempts] == [(200, "the reply is not JSON")]
        assert failed == [delivery]
        await engine.stop()

    run(scenario)


def test_lanes_keep_order_within_themselves_but_do_not_hold_each_other_back(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock(timeout=0.5)
        engine.start(asyncio.get_running_loop())
        receiver.hang_next(1, 1.0)  # the first chat's first call hangs past the timeout
        slow = engine.enqueue("bot", "POST", receiver.url, {}, b"a1", retry=False, lane="chat-a")
        after = engine.enqueue("bot", "POST", receiver.url, {}, b"a2", retry=False, lane="chat-a")
        # Chat b's call goes once chat a's first one hangs at the receiver: sent together, either could
        # have arrived first and been the one to hang.
        await asyncio.to_thread(receiver.wait_for, 1)
        other = engine.enqueue("bot", "POST", receiver.url, {}, b"b1", retry=False, lane="chat-b")
        await engine.idle()
        assert (slow.status, after.status, other.status) == ("failed", "delivered", "delivered")
        bodies = [r.body for r in receiver.records()]
        assert bodies.index(b"b1") < bodies.index(b"a2")  # chat b went while chat a waited
        assert bodies.index(b"a1") < bodies.index(b"a2")
        assert engine._queues == {}  # finished lanes are forgotten
        await engine.stop()

    run(scenario)


def test_giving_up_after_two_hours_calls_the_failure_handler(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        failed = []
        receiver.fail_next(100)
        delivery = engine.enqueue("integration", "POST", receiver.url, {}, b"x", on_failure=failed.append)
        await engine.idle()
        assert failed == []
        await engine.scheduler.advance_async(GIVE_UP_AFTER_S, settle=engine.idle)
        assert delivery.status == "email_fallback"
        assert failed == [delivery]
        await engine.stop()

    run(scenario)


@pytest.mark.parametrize(
    ("given", "on_the_wire"),
    [
        (
            "http://h/c?email=a%40b.com&url=http%3A%2F%2Fx.io%2F",
            "http://h/c?email=a%40b.com&url=http%3A%2F%2Fx.io%2F",
        ),
        ("http://h/c?email=a@b.com", "http://h/c?email=a@b.com"),
        ("http://h/ça va?q=é", "http://h/%C3%A7a%20va?q=%C3%A9"),
    ],
)
def test_a_url_goes_out_as_given_only_what_a_url_cannot_hold_encoded(given: str, on_the_wire: str) -> None:
    assert wire_url(given) == on_the_wire


def test_answered_waits_for_the_calls_whose_answers_change_the_world_only(receiver: Receiver) -> None:
    async def scenario() -> None:
        engine = engine_on_manual_clock()
        engine.start(asyncio.get_running_loop())
        receiver.hang_next(1, 0.5)
        posted = engine.enqueue("integration", "POST", f"{receiver.url}/case", {}, b"x")
        await asyncio.sleep(0.05)
        await engine.answered()
        assert posted.status == "delivering"  # nothing hangs on its answer
        heard: list[bytes] = []
        receiver.hang_next(1, 0.2)
        lookup = engine.enqueue(
            "get_contact",
            "GET",
            f"{receiver.url}/contact",
            {},
            on_answer=lambda d: heard.append(d.response_body),
        )
        await engine.answered()
        assert (lookup.status, heard) == ("delivered", [b"ok"])
        await engine.idle()
        assert posted.status == "delivered"
        await engine.stop()

    run(scenario)
