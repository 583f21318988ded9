"""Waiting for a change instead of polling for it: the journal and the delivery engine tell their Changes
when they record something, and a waiter tests its condition again after each change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Changes:
    """Telling costs one test of an empty set while nobody waits, so the journal can tell on every request.

    Each wait is a future of its own, dropped when the wait ends however it ends (met, timed out, cancelled
    because its client went away or the server stops), so nothing is left behind to wake.
    """

    def __init__(self) -> None:
        self.waiters: set[asyncio.Future[None]] = set()  # callers where each µs counts test it first

    def notify(self) -> None:
        if self.waiters:
            for waiter in self.waiters:
                if not waiter.done():
                    waiter.set_result(None)
            self.waiters.clear()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Whether the condition holds within timeout seconds of real time, whatever the world's clock."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    waiter = loop.create_future()
                    self.waiters.add(waiter)
                    try:
                        await waiter
                    finally:
                        self.waiters.discard(waiter)
        except TimeoutError:
            return condition()
        return True
