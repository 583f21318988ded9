"""Bodies a bot answers with (developer-api.txt, "Message Response Parameters"), for the bot tests."""

from __future__ import annotations

from typing import Any

MISSING: Any = object()  # a command without "parameters" at all (None sends them as null)


def reply(*content: dict[str, Any], context_id: str | None = None, **head: str) -> dict[str, Any]:
    """A reply body: the content items in order, with a context_id and widget_id/case_id when given."""
    body: dict[str, Any] = dict(head)
    if context_id is not None:
        body["context_id"] = context_id
    body["content"] = list(content)
    return body


def message(text: str | None = None, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "message"}
    if text is not None:
        item["text"] = text
    if buttons is not None:
        item["display_responses"] = buttons
    return item


def command(operation: str, parameters: Any = MISSING) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "command", "operation": operation}
    if parameters is not MISSING:
        item["parameters"] = parameters
    return item
