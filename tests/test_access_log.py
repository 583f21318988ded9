"""The access log's lines, shaped in batches: each part reused where requests share it, never mixed up."""

from __future__ import annotations

import io
import time
from calendar import timegm

from mocksnap.access_log import AccessLog

AVAILABILITY = ("GET", "/public/api/v2/chat/w1", "", 200, 182)
PROVISIONING = ("PUT", "/api/v1/user.json", "api_key=secret&x=1", 201, 90)


def test_lines_of_a_batch_each_have_their_own_time_request_and_duration() -> None:
    log = AccessLog(io.StringIO())
    wall = time.time() - time.perf_counter()
    second = timegm((2026, 11, 23, 9, 30, 59, 0, 0, 0))

    def started(at: float) -> float:  # the perf_counter() reading of that time of day
        return at - wall

    log._pending = [
        (started(second + 0.9981), 0.000412, AVAILABILITY),
        (started(second + 0.9984), 0.000412, AVAILABILITY),  # the same millisecond and duration
        (started(second + 0.9994), 0.0123, PROVISIONING),
        (started(second + 1.0002), 1.5, AVAILABILITY),  # the next second
    ]
    log.flush()
    lines = log.stream.getvalue().splitlines()  # type: ignore[union-attr]
    assert [line.split(" ", 1)[1] for line in lines] == [
        "GET /public/api/v2/chat/w1 200 182 0.41ms",
        "GET /public/api/v2/chat/w1 200 182 0.41ms",
        "PUT /api/v1/user.json?api_key=***&x=1 201 90 12.30ms",
        "GET /public/api/v2/chat/w1 200 182 1500.00ms",
    ]
    stamps = [line.split(" ", 1)[0] for line in lines]
    # A float of the time of day is a few microseconds off: the millisecond is the one asked or its neighbour.
    assert stamps[0] in ("2026-11-23T09:30:59.997Z", "2026-11-23T09:30:59.998Z")
    assert stamps[2] in ("2026-11-23T09:30:59.998Z", "2026-11-23T09:30:59.999Z")
    assert stamps[3] in ("2026-11-23T09:31:00.000Z", "2026-11-23T09:31:00.001Z")
    assert log._pending == []
