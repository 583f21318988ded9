"""The emails the world's events call for, written into an outbox that has no SMTP server (so they are
kept): who gets what, with which lines; and the outbox's filters and size."""

from __future__ import annotations

import pytest

from mocksnap.clock import ManualClock
from mocksnap.mail import Outbox
from mocksnap.webhooks.delivery import Attempt, Delivery, DeliveryEngine
from mocksnap.webhooks.emails import EmailDispatcher, integration_fallback
from mocksnap.world import World
from mocksnap.world.errors import Invalid
from mocksnap.world.models import Visitor
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET

ORG = "5406213"


@pytest.fixture
def outbox(world: World) -> Outbox:
    kept = Outbox(world.clock)
    EmailDispatcher(world, DeliveryEngine(world.scheduler), kept)
    return kept


def test_an_offline_message_is_kept_for_the_widgets_destination_email(world: World, outbox: Outbox) -> None:
    org = world.orgs[ORG]
    visitor = Visitor(email="kim@example.com", phone="+49 30 1234")
    case = world.start_case(org, SALES_WIDGET, visitor, "Please call me", offline=True)
    [email] = outbox.find()
    assert (email.kind, email.to, email.reply_to, email.status) == (
        "offline_message",
        "sales@example.com",
        "kim@example.com",
        "kept",
    )
    assert email.subject == "Offline message from kim@example.com"
    assert email.body.splitlines()[:2] == ["From: kim@example.com", "Phone: +49 30 1234"]
    assert email.body.endswith("\nPlease call me\n")
    assert email.meta == {"orgId": ORG, "widgetId": SALES_WIDGET, "caseId": case.case_id}
    message = email.message()
    assert (message["To"], message["Reply-To"]) == ("sales@example.com", "kim@example.com")
    assert message["Date"] == "Mon, 23 Nov 2026 09:30:00 +0000"


def test_a_closed_chat_sends_its_transcript_and_the_visitors_copy_once(world: World, outbox: Outbox) -> None:
    org = world.orgs[ORG]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(email="vera@example.com"), "Where is my order?")
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", "On its way")
    world.request_transcript(case, " Vera@Example.com ")
    assert outbox.find() == []
    world.close(case, "visitor")
    team, copy = outbox.find()
    assert (team.kind, team.to, copy.kind, copy.to) == (
        "transcript",
        "support@example.com",
        "visitor_transcript",
        "vera@example.com",
    )
    lines = [line for line in team.body.splitlines() if line.startswith("[")]
    assert lines == [
        "[Nov 23, 2026 9:30:00 AM] visitor: Where is my order?",
        "[Nov 23, 2026 9:30:00 AM] Sam: On its way",
    ]
    assert "Ended: Nov 23, 2026 9:30:00 AM GMT, by visitor" in team.body
    assert [line for line in copy.body.splitlines() if line.startswith("[")] == lines
    assert "Case:" not in copy.body
    world.request_transcript(case, "vera@example.com")  # asked again after the end: sent at once
    kinds = [e.kind for e in outbox.find(caseId=case.case_id)]
    assert kinds == ["transcript", "visitor_transcript", "visitor_transcript"]


def test_a_transcript_request_that_cannot_be_met_changes_nothing(world: World, outbox: Outbox) -> None:
    org = world.orgs[ORG]
    chat = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hi")
    offline = world.start_case(org, SALES_WIDGET, Visitor(email="kim@example.com"), "hi", offline=True)
    with pytest.raises(Invalid, match="valid email"):
        world.request_transcript(chat, "not an email")
    with pytest.raises(Invalid, match="offline message"):
        world.request_transcript(offline, "kim@example.com")
    assert chat.visitor_transcript_email is None
    assert offline.visitor_transcript_email is None


def test_the_email_fallback_carries_the_payload_and_why(world: World) -> None:
    org = world.orgs[ORG]
    case = world.start_case(org, SALES_WIDGET, Visitor(email="kim@example.com"), "hi", offline=True)
    widget = org.widgets[SALES_WIDGET]
    delivery = Delivery(
        "d0000001", "integration", "POST", "http://127.0.0.1:9/case", {"Content-Type": "application/json"},
        b'{"id": "x"}', {"caseId": case.case_id}, world.clock.now(), status="email_fallback",
        attempts=[Attempt(world.clock.now(), 503, 1.0, "HTTP 503")],
    )  # fmt: skip
    to, subject, body = integration_fallback(case, widget, delivery)
    assert (to, subject) == ("sales@example.com", f"Integration API: case {case.case_id}")
    assert "to http://127.0.0.1:9/case failed for two hours (1 attempts; the last: HTTP 503)" in body
    assert body.endswith('Content-Type: application/json\n\n{"id": "x"}\n')


def test_the_outbox_keeps_the_newest_and_finds_by_glob(clock: ManualClock) -> None:
    outbox = Outbox(clock, log_size=2)
    for to in ("a@example.com", "b@example.org", "c@example.com"):
        outbox.write("transcript", to, "s", "b", {"caseId": to[0]})
    assert [e.id for e in outbox.find()] == ["m0000002", "m0000003"]
    assert [e.to for e in outbox.find(to="*@example.com")] == ["c@example.com"]
    assert [e.to for e in outbox.find(caseId="b", status="kept", kind="transcript")] == ["b@example.org"]
    outbox.reset()
    assert outbox.find() == []
    assert outbox.write("transcript", "a@example.com", "s", "b", {}).id == "m0000001"
