"""The Hub SDK's wire, both ways, as pure functions of the world.

events_for: what the agent Hub posts to its apps for one world event, in the documented envelope
{type, conversationId, agentEmail, data} (hub-sdk-event.schema.json). action_for: what an app's message
(hub-sdk-message.schema.json) asks of the world, as a control API case action, so that an app's message goes
through the same checks and commands as a control API call.
"""

from __future__ import annotations

from typing import Any

from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case

CAPTURED_EVENTS = {"name": "name_captured", "phone": "phone_captured", "email": "email_captured"}
REQUEST_EVENTS = {"file": "request_file", "secure_data": "request_secure_data"}
# The messages an app may send about a chat that is no longer its agent's: it asks for the chat back.
FOR_A_HANDED_ON_CHAT = ("reclaim_transfer_request",)


def text_message(text: str) -> dict[str, str]:
    """message¹, the text form."""
    return {"type": "text", "text": text}


def _envelope(event_type: str, case: Case, agent_id: str | None, data: Any = None) -> dict[str, Any]:
    envelope: dict[str, Any] = {"type": event_type, "conversationId": case.case_id}
    if agent_id is not None:
        envelope["agentEmail"] = agent_id
    if data is not None:
        envelope["data"] = data
    return envelope


def _first_visitor_text(case: Case) -> str:
    return next((e.message for e in case.entries if e.sender == "VISITOR"), "")


def events_for(world: World, event: DomainEvent, agent_id: str) -> list[dict[str, Any]]:
    """The Hub SDK events the Hub of `agent_id` (normalized) posts for one world event: those of the chats
    that are theirs when it happened. Empty for everything else (and for a case the world no longer has)."""
    data = event.data
    case = world.cases.get(data.get("caseId", ""))
    if case is None:
        return []
    kind = event.kind
    if kind == "case.assigned":
        if data["agentId"] != agent_id:
            return []
        return [_envelope("conversation_started", case, agent_id, text_message(_first_visitor_text(case)))]
    if kind == "case.transferred":
        if data.get("toAgentId") != agent_id:
            return []
        if data.get("reclaimed"):
            return [_envelope("reclaim_transfer_request", case, agent_id)]
        return [_envelope("conversation_started", case, agent_id, text_message(_first_visitor_text(case)))]
    # Whose chat it was when it happened: the event says so when it can, otherwise the chat's agent now.
    if data.get("agentId", case.agent_id) != agent_id:
        return []
    if kind == "case.message":
        entry = case.entries[data["index"]]
        if entry.sender == "VISITOR":
            return [_envelope("visitor_message_received", case, agent_id, text_message(entry.message))]
        if entry.sender == "AGENT":
            return [_envelope("agent_message_received", case, agent_id, text_message(entry.message))]
        return []
    if kind == "case.typing":
        if data["who"] == "visitor" and data["typing"]:
            return [_envelope("visitor_typing", case, agent_id, text_message(""))]
        return []
    if kind == "case.page":
        return [_envelope("visitor_page_update", case, agent_id, {"page": data["url"]})]
    if kind == "case.closed":
        if data["endedBy"] == "visitor":
            return [_envelope("conversation_closed_by_visitor", case, None)]
        return []
    if kind == "case.captured":
        field, value = data["field"], data["value"]
        # The vendor's sample of email_captured names the address `phone`; it goes as both.
        captured = {"phone": value, "email": value} if field == "email" else {field: value}
        return [_envelope(CAPTURED_EVENTS[field], case, agent_id, captured)]
    if kind == "case.requested":
        detail = {"secure_data_type": data["secureDataType"]} if "secureDataType" in data else None
        return [_envelope(REQUEST_EVENTS[data["what"]], case, agent_id, detail)]
    if kind == "visitor.banned":
        return [_envelope("ban_user", case, agent_id)]
    if kind == "case.hub_signal":
        return [_envelope(data["type"], case, agent_id, data["data"])]
    return []


def action_for(message: dict[str, Any], agent_id: str) -> tuple[str, dict[str, Any]] | None:
    """The control API case action (name and body) that a valid app message of the agent's asks for; None
    for populate_text, which only fills the Hub's composer."""
    data = message.get("data") or {}
    match message["type"]:
        case "agent_message_received":
            return "messages", {"agentId": agent_id, "text": data.get("text", data.get("message"))}
        case "conversation_closed_by_agent":
            return "close", {"endedBy": "agent"}
        case "label_added":
            return "labels", {"name": data["labelName"], "value": data["value"]}
        case "label_removed":
            return "unlabel", {"name": data["labelName"]}
        case "transfer_request":
            return "transfer", {"widgetId": data["widgetId"]}
        case "reclaim_transfer_request":
            return "reclaim", {"agentId": agent_id}
        case "request_file":
            return "request", {"agentId": agent_id, "what": "file"}
        case "request_secure_data":
            return "request", {
                "agentId": agent_id,
                "what": "secure_data",
                "secureDataType": data["secure_data_type"],
            }
        case "ban_user":
            return "ban", {"by": data["type"]}
    return None
