"""The traffic generator's speed and a busy day's memory (targets: >= 1,000 chats a second; memory reported).

A fast run of the busy-retail profile (a day of about 10,000 chats, a bot in front of six agents),
seed 7, every widget subscribed to every webhook, so that every payload is built and serialized (and a
sample checked against its schema, as a fast run does), but none is sent. Measured in a fresh child process:
- chats per second over the whole run, and over the run without its one-time start-up (Faker's locale
  tables, the first hundred schema checks of each payload kind), taken from a second, shorter run;
- RSS growth over the run, and the world's share of it (tracemalloc cannot follow every C allocation, so RSS
  is the figure), per case.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_S = 1_000
START = datetime(2026, 11, 23, tzinfo=UTC)


def measure() -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import rss

    from mocksnap.traffic import profile as profiles
    from mocksnap.traffic.run import run_fast

    profile = profiles.load("busy-retail")
    warm_started = time.perf_counter()
    _, warm = run_fast(profile, seed=1, start=START, duration_s=3600, webhooks="http://127.0.0.1:9/hooks")
    warm_s = time.perf_counter() - warm_started
    gc.collect()
    before = rss()
    started = time.perf_counter()
    world, summary = run_fast(
        profile, seed=7, start=START, duration_s=86400, webhooks="http://127.0.0.1:9/hooks"
    )
    seconds = time.perf_counter() - started
    gc.collect()
    grown = rss() - before
    visitors = summary.traffic["visitors"]
    return {
        "visitors": visitors,
        "chats": summary.traffic["chats"],
        "webhooks": sum(summary.webhooks.values()),
        "seconds": seconds,
        "per_second": summary.traffic["chats"] / seconds,
        "warm_visitors": warm.traffic["visitors"],
        "warm_seconds": warm_s,
        "rss_growth": grown,
        "cases": len(world.cases),
    }


def main() -> None:
    child = subprocess.run(
        [sys.executable, __file__, "--child"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    ok = "ok" if figures["per_second"] >= TARGET_PER_S else "BELOW TARGET"
    print(
        f"busy-retail, 1 day, seed 7: {figures['visitors']:,} visitors ({figures['chats']:,} chats), "
        f"{figures['webhooks']:,} webhook payloads built, in {figures['seconds']:.1f} s"
    )
    print(f"chats generated per second: {figures['per_second']:,.0f} (target >= {TARGET_PER_S:,}: {ok})")
    print(
        f"first hour of a fresh process (start-up included): {figures['warm_visitors']:,} visitors in "
        f"{figures['warm_seconds']:.2f} s"
    )
    print(
        f"memory of the busy day: RSS +{figures['rss_growth'] / 2**20:.1f} MiB for {figures['cases']:,} "
        f"cases ({figures['rss_growth'] / max(1, figures['cases']) / 1024:.2f} KiB per case, transcripts "
        "included)"
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(measure()))
    else:
        main()
