"""The chat widget: its script (the JavaScript API) and the endpoints that script talks to.

The real widget speaks a private protocol to the vendor; this one speaks its own: thin resources over
the same world commands as every API, so a chat started on a page is the same case everywhere (Integration
API, conversation events, bots, Get Contact, Logs). The page follows the live feed (`GET /live?widget=`) and
reloads a chat's view (`GET /widget/chats/{caseId}`) when an event says it changed.

Anyone who knows a caseId may act as its visitor: the id is a random UUID only the visitor's page is given.
"""

from __future__ import annotations

import json
from typing import Any

import falcon.asgi

from mocksnap.api.common import CrossOrigin, allow_any_origin, checked, json_body, send_json
from mocksnap.errors import ApiError
from mocksnap.web.assets import asset
from mocksnap.world import World
from mocksnap.world.chats import PROACTIVE_MESSAGE
from mocksnap.world.models import Case, Entry, Visitor

SCRIPT = ("live.js", "widget.js")  # followLive, then the widget that uses it, in one script
STAR_SCALE = 5  # the rating prompt's stars; a survey score is stars * 100 / STAR_SCALE
LINE_TYPES = {"VISITOR": "visitor", "AGENT": "agent", "BOT": "bot", "SYSTEM": "system"}


def base_url(req: falcon.asgi.Request) -> str:
    """Where the page reaches mocksnap: the scheme and host the script was asked from."""
    return req.prefix


def script_body(widget_id: str, base: str) -> bytes:
    """The widget's script for one widget: its settings, then the static files, inside one function so that
    nothing but SnapEngage, SnapABug and SnapEngageChat reaches the page's globals."""
    boot = json.dumps({"widgetId": widget_id, "base": base})
    parts = [f"(function () {{\nvar MOCKSNAP_WIDGET = {boot};\n".encode()]
    parts += [asset(name) for name in SCRIPT]
    parts.append(b"\n})();\n")
    return b"".join(parts)


class WidgetScript:
    """GET /js/{widget_id}.js and /code.snapengage.com/js/{widget_id}.js: the documented snippet's script,
    with only its host changed."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        allow_any_origin(resp)
        if self.world.widget(widget_id) is None:
            raise ApiError(404, f"no widget {widget_id}")
        resp.content_type = "text/javascript; charset=utf-8"
        resp.set_header("Cache-Control", "no-cache")
        resp.data = script_body(widget_id, base_url(req))


def settings_view(world: World, widget_id: str) -> dict[str, Any]:
    found = world.widget(widget_id)
    if found is None:
        raise ApiError(404, f"no widget {widget_id}")
    org, widget = found
    agent = next((a for a in world.online_agents(org, widget) if not a.is_bot), None)
    return {
        "widgetId": widget.uuid,
        "name": widget.name or "",
        "online": world.is_online(org, widget),
        "emailRequired": widget.email_required,
        "messageRequired": widget.message_required,
        "proactiveChat": widget.enable_proactive_chat == "true",
        "proactiveAgent": agent.alias if agent else None,
        "proactiveMessage": PROACTIVE_MESSAGE,
        "widgets": [{"widgetId": w.uuid, "name": w.name or ""} for w in org.widgets.values()],
        "seq": world.events.last_seq,
    }


def _line(index: int, entry: Entry, visitor: Visitor) -> dict[str, Any]:
    line = {
        "index": index,
        "type": LINE_TYPES[entry.sender],
        "alias": visitor.name or "" if entry.sender == "VISITOR" else entry.alias,
        "text": entry.message,
        "at": entry.at_ms,
    }
    if entry.attachment:
        line.update(entry.attachment)
    return line


def chat_view(world: World, case: Case) -> dict[str, Any]:
    """What the visitor's chat box shows: every line but the agent's notes, and the chat's state."""
    _, widget = world.orgs[case.org_id], world.orgs[case.org_id].widgets[case.widget_id]
    alias = next((a.alias for a in widget.agents if a.agent_id == case.agent_id), None)
    return {
        "caseId": case.case_id,
        "widgetId": case.widget_id,
        "kind": case.kind,
        "state": case.state,
        "proactiveMessage": case.proactive_message,
        "agentAlias": alias,
        "agentIsBot": any(a.agent_id == case.agent_id and a.is_bot for a in widget.agents),
        "agentTyping": case.agent_typing,
        "endedBy": case.ended_by,
        "surveyScore": case.survey_score,
        "lines": [
            _line(i, entry, case.visitor) for i, entry in enumerate(case.entries) if entry.sender != "NOTE"
        ],
        "seq": world.events.last_seq,
    }


class WidgetSettings(CrossOrigin):
    """GET /widget/{widget_id}/settings: what the widget needs to show itself, and where the feed starts."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        allow_any_origin(resp)
        send_json(resp, settings_view(self.world, widget_id))


def _visitor(req: falcon.asgi.Request, body: dict[str, Any]) -> Visitor:
    fields = body.get("customFields") or []
    return Visitor(
        email=(body.get("email") or "").strip().lower() or None,
        name=body.get("name") or None,
        phone=body.get("phone") or None,
        user_agent=req.user_agent,
        locale=body.get("locale") or None,
        ip_address=req.remote_addr,
        page_url=body.get("pageUrl") or None,
        entry_url=body.get("entryUrl") or body.get("pageUrl") or None,
        referrer_url=body.get("referrerUrl") or None,
        javascript_variables=[(f["name"], f["value"]) for f in fields] or None,
    )


class WidgetChats(CrossOrigin):
    """POST /widget/{widget_id}/chats: the visitor starts a chat, or leaves an offline message."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        allow_any_origin(resp)
        body = checked("widget-chat-start-request", await json_body(req))
        found = self.world.widget(widget_id)
        if found is None:
            raise ApiError(404, f"no widget {widget_id}")
        case = self.world.start_case(
            found[0],
            widget_id,
            _visitor(req, body),
            body.get("message") or None,
            offline=body.get("offline", False),
            proactive_message=body.get("proactiveMessage") or None,
        )
        send_json(resp, chat_view(self.world, case))


class WidgetChat(CrossOrigin):
    """GET /widget/chats/{case_id}: the chat as the visitor's chat box shows it."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str) -> None:
        allow_any_origin(resp)
        send_json(resp, chat_view(self.world, self.world.case(case_id)))


# What the visitor does in a chat: POST /widget/chats/{caseId}/{action}, each body checked against its
# definition in widget-chat-actions (`end` has none).
CHAT_ACTIONS = ("messages", "notes", "typing", "page", "end", "survey")


class ChatAction(CrossOrigin):
    """POST /widget/chats/{case_id}/{action}: messages {text, responseId?} (responseId: a bot's button
    clicked), notes {text} (for the agent only), typing {typing}, page {url}, end, survey {stars, comment?};
    the answer is the chat's view after it."""

    def __init__(self, world: World, action: str) -> None:
        self.world = world
        self.action = action

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str) -> None:
        allow_any_origin(resp)
        world, case = self.world, self.world.case(case_id)
        if self.action == "end":
            world.close(case, "visitor")
        else:
            body = checked(f"widget-chat-actions#/$defs/{self.action}", await json_body(req))
            match self.action:
                case "messages":
                    world.visitor_message(case, body["text"], body.get("responseId"))
                case "notes":
                    world.site_note(case, body["text"])
                case "typing":
                    world.visitor_typing(case, body["typing"])
                case "page":
                    world.visitor_page(case, body["url"])
                case "survey":
                    world.survey(case, body["stars"] * 100 // STAR_SCALE, body.get("comment"))
        send_json(resp, chat_view(world, case))
