"""Logs API page latency at a million cases: one widget, one day, 100 cases a page (target p99 <= 10 ms).

The world of the default fixture on a manual clock holds 1,000,000 chats (`--cases N`) spread evenly over 2025
on the support widget, about 2,740 a day, each built through the world's commands (see _population.py). The
pages go through the real app (create_app) over ASGI without a network, with falcon.testing.ASGIConductor in
one event loop:
- `--pages` (500) first pages, `GET /api/v2/5406213/logs?widgetId=...&start=D&end=D` for random days D;
- as many further pages, following linkToNextSetOfResults through random days, as a client downloading a
  day does.
Also times building the world. If the Logs API is not there yet, says so and stops (`--wait M` polls for it
every 30 s for up to M minutes first). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from _common import percentile

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _population import API_TOKEN, ORG_ID, START, SUPPORT_WIDGET, new_world, populate

TARGET_P99_MS = 10.0
DAYS = 365
LOGS = f"/api/v2/{ORG_ID}/logs"
HEADERS = {"Authorization": API_TOKEN}

# Run in a fresh interpreter, so that a Logs API written since this process started is seen.
PROBE = f"""
import sys
from falcon.testing import TestClient
from mocksnap.app import create_app
result = TestClient(create_app()).simulate_get(
    {LOGS!r}, params={{"widgetId": {SUPPORT_WIDGET!r}, "start": "2025-01-01", "end": "2025-01-01"}},
    headers={HEADERS!r},
)
sys.exit(0 if result.status_code == 200 and "cases" in result.json else 1)
"""


def logs_api_ready() -> bool:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, timeout=120)
    return done.returncode == 0


def wait_for_logs_api(minutes: float) -> bool:
    deadline = time.monotonic() + minutes * 60
    while not logs_api_ready():
        if time.monotonic() >= deadline:
            return False
        print("  the Logs API does not answer yet; trying again in 30 s", flush=True)
        time.sleep(30)
    return True


def day_params(day: date) -> dict[str, str]:
    return {"widgetId": SUPPORT_WIDGET, "start": day.isoformat(), "end": day.isoformat()}


async def measure(app, pages: int, seed: int) -> dict[str, list]:
    import falcon.testing

    rng = random.Random(seed)
    days = [START.date() + timedelta(days=n) for n in range(DAYS)]
    first: list[float] = []
    further: list[float] = []
    sizes: list[tuple[int, int]] = []  # (cases, bytes) of every page
    async with falcon.testing.ASGIConductor(app) as conductor:
        # Warm up: imports, caches, the route.
        for day in rng.sample(days, 5):
            await conductor.simulate_get(LOGS, params=day_params(day), headers=HEADERS)
        harness = []
        for _ in range(200):
            started = time.perf_counter()
            await conductor.simulate_get("/__admin/health")
            harness.append(time.perf_counter() - started)

        for _ in range(pages):
            day = rng.choice(days)
            started = time.perf_counter()
            result = await conductor.simulate_get(LOGS, params=day_params(day), headers=HEADERS)
            first.append(time.perf_counter() - started)
            if result.status_code != 200:
                raise RuntimeError(f"{result.status_code} {result.text[:300]}")
            sizes.append((len(json.loads(result.content)["cases"]), len(result.content)))

        link = ""
        while len(further) < pages:
            if not link:
                day = rng.choice(days)
                result = await conductor.simulate_get(LOGS, params=day_params(day), headers=HEADERS)
            else:
                parts = urlsplit(link)
                started = time.perf_counter()
                result = await conductor.simulate_get(parts.path, query_string=parts.query, headers=HEADERS)
                further.append(time.perf_counter() - started)
                if result.status_code != 200:
                    raise RuntimeError(f"{result.status_code} {result.text[:300]}")
            body = json.loads(result.content)
            if link:
                sizes.append((len(body["cases"]), len(result.content)))
            link = body["linkToNextSetOfResults"]
    return {"first": first, "further": further, "sizes": sizes, "harness": harness}


def report(name: str, seconds: list[float]) -> float:
    ms = sorted(s * 1000 for s in seconds)
    p50, p99 = statistics.median(ms), percentile(ms, 0.99)
    verdict = "meets" if p99 <= TARGET_P99_MS else "MISSES"
    print(
        f"  {name}: {len(ms)} pages, p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {ms[-1]:.2f} ms; "
        f"target p99 <= {TARGET_P99_MS:.0f} ms: {verdict} it (p99 / target = {p99 / TARGET_P99_MS:.2f})"
    )
    return p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the world, over one year")
    parser.add_argument("--pages", type=int, default=500, help="first pages timed, and as many further pages")
    parser.add_argument("--seed", type=int, default=1, help="seed of the days chosen")
    parser.add_argument("--wait", type=float, default=0, metavar="MINUTES", help="wait for the Logs API")
    args = parser.parse_args()

    if not wait_for_logs_api(args.wait):
        print("the Logs API (mocksnap/api/logs.py, GET /api/v2/{orgId}/logs) does not answer yet: skipped")
        return

    from mocksnap.app import create_app
    from mocksnap.config import Config

    print(f"building a world of {args.cases:,} cases over {DAYS} days ({args.cases / DAYS:,.0f} a day) ...")
    sys.stdout.flush()
    started = time.perf_counter()
    world = new_world()
    populate(world, args.cases, span_s=DAYS * 86400)
    built = time.perf_counter() - started
    collecting = time.perf_counter()
    gc.collect()
    collected_in = time.perf_counter() - collecting
    print(
        f"  built in {built:.1f} s ({built / args.cases * 1e6:.0f} us per case); one full garbage collection "
        f"of it takes {collected_in * 1000:,.0f} ms (a request during one waits that long)"
    )
    app = create_app(Config(access_log=False), world=world)  # no access log lines in the report

    found = asyncio.run(measure(app, args.pages, args.seed))
    cases = [n for n, _ in found["sizes"]]
    size = statistics.median(b for _, b in found["sizes"])
    full = sum(n == 100 for n in cases)
    print(
        f"pages through ASGIConductor (no network): {full} of {len(cases)} pages held 100 cases, "
        f"median body {size / 1024:,.0f} KiB; harness alone (GET /__admin/health) "
        f"p50 {statistics.median(found['harness']) * 1000:.3f} ms"
    )
    report("first page of a random day (start=D&end=D)", found["first"])
    report("further pages (linkToNextSetOfResults)   ", found["further"])


if __name__ == "__main__":
    main()
