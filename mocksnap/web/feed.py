"""The one live feed of the world's events, which every browser page reads (the widget, the Hub, the
wallboard): `GET /live`, server-sent events of the world's event log, the same events as /__admin/events.

A page loads what it shows from its own endpoint, then follows the feed from the `seq` that endpoint gave, and
reloads what an event says has changed: nothing a page shows is kept beside the world. EventSource resumes by
itself after a dropped connection, sending Last-Event-ID, so a page misses no event the log still holds. The
events carry no SSE event name, so that EventSource's `onmessage` sees them all; the kind is in the data.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from functools import partial

import falcon.asgi
from falcon.asgi import SSEvent

from mocksnap.errors import ApiError
from mocksnap.world import World
from mocksnap.world.events import DomainEvent, EventLog

PING_SECONDS = (
    15.0  # a comment line this often keeps proxies from closing a quiet stream and notices a leaver
)
BATCH_SECONDS = 0.05  # during a fast traffic run, events are sent in batches at most this often
RETRY_MS = 1000  # how soon EventSource reconnects after the stream drops


def matcher(
    world: World, case: str | None, widget: str | None, org: str | None
) -> Callable[[DomainEvent], bool]:
    """Which events a reader asked for: those of one case, of one widget (its cases, itself, and the status of
    the agents of its organization, on which its availability hangs), or of one organization; all without a
    filter."""
    widget_org = None
    if widget is not None:
        found = world.widget(widget)
        widget_org = found[0].org_id if found else None

    def wanted(event: DomainEvent) -> bool:
        data = event.data
        if case is not None and data.get("caseId") != case:
            return False
        if org is not None and event.org_id != org:
            return False
        if widget is not None:
            if widget in (data.get("widgetId"), data.get("toWidgetId"), data.get("fromWidgetId")):
                return True
            return event.kind.startswith("agent.") and event.org_id == widget_org
        return True

    return wanted


class LiveFeed:
    """GET /live?since=N&case=ID&widget=ID&org=ID: the events after N (or after Last-Event-ID; from now on
    when neither is given), as they happen, filtered.

    A page of another origin (an integrator's site, where the widget runs) may read the events of one case or
    one widget; the whole world's stream is for mocksnap's own pages."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        case, widget, org = req.get_param("case"), req.get_param("widget"), req.get_param("org")
        resume = req.get_header("Last-Event-ID")
        if resume is not None and not resume.isdigit():
            raise ApiError(400, "Last-Event-ID must be the seq of an event")
        since = req.get_param_as_int("since", min_value=0)
        if resume is not None:
            since = int(resume)
        elif since is None:
            since = self.world.events.last_seq
        if widget is not None and self.world.widget(widget) is None:
            raise ApiError(404, f"no widget {widget}")
        if case is not None or widget is not None:
            resp.set_header("Access-Control-Allow-Origin", "*")
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("X-Accel-Buffering", "no")
        resp.sse = self._stream(since, matcher(self.world, case, widget, org))

    async def _stream(
        self, since: int, wanted: Callable[[DomainEvent], bool]
    ) -> AsyncIterator[SSEvent | None]:
        events = self.world.events
        since = min(
            since, events.last_seq
        )  # numbering never goes back: a Last-Event-ID from the future is now
        yield SSEvent(retry=RETRY_MS, comment="mocksnap live feed")
        while True:
            if not await events.changes.wait_until(partial(_newer, events, since), PING_SECONDS):
                yield None  # a ping
                continue
            batch = events.since(since)
            since = events.last_seq
            for event in batch:
                if wanted(event):
                    yield SSEvent(json=event.as_dict(), event_id=str(event.seq))
            await asyncio.sleep(BATCH_SECONDS)


def _newer(events: EventLog, seq: int) -> bool:
    return events.last_seq > seq
