"""Faults injected through the control API, so that an integrator's code can be tested against a failing
SnapEngage.

An inbound fault answers calls to the emulated APIs (a method and a path glob) with an error status and the
error body the path's API family documents, or holds them back before they go on to the real resource, or
both. A delivery fault interferes with outbound calls (webhooks, bot calls, Get Contact, agent status): the
delivery engine asks `for_attempt` before each attempt, and drops, delays, duplicates or reorders it.

A fault fires on every matching call, on the next `times` ones, or on a share of them (`rate`), drawn from a
random source of its own seeded from the server's seed and the fault's id: the same seed and the same calls
give the same faults, whatever other faults draw meanwhile. The control API under /__admin is never faulted.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import Any

import falcon.asgi

from mocksnap import errors
from mocksnap.journal import ADMIN
from mocksnap.webhooks.delivery import AttemptFault, Delivery

# A client told to slow down should be told when it may try again.
DEFAULT_RETRY_AFTER = "1"


@dataclass
class Fault:
    id: str
    times: int | None
    rate: float | None
    random: random.Random
    fired: int = 0

    def fires(self) -> bool:
        """Whether a matching call is faulted now (counted when it is)."""
        if self.times is not None and self.fired >= self.times:
            return False
        if self.rate is not None and self.random.random() >= self.rate:
            return False
        self.fired += 1
        return True

    def view(self) -> dict[str, Any]:
        return {
            "times": self.times,
            "rate": self.rate,
            "fired": self.fired,
            "remaining": None if self.times is None else self.times - self.fired,
        }


@dataclass
class RequestFault(Fault):
    method: str = "*"
    path: str = "*"
    status: int | None = None
    delay_ms: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatchcase(path, self.path)

    def error(self, path: str) -> errors.ApiError:
        assert self.status is not None
        try:
            message = HTTPStatus(self.status).phrase
        except ValueError:
            message = f"HTTP {self.status}"
        error = errors.for_path(path, self.status, message)
        error.headers = {**error.headers, **self.headers}
        return error

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "delay_ms": self.delay_ms,
            "headers": self.headers,
            **super().view(),
        }


@dataclass
class DeliveryFault(Fault):
    action: str = "drop"
    kind: str | None = None
    url: str = "*"
    delay_ms: int = 0

    def matches(self, delivery: Delivery) -> bool:
        # Two deliveries a reorder swapped are not reordered again: with a fault that reorders every delivery
        # they would swap back and forth for ever.
        if self.action == "reorder" and delivery.reordered:
            return False
        return self.kind in (None, delivery.kind) and fnmatchcase(delivery.url, self.url)

    def view(self) -> dict[str, Any]:
        action = {"action": self.action, "kind": self.kind, "url": self.url, "delay_ms": self.delay_ms}
        return {"id": self.id, "delivery": action, **super().view()}


class Faults:
    """The faults in force, in the order they were made: the first one that fires on a call is played."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._ids = itertools.count(1)
        self._faults: dict[str, Fault] = {}
        # Kept apart so that a request with no inbound fault in force costs one test of an empty list (the
        # availability fast path reads it on every poll).
        self.inbound: list[RequestFault] = []
        self._outbound: list[DeliveryFault] = []

    def add(self, body: dict[str, Any]) -> Fault:
        """A fault from a body that holds to the admin-fault-request schema."""
        fault_id = f"f{next(self._ids)}"
        common = {
            "id": fault_id,
            "times": body.get("times"),
            "rate": body.get("rate"),
            "random": random.Random(f"{self.seed}/{fault_id}"),
        }
        fault: Fault
        if "delivery" in body:
            spec = body["delivery"]
            fault = DeliveryFault(
                **common,
                action=spec["action"],
                kind=spec.get("kind"),
                url=spec.get("url", "*"),
                delay_ms=spec.get("delay_ms", 0),
            )
            self._outbound.append(fault)
        else:
            headers = dict(body.get("headers", {}))
            if body.get("status") == 429 and not any(name.lower() == "retry-after" for name in headers):
                headers["Retry-After"] = DEFAULT_RETRY_AFTER
            fault = RequestFault(
                **common,
                method=body.get("method", "*").upper(),
                path=body["path"],
                status=body.get("status"),
                delay_ms=body.get("delay_ms", 0),
                headers=headers,
            )
            self.inbound.append(fault)
        self._faults[fault_id] = fault
        return fault

    def get(self, fault_id: str) -> Fault | None:
        return self._faults.get(fault_id)

    def all(self) -> list[Fault]:
        return list(self._faults.values())

    def remove(self, fault_id: str) -> Fault | None:
        fault = self._faults.pop(fault_id, None)
        if fault is not None:
            self.inbound = [f for f in self.inbound if f is not fault]
            self._outbound = [f for f in self._outbound if f is not fault]
        return fault

    def clear(self) -> None:
        """No faults; ids go on from the last one, so that an old id never names a new fault."""
        self._faults.clear()
        self.inbound.clear()
        self._outbound.clear()

    def reset(self) -> None:
        """No faults, and ids from f1 again: after a reset the same calls replay the same faults."""
        self.clear()
        self._ids = itertools.count(1)

    def for_request(self, method: str, path: str) -> RequestFault | None:
        if not self.inbound or path.startswith(ADMIN):
            return None
        return next((f for f in self.inbound if f.matches(method, path) and f.fires()), None)

    def for_attempt(self, delivery: Delivery) -> AttemptFault | None:
        """The delivery engine's hook: what to do to the delivery's next attempt."""
        for fault in self._outbound:
            if fault.matches(delivery) and fault.fires():
                return AttemptFault(fault.id, fault.action, fault.delay_ms)
        return None


class FaultMiddleware:
    """Plays the inbound faults: the delay first (never blocking the loop), then the error, if any."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        fault = self.faults.for_request(req.method, req.path)
        if fault is None:
            return
        if fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        if fault.status is not None:
            raise fault.error(req.path)
