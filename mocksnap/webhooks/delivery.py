"""The delivery engine: outbound HTTP calls, queued per URL, attempted with a timeout, retried on the world's
clock with growing delays until about two hours have passed since the first attempt, then marked
`email_fallback` (the vendor emails the payload instead and flags it sent). It knows nothing of SnapEngage:
it takes (kind, method, url, headers, body) and owns queueing, retries, timeouts and the delivery log.

Order: deliveries to one URL go out in the order they were queued. The head of a URL's queue is delivered or
given up before the next one is attempted, so a failing receiver holds back what comes after it, retries
included, and never sees two deliveries out of order. A delivery may name a narrower lane (a bot's calls go
in order per chat, not per URL), and may ask for one attempt only: it then ends `failed` at its first failure.
An answer handler may refuse a 2xx answer (a bot's reply that is not what the API expects): the delivery
then ends `failed` too, with the reason in its attempt log.

Faults: the engine may be given a hook (`faults`) that it asks before each attempt whether to interfere with
it, so that a receiver's idempotency and ordering can be tested: `drop` (the attempt fails unsent, and the
retry schedule takes over), `delay` (held back before it is sent), `duplicate` (sent twice) or `reorder` (sent
after the next delivery in its lane, which breaks the order above on purpose). Each one is noted in the
delivery's `faults`.

Time: the first attempt goes out at once (real time); every retry is a timer on the world's scheduler, so on
a manual clock one `advance` of two hours plays the whole schedule. Attempts run as tasks on the server's
event loop, given by `start`; without one (a world used on its own) deliveries wait, queued, until there is.

Waiting: every delivery queued and every change of a delivery's status is told to the engine's `changes`, so
that the control API can answer a wait for deliveries as soon as it is met.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any, Protocol
from urllib.parse import quote

from mocksnap.changes import Changes
from mocksnap.clock import Clock, Scheduler, iso

log = logging.getLogger("mocksnap.delivery")

# Seconds between a failed attempt and the next; the last one repeats until the two hours are up.
RETRY_DELAYS_S = (10, 30, 60, 120, 300, 600, 900, 1800)
GIVE_UP_AFTER_S = 2 * 3600


class Transport(Protocol):
    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of the answer; raises on a connection error or a timeout."""
        ...


@dataclass(frozen=True)
class AttemptFault:
    """What to do to one attempt: "drop", "delay" (by delay_ms), "duplicate" or "reorder"."""

    fault_id: str
    action: str
    delay_ms: int = 0


class FaultHook(Protocol):
    def for_attempt(self, delivery: Delivery) -> AttemptFault | None:
        """The fault to play on the delivery's next attempt, if any."""
        ...


class AiohttpTransport:
    """HTTP over one pooled aiohttp session, opened on first use (aiohttp is slow to import).

    One time limit bounds each attempt: connecting, sending, and reading the whole answer, so that a receiver
    that trickles its answer byte by byte is cut off at the limit like one that never answers. Waiting for a
    free connection comes before it (at most `connections` requests are under way at once), so that a busy
    pool never fails an attempt that was never sent. The URL goes out as given, already encoded (see
    `wire_url`), and a redirect is an answer like any other: no request ever follows a Location.
    """

    def __init__(self, connections: int = 256) -> None:
        self._connections = connections
        self._session: Any = None
        self._slots: asyncio.Semaphore | None = None

    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        import aiohttp
        from yarl import URL

        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=0)  # the slots limit the connections in use
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=True)
            self._slots = asyncio.Semaphore(self._connections)
        assert self._slots is not None
        async with (
            self._slots,
            asyncio.timeout(timeout),
            self._session.request(
                method,
                URL(url, encoded=True),
                data=body or None,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=None),
            ) as response,
        ):
            return response.status, dict(response.headers), await response.read()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def wire_url(url: str) -> str:
    """The URL as it goes on the wire: what is already percent-encoded stays as it is (`%40` is not decoded
    to `@`), and only what may not appear in a URL (spaces, non-ASCII) is encoded, so that the delivery log
    shows the very bytes the receiver gets."""
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


@dataclass
class Attempt:
    at: datetime
    status: int | None
    latency_ms: float
    error: str | None = None
    location: str | None = None  # the Location of a redirect, which is not followed

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": iso(self.at),
            "status": self.status,
            "latencyMs": round(self.latency_ms, 3),
            "error": self.error,
            **({"location": self.location} if self.location is not None else {}),
        }


