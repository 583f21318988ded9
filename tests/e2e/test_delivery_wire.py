"""What a real receiver gets on the wire from a real server: a redirect is a failed attempt, retried and
never followed; one time limit bounds a whole attempt, however slowly the answer trickles; the Get Contact
query goes out encoded as the docs' example, byte for byte what the delivery log shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import pytest

from mocksnap.testing import MocksnapServer as Server
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.webhooks.receiver import Receiver

VISITOR = {"x-api-key": VISITOR_KEY}


@pytest.fixture
def server(spawn: Callable[..., Server]) -> Server:
    # Saturday: the sales widget is closed, so a chat there is an offline message, posted at once.
    return spawn("--clock", "manual", "--start", "2026-11-28T10:00:00Z", "--delivery-timeout", "1")


def advance(server: Server, seconds: float) -> None:
    answer = server.request("POST", "/__admin/clock/advance", body={"seconds": seconds}, timeout=30)
    assert answer.status == 200, answer.body


def offline_message(server: Server, receiver: Receiver) -> None:
    hook = {"integrationApi": {"url": f"{receiver.url}/case", "authToken": "case-token"}}
    assert server.request("PUT", f"/__admin/widgets/{SALES_WIDGET}/integrations", body=hook).status == 200
    query = urlencode({"widgetId": SALES_WIDGET, "email": "late@example.com", "visitorMessage": "call me"})
    assert server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR).status == 200


def delivery(server: Server, kind: str) -> dict:
    [found] = server.get(f"/__admin/deliveries?kind={kind}").json()["deliveries"]
    detail = server.get(f"/__admin/deliveries/{found['id']}").json()
    assert_valid("admin-delivery", detail)
    return detail


def test_a_redirect_is_a_failed_attempt_that_is_retried_and_never_followed(
    server: Server, receiver: Receiver
) -> None:
    receiver.respond("/case", "", status=302, headers={"Location": "/elsewhere"})
    offline_message(server, receiver)
    advance(server, 0)
    first = delivery(server, "integration")
    assert first["status"] == "retrying"
    [attempt] = first["attemptLog"]
    assert (attempt["status"], attempt["location"]) == (302, "/elsewhere")
    assert attempt["error"] == "HTTP 302: a redirect to /elsewhere, not followed"

    receiver.respond("/case", "ok")
    advance(server, 10)
    done = delivery(server, "integration")
    assert done["status"] == "delivered"
    assert [a["status"] for a in done["attemptLog"]] == [302, 200]
    assert "location" not in done["attemptLog"][1]
    posts = receiver.records()
    assert [(r.method, r.path) for r in posts] == [("POST", "/case"), ("POST", "/case")]
    assert posts[0].body == posts[1].body != b""
    assert all(r.headers["authorization"] == "case-token" for r in posts)


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_delivery_timeout(
    server: Server, receiver: Receiver
) -> None:
    body = "x" * 40  # a byte every 0.25 s: 10 s for the whole answer, against a limit of 1 s
    receiver.respond("/case", body, trickle=0.25)
    offline_message(server, receiver)
    began = time.monotonic()
    advance(server, 0)  # which waits for the attempt under way
    waited = time.monotonic() - began
    [attempt] = delivery(server, "integration")["attemptLog"]
    assert attempt["status"] is None
    assert attempt["error"] == "no answer within 1 s"
    assert attempt["latencyMs"] < 5000, attempt
    assert waited < 5, waited

    receiver.respond("/case", "ok")
    advance(server, 10)
    assert delivery(server, "integration")["status"] == "delivered"


def test_get_contact_goes_on_the_wire_encoded_as_the_docs_example(server: Server, receiver: Receiver) -> None:
    receiver.respond("/contact", "VIP")
    hook = {"getContact": {"url": f"{receiver.url}/contact?source=mocksnap%20test"}}
    assert server.request("PUT", f"/__admin/widgets/{SUPPORT_WIDGET}/integrations", body=hook).status == 200
    query = urlencode({"widgetId": SUPPORT_WIDGET, "email": "gc@example.com", "visitorMessage": "hi"})
    case_id = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR).json()["caseId"]
    advance(server, 0)
    [lookup] = receiver.wait_for(1, path="/contact")
    logged = delivery(server, "get_contact")
    assert logged["status"] == "delivered"
    sent = urlsplit(logged["url"])
    assert lookup.target == f"{sent.path}?{sent.query}"
    assert sent.query == f"source=mocksnap%20test&email=gc%40example.com&ip=127.0.0.1&url=&caseId={case_id}"
