"""The bodies SnapEngage POSTs to a custom bot (developer-api.txt, "Bot API"), built from the world and
nothing else: chatStarted, message, chatClosed and commandResult. Pure functions; actors/bots.py sends them.

Fields follow the section's tables and samples: a chatStarted carries every field the "Chat Started
Parameters" table lists that is known for the chat (unknown ones are left out, as its note allows), and the
first visitor message both as `description` (the table) and as `text` (the samples).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from mocksnap.world.models import Case, Widget

# The property the vendor's sample names: the visitor's email is what the HMAC signs.
HMAC_PROPERTY = "CaseEmail"


def _head(case: Case, event: str, at_ms: int, context_id: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "widget_id": case.widget_id,
        "case_id": case.case_id,
        "timestamp": at_ms,
        "event": event,
    }
    if context_id is not None:
        payload["context_id"] = context_id
    return payload


def hmac_verification(widget: Widget, case: Case) -> dict[str, Any] | None:
    """With Visitor Identity Verification on, whether the visitor's hmac is the HMAC-SHA256 (hex) of their
    email under the widget's secret: VERIFIED, or NOT_VERIFIED (a wrong or missing hmac, or no email)."""
    if not widget.identity_secret:
        return None
    email = case.visitor.email or ""
    expected = hmac.new(widget.identity_secret.encode(), email.encode(), hashlib.sha256).hexdigest()
    given = (case.visitor.hmac or "").strip().lower()
    verified = bool(email) and hmac.compare_digest(expected.encode(), given.encode())
    return {
        "verificationProperty": {"property": HMAC_PROPERTY},
        "content": email,
        "status": "VERIFIED" if verified else "NOT_VERIFIED",
    }


def chat_started(widget: Widget, case: Case, at_ms: int, context_id: str | None = None) -> dict[str, Any]:
    payload = _head(case, "chatStarted", at_ms, context_id)
    visitor = case.visitor

    def put(key: str, value: Any) -> None:
        if value:
            payload[key] = value

    put("email", visitor.email)
    put("proactive_message", case.proactive_message)
    put("description", case.description)
    put("text", case.description)
    put("tags", ",".join(case.tags))
    geo = {"city": visitor.city, "region": visitor.region, "country_code": visitor.country_code}
    put("geo", {key: value for key, value in geo.items() if value})
    put("user_agent", visitor.user_agent)
    put("entry_url", visitor.entry_url)
    put("referrer_url", visitor.referrer_url)
    put("page_url", visitor.page_url)
    put("ip_address", visitor.ip_address)
    put("jsVariables", ",".join(f"{name}={value}" for name, value in visitor.javascript_variables or []))
    put("hmacVerificationResult", hmac_verification(widget, case))
    return payload


def message(
    case: Case, text: str, at_ms: int, button_id: str | None = None, context_id: str | None = None
) -> dict[str, Any]:
    payload = _head(case, "message", at_ms, context_id)
    payload["from"] = "visitor"
    payload["text"] = text
    if button_id is not None:
        payload["id"] = button_id
    return payload


def chat_closed(case: Case, at_ms: int, context_id: str | None = None) -> dict[str, Any]:
    return _head(case, "chatClosed", at_ms, context_id)


def command_result(
    case: Case, at_ms: int, failed: list[dict[str, str]], context_id: str | None = None
) -> dict[str, Any]:
    """`failed`: one {operation, params, error} per command that failed, in the order they were given."""
    payload = _head(case, "commandResult", at_ms, context_id)
    payload["failedCommands"] = failed
    return payload