@dataclass
class Delivery:
    id: str
    kind: str
    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    meta: dict[str, Any]
    queued_at: datetime
    status: str = "queued"  # queued, delivering, retrying, delivered, email_fallback, failed
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: datetime | None = None
    response_status: int | None = None
    response_body: bytes = b""
    # Called with the delivery once answered 2xx; a string it returns is why the answer is unusable.
    on_answer: Callable[[Delivery], str | None] | None = None
    on_failure: Callable[[Delivery], None] | None = None  # called once a delivery ends failed or given up
    # Called just before the first attempt, to finish the body with what is known only then.
    prepare: Callable[[Delivery], None] | None = None
    retry: bool = True
    lane: str = ""  # the queue it waits in: its URL unless told otherwise
    faults: list[str] = field(default_factory=list)  # what faults did to it, one note each
    reordered: bool = False  # one of two deliveries a fault swapped

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "queuedAt": iso(self.queued_at),
            "attempts": len(self.attempts),
            "nextAttemptAt": iso(self.next_attempt_at) if self.next_attempt_at else None,
            **self.meta,
            **({"faults": self.faults} if self.faults else {}),
        }

    def detail(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "headers": self.headers,
            "payload": self.body.decode("utf-8", "replace"),
            "attemptLog": [attempt.as_dict() for attempt in self.attempts],
            "responseStatus": self.response_status,
            "responseBody": self.response_body.decode("utf-8", "replace"),
        }


