"""The control API under /__admin: health, reset, the world document, the event log, the clock, the request
journal, the simulated agents, and scripting a chat's agent side by hand.

The journal and the delivery log can also be waited on (…/wait): the answer comes as soon as `count` entries
match the filters (200), or once `timeout` seconds of real time have passed (408 with what matches then).
"""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap import __version__
from mocksnap.actors.autopilot import Autopilot
from mocksnap.api.common import checked, json_body, read_body, send_json
from mocksnap.clock import AdvanceInterrupted, ManualClock, iso
from mocksnap.errors import ApiError
from mocksnap.faults import Faults
from mocksnap.journal import Journal
from mocksnap.mail import Outbox
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Violations
from mocksnap.world import DocumentError, World
from mocksnap.world import document as world_document
from mocksnap.world.base import normalize_agent_id
from mocksnap.world.document import agent_to_doc
from mocksnap.world.models import AGENT_ID_PREFIX, Case, Organization, Visitor, Widget

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
WAIT_SECONDS = 5.0
MAX_WAIT_SECONDS = 60.0
DELIVERY_FILTERS = ("kind", "status", "url", "widgetId", "caseId")
EMAIL_FILTERS = ("kind", "status", "to", "widgetId", "caseId")


def organization(world: World, org_id: str) -> Organization:
    org = world.orgs.get(org_id)
    if org is None:
        raise ApiError(404, f"no organization {org_id}")
    return org


def found_widget(world: World, widget_id: str) -> tuple[Organization, Widget]:
    found = world.widget(widget_id)
    if found is None:
        raise ApiError(404, f"no widget {widget_id}")
    return found


def health_view(world: World) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": __version__,
        "time": iso(world.clock.now()),
        "organizations": len(world.orgs),
        "widgets": sum(len(org.widgets) for org in world.orgs.values()),
    }


def wait_params(req: falcon.asgi.Request) -> tuple[int, float]:
    """How many matching entries a wait is for, and for how many seconds at most."""
    count = req.get_param_as_int("count", min_value=1, default=1)
    timeout = req.get_param_as_float("timeout", default=WAIT_SECONDS)
    if not 0 <= timeout <= MAX_WAIT_SECONDS:  # NaN too
        raise ApiError(400, f"timeout must be from 0 to {MAX_WAIT_SECONDS:g} seconds")
    return count, timeout


def _wants_yaml(req: falcon.asgi.Request) -> bool:
    return req.get_param("format") == "yaml" or any(t in (req.accept or "") for t in YAML_TYPES)


class Health:
    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, health_view(self.world))


class Reset:
    """Back to the started world: its document, no cases, the journal, delivery log and outbox emptied, the
    simulated agents on, no faults."""

    def __init__(
        self,
        world: World,
        journal: Journal,
        autopilot: Autopilot,
        engine: DeliveryEngine,
        violations: Violations,
        faults: Faults,
        outbox: Outbox,
    ) -> None:
        self.world = world
        self.journal = journal
        self.autopilot = autopilot
        self.engine = engine
        self.violations = violations
        self.faults = faults
        self.outbox = outbox

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self.world.reset()
        self.journal.clear()
        self.autopilot.enabled = True
        self.engine.reset()
        self.violations.clear()
        self.faults.reset()
        self.outbox.reset()
        send_json(resp, health_view(self.world))


