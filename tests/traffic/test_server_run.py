"""A traffic run inside a server (POST /__admin/traffic), on a manual clock, with a fake transport: it is done
only once its webhooks have been attempted, and its failures are counted whatever the delivery log kept."""

from __future__ import annotations

import asyncio
import gc
from datetime import UTC, datetime
from typing import Any

from mocksnap import heap
from mocksnap.clock import ManualClock
from mocksnap.traffic import profile as profiles
from mocksnap.traffic.run import CHECK_EVERY, ServerRun
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Dispatcher, Violations
from mocksnap.world import World
from tests.conftest import default_document

START = datetime(2026, 11, 23, 8, tzinfo=UTC)


class Autopilot:
    enabled = True


class Receiver:
    """A Transport that takes its time over every request, and answers `status`."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.requests = 0

    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        await asyncio.sleep(0.001)
        self.requests += 1
        return self.status, {}, b""


def play(status: int, duration_s: float, log_size: int = 10_000) -> tuple[dict[str, Any], DeliveryEngine]:
    async def main() -> tuple[dict[str, Any], DeliveryEngine]:
        world = World(default_document(), ManualClock(START), seed=7)
        engine = DeliveryEngine(world.scheduler, transport=Receiver(status), log_size=log_size)
        Dispatcher(world, engine, Violations())
        world.scheduler.start(asyncio.get_running_loop())
        engine.start(asyncio.get_running_loop())
        run = ServerRun(
            world,
            engine,
            Autopilot(),
            profiles.load("support-24x7"),
            seed=7,
            duration_s=duration_s,
            webhooks="http://127.0.0.1:9/hooks",
        )
        run.start()
        assert run._task is not None
        await run._task
        view = run.view()
        await engine.stop()
        return view, engine

    return asyncio.run(main())


def test_a_run_is_done_once_its_webhooks_have_been_sent() -> None:
    try:
        view, engine = play(200, 3600)
        # The world it grows is kept out of the collector's full passes as it grows, and once it is done.
        assert heap._freeze_survivors in gc.callbacks
        assert gc.get_freeze_count() > 0
    finally:
        heap.release()
    assert view["state"] == "done"
    assert view["webhooks"] > 100
    assert engine.transport.requests == view["webhooks"]  # type: ignore[attr-defined]
    assert {d.status for d in engine.log.values()} == {"delivered"}
    assert view["failures"] == 0


def test_its_failures_do_not_depend_on_what_the_delivery_log_kept() -> None:
    """Every request fails: each lane's head is retried for two hours, then given up, and the next one tried.
    The given-up ones leave a small log, but they still count."""
    kept, _ = play(500, 6 * 3600)
    forgotten, engine = play(500, 6 * 3600, log_size=5)
    given_up = engine.given_up
    assert given_up > 5
    retrying = sum(d.status == "retrying" for d in engine.log.values())
    assert forgotten["failures"] == kept["failures"] == given_up + retrying


def test_a_reset_stops_the_run_keeps_its_figures_and_leaves_the_simulated_agents_on() -> None:
    """A reset forgets the deliveries and counts them from d0000001 again: the run's figures are those it
    had; and the reset's simulated agents stay on, though they were off when the run started."""

    async def main() -> tuple[dict[str, Any], dict[str, Any], DeliveryEngine, Autopilot]:
        world = World(default_document(), ManualClock(START), seed=7)
        engine = DeliveryEngine(world.scheduler, transport=Receiver(200))
        Dispatcher(world, engine, Violations())
        world.scheduler.start(asyncio.get_running_loop())
        engine.start(asyncio.get_running_loop())
        autopilot = Autopilot()
        autopilot.enabled = False
        run = ServerRun(
            world, engine, autopilot, profiles.load("support-24x7"), seed=7, duration_s=6 * 3600,
            webhooks="http://127.0.0.1:9/hooks",
        )  # fmt: skip
        run.start()
        while engine.enqueued < 50:
            await asyncio.sleep(0.01)
        before = run.view()
        world.reset()  # as POST /__admin/reset does: the world, then the engine and the simulated agents
        engine.reset()
        autopilot.enabled = True
        assert run._task is not None
        await asyncio.gather(run._task, return_exceptions=True)
        after = run.view()
        await engine.stop()
        return before, after, engine, autopilot

    before, after, engine, autopilot = asyncio.run(main())
    assert after["state"] == "stopped"
    assert after["webhooks"] >= before["webhooks"] >= 50
    assert after["failures"] == 0
    assert autopilot.enabled
    assert engine.enqueued == 0
    assert engine.enqueue("integration", "POST", "http://127.0.0.1:9/x", {}).id == "d0000001"


def test_while_it_runs_a_sample_of_the_payloads_is_checked_as_in_a_fast_run() -> None:
    """Checking every payload against its schema costs more than building it: a run checks the first
    hundred of each schema and then one in CHECK_EVERY, and the server checks every one again after it."""

    async def main() -> tuple[int, int, int]:
        world = World(default_document(), ManualClock(START), seed=7)
        engine = DeliveryEngine(world.scheduler, transport=Receiver(200))
        violations = Violations()
        Dispatcher(world, engine, violations)
        world.scheduler.start(asyncio.get_running_loop())
        engine.start(asyncio.get_running_loop())
        run = ServerRun(
            world, engine, Autopilot(), profiles.load("support-24x7"), seed=7, duration_s=3600,
            webhooks="http://127.0.0.1:9/hooks", violations=violations,
        )  # fmt: skip
        before = violations.check_every
        run.start()
        during = violations.check_every
        assert run._task is not None
        await run._task
        await engine.stop()
        return before, during, violations.check_every

    assert asyncio.run(main()) == (1, CHECK_EVERY, 1)
