"""The application factory: one world, the resources of every API family over it, the error handlers."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import falcon
import falcon.asgi

from mocksnap import errors
from mocksnap.api import admin, availability, provisioning
from mocksnap.clock import Clock, RealClock
from mocksnap.config import Config
from mocksnap.world import World
from mocksnap.world import document as world_document
from mocksnap.world.errors import Invalid, NotFound, WorldError

log = logging.getLogger("mocksnap")


def default_world_path() -> str:
    return str(resources.files("mocksnap.data.fixtures") / "default.yaml")


def load_world(config: Config, clock: Clock | None = None) -> World:
    """The world of config.world, or the bundled default world (raises DocumentError when invalid)."""
    path = config.world or Path(default_world_path())
    return World(world_document.read(path), clock or RealClock(), seed=config.seed)


def _render(resp: falcon.asgi.Response, error: errors.ApiError) -> None:
    resp.status = error.http_status
    body = error.body()
    resp.data = body
    resp.content_type = "application/json" if body else None


async def _api_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: errors.ApiError, params: dict
) -> None:
    _render(resp, ex)


async def _world_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: WorldError, params: dict
) -> None:
    status = 404 if isinstance(ex, NotFound) else 400 if isinstance(ex, Invalid) else 500
    _render(resp, errors.for_path(req.path, status, ex.message))


async def _http_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: falcon.HTTPError, params: dict
) -> None:
    _render(resp, errors.for_path(req.path, ex.status_code, ex.description))
    for name, value in (ex.headers or {}).items():
        resp.set_header(name, value)


async def _unexpected(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: Exception, params: dict
) -> None:
    log.exception("unexpected error on %s %s", req.method, req.path)
    _render(resp, errors.for_path(req.path, 500, "Internal Server Error"))


def create_app(config: Config | None = None, world: World | None = None) -> falcon.asgi.App:
    config = config or Config()
    world = world or load_world(config)
    app = falcon.asgi.App()
    app.req_options.strip_url_path_trailing_slash = True
    # Every body sets its own type; an empty one (the Visitor Chat 404, a DELETE) then goes without.
    app.resp_options.default_media_type = None

    app.add_route("/api/v1/user.json", provisioning.Users(world))
    app.add_route("/api/v1/widget.json", provisioning.Widgets(world))
    app.add_route("/public/api/v2/chat/{widget_id}", availability.PublicAvailability(world))
    app.add_route("/api/v1/chat/{widget_id}", availability.VisitorAvailability(world))

    app.add_route("/__admin/health", admin.Health(world))
    app.add_route("/__admin/reset", admin.Reset(world))
    app.add_route("/__admin/world", admin.WorldDocument(world))
    app.add_route("/__admin/events", admin.Events(world))

    app.add_error_handler(Exception, _unexpected)
    app.add_error_handler(falcon.HTTPError, _http_error)
    app.add_error_handler(WorldError, _world_error)
    app.add_error_handler(errors.ApiError, _api_error)
    return app


def get_app() -> falcon.asgi.App:
    """For `gunicorn -k asgi 'mocksnap.app:get_app()'`: settings from MOCKSNAP_* variables."""
    return create_app(Config.from_env())
