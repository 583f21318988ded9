"""Who may drive the control API (/__admin): it resets the world, injects faults and repoints every webhook,
so a web page the developer happens to visit must not reach it.

- A request that carries an `Origin` other than the server's own is refused (403): a browser sends one with
  every cross-origin request that could change something, even a "simple" text/plain POST. Pages that
  mocksnap itself serves are of its own origin and pass.
- While mocksnap listens on a loopback address, a `Host` that is not a loopback name or address is refused
  (403): that is what a page on a name that an attacker rebinds to 127.0.0.1 sends (DNS rebinding), with an
  `Origin` of that same name.
- Given an admin token (`--admin-token`, `MOCKSNAP_ADMIN_TOKEN`), every request but the health check and the
  OpenAPI document must carry `Authorization: Bearer TOKEN` (401 otherwise): for a server that others can
  reach, such as the Docker image's on 0.0.0.0.

Only the listen address of Config is used, never what a server implementation reports.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

import falcon.asgi

from mocksnap.config import Config
from mocksnap.errors import ApiError

ADMIN = "/__admin"
# Reads that a health check or a client generator makes before it knows any token: nothing in them is secret.
OPEN_PATHS = frozenset({f"{ADMIN}/health", f"{ADMIN}/openapi.json"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    """`localhost`, a name under `.localhost` (RFC 6761 keeps them on the machine), or a loopback address."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_and_port(netloc: str, scheme: str) -> tuple[str, int | None]:
    """The host (lowercase, without brackets) and port of `host[:port]`; the scheme's port when none is
    written; port None when the one written is not a port."""
    parts = urlsplit(f"//{netloc}")
    try:
        port = parts.port
    except ValueError:
        return parts.hostname or "", None
    return parts.hostname or "", port or DEFAULT_PORTS.get(scheme)


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class AdminGuard:
    """Falcon middleware: the rules above, checked before any control API resource runs."""

    def __init__(self, config: Config) -> None:
        self.scheme = config.scheme
        self.loopback_only = is_loopback(config.host)
        self.token = config.admin_token.encode() if config.admin_token else None

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        if req.path != ADMIN and not req.path.startswith(f"{ADMIN}/"):
            return
        host = req.get_header("Host")
        if host is not None and self.loopback_only and not is_loopback(_host_and_port(host, self.scheme)[0]):
            raise ApiError(
                403,
                f"the control API listens on loopback and answers only to a loopback Host, not {host!r} "
                "(a page on a name that points at this machine must not drive it)",
            )
        origin = req.get_header("Origin")
        if origin is not None and not self._same_origin(origin, host):
            raise ApiError(
                403,
                f"the control API does not take requests from pages of another origin ({origin!r}); "
                "call it from a test, a script or a page that mocksnap serves",
            )
        if self.token is not None and req.path not in OPEN_PATHS:
            given = bearer_token(req.get_header("Authorization"))
            if given is None or not hmac.compare_digest(given.encode(), self.token):
                raise ApiError(
                    401,
                    "the control API needs Authorization: Bearer <the server's --admin-token>",
                    headers={"WWW-Authenticate": 'Bearer realm="mocksnap control API"'},
                )

    def _same_origin(self, origin: str, host: str | None) -> bool:
        """An Origin of the page's scheme, host and port is the server's own when it names the host and port
        the request was sent to (its Host)."""
        parts = urlsplit(origin.strip())
        if host is None or parts.scheme not in DEFAULT_PORTS or parts.path or parts.query:
            return False
        page = _host_and_port(parts.netloc, parts.scheme)
        return page[1] is not None and page == _host_and_port(host, self.scheme)
