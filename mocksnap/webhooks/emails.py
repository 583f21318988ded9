"""The emails the vendor sends, written from the world's events into the outbox (mocksnap/mail.py):

- each ended chat's transcript, and each offline message, to the widget's destination email ("the email where
  transcripts are sent", Provisioning API; its owner's email when it has none);
- an Integration API POST given up after two hours of failures ("sending it through email and flagging the
  event as sent"), its payload as it would have been posted, to the same address;
- the visitor's copy of the transcript, when they asked for one (`visitor_transcript_email`, Logs API), once
  the chat has ended.

The builders are pure functions of the world and the case; what the docs leave open (subjects, the layout of a
body, the sender) is in docs/fidelity.md.
"""

from __future__ import annotations

from mocksnap.mail import Outbox
from mocksnap.webhooks.case_facts import agent_alias, case_url, transcript_entries
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine
from mocksnap.webhooks.payloads import VISITOR_ALIAS, integration_date
from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case, Widget

Draft = tuple[str, str, str]  # (to, subject, body)


def destination(widget: Widget) -> str:
    return widget.destination_email or widget.owner_email


def _visitor(case: Case) -> str:
    visitor = case.visitor
    if visitor.name and visitor.email:
        return f"{visitor.name} <{visitor.email}>"
    return visitor.name or visitor.email or "a visitor"


def _lines(case: Case, widget: Widget) -> list[str]:
    """`[date] alias: message`, a line each, dated as the Integration API dates its transcript lines."""
    lines = []
    for entry in transcript_entries(case):
        if entry.sender == "VISITOR":
            alias = VISITOR_ALIAS
        else:
            alias = entry.alias or agent_alias(widget, case, entry.agent_id)
        lines.append(f"[{integration_date(entry.at_ms)}] {alias}: {entry.message}")
    return lines or ["(nothing was said)"]


def transcript(site: str, case: Case, widget: Widget) -> Draft:
    """An ended chat, for the widget's team: who, when, with whom, every line, the labels."""
    head = [
        f"Case: {case.case_id}",
        f"Widget: {widget.name or widget.uuid} ({widget.uuid})",
        f"Visitor: {_visitor(case)}",
        f"Started: {integration_date(case.created_ms)} GMT",
    ]
    if case.closed_ms is not None:
        head.append(f"Ended: {integration_date(case.closed_ms)} GMT, by {case.ended_by}")
    if case.agent_id:
        head.append(f"Agent: {agent_alias(widget, case, case.agent_id)}")
    head.append(f"Link: {case_url(site, case)}")
    labels = [f"  {name}: {value}" for name, value in case.labels or []]
    body = [*head, "", *_lines(case, widget)]
    if labels:
        body += ["", "Labels:", *labels]
    return destination(widget), f"Chat transcript: {_visitor(case)}", "\n".join(body) + "\n"


def offline_message(site: str, case: Case, widget: Widget) -> Draft:
    """An offline message, for the widget's team: the visitor's details and what they wrote."""
    visitor = case.visitor
    head = [f"From: {_visitor(case)}"]
    if visitor.phone:
        head.append(f"Phone: {visitor.phone}")
    if visitor.page_url:
        head.append(f"Page: {visitor.page_url}")
    head += [
        f"Widget: {widget.name or widget.uuid} ({widget.uuid})",
        f"Received: {integration_date(case.created_ms)} GMT",
        f"Link: {case_url(site, case)}",
    ]
    body = "\n".join([*head, "", case.description]) + "\n"
    return destination(widget), f"Offline message from {_visitor(case)}", body


def visitor_copy(case: Case, widget: Widget) -> Draft:
    """The visitor's copy: the lines of the chat, nothing the widget's team keeps to itself."""
    body = [f"Your chat with {widget.name or 'us'}", "", *_lines(case, widget)]
    return case.visitor_transcript_email or "", "Your chat transcript", "\n".join(body) + "\n"


def integration_fallback(case: Case, widget: Widget, delivery: Delivery) -> Draft:
    """An Integration API POST given up: why, and the payload as it would have been posted."""
    last = delivery.attempts[-1].error if delivery.attempts else None
    body = [
        f"The Integration API POST of case {case.case_id} to {delivery.url} failed for two hours "
        f"({len(delivery.attempts)} attempts; the last: {last}).",
        "It is sent here instead, and flagged as sent.",
        "",
        f"Content-Type: {delivery.headers.get('Content-Type', '')}",
        "",
        delivery.body.decode("utf-8", "replace"),
    ]
    return destination(widget), f"Integration API: case {case.case_id}", "\n".join(body) + "\n"


class EmailDispatcher:
    """Writes the emails that the world's events and the deliveries given up call for."""

    def __init__(self, world: World, engine: DeliveryEngine, outbox: Outbox) -> None:
        self.world = world
        self.outbox = outbox
        world.events.subscribe(self._on_event)
        engine.given_up_listeners.append(self._given_up)

    def _found(self, case_id: str) -> tuple[Case, Widget] | None:
        case = self.world.cases.get(case_id)
        if case is None:
            return None
        widget = self.world.orgs[case.org_id].widgets.get(case.widget_id)
        return None if widget is None else (case, widget)

    def _write(self, kind: str, case: Case, draft: Draft, **meta: str) -> None:
        to, subject, body = draft
        meta = {"orgId": case.org_id, "widgetId": case.widget_id, "caseId": case.case_id, **meta}
        reply_to = case.visitor.email if kind in ("transcript", "offline_message") else None
        self.outbox.write(kind, to, subject, body, meta, reply_to=reply_to)

    def _on_event(self, event: DomainEvent) -> None:
        if event.kind not in ("case.closed", "case.offline", "case.transcript_requested"):
            return
        found = self._found(event.data["caseId"])
        if found is None:
            return
        case, widget = found
        if event.kind == "case.offline":
            self._write("offline_message", case, offline_message(self.world.site, case, widget))
            return
        if event.kind == "case.closed":
            self._write("transcript", case, transcript(self.world.site, case, widget))
        if case.state == "closed" and case.visitor_transcript_email:
            self._write("visitor_transcript", case, visitor_copy(case, widget))

    def _given_up(self, delivery: Delivery) -> None:
        if delivery.kind != "integration" or delivery.status != "email_fallback":
            return
        found = self._found(delivery.meta.get("caseId", ""))
        if found is not None:
            case, widget = found
            draft = integration_fallback(case, widget, delivery)
            self._write("email_fallback", case, draft, deliveryId=delivery.id)
