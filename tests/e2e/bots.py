"""Real bot programs for the Bot API tests: webhook sinks (mocksnap.testing) that answer as bots do.

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

import dataclasses
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mocksnap.testing import Answer, Record, WebhookSink
from tests.bot_replies import command, message, reply


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


def payload(request: Record) -> Any:
    """The parsed body (None when it is not JSON)."""
    try:
        return json.loads(request.body)
    except ValueError:
        return None


def event_of(request: Record) -> str | None:
    found = payload(request)
    return found.get("event") if isinstance(found, dict) else None


class _BotServer(WebhookSink):
    """A webhook sink that answers what `reply_to(request)` says."""

    def answer(self, record: Record) -> Answer:
        said = self.reply_to(record)
        return Answer(said.status, said.encoded(), said.content_type, said.delay)

    def reply_to(self, request: Record) -> Reply:
        raise NotImplementedError

    def received(self, event: str | None = None) -> list[Record]:
        """The requests so far, oldest first: all, or those of one event (chatStarted, message ...)."""
        return [r for r in self.records() if event is None or event_of(r) == event]

    def wait_for(
        self,
        count: int = 1,
        timeout: float = 5.0,
        path: str | None = None,
        *,
        where: Callable[[Record], bool] | None = None,
        event: str | None = None,
    ) -> list[Record]:
        """WebhookSink.wait_for, also of one event only."""

        def matches(request: Record) -> bool:
            return (event is None or event_of(request) == event) and (where is None or where(request))

        return super().wait_for(count, timeout, path, where=matches)


class ScriptedBot(_BotServer):
    """Answers the n-th request with the n-th step of `script`, then with empty 200s; or, given a callable,
    with what it returns for the request's JSON (None when the body is not JSON)."""

    def __init__(self, script: list[Step] | Callable[[Any], Step] | None = None) -> None:
        self._script: list[Step] = []
        self._make: Callable[[Any], Step] | None = None
        self._lock = threading.Lock()
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

    def reply_to(self, request: Record) -> Reply:
        if self._make is not None:
            return as_reply(self._make(payload(request)))
        with self._lock:
            step = self._script.pop(0) if self._script else None
        return as_reply(step)


class ExampleBot(_BotServer):
    """The vendor's example bot: an echo behind a token check."""

    def __init__(self, token: str) -> None:
        self.token = token
        super().__init__()

    def reply_to(self, request: Record) -> Reply:
        if request.headers.get("authorization") != self.token:
            return Reply(200, "text/html", reply(command("BYE")))
        body = payload(request)
        if not isinstance(body, dict):
            body = {}
        if body.get("event") in ("chatStarted", "message"):
            said = body.get("text") or body.get("description") or ""
            echo = reply(message(f"You said: {said}"), widget_id=body["widget_id"], case_id=body["case_id"])
            return Reply(200, "text/html", echo)
        return Reply(200, "text/html", b"")
