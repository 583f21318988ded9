"""Widget Availability throughput: `mocksnap serve` against a bare Falcon ASGI app (target ratio >= 0.8).

GET /public/api/v2/chat/{widget_id} through a real `mocksnap serve --no-access-log`, as a ratio to a bare
falcon.asgi.App that answers the same bytes (fetched from mocksnap once) from one resource, served by the same
gunicorn settings: mocksnap.server.serve with gunicorn_options(), so the native `asgi` worker, one worker, no
access log, no control socket. Measured with wrk (-t2 -c32 -d10s), alternating the two servers three times;
the median of each. Needs wrk: installed with apt-get when running as root, otherwise the script says how.

When the ratio misses the target (or with --profile), it then shows where mocksnap's time goes: the same
request driven straight through the ASGI callable in-process (no server, no network), microseconds per request
for the bare app, the bare app plus mocksnap's journal middleware, mocksnap's resource alone, and mocksnap's
whole app, then cProfile's top functions of mocksnap's own code in its whole app.

Prints the figures; asserts nothing, since this machine is shared and timings are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import stop

from mocksnap.testing import free_port

TARGET_RATIO = 0.8
WIDGET = "5286374d-5c92-419d-bcdb-b926d242b78b"
PATH = f"/public/api/v2/chat/{WIDGET}"
ROUNDS = 3
WRK = ["-t2", "-c32", "-d10s"]
WARM_UP = ["-t2", "-c32", "-d2s"]

BARE_APP = '''\
"""A bare falcon.asgi app answering one fixed body, served like mocksnap serves its app."""

import sys

import falcon.asgi

from mocksnap.config import Config
from mocksnap.server import serve

BODY = {body!r}
CONTENT_TYPE = {content_type!r}


class Fixed:
    async def on_get(self, req, resp, widget_id):
        resp.data = BODY
        resp.content_type = CONTENT_TYPE


app = falcon.asgi.App()
app.add_route("/public/api/v2/chat/{{widget_id}}", Fixed())
serve(app, Config(port=int(sys.argv[1]), access_log=False))
'''


def ensure_wrk() -> str | None:
    """The path of wrk, installing it with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("wrk is missing; installing it with apt-get ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 300}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet)
    return shutil.which("wrk")


def get(port: int, path: str) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type") or ""
    finally:
        connection.close()


def wait_until_up(process: subprocess.Popen, port: int, path: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"the server on port {port} did not answer within {seconds:.0f} s")


def start(command: list[str], port: int, path: str) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(process, port, path)
    except BaseException:
        stop(process)
        raise
    return process


def wrk(wrk_path: str, port: int, options: list[str]) -> tuple[float, int]:
    """Requests per second, and how many answers were not 2xx or 3xx (or failed)."""
    done = subprocess.run(
        [wrk_path, *options, f"http://127.0.0.1:{port}{PATH}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s*([\d.]+)", done.stdout)
    if rate is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{done.stdout}{done.stderr}")
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", done.stdout)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout)
    failed = int(bad[1]) if bad else 0
    if errors:
        failed += sum(int(n) for n in errors.groups())
    return float(rate[1]), failed


# -- where the time goes, in-process ------------------------------------------------------------------------

_SCOPE = {
    "type": "http",
    "asgi": {"version": "3.0", "spec_version": "2.3"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": PATH,
    "raw_path": PATH.encode(),
    "query_string": b"",
    "root_path": "",
    "headers": [(b"host", b"127.0.0.1:8000")],  # what wrk sends
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 8000),
}


async def _receive() -> dict:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: dict) -> None:
    pass


async def _requests(app, n: int) -> None:
    for _ in range(n):
        await app(dict(_SCOPE), _receive, _send)


def where_the_time_goes(body: bytes, content_type: str, n: int = 20_000) -> None:
    import falcon.asgi

    from mocksnap.api.availability import PublicAvailability
    from mocksnap.app import create_app, load_world
    from mocksnap.config import Config
    from mocksnap.journal import Journal, JournalMiddleware

    class Fixed:
        async def on_get(self, req, resp, widget_id):
            resp.data = body
            resp.content_type = content_type

    def app_of(resource, middleware=()):
        app = falcon.asgi.App(middleware=list(middleware))
        app.add_route("/public/api/v2/chat/{widget_id}", resource)
        return app

    config = Config(access_log=False)
    world = load_world(config)
    apps = {
        "bare app": app_of(Fixed()),
        "bare app + mocksnap's JournalMiddleware": app_of(Fixed(), [JournalMiddleware(Journal(world.clock))]),
        "mocksnap's PublicAvailability resource alone": app_of(PublicAvailability(world)),
        "mocksnap's whole app (create_app)": create_app(config, world),
    }
    loop = asyncio.new_event_loop()
    try:
        for app in apps.values():
            loop.run_until_complete(_requests(app, 2_000))
        times: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(5):
            for name, app in apps.items():
                started = time.perf_counter()
                loop.run_until_complete(_requests(app, n))
                times[name].append((time.perf_counter() - started) / n * 1e6)
        print(f"where the time goes: the same GET through each ASGI app in-process, {n:,} requests x 5:")
        bare = statistics.median(times["bare app"])
        for name, found in times.items():
            median = statistics.median(found)
            extra = f"  (+{median - bare:.1f} us)" if name != "bare app" else ""
            print(f"  {median:6.1f} us per request  {name}{extra}")
        profile = cProfile.Profile()
        profile.enable()
        loop.run_until_complete(_requests(apps["mocksnap's whole app (create_app)"], n))
        profile.disable()
    finally:
        loop.close()
    stats = pstats.Stats(profile).stats  # (file, line, function) -> (calls, ..., own time, cumulative time)
    ours = sorted(
        (
            (cumulative, own, f"{Path(file).name}:{line} {function}")
            for (file, line, function), (_, _, own, cumulative, _) in stats.items()
            if f"{os.sep}mocksnap{os.sep}" in file
        ),
        reverse=True,
    )
    total = sum(own for (_, _, own, _, _) in stats.values())
    print(
        f"  cProfile of mocksnap's whole app, its own functions (share of {total / n * 1e6:.1f} us profiled):"
    )
    for cumulative, own, where in ours[:8]:
        print(f"    {cumulative / total:6.1%} with callees, {own / total:6.1%} own  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="show where the time goes even when on target")
    args = parser.parse_args()
    wrk_path = ensure_wrk()
    if wrk_path is None:
        print("wrk is not installed; install it (Debian/Ubuntu: `sudo apt-get install -y wrk`), run again.")
        print("  skipped")
        return
    mocksnap_port, bare_port = free_port(), free_port()
    servers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="mocksnap-bench-") as folder:
        try:
            serve = [sys.executable, "-m", "mocksnap", "serve", "--no-access-log"]
            servers.append(start([*serve, "--port", str(mocksnap_port)], mocksnap_port, PATH))
            status, body, content_type = get(mocksnap_port, PATH)
            script = Path(folder) / "bare_app.py"
            script.write_text(BARE_APP.format(body=body, content_type=content_type))
            servers.append(start([sys.executable, str(script), str(bare_port)], bare_port, PATH))
            bare_body = get(bare_port, PATH)[1]
            print(
                f"GET {PATH}: {status}, {len(body)} bytes ({content_type}); bare app body identical: "
                f"{bare_body == body}"
            )
            print(f"wrk {' '.join(WRK)}, alternating mocksnap and the bare app, {ROUNDS} rounds:", flush=True)
            for port in (mocksnap_port, bare_port):
                wrk(wrk_path, port, WARM_UP)
            rates: dict[str, list[float]] = {"mocksnap": [], "bare": []}
            failures = 0
            for round_ in range(1, ROUNDS + 1):
                for name, port in (("mocksnap", mocksnap_port), ("bare", bare_port)):
                    rate, failed = wrk(wrk_path, port, WRK)
                    rates[name].append(rate)
                    failures += failed
                print(
                    f"  round {round_}: mocksnap {rates['mocksnap'][-1]:,.0f} req/s   "
                    f"bare {rates['bare'][-1]:,.0f} req/s",
                    flush=True,
                )
        finally:
            for process in servers:
                stop(process)
    mocksnap_rate, bare_rate = statistics.median(rates["mocksnap"]), statistics.median(rates["bare"])
    ratio = mocksnap_rate / bare_rate
    print(f"median: mocksnap {mocksnap_rate:,.0f} req/s, bare falcon.asgi {bare_rate:,.0f} req/s")
    if failures:
        print(f"  warning: {failures:,} answers were not 2xx/3xx or failed at the socket")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"  ratio mocksnap / bare = {ratio:.2f}; target >= {TARGET_RATIO}: {verdict} it")
    if ratio < TARGET_RATIO or args.profile:
        print(flush=True)
        where_the_time_goes(body, content_type)


if __name__ == "__main__":
    main()
