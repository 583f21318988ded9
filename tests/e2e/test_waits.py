"""Waiting on a real server: /__admin/deliveries/wait answers as soon as a real receiver has taken the
webhook, while the server goes on answering other requests; a wait that times out is 408; a waiting client
that goes away leaves the server well; a server stopped under a wait exits within its graceful timeout."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from mocksnap.testing import HOST, MocksnapServer, Response
from tests.conftest import SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.webhooks.receiver import Receiver

VISITOR = {"x-api-key": VISITOR_KEY}


class Waiting(threading.Thread):
    """A GET to a wait endpoint on its own connection, answered (or failed) in the background."""

    def __init__(self, server: MocksnapServer, endpoint: str, **params: object) -> None:
        super().__init__(daemon=True)
        self.server, self.path = server, f"{endpoint}?{urlencode(params)}"
        self.answer: Response | None = None
        self.error: BaseException | None = None
        self.answered_at = 0.0
        self.start()
        time.sleep(0.1)  # until the server holds it

    def run(self) -> None:
        try:
            self.answer = self.server.get(self.path, timeout=70)
            self.answered_at = time.monotonic()
        except Exception as error:  # a closed connection is what a stopped server gives
            self.error = error

    def result(self, timeout: float = 10) -> Response:
        self.join(timeout)
        assert self.answer is not None, f"no answer to {self.path}: {self.error!r}"
        return self.answer


def start_chat(server: MocksnapServer) -> Response:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello"})
    return server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)


def test_a_delivery_wait_answers_once_the_receiver_has_the_webhook(
    server: MocksnapServer, receiver: Receiver
) -> None:
    subscription = {"conversationEvents": {"url": f"{receiver.url}/events", "events": ["caseQueued"]}}
    put = server.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/integrations", body=subscription)
    assert put.status == 200, put.body
    receiver.hang_next(1, 0.5)
    wait = Waiting(
        server, "/__admin/deliveries/wait", status="delivered", url=f"{receiver.url}/*", timeout=30
    )
    started = time.monotonic()
    chat = start_chat(server)
    assert chat.status == 200, chat.body
    assert time.monotonic() - started < 0.4  # answered while a wait is pending and a delivery is under way
    under_way = server.get("/__admin/deliveries").json()["deliveries"]
    assert [d["status"] for d in under_way] == ["delivering"]
    assert wait.is_alive()

    answer = wait.result()
    assert answer.status == 200, answer.body
    assert_valid("admin-deliveries", answer.json())
    [delivered] = answer.json()["deliveries"]
    assert (delivered["event"], delivered["status"], delivered["caseId"]) == (
        "caseQueued",
        "delivered",
        chat.json()["caseId"],
    )
    [received] = receiver.records("/events")
    assert received.json["case_id"] == chat.json()["caseId"]
    # Once the receiver had it and its answer came back (after the 0.5 s it held it), not at the timeout.
    assert received.at + 0.5 <= wait.answered_at < started + 5


def test_a_request_wait_is_answered_by_a_later_request_or_408_at_the_timeout(server: MocksnapServer) -> None:
    wait = Waiting(server, "/__admin/requests/wait", method="POST", path="/api/v1/chat", count=2)
    start_chat(server)
    assert wait.is_alive()
    start_chat(server)
    answer = wait.result()
    assert answer.status == 200
    assert_valid("admin-requests", answer.json())
    assert [(r["method"], r["status"]) for r in answer.json()["requests"]] == [("POST", 200), ("POST", 200)]

    started = time.monotonic()
    late = server.get("/__admin/requests/wait?" + urlencode({"path": "/api/v2/*", "timeout": 0.5}))
    assert 0.5 <= time.monotonic() - started < 3
    assert (late.status, late.json()) == (408, {"requests": []})
    bad = server.get("/__admin/deliveries/wait?timeout=600")
    assert bad.status == 400
    assert_valid("api-error", bad.json())


def test_a_waiting_client_that_goes_away_leaves_the_server_well(server: MocksnapServer) -> None:
    offset = server.output_size()
    with socket.create_connection((HOST, server.port)) as gone:
        gone.sendall(b"GET /__admin/requests/wait?timeout=60 HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)
    # The server ends the request of a client that is gone (gunicorn after a grace of 3 s), and logs it.
    deadline = time.monotonic() + 10
    while "wait?timeout=60" not in server.output_since(offset) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "wait?timeout=60" in server.output_since(offset)
    wait = Waiting(server, "/__admin/requests/wait", path="/api/v1/chat")
    start_chat(server)
    assert wait.result().status == 200
    assert server.get("/__admin/health").status == 200
    assert "Traceback" not in server.output_since(offset)


def test_a_server_stopped_under_a_wait_exits_within_its_graceful_timeout(
    spawn: Callable[..., MocksnapServer],
) -> None:
    running = spawn("--clock", "manual")
    wait = Waiting(running, "/__admin/deliveries/wait", timeout=60)
    started = time.monotonic()
    # SIGTERM: open requests get the graceful timeout (5 s) to finish, not the wait's 60.
    assert running.stop(timeout=10) == 0
    assert time.monotonic() - started < 8
    wait.join(5)
    assert (wait.is_alive(), wait.answer) == (False, None)  # its connection closed
    assert "Traceback" not in running.output()
