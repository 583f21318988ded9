"""The HTTP layer of a real `mocksnap serve`, tried as a clumsy client and a careless operator would: a body
cut short or stalled, a connection that stalls in its headers or idles, a certificate that does not load, a
busy port or a port that is no port. Also: `--server gunicorn` serves the same app."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from mocksnap.testing import HOST, MocksnapServer, free_port, launch
from tests.conftest import PROVISIONING_KEY, SUPPORT_WIDGET, assert_valid
from tests.e2e.conftest import port_is_free

USERS = "/api/v1/user.json"
SERVERS = ["granian", "gunicorn"]


def user_body(email: str) -> bytes:
    return json.dumps(
        {"email": email, "name": "Cut Short", "password": "secret-123", "accountType": "biz"}
    ).encode()


def send_cut_short(port: int, target: str, body: bytes) -> None:
    """A request that announces its whole body, sends half of it, and goes away."""
    head = (
        f"PUT {target} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((HOST, port), timeout=5) as conn:
        conn.sendall(head + body[: len(body) // 2])
        time.sleep(0.2)
        conn.shutdown(socket.SHUT_WR)  # the client is gone: the body ends before its Content-Length
        conn.settimeout(5)
        while conn.recv(65536):
            pass


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_body_that_ends_before_its_content_length_is_never_applied(spawn, server_name: str) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--server", server_name)
    email = f"cut-short-{server_name}@example.com"
    target = f"{USERS}?{urlencode({'api_key': PROVISIONING_KEY})}"
    # The whole body would create the user (checked on another address).
    whole = running.request("PUT", target, body=user_body(f"whole-{email}"))
    assert whole.status == 201, whole.body

    send_cut_short(running.port, target, user_body(email))
    query = urlencode({"api_key": PROVISIONING_KEY, "email": email})
    assert running.get(f"{USERS}?{query}").status == 404, "a user was created from half a body"
    [journaled] = [r for r in json.loads(running.get("/__admin/requests").body)["requests"] if r["seq"] == 2]
    assert journaled["status"] == 400
    assert running.get("/__admin/health").status == 200


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_body_that_stops_arriving_is_refused_with_408_and_never_applied(spawn, server_name: str) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--server", server_name, "--header-timeout", "1")
    email = f"stalled-{server_name}@example.com"
    target = f"{USERS}?{urlencode({'api_key': PROVISIONING_KEY})}"
    body = user_body(email)
    head = (
        f"PUT {target} HTTP/1.1\r\nHost: {HOST}:{running.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((HOST, running.port), timeout=10) as conn:
        conn.sendall(head + body[:10])  # and then nothing: the client stalls, connected
        started = time.monotonic()
        # Meanwhile, everybody else is answered.
        assert running.get(f"/public/api/v2/chat/{SUPPORT_WIDGET}", timeout=2).status == 200
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            assert chunk, "the connection closed without an answer"
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert 0.9 <= time.monotonic() - started < 5
    query = urlencode({"api_key": PROVISIONING_KEY, "email": email})
    assert running.get(f"{USERS}?{query}").status == 404, "a user was created from a stalled body"
    [journaled] = [
        r for r in json.loads(running.get("/__admin/requests").body)["requests"] if r["method"] == "PUT"
    ]
    assert journaled["status"] == 408


def _stalled_connection(port: int) -> socket.socket:
    conn = socket.create_connection((HOST, port), timeout=10)
    conn.sendall(f"GET /__admin/health HTTP/1.1\r\nHost: {HOST}\r\nAccept: ".encode())
    return conn


def _closed_within(conn: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection (read gives nothing), or None if it stays open."""
    started = time.monotonic()
    conn.settimeout(seconds)
    try:
        while conn.recv(65536):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


@pytest.mark.parametrize("server_name", SERVERS)
def test_the_availability_fast_path_answers_with_the_app_s_headers(spawn, server_name: str) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--server", server_name)
    path = f"/public/api/v2/chat/{SUPPORT_WIDGET}"
    fast = running.get(path)
    # A fault in force on another path sends every request through the app.
    fault = {"path": "/no/such/path", "status": 503}
    assert running.request("POST", "/__admin/faults", body=json.dumps(fault).encode()).status == 201
    slow = running.get(path)
    assert (fast.status, fast.body) == (slow.status, slow.body) == (200, slow.body)
    assert int(fast.headers["content-length"]) == len(fast.body)

    def kept(answer):  # what the app decides, not the server (its name, the date)
        return {k.lower(): v for k, v in answer.headers.items() if k.lower() not in ("date", "server")}

    assert kept(fast) == kept(slow)
    assert kept(fast)["access-control-allow-origin"] == "*"


