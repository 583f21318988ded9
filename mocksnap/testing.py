"""Helpers for testing an integration against mocksnap, with pytest or without it.

- `start_server()` runs a real `mocksnap serve` on a free port of 127.0.0.1 (on a manual clock unless told
  otherwise) and waits until it answers; `MocksnapServer.request()` is a small HTTP client for it. Given an
  admin token (`admin_token=`, or MOCKSNAP_ADMIN_TOKEN), the server asks for it and the client sends it.
- `Mocksnap` wraps a running server with the control API: the organization's credentials, the clock, webhook
  subscriptions, the request journal, the delivery log and the emails.
- `WebhookSink` is a real HTTP receiver on 127.0.0.1 that records every request, and can fail on demand.
- `validate(payload, schema_name)` checks a document against one of mocksnap's JSON Schemas.

The pytest plugin (`mocksnap.pytest_plugin`) gives these as the fixtures `mocksnap_server`, `mocksnap` and
`webhook_sink`. Outside pytest:

    with start_server() as server, WebhookSink() as sink:
        snap = Mocksnap(server)
        snap.configure_integrations(snap.org.widgets[0], integrationApi={"url": f"{sink.url}/case"})
        ...
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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from mocksnap import schemas

HOST = "127.0.0.1"
READY_TIMEOUT = 10.0  # seconds for a server to answer GET /__admin/health
STOP_TIMEOUT = 5.0  # seconds for a server to exit after a signal before it is killed


# -- schemas ---------------------------------------------------------------------------------------------


def _schema_problems(payload: Any, schema_name: str) -> list[str]:
    if schema_name.partition("#")[0] not in schemas.names():
        raise ValueError(f"no schema named {schema_name!r}; there are: {', '.join(schemas.names())}")
    return [f"{error.path or '/'}: {error.message}" for error in schemas.errors(schema_name, payload)]


def validate(payload: Any, schema_name: str) -> None:
    """Fail with every way in which `payload` breaks the named schema (`integration-api`, `conversation-event`
    ...: the file names of schemas/ without `.schema.json`). Bytes (a request body) are parsed as JSON."""
    __tracebackhide__ = True  # pytest shows a failure at the caller's line
    if isinstance(payload, bytes):
        payload = json.loads(payload)
    problems = _schema_problems(payload, schema_name)
    if problems:
        raise AssertionError(
            f"the payload breaks the schema {schema_name!r}:\n" + "\n".join(f"  {p}" for p in problems)
        )


# -- the server ------------------------------------------------------------------------------------------


class ServerError(RuntimeError):
    """A server that did not start: the message holds its output."""


def free_port() -> int:
    """A port nobody listens on right now: the one the kernel picks for a socket bound to port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


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
class MocksnapServer:
    """A running `mocksnap serve` process, with everything it wrote to stdout and stderr kept in memory."""

    process: subprocess.Popen[bytes]
    port: int
    scheme: str = "http"
    ssl_context: ssl.SSLContext | None = None
    launched_at: float = 0.0  # time.monotonic() just before the process was started
    admin_token: str | None = None  # sent as `Authorization: Bearer` with every /__admin request
    startup_seconds: float | None = None  # from launch to the first answered GET /__admin/health
    _output: bytearray = field(default_factory=bytearray, repr=False)
    _reader: threading.Thread | None = field(default=None, repr=False)

    def _keep_output(self) -> None:
        """Read what the process writes to its stdout pipe into memory, as it comes, until it exits."""

        def read(stream: Any) -> None:
            while chunk := stream.read1(65536):
                self._output += chunk
            stream.close()

        self._reader = threading.Thread(target=read, args=(self.process.stdout,), daemon=True)
        self._reader.start()

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    def output(self) -> str:
        """Everything the server wrote so far: its banner, then one access log line per request."""
        return self._output.decode("utf-8", "replace")

    def output_size(self) -> int:
        return len(self._output)

    def output_since(self, offset: int) -> str:
        return self._output[offset:].decode("utf-8", "replace")

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
        """A request on its own connection; a dict or list body is sent as JSON, bytes and str as they are.
        A control API request carries the admin token, if the server has one and no Authorization is given."""
        headers = dict(headers or {})
        if (
            self.admin_token
            and path.startswith("/__admin")
            and not any(name.lower() == "authorization" for name in headers)
        ):
            headers["Authorization"] = f"Bearer {self.admin_token}"
        if isinstance(body, dict | list):
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
        """Poll GET /__admin/health until it answers 200; the seconds since launch. Raises ServerError with
        the output when the process exits first or the time runs out (and then kills it)."""
        deadline = time.monotonic() + timeout
        last_error: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
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
        raise ServerError(
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
        """The exit code once the process ended (and its output was read), or None if it still runs."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        if self._reader is not None:
            self._reader.join(timeout)
        return code

    def kill(self) -> None:
        """SIGKILL the process group this server started (the master and its worker)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.wait_exit()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int | None:
        """Signal, wait, kill if still running; the exit code, or None if it had to be killed."""
        if self.process.poll() is not None:
            return self.wait_exit()
        with contextlib.suppress(ProcessLookupError):
            self.send_signal(sig)
        code = self.wait_exit(timeout)
        if code is None:
            self.kill()
        return code

    def __enter__(self) -> MocksnapServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_command(*args: str, executable: Sequence[str] | None = None) -> list[str]:
    """`python -m mocksnap serve ARGS...` with this interpreter, or `EXECUTABLE serve ARGS...`."""
    return [*(executable or (sys.executable, "-m", "mocksnap")), "serve", *args]


def launch(
    args: Sequence[str],
    *,
    port: int,
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
    executable: Sequence[str] | None = None,
    admin_token: str | None = None,
) -> MocksnapServer:
    """Start `mocksnap serve --host 127.0.0.1 --port PORT ARGS...` without waiting for it to answer. Only the
    flags given decide: MOCKSNAP_* variables of this process are not passed on. With `admin_token`, the
    server is started with `--admin-token` and the returned client sends it."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MOCKSNAP_")}
    token_flags = ["--admin-token", admin_token] if admin_token else []
    command = serve_command("--host", HOST, "--port", str(port), *args, *token_flags, executable=executable)
    server = run_server(command, port, env, scheme=scheme, ssl_context=ssl_context)
    server.admin_token = admin_token or None
    return server


def run_server(
    command: Sequence[str],
    port: int,
    env: dict[str, str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
) -> MocksnapServer:
    """Start any command that serves mocksnap on `port` of 127.0.0.1 (`mocksnap serve`, gunicorn itself, a
    container's command) without waiting for it to answer; its output is kept."""
    launched_at = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        # Its own process group: it can be sent a terminal's Ctrl-C, and stopped whole (master and worker).
        start_new_session=True,
    )
    server = MocksnapServer(process, port, scheme, ssl_context, launched_at)
    server._keep_output()
    return server


def start_server(
    *args: str,
    clock: str | None = "manual",
    scheme: str = "http",
    ssl_context: ssl.SSLContext | None = None,
    executable: Sequence[str] | None = None,
    timeout: float = READY_TIMEOUT,
    admin_token: str | None = None,
) -> MocksnapServer:
    """A `mocksnap serve` on a free port of 127.0.0.1, answering; the caller stops it (or uses `with`).

    `args` are more flags of `mocksnap serve` (`--world`, `--seed`, `--start` ...). The clock is manual by
    default, so that time moves only through `Mocksnap.advance()`; `clock=None` leaves it to the flags.
    `admin_token` (by default MOCKSNAP_ADMIN_TOKEN, if set) is the token the control API then asks for."""
    port = free_port()
    flags = ["--clock", clock, *args] if clock else list(args)
    token = admin_token or os.environ.get("MOCKSNAP_ADMIN_TOKEN") or None
    server = launch(
        flags, port=port, scheme=scheme, ssl_context=ssl_context, executable=executable, admin_token=token
    )
    server.wait_ready(timeout)
    return server


# -- the control API -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organization:
    """An organization of the running world, named as in the world document."""

    orgId: str
    apiToken: str  # the raw Authorization header of the Logs and Agent Status APIs
    provisioningApiKey: str  # ?api_key= of the Provisioning API
    visitorApiKey: str  # the x-api-key header of the Visitor Chat API
    widgets: list[str]  # the widgets' ids (uuid), in the document's order
    document: dict[str, Any]  # everything else: users, agents, schedules ...


def _query(**params: Any) -> str:
    given = {name: value for name, value in params.items() if value is not None}
    return f"?{urlencode(given)}" if given else ""


class Mocksnap:
    """A running server seen through its control API (/__admin)."""

    def __init__(self, server: MocksnapServer) -> None:
        self.server = server

    @property
    def base_url(self) -> str:
        """Where the emulated APIs answer: `http://127.0.0.1:PORT`."""
        return self.server.base_url

    @property
    def base_js_url(self) -> str:
        """Where the widget scripts are: the Mobile SDK's `baseJsUrl`, and the documented snippet's
        `//storage.googleapis.com/code.snapengage.com/js` with its host changed."""
        return f"{self.base_url}/code.snapengage.com/js"

    def widget_script_url(self, widget_id: str | None = None) -> str:
        """The script of the documented snippet for a widget (the world's first unless told), served by this
        server: reroute `storage.googleapis.com/code.snapengage.com/js/*` of your page to it."""
        return f"{self.base_js_url}/{widget_id or self.org.widgets[0]}.js"

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Response:
        """Any request to the server; a dict or list body goes as JSON."""
        return self.server.request(method, path, body=body, headers=headers)

    def _admin(self, method: str, path: str, body: Any = None, timeout: float = 5.0) -> Any:
        __tracebackhide__ = True
        answer = self.server.request(method, path, body=body, timeout=timeout)
        if answer.status != 200:
            raise AssertionError(
                f"{method} {path} answered {answer.status}: {answer.body.decode(errors='replace')}"
            )
        return answer.json()

    def reset(self) -> None:
        """Back to the world the server started with: no cases, no timers, journal and delivery log empty, the
        simulated agents on, the seed's first draw, a manual clock at its start."""
        self._admin("POST", "/__admin/reset")

    @property
    def orgs(self) -> list[Organization]:
        """The organizations of the world as it is now."""
        return [
            Organization(
                doc["orgId"],
                doc["apiToken"],
                doc["provisioningApiKey"],
                doc["visitorApiKey"],
                [widget["uuid"] for widget in doc.get("widgets", [])],
                doc,
            )
            for doc in self._admin("GET", "/__admin/world")["organizations"]
        ]

    @property
    def org(self) -> Organization:
        """The world's first organization (the default world has one)."""
        return self.orgs[0]

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move the manual clock: every timer that falls due runs (agents' replies, timeouts, webhook
        retries), and the deliveries they start are attempted, before this returns. Returns the clock."""
        return self._admin("POST", "/__admin/clock/advance", {"seconds": seconds})

    def configure_integrations(self, widget_id: str, **subscriptions: Any) -> dict[str, Any]:
        """Replace a widget's webhook subscriptions: `integrationApi={"url", "authToken", "format"}`,
        `conversationEvents={"url", "authToken", "events": [...]}`, `getContact={"url", "systemName"}`."""
        return self._admin("PUT", f"/__admin/widgets/{widget_id}/integrations", subscriptions)

    def inject_fault(self, **fault: Any) -> dict[str, Any]:
        """Make the server misbehave until reset: `path="/api/v2/*/logs", status=429, times=1` answers the
        next Logs API call with a 429; `delay_ms=` adds latency; `delivery={"action": "duplicate" | "delay" |
        "reorder" | "drop", "kind", "url"}` plays tricks on outbound webhooks (see POST /__admin/faults)."""
        __tracebackhide__ = True
        answer = self.server.request("POST", "/__admin/faults", fault)
        if answer.status != 201:
            raise AssertionError(f"POST /__admin/faults answered {answer.status}: {answer.body.decode()}")
        return answer.json()

    def requests(
        self, method: str | None = None, path: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The request journal, oldest first: what was called on the emulated APIs. `path` is a glob
        (`/api/v2/*/logs`). Each entry has seq, time, method, path, query, headers, body and status."""
        query = _query(method=method, path=path, limit=limit)
        return self._admin("GET", f"/__admin/requests{query}")["requests"]

    def deliveries(
        self,
        kind: str | None = None,
        status: str | None = None,
        url: str | None = None,
        widget_id: str | None = None,
        case_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """The delivery log, oldest first: every webhook mocksnap sent or is sending. `kind` is
        integration, conversation_event, agent_status, get_contact or bot; `status` queued, delivering,
        retrying, delivered, email_fallback or failed; `url` a glob."""
        query = _query(kind=kind, status=status, url=url, widgetId=widget_id, caseId=case_id)
        return self._admin("GET", f"/__admin/deliveries{query}")["deliveries"]

    def _wait(self, what: str, count: int, timeout: float, **filters: Any) -> list[dict[str, Any]]:
        __tracebackhide__ = True
        path = f"/__admin/{what}/wait" + _query(**filters, count=count, timeout=timeout)
        answer = self.server.request("GET", path, timeout=timeout + 5)
        if answer.status == 408:
            found = answer.json()[what]
            given = ", ".join(f"{name}={value}" for name, value in filters.items() if value is not None)
            raise AssertionError(
                f"expected {count} {what}{f' with {given}' if given else ''} within {timeout:g} s, "
                f"got {len(found)}: {json.dumps(found, indent=1)[:2000]}"
            )
        if answer.status != 200:
            raise AssertionError(
                f"GET {path} answered {answer.status}: {answer.body.decode(errors='replace')}"
            )
        return answer.json()[what]

    def emails(
        self,
        kind: str | None = None,
        status: str | None = None,
        to: str | None = None,
        widget_id: str | None = None,
        case_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Every email the server wrote, oldest first, sent over SMTP (`--smtp`) or kept: `to`, `subject`,
        `body`, `caseId`, `deliveryId`, `status` (kept, queued, sending, sent, failed), `smtpReply`, `error`.
        `kind` is transcript, offline_message, email_fallback or visitor_transcript; `to` a glob."""
        query = _query(kind=kind, status=status, to=to, widgetId=widget_id, caseId=case_id)
        return self._admin("GET", f"/__admin/emails{query}")["emails"]

    def wait_for_emails(
        self,
        kind: str | None = None,
        status: str | None = None,
        to: str | None = None,
        widget_id: str | None = None,
        case_id: str | None = None,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """The matching emails once there are `count` of them; fails at the timeout."""
        return self._wait(
            "emails", count, timeout, kind=kind, status=status, to=to, widgetId=widget_id, caseId=case_id
        )

    def wait_for_requests(
        self, method: str | None = None, path: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """The journal's matching requests once there are `count` of them; fails at the timeout."""
        return self._wait("requests", count, timeout, method=method, path=path)

    def wait_for_deliveries(
        self,
        kind: str | None = None,
        status: str | None = None,
        url: str | None = None,
        widget_id: str | None = None,
        case_id: str | None = None,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """The delivery log's matching deliveries once there are `count` of them; fails at the timeout."""
        return self._wait(
            "deliveries",
            count,
            timeout,
            kind=kind,
            status=status,
            url=url,
            widgetId=widget_id,
            caseId=case_id,
        )


# -- the webhook sink ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One request the sink received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lowercased
    body: bytes
    at: float  # time.monotonic() when it arrived
    target: str = ""  # the path and query exactly as they came on the request line, encoding and all

    @property
    def json(self) -> Any:
        """The body, parsed as JSON."""
        __tracebackhide__ = True
        try:
            return json.loads(self.body)
        except ValueError:
            raise AssertionError(
                f"{self.method} {self.path}: the body is not JSON: {self.body[:300]!r}"
            ) from None


@dataclass(frozen=True)
class Answer:
    """What the sink answers a request."""

    status: int = 200
    body: bytes = b"ok"
    content_type: str = "text/plain"
    delay: float = 0.0  # seconds to wait before answering: a slow receiver
    headers: dict[str, str] = field(default_factory=dict)  # more headers (a redirect's Location ...)
    trickle: float = 0.0  # seconds between one byte of the body and the next: a receiver that trickles


def _summary(records: list[Record], most: int = 20) -> str:
    """The last requests, one a line with the start of its body, for a failure message."""
    if not records:
        return "nothing"
    lines = [f"  {r.method} {r.path} {r.body[:80]!r}" for r in records[-most:]]
    skipped = f" ({len(records) - most} earlier ones left out)" if len(records) > most else ""
    return f"{len(records)} requests{skipped}:\n" + "\n".join(lines)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # Room for the connections a busy run opens at one instant (one per bot chat): with the default of 5
    # the kernel drops the rest, and their senders wait seconds to try again.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A sender that went away mid-request (a reset cancels the deliveries under way) is no error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WebhookSink:
    """A real HTTP receiver on 127.0.0.1 (any free port unless told) that records every request and
    answers 200 "ok", or what `fail_next` and `respond` say. Subclasses may answer otherwise by overriding
    `answer`."""

    def __init__(self, host: str = HOST, port: int = 0) -> None:
        self._records: list[Record] = []
        self._arrived = threading.Condition()  # guards everything the handler threads touch
        self._failures: list[int] = []
        self._answers: dict[str, Answer] = {}
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each answer waits for a delayed ACK (about 40 ms)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                record = Record(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                    time.monotonic(),
                    self.path,
                )
                with sink._arrived:
                    sink._records.append(record)
                    sink._arrived.notify_all()
                answer = sink.answer(record)
                if answer.delay:
                    time.sleep(answer.delay)
                # The caller may have given up (a delay past its timeout): writing then fails, quietly.
                with contextlib.suppress(OSError):
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    step = 1 if answer.trickle else max(1, len(answer.body))
                    for start in range(0, len(answer.body), step):
                        self.wfile.write(answer.body[start : start + step])
                        if answer.trickle:
                            self.wfile.flush()
                            time.sleep(answer.trickle)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args: object) -> None:
                pass

        self._server = _QuietServer((host, port), Handler)
        self.port: int = self._server.server_address[1]
        # A short poll interval: close() waits up to one interval.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`; subscribe `f"{webhook_sink.url}/case"` and tell records apart by path."""
        return f"http://{HOST}:{self.port}"

    def answer(self, record: Record) -> Answer:
        """The answer to a request: a failure `fail_next` asked for, else what `respond` set for its path,
        else 200 "ok"."""
        with self._arrived:
            if self._failures:
                return Answer(self._failures.pop(0), b"failed")
            return self._answers.get(record.path, Answer())

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next `count` requests, whatever their path, with `status`."""
        with self._arrived:
            self._failures.extend([status] * count)

    def respond(
        self,
        path: str,
        body: bytes | str,
        status: int = 200,
        content_type: str = "text/plain",
        *,
        headers: dict[str, str] | None = None,
        trickle: float = 0.0,
    ) -> None:
        """Answer every request to `path` with this (a Get Contact lookup's answer, a redirect with its
        Location in `headers`, an answer that trickles a byte every `trickle` seconds)."""
        with self._arrived:
            self._answers[path] = Answer(
                status,
                body.encode() if isinstance(body, str) else body,
                content_type,
                headers=dict(headers or {}),
                trickle=trickle,
            )

    def records(self, path: str | None = None) -> list[Record]:
        """The requests received so far, oldest first: all, or those to one path."""
        with self._arrived:
            return [r for r in self._records if path is None or r.path == path]

    def clear(self) -> None:
        """Forget the requests received so far."""
        with self._arrived:
            self._records.clear()

    def wait_for(
        self,
        count: int = 1,
        timeout: float = 5.0,
        path: str | None = None,
        *,
        where: Callable[[Record], bool] | None = None,
    ) -> list[Record]:
        """Once at least `count` requests (to `path`, and for which `where` holds, if given) arrived: all of
        those, oldest first. Fails after `timeout` seconds, naming what did arrive."""

        def matching() -> list[Record]:
            return [
                r for r in self._records if (path is None or r.path == path) and (where is None or where(r))
            ]

        __tracebackhide__ = True
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(found := matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = _summary(self._records)
                    wanted = f"request{'s' if count != 1 else ''}" + (f" to {path}" if path else "")
                    raise AssertionError(
                        f"the webhook sink expected {count} {wanted} within {timeout:g} s and got "
                        f"{len(found)}; it received {seen}"
                    )
                self._arrived.wait(left)
            return found

    def assert_valid(self, schema_name: str, path: str | None = None) -> None:
        """Check every JSON body received so far (or only those to `path`) against a schema of mocksnap's;
        fail listing every error of every request. Fails too when there is nothing to check."""
        __tracebackhide__ = True
        received = self.records(path)
        if not received:
            raise AssertionError(f"the webhook sink received nothing{f' to {path}' if path else ''} to check")
        report = []
        for number, record in enumerate(received, 1):
            problems = _schema_problems(record.json, schema_name)
            if problems:
                report.append(f"request {number}, {record.method} {record.path}:")
                report += [f"  {problem}" for problem in problems]
        if report:
            raise AssertionError(f"requests that break the schema {schema_name!r}:\n" + "\n".join(report))

    def close(self) -> None:
        """Stop listening: connections to its port are refused from now on."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
