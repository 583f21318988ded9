"""The access log: one line per request, written in batches.

A line is `2026-11-23T09:30:00.123Z GET /public/api/v2/chat/5286...?x=1 200 183 0.41ms`: when the request came
(UTC), method, path and query string, status, bytes of the response body, milliseconds to answer it. A request
only appends a tuple; lines are shaped and written together a moment later, since a write (or a logging call)
per request would cost more than the request itself. Headers are never written; `api_key` values of the query
string are written as `***`.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
import weakref
from typing import TextIO

import falcon.asgi

FLUSH_AFTER = 0.2  # seconds a line may wait before it is written
_SECRET = re.compile(r"((?:^|&)api_key=)[^&]*", re.IGNORECASE)
_LOGS: weakref.WeakSet[AccessLog] = weakref.WeakSet()


def flush_all() -> None:
    """Write every line waiting, whichever app it is of (before the process ends)."""
    for log in list(_LOGS):
        log.flush()


def _target(path: str, query: str) -> str:
    if not query:
        return path
    if "api_key" in query.lower():
        query = _SECRET.sub(r"\1***", query)
    return f"{path}?{query}"


class AccessLog:
    """Falcon middleware: a line for every request the app answers, to `stream` (stdout by default).

    The time is taken from the moment the app has the request to the moment its answer is ready to send."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._pending: list[tuple] = []
        self._flush_scheduled = False
        _LOGS.add(self)

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        req.context.access_started = time.perf_counter()

    async def process_response(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, resource: object, req_succeeded: bool
    ) -> None:
        started = req.context.access_started
        data = resp.data  # or else a text body (YAML), not yet encoded
        size = len(data) if data is not None else len(resp.text.encode()) if resp.text else 0
        self.add(started, (req.method, req.path, req.query_string, resp.status_code, size))

    def add(self, started: float, request: tuple[str, str, str, int, int]) -> None:
        """A request answered: its perf_counter() at the start, (method, path, query, status, bytes)."""
        self._pending.append((started, time.perf_counter() - started, request))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_later(FLUSH_AFTER, self.flush)

    def flush(self) -> None:
        """Write the lines waiting, if any."""
        self._flush_scheduled = False
        pending, self._pending = self._pending, []
        if not pending:
            return
        lines: list[str] = []
        append = lines.append
        wall = (time.time() - time.perf_counter()) * 1000  # plus a perf_counter() reading in ms: the time
        # Each part is shaped once and reused: the date once a second, the time once a millisecond, the rest
        # of the line (method, path, query, status, size, duration; polls are much alike) once a batch.
        second, prefix, millisecond, stamp = -1, "", -1, ""
        tails: dict[tuple, str] = {}
        for started, seconds, request in pending:
            at = int(wall + started * 1000)
            if at != millisecond:
                millisecond = at
                whole, fraction = divmod(at, 1000)
                if whole != second:
                    second, prefix = whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
                stamp = f"{prefix}.{fraction:03d}Z "
            key = (request, int(seconds * 100_000 + 0.5))  # hundredths of a millisecond
            tail = tails.get(key)
            if tail is None:
                method, path, query, status, size = request
                whole_ms, hundredths = divmod(key[1], 100)
                tail = tails[key] = (
                    f"{method} {_target(path, query)} {status} {size} {whole_ms}.{hundredths:02d}ms\n"
                )
            append(stamp)
            append(tail)
        stream = self.stream or sys.stdout
        stream.write("".join(lines))
        stream.flush()
