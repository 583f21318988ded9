"""The request journal: every request to the emulated APIs, kept so tests can check what an integrator's code
called. Bounded in entries and in bytes: the oldest entries give way once it holds either, and a body longer
than BODY_LIMIT is kept cut there, with a marker saying how long it was (a client sending a few megabytes a
request would otherwise fill the memory)."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from typing import Any

import falcon.asgi

from mocksnap.api.common import read_body
from mocksnap.changes import Changes
from mocksnap.clock import Clock, iso

ADMIN = "/__admin"
JOURNAL_BYTES = 64 * 1024 * 1024
BODY_LIMIT = 256 * 1024  # far above any documented body: a 10,000-character message escaped is 60 KB
ENTRY_OVERHEAD = 400  # about what an entry costs besides its headers, path, query and body
COST = 8  # where an entry holds what it costs


def _text(value: bytes | str) -> str:
    """A header name or value as kept: bytes from an ASGI server, text from an RSGI one."""
    return value if isinstance(value, str) else value.decode("latin-1")


def truncated_marker(size: int) -> bytes:
    return f"\n[mocksnap: body truncated, {size} bytes in all]".encode()


class Journal:
    """Requests are kept as they came (the ASGI header list, the raw body) and only shaped when read: the
    journal sits on every request's path, and most of what it keeps is never asked for."""

    def __init__(self, clock: Clock, size: int = 1000, max_bytes: int = JOURNAL_BYTES) -> None:
        self.clock = clock
        self.size = size
        self.max_bytes = max_bytes
        self.body_limit = min(BODY_LIMIT, max_bytes // 4)
        self._entries: deque[tuple] = deque()
        self.bytes = 0
        self._seq = itertools.count(1)
        self.changes = Changes()

    def record(self, req: falcon.asgi.Request, status: int) -> None:
        body = getattr(req.context, "body", b"")
        headers = req.scope["headers"]
        if not isinstance(
            headers, list | tuple
        ):  # an iterator (test clients) that the request has read already
            headers = [
                (name.encode("latin-1"), value.encode("latin-1")) for name, value in req.headers.items()
            ]
        self.add(req.method, req.path, req.query_string, headers, body, status)

    def add(self, method: str, path: str, query: str, headers: Iterable, body: bytes, status: int) -> None:
        """Keep a request as it came: its header list (ASGI's bytes or RSGI's text), its raw body (cut at the
        body limit)."""
        size = len(body)
        if size > self.body_limit:
            body = body[: self.body_limit] + truncated_marker(size)
        cost = ENTRY_OVERHEAD + len(path) + len(query) + len(body)
        # A list as servers give them; a test client's iterator is left unspent. A loop, not sum() over a
        # generator: this runs on every request.
        if isinstance(headers, (list, tuple)):
            for name, value in headers:
                cost += len(name) + len(value)
        entries = self._entries
        entries.append(
            (next(self._seq), self.clock.timestamp(), method, path, query, headers, body, status, cost)
        )
        self.bytes += cost
        while len(entries) > self.size or self.bytes > self.max_bytes:
            self.bytes -= entries.popleft()[COST]
        if self.changes.waiters:
            self.changes.notify()

    @staticmethod
    def _view(entry: tuple) -> dict[str, Any]:
        seq, at, method, path, query, headers, body, status, _ = entry
        return {
            "seq": seq,
            "time": iso(datetime.fromtimestamp(at, UTC)),
            "method": method,
            "path": path,
            "query": query,
            "headers": {_text(name).lower(): _text(value) for name, value in headers},
            "body": (body or b"").decode("utf-8", "replace"),
            "status": status,
        }

    def _matching(self, method: str | None, path: str | None) -> list[tuple]:
        return [
            entry
            for entry in self._entries
            if (method is None or entry[2] == method.upper())
            and (path is None or fnmatchcase(entry[3], path))
        ]

    def find(
        self, method: str | None = None, path: str | None = None, limit: int | None = None
    ) -> list[dict]:
        """Entries, oldest first, of that method (any case) and path (a glob such as /api/v2/*/logs)."""
        found = self._matching(method, path)
        return [self._view(entry) for entry in (found[-limit:] if limit else found)]

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many entries find would give, without shaping them."""
        return len(self._matching(method, path))

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0


class JournalMiddleware:
    def __init__(self, journal: Journal, body_timeout: float | None = None) -> None:
        self.journal = journal
        self.body_timeout = body_timeout  # seconds a body may stop arriving (read_body)

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        req.context.body_timeout = self.body_timeout
        # Read now, so that the body is journaled even when the request is refused before a resource reads it.
        if req.method not in ("GET", "HEAD", "OPTIONS") and not req.path.startswith(ADMIN):
            await read_body(req)

    async def process_response(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, resource: object, req_succeeded: bool
    ) -> None:
        if not req.path.startswith(ADMIN):
            self.journal.record(req, resp.status_code)
