"""Cross-origin reads for what a web page calls: the widget's script and endpoints (the widget runs on the
integrator's site, another origin than mocksnap) and the Widget Availability API, which the docs call with an
XMLHttpRequest from a page. Any origin may read them, without credentials, as with the vendor's public
endpoints; a preflight (OPTIONS, a JSON body's Content-Type) is answered here, before routing."""

from __future__ import annotations

import falcon
import falcon.asgi

PREFIXES = ("/widget/", "/public/api/v2/chat/", "/js/", "/code.snapengage.com/js/")
METHODS = "GET, POST, OPTIONS"
MAX_AGE = "600"


def _cross_origin(req: falcon.asgi.Request) -> bool:
    return req.path.startswith(PREFIXES)


class CrossOriginMiddleware:
    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        if req.method == "OPTIONS" and _cross_origin(req):
            resp.status = falcon.HTTP_204
            resp.set_header("Access-Control-Allow-Methods", METHODS)
            asked = req.get_header("Access-Control-Request-Headers")
            resp.set_header("Access-Control-Allow-Headers", asked or "Content-Type")
            resp.set_header("Access-Control-Max-Age", MAX_AGE)
            resp.complete = True

    async def process_response(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, resource: object, req_succeeded: bool
    ) -> None:
        if _cross_origin(req):
            resp.set_header("Access-Control-Allow-Origin", "*")
