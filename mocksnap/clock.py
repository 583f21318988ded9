"""Clocks. Everything in the product that needs the time asks the clock it was given, never the system."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """Moves only when told, so a test can put the world at any instant and get the same answer every run."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a manual clock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the clock is set to timezone-aware instants only")
        self._now = instant.astimezone(UTC)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self._now += timedelta(seconds=seconds)
