"""The bodies of the outbound webhooks, built from the world and nothing else (no HTTP here: delivery.py and
dispatch.py send them):

- `integration_json(world, case)`: the Integration API POST (developer-api.txt "Integration API", help article
  "Integration POST API JSON"), fields without data left out, as its data-fields section says.
- `conversation_event(world, event)`: the Conversation Events API POSTs for one case DomainEvent (none for
  events that are not conversation events, several for a broadcast: one per agent).
- `agent_status_event(world, event)`: the Agent Status API's "Receive agent status from SnapEngage" POST.

All pure: they read the world and never change it. What they share with the Logs API comes from case_facts;
every choice where the docs are silent is in docs/fidelity.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mocksnap.clock import to_ms
from mocksnap.useragent import browser_and_os
from mocksnap.webhooks.case_facts import (
    agent_alias,
    case_url,
    coordinates,
    duration_seconds,
    labels,
    name_values,
    operator_variables,
    requester_details,
    split_ms,
    transcript_entries,
    wait_seconds,
    wc_agent_id,
)
from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case, Entry

# -- Integration API -----------------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
VISITOR_ALIAS = "visitor"  # the alias of the visitor's transcript lines, as in the sample


def integration_date(ms: int) -> str:
    """Epoch ms as the Integration API's dates: Java's "MMM d, yyyy h:mm:ss a" in GMT with English month
    names whatever the locale, e.g. "Oct 3, 2014 2:14:31 PM" (no leading zero on the day or the hour)."""
    t = _EPOCH + timedelta(milliseconds=ms)
    hour = t.hour % 12 or 12
    noon = "AM" if t.hour < 12 else "PM"
    return f"{_MONTHS[t.month - 1]} {t.day}, {t.year:04d} {hour}:{t.minute:02d}:{t.second:02d} {noon}"


def _integration_line(entry: Entry) -> dict[str, Any]:
    seconds, millis = split_ms(entry.at_ms)
    line: dict[str, Any] = {
        # The sample: "" for the visitor, an agent's bare email (no "wc:") for an agent.
        "id": entry.agent_id,
        "date": integration_date(entry.at_ms),
        "date_seconds": seconds,
        "date_milliseconds": millis,
        "alias": VISITOR_ALIAS if entry.sender == "VISITOR" else entry.alias,
        "message": entry.message,
    }
    if entry.translations:
        line["translations"] = dict(entry.translations)
    line["sender"] = entry.sender
    return line


def integration_json(world: World, case: Case, *, now_ms: int | None = None) -> dict[str, Any]:
    """The Integration API POST body for a case, the keys in the sample's order; a field without data (an
    unknown string, an empty list, the chat_* fields of an offline message) is left out.

    Pure: reads the case and the world's clock (unless `now_ms` is given) for the wait and duration of a chat
    still open; the POST is made when a chat has ended or an offline message arrived, when they are fixed.
    """
    now = world.clock.now_ms() if now_ms is None else now_ms
    visitor = case.visitor
    body: dict[str, Any] = {
        "id": case.case_id,
        "widget_id": case.widget_id,
        "url": case_url(world.site, case),
        "type": case.kind,
    }

    def put(key: str, value: Any) -> None:
        if value not in (None, "", [], {}):
            body[key] = value

    put("requested_by", visitor.email)
    put("requester_details", requester_details(visitor))
    put("description", case.description)
    body["created_at_date"] = integration_date(case.created_ms)
    body["created_at_seconds"], body["created_at_milliseconds"] = split_ms(case.created_ms)
    body["proactive_chat"] = case.proactive
    put("page_url", visitor.page_url)
    put("referrer_url", visitor.referrer_url)
    put("entry_url", visitor.entry_url)
    put("ip_address", visitor.ip_address)
    put("user_agent", visitor.user_agent)
    browser, os_name = browser_and_os(visitor.user_agent or "")
    put("browser", browser)
    put("os", os_name)
    put("country_code", visitor.country_code)
    put("country", visitor.country)
    put("region", visitor.region)
    put("city", visitor.city)
    if (where := coordinates(visitor)) is not None:
        body["latitude"], body["longitude"] = where
    body["source_id"] = case.source_id
    if case.kind == "chat":
        body["chat_waittime"] = wait_seconds(case, now)
        body["chat_duration"] = duration_seconds(case, now)
        put("chat_ended_by", case.ended_by)
    put("language_code", visitor.locale)
    put("transcripts", [_integration_line(entry) for entry in transcript_entries(case)])
    put("javascript_variables", name_values(visitor.javascript_variables))
    put("operator_variables", operator_variables(case))
    put("labels", labels(case))
    return body


# -- Conversation Events API ---------------------------------------------------------------------------------

CONVERSATION_EVENTS = {
    "case.queued": "caseQueued",
    "case.broadcasted": "caseBroadcasted",
    "case.assigned": "caseAssigned",
    "case.responded": "caseResponded",
    "case.labeled": "caseLabeled",
    "case.transferred": "caseTransferred",
    "case.surveyed": "caseSurveyed",
    "case.closed": "caseClosed",
}
# Where each event's DomainEvent names its agent (the broadcast names a list; the queue none). A transfer is
# reported with the agent it went to, or, when it went to a queue, the agent who handed it on.
_AGENT_KEY = {
    "case.assigned": "agentId",
    "case.responded": "agentId",
    "case.labeled": "agentId",
    "case.surveyed": "agentId",
    "case.closed": "agentId",
}


def conversation_event(world: World, event: DomainEvent) -> list[dict[str, Any]]:
    """The Conversation Events API payloads of a case DomainEvent, in the sample's key order: none when it is
    not one of the eight conversation events; one per agent for a broadcast; one otherwise.

    The widget is the one the event names (after a transfer to another widget: the new one); a transfer to
    another widget is two caseTransferred, the widget it leaves first, each with its own widget_id. The agent
    fields (agent_id "wc:"+id, agent_email, agent_alias) only on the events the table lists them for and only
    when the case had that agent; `label` only on caseLabeled; `survey_score` and `survey_comment` (when there
    is one) only on caseSurveyed. Pure: reads the widget's name and the agent's alias from the world.
    """
    name = CONVERSATION_EVENTS.get(event.kind)
    if name is None:
        return []
    data = event.data
    if event.kind == "case.transferred":
        agent = data.get("toAgentId") or data.get("fromAgentId")
        widgets = dict.fromkeys([data.get("fromWidgetId") or data["widgetId"], data["widgetId"]])
        return [_conversation_payload(world, event, name, agent, widget_id) for widget_id in widgets]
    if event.kind == "case.broadcasted":
        agents: list[str | None] = list(data.get("agents") or [])
    elif event.kind == "case.queued":
        agents = [None]
    else:
        agents = [data.get(_AGENT_KEY[event.kind])]
    return [_conversation_payload(world, event, name, agent_id, data["widgetId"]) for agent_id in agents]


def _conversation_payload(
    world: World, event: DomainEvent, name: str, agent_id: str | None, widget_id: str
) -> dict[str, Any]:
    data = event.data
    org = world.orgs.get(event.org_id) if event.org_id is not None else None
    widget = org.widgets.get(widget_id) if org is not None else None
    case = world.cases.get(data["caseId"])
    if case is not None and case.org_id != event.org_id:
        case = None  # another world's case of the same id, after a replace
    body: dict[str, Any] = {"widget_id": widget_id}
    if widget is not None and widget.name:
        body["widget_name"] = widget.name
    body["case_id"] = data["caseId"]
    if agent_id:
        body["agent_id"] = wc_agent_id(agent_id)
        body["agent_email"] = agent_id
        body["agent_alias"] = agent_alias(widget, case, agent_id)
    body["event"] = name
    body["timestamp"] = to_ms(event.at)
    if name == "caseLabeled":
        body["label"] = {"value": data["value"], "name": data["name"]}  # the sample's order
    if name == "caseSurveyed":
        body["survey_score"] = data["score"]
        if data.get("comment"):
            body["survey_comment"] = data["comment"]
    return body


# -- Agent Status API, outbound ---------------------------------------------------------------------------


def agent_status_event(world: World, event: DomainEvent) -> dict[str, Any] | None:
    """The Agent Status API POST for an agent.status_changed DomainEvent, in the sample's key order (None for
    any other event): `org` as a number, `agent_id` "wc:"+id, `status`, `sub_status` only when there is one,
    `timestamp` in epoch ms. Pure (it needs nothing of the world beyond the event)."""
    if event.kind != "agent.status_changed" or event.org_id is None:
        return None
    data = event.data
    body: dict[str, Any] = {
        "org": int(event.org_id),
        "agent_id": wc_agent_id(data["agentId"]),
        "status": data["status"],
    }
    if data.get("subStatus"):
        body["sub_status"] = data["subStatus"]
    body["timestamp"] = to_ms(event.at)
    return body
