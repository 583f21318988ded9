"""The control API under /__admin: health, reset, the world document, the event log."""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap import __version__
from mocksnap.api.common import read_body, send_json
from mocksnap.errors import ApiError
from mocksnap.world import DocumentError, World
from mocksnap.world import document as world_document

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def health_view(world: World) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": __version__,
        "time": world.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "organizations": len(world.orgs),
        "widgets": sum(len(org.widgets) for org in world.orgs.values()),
    }


def _wants_yaml(req: falcon.asgi.Request) -> bool:
    return req.get_param("format") == "yaml" or any(t in (req.accept or "") for t in YAML_TYPES)


class Health:
    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, health_view(self.world))


class Reset:
    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self.world.reset()
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
            self.world.replace(world_document.parse(raw.decode("utf-8", "replace"), json_only=not yaml_body))
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
