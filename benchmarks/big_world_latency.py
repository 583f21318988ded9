"""Worst request latency of a real server holding a million cases (target <= 50 ms), while it serves Logs
pages and takes new chats.

A server process builds the world of logs_page.py (the default fixture on a manual clock, `--cases` chats over
2025 on the support widget, through the world's commands), times one full garbage collection of it (what every
request would wait through without the freeze) and one once the world is frozen, then serves it with
mocksnap.server.serve, as `mocksnap serve --world` would once its world is loaded (the default server, the
access log on, to a file), and reports the collections that ran while it served, and the longest of each
generation: a full collection looks only at what survived since the last one (mocksnap.heap), so the longest
stays short however many chats the server has taken.
This process then drives it over HTTP for `--seconds`, each client on its own kept-alive connection:
- two clients read Logs API pages of random days of 2025 (`GET /api/v2/5406213/logs?widgetId&start&end`);
- one client starts chats (`POST /api/v1/chat?widgetId&visitorMessage`), each a new case with its objects,
  so that the collector has new objects to look at all along.
Prints p50, p99 and the worst latency of each kind, and the worst of all against the target. Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from _common import percentile, stop

from mocksnap.testing import free_port

TARGET_MS = 50.0
HERE = Path(__file__).resolve().parent

SERVER = """
import gc, sys, time
sys.path.insert(0, {here!r})
from _population import new_world, populate
from mocksnap import heap
from mocksnap.app import create_served_app
from mocksnap.config import Config
from mocksnap.server import serve

cases, port = int(sys.argv[1]), int(sys.argv[2])
started = time.perf_counter()
world = new_world()
populate(world, cases, span_s=365 * 86400)
built = time.perf_counter() - started
started = time.perf_counter()
gc.collect()
collected = time.perf_counter() - started
heap.serving(len(world.cases))  # as `mocksnap serve` does once its world is loaded
started = time.perf_counter()
gc.collect()
print(f"built {{cases:,}} cases in {{built:.0f}} s; one full garbage collection of them takes "
      f"{{collected * 1000:,.0f}} ms, {{(time.perf_counter() - started) * 1000:,.2f}} ms once the world is "
      "frozen", file=sys.stderr, flush=True)
pauses = {{0: [], 1: [], 2: []}}
def timed(phase, info):
    if phase == "start":
        timed.started = time.perf_counter()
    else:
        pauses[info["generation"]].append(time.perf_counter() - timed.started)
gc.callbacks.append(timed)
config = Config(port=port, clock="manual")
serve(create_served_app(config, world), config)
print("collections while serving: " + ", ".join(
    f"generation {{g}}: {{len(p)}}, longest {{max(p, default=0) * 1000:.1f}} ms" for g, p in pauses.items()
), file=sys.stderr, flush=True)
"""


class Client(threading.Thread):
    def __init__(self, port: int, kind: str, until: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.kind, self.until = port, kind, until
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.failures = 0

    def target(self) -> tuple[str, str, dict[str, str]]:
        from _population import API_TOKEN, ORG_ID, START, SUPPORT_WIDGET

        if self.kind == "logs page":
            day = (START.date() + timedelta(days=self.rng.randrange(365))).isoformat()
            query = urlencode({"widgetId": SUPPORT_WIDGET, "start": day, "end": day})
            return "GET", f"/api/v2/{ORG_ID}/logs?{query}", {"Authorization": API_TOKEN}
        query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": f"hello {self.rng.random()}"})
        return "POST", f"/api/v1/chat?{query}", {"x-api-key": "mocksnap-visitor-key"}

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.monotonic() < self.until:
            method, path, headers = self.target()
            started = time.perf_counter()
            try:
                connection.request(method, path, headers=headers)
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException):
                self.failures += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.latencies.append(time.perf_counter() - started)
            if answer.status != 200:
                self.failures += 1
        connection.close()


def wait_until_up(process: subprocess.Popen, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/__admin/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the server did not answer within {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the world, over one year")
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients run")
    args = parser.parse_args()
    port = free_port()
    print(f"a server building {args.cases:,} cases, then serving them ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="mocksnap-bench-") as folder:
        log = Path(folder) / "access.log"
        script = Path(folder) / "server.py"
        script.write_text(SERVER.format(here=str(HERE)), encoding="utf-8")
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(script), str(args.cases), str(port)],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        try:
            assert process.stderr is not None
            print(f"  {process.stderr.readline().strip()}", flush=True)
            wait_until_up(process, port, 600)
            until = time.monotonic() + args.seconds
            kinds = ["logs page", "logs page", "new chat"]
            clients = [Client(port, kind, until, seed) for seed, kind in enumerate(kinds)]
            for client in clients:
                client.start()
            for client in clients:
                client.join(args.seconds + 60)
        finally:
            stop(process)
        print(f"  {process.stderr.read().strip()}")
    worst = 0.0
    print(f"{len(clients)} clients for {args.seconds:g} s ({', '.join(kinds)}):")
    for kind in dict.fromkeys(kinds):
        found = sorted(ms * 1000 for c in clients if c.kind == kind for ms in c.latencies)
        failures = sum(c.failures for c in clients if c.kind == kind)
        worst = max(worst, found[-1] if found else 0.0)
        print(
            f"  {kind}: {len(found):,} requests, p50 {statistics.median(found):.1f} ms, "
            f"p99 {percentile(found, 0.99):.1f} ms, worst {found[-1]:.1f} ms"
            + (f"; {failures} failed" if failures else "")
        )
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"  worst request {worst:.1f} ms; target <= {TARGET_MS:.0f} ms: {verdict} it")


if __name__ == "__main__":
    main()