class WorldDocument:
    """GET the world document (JSON, or YAML with ?format=yaml or an Accept of YAML); PUT a new one."""

    def __init__(self, world: World) -> None:
        self.world = world

    def _send(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        if _wants_yaml(req):
            resp.content_type = "application/yaml"
            resp.text = world_document.to_yaml(self.world.dump())
        else:
            send_json(resp, self.world.dump())

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self._send(req, resp)

    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        raw = await read_body(req)
        yaml_body = any(t in (req.content_type or "") for t in YAML_TYPES)
        try:
            self.world.replace(world_document.parse(world_document.decode(raw), json_only=not yaml_body))
        except DocumentError as error:
            raise ApiError(
                400,
                "invalid world document; the world is unchanged",
                errors=[e.as_dict() for e in error.errors],
            ) from None
        self._send(req, resp)


class Events:
    """GET /__admin/events?since=N: what the world's commands changed, oldest first."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        since = req.get_param_as_int("since", min_value=0, default=0)
        send_json(resp, {"events": [event.as_dict() for event in self.world.events.since(since)]})


def clock_view(world: World) -> dict[str, Any]:
    due = world.scheduler.next_due()
    return {
        "now": iso(world.clock.now()),
        "mode": world.clock.mode,
        "speed": world.clock.speed,
        "pendingTimers": world.scheduler.pending(),
        "nextTimerAt": iso(due) if due else None,
    }


class Clock:
    """GET /__admin/clock"""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, clock_view(self.world))


class ClockAdvance:
    """POST /__admin/clock/advance {"seconds": N}: every timer that falls due runs, in time order, and the
    deliveries it starts are attempted, before the answer; so are the emails written meanwhile sent."""

    def __init__(self, world: World, engine: DeliveryEngine, outbox: Outbox) -> None:
        self.world = world
        self.engine = engine
        self.outbox = outbox

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        body = checked("admin-clock-advance-request", await json_body(req))
        if not isinstance(self.world.clock, ManualClock):
            raise ApiError(
                409, f"the clock is {self.world.clock.mode}; only a manual clock is advanced by hand"
            )
        try:
            ran = await self.world.scheduler.advance_async(body["seconds"], settle=self.engine.idle)
        except AdvanceInterrupted:
            raise ApiError(
                409,
                "the world was reset or replaced while the clock advanced; the clock is at "
                f"{iso(self.world.clock.now())}",
            ) from None
        await self.outbox.idle()
        send_json(resp, {**clock_view(self.world), "timersRun": ran})


class Requests:
    """GET /__admin/requests?method=&path=<glob>&limit=N; DELETE empties the journal;
    GET /__admin/requests/wait with the same filters and count=N&timeout=S (the suffix "wait")."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    @staticmethod
    def _filters(req: falcon.asgi.Request) -> tuple[str | None, str | None, int | None]:
        return req.get_param("method"), req.get_param("path"), req.get_param_as_int("limit", min_value=1)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, {"requests": self.journal.find(*self._filters(req))})

    async def on_get_wait(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        method, path, limit = self._filters(req)
        count, timeout = wait_params(req)
        met = await self.journal.changes.wait_until(
            lambda: self.journal.count(method, path) >= count, timeout
        )
        send_json(resp, {"requests": self.journal.find(method, path, limit)}, 200 if met else 408)

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self.journal.clear()
        send_json(resp, {"requests": []})


class AutopilotSwitch:
    """GET / PUT /__admin/autopilot {"enabled": bool}: whether simulated agents accept and answer chats."""

    def __init__(self, autopilot: Autopilot) -> None:
        self.autopilot = autopilot

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, {"enabled": self.autopilot.enabled})

    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self.autopilot.enabled = checked("admin-autopilot", await json_body(req))["enabled"]
        send_json(resp, {"enabled": self.autopilot.enabled})


class AgentStatus:
    """PUT /__admin/organizations/{org_id}/agents/{agent_id}/status {"status", "subStatus"}; offline too."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_put(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, org_id: str, agent_id: str
    ) -> None:
        org = organization(self.world, org_id)
        body = checked("admin-agent-status", await json_body(req))
        agent = self.world.set_agent_status(org, agent_id, body["status"], body.get("subStatus"))
        send_json(
            resp,
            {
                "agentId": AGENT_ID_PREFIX + agent.agent_id,
                "status": agent.status,
                "subStatus": agent.sub_status,
            },
        )


def visitor_view(visitor: Visitor) -> dict[str, Any]:
    """What is known of a case's visitor, as an agent sees it beside the transcript (null when unknown)."""
    return {
        "name": visitor.name,
        "email": visitor.email,
        "phone": visitor.phone,
        "pageUrl": visitor.page_url,
        "entryUrl": visitor.entry_url,
        "referrerUrl": visitor.referrer_url,
        "userAgent": visitor.user_agent,
        "ipAddress": visitor.ip_address,
        "locale": visitor.locale,
        "country": visitor.country,
        "city": visitor.city,
        "javascriptVariables": [{"name": n, "value": v} for n, v in visitor.javascript_variables or []],
    }


def case_view(world: World, case: Case) -> dict[str, Any]:
    """A case as the control API shows it: its state and every entry, system lines included."""
    now = world.clock.now_ms()
    return {
        "caseId": case.case_id,
        "orgId": case.org_id,
        "widgetId": case.widget_id,
        "type": case.kind,
        "sourceId": case.source_id,
        "state": case.state,
        "createdAt": case.created_ms,
        "agentId": AGENT_ID_PREFIX + case.agent_id if case.agent_id else None,
        "acceptedAt": case.accepted_ms,
        "respondedAt": case.responded_ms,
        "closedAt": case.closed_ms,
        "endedBy": case.ended_by,
        "waitSeconds": round(case.wait_ms(now) / 1000),
        "durationSeconds": round(case.duration_ms(now) / 1000),
        "agentTyping": case.agent_typing,
        "visitorTyping": case.visitor_typing,
        "visitorEmail": case.visitor.email,
        "labels": [{"name": n, "value": v} for n, v in case.labels or []],
        "surveyScore": case.survey_score,
        "surveyComment": case.survey_comments,
        "contact": case.contact,
        "visitor": visitor_view(case.visitor),
        "entries": [
            {
                "index": i,
                "sender": e.sender,
                "agentId": AGENT_ID_PREFIX + e.agent_id if e.agent_id else "",
                "alias": e.alias,
                "at": e.at_ms,
                "message": e.message,
                **({"translations": e.translations} if e.translations else {}),
            }
            for i, e in enumerate(case.entries)
        ],
    }


