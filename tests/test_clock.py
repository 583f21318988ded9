"""Clocks and the scheduler: timers run in time order at their own instant, on a manual or a real loop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from mocksnap.clock import (
    MANUAL_START,
    AdvanceInterrupted,
    ManualClock,
    RealClock,
    ScaledClock,
    Scheduler,
    from_ms,
    iso,
    make_clock,
    to_ms,
)

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_advance_runs_due_timers_in_time_order_each_at_its_own_instant() -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    seen: list[tuple[str, str]] = []

    def note(name: str):
        return lambda: seen.append((name, iso(clock.now())))

    scheduler.call_later(5, note("b"))
    scheduler.call_later(2, note("a"))
    scheduler.call_later(5, note("c"))  # same instant as b: runs after it, in the order set
    scheduler.call_later(11, note("late"))
    assert scheduler.advance(10) == 3
    assert seen == [
        ("a", "2026-11-23T09:30:02.000Z"),
        ("b", "2026-11-23T09:30:05.000Z"),
        ("c", "2026-11-23T09:30:05.000Z"),
    ]
    assert clock.now() == START + timedelta(seconds=10)
    assert scheduler.pending() == 1


def test_timers_set_by_timers_run_in_the_same_advance_when_they_fall_due() -> None:
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    seen: list[int] = []

    def chain(n: int) -> None:
        seen.append(n)
        if n < 5:
            scheduler.call_later(1, lambda: chain(n + 1))

    scheduler.call_later(1, lambda: chain(1))
    assert scheduler.advance(3) == 3
    assert seen == [1, 2, 3]
    scheduler.advance(10)
    assert seen == [1, 2, 3, 4, 5]


def test_cancelled_timers_do_not_run_and_a_broken_timer_does_not_stop_the_others() -> None:
    scheduler = Scheduler(ManualClock(START))
    seen: list[str] = []
    scheduler.call_later(1, lambda: seen.append("cancelled")).cancel()
    scheduler.call_later(2, lambda: 1 / 0)
    scheduler.call_later(3, lambda: seen.append("after"))
    assert scheduler.advance(5) == 2
    assert seen == ["after"]


def test_advance_refuses_what_makes_no_sense() -> None:
    with pytest.raises(ValueError, match="backwards"):
        Scheduler(ManualClock(START)).advance(-1)
    with pytest.raises(TypeError, match="manual"):
        Scheduler(RealClock()).advance(1)


def test_scaled_clock_runs_speed_times_real_time() -> None:
    real = [100.0]
    clock = ScaledClock(60, START, monotonic=lambda: real[0])
    assert clock.now() == START
    real[0] += 2
    assert clock.now() == START + timedelta(minutes=2)
    assert clock.real_seconds_until(START + timedelta(minutes=3)) == pytest.approx(1.0)


def test_every_clock_tells_the_same_time_as_a_timestamp() -> None:
    manual = ManualClock(START)
    manual.set(START + timedelta(microseconds=123_456))
    assert manual.timestamp() == manual.now().timestamp()
    real = [100.0]
    scaled = ScaledClock(60, START, monotonic=lambda: real[0])
    real[0] += 2.5
    assert scaled.timestamp() == pytest.approx(scaled.now().timestamp(), abs=1e-6)
    wall = RealClock()
    before = wall.now().timestamp()
    # A datetime holds whole microseconds, a POSIX timestamp less: each may be under a microsecond apart.
    assert before - 1e-6 <= wall.timestamp() <= wall.now().timestamp() + 1e-6


def test_make_clock() -> None:
    assert make_clock("manual", start=START).now() == START
    # Without a start, a manual clock starts at the same instant on every run, whenever that run is.
    assert make_clock("manual").now() == make_clock("manual").now() == MANUAL_START
    assert make_clock("real", start=START).now() >= START
    assert isinstance(make_clock("real"), RealClock)
    assert make_clock("scaled", 10, START).speed == 10
    with pytest.raises(ValueError, match="unknown clock"):
        make_clock("sundial")


def test_ms_conversions_round_trip() -> None:
    assert to_ms(START) == 1795426200000
    assert from_ms(to_ms(START) + 5) == START + timedelta(milliseconds=5)


def test_on_a_loop_the_scheduler_wakes_itself_when_timers_fall_due() -> None:
    async def scenario() -> list[str]:
        clock = ScaledClock(100, START)  # 1 clock second = 10 real ms
        scheduler = Scheduler(clock)
        seen: list[str] = []
        done = asyncio.Event()
        scheduler.start(asyncio.get_running_loop())
        scheduler.call_later(3, lambda: seen.append("second"))
        scheduler.call_later(1, lambda: seen.append("first"))  # earlier than the armed one: re-arms
        scheduler.call_later(5, done.set)
        await asyncio.wait_for(done.wait(), timeout=5)
        scheduler.stop()
        return seen

    assert asyncio.run(scenario()) == ["first", "second"]


def test_cancelled_timers_do_not_pile_up_in_the_heap() -> None:
    scheduler = Scheduler(ManualClock(START))
    keep = scheduler.call_later(10_000, lambda: None)
    for _ in range(5000):
        scheduler.call_later(3600, lambda: None).cancel()
    assert len(scheduler._heap) < 2100  # rebuilt whenever cancelled timers are most of it
    assert scheduler.pending() == 1
    assert scheduler.next_due() == keep.due


def test_an_advance_stops_when_the_timers_are_cleared_under_it() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = ManualClock(start)
    scheduler = Scheduler(clock)
    ran: list[str] = []

    async def slow_work() -> None:
        await asyncio.sleep(0.05)
        ran.append("slow")

    async def scenario() -> None:
        scheduler.call_later(10, slow_work)
        scheduler.call_later(20, lambda: ran.append("later"))
        advancing = asyncio.ensure_future(scheduler.advance_async(60))
        await asyncio.sleep(0.01)  # the advance awaits the slow work of the first timer
        clock.set(start)  # as a reset does
        scheduler.clear()
        with pytest.raises(AdvanceInterrupted):
            await advancing

    asyncio.run(scenario())
    assert ran == ["slow"]
    assert clock.now() == start


def test_an_advance_through_many_due_timers_lets_other_tasks_run_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("mocksnap.clock.TURN_S", 0.0)  # a turn as short as can be: one timer
    clock = ManualClock(START)
    scheduler = Scheduler(clock)
    ran: list[str] = []
    for i in range(3):
        scheduler.call_later(10 + i, lambda i=i: ran.append(f"timer {i}"))

    async def other() -> None:
        while len(ran) < 5:
            ran.append("other")
            await asyncio.sleep(0)

    async def scenario() -> None:
        await asyncio.gather(scheduler.advance_async(60), other())

    asyncio.run(scenario())
    timers = [i for i, what in enumerate(ran) if what.startswith("timer")]
    assert timers[-1] - timers[0] > 2  # something else ran between the first timer and the last
    assert clock.now() == START + timedelta(seconds=60)
