"""GET /__admin/openapi.json: the OpenAPI document of every endpoint, bundled, its server this one."""

from __future__ import annotations

import json

import falcon.asgi

from mocksnap import openapi
from mocksnap.api.common import JSON


class OpenApiDocument:
    """The document is bundled once; its bytes are made again only when the base URL it names changes."""

    def __init__(self) -> None:
        self._base_url = ""
        self._body = b""

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        if req.prefix != self._base_url or not self._body:
            self._body = json.dumps(openapi.served(req.prefix)).encode()
            self._base_url = req.prefix
        resp.content_type = JSON
        resp.data = self._body
