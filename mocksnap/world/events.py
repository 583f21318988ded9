"""Domain events: what a world command changed, stamped with the clock's time, kept in a bounded log."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mocksnap.changes import Changes


@dataclass(frozen=True)
class DomainEvent:
    seq: int
    kind: str  # e.g. "user.created", "widget.deleted", "world.replaced"
    at: datetime
    org_id: str | None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "at": self.at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "orgId": self.org_id,
            "data": self.data,
        }


class EventLog:
    """The recent events, oldest first, and who reacts to new ones (simulated agents, later webhooks).

    Listeners run after the command that emitted the event has finished changing the world; what they do
    in reaction is scheduled on the clock or is a command of its own.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._events: deque[DomainEvent] = deque(maxlen=size)
        self._listeners: list[Callable[[DomainEvent], None]] = []
        self._seq = 0
        self.changes = Changes()  # wakes the live feed's readers

    @property
    def last_seq(self) -> int:
        """The number of the newest event emitted so far (0 before the first)."""
        return self._seq

    def subscribe(self, listener: Callable[[DomainEvent], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[DomainEvent], None]) -> None:
        self._listeners.remove(listener)

    def emit(self, kind: str, at: datetime, org_id: str | None, **data: Any) -> DomainEvent:
        self._seq += 1
        event = DomainEvent(self._seq, kind, at, org_id, data)
        self._events.append(event)
        for listener in self._listeners:
            listener(event)
        self.changes.notify()
        return event

    def clear(self) -> None:
        """Forget the events so far; numbering goes on, so that a reader's `since` never sees one twice."""
        self._events.clear()

    def since(self, seq: int = 0) -> list[DomainEvent]:
        """The events after that number, oldest first. Numbers in the log run without gaps, so the first one
        wanted is found by its offset rather than by a scan of the whole log."""
        if not self._events or seq >= self._seq:
            return []
        start = max(0, seq - self._events[0].seq + 1)
        return list(itertools.islice(self._events, start, None))
