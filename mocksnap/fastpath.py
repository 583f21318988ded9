"""The Widget Availability API without the framework's request and response objects.

`GET /public/api/v2/chat/{widgetId}` is what every page with a chat button polls, by far the most frequent
request, and its answer is a body serialized once per state (availability._Bodies). Building Falcon's request
and response, routing and running the middleware costs several times that. So for that one request, when the
widget exists and no fault is injected, the answer is sent straight over ASGI, with the same status,
headers and bytes, and journaled and logged as any other; everything else (an unknown widget, a trailing
slash, another method, a fault) goes through the app.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from mocksnap.access_log import AccessLog
from mocksnap.api.availability import PublicAvailability
from mocksnap.faults import Faults
from mocksnap.journal import Journal

PREFIX = "/public/api/v2/chat/"
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


class FastAvailability:
    """An ASGI app: the availability GET of a known widget answered here, every other request by `app`."""

    def __init__(
        self,
        app: App,
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
        self._headers: dict[bytes, tuple[tuple[bytes, bytes], ...]] = {}  # per body, as _Bodies keeps few

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            path.startswith(PREFIX)
            and scope["method"] == "GET"
            and not self.faults.any_inbound
            and (found := self.world.widget(path[len(PREFIX) :])) is not None
        ):
            started = time.perf_counter()
            body = self.resource.body(*found)
            headers = self._headers.get(body)
            if headers is None:
                headers = self._headers[body] = (
                    (b"access-control-allow-origin", b"*"),  # as PublicAvailability: any page may read it
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                )
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            query = scope["query_string"].decode("latin-1")
            self.journal.add("GET", path, query, scope["headers"], b"", 200)
            if self.access_log is not None:
                self.access_log.add(started, ("GET", path, query, 200, len(body)))
            return
        await self.app(scope, receive, send)
