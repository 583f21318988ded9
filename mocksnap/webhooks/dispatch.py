"""From the world's events to the integrator's URLs: each event becomes the payloads its subscriptions ask
for (pure builders), every payload is checked against its schema before it goes, and the delivery engine
takes it from there.

- the Integration API POST (JSON, or the legacy XML) on every chat close and every offline message;
- conversation events, only those the widget subscribes to;
- agent status events on every status change, to the organization's webhook;
- the Get Contact call when a chat's visitor has a valid email, at the start or later in the chat; its
  plain-text answer is stored on the case (world.set_contact).
"""

from __future__ import annotations

import json
import logging
from collections import Counter, deque
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from mocksnap import __version__, schemas
from mocksnap.clock import iso
from mocksnap.webhooks import payloads
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine
from mocksnap.webhooks.legacy_xml import integration_xml
from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case

log = logging.getLogger("mocksnap.webhooks")
USER_AGENT = f"mocksnap/{__version__}"


class Violations:
    """Outbound payloads that broke their schema: each one is a bug of mocksnap's, listed for all to see.

    A server checks every payload. A fast traffic run, which builds tens of thousands a minute, may check a
    sample (`check_every`: the first hundred of each schema, then one in that many), since checking costs
    more than building; its tests check every payload of the stream it wrote.
    """

    def __init__(self, size: int = 1000, check_every: int = 1) -> None:
        self._items: deque[dict[str, Any]] = deque(maxlen=size)
        self.check_every = check_every
        self._seen: Counter[str] = Counter()

    def add(
        self,
        at: str,
        kind: str,
        schema_name: str,
        problems: list[schemas.SchemaError],
        payload: Any,
        *,
        ours: bool = True,
    ) -> None:
        """ours: a payload mocksnap built, so a bug of its own and logged as an error; otherwise what another
        party sent (a bot's reply), logged as a warning."""
        self._items.append(
            {
                "at": at,
                "kind": kind,
                "schema": schema_name,
                "errors": [problem.as_dict() for problem in problems],
                "payload": payload,
            }
        )
        if ours:
            log.error("outbound %s payload breaks schema %s: %s", kind, schema_name, problems)
        else:
            log.warning("%s breaks schema %s: %s", kind, schema_name, problems)

    def checked(self, at: str, kind: str, schema_name: str, payload: Any) -> bytes:
        """The payload as JSON bytes, listed here first if it breaks its schema (it is sent all the same)."""
        self._seen[schema_name] += 1
        seen = self._seen[schema_name]
        if seen <= 100 or seen % self.check_every == 0:
            problems = schemas.errors(schema_name, payload)
            if problems:
                self.add(at, kind, schema_name, problems, payload)
        return json.dumps(payload).encode()

    def list(self) -> list[dict[str, Any]]:
        return list(self._items)

    def clear(self) -> None:
        self._items.clear()


def request_headers(content_type: str | None, token: str | None) -> dict[str, str]:
    """What every outbound call carries: mocksnap's User-Agent, the body's type, and the raw token as the
    Authorization header when the integrator set one (as the docs say)."""
    headers = {"User-Agent": USER_AGENT}
    if content_type:
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = token
    return headers


def _with_query(url: str, params: dict[str, str]) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    query = "&".join(part for part in (query, urlencode(params)) if part)
    return urlunsplit((scheme, netloc, path, query, fragment))


class Dispatcher:
    def __init__(self, world: World, engine: DeliveryEngine, violations: Violations) -> None:
        self.world = world
        self.engine = engine
        self.violations = violations
        world.events.subscribe(self._on_event)

    def _on_event(self, event: DomainEvent) -> None:
        if event.kind == "agent.status_changed":
            self._agent_status(event)
            return
        if not event.kind.startswith("case."):
            return
        case = self.world.cases.get(event.data["caseId"])
        if case is None:
            return
        integrations = self.world.orgs[case.org_id].widgets[case.widget_id].integrations
        if event.kind in ("case.closed", "case.offline") and "integrationApi" in integrations:
            self._integration(case, event, integrations["integrationApi"])
        self._conversation_events(case, event)
        if event.kind in ("case.queued", "case.identified") and "getContact" in integrations:
            self._get_contact(case, event, integrations["getContact"])

    # -- each kind ------------------------------------------------------------------------------------

    def _checked(self, kind: str, schema_name: str, payload: Any) -> bytes:
        return self.violations.checked(iso(self.world.clock.now()), kind, schema_name, payload)

    def _integration(self, case: Case, event: DomainEvent, subscription: dict[str, Any]) -> None:
        meta = {"orgId": case.org_id, "widgetId": case.widget_id, "caseId": case.case_id, "event": event.kind}
        if subscription.get("format") == "xml":
            body, content_type = integration_xml(self.world, case), "application/xml; charset=utf-8"
        else:
            payload = payloads.integration_json(self.world, case)
            body, content_type = self._checked("integration", "integration-api", payload), "application/json"
        headers = request_headers(content_type, subscription.get("authToken"))
        self.engine.enqueue("integration", "POST", subscription["url"], headers, body, meta)

    def _conversation_events(self, case: Case, event: DomainEvent) -> None:
        """Each payload to its own widget's subscription: a transfer to another widget tells both."""
        widgets = self.world.orgs[case.org_id].widgets
        involved = (widgets.get(w) for w in (case.widget_id, event.data.get("fromWidgetId")) if w)
        if not any(w is not None and "conversationEvents" in w.integrations for w in involved):
            return  # nobody listens: no payload is built (the hot path of a traffic run)
        for payload in payloads.conversation_event(self.world, event):
            widget = widgets.get(payload["widget_id"])
            subscription = widget.integrations.get("conversationEvents") if widget is not None else None
            if subscription is not None and payload["event"] in subscription["events"]:
                meta = {
                    "orgId": case.org_id,
                    "widgetId": payload["widget_id"],
                    "caseId": case.case_id,
                    "event": payload["event"],
                }
                body = self._checked("conversation_event", "conversation-event", payload)
                headers = request_headers("application/json", subscription.get("authToken"))
                self.engine.enqueue("conversation_event", "POST", subscription["url"], headers, body, meta)

    def _agent_status(self, event: DomainEvent) -> None:
        org = self.world.orgs.get(event.org_id or "")
        if org is None or org.agent_status_webhook is None:
            return
        payload = payloads.agent_status_event(self.world, event)
        if payload is None:
            return
        body = self._checked("agent_status", "agent-status-event", payload)
        headers = request_headers("application/json", org.agent_status_webhook.get("authToken"))
        meta = {"orgId": org.org_id, "agentId": payload["agent_id"], "event": payload["status"]}
        self.engine.enqueue("agent_status", "POST", org.agent_status_webhook["url"], headers, body, meta)

    def _get_contact(self, case: Case, event: DomainEvent, subscription: dict[str, Any]) -> None:
        email = case.visitor.email
        if not email or schemas.first_error("world#/$defs/email", email) is not None:
            return
        params = {
            "email": email,
            "ip": case.visitor.ip_address or "",
            "url": case.visitor.page_url or "",
            "caseId": case.case_id,
        }
        meta = {"orgId": case.org_id, "widgetId": case.widget_id, "caseId": case.case_id, "event": event.kind}
        system_name = subscription.get("systemName") or "Get Contact"

        def answered(delivery: Delivery) -> None:
            text = delivery.response_body.decode("utf-8", "replace").strip()
            if text:
                self.world.set_contact(case, system_name, text)

        url = _with_query(subscription["url"], params)
        self.engine.enqueue(
            "get_contact", "GET", url, request_headers(None, None), b"", meta, on_answer=answered
        )
