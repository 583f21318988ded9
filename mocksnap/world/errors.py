"""Why a world command refused: raised before anything changed, so the world is as it was."""

from __future__ import annotations


class WorldError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(WorldError):
    """The user, widget or organization asked for does not exist (for this caller)."""


class Invalid(WorldError):
    """The request is well-formed but breaks a rule of the world; the message names the field."""
