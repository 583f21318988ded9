"""Files visitors share in a chat: the widget uploads them, and their links are served by the rule of the
Integration API article ("Additional information"): only over https, only with the `orgId` parameter of the
case's organization, only with that organization's API token as the `Authorization` header."""

from __future__ import annotations

import io
from urllib.parse import quote, urlsplit

import falcon
import falcon.asgi
from falcon.media.multipart import MultipartFormHandler, MultipartParseOptions

from mocksnap.api.common import CrossOrigin, allow_any_origin, read_body, send_json
from mocksnap.errors import ApiError
from mocksnap.world import World
from mocksnap.world.files import MAX_FILE_BYTES

FIELD = "file"


def _multipart() -> MultipartFormHandler:
    options = MultipartParseOptions()
    options.max_body_part_buffer_size = MAX_FILE_BYTES + 1  # one byte more: too big is then seen, and a 413
    options.max_body_part_count = 16
    return MultipartFormHandler(options)


MULTIPART = _multipart()


async def _uploaded(req: falcon.asgi.Request) -> tuple[str, str | None, bytes]:
    """The name, type and bytes of the request's `file` part."""
    if not (req.content_type or "").lower().startswith("multipart/form-data"):
        raise ApiError(415, f"send the file as multipart/form-data, in the field {FIELD!r}")
    raw = await read_body(req)
    try:
        form = MULTIPART.deserialize(io.BytesIO(raw), req.content_type, len(raw))
        for part in form:
            if part.name == FIELD:
                data = part.data
                if len(data) > MAX_FILE_BYTES:
                    raise ApiError(413, f"a file must be at most {MAX_FILE_BYTES} bytes")
                # A part without a file name (curl -F 'file=<x', a script's FormData of a string) is "file".
                return part.filename or FIELD, part.content_type, data
    except falcon.HTTPError as error:
        if error.status_code == 413:
            raise ApiError(413, f"a file must be at most {MAX_FILE_BYTES} bytes") from None
        raise ApiError(400, f"the multipart body is malformed: {error.description or error.title}") from None
    raise ApiError(400, f"the form has no field {FIELD!r}")


class Upload(CrossOrigin):
    """POST /widget/chats/{case_id}/files: the visitor of an open chat shares a file (multipart field `file`);
    the answer is `{"url", "name", "size"}`. Called by the widget from the integrator's page, so from any
    origin, as every path of the widget; the case id, which only the visitor's page holds,
    names the chat."""

    def __init__(self, world: World, public_url: str | None = None) -> None:
        self.world = world
        self.public_url = public_url

    def _link_base(self, req: falcon.asgi.Request) -> str:
        """Links are https (files are served over https only) on mocksnap's public address (--public-url),
        or on the host the widget reached mocksnap at."""
        if self.public_url:
            parts = urlsplit(self.public_url)
            return f"https://{parts.netloc}{parts.path}"
        return f"https://{req.netloc}"

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, case_id: str) -> None:
        allow_any_origin(resp)
        name, content_type, data = await _uploaded(req)
        case = self.world.case(case_id)
        shared = self.world.visitor_file(case, name, content_type, data, self._link_base(req))
        send_json(resp, {"url": shared.url, "name": shared.name, "size": len(shared.data)}, status=201)


class Download:
    """GET /files/{file_id}/{name}?orgId=...: a shared file, to its organization only.

    Over plain http, or with an orgId that is not the token's organization's: 403. Without a valid API token:
    401. A file of another organization is a 404, as one that does not exist: nothing tells another
    organization that it does."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, file_id: str, name: str
    ) -> None:
        if req.scheme != "https":
            raise ApiError(403, "files are served over https only")
        org = self.world.org_by_api_token(req.get_header("Authorization"))
        if org is None:
            raise ApiError(401, "Unauthorized - Invalid API token")
        if req.get_param("orgId") != org.org_id:
            raise ApiError(403, "orgId must be the Organization ID of the API token")
        shared = self.world.shared_file(file_id)
        if shared is None or shared.org_id != org.org_id or shared.name != name:
            raise ApiError(404, f"no file {file_id}")
        resp.content_type = shared.content_type
        fallback = shared.name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
        resp.set_header(
            "Content-Disposition",
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(shared.name)}",
        )
        # What a visitor uploaded is never run as a page of mocksnap's origin.
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Content-Security-Policy", "sandbox")
        resp.set_header("Cache-Control", "private, no-store")
        resp.data = shared.data
