"""A reset that arrives while a clock advance waits for a delivery under way: both are answered, and the clock
ends where the reset put it, at its start."""

from __future__ import annotations

import threading
import time

from mocksnap.testing import MocksnapServer, Response
from tests.conftest import SUPPORT_WIDGET, assert_valid
from tests.e2e.test_waits import start_chat
from tests.webhooks.receiver import Receiver


def test_a_reset_during_an_advance_that_waits_on_a_delivery(
    server: MocksnapServer, receiver: Receiver
) -> None:
    start = server.get("/__admin/clock").json()["now"]
    subscription = {"conversationEvents": {"url": f"{receiver.url}/events", "events": ["caseQueued"]}}
    assert (
        server.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/integrations", body=subscription).status
        == 200
    )
    receiver.hang_next(1, 3.0)
    assert start_chat(server).status == 200
    advanced: list[Response] = []
    advance = threading.Thread(
        target=lambda: advanced.append(
            server.request("POST", "/__admin/clock/advance", body={"seconds": 3600}, timeout=30)
        )
    )
    advance.start()
    time.sleep(0.5)  # the advance waits on the delivery, which the receiver holds
    assert advance.is_alive()
    reset = server.request("POST", "/__admin/reset", timeout=30)
    advance.join(30)
    assert reset.status == 200, reset.body
    [answer] = advanced
    assert answer.status == 409, answer.body
    assert_valid("api-error", answer.json())
    assert "reset" in answer.json()["message"]
    clock = server.get("/__admin/clock").json()
    assert clock["now"] == start
    assert clock["pendingTimers"] == 0
    assert server.get("/__admin/deliveries").json()["deliveries"] == []
    # The clock moves on as before.
    moved = server.request("POST", "/__admin/clock/advance", body={"seconds": 60})
    assert moved.status == 200
    assert moved.json()["now"] > start
