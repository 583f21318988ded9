"""Webhook delivery throughput and memory: the real DeliveryEngine and its AiohttpTransport against a fast
local receiver (targets: >= 1,000 deliveries/s; RSS flat over 100,000 deliveries).

The engine runs in this process on one event loop, as in the server (uvloop when installed: gunicorn's
`asgi` worker picks it then). The receiver is a separate process, a bare falcon.asgi app served by the same
gunicorn settings as mocksnap (mocksnap.server.serve: the native `asgi` worker, one worker), so that it does
not share the engine's loop. It answers POST /hook/{n} with 200 and a small JSON body; a body carrying the
marker `"failFirst": true` gets a 500 the first time the receiver sees it (it keeps the bodies it has failed)
and a 200 afterwards. GET /stats gives its request count and its CPU seconds, so the script can show whether
the receiver or the engine is the busy one.

Figures:
1. deliveries/s, all answered 200: N deliveries (default 20,000, `--deliveries N`) over 50 URLs
   /hook/0../hook/49, from the first enqueue until engine.idle() and every delivery is "delivered";
   the p50/p99 of the attempts' latency_ms (it includes the wait for one of the transport's pooled
   connections: 16 per host, while 50 URLs drain at once).
2. the same with every second delivery (odd sequence numbers) failing its first attempt, on a ManualClock:
   the first pass, then `advance_async(600, settle=engine.idle)` until all are delivered (the retry delays
   cost no real time); deliveries/s and the number of attempts. With delivery i going to /hook/{i % 50}, the
   failing ones all go to the odd URLs: each of those is held behind its failed head until the retry (order
   per URL), and advance_async runs one timer's drain at a time, so that part is sequential.
3. RSS over 100,000 deliveries in batches of 10,000 with the default log_size (10,000), each batch finished
   before the next, in a fresh child process; flat means RSS after batch 10 within a few MiB of batch 2.

Each part has a time budget (`--budget` scales them, 0 lifts them) so that the script ends by itself: a part
that runs out of it is cut and reported as far as it got, and misses its target.

When figure 1 misses its target (or with --profile): figure 1 again with as many deliveries as the log holds
(never over its size), then cProfile of a figure-1 run: the top mocksnap and aiohttp functions. Prints the
figures; asserts nothing, since this machine is shared and timings are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import http.client
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path

from _common import percentile, rss, stop

from mocksnap.clock import ManualClock, RealClock, Scheduler
from mocksnap.config import Config
from mocksnap.testing import free_port
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine

TARGET_PER_S = 1_000
FLAT_MIB = 4.0
URLS = 50
WARM_UP = 1_000
MEMORY_BATCHES = 10
MEMORY_BATCH = 10_000
ADVANCE_S = 600
MAX_ADVANCES = 200
# Real seconds each part may take before it is cut and reported as far as it got (`--budget` scales them):
# a figure 1 or 2 on target takes 20 s at most; figure 3 is 100,000 deliveries.
BUDGETS_S = {"figure": 25.0, "memory": 50.0, "profile": 10.0}
START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
HEADERS = {"User-Agent": "mocksnap-bench", "Content-Type": "application/json"}
# Something of the size of a small integration payload (a case with a short transcript).
TRANSCRIPT = [{"alias": "Visitor", "message": "hello, I need help with my order " * 2}] * 4

RECEIVER = '''\
"""The benchmark's receiver: 200 to POST /hook/{{n}}; 500 to the first sight of a body with the marker."""

import sys
import time

import falcon.asgi

from mocksnap.config import Config
from mocksnap.server import serve

MARKER = {marker!r}
OK = b'{{"ok": true}}'
FAILED = b'{{"ok": false}}'
failed = set()
counts = {{"requests": 0, "failed": 0}}


class Hook:
    async def on_post(self, req, resp, n):
        body = await req.stream.read()
        counts["requests"] += 1
        resp.content_type = "application/json"
        if MARKER in body and body not in failed:
            failed.add(body)
            counts["failed"] += 1
            resp.status = 500
            resp.data = FAILED
        else:
            resp.data = OK