class Cases:
    """GET /__admin/cases?widgetId=&state=: every case, oldest first."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        widget_id, state = req.get_param("widgetId"), req.get_param("state")
        found = [
            case_view(self.world, case)
            for case in self.world.cases.values()
            if (widget_id is None or case.widget_id == widget_id) and (state is None or case.state == state)
        ]
        send_json(resp, {"cases": found})


class CaseDetail:
    """GET /__admin/cases/{case_id}"""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str) -> None:
        send_json(resp, case_view(self.world, self.world.case(case_id)))


CASE_ACTIONS = (
    "accept",
    "messages",
    "typing",
    "transfer",
    "labels",
    "unlabel",
    "close",
    "survey",
    "transcript",
    "capture",
    "ban",
    "request",
    "reclaim",
    "hub-signal",
)


def perform(world: World, case: Case, action: str, body: Any) -> Case:
    """One case action, its body checked against its schema: the one path by which the control API and the
    agent Hub (its agent's clicks and its SDK apps' messages) change a chat."""
    body = checked(f"admin-case-actions#/$defs/{action}", body)
    match action:
        case "accept":
            return world.accept(case, body["agentId"])
        case "messages":
            return world.agent_message(case, body["agentId"], body["text"], body.get("translations"))
        case "typing":
            return world.agent_typing(case, body["agentId"], body["typing"])
        case "transfer":
            return world.transfer(case, agent_id=body.get("agentId"), widget_id=body.get("widgetId"))
        case "labels":
            return world.label(case, body["name"], body["value"])
        case "unlabel":
            return world.unlabel(case, body["name"])
        case "close":
            return world.close(case, body.get("endedBy", "agent"))
        case "survey":
            return world.survey(case, body["score"], body.get("comment"))
        case "transcript":
            return world.request_transcript(case, body["email"])
        case "capture":
            return world.capture(case, body["agentId"], body["field"], body["value"])
        case "ban":
            return world.ban(case, ip=body.get("by") == "IP")
        case "request":
            return world.request_from_visitor(case, body["agentId"], body["what"], body.get("secureDataType"))
        case "reclaim":
            return world.reclaim(case, body["agentId"])
        case "hub-signal":
            return world.hub_signal(case, body["type"], body.get("data"))
    raise ApiError(404, f"no case action {action}")


class CaseAction:
    """POST /__admin/cases/{case_id}/{action}: play the agent's side (or the visitor's end) by hand.

    accept {"agentId"} | messages {"agentId", "text", "translations"} | typing {"agentId", "typing"} |
    transfer {"agentId"} or {"widgetId"} | labels {"name", "value"} | unlabel {"name"} | close {"endedBy"} |
    survey {"score", "comment"} | capture {"agentId", "field", "value"} | ban {"by"} |
    request {"agentId", "what", "secureDataType"} | reclaim {"agentId"} | hub-signal {"type", "data"} |
    transcript {"email"} (the visitor asks for a copy of the transcript)
    """

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str, action: str
    ) -> None:
        if action not in CASE_ACTIONS:
            raise ApiError(404, f"no case action {action}")
        case = self.world.case(case_id)
        send_json(resp, case_view(self.world, perform(self.world, case, action, await json_body(req))))


class WidgetProactive:
    """POST /__admin/widgets/{widget_id}/proactive {"url"?, "message"?}: invite the visitor of a page of the
    widget's site (every page showing the widget when url is left out) to chat; the widget shows the
    invitation and fires OpenProactive."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        raw = await read_body(req)
        body = checked("admin-proactive-request", await json_body(req) if raw.strip() else {})
        send_json(resp, self.world.invite(widget_id, body.get("url"), body.get("message")))


class WidgetSetting:
    """GET / PUT one of a widget's settings, as the world document has it (`definition` of the world schema):
    /__admin/widgets/{widget_id}/integrations (integrationApi, conversationEvents, getContact), or
    .../agent-links ([{url, persistent}]; the Hub opens the persistent ones as Hub SDK apps)."""

    def __init__(self, world: World, attribute: str, definition: str) -> None:
        self.world = world
        self.attribute = attribute
        self.definition = definition

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        send_json(resp, getattr(found_widget(self.world, widget_id)[1], self.attribute))

    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        org, _ = found_widget(self.world, widget_id)
        body = checked(f"world#/$defs/{self.definition}", await json_body(req))
        setter = getattr(self.world, f"set_{self.attribute}")
        send_json(resp, getattr(setter(org, widget_id, body), self.attribute))