class DeliveryEngine:
    def __init__(
        self,
        scheduler: Scheduler,
        transport: Transport | None = None,
        *,
        timeout: float = 10.0,
        log_size: int = 10_000,
        faults: FaultHook | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.faults = faults
        self.transport = transport or AiohttpTransport()
        self.timeout = timeout
        self.log_size = log_size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ids = itertools.count(1)
        self.enqueued = 0  # how many deliveries were ever queued (the id of the last one)
        self.enqueued_by_kind: Counter[str] = Counter()  # the same, by kind
        self.given_up = 0  # how many deliveries ever ended failed or email_fallback (the log forgets them)
        self.retrying: set[int] = set()  # numbers of the deliveries waiting for a retry (the log may be long)
        # Told of every delivery that ends failed or email_fallback (the email fallback is written there).
        self.given_up_listeners: list[Callable[[Delivery], None]] = []
        self._queues: dict[str, deque[Delivery]] = {}
        self._draining: set[str] = set()  # lanes whose head is being attempted or waits for a retry
        self._tasks: dict[asyncio.Task, str] = {}  # the attempts under way, and the lane each one drains
        self._held: dict[str, tuple[Delivery, str]] = {}  # by lane: reordered, waiting for one to go after
        self.log: dict[str, Delivery] = {}
        self._finished: deque[str] = deque()  # ids of the finished deliveries in the log, oldest first
        self.changes = Changes()

    @property
    def clock(self) -> Clock:
        return self.scheduler.clock

    # -- the loop -------------------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        for lane, queue in self._queues.items():
            if queue and lane not in self._draining:
                self._drain_soon(lane)

    async def stop(self) -> None:
        """Cancel the attempts under way; their deliveries go back to waiting, and the next `start` takes
        them up again."""
        for task, lane in list(self._tasks.items()):
            task.cancel()
            self._draining.discard(lane)
            queue = self._queues.get(lane)
            if queue and queue[0].status == "delivering":
                queue[0].status = "queued"
                self.changes.notify()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._loop = None
        close = getattr(self.transport, "close", None)
        if close is not None:
            await close()

    async def idle(self) -> None:
        """Until no attempt is under way (attempts started meanwhile included)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def answered(self) -> None:
        """Until no attempt is under way whose answer changes the world (a bot's reply, a Get Contact
        lookup: those with an answer or failure handler), those that such answers start included. A clock
        that moves faster than real time waits for these before its next timer, so that an answer is applied
        at the instant it was asked for, as it would be on a real clock; the others (an Integration API POST)
        go on meanwhile."""
        while waiting := [task for task, lane in self._tasks.items() if self._answers_matter(lane)]:
            await asyncio.gather(*waiting, return_exceptions=True)

    def _answers_matter(self, lane: str) -> bool:
        return any(d.on_answer is not None or d.on_failure is not None for d in self._queues.get(lane, ()))

    def reset(self) -> None:
        """Forget every delivery, and count them from d0000001 again (as a reset world draws its ids anew);
        attempts under way are cancelled."""
        for task in self._tasks:
            task.cancel()
        self._queues.clear()
        self._draining.clear()
        self._held.clear()
        self.log.clear()
        self._finished.clear()
        self._ids = itertools.count(1)
        self.enqueued = 0
        self.enqueued_by_kind.clear()
        self.given_up = 0
        self.retrying.clear()

    # -- queueing -------------------------------------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes = b"",
        meta: dict[str, Any] | None = None,
        on_answer: Callable[[Delivery], str | None] | None = None,
        *,
        on_failure: Callable[[Delivery], None] | None = None,
        retry: bool = True,
        lane: str | None = None,
        prepare: Callable[[Delivery], None] | None = None,
    ) -> Delivery:
        self.enqueued = next(self._ids)
        self.enqueued_by_kind[kind] += 1
        url = wire_url(url)
        delivery = Delivery(
            id=f"d{self.enqueued:07d}",
            kind=kind,
            method=method,
            url=url,
            headers=headers,
            body=body,
            meta=meta or {},
            queued_at=self.clock.now(),
            on_answer=on_answer,
            on_failure=on_failure,
            retry=retry,
            lane=lane or url,
            prepare=prepare,
        )
        self._remember(delivery)
        self._queues.setdefault(delivery.lane, deque()).append(delivery)
        if delivery.lane in self._held:
            self._send_after(*self._held.pop(delivery.lane), delivery)
        if delivery.lane not in self._draining:
            self._drain_soon(delivery.lane)
        self.changes.notify()
        return delivery

    def redeliver(self, delivery_id: str) -> Delivery:
        """A new delivery of the same request, queued behind what is already waiting for that URL."""
        old = self.log[delivery_id]
        meta = {**old.meta, "redeliveryOf": old.id}
        return self.enqueue(
            old.kind,
            old.method,
            old.url,
            old.headers,
            old.body,
            meta,
            old.on_answer,
            on_failure=old.on_failure,
            retry=old.retry,
            lane=old.lane,
        )

    def _remember(self, delivery: Delivery) -> None:
        self.log[delivery.id] = delivery
        self._prune()

    def _prune(self) -> None:
        """The log keeps the newest deliveries: past its size, the ones that finished first go (one still
        under way stays until it is finished, so that nothing queued goes unseen)."""
        while len(self.log) > self.log_size and self._finished:
            self.log.pop(self._finished.popleft(), None)

    def _drain_soon(self, lane: str) -> asyncio.Task | None:
        if self._loop is None:
            return None
        self._draining.add(lane)
        task = self._loop.create_task(self._drain(lane))
        self._tasks[task] = lane
        task.add_done_callback(lambda done: self._tasks.pop(done, None))
        return task

    async def _drain(self, lane: str) -> None:
        queue = self._queues.get(lane)
        while queue:
            delivery = queue[0]
            fault = self.faults.for_attempt(delivery) if self.faults is not None else None
            if fault is not None and fault.action == "reorder":
                self._reorder(queue, fault.fault_id)
                continue
            finished = await self._attempt(delivery, fault)
            self.changes.notify()
            if finished:
                queue.popleft()
                self._finished.append(delivery.id)
                self._prune()
                continue
            self.scheduler.call_at(delivery.next_attempt_at, lambda: self._drain_soon(lane))
            return
        self._draining.discard(lane)
        self._queues.pop(lane, None)  # lanes come and go (one per bot chat); an empty one is forgotten

    def _reorder(self, queue: deque[Delivery], fault_id: str) -> None:
        """The head goes after the next delivery in its lane, or waits for one to be queued."""
        delivery = queue.popleft()
        if queue:
            self._send_after(delivery, fault_id, queue[0])
        else:
            delivery.faults.append(f"{fault_id}: held for the next delivery in its lane")
            self._held[delivery.lane] = (delivery, fault_id)

    def _send_after(self, delivery: Delivery, fault_id: str, ahead: Delivery) -> None:
        queue = self._queues[delivery.lane]
        queue.insert(queue.index(ahead) + 1, delivery)
        delivery.faults.append(f"{fault_id}: sent after {ahead.id}")
        delivery.reordered = ahead.reordered = True

    # -- one attempt ----------------------------------------------------------------------------------

    async def _attempt(self, delivery: Delivery, fault: AttemptFault | None = None) -> bool:
        """True when the delivery is finished (delivered, or given up); otherwise its next attempt is set."""
        if delivery.prepare is not None and not delivery.attempts:
            delivery.prepare(delivery)
        delivery.status = "delivering"
        self.retrying.discard(int(delivery.id[1:]))
        self.changes.notify()
        now = self.clock.now()
        if fault is not None and fault.action == "delay":
            delivery.faults.append(f"{fault.fault_id}: held back {fault.delay_ms} ms")
            await asyncio.sleep(fault.delay_ms / 1000)
        started = time.perf_counter()
        if fault is not None and fault.action == "drop":
            delivery.faults.append(f"{fault.fault_id}: attempt {len(delivery.attempts) + 1} dropped")
            status, body, error, location = None, b"", f"dropped by fault {fault.fault_id}", None
        else:
            status, body, error, location = await self._send(delivery)
        if fault is not None and fault.action == "duplicate":
            copy_status, _, copy_error, _ = await self._send(delivery)
            copy = copy_error or f"HTTP {copy_status}"
            number = len(delivery.attempts) + 1
            delivery.faults.append(f"{fault.fault_id}: attempt {number} sent twice (the copy: {copy})")
        attempt = Attempt(now, status, (time.perf_counter() - started) * 1000, error, location)
        delivery.attempts.append(attempt)
        delivery.response_status, delivery.response_body = status, body
        if error is None:
            delivery.status, delivery.next_attempt_at = "delivered", None
            if delivery.on_answer is not None:
                try:
                    attempt.error = delivery.on_answer(delivery)
                except Exception:
                    log.exception("handling the answer of delivery %s failed", delivery.id)
                if attempt.error is not None:
                    self._fail(delivery)
            return True
        if not delivery.retry:
            self._fail(delivery)
            return True
        first = delivery.attempts[0].at
        deadline = first + timedelta(seconds=GIVE_UP_AFTER_S)
        now = self.clock.now()
        if now >= deadline:
            delivery.status, delivery.next_attempt_at = "email_fallback", None
            log.warning(
                "delivery %s to %s given up after %d attempts",
                delivery.id,
                delivery.url,
                len(delivery.attempts),
            )
            self._failed(delivery)
            return True
        delay = RETRY_DELAYS_S[min(len(delivery.attempts), len(RETRY_DELAYS_S)) - 1]
        delivery.status = "retrying"
        self.retrying.add(int(delivery.id[1:]))
        delivery.next_attempt_at = min(now + timedelta(seconds=delay), deadline)
        return False

    async def _send(self, delivery: Delivery) -> tuple[int | None, bytes, str | None, str | None]:
        """(status, body, error, Location) of one request: error is None for a 2xx answer. A redirect is a
        failed attempt like any other answer that is not 2xx: following it would send the payload (and its
        Authorization token) somewhere the integrator did not name, as a bodiless GET."""
        try:
            status, headers, body = await self.transport.send(
                delivery.method, delivery.url, delivery.headers, delivery.body, self.timeout
            )
        except TimeoutError:
            return None, b"", f"no answer within {self.timeout:g} s", None
        except Exception as exc:  # a refused or broken connection is an attempt that failed, not a crash
            return None, b"", f"{type(exc).__name__}: {exc}".strip(), None
        if 200 <= status < 300:
            return status, body, None, None
        if 300 <= status < 400:
            location = next((v for k, v in headers.items() if k.lower() == "location"), None)
            to = f" to {location}" if location is not None else ""
            return status, body, f"HTTP {status}: a redirect{to}, not followed", location
        return status, body, f"HTTP {status}", None

    def _fail(self, delivery: Delivery) -> None:
        delivery.status, delivery.next_attempt_at = "failed", None
        log.warning("delivery %s to %s failed: %s", delivery.id, delivery.url, delivery.attempts[-1].error)
        self._failed(delivery)

    def _failed(self, delivery: Delivery) -> None:
        self.given_up += 1
        handlers = [delivery.on_failure] if delivery.on_failure is not None else []
        for handler in [*handlers, *self.given_up_listeners]:
            try:
                handler(delivery)
            except Exception:
                log.exception("handling the failure of delivery %s failed", delivery.id)

    # -- reading the log ------------------------------------------------------------------------------

    def find(self, url: str | None = None, **filters: str | None) -> list[Delivery]:
        """Deliveries, oldest first, whose url matches a glob (such as http://127.0.0.1:*/case) and whose
        fields (kind, status) or meta (widgetId, caseId ...) are the ones given."""
        wanted = {key: value for key, value in filters.items() if value is not None}
        return [
            delivery
            for delivery in self.log.values()
            if (url is None or fnmatchcase(delivery.url, url))
            and all(
                (getattr(delivery, key) if key in ("kind", "status") else delivery.meta.get(key)) == value
                for key, value in wanted.items()
            )
        ]
