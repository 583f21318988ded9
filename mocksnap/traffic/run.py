"""Running the generator in-process: a world of its own, its webhooks built by the same dispatcher and bot
bridge as the server's, then either recorded (as fast as possible, on a manual clock) or sent for real (at
`speed` times real time, on a scaled clock, through the delivery engine)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from mocksnap import heap
from mocksnap.actors.bots import BotBridge
from mocksnap.clock import ManualClock, ScaledClock, iso
from mocksnap.traffic.generator import Traffic
from mocksnap.traffic.profile import Profile
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Dispatcher, Violations
from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Organization

ALL_EVENTS = [
    "caseQueued",
    "caseBroadcasted",
    "caseAssigned",
    "caseResponded",
    "caseLabeled",
    "caseTransferred",
    "caseSurveyed",
    "caseClosed",
]
STEP_S = 300  # virtual seconds per step of a fast run: the progress is reported between steps
CHECK_EVERY = 50  # a fast run checks a sample of its payloads against their schemas (see Violations)
# After the last arrival, at most this long for the chats under way to end and their surveys to come; a run
# stops sooner once nothing of its own is left (Traffic.over).
TAIL_S = 2 * 3600


class RecordingOutbox:
    """Stands in for the delivery engine of a fast run: every request is built and counted, and written to
    `stream` (one JSON line each) when there is one, but nothing is sent."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream
        self.counts: Counter[str] = Counter()

    def enqueue(
        self,
        kind: str,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes = b"",
        meta: dict[str, Any] | None = None,
        *_: Any,
        **__: Any,
    ) -> None:
        self.counts[kind] += 1
        if self.stream is not None:
            line = {"kind": kind, "method": method, "url": url, "headers": headers, "body": body.decode()}
            self.stream.write(json.dumps(line, ensure_ascii=False) + "\n")


def subscribe_everything(world: World, org: Organization, base_url: str) -> None:
    """Every widget's Integration API (JSON) and conversation events, and the organization's agent status
    changes, to URLs under base_url: /integration, /events, /agent-status."""
    base = base_url.rstrip("/")
    for widget_id in org.widgets:
        world.set_integrations(
            org,
            widget_id,
            {
                "integrationApi": {"url": f"{base}/integration", "format": "json"},
                "conversationEvents": {"url": f"{base}/events", "events": ALL_EVENTS},
            },
        )
    world.set_agent_status_webhook(org, {"url": f"{base}/agent-status"})


@dataclass
class Summary:
    traffic: dict[str, int]
    webhooks: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    violations: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.traffic,
            "webhooks": self.webhooks,
            "failures": self.failures,
            "violations": self.violations,
        }


def build_world(profile: Profile, seed: int, clock: ManualClock | ScaledClock) -> World:
    return World(profile.world_document(), clock, seed=seed)


