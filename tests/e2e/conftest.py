"""End-to-end fixtures: the real `mocksnap serve` as a subprocess on a free port of 127.0.0.1, spoken to over
HTTP(S) with the standard library only.

`server` is one server for the whole session (the default world); every test that asks for it starts from a
freshly reset world (POST /__admin/reset). Tests that need their own process (another world, signals, TLS,
the console script) call `start_server` and stop it themselves, or let `spawn` stop it at teardown.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
READY_TIMEOUT = 10.0  # seconds for a server to answer GET /__admin/health
STOP_TIMEOUT = 5.0  # seconds for a server to exit after a signal before it is killed


def free_port() -> int:
    """A port nobody listens on right now: the one the kernel picks for a socket bound to port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Nothing answers on the port, and a new server could listen on it (with SO_REUSEADDR, as gunicorn)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        if probe.connect_ex((HOST, port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
            sock.listen()
        except OSError:
            return False
    return True


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        assert self.body, f"expected a JSON body, got an empty one (HTTP {self.status})"
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class Server:
    """A running `mocksnap serve` process."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    scheme: str = "http"
    ssl_context: ssl.SSLContext | None = None
    launched_at: float = 0.0  # time.monotonic() just before the process was started
    startup_seconds: float | None = None  # from launch to the first answered GET /__admin/health

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    def output(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def output_size(self) -> int:
        return self.log_path.stat().st_size

    def output_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(HOST, self.port, timeout=timeout, context=self.ssl_context)
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 5.0,
    ) -> Response:
        """A request on its own connection; a dict or list body is sent as JSON, bytes and str as they are."""
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        conn = self._connection(timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> float:
        """Poll GET /__admin/health until it answers 200; the seconds since launch. Fails with the output."""
        deadline = time.monotonic() + timeout
        last_error: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"mocksnap serve exited with code {self.process.returncode} before answering "
                    f"/__admin/health; its output:\n{self.output()}"
                )
            try:
                answer = self.get("/__admin/health", timeout=1.0)
                if answer.status == 200:
                    self.startup_seconds = time.monotonic() - self.launched_at
                    return self.startup_seconds
                last_error = f"HTTP {answer.status}: {answer.body[:200]!r}"
            except (OSError, http.client.HTTPException) as error:
                last_error = error
            time.sleep(0.05)
        self.kill()
        pytest.fail(
            f"mocksnap serve did not answer /__admin/health within {timeout} s (last: {last_error}); "
            f"its output:\n{self.output()}"
        )

    def send_signal(self, sig: int, *, group: bool = False) -> None:
        """To the server process; with group=True to its whole process group, as a terminal's Ctrl-C does."""
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)

    def wait_exit(self, timeout: float = STOP_TIMEOUT) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL the process group this server started (the master and its worker)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int | None:
        """Signal, wait, kill if still running; the exit code, or None if it had to be killed."""
        if self.process.poll() is not None:
            return self.process.returncode
        with contextlib.suppress(ProcessLookupError):
            self.send_signal(sig)
        code = self.wait_exit(timeout)
        if code is None:
            self.kill()
        return code


def serve_command(*args: str, executable: Sequence[str] | None = None) -> list[str]:
    return [*(executable or (sys.executable, "-m", "mocksnap")), "serve", *args]


def launch(
    args: Sequence[str],
    log_path: Path,
    *,
    port: int,
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
    executable: Sequence[str] | None = None,
) -> Server:
    """Start `mocksnap serve --port PORT ARGS...` without waiting for it; output goes to log_path."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in list(env):
        if name.startswith("MOCKSNAP_"):  # only the flags given here decide
            del env[name]
    command = serve_command("--host", HOST, "--port", str(port), *args, executable=executable)
    with log_path.open("wb") as log:
        launched_at = time.monotonic()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            # Its own process group: a test can send it a terminal's Ctrl-C, and teardown can kill it whole.
            start_new_session=True,
        )
    return Server(process, port, log_path, scheme, ssl_context, launched_at)


def start_server(
    log_dir: Path,
    *args: str,
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
    executable: Sequence[str] | None = None,
) -> Server:
    """Start a server on a free port and wait until it answers; the caller stops it."""
    port = free_port()
    server = launch(
        args,
        log_dir / f"mocksnap-{port}.log",
        port=port,
        scheme=scheme,
        ssl_context=ssl_context,
        executable=executable,
    )
    server.wait_ready()
    return server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `python -m mocksnap serve` over the default world for the whole session."""
    running = start_server(tmp_path_factory.mktemp("session-server"))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh_world(request: pytest.FixtureRequest) -> None:
    """Every test that uses the session server starts from the world it was started with."""
    if "server" in request.fixturenames:
        running: Server = request.getfixturevalue("server")
        answer = running.request("POST", "/__admin/reset")
        assert answer.status == 200, f"reset failed: {answer.status} {answer.body!r}\n{running.output()}"


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """start_server for one test: every server it started is stopped (SIGTERM, then kill) at teardown."""
    started: list[Server] = []

    def _spawn(*args: str, **kwargs: Any) -> Server:
        running = start_server(tmp_path, *args, **kwargs)
        started.append(running)
        return running

    yield _spawn
    for running in started:
        running.stop()