class WidgetAgentEntry:
    """PUT / DELETE /__admin/widgets/{widget_id}/agents/{agent_id}: put an agent (a bot, with its webhook and
    tags, or a human) on a widget, as its entry in the world document; or take them off."""

    def __init__(self, world: World) -> None:
        self.world = world

    def _org(self, widget_id: str) -> Organization:
        found = self.world.widget(widget_id)
        if found is None:
            raise ApiError(404, f"no widget {widget_id}")
        return found[0]

    async def on_put(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str, agent_id: str
    ) -> None:
        org = self._org(widget_id)
        body = await json_body(req)
        if isinstance(body, dict):
            body = {"agentId": normalize_agent_id(agent_id), **body}
            if body["agentId"] != normalize_agent_id(agent_id):
                raise ApiError(400, "agentId must be the agent of the URL")
        entry = checked("admin-widget-agent", body)
        member = self.world.put_widget_agent(org, widget_id, entry)
        send_json(resp, agent_to_doc(org, member))

    async def on_delete(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str, agent_id: str
    ) -> None:
        self.world.remove_widget_agent(self._org(widget_id), widget_id, agent_id)
        resp.status = falcon.HTTP_204


class AgentStatusWebhook:
    """GET / PUT / DELETE /__admin/organizations/{org_id}/agent-status-webhook: {url, authToken}."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, org_id: str) -> None:
        webhook = organization(self.world, org_id).agent_status_webhook
        if webhook is None:
            raise ApiError(404, f"organization {org_id} has no agent status webhook")
        send_json(resp, webhook)

    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, org_id: str) -> None:
        org = organization(self.world, org_id)
        body = checked("world#/$defs/agentStatusWebhook", await json_body(req))
        send_json(resp, self.world.set_agent_status_webhook(org, body).agent_status_webhook)

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, org_id: str) -> None:
        self.world.set_agent_status_webhook(organization(self.world, org_id), None)
        resp.status = 204


class Deliveries:
    """GET /__admin/deliveries?kind=&status=&url=<glob>&widgetId=&caseId=: the delivery log, oldest first;
    GET /__admin/deliveries/wait with the same filters and count=N&timeout=S (the suffix "wait")."""

    def __init__(self, engine: DeliveryEngine) -> None:
        self.engine = engine

    def _send(self, resp: falcon.asgi.Response, filters: dict[str, str | None], status: int = 200) -> None:
        found = self.engine.find(**filters)
        send_json(resp, {"deliveries": [delivery.summary() for delivery in found]}, status)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self._send(resp, {name: req.get_param(name) for name in DELIVERY_FILTERS})

    async def on_get_wait(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        filters = {name: req.get_param(name) for name in DELIVERY_FILTERS}
        count, timeout = wait_params(req)
        met = await self.engine.changes.wait_until(lambda: len(self.engine.find(**filters)) >= count, timeout)
        self._send(resp, filters, 200 if met else 408)


class DeliveryDetail:
    """GET /__admin/deliveries/{delivery_id}: payload, headers, and every attempt."""

    def __init__(self, engine: DeliveryEngine) -> None:
        self.engine = engine

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, delivery_id: str) -> None:
        delivery = self.engine.log.get(delivery_id)
        if delivery is None:
            raise ApiError(404, f"no delivery {delivery_id}")
        send_json(resp, delivery.detail())


class Redeliver:
    """POST /__admin/deliveries/{delivery_id}/redeliver: the same request again, as a new delivery."""

    def __init__(self, engine: DeliveryEngine) -> None:
        self.engine = engine

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, delivery_id: str) -> None:
        if delivery_id not in self.engine.log:
            raise ApiError(404, f"no delivery {delivery_id}")
        send_json(resp, self.engine.redeliver(delivery_id).detail(), 201)


class Emails:
    """GET /__admin/emails?kind=&status=&to=<glob>&widgetId=&caseId=: every email written, sent or not, oldest
    first; GET /__admin/emails/wait with the same filters and count=N&timeout=S (the suffix "wait")."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def _send(self, resp: falcon.asgi.Response, filters: dict[str, str | None], status: int = 200) -> None:
        found = self.outbox.find(**filters)
        send_json(resp, {"emails": [email.as_dict() for email in found]}, status)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self._send(resp, {name: req.get_param(name) for name in EMAIL_FILTERS})

    async def on_get_wait(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        filters = {name: req.get_param(name) for name in EMAIL_FILTERS}
        count, timeout = wait_params(req)
        met = await self.outbox.changes.wait_until(lambda: len(self.outbox.find(**filters)) >= count, timeout)
        self._send(resp, filters, 200 if met else 408)


class ViolationList:
    """GET /__admin/violations: outbound payloads that broke their schema (each one a bug of mocksnap's)."""

    def __init__(self, violations: Violations) -> None:
        self.violations = violations

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, {"violations": self.violations.list()})
