"""pytest fixtures for testing an integration against mocksnap; pytest loads them once mocksnap is installed.

- `mocksnap_server` (session): one real `mocksnap serve` on a free port of 127.0.0.1, on a manual clock. Under
  pytest-xdist each worker is its own pytest process, so each has its own server.
- `mocksnap` (each test): that server's world reset to the one it started with; a `mocksnap.testing.Mocksnap`.
  `mocksnap.widget_script_url(widget_id)` is the widget script of the documented snippet on that server:
  reroute your page's `storage.googleapis.com/code.snapengage.com/js/*` to it
  (examples/test_widget_snippet.py).
- `webhook_sink` (each test): a `mocksnap.testing.WebhookSink`, closed after the test.

`--mocksnap-world PATH`, `--mocksnap-seed N`, `--mocksnap-start ISO8601` and `--mocksnap-smtp HOST:PORT` (or
the ini options `mocksnap_world`, `mocksnap_seed`, `mocksnap_start`, `mocksnap_smtp`) choose what the server
starts with. `mocksnap.emails()` and `mocksnap.wait_for_emails()` read the emails it wrote.
`--mocksnap-admin-token TOKEN` (the ini option `mocksnap_admin_token`, or MOCKSNAP_ADMIN_TOKEN) makes its
control API ask for that token, which the fixtures then send.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mocksnap.testing import Mocksnap, MocksnapServer, WebhookSink, start_server

OPTIONS = {
    "world": "world document the server serves (YAML or JSON; default: mocksnap's default world)",
    "seed": "seed of every random choice of the server (default 0)",
    "start": "first instant of the server's manual clock, ISO 8601 (default 2026-11-23T09:30:00Z)",
    "smtp": "HOST:PORT of an SMTP server the server sends its emails to (default: kept, not sent)",
}
TOKEN_HELP = "token the server's control API asks for, and the fixtures send (default: MOCKSNAP_ADMIN_TOKEN)"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mocksnap")
    for name, help_text in OPTIONS.items():
        group.addoption(f"--mocksnap-{name}", dest=f"mocksnap_{name}", help=help_text)
        parser.addini(f"mocksnap_{name}", help_text)
    group.addoption("--mocksnap-admin-token", dest="mocksnap_admin_token", help=TOKEN_HELP)
    parser.addini("mocksnap_admin_token", TOKEN_HELP)


def _serve_args(config: pytest.Config) -> list[str]:
    args = []
    for name in OPTIONS:
        value = config.getoption(f"mocksnap_{name}")
        if value is None and (from_ini := config.getini(f"mocksnap_{name}")):
            # A path in the ini file is read from the folder of the ini file.
            folder = config.inipath.parent if config.inipath else config.rootpath
            value = str(folder / from_ini) if name == "world" else from_ini
        if value is not None:
            args += [f"--{name}", str(value)]
    return args


@pytest.fixture(scope="session")
def mocksnap_server(pytestconfig: pytest.Config) -> Iterator[MocksnapServer]:
    """A real `mocksnap serve` for the whole test session (of this xdist worker), on a manual clock."""
    token = pytestconfig.getoption("mocksnap_admin_token") or pytestconfig.getini("mocksnap_admin_token")
    with start_server(*_serve_args(pytestconfig), admin_token=token or None) as server:
        yield server


@pytest.fixture
def mocksnap(mocksnap_server: MocksnapServer) -> Mocksnap:
    """The session's server, its world fresh: reset to the one it started with, the clock at its start."""
    snap = Mocksnap(mocksnap_server)
    snap.reset()
    return snap


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    """A real HTTP receiver on 127.0.0.1 that records every request: subscribe `f"{webhook_sink.url}/case"`
    and read what came with `webhook_sink.wait_for(path="/case")`."""
    with WebhookSink() as sink:
        yield sink
