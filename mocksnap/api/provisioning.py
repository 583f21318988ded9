"""Provisioning API: users (/api/v1/user.json) and widgets (/api/v1/widget.json), keyed by ?api_key=."""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap.api.common import checked, json_body, required_param, send_json
from mocksnap.errors import ApiError
from mocksnap.world import World
from mocksnap.world.document import schedule_from_doc
from mocksnap.world.models import AGENT_ID_PREFIX, Organization, User, Widget, WidgetAgent


def user_view(user: User) -> dict[str, Any]:
    view = {"email": user.email, "name": user.name, "phone": user.phone, "accountType": user.account_type}
    return {key: value for key, value in view.items() if value is not None}


def widget_view(widget: Widget, *, with_conversations: bool) -> dict[str, Any]:
    """The widget as the samples show it; the GET sample has no enableConversations, PUT and POST do."""
    view: dict[str, Any] = {
        "name": widget.name,
        "email": widget.owner_email,
        "destinationEmail": widget.destination_email,
        "uuid": widget.uuid,
        "agents": [
            {
                "agentId": AGENT_ID_PREFIX + a.agent_id,
                "agentAlias": a.alias,
                "agentAvatar": a.avatar,
                "agentType": a.agent_type,
            }
            for a in widget.agents
            if not a.is_bot  # bots are set up outside the Provisioning API, which has no agentType for them
        ],
        "enableProactiveChat": widget.enable_proactive_chat,
    }
    if with_conversations:
        view["enableConversations"] = widget.enable_conversations
    return {key: value for key, value in view.items() if value is not None}


class _Provisioning:
    def __init__(self, world: World) -> None:
        self.world = world

    def org(self, req: falcon.asgi.Request) -> Organization:
        org = self.world.org_by_provisioning_key(req.get_param("api_key"))
        if org is None:
            raise ApiError(401, "Unauthorized - invalid or missing api_key")
        return org


class Users(_Provisioning):
    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        body = checked("provisioning-user-create-request", await json_body(req))
        user = self.world.create_user(
            org,
            email=body["email"],
            name=body["name"],
            password=body["password"],
            account_type=body.get("accountType"),
            phone=body.get("phone"),
            template_id=body.get("templateId"),
        )
        send_json(resp, user_view(user), 201)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        send_json(resp, user_view(self.world.user(org, required_param(req, "email"))))

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        body = checked("provisioning-user-update-request", await json_body(req))
        user = self.world.update_user(
            org,
            email=body["email"],
            name=body["name"],
            account_type=body.get("accountType"),
            password=body.get("password"),
            phone=body.get("phone"),
        )
        send_json(resp, user_view(user))

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        if req.get_param("uuid") is not None:
            # The docs print the widget DELETE as /api/v1/user.json; answering it by deleting the user
            # would hide that mistake until production, so it is refused with a pointer to the fix.
            raise ApiError(400, "uuid is not a parameter of users; delete widgets at /api/v1/widget.json")
        self.world.delete_user(org, required_param(req, "email"))
        resp.status = 200


def _widget_settings(body: dict[str, Any]) -> dict[str, Any]:
    """The optional settings present in a request, by their Python names; deprecated fields are dropped."""
    settings: dict[str, Any] = {}
    if "name" in body:
        settings["name"] = body["name"]
    if "destinationEmail" in body:
        settings["destination_email"] = body["destinationEmail"]
    if "enableProactiveChat" in body:
        settings["enable_proactive_chat"] = str(body["enableProactiveChat"]).lower()
    if "enableConversations" in body:
        settings["enable_conversations"] = body["enableConversations"]
    if "conversationSchedule" in body:
        settings["conversation_schedule"] = schedule_from_doc(body["conversationSchedule"])
    return settings


def _agents(body: dict[str, Any]) -> list[WidgetAgent]:
    return [
        WidgetAgent(a["agentId"], a["agentAlias"], a["agentAvatar"], a["agentType"]) for a in body["agents"]
    ]


class Widgets(_Provisioning):
    async def on_put(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        body = checked("provisioning-widget-create-request", await json_body(req))
        widget = self.world.create_widget(
            org, owner_email=body["email"], agents=_agents(body), **_widget_settings(body)
        )
        send_json(resp, widget_view(widget, with_conversations=True), 201)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        widget = self.world.owned_widget(org, required_param(req, "uuid"), required_param(req, "email"))
        send_json(resp, widget_view(widget, with_conversations=False))

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        body = checked("provisioning-widget-update-request", await json_body(req))
        widget = self.world.update_widget(
            org, body["uuid"], owner_email=body["email"], agents=_agents(body), **_widget_settings(body)
        )
        send_json(resp, widget_view(widget, with_conversations=True))

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.org(req)
        self.world.delete_widget(org, required_param(req, "uuid"), required_param(req, "email"))
        resp.status = 200
