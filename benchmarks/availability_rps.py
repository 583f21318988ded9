"""Widget Availability throughput: `mocksnap serve` as a user starts it, against WireMock and a bare app.

GET /public/api/v2/chat/{widget_id} with wrk (-t2 -c32 -d5s), the median of rounds that alternate (each
round starting with the next server):
- `mocksnap serve` with no flags (its access log on, written to a file);
- `mocksnap serve --no-access-log`, for the cost of the access log;
- a bare falcon.asgi.App that answers the same bytes (fetched from mocksnap once) from one resource, served
  like mocksnap (mocksnap.server.serve: the same server, settings and event loop, no access log);
- "server alone": a callable that answers the same bytes without a framework, served the same way (over
  RSGI, as mocksnap's fast path answers), for what the server itself can do on this machine, a ceiling for
  any app on it;
- WireMock standalone (the jar of npm's `wiremock` package, under .bench/), one stub answering the same bytes,
  out of the box: its request journal on, as mocksnap's is (it keeps every request, unbounded, so its memory
  grows by gigabytes over the run);
- the same WireMock with `--no-request-journal`, which a user would have to choose, for reference;
each WireMock warmed up for 15 s first, as the JVM needs.
Targets: mocksnap / WireMock >= 2.0, mocksnap / bare >= 0.9. `make bench-deps` installs wrk, a Java runtime
and WireMock when missing; without them the script says so and measures what it can.

When the ratio to the bare app misses its target (or with --profile), it then shows where mocksnap's time
goes: the same request driven straight through the ASGI callable in-process (no server, no network),
microseconds per request for the bare app, the bare app plus mocksnap's journal middleware, mocksnap's
resource alone, and mocksnap's whole app, then cProfile's top functions of mocksnap's own code in its whole
app.

Prints the figures; asserts nothing, since this machine is shared and timings are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import http.client
import json
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

TARGET_WIREMOCK = 2.0
TARGET_BARE = 0.9
WIDGET = "5286374d-5c92-419d-bcdb-b926d242b78b"
PATH = f"/public/api/v2/chat/{WIDGET}"
ROUNDS = 6  # as many as servers: each takes each place in the order once
WRK = ["-t2", "-c32", "-d5s"]
WARM_UP = ["-t2", "-c32", "-d2s"]
WIREMOCK_WARM_UP = ["-t2", "-c32", "-d15s"]
REPOSITORY = Path(__file__).resolve().parent.parent
ALONE = "server alone"
QUIET_WIREMOCK = "WireMock --no-request-journal"
WIREMOCKS = {"WireMock": True, QUIET_WIREMOCK: False}  # name: its request journal on
WIREMOCK_JARS = REPOSITORY / ".bench" / "node_modules" / "wiremock" / "build"

BARE_APP = '''\
"""A bare falcon.asgi app answering one fixed body, served like mocksnap serves its app (or, given `alone`,
a callable answering it without a framework)."""

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


class Alone:
    """No framework: what the server alone can answer (granian calls `__rsgi__`, its own interface)."""

    async def __rsgi__(self, scope, protocol):
        headers = [("content-type", CONTENT_TYPE), ("content-length", str(len(BODY)))]
        protocol.response_bytes(200, headers, BODY)


app = falcon.asgi.App()
app.add_route("/public/api/v2/chat/{{widget_id}}", Fixed())
serve(Alone() if sys.argv[2:] == ["alone"] else app, Config(port=int(sys.argv[1]), access_log=False))
'''


def wiremock_command(
    folder: Path, port: int, body: bytes, content_type: str, journal: bool
) -> list[str] | None:
    """WireMock serving one stub of these bytes from `folder`, or None when Java or the jar is missing."""
    jars = sorted(WIREMOCK_JARS.glob("wiremock-standalone-*.jar"))
    java = shutil.which("java")
    if not jars or java is None:
        return None
    (folder / "mappings").mkdir(parents=True, exist_ok=True)
    stub = {
        "request": {"method": "GET", "urlPath": PATH},
        "response": {"status": 200, "body": body.decode(), "headers": {"Content-Type": content_type}},
    }
    (folder / "mappings" / "availability.json").write_text(json.dumps(stub), encoding="utf-8")
    return [
        java,
        "-jar",
        str(jars[-1]),
        "--port",
        str(port),
        "--root-dir",
        str(folder),
        "--disable-banner",
        *([] if journal else ["--no-request-journal"]),
    ]


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


def start(command: list[str], port: int, path: str, log: Path | None = None) -> subprocess.Popen:
    with open(log or os.devnull, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(process, port, path, seconds=60)
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
    from mocksnap.app import create_app, create_served_app, load_world
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
        "mocksnap as served (create_served_app)": create_served_app(config, world),
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


def median_rates(wrk_path: str, ports: dict[str, int]) -> dict[str, float]:
    """wrk on each server in turn, ROUNDS times, each round starting one server further along (the server
    measured right after a WireMock round ran a few percent slower, whichever it was); the median rate of
    each. Warns of failed answers."""
    rates: dict[str, list[float]] = {name: [] for name in ports}
    names = list(ports)
    failures = 0
    for round_ in range(ROUNDS):
        shift = round_ % len(names)
        order = names[shift:] + names[:shift]
        for name in order:
            rate, failed = wrk(wrk_path, ports[name], WRK)
            rates[name].append(rate)
            failures += failed
        print(f"  round {round_ + 1}: " + "   ".join(f"{n} {rates[n][-1]:,.0f}" for n in order), flush=True)
    if failures:
        print(f"  warning: {failures:,} answers were not 2xx/3xx or failed at the socket")
    return {name: statistics.median(found) for name, found in rates.items()}


def verdict(name: str, ratio: float, target: float) -> str:
    return f"  {name} = {ratio:.2f}; target >= {target}: {'meets' if ratio >= target else 'MISSES'} it"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="show where the time goes even when on target")
    args = parser.parse_args()
    wrk_path = shutil.which("wrk")
    if wrk_path is None:
        print("wrk is not installed: `make bench-deps` installs it (or apt-get install -y wrk)")
        print("  skipped")
        return
    ports = {name: free_port() for name in ("mocksnap", "no-access-log", "bare", ALONE, *WIREMOCKS)}
    servers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="mocksnap-bench-") as folder:
        try:
            serve = [sys.executable, "-m", "mocksnap", "serve", "--port"]
            log = Path(folder) / "access.log"
            servers.append(start([*serve, str(ports["mocksnap"])], ports["mocksnap"], PATH, log))
            quiet = ports["no-access-log"]
            servers.append(start([*serve, str(quiet), "--no-access-log"], quiet, PATH))
            status, body, content_type = get(ports["mocksnap"], PATH)
            script = Path(folder) / "bare_app.py"
            script.write_text(BARE_APP.format(body=body, content_type=content_type))
            servers.append(start([sys.executable, str(script), str(ports["bare"])], ports["bare"], PATH))
            alone = [sys.executable, str(script), str(ports[ALONE]), "alone"]
            servers.append(start(alone, ports[ALONE], PATH))
            for name, journal in WIREMOCKS.items():
                wiremock = wiremock_command(
                    Path(folder) / f"wiremock-{ports[name]}", ports[name], body, content_type, journal
                )
                if wiremock is None:
                    print("no WireMock (Java, .bench/node_modules/wiremock): `make bench-deps` installs it")
                    del ports[name]
                else:
                    servers.append(start(wiremock, ports[name], PATH))
            same = {name: get(port, PATH)[1] == body for name, port in ports.items()}
            print(f"GET {PATH}: {status}, {len(body)} bytes ({content_type}); same bytes: {same}")
            for name, port in ports.items():
                if name in WIREMOCKS:
                    print(f"warming {name} up: wrk {' '.join(WIREMOCK_WARM_UP)}", flush=True)
                    wrk(wrk_path, port, WIREMOCK_WARM_UP)
                else:
                    wrk(wrk_path, port, WARM_UP)
            print(f"wrk {' '.join(WRK)}, req/s, the servers in turn, {ROUNDS} rounds:", flush=True)
            rates = median_rates(wrk_path, ports)
            logged = sum(1 for _ in log.open("rb"))
        finally:
            for process in servers:
                stop(process)
    print("median: " + ", ".join(f"{name} {rate:,.0f} req/s" for name, rate in rates.items()))
    mocksnap = rates["mocksnap"]
    if "WireMock" in rates:
        print(
            verdict("mocksnap serve / WireMock out of the box", mocksnap / rates["WireMock"], TARGET_WIREMOCK)
        )
    if QUIET_WIREMOCK in rates:
        print(f"  mocksnap serve / {QUIET_WIREMOCK} = {mocksnap / rates[QUIET_WIREMOCK]:.2f} (for reference)")
    ratio = mocksnap / rates["bare"]
    print(verdict("mocksnap serve / bare falcon.asgi on the same server", ratio, TARGET_BARE))
    if "WireMock" in rates:
        ceiling = rates[ALONE] / rates["WireMock"]
        print(
            f"  {ALONE} (a do-nothing callable on mocksnap's server) / WireMock out of the box = "
            f"{ceiling:.2f}: the ceiling of any app served this way here"
        )
    cost = 1 - mocksnap / rates["no-access-log"]
    off = rates["no-access-log"]
    print(f"  access log: costs {cost:.1%} of the rate (on {mocksnap:,.0f} req/s, off {off:,.0f} req/s)")
    print(f"  ({logged:,} access log lines written by mocksnap serve)")
    if ratio < TARGET_BARE or args.profile:
        print(flush=True)
        where_the_time_goes(body, content_type)


if __name__ == "__main__":
    main()
