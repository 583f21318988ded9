"""Visitor Chat API: start a chat (POST /api/v1/chat), send a message or end it (PUT /api/v1/chat), poll for
what the agent said (GET /api/v1/chat/poll/{caseId}). Authenticated by the organization's x-api-key."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import falcon.asgi

from mocksnap.api.common import checked, read_body, send_json
from mocksnap.errors import ApiError
from mocksnap.world import World
from mocksnap.world.models import Case, Entry, Organization, Visitor

FORM = "application/x-www-form-urlencoded"


def visitor_org(world: World, req: falcon.asgi.Request) -> Organization:
    org = world.org_by_visitor_key(req.get_header("x-api-key"))
    if org is None:
        raise ApiError(401, "Unauthorized - Invalid or no header x-api-key set")
    return org


def _body_kind(content_type: str | None, raw: bytes) -> str | None:
    """What a body that is not a form is, when it is one a client may mean as the parameters: JSON (by its
    Content-Type, or by its look when it has none) or multipart."""
    media = (content_type or "").split(";")[0].strip().lower()
    if (
        media == "application/json"
        or media.endswith("+json")
        or (not media and raw.lstrip()[:1] in (b"{", b"["))
    ):
        return "JSON"
    if media.startswith("multipart/"):
        return "multipart"
    return None


async def parameters(req: falcon.asgi.Request) -> dict[str, str]:
    """The query string's parameters, and a form body's, which win: the docs' curl sends them in the URL
    with a form Content-Type, and form clients send them in the body. A JSON or multipart body is refused
    rather than ignored, so that a client that sends one learns where the parameters go."""
    found = dict(parse_qsl(req.query_string, keep_blank_values=True))
    raw = await read_body(req)
    kind = _body_kind(req.content_type, raw) if raw.strip() else None
    if kind is not None:
        raise ApiError(
            400,
            f"the parameters of the Visitor Chat API go in the query string or in a form body "
            f"({FORM}), not in a {kind} body",
        )
    if raw and FORM in (req.content_type or FORM):
        try:
            found.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError:
            raise ApiError(400, "the form body is not UTF-8") from None
    return found


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").strip().lower()
    if value not in ("true", "false", ""):
        raise ApiError(400, f'{name} must be "true" or "false"')
    return value == "true"


def _poll_line(index: int, entry: Entry) -> dict[str, Any]:
    line = {
        "index": index,
        "type": "system" if entry.sender == "SYSTEM" else "agent",
        "author": entry.alias,
        "text": entry.message + " ",
    }
    if entry.attachment:  # a bot's buttons or cards, which the vendor's docs do not show on the wire
        line.update(entry.attachment)
    return line


def poll_view(case: Case, index: int) -> dict[str, Any]:
    """What the visitor has not seen yet: agent, bot and system lines from `index` on (not their own lines,
    nor the agent's notes), each text with the trailing space the vendor's sample shows."""
    return {
        "caseId": case.case_id,
        "messageList": [
            _poll_line(i, entry)
            for i, entry in enumerate(case.entries[index:], start=index)
            if entry.sender in ("AGENT", "BOT", "SYSTEM")
        ],
        "agentTyping": case.agent_typing,
    }


class Chats:
    """POST and PUT /api/v1/chat"""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = visitor_org(self.world, req)
        params = checked("visitor-chat-start-request", await parameters(req))
        visitor = Visitor(
            email=params.get("email", "").strip().lower() or None,
            phone=params.get("phone") or None,
            user_agent=params.get("userAgent") or req.user_agent,
            locale=params.get("locale") or None,
            app_version_name=params.get("appVersionName") or None,
            ip_address=req.remote_addr,
            hmac=params.get("hmac") or None,
        )
        case = self.world.start_case(
            org,
            params["widgetId"],
            visitor,
            params.get("visitorMessage") or None,
            offline=_flag(params, "isOffline"),
        )
        send_json(resp, {"caseId": case.case_id, "widgetId": case.widget_id})

    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = visitor_org(self.world, req)
        params = checked("visitor-chat-send-request", await parameters(req))
        case = self.world.case(params["caseId"], org)
        body = params.get("messageBody", "")
        if params["messageType"] == "1":
            self.world.visitor_message(case, body, params.get("displayResponseId"))
        else:
            self.world.visitor_leaves(case, body)
        send_json(resp, {"caseId": case.case_id, "messageBody": body, "messageType": params["messageType"]})


class Poll:
    """GET /api/v1/chat/poll/{case_id}?index=&isTyping="""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str) -> None:
        org = visitor_org(self.world, req)
        params = checked(
            "visitor-chat-poll-request", dict(parse_qsl(req.query_string, keep_blank_values=True))
        )
        case = self.world.case(case_id, org)
        if "isTyping" in params:
            self.world.visitor_typing(case, _flag(params, "isTyping"))
        send_json(resp, poll_view(case, int(params.get("index") or 0)))
