"""HTTP errors, each carrying the error shape its API family documents (or the one docs/fidelity.md chose).

Resources raise these; the app's error handlers render them. Which family answers an error that no
resource raised (an unknown path, a method a route does not have) is decided by the request's path.
"""

from __future__ import annotations

import json
from http import HTTPStatus


class ApiError(Exception):
    """`{"code": N, "message": "..."}`: the Agent Status API's documented error body, used wherever the
    docs give no other (Provisioning, Visitor Chat, the control API)."""

    def __init__(
        self, status: int, message: str, *, headers: dict[str, str] | None = None, **extra: object
    ) -> None:
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.extra = extra
        super().__init__(message)

    @property
    def http_status(self) -> int:
        return self.status

    def body(self) -> bytes:
        return json.dumps({"code": self.status, "message": self.message, **self.extra}).encode()


class EmptyNotFound(ApiError):
    """The Visitor Chat API's 404: "Widget or Chat object not found (Empty response)"."""

    def __init__(self, message: str = "Not Found") -> None:
        super().__init__(404, message)

    def body(self) -> bytes:
        return b""


class PublicApiError(ApiError):
    """The Widget Availability API's error as the vendor's mobile SDKs read it:
    `{"statusCode": N, "error": {"message": "..."}}`, sent with HTTP 200 unless told otherwise."""

    def __init__(self, status: int, message: str, http_status: int = 200) -> None:
        super().__init__(status, message)
        self._http_status = http_status

    @property
    def http_status(self) -> int:
        return self._http_status

    def body(self) -> bytes:
        return json.dumps({"statusCode": self.status, "error": {"message": self.message}}).encode()


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def for_path(path: str, status: int, message: str | None = None) -> ApiError:
    """The error of the API family that owns the path, for errors raised outside a resource."""
    message = message or HTTPStatus(status).phrase
    if _under(path, "/public/api/v2/chat"):
        return PublicApiError(status, message, http_status=status)
    if _under(path, "/api/v1/chat") and status == 404:
        return EmptyNotFound(message)
    return ApiError(status, message)