def run_fast(
    profile: Profile,
    *,
    seed: int,
    start: datetime,
    duration_s: float,
    webhooks: str | None = None,
    payloads: IO[str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[World, Summary]:
    """As fast as possible on a manual clock: the run's arrivals, then until their chats have ended (TAIL_S
    at most)."""
    world = build_world(profile, seed, ManualClock(start))
    outbox = RecordingOutbox(payloads)
    violations = Violations(check_every=CHECK_EVERY)
    Dispatcher(world, outbox, violations)  # type: ignore[arg-type]  # it only enqueues
    BotBridge(world, outbox, violations)  # type: ignore[arg-type]
    traffic = Traffic(world, profile, seed)
    if webhooks:
        subscribe_everything(world, traffic.org, webhooks)
    traffic.start(duration_s)
    total = duration_s + TAIL_S
    done = 0.0
    while done < total and not traffic.over:
        step = min(STEP_S, total - done)
        world.scheduler.advance(step)
        done += step
        if progress is not None:
            progress(done / total)
    traffic.stop()
    if progress is not None:
        progress(1.0)  # a run ends before its tail is over once nothing of its own is left
    summary = Summary(traffic.stats.as_dict(), dict(sorted(outbox.counts.items())), 0, len(violations.list()))
    return world, summary


async def run_live(
    profile: Profile,
    *,
    seed: int,
    start: datetime,
    duration_s: float,
    speed: float,
    webhooks: str | None = None,
    timeout: float = 10.0,
    progress: Callable[[float], None] | None = None,
) -> tuple[World, Summary]:
    """At `speed` times real time on a scaled clock: webhooks go out through the delivery engine as the chats
    happen. Returns once the run and its tail have played and the deliveries under way are done."""
    clock = ScaledClock(speed, start)
    world = build_world(profile, seed, clock)
    engine = DeliveryEngine(world.scheduler, timeout=timeout)
    violations = Violations()
    Dispatcher(world, engine, violations)
    BotBridge(world, engine, violations)
    traffic = Traffic(world, profile, seed)
    if webhooks:
        subscribe_everything(world, traffic.org, webhooks)
    loop = asyncio.get_running_loop()
    world.scheduler.start(loop)
    engine.start(loop)
    traffic.start(duration_s)
    total = duration_s + TAIL_S
    try:
        while (elapsed := (clock.now() - start).total_seconds()) < total and not traffic.over:
            if progress is not None:
                progress(min(1.0, elapsed / total))
            await asyncio.sleep(min(0.2, (total - elapsed) / speed))
        await engine.idle()
    finally:
        traffic.stop()
        world.scheduler.stop()
        await engine.stop()
    if progress is not None:
        progress(1.0)
    deliveries = list(engine.log.values())
    summary = Summary(
        traffic.stats.as_dict(),
        dict(sorted(engine.enqueued_by_kind.items())),
        engine.given_up + sum(d.status == "retrying" for d in deliveries),
        len(violations.list()),
    )
    return world, summary


class ServerRun:
    """A run inside a server, on the server's own world, clock and delivery engine (POST /__admin/traffic).

    On a manual clock the run moves the clock itself: `speed` times real time, or as fast as it can, a step at
    a time, yielding to the server between steps so that requests are answered and webhooks go out. On the
    other clocks the arrivals are timers that play out as the clock goes. The simulated agents of the
    autopilot stand aside while it runs: the generator plays the agents itself.
    """

    def __init__(
        self,
        world: World,
        engine: DeliveryEngine,
        autopilot: Any,
        profile: Profile,
        *,
        seed: int,
        duration_s: float,
        speed: float | None = None,
        webhooks: str | None = None,
        violations: Violations | None = None,
    ) -> None:
        self.world, self.engine, self.autopilot = world, engine, autopilot
        self.violations = violations
        self.profile, self.seed, self.duration_s, self.speed = profile, seed, duration_s, speed
        self.traffic = Traffic(world, profile, seed)
        if webhooks:
            subscribe_everything(world, self.traffic.org, webhooks)
        self.state = "running"
        self._first_delivery = engine.enqueued
        self._given_up_before = engine.given_up
        self._autopilot_was: bool | None = autopilot.enabled  # None: leave the switch as it is at the end
        self._figures: dict[str, Any] | None = None  # as they stood when its world was reset or replaced
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self.autopilot.enabled = False
        if self.violations is not None:  # checks a sample of the payloads while it runs, as a fast run does
            self._check_every_was = self.violations.check_every
            self.violations.check_every = CHECK_EVERY
        self.world.events.subscribe(self._on_event)
        self.traffic.start(self.duration_s)
        self._task = asyncio.get_running_loop().create_task(self._play())

    def _on_event(self, event: DomainEvent) -> None:
        if event.kind in ("world.reset", "world.replaced"):  # its world is gone: so is the run
            self._figures = self.view()  # before the delivery log goes with it
            if event.kind == "world.reset":  # which turns the simulated agents on, for good
                self._autopilot_was = None
            self.stop()

    async def _play(self) -> None:
        total = self.duration_s + TAIL_S
        start = self.traffic.start_at
        assert start is not None
        try:
            # Faker's locales load in another thread: on the loop, each locale's first visitor would hold
            # every request for 30-80 ms.
            await asyncio.to_thread(self.traffic.fakers.warm)
            # The world grows by thousands of chats: a full collection would look at all of them each time
            # (100 ms and more by the end of a busy day), so what survives one is frozen from now on.
            heap.settle()
            if isinstance(self.world.clock, ManualClock):
                done = 0.0
                while done < total and not self.traffic.over:
                    step = min(total - done, self.speed * 0.1 if self.speed else STEP_S)
                    # Each timer waits for the bot calls and lookups it started: their answers are due
                    # before the next one, which could otherwise close a chat the bot never got to answer.
                    await self.world.scheduler.advance_async(step, settle=self.engine.answered)
                    done += step
                    await asyncio.sleep(0.1 if self.speed else 0)
            else:
                while (self.world.clock.now() - start).total_seconds() < total and not self.traffic.over:
                    await asyncio.sleep(
                        min(1.0, self.world.clock.real_seconds_until(self.traffic.end_at or start))
                    )
            # Done once its webhooks have been attempted, so that its failures are known (a delivery that
            # waits for a retry counts as failed until it goes through).
            await self.engine.idle()
            self.state = "done"
            heap.settle()  # the world it made stays: keep its objects out of every collection from now on
        except asyncio.CancelledError:
            self.state = "stopped"
            raise
        finally:
            self.traffic.stop()
            self.world.events.unsubscribe(self._on_event)
            if self._autopilot_was is not None:
                self.autopilot.enabled = self._autopilot_was
            if self.violations is not None:
                self.violations.check_every = self._check_every_was

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def stopped(self) -> None:
        """Stop it, and return once it has (the simulated agents back as they were)."""
        self.stop()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    def view(self) -> dict[str, Any]:
        if self._figures is not None:
            return {**self._figures, "state": self.state}
        return {
            "state": self.state,
            "profile": self.profile.name,
            "seed": self.seed,
            "startedAt": iso(self.traffic.start_at) if self.traffic.start_at else None,
            "durationSeconds": self.duration_s,
            "speed": self.speed,
            "progress": round(self.traffic.progress, 4),
            "traffic": self.traffic.stats.as_dict(),
            "webhooks": self.engine.enqueued - self._first_delivery,
            # failed for good (counted by the engine, whose log forgets), or waiting for a retry
            "failures": self.engine.given_up
            - self._given_up_before
            + sum(number > self._first_delivery for number in self.engine.retrying),
        }