class Stats:
    async def on_get(self, req, resp):
        resp.media = {{**counts, "cpu_s": time.process_time()}}


app = falcon.asgi.App()
app.add_route("/hook/{{n}}", Hook())
app.add_route("/stats", Stats())
serve(app, Config(port=int(sys.argv[1]), access_log=False))
'''
MARKER = b'"failFirst": true'


def start_receiver(script: Path, port: int, seconds: float = 15) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            receiver_stats(port)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError(f"the receiver did not answer on port {port}") from None
            time.sleep(0.05)


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def new_loop() -> tuple[asyncio.AbstractEventLoop, str]:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop(), "asyncio"
    return uvloop.new_event_loop(), "uvloop"


def receiver_stats(port: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/stats")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def new_engine(clock=None) -> DeliveryEngine:
    """As create_app makes it: the world's scheduler, the config's timeout and log size."""
    config = Config()
    scheduler = Scheduler(clock or RealClock())
    return DeliveryEngine(scheduler, timeout=config.delivery_timeout, log_size=config.delivery_log_size)


def start_engine(engine: DeliveryEngine) -> None:
    loop = asyncio.get_running_loop()
    engine.scheduler.start(loop)
    engine.start(loop)


async def stop_engine(engine: DeliveryEngine) -> None:
    engine.scheduler.stop()
    await engine.stop()


def enqueue(
    engine: DeliveryEngine, port: int, n: int, tag: str, deadline: float, fail_odd: bool = False
) -> list[Delivery]:
    """N deliveries over the URLs, in one go (no await between them), or as many as the deadline lets."""
    urls = [f"http://127.0.0.1:{port}/hook/{u}" for u in range(URLS)]
    deliveries = []
    for i in range(n):
        if i % 100 == 0 and time.perf_counter() > deadline:
            break
        payload: dict = {"id": f"{tag}-{i:07d}", "caseId": str(100_000 + i), "transcript": TRANSCRIPT}
        if fail_odd and i % 2:
            payload["failFirst"] = True
        body = json.dumps(payload).encode()
        deliveries.append(engine.enqueue("integration", "POST", urls[i % URLS], HEADERS, body, {"n": i}))
    return deliveries


async def within(awaitable: Awaitable, deadline: float) -> bool:
    """Whether it finished by the deadline; if not, it is cancelled (the engine is stopped afterwards)."""
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=max(0.0, deadline - time.perf_counter()))
    if task in done:
        task.result()
        return True
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return False


async def until_delivered(engine: DeliveryEngine, deliveries: list[Delivery], deadline: float) -> bool:
    """engine.idle() until every delivery is delivered; on a real clock a failed attempt is retried by a
    scheduler timer (10 s later), so idle() can return before that: wait for the timer then."""
    while await within(engine.idle(), deadline):
        if all(d.status == "delivered" for d in deliveries):
            return True
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.05)
    return False


def statuses(deliveries: list[Delivery]) -> Counter:
    return Counter(d.status for d in deliveries)


def errors(deliveries: list[Delivery]) -> Counter:
    return Counter(a.error for d in deliveries for a in d.attempts if a.error)


def attempt_count(deliveries: list[Delivery]) -> int:
    return sum(len(d.attempts) for d in deliveries)


# -- figure 1: all answered 200 ------------------------------------------------------------------------


async def all_ok(port: int, n: int, tag: str, budget: float) -> dict:
    engine = new_engine()
    start_engine(engine)
    cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + budget
    deliveries = enqueue(engine, port, n, tag, deadline)
    enqueued = time.perf_counter()
    finished = await until_delivered(engine, deliveries, deadline) and len(deliveries) == n
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    found = statuses(deliveries)
    await stop_engine(engine)
    latencies = sorted(a.latency_ms for d in deliveries for a in d.attempts)
    return {
        "finished": finished,
        "seconds": seconds,
        "enqueued": len(deliveries),
        "enqueue_s": enqueued - started,
        "cpu_s": cpu,
        "statuses": found,
        "errors": errors(deliveries),
        "attempts": len(latencies),
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "log": len(engine.log),
    }


# -- figure 2: half of first attempts fail -------------------------------------------------------------


async def half_failing(port: int, n: int, tag: str, budget: float) -> dict:
    engine = new_engine(ManualClock(START))
    start_engine(engine)
    cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + budget
    deliveries = enqueue(engine, port, n, tag, deadline, fail_odd=True)
    enqueued = time.perf_counter()
    finished = await within(engine.idle(), deadline) and len(deliveries) == n
    first_pass = time.perf_counter()
    after_first = statuses(deliveries)
    ran: list[int] = []  # timers run by each advance

    async def advance() -> None:
        ran.append(await engine.scheduler.advance_async(ADVANCE_S, settle=engine.idle))

    while finished and any(d.status != "delivered" for d in deliveries):
        if len(ran) == MAX_ADVANCES or not await within(advance(), deadline):
            finished = False
            break
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    found = statuses(deliveries)
    clock_s = (engine.clock.now() - START).total_seconds()
    await stop_engine(engine)
    return {
        "finished": finished and found["delivered"] == n,
        "seconds": seconds,
        "enqueued": len(deliveries),
        "enqueue_s": enqueued - started,
        "first_pass_s": first_pass - started,
        "retry_s": time.perf_counter() - first_pass,
        "cpu_s": cpu,
        "after_first": after_first,
        "statuses": found,
        "errors": errors(deliveries),
        "attempts": attempt_count(deliveries),
        "advances": len(ran),
        "timers": sum(ran),
        "clock_s": clock_s,
    }


# -- figure 3: memory over 100,000 deliveries (child process) -----------------------------------------


async def memory(port: int, batches: int, batch: int, budget: float) -> None:
    engine = new_engine()
    start_engine(engine)
    gc.collect()
    print(f"  before:    RSS {mib(rss())}", flush=True)
    deadline = time.perf_counter() + budget
    readings = []
    for number in range(1, batches + 1):
        started = time.perf_counter()
        deliveries = enqueue(engine, port, batch, f"m{number}", deadline)
        finished = await until_delivered(engine, deliveries, deadline) and len(deliveries) == batch
        seconds = time.perf_counter() - started
        found = statuses(deliveries)
        del deliveries
        gc.collect()
        reading = rss()
        line = (
            f"RSS {mib(reading)}  ({found['delivered']:,}/{batch:,} delivered in {seconds:.1f} s, "
            f"{found['delivered'] / seconds:,.0f}/s; log holds {len(engine.log):,})"
        )
        if not finished:
            print(f"  batch {number:2} CUT by the {budget:g} s budget: {line}", flush=True)
            break
        readings.append(reading)
        print(f"  batch {number:2}: {line}", flush=True)
    await stop_engine(engine)
    if len(readings) == batches:
        growth = readings[-1] - readings[1]
        verdict = "flat" if abs(growth) <= FLAT_MIB * 2**20 else "NOT flat"
        print(
            f"RSS growth from batch 2 to batch {batches}: {growth / 2**20:+.1f} MiB "
            f"({growth / ((batches - 2) * batch):+,.1f} bytes per delivery); "
            f"target within {FLAT_MIB:g} MiB: {verdict}"
        )
    else:
        print(
            f"batch {batches} not reached within the {budget:g} s budget (the engine is too slow here): "
            f"flatness NOT measured; run with --budget 0 to wait for it"
        )


# -- where the time goes -------------------------------------------------------------------------------


def _where(file: str, line: int, function: str) -> str:
    for package in ("mocksnap", "aiohttp"):
        marker = f"{os.sep}{package}{os.sep}"
        if marker in file:
            return f"{package}/{file.split(marker, 1)[1]}:{line} {function}"
    return f"{Path(file).name}:{line} {function}"


def profile(port: int, n: int, budget: float) -> None:
    loop, _ = new_loop()
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        result = loop.run_until_complete(all_ok(port, n, "profile", budget))
        profiler.disable()
    finally:
        loop.close()
    done = result["statuses"]["delivered"]
    cut = "" if result["finished"] else f", CUT by the {budget:g} s budget"
    print(
        f"cProfile of figure 1 ({result['enqueued']:,}/{n:,} enqueued, {done:,} delivered in "
        f"{result['seconds']:.1f} s under the profiler{cut}):"
    )
    stats = pstats.Stats(profiler).stats  # (file, line, function) -> (calls, ..., own, cumulative, callers)
    total = sum(own for (_, _, own, _, _) in stats.values())
    ours = sorted(
        (
            (own, cumulative, calls, key)
            for key, (_, calls, own, cumulative, _) in stats.items()
            if any(f"{os.sep}{p}{os.sep}" in key[0] for p in ("mocksnap", "aiohttp"))
        ),
        reverse=True,
    )
    print(
        f"  mocksnap and aiohttp functions by own time (share of {total:.1f} s profiled; cum = with callees):"
    )
    for own, cumulative, calls, key in ours[:12]:
        print(f"    {own / total:6.1%} own {cumulative / total:6.1%} cum {calls:>9,} calls  {_where(*key)}")
    if ours:
        top = ours[0][3]
        print(f"  {_where(*top)} is called from:")
        callers = stats[top][4]  # caller -> (primitive calls, calls, own, cumulative)
        for caller, (_, calls, own, _) in sorted(callers.items(), key=lambda item: -item[1][2]):
            print(f"    {own / total:6.1%} {calls:>9,} calls  {_where(*caller)}")
    everything = sorted(((own, calls, key) for key, (_, calls, own, _, _) in stats.items()), reverse=True)
    print("  every function by own time:")
    for own, calls, key in everything[:6]:
        print(f"    {own / total:6.1%} own {calls:>9,} calls  {_where(*key)}")


def reference(port: int, budget: float) -> None:
    """Figure 1 with as many deliveries as the log holds, so that it is never over its size."""
    size = Config().delivery_log_size
    loop, _ = new_loop()
    try:
        result = loop.run_until_complete(all_ok(port, size, "reference", budget))
    finally:
        loop.close()
    cut = "" if result["finished"] else f" (CUT by the {budget:g} s budget)"
    print(
        f"figure 1 again with {size:,} deliveries, the log's size (never over it): "
        f"{result['statuses']['delivered']:,} delivered in {result['seconds']:.2f} s{cut}, "
        f"{result['statuses']['delivered'] / result['seconds']:,.0f}/s; "
        f"attempt latency p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms"
    )


# -- the parent ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=20_000, help="deliveries of figures 1 and 2")
    parser.add_argument(
        "--budget", type=float, default=1.0, help="scale the time budgets (0: no budget, wait for the end)"
    )
    parser.add_argument("--profile", action="store_true", help="profile figure 1 even when on target")
    parser.add_argument("--phase", choices=("memory",), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    budgets = {name: seconds * args.budget if args.budget > 0 else 1e9 for name, seconds in BUDGETS_S.items()}
    if args.phase == "memory":
        loop, _ = new_loop()
        try:
            loop.run_until_complete(memory(args.port, MEMORY_BATCHES, MEMORY_BATCH, budgets["memory"]))
        finally:
            loop.close()
        return

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mocksnap-bench-") as folder:
        script = Path(folder) / "receiver.py"
        script.write_text(RECEIVER.format(marker=MARKER))
        receiver = start_receiver(script, port)
        try:
            rate = figures(port, args.deliveries, budgets)
        finally:
            stop(receiver)
        print(
            f"\n3. RSS over {MEMORY_BATCHES * MEMORY_BATCH:,} deliveries in batches of {MEMORY_BATCH:,}, "
            f"log_size {Config().delivery_log_size:,} (fresh child process, {budgets['memory']:g} s budget):",
            flush=True,
        )
        receiver = start_receiver(script, port)  # a fresh one, that has kept nothing of figures 1 and 2
        try:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--phase",
                    "memory",
                    "--port",
                    str(port),
                    "--budget",
                    str(args.budget),
                ],
                check=True,
                timeout=budgets["memory"] + 120 if args.budget > 0 else None,
            )
            if rate < TARGET_PER_S or args.profile:
                print("\nwhere the time goes:", flush=True)
                reference(port, budgets["figure"])
                profile(port, args.deliveries, budgets["profile"])
        finally:
            stop(receiver)


def show_cut(result: dict, n: int, budget: float) -> None:
    if not result["finished"]:
        print(
            f"  CUT by the {budget:g} s budget: {result['enqueued']:,}/{n:,} enqueued (in "
            f"{result['enqueue_s']:.1f} s), {result['statuses']['delivered']:,} delivered"
        )


def show_cpu(result: dict, before: dict, after: dict) -> None:
    seconds = result["seconds"]
    print(
        f"  CPU: engine {result['cpu_s'] / seconds:.0%} of a core, receiver "
        f"{(after['cpu_s'] - before['cpu_s']) / seconds:.0%} of a core; the receiver counted "
        f"{after['requests'] - before['requests']:,} requests ({after['failed'] - before['failed']:,} "
        f"answered 500) for the engine's {result['attempts']:,} attempts"
    )
    if result["errors"]:
        print(f"  failed attempts: {dict(result['errors'])}")


def figures(port: int, n: int, budgets: dict[str, float]) -> float:
    """Figures 1 and 2; figure 1's deliveries per second."""
    loop, loop_name = new_loop()
    try:
        print(
            f"engine: DeliveryEngine + AiohttpTransport on one {loop_name} loop, in this process; receiver: "
            f"falcon.asgi under gunicorn's asgi worker, in another; {URLS} URLs",
            flush=True,
        )
        loop.run_until_complete(all_ok(port, WARM_UP, "warm-up", budgets["figure"]))

        before = receiver_stats(port)
        one = loop.run_until_complete(all_ok(port, n, "f1", budgets["figure"]))
        after = receiver_stats(port)
        rate = one["statuses"]["delivered"] / one["seconds"]
        print(f"1. {n:,} deliveries, all answered 200:")
        show_cut(one, n, budgets["figure"])
        print(
            f"  {dict(one['statuses'])} in {one['seconds']:.2f} s "
            f"(enqueueing took {one['enqueue_s']:.2f} s); the log holds {one['log']:,}"
        )
        show_cpu(one, before, after)
        print(
            f"  attempt latency (latency_ms, pool wait included): p50 {one['p50']:.2f} ms, "
            f"p99 {one['p99']:.2f} ms"
        )
        verdict = "meets" if rate >= TARGET_PER_S and one["finished"] else "MISSES"
        print(f"  {rate:,.0f} deliveries/s; target >= {TARGET_PER_S:,}/s: {verdict} it", flush=True)

        before = receiver_stats(port)
        two = loop.run_until_complete(half_failing(port, n, "f2", budgets["figure"]))
        after = receiver_stats(port)
        print(
            f"\n2. {n:,} deliveries, every second one (odd numbers) failing its first attempt, ManualClock:"
        )
        show_cut(two, n, budgets["figure"])
        print(
            f"  first pass {two['first_pass_s']:.2f} s (enqueueing took {two['enqueue_s']:.2f} s): "
            f"{dict(two['after_first'])}"
        )
        print(
            f"  then {two['advances']} x advance_async({ADVANCE_S}, settle=engine.idle): "
            f"{two['timers']:,} timers, {two['clock_s']:,.0f} s of clock, in {two['retry_s']:.2f} s real"
        )
        print(f"  {dict(two['statuses'])}; {two['attempts']:,} attempts")
        show_cpu(two, before, after)
        rate2 = two["statuses"]["delivered"] / two["seconds"]
        verdict = "meets" if rate2 >= TARGET_PER_S and two["finished"] else "MISSES"
        print(
            f"  {rate2:,.0f} deliveries/s ({two['attempts'] / two['seconds']:,.0f} attempts/s); "
            f"target >= {TARGET_PER_S:,}/s: {verdict} it",
            flush=True,
        )
    finally:
        loop.close()
    return rate


if __name__ == "__main__":
    main()