def test_a_connection_that_stalls_in_its_headers_is_closed_while_others_are_served(spawn) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--header-timeout", "1")
    stalled = [_stalled_connection(running.port) for _ in range(20)]
    started = time.monotonic()
    # Meanwhile, everybody else is answered at once.
    for _ in range(20):
        assert running.get(f"/public/api/v2/chat/{SUPPORT_WIDGET}", timeout=2).status == 200
    for conn in stalled:
        with conn:
            closed = _closed_within(conn, 10 - (time.monotonic() - started))
            assert closed is not None, "a connection with half its headers is still open after 10 s"
    assert 0.9 <= time.monotonic() - started < 5
    assert running.get("/__admin/health").status == 200


def test_an_idle_kept_alive_connection_is_closed(spawn) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--header-timeout", "1")
    with socket.create_connection((HOST, running.port), timeout=5) as conn:
        conn.sendall(f"GET /__admin/health HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            answer += conn.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        closed = _closed_within(conn, 10)
        assert closed is not None, "an idle connection is still open after 10 s"
        assert 0.9 <= time.monotonic() - started < 5


# -- start-up failures: one line, a non-zero exit, no traceback, within 5 s ----------------------------------


def _fails_at_start(args: list[str], port: int) -> str:
    started = time.monotonic()
    running = launch(args, port=port)
    code = running.wait_exit(10)
    if code is None:
        running.kill()
        pytest.fail(f"mocksnap serve kept running; output:\n{running.output()}")
    out = running.output()
    assert time.monotonic() - started < 5, out
    assert code != 0, out
    assert "Traceback" not in out
    assert "serving http" not in out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{out}"
    return lines[0]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A self-signed certificate and its key, and a key of another pair."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command line is not on PATH (make test installs it)")
    folder = tmp_path_factory.mktemp("tls")
    made = {}
    for name in ("one", "other"):
        cert, key = folder / f"{name}-cert.pem", folder / f"{name}-key.pem"
        request = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        subprocess.run(
            [*request, "-subj", f"/CN={HOST}", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
            timeout=30,
        )
        made[f"{name}-cert"], made[f"{name}-key"] = cert, key
    return made


@pytest.mark.parametrize("server_name", SERVERS)
@pytest.mark.parametrize("problem", ["missing-certificate", "missing-key", "key-of-another-certificate"])
def test_tls_that_cannot_be_set_up_stops_the_server(
    certificates: dict[str, Path], tmp_path: Path, problem: str, server_name: str
) -> None:
    cert, key = certificates["one-cert"], certificates["one-key"]
    if problem == "missing-certificate":
        cert = tmp_path / "no-cert.pem"
    elif problem == "missing-key":
        key = tmp_path / "no-key.pem"
    else:
        key = certificates["other-key"]
    port = free_port()
    line = _fails_at_start(
        ["--server", server_name, "--certfile", str(cert), "--keyfile", str(key)], port=port
    )
    assert ("--keyfile" if problem == "missing-key" else "--certfile") in line
    assert str(key if problem == "missing-key" else cert) in line
    assert port_is_free(port)


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_busy_port_stops_the_server_with_one_line(server_name: str) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _fails_at_start(["--server", server_name], port=port)
        assert f"{HOST}:{port}" in line
        assert "--port" in line
        assert "in use" in line


@pytest.mark.parametrize("port", [99999, -1])
def test_a_port_that_is_no_port_stops_the_server_with_one_line(port: int) -> None:
    line = _fails_at_start([], port=port)
    assert "--port" in line
    assert str(port) in line


# -- gunicorn ------------------------------------------------------------------------------------------------


def test_server_gunicorn_serves_the_same_app_and_stops_cleanly(spawn) -> None:
    running: MocksnapServer = spawn("--clock", "manual", "--server", "gunicorn")
    out = running.output()
    assert f"serving http://{HOST}:{running.port}" in out
    assert "Starting gunicorn" in out
    answer = running.get(f"/public/api/v2/chat/{SUPPORT_WIDGET}")
    assert answer.status == 200
    assert_valid("widget-availability", answer.json())
    deadline = time.monotonic() + 3
    while f"GET /public/api/v2/chat/{SUPPORT_WIDGET} 200 " not in running.output():
        assert time.monotonic() < deadline, running.output()
        time.sleep(0.05)
    assert running.stop() == 0
    assert port_is_free(running.port)
