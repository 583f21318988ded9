"""Clocks and the scheduler. Everything in the product that needs the time asks the clock it was given, and
every delayed thing (an agent's reply, a timeout, a retry) is a timer of the scheduler, never a sleep.

- RealClock: the system's time.
- ScaledClock: starts at a given instant and runs `speed` times faster (or slower) than real time.
- ManualClock: moves only when the scheduler is told to advance it, running each timer at its own instant.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

log = logging.getLogger("mocksnap.clock")
TURN_S = 0.01  # real seconds an advance runs timers before it lets other requests be answered
PAUSE_S = 0.001  # and how long it lets them


def to_ms(instant: datetime) -> int:
    """Epoch milliseconds, the unit of every timestamp on the wire."""
    return round(instant.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Clock:
    mode = "real"
    speed = 1.0

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        raise NotImplementedError

    def timestamp(self) -> float:
        """The current time in POSIX seconds: what a request's path asks, cheaper than a datetime."""
        return self.now().timestamp()

    def now_ms(self) -> int:
        return to_ms(self.now())

    def real_seconds_until(self, instant: datetime) -> float:
        """How long, in real seconds, until the clock shows the instant (never negative)."""
        return max(0.0, (instant - self.now()).total_seconds() / self.speed)


class RealClock(Clock):
    timestamp = staticmethod(time.time)  # no frame of its own: a request asks it

    def now(self) -> datetime:
        return datetime.now(UTC)


class ScaledClock(Clock):
    mode = "scaled"

    def __init__(
        self, speed: float, start: datetime | None = None, monotonic: Callable[[], float] = time.monotonic
    ):
        if speed <= 0:
            raise ValueError("the speed must be positive")
        self.speed = speed
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._monotonic = monotonic
        self._origin = monotonic()
        self._start_timestamp = self._start.timestamp()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(self._monotonic() - self._origin) * self.speed)

    def timestamp(self) -> float:
        return self._start_timestamp + (self._monotonic() - self._origin) * self.speed


class ManualClock(Clock):
    """Moves only when told, so a test can put the world at any instant and get the same answer every run."""

    mode = "manual"

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a manual clock needs a timezone-aware start")
        self.set(start)

    def now(self) -> datetime:
        return self._now

    def timestamp(self) -> float:
        return self._timestamp

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the clock is set to timezone-aware instants only")
        self._now = instant.astimezone(UTC)
        self._timestamp = self._now.timestamp()

    def real_seconds_until(self, instant: datetime) -> float:
        return float("inf")  # it never gets there by itself


# Where a manual clock starts when not told: a fixed instant, so that a seed and a manual clock give the same
# bytes on every run (Monday 23 November 2026, 10:30 in Berlin, inside every bundled widget's hours).
MANUAL_START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def make_clock(mode: str, speed: float = 1.0, start: datetime | None = None) -> Clock:
    """The clock of `--clock real|manual|scaled [--speed X] [--start ISO8601]`."""
    if mode == "manual":
        return ManualClock(start or MANUAL_START)
    if mode == "scaled":
        return ScaledClock(speed, start)
    if mode == "real":
        return ScaledClock(1.0, start) if start else RealClock()
    raise ValueError(f"unknown clock {mode!r}: real, manual or scaled")


class Timer:
    __slots__ = ("callback", "cancelled", "due", "scheduler", "seq")

    def __init__(self, due: datetime, seq: int, callback: Callable[[], object], scheduler: Scheduler) -> None:
        self.due = due
        self.seq = seq
        self.callback = callback
        self.scheduler = scheduler
        self.cancelled = False

    def __lt__(self, other: Timer) -> bool:
        return (self.due, self.seq) < (other.due, other.seq)

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self.scheduler._cancelled_one()


def _run(timer: Timer) -> object:
    """One broken timer is logged, and does not stop the others."""
    timer.cancelled = True  # done: cancelling it now changes nothing
    try:
        return timer.callback()
    except Exception:
        log.exception("a timer due at %s failed", iso(timer.due))
        return None


class AdvanceInterrupted(Exception):
    """The timers were cleared (the world reset or replaced) while an advance waited for work it started."""


