"""The agent Hub: `GET /hub?agent={agentId}` signs in as that agent of the world (a local tool: no password).

The page (static/hub.html, hub.js) loads the agent's view from GET /__admin/hub/{agentId}, follows the one
live feed, and changes the world only through the control API: its agent's clicks are case actions and
status changes, and its SDK apps' messages go through POST /__admin/hub/{agentId}/messages, which checks them
against hub-sdk-message.schema.json (listing a bad one in /__admin/violations) and then performs the same case
action. What the page posts to its apps comes from GET /__admin/hub/{agentId}/sdk-events (hub_sdk.events_for).
"""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap import schemas
from mocksnap.api.admin import case_view, perform
from mocksnap.api.common import checked, json_body, send_json
from mocksnap.clock import iso
from mocksnap.errors import ApiError
from mocksnap.web.assets import send_asset
from mocksnap.web.hub_sdk import FOR_A_HANDED_ON_CHAT, action_for, events_for
from mocksnap.webhooks.dispatch import Violations
from mocksnap.world import World
from mocksnap.world.agent_side import HUB_SIGNALS, had_chat
from mocksnap.world.base import normalize_agent_id
from mocksnap.world.models import AGENT_ID_PREFIX, Agent, Organization, Widget, WidgetAgent

MAX_EVENTS = 500  # the most world events one sdk-events call reads


def signed_in(world: World, agent_id: str | None) -> tuple[Organization, Agent, list[Widget]]:
    """The organization, status record and widgets of a human agent of the world (404 when there is none)."""
    wanted = normalize_agent_id(agent_id or "")
    for org in world.orgs.values():
        widgets = [
            w for w in org.widgets.values() if any(a.agent_id == wanted and not a.is_bot for a in w.agents)
        ]
        if widgets:
            return org, org.agents[wanted], widgets
    raise ApiError(404, f"no human agent {wanted} in the world")


def _member(widget: Widget, agent_id: str) -> WidgetAgent:
    return next(a for a in widget.agents if a.agent_id == agent_id)


def hub_view(world: World, org: Organization, agent: Agent, widgets: list[Widget]) -> dict[str, Any]:
    """All the Hub shows, derived from the world now; `seq` is where the page follows the live feed from."""
    me = agent.agent_id
    mine = {w.uuid for w in widgets}
    online = agent.status == "online"
    offered, chats, handed_on = [], [], []
    for case in world.open_chats.values():
        if case.agent_id == me:
            chats.append(case_view(world, case))
        elif case.state == "queued" and online and case.widget_id in mine:
            may_take = world.online_agents(org, org.widgets[case.widget_id], case.route)
            if any(a.agent_id == me for a in may_take):
                offered.append(case_view(world, case))
        elif had_chat(case, me):
            handed_on.append(case_view(world, case))
    colleagues = {
        a.agent_id: {
            "agentId": AGENT_ID_PREFIX + a.agent_id,
            "alias": a.alias,
            "status": org.agents[a.agent_id].status,
        }
        for w in widgets
        for a in w.agents
        if a.agent_id != me and not a.is_bot
    }
    return {
        "seq": world.events.last_seq,
        "now": iso(world.clock.now()),
        "orgId": org.org_id,
        "agent": {
            "agentId": AGENT_ID_PREFIX + me,
            "email": me,
            "alias": _member(widgets[0], me).alias,
            "status": agent.status,
            "subStatus": agent.sub_status,
        },
        "widgets": [
            {"widgetId": w.uuid, "name": w.name, "alias": _member(w, me).alias, "agentLinks": w.agent_links}
            for w in widgets
        ],
        "transferWidgets": [{"widgetId": w.uuid, "name": w.name} for w in org.widgets.values()],
        "colleagues": list(colleagues.values()),
        "signals": list(HUB_SIGNALS),
        "offered": offered,
        "chats": chats,
        "handedOn": handed_on,
    }


