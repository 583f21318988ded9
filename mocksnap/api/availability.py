"""Is chat online for a widget: the public Widget Availability API and the Visitor Chat API's check."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import falcon.asgi

from mocksnap.api.common import JSON, CrossOrigin, allow_any_origin
from mocksnap.errors import ApiError, EmptyNotFound, PublicApiError
from mocksnap.world import World
from mocksnap.world.models import Organization, Widget

# The Widget Availability sample answers statusCode 1 on success.
PUBLIC_OK = 1


def _flag(value: bool) -> str:
    return "true" if value else "false"


def availability_view(
    widget_id: str, online: bool, email: bool, message: bool, screenshot: bool
) -> dict[str, Any]:
    """The flags are strings holding "true" / "false", as the samples show and mobile SDKs decode them."""
    return {
        "widgetId": widget_id,
        "online": _flag(online),
        "emailRequired": _flag(email),
        "messageRequired": _flag(message),
        "screenshotRequired": _flag(screenshot),
    }


class _Bodies:
    """Each distinct answer serialized once: availability is polled far more often than it changes."""

    def __init__(self, world: World, wrap: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        self.world = world
        self.wrap = wrap
        self._cache: dict[tuple[str, bool, bool, bool, bool], bytes] = {}

    def __call__(self, org: Organization, widget: Widget) -> bytes:
        key = (
            widget.uuid,
            self.world.is_online(org, widget),
            widget.email_required,
            widget.message_required,
            widget.screenshot_required,
        )
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = json.dumps(self.wrap(availability_view(*key))).encode()
        return body


def _send(resp: falcon.asgi.Response, body: bytes) -> None:
    resp.content_type = JSON
    resp.data = body


class PublicAvailability(CrossOrigin):
    """GET /public/api/v2/chat/{widget_id}, which any page may call"""

    def __init__(self, world: World) -> None:
        self.world = world
        self.body = _Bodies(world, lambda view: {"statusCode": PUBLIC_OK, "data": view})

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        allow_any_origin(resp)
        found = self.world.widget(widget_id)
        if found is None:
            raise PublicApiError(404, "Widget not found")
        _send(resp, self.body(*found))


class VisitorAvailability:
    """GET /api/v1/chat/{widget_id} with the organization's x-api-key."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.body = _Bodies(world, lambda view: view)

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        org = self.world.org_by_visitor_key(req.get_header("x-api-key"))
        if org is None:
            raise ApiError(401, "Unauthorized - Invalid or no header x-api-key set")
        found = self.world.widget(widget_id)
        if found is None or found[0] is not org:
            raise EmptyNotFound("Widget not found")
        _send(resp, self.body(*found))
