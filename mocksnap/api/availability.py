"""Is chat online for a widget: the public Widget Availability API and the Visitor Chat API's check."""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap.api.common import send_json
from mocksnap.errors import ApiError, EmptyNotFound, PublicApiError
from mocksnap.world import World
from mocksnap.world.models import Organization, Widget

# The Widget Availability sample answers statusCode 1 on success.
PUBLIC_OK = 1


def _flag(value: bool) -> str:
    return "true" if value else "false"


def availability_view(world: World, org: Organization, widget: Widget) -> dict[str, Any]:
    """The flags are strings holding "true" / "false", as the samples show and mobile SDKs decode them."""
    return {
        "widgetId": widget.uuid,
        "online": _flag(world.is_online(org, widget)),
        "emailRequired": _flag(widget.email_required),
        "messageRequired": _flag(widget.message_required),
        "screenshotRequired": _flag(widget.screenshot_required),
    }


class PublicAvailability:
    """GET /public/api/v2/chat/{widget_id}"""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        found = self.world.widget(widget_id)
        if found is None:
            raise PublicApiError(404, "Widget not found")
        send_json(resp, {"statusCode": PUBLIC_OK, "data": availability_view(self.world, *found)})


class VisitorAvailability:
    """GET /api/v1/chat/{widget_id} with the organization's x-api-key."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        org = self.world.org_by_visitor_key(req.get_header("x-api-key"))
        if org is None:
            raise ApiError(401, "Unauthorized - Invalid or no header x-api-key set")
        found = self.world.widget(widget_id)
        if found is None or found[0] is not org:
            raise EmptyNotFound("Widget not found")
        send_json(resp, availability_view(self.world, *found))
