"""mocksnap's own pages around the widget: `/mobile/{widgetId}`, the Mobile SDK's host page, for an app's
web view; `/demo/{widgetId}`, a sample shop with the documented snippet. Templates in templates/ (package
data) with `{{name}}` slots, filled with escaped values: no request puts anything unescaped in a page."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import falcon
import falcon.asgi

from mocksnap.errors import ApiError
from mocksnap.world import World
from mocksnap.world.models import Widget

SCRIPT_PATH = "/code.snapengage.com/js"  # where the documented snippet's script is, with its host changed
PROVIDER = "SnapEngage"  # the SDKs' `provider`
IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
SLOT = re.compile(r"\{\{(\w+)\}\}")


@cache
def template(name: str) -> str:
    return (resources.files("mocksnap.web") / "templates" / name).read_text(encoding="utf-8")


def render(name: str, **values: str) -> bytes:
    """The template with each {{slot}} replaced by its value (the caller escapes for where the slot is)."""
    return SLOT.sub(lambda m: values[m[1]], template(name)).encode()


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no `</script>`, no `<!--`."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def custom_variable(text: str) -> Any:
    """A query parameter's value as the SDKs write a custom variable: a number or a boolean as it is, anything
    else a string."""
    if text in ("true", "false"):
        return text == "true"
    try:
        number = json.loads(text)
    except ValueError:
        return text
    return number if isinstance(number, int | float) and not isinstance(number, bool) else text


def _widget(world: World, widget_id: str) -> Widget:
    found = world.widget(widget_id)
    if found is None:
        raise ApiError(404, f"no widget {widget_id}")
    return found[1]


def _page(resp: falcon.asgi.Response, body: bytes) -> None:
    resp.content_type = "text/html; charset=utf-8"
    resp.set_header("Cache-Control", "no-cache")
    resp.data = body


class MobilePage:
    """GET /mobile/{widget_id}?name=value...: the page an app's ChatView shows, the query's parameters being
    the app's custom variables (JavaScript globals of the page, as the SDKs declare them)."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        widget = _widget(self.world, widget_id)
        variables = {}
        for name, value in req.params.items():
            if not IDENTIFIER.match(name):
                raise ApiError(400, f"custom variable {name!r} is not a JavaScript identifier")
            if isinstance(value, list):
                raise ApiError(400, f"custom variable {name} is given more than once")
            variables[name] = custom_variable(value)
        config = {
            "provider": PROVIDER,
            "jsUrl": f"{SCRIPT_PATH}/{widget.uuid}.js",
            "customVariables": variables,
        }
        _page(resp, render("mobile.html", config=script_json(config)))


class DemoPage:
    """GET /demo/{widget_id}: a sample shop page with the documented snippet, its host changed to mocksnap's
    (the one the page was asked of)."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, widget_id: str) -> None:
        widget = _widget(self.world, widget_id)
        if not HOST.match(req.netloc):
            raise ApiError(400, "the Host header is not a host name or address with a port")
        body = render(
            "demo.html",
            host=req.netloc,
            widgetId=html.escape(widget.uuid),
            widgetName=html.escape(widget.name or "unnamed"),
        )
        _page(resp, body)
