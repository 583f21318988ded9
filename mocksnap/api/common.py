"""What every resource needs: reading a JSON body, checking it against its schema, sending JSON, answering
other origins."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import falcon
import falcon.asgi

from mocksnap import schemas
from mocksnap.errors import ApiError

JSON = "application/json"
MAX_BODY = 4 * 1024 * 1024


async def read_body(req: falcon.asgi.Request) -> bytes:
    """The raw body, read once per request and kept on the request for the journal."""
    cached = getattr(req.context, "body", None)
    if cached is not None:
        return cached
    if req.content_length and req.content_length > MAX_BODY:
        raise ApiError(413, f"the request body must be at most {MAX_BODY} bytes")
    raw = await _read_chunks(req, getattr(req.context, "body_timeout", None))
    if req.content_length is not None and len(raw) < req.content_length:
        # The client went away mid-body (the server ends the stream early): never act on a part of it.
        raise ApiError(400, f"the request body ended after {len(raw)} of its {req.content_length} bytes")
    req.context.body = raw
    return raw


async def _read_chunks(req: falcon.asgi.Request, idle: float | None) -> bytes:
    """The body as it arrives, refused once it is over MAX_BODY, or once it stops arriving for `idle`
    seconds (a client that stalls mid-body would otherwise hold its request open for ever)."""
    parts: list[bytes] = []
    size = 0
    chunks = aiter(req.bounded_stream)
    while True:
        try:
            async with asyncio.timeout(idle):
                chunk = await anext(chunks)
        except StopAsyncIteration:
            return b"".join(parts)
        except TimeoutError:
            message = f"the request body stopped arriving for {idle:g} s, after {size} bytes"
            raise ApiError(408, message) from None
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, f"the request body must be at most {MAX_BODY} bytes")
        parts.append(chunk)


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # Python reads NaN and Infinity; JSON has neither


def _number(token: str) -> int | float:
    """A JSON number with a fraction or an exponent: an int when it is a whole number (438.0, 4.38e2), as
    JSON Schema's `integer` reads it, so that what passes as an integer is one (a status, a count)."""
    value = float(token)
    return int(value) if value.is_integer() else value


async def json_body(req: falcon.asgi.Request) -> Any:
    """The body as JSON, whatever the Content-Type says: the vendor's own Python samples send none."""
    raw = await read_body(req)
    if not raw.strip():
        raise ApiError(400, "the request body is empty; a JSON object is expected")
    try:
        return json.loads(raw, parse_float=_number, parse_constant=_not_json)
    except ValueError:
        raise ApiError(400, "the request body is not valid JSON") from None
    except RecursionError:
        raise ApiError(400, "the request body is nested too deeply") from None


def checked(schema_name: str, document: Any) -> dict[str, Any]:
    """The document, if it holds to its request schema, without its null members (an optional field sent as
    null is absent, as the schema says); otherwise a 400 whose message names the field."""
    problem = schemas.first_error(schema_name, document)
    if problem is not None:
        raise ApiError(400, problem)
    return schemas.without_nulls(document)


def required_param(req: falcon.asgi.Request, name: str) -> str:
    value = req.get_param(name)
    if value is None or not value.strip():
        raise ApiError(400, f"{name} is required")
    return value


def send_json(resp: falcon.asgi.Response, document: Any, status: int = 200) -> None:
    resp.status = status
    resp.content_type = JSON
    resp.data = json.dumps(document).encode()


# -- cross-origin reads ------------------------------------------------------------------------------------
# What a web page calls (the widget's endpoints, from the integrator's site, and the Widget Availability API,
# which the docs call with an XMLHttpRequest from a page) may be read by any origin, without credentials, as
# the vendor's public endpoints are. Each such resource says so itself, so no other request pays for it.

PREFLIGHT_MAX_AGE = "600"


def allow_any_origin(resp: falcon.asgi.Response) -> None:
    """Any page may read this answer (an error too: call it before anything can fail)."""
    resp.set_header("Access-Control-Allow-Origin", "*")


class CrossOrigin:
    """A resource any page may call: answers the browser's preflight (OPTIONS) of a cross-origin call."""

    async def on_options(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, **params: str) -> None:
        allow_any_origin(resp)
        resp.status = falcon.HTTP_204
        methods = [name[3:].upper() for name in dir(self) if name.startswith("on_") and name.count("_") == 1]
        resp.set_header("Access-Control-Allow-Methods", ", ".join(methods))
        resp.set_header(
            "Access-Control-Allow-Headers", req.get_header("Access-Control-Request-Headers") or ""
        )
        resp.set_header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