def _problems(message: Any) -> tuple[str, list[schemas.SchemaError]]:
    """How an app's message breaks hub-sdk-message.schema.json: against its type's definition, or, for no
    known type, the type itself."""
    known = schemas.schema("hub-sdk-message")["$defs"]
    message_type = message.get("type") if isinstance(message, dict) else None
    if isinstance(message_type, str) and message_type in known:
        name = f"hub-sdk-message#/$defs/{message_type}"
        return name, schemas.errors(name, message)
    if not isinstance(message, dict):
        return "hub-sdk-message", [schemas.SchemaError("", "a message must be an object")]
    return "hub-sdk-message", [schemas.SchemaError("/type", "type must be one of: " + ", ".join(known))]


class HubPage:
    """GET /hub?agent={agentId}: the Hub, signed in as that agent."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        signed_in(self.world, req.get_param("agent"))
        send_asset(req, resp, "hub.html")


class HubState:
    """GET /__admin/hub/{agent_id}: what the agent's Hub shows."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, agent_id: str) -> None:
        send_json(resp, hub_view(self.world, *signed_in(self.world, agent_id)))


class HubSdkEvents:
    """GET /__admin/hub/{agent_id}/sdk-events?after=N&upto=M: the Hub SDK events the agent's Hub posts to its
    apps for the world events after N, up to M (at most MAX_EVENTS of them), each with the widget whose
    agent links get it; `upto` is where the next call starts."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, agent_id: str) -> None:
        _, agent, _ = signed_in(self.world, agent_id)
        after = req.get_param_as_int("after", min_value=0, required=True)
        upto = req.get_param_as_int("upto", min_value=0, default=self.world.events.last_seq)
        found, last = [], after
        for event in self.world.events.since(after)[:MAX_EVENTS]:
            if event.seq > upto:
                break
            last = event.seq
            for envelope in events_for(self.world, event, agent.agent_id):
                case = self.world.cases[envelope["conversationId"]]
                found.append({"seq": event.seq, "widgetId": case.widget_id, "event": envelope})
        send_json(resp, {"events": found, "upto": max(last, min(upto, self.world.events.last_seq))})


class HubMessages:
    """POST /__admin/hub/{agent_id}/messages {"message": what an app posted, "link": its URL}: the Hub acts on
    an app's message. One that breaks its schema is listed in /__admin/violations and refused; one about a
    conversation that is not the agent's ongoing one is refused (409); otherwise it is the control API's case
    action, and the answer says what was done (populate_text: the text for the composer)."""

    def __init__(self, world: World, violations: Violations) -> None:
        self.world = world
        self.violations = violations

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, agent_id: str) -> None:
        org, agent, _ = signed_in(self.world, agent_id)
        posted = await json_body(req)
        body = checked("hub-app-message", posted)
        message = posted[
            "message"
        ]  # as the app posted it, nulls included: hub-sdk-message.schema.json judges it
        message_type = message.get("type") if isinstance(message, dict) else None
        schema_name, problems = _problems(message)
        if problems:
            at = iso(self.world.clock.now())
            self.violations.add(
                at, f"hub app message from {body['link']}", schema_name, problems, message, ours=False
            )
            raise ApiError(400, f"the app's message breaks {schema_name}: {problems[0].message}")
        me = agent.agent_id
        if normalize_agent_id(message["agent"]) != me:
            raise ApiError(400, f"agent {message['agent']} is not the agent signed in to this Hub ({me})")
        case = self.world.cases.get(message["conversationId"])
        if case is None or case.org_id != org.org_id:
            raise ApiError(404, f"no conversation {message['conversationId']}")
        ongoing = case.kind == "chat" and case.state != "closed"
        if not ongoing or (case.agent_id != me and message_type not in FOR_A_HANDED_ON_CHAT):
            raise ApiError(409, f"conversation {case.case_id} is not an ongoing conversation of {me}")
        action = action_for(message, me)
        result: dict[str, Any] = {"type": message_type, "conversationId": case.case_id}
        if action is None:
            result["populate"] = message["data"]["message"]
        else:
            perform(self.world, case, *action)
            result["action"] = action[0]
        send_json(resp, result)
