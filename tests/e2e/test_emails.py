"""Email for real: a server given `--smtp` sends its emails to a real SMTP server on 127.0.0.1 (an offline
message and a chat's transcript to the widget's destination email, the visitor's copy when they asked for it,
an Integration API POST given up after two hours); every email, sent or kept, is in GET /__admin/emails, can
be waited for, and is gone after a reset."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest

from mocksnap.testing import Mocksnap
from mocksnap.testing import MocksnapServer as Server
from tests.conftest import API_TOKEN, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid
from tests.mail import SmtpInbox

VISITOR = {"x-api-key": VISITOR_KEY}
SATURDAY = "2026-11-28T10:00:00Z"  # the sales widget is closed: a chat there is an offline message


@pytest.fixture
def inbox() -> Iterator[SmtpInbox]:
    running = SmtpInbox()
    yield running
    running.close()


@pytest.fixture
def server(spawn: Callable[..., Server], inbox: SmtpInbox) -> Server:
    return spawn("--clock", "manual", "--start", SATURDAY, "--delivery-timeout", "2", "--smtp", inbox.address)


def start(server: Server, widget_id: str, **params: str) -> str:
    query = urlencode({"widgetId": widget_id, "visitorMessage": "hello", **params})
    answer = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert answer.status == 200, answer.body
    return answer.json()["caseId"]


def advance(server: Server, seconds: float) -> None:
    assert server.request("POST", "/__admin/clock/advance", body={"seconds": seconds}).status == 200


def emails(server: Server, **filters: str) -> list[dict]:
    answer = server.get(f"/__admin/emails?{urlencode(filters)}")
    assert answer.status == 200
    body = answer.json()
    assert_valid("admin-emails", body)
    return body["emails"]


def test_an_offline_message_arrives_in_the_smtp_inbox_addressed_to_the_widgets_destination_email(
    server: Server, inbox: SmtpInbox
) -> None:
    case_id = start(server, SALES_WIDGET, email="late@example.com", visitorMessage="Call me back, please")
    [received] = inbox.wait_for(1)
    assert received.recipients == ["sales@example.com"]
    assert received.message["To"] == "sales@example.com"
    assert received.message["Reply-To"] == "late@example.com"
    assert received.message["Subject"] == "Offline message from late@example.com"
    assert "Call me back, please" in received.body
    assert case_id in received.body
    [listed] = Mocksnap(server).wait_for_emails(status="sent")
    assert_valid("admin-emails#/$defs/email", listed)
    assert (listed["kind"], listed["to"], listed["caseId"]) == (
        "offline_message",
        "sales@example.com",
        case_id,
    )
    assert listed["subject"] == received.message["Subject"]
    assert listed["body"].strip() == received.body.strip()
    assert listed["smtpReply"] == "Message accepted for delivery"
    assert listed["error"] is None


def test_an_ended_chat_sends_its_transcript_and_the_visitor_the_copy_they_asked_for(
    server: Server, inbox: SmtpInbox
) -> None:
    case_id = start(server, SUPPORT_WIDGET, email="vera@example.com", visitorMessage="Where is my order?")
    advance(server, 10)  # accepted and greeted by a simulated agent
    asked = server.request("POST", f"/__admin/cases/{case_id}/transcript", body={"email": "Vera@Example.com"})
    assert asked.status == 200, asked.body
    assert asked.json()["visitorEmail"] == "vera@example.com"
    assert inbox.messages == []  # the copy goes once the chat has ended
    server.request("PUT", f"/api/v1/chat?caseId={case_id}&messageType=2", headers=VISITOR)
    advance(server, 0)
    received = {r.recipients[0]: r for r in inbox.wait_for(2)}
    case = server.get(f"/__admin/cases/{case_id}").json()
    lines = [e for e in case["entries"] if e["sender"] in ("VISITOR", "AGENT")]
    assert len(lines) >= 2

    team = received["support@example.com"]
    assert team.message["Subject"] == "Chat transcript: vera@example.com"
    assert f"Case: {case_id}" in team.body
    assert "visitor: Where is my order?" in team.body
    assert all(f"{e['alias'] or 'visitor'}: {e['message']}" in team.body for e in lines)

    copy = received["vera@example.com"]
    assert copy.message["Subject"] == "Your chat transcript"
    assert "visitor: Where is my order?" in copy.body
    assert "Case:" not in copy.body  # nothing of the team's own

    listed = emails(server, caseId=case_id)
    assert [(e["kind"], e["to"], e["status"]) for e in listed] == [
        ("transcript", "support@example.com", "sent"),
        ("visitor_transcript", "vera@example.com", "sent"),
    ]
    logs = server.get(
        f"/api/v2/5406213/logs?widgetId={SUPPORT_WIDGET}&start=2026-11-28&end=2026-11-28",
        headers={"Authorization": API_TOKEN},
    ).json()["cases"]
    assert logs[0]["visitor_transcript_email"] == "vera@example.com"

    refused = server.request("POST", f"/__admin/cases/{case_id}/transcript", body={"email": "nope"})
    assert refused.status == 400


def test_an_integration_post_given_up_after_two_hours_is_emailed_with_its_payload(
    server: Server, inbox: SmtpInbox
) -> None:
    hook = {"integrationApi": {"url": "http://127.0.0.1:9/gone", "authToken": "case-token"}}
    assert server.request("PUT", f"/__admin/widgets/{SALES_WIDGET}/integrations", body=hook).status == 200
    case_id = start(server, SALES_WIDGET, email="late@example.com")
    inbox.wait_for(1)  # the offline message itself
    advance(server, 3 * 3600)
    [given_up] = [
        d for d in server.get("/__admin/deliveries").json()["deliveries"] if d["kind"] == "integration"
    ]
    assert given_up["status"] == "email_fallback"
    [fallback] = Mocksnap(server).wait_for_emails(kind="email_fallback", status="sent")
    assert (fallback["deliveryId"], fallback["caseId"], fallback["to"]) == (
        given_up["id"],
        case_id,
        "sales@example.com",
    )
    received = inbox.wait_for(2)[1]
    assert received.recipients == ["sales@example.com"]
    assert received.message["Subject"] == f"Integration API: case {case_id}"
    payload = server.get(f"/__admin/deliveries/{given_up['id']}").json()["payload"]
    assert payload in received.body
    assert json.loads(payload)["id"] == case_id


def test_an_smtp_server_that_refuses_fails_the_email_and_nothing_else(
    server: Server, inbox: SmtpInbox
) -> None:
    inbox.refusal = "554 No thanks"
    start(server, SALES_WIDGET, email="late@example.com")
    [failed] = Mocksnap(server).wait_for_emails(status="failed")
    assert failed["error"] is not None
    assert "No thanks" in failed["error"]
    assert failed["smtpReply"] is None
    inbox.refusal = None
    start(server, SALES_WIDGET, email="later@example.com")
    assert Mocksnap(server).wait_for_emails(status="sent")[0]["to"] == "sales@example.com"


def test_without_smtp_emails_are_kept_waited_for_and_emptied_by_reset(mocksnap: Mocksnap) -> None:
    server = mocksnap.server
    waited = server.get("/__admin/emails/wait?kind=transcript&timeout=0.2")
    assert waited.status == 408
    assert_valid("admin-emails", waited.json())
    began = time.monotonic()
    case_id = start(server, SUPPORT_WIDGET, email="kim@example.com")
    mocksnap.advance(10)
    server.request("POST", f"/__admin/cases/{case_id}/close", body={"endedBy": "agent"})
    [kept] = mocksnap.wait_for_emails(kind="transcript")
    assert time.monotonic() - began < 5
    assert (kept["status"], kept["smtpReply"], kept["to"]) == ("kept", None, "support@example.com")
    assert mocksnap.emails(to="*@example.com", case_id=case_id) == [kept]
    assert mocksnap.emails(kind="offline_message") == []
    mocksnap.reset()
    assert mocksnap.emails() == []
