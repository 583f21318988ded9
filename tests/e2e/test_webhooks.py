"""Webhooks on the wire: a real server on a manual clock calls a real receiver.

A chat closed through the Visitor Chat API reaches the receiver as JSON and as XML with the configured
Authorization header, its conversation events arrive in order, the Get Contact call is made and its answer
kept, agent status changes are posted, and a failing receiver gets the retry schedule, every attempt in the
delivery log.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from mocksnap.testing import MocksnapServer as Server
from tests.conftest import API_TOKEN, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.webhooks.receiver import Receiver

VISITOR = {"x-api-key": VISITOR_KEY}
EVENTS = ["caseQueued", "caseBroadcasted", "caseAssigned", "caseResponded", "caseLabeled", "caseTransferred",
          "caseSurveyed", "caseClosed"]  # fmt: skip


@pytest.fixture
def server(spawn: Callable[..., Server]) -> Server:
    # Saturday: the sales widget is closed, so its chats are offline messages; the support widget is open.
    return spawn("--clock", "manual", "--start", "2026-11-28T10:00:00Z", "--delivery-timeout", "1")


def subscribe(server: Server, widget_id: str, receiver: Receiver, fmt: str = "json") -> None:
    body = {
        "integrationApi": {"url": f"{receiver.url}/case", "authToken": "case-token", "format": fmt},
        "conversationEvents": {
            "url": f"{receiver.url}/events",
            "authToken": "events-token",
            "events": EVENTS,
        },
        "getContact": {"url": f"{receiver.url}/contact", "systemName": "CRM"},
    }
    result = server.request("PUT", f"/__admin/widgets/{widget_id}/integrations", body=body)
    assert result.status == 200, result.body


def advance(server: Server, seconds: float) -> None:
    assert server.request("POST", "/__admin/clock/advance", body={"seconds": seconds}).status == 200


def chat(server: Server, widget_id: str = SUPPORT_WIDGET, **params: str) -> str:
    query = urlencode({"widgetId": widget_id, "visitorMessage": "hello", **params})
    result = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert result.status == 200, result.body
    return result.json()["caseId"]


def deliveries(server: Server, **filters: str) -> list[dict]:
    body = server.get(f"/__admin/deliveries?{urlencode(filters)}").json()
    assert_valid("admin-deliveries", body)
    return body["deliveries"]


def delivery(server: Server, delivery_id: str) -> dict:
    body = server.get(f"/__admin/deliveries/{delivery_id}").json()
    assert_valid("admin-delivery", body)
    return body


def test_a_closed_chat_reaches_the_receiver_with_its_events_in_order(
    server: Server, receiver: Receiver
) -> None:
    receiver.respond("/contact", "VIP customer since 2019")
    subscribe(server, SUPPORT_WIDGET, receiver)
    case_id = chat(server, email="visitor@example.com")
    advance(server, 10)  # accepted and greeted
    server.request("POST", f"/__admin/cases/{case_id}/labels", body={"name": "chatType", "value": "sales"})
    server.request("PUT", f"/api/v1/chat?caseId={case_id}&messageType=2", headers=VISITOR)
    advance(server, 1)
    server.request("POST", f"/__admin/cases/{case_id}/survey", body={"score": 80, "comment": "nice"})
    advance(server, 1)

    contact = [r for r in receiver.records() if r.path == "/contact"]
    assert [(r.method, r.query) for r in contact] == [
        ("GET", {"email": ["visitor@example.com"], "ip": ["127.0.0.1"], "caseId": [case_id]})
    ]
    case = server.get(f"/__admin/cases/{case_id}").json()
    assert case["contact"] == "VIP customer since 2019"
    assert ("NOTE", "CRM", "VIP customer since 2019") in [
        (e["sender"], e["alias"], e["message"]) for e in case["entries"]
    ]
    poll = server.get(f"/api/v1/chat/poll/{case_id}", headers=VISITOR).json()
    assert all("VIP" not in line["text"] for line in poll["messageList"])  # the agent's, not the visitor's

    events = [r for r in receiver.records() if r.path == "/events"]
    assert all(r.headers["authorization"] == "events-token" for r in events)
    for request in events:
        assert_valid("conversation-event", request.json)
    names = [r.json["event"] for r in events]
    assert names == ["caseQueued", "caseBroadcasted", "caseBroadcasted", "caseAssigned", "caseResponded",
                     "caseLabeled", "caseClosed", "caseSurveyed"]  # fmt: skip
    assert [r.json["timestamp"] for r in events] == sorted(r.json["timestamp"] for r in events)

    [posted] = [r for r in receiver.records() if r.path == "/case"]
    assert posted.headers["authorization"] == "case-token"
    assert posted.headers["content-type"].startswith("application/json")
    body = posted.json
    assert_valid("integration-api", body)
    logs = server.get(
        f"/api/v2/5406213/logs?widgetId={SUPPORT_WIDGET}&start=2026-11-28&end=2026-11-28",
        headers={"Authorization": API_TOKEN},
    ).json()["cases"][0]
    assert body["id"] == logs["id"] == case_id == events[0].json["case_id"]
    assert (body["chat_waittime"], body["chat_duration"]) == (logs["chat_waittime"], logs["chat_duration"])
    assert [t["message"] for t in body["transcripts"]] == [t["message"] for t in logs["transcripts"]]
    assert body["chat_ended_by"] == "visitor"
    assert body["labels"] == logs["labels"] == [{"name": "chatType", "value": "sales"}]

    log = deliveries(server, caseId=case_id)
    assert {d["status"] for d in log} == {"delivered"}
    assert {d["kind"] for d in log} == {"get_contact", "conversation_event", "integration"}
    detail = delivery(server, log[-1]["id"])
    assert detail["attemptLog"][0]["status"] == 200
    violations = server.get("/__admin/violations").json()
    assert_valid("admin-violations", violations)
    assert violations == {"violations": []}


def test_an_offline_message_is_posted_as_legacy_xml(server: Server, receiver: Receiver) -> None:
    subscribe(server, SALES_WIDGET, receiver, fmt="xml")
    case_id = chat(server, SALES_WIDGET, email="late@example.com", visitorMessage="call me <back> ]]> please")
    advance(server, 1)
    [posted] = [r for r in receiver.records() if r.path == "/case"]
    assert posted.headers["authorization"] == "case-token"
    assert "xml" in posted.headers["content-type"]
    document = ET.fromstring(posted.body)
    assert document.tag == "case"
    assert document.findtext("id") == case_id
    assert document.findtext("description") == "call me <back> ]]> please"
    assert document.find("source_id").get("type") == "integer"
    assert document.findtext("source_id") == "1"


def test_a_failing_receiver_gets_the_retry_schedule_and_the_log_shows_every_attempt(
    server: Server, receiver: Receiver
) -> None:
    subscribe(server, SALES_WIDGET, receiver)
    receiver.fail_next(3)
    chat(server, SALES_WIDGET, email="late@example.com")
    advance(server, 0)
    [first] = deliveries(server, kind="integration")
    assert (first["status"], first["attempts"]) == ("retrying", 1)
    advance(server, 2 * 3600)
    detail = delivery(server, first["id"])
    assert detail["status"] == "delivered"
    assert [a["status"] for a in detail["attemptLog"]] == [500, 500, 500, 200]
    assert [a["at"][11:19] for a in detail["attemptLog"]] == ["10:00:00", "10:00:10", "10:00:40", "10:01:40"]
    again = server.request("POST", f"/__admin/deliveries/{first['id']}/redeliver")
    assert again.status == 201
    assert_valid("admin-delivery", again.json())
    advance(server, 0)
    assert delivery(server, again.json()["id"])["status"] == "delivered"


def test_a_dead_receiver_ends_in_email_fallback(server: Server) -> None:
    gone = Receiver()
    subscribe(server, SALES_WIDGET, gone)
    gone.close()
    chat(server, SALES_WIDGET, email="late@example.com")
    advance(server, 3 * 3600)
    [given_up] = deliveries(server, kind="integration")
    assert given_up["status"] == "email_fallback"
    assert given_up["attempts"] == 11


def test_agent_status_changes_are_posted_to_the_organization_webhook(
    server: Server, receiver: Receiver
) -> None:
    hook = {"url": f"{receiver.url}/agents", "authToken": "agents-token"}
    assert (
        server.request("PUT", "/__admin/organizations/5406213/agent-status-webhook", body=hook).status == 200
    )
    status = json.dumps({"agent_id": "sam@example.com", "status": "pause", "sub_status": "Gone to lunch"})
    answer = server.request("POST", "/api/v2/agentstatus", body=status, headers={"Authorization": API_TOKEN})
    assert answer.status == 200
    advance(server, 0)
    [posted] = receiver.wait_for(1)
    assert posted.headers["authorization"] == "agents-token"
    assert_valid("agent-status-event", posted.json)
    assert {k: v for k, v in posted.json.items() if k != "timestamp"} == {
        "org": 5406213, "agent_id": "wc:sam@example.com", "status": "pause", "sub_status": "Gone to lunch",
    }  # fmt: skip