class Scheduler:
    """A heap of timers on the clock. Timers due at the same instant run in the order they were set.

    On a manual clock, `advance` runs them. On the other clocks, once `start` has given it the event
    loop, it wakes itself when the next timer falls due; callbacks run on the loop, as requests do.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._heap: list[Timer] = []
        self._seq = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.TimerHandle | None = None
        self._armed_for: Timer | None = None
        self._cancelled = 0
        self._clears = 0  # how many times the timers were cleared: an advance under way stops at a clear

    def _cancelled_one(self) -> None:
        """Cancelled timers wait in the heap until they come up; when they are most of it (a busy world
        cancels a timeout per chat), the heap is rebuilt without them, so memory follows the live timers."""
        self._cancelled += 1
        if self._cancelled > 1024 and self._cancelled * 2 > len(self._heap):
            self._heap = [timer for timer in self._heap if not timer.cancelled]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def call_at(self, due: datetime, callback: Callable[[], object]) -> Timer:
        timer = Timer(due, next(self._seq), callback, self)
        heapq.heappush(self._heap, timer)
        if self._heap[0] is timer:
            self._arm()
        return timer

    def call_later(self, seconds: float, callback: Callable[[], object]) -> Timer:
        return self.call_at(self.clock.now() + timedelta(seconds=seconds), callback)

    def pending(self) -> int:
        return sum(not timer.cancelled for timer in self._heap)

    def clear(self) -> None:
        self._heap.clear()
        self._cancelled = 0
        self._clears += 1
        self._arm()

    def next_due(self) -> datetime | None:
        self._drop_cancelled()
        return self._heap[0].due if self._heap else None

    def _drop_cancelled(self) -> None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
            self._cancelled -= 1

    def run_due(self) -> int:
        """Run every timer due by the clock's time, in time order; how many ran."""
        ran = 0
        while True:
            self._drop_cancelled()
            if not self._heap or self._heap[0].due > self.clock.now():
                break
            _run(heapq.heappop(self._heap))
            ran += 1
        return ran

    def _manual(self, seconds: float) -> tuple[ManualClock, datetime]:
        """The manual clock, and where it is to be moved to."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError(f"only a manual clock is advanced by hand; this one is {self.clock.mode}")
        if seconds < 0:
            raise ValueError("time does not run backwards")
        return self.clock, self.clock.now() + timedelta(seconds=seconds)

    def _due(self, clock: ManualClock, target: datetime) -> Iterator[Timer]:
        """The timers due by the target, in time order, the clock set to each one's instant in turn (timers
        that those set, due by the target too, come in their place)."""
        while True:
            self._drop_cancelled()
            if not self._heap or self._heap[0].due > target:
                return
            timer = heapq.heappop(self._heap)
            clock.set(max(timer.due, clock.now()))
            yield timer

    def advance(self, seconds: float) -> int:
        """Move a manual clock forward, running each timer that falls due at its own instant; how many ran."""
        clock, target = self._manual(seconds)
        ran = 0
        for timer in self._due(clock, target):
            _run(timer)
            ran += 1
        clock.set(target)
        return ran

    async def advance_async(self, seconds: float, settle: Callable[[], Awaitable[None]] | None = None) -> int:
        """`advance` for timers that start work on the loop (a delivery's retry returns its task): that work,
        and whatever `settle` waits for, is finished before the clock moves on to the next timer."""
        clock, target = self._manual(seconds)
        clears = self._clears

        async def wait(work: Awaitable[object]) -> None:
            """Await the work; raise AdvanceInterrupted if the timers were cleared meanwhile (the clock is
            then where the clear left it: a reset puts a manual clock back at its start)."""
            try:
                await work
            except asyncio.CancelledError:
                # The work was cancelled by the clear (a reset cancels the deliveries under way); a
                # cancellation of the advance itself (a traffic run that a reset stops) goes on up.
                current = asyncio.current_task()
                if self._clears == clears or (current is not None and current.cancelling()):
                    raise
            if self._clears != clears:
                raise AdvanceInterrupted("the timers were cleared while the clock advanced")

        if settle is not None:
            await wait(settle())
        ran = 0
        turn_ends = time.perf_counter() + TURN_S
        for timer in self._due(clock, target):
            started = _run(timer)
            ran += 1
            if inspect.isawaitable(started):
                await wait(started)
            if settle is not None:
                await wait(settle())
            if time.perf_counter() > turn_ends:  # many timers due at once: the server answers meanwhile
                # Not sleep(0): a request needs a few turns of the loop (and its socket read) to be answered.
                await wait(asyncio.sleep(PAUSE_S))
                turn_ends = time.perf_counter() + TURN_S
        clock.set(target)
        return ran

    # -- on an event loop -------------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._arm()

    def stop(self) -> None:
        if self._wakeup is not None:
            self._wakeup.cancel()
        self._loop = self._wakeup = self._armed_for = None

    def _arm(self) -> None:
        if self._loop is None or isinstance(self.clock, ManualClock):
            return
        self._drop_cancelled()
        head = self._heap[0] if self._heap else None
        if head is self._armed_for and self._wakeup is not None:
            return
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None
        self._armed_for = head
        if head is not None:
            self._wakeup = self._loop.call_later(self.clock.real_seconds_until(head.due), self._fire)

    def _fire(self) -> None:
        self._wakeup = self._armed_for = None
        self.run_due()
        self._arm()
