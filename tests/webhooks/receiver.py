"""The tests' webhook receiver: mocksnap.testing.WebhookSink, which can also hang past a delivery timeout."""

from __future__ import annotations

import dataclasses
import threading

from mocksnap.testing import Answer, Record, WebhookSink


class Receiver(WebhookSink):
    def __init__(self) -> None:
        self._hangs: list[float] = []
        self._hangs_lock = threading.Lock()
        super().__init__()

    def hang_next(self, count: int, seconds: float) -> None:
        """Answer the next `count` requests only after `seconds`."""
        with self._hangs_lock:
            self._hangs.extend([seconds] * count)

    def answer(self, record: Record) -> Answer:
        with self._hangs_lock:
            hang = self._hangs.pop(0) if self._hangs else 0.0
        return dataclasses.replace(super().answer(record), delay=hang)
