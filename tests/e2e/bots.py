"""Real bot programs for the Bot API tests: threaded HTTP servers on 127.0.0.1 that record every request.

- `ScriptedBot` answers each request with the next reply of a script the test gives (or with what a
  callable makes of the request), an empty 200 once the script is done. A reply may hang (answer only after
  a delay longer than the server's --delivery-timeout) or be garbage.
- `ExampleBot` behaves like the vendor's example bot: it checks the Authorization header against its token
  (a caller without it gets a BYE), echoes the visitor's words ("You said: ...") on chatStarted and message,
  answering with Content-Type text/html as that bot does, and answers chatClosed and commandResult with an
  empty 200.

Their answers are built with tests/bot_replies.py: `reply(message("hi"), command("GOTO", "https://example.com"),
context_id="c1")`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.bot_replies import command, message, reply

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Reply:
    """One answer of a bot: `body` bytes or str as they are, a dict or list as JSON, None as no body."""

    status: int = 200
    content_type: str = "application/json"
    body: bytes | str | dict[str, Any] | list[Any] | None = None
    delay: float = 0.0  # seconds to wait before answering; past the server's delivery timeout, a hang

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


EMPTY = Reply()

# What a script step may be: a Reply, a (status, content_type, body) tuple, a dict (a JSON reply with 200), or
# None (an empty 200).
Step = Reply | tuple[int, str, Any] | dict[str, Any] | None


def as_reply(step: Step) -> Reply:
    if step is None:
        return EMPTY
    if isinstance(step, Reply):
        return step
    if isinstance(step, dict):
        return Reply(body=step)
    status, content_type, body = step
    return Reply(status, content_type, body)


def hang(seconds: float, then: Step = None) -> Reply:
    """A reply that comes only after `seconds`: past the server's delivery timeout it is never read."""
    return dataclasses.replace(as_reply(then), delay=seconds)


def garbage(body: bytes = b"<html>oops{", content_type: str = "application/json") -> Reply:
    """A 200 whose body is not JSON."""
    return Reply(200, content_type, body)


@dataclass
class BotRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    body: bytes
    at: float  # time.monotonic() when it arrived

    @property
    def json(self) -> Any:
        """The parsed body (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def event(self) -> str | None:
        found = self.json
        return found.get("event") if isinstance(found, dict) else None


class _BotServer:
    """A threaded HTTP server that records every request and answers what `answer(request)` says."""

    def __init__(self) -> None:
        self.requests: list[BotRequest] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        bot = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each answer waits for a delayed ACK (about 40 ms)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received = BotRequest(
                    self.command,
                    urlsplit(self.path).path,
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                    time.monotonic(),
                )
                with bot._arrived:
                    bot.requests.append(received)
                    bot._arrived.notify_all()
                answer = bot.answer(received)
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.encoded()
                # The caller may have given up (a hang past its timeout): writing to it then fails, quietly.
                with contextlib.suppress(OSError):
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            do_POST = do_GET = do_PUT = _handle

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        # A short poll interval: close() (shutdown) waits up to one interval, at every test's teardown.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def answer(self, request: BotRequest) -> Reply:
        raise NotImplementedError

    def url(self, path: str = "/bot") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def received(self, event: str | None = None) -> list[BotRequest]:
        """The requests so far, oldest first: all, or those of one event (chatStarted, message ...)."""
        with self._lock:
            return [r for r in self.requests if event is None or r.event == event]

    def wait_for(self, count: int, timeout: float = 5.0, event: str | None = None) -> list[BotRequest]:
        """Once at least `count` requests (of that event, if given) arrived: those requests."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [r for r in self.requests if event is None or r.event == event]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [r.event for r in self.requests]
                    raise AssertionError(
                        f"expected {count} {event or 'requests'} within {timeout} s; the bot got {seen}"
                    )
                self._arrived.wait(left)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ScriptedBot(_BotServer):
    """Answers the n-th request with the n-th step of `script`, then with empty 200s; or, given a callable,
    with what it returns for the request's JSON (None when the body is not JSON)."""

    def __init__(self, script: list[Step] | Callable[[Any], Step] | None = None) -> None:
        self._script: list[Step] = []
        self._make: Callable[[Any], Step] | None = None
        super().__init__()
        self.script(script)

    def script(self, script: list[Step] | Callable[[Any], Step] | None) -> None:
        """Replace what is left of the script."""
        with self._lock:
            if callable(script):
                self._script, self._make = [], script
            else:
                self._script, self._make = list(script or []), None

    def then(self, *steps: Step) -> None:
        """Append steps to the script."""
        with self._lock:
            self._script.extend(steps)

    def answer(self, request: BotRequest) -> Reply:
        if self._make is not None:
            return as_reply(self._make(request.json))
        with self._lock:
            step = self._script.pop(0) if self._script else None
        return as_reply(step)


class ExampleBot(_BotServer):
    """The vendor's example bot: an echo behind a token check."""

    def __init__(self, token: str) -> None:
        self.token = token
        super().__init__()

    def answer(self, request: BotRequest) -> Reply:
        if request.headers.get("authorization") != self.token:
            return Reply(200, "text/html", reply(command("BYE")))
        payload = request.json if isinstance(request.json, dict) else {}
        if payload.get("event") in ("chatStarted", "message"):
            said = payload.get("text") or payload.get("description") or ""
            body = reply(
                message(f"You said: {said}"), widget_id=payload["widget_id"], case_id=payload["case_id"]
            )
            return Reply(200, "text/html", body)
        return Reply(200, "text/html", b"")
