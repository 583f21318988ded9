"""The files of static/, served as package data: read once, answered with an ETag so that a page reloaded
during a demo costs a 304."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import falcon
import falcon.asgi

from mocksnap.errors import ApiError

TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


@cache
def asset(name: str) -> bytes:
    """The bytes of static/<name>; KeyError when there is no such file (or the name leaves the folder)."""
    if "/" in name or "\\" in name or name.startswith(".") or not any(name.endswith(t) for t in TYPES):
        raise KeyError(name)
    path = resources.files("mocksnap.web") / "static" / name
    if not path.is_file():
        raise KeyError(name)
    return path.read_bytes()


def send_asset(req: falcon.asgi.Request, resp: falcon.asgi.Response, name: str) -> None:
    """Answer with static/<name> (404 in the family's shape when there is none), or 304 when unchanged."""
    try:
        body = asset(name)
    except KeyError:
        raise ApiError(404, f"no file {name}") from None
    etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
    resp.set_header("ETag", etag)
    resp.set_header("Cache-Control", "no-cache")
    resp.content_type = TYPES[name[name.rindex(".") :]]
    if req.get_header("If-None-Match") == etag:
        resp.status = falcon.HTTP_304
        return
    resp.data = body


class StaticAsset:
    """GET /static/{name}: a file of the browser side."""

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, name: str) -> None:
        send_asset(req, resp, name)
