"""The Widget Availability API without the framework's request and response objects.

`GET /public/api/v2/chat/{widgetId}` is what every page with a chat button polls, by far the most frequent
request, and its answer is a body serialized once per state (availability._Bodies). Building Falcon's request
and response, routing and running the middleware costs several times that. So for that one request, when the
widget exists and no fault is injected, the answer is sent straight over the server's interface (RSGI under
granian, ASGI under gunicorn), with the same status, headers and bytes, and journaled and logged as any other;
everything else (an unknown widget, a trailing slash, another method, a fault) goes through the app.
"""

from __future__ import annotations

import time
from typing import Any

from mocksnap.access_log import AccessLog
from mocksnap.api.availability import PublicAvailability
from mocksnap.faults import Faults
from mocksnap.journal import Journal
from mocksnap.rsgi import AsgiApp, Receive, Send, call_asgi

PREFIX = "/public/api/v2/chat/"
_AFTER_PREFIX = len(PREFIX)
App = AsgiApp

# As PublicAvailability answers: any page may read it. Over RSGI, granian (hyper) adds the content-length
# of a whole body itself.
_HEADERS = [("access-control-allow-origin", "*"), ("content-type", "application/json")]


class FastAvailability:
    """An ASGI and RSGI app: the availability GET of a known widget answered here, every other request by
    `app`."""

    def __init__(
        self,
        app: AsgiApp,
        resource: PublicAvailability,
        journal: Journal,
        faults: Faults,
        access_log: AccessLog | None,
    ) -> None:
        self.app = app
        self.resource = resource
        self.world = resource.world
        self.journal = journal
        self.faults = faults
        self.access_log = access_log
        # The headers of each body, built once (_Bodies keeps few bodies), as ASGI takes them.
        self._asgi_headers: dict[bytes, list[tuple[bytes, bytes]]] = {}

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        # Written out rather than shared with __call__: under granian this runs on every poll, and each call
        # of a helper costs as much as a line of it.
        path = scope.path
        if path.startswith(PREFIX) and scope.method == "GET" and not self.faults.inbound:
            found = self.world.widget(path[_AFTER_PREFIX:])
            if found is not None:
                started = time.perf_counter()
                body = self.resource.body(*found)
                protocol.response_bytes(200, _HEADERS, body)
                query = scope.query_string
                self.journal.add("GET", path, query, scope.headers.items(), b"", 200)
                if self.access_log is not None:
                    self.access_log.add(started, ("GET", path, query, 200, len(body)))
                return
        await call_asgi(self.app, scope, protocol)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if path.startswith(PREFIX) and scope["method"] == "GET" and not self.faults.inbound:
            found = self.world.widget(path[_AFTER_PREFIX:])
            if found is not None:
                started = time.perf_counter()
                body = self.resource.body(*found)
                headers = self._asgi_headers.get(body)
                if headers is None:
                    headers = self._asgi_headers[body] = [
                        *((name.encode(), value.encode()) for name, value in _HEADERS),
                        (b"content-length", str(len(body)).encode()),
                    ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                query = scope["query_string"].decode("latin-1")
                self.journal.add("GET", path, query, scope["headers"], b"", 200)
                if self.access_log is not None:
                    self.access_log.add(started, ("GET", path, query, 200, len(body)))
                return
        await self.app(scope, receive, send)
