"""End-to-end fixtures, over mocksnap.testing: real `mocksnap serve` processes on free ports of 127.0.0.1.

`server` is the pytest plugin's session server (`mocksnap_server`: the default world on a manual clock), its
world reset for each test that asks for it. Tests that need their own process (another world, another clock,
signals, TLS, the console script) use `spawn`, which starts them as `mocksnap serve` would be started by hand
(the clock is the flags' to set) and stops them at teardown.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mocksnap.testing import HOST, Mocksnap, MocksnapServer, start_server


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


@pytest.fixture
def server(mocksnap: Mocksnap) -> MocksnapServer:
    """The session's server over the default world, reset for this test."""
    return mocksnap.server


@pytest.fixture
def spawn() -> Iterator[Callable[..., MocksnapServer]]:
    """start_server for one test, with the clock left to the flags: every server it started is stopped
    (SIGTERM, then kill) at teardown."""
    started: list[MocksnapServer] = []

    def _spawn(*args: str, **kwargs: Any) -> MocksnapServer:
        running = start_server(*args, clock=None, **kwargs)
        started.append(running)
        return running

    yield _spawn
    for running in started:
        running.stop()


CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `make test`; Playwright never downloads one here


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for a module's browser tests, driven by Playwright; each test opens its own
    context (cookies, storage) with `browser.new_context()` or `browser.new_page()`. Not one per session:
    while Playwright's sync API runs, its event loop is the thread's, and a test of another module that runs
    asyncio.run() in the same process would fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context, closed after the test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files), for `mocksnap serve --certfile`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command line is not on PATH: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}"),
            *("-addext", f"subjectAltName=IP:{HOST}"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


class Site:
    """The integrator's web site: pages served from a port of its own, another origin than mocksnap's.

    `pages` maps a path to its HTML; `render(path, query)`, if given, makes the page of any other path (the
    query string parsed as by parse_qs)."""

    def __init__(self, render: Callable[[str, dict[str, list[str]]], str] | None = None) -> None:
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                body = site.pages.get(parts.path)
                if body is None and render is not None:
                    body = render(parts.path, parse_qs(parts.query))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                data = (body or "not found").encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://{HOST}:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    """Put a page at `site.pages["/path"] = html` and open `site.url + "/path"`."""
    served = Site()
    yield served
    served.close()
