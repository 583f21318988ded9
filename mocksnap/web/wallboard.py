"""The wallboard's figures (the TV dashboard the Conversation Events docs name as their use case): a pure
function of the world, the delivery log and the violations, served as GET /__admin/stats. The page at
GET /wallboard shows them, and loads them again whenever the live feed says the world changed."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mocksnap.clock import from_ms, iso
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine
from mocksnap.webhooks.dispatch import Violations
from mocksnap.webhooks.payloads import CONVERSATION_EVENTS
from mocksnap.world import World
from mocksnap.world.models import Organization

HOUR_MS = 3600 * 1000
HOURS = 24  # chats per hour, over the last day
LATEST = 12  # how many conversation events, failing deliveries and violations are listed, newest first
CASE_STATES = ("queued", "assigned", "closed", "offline")
AGENT_STATUSES = ("online", "pause", "offline")
DELIVERY_STATUSES = ("queued", "delivering", "retrying", "delivered", "email_fallback", "failed")
FAILING = ("retrying", "email_fallback", "failed")


def figures(world: World, engine: DeliveryEngine, violations: Violations) -> dict[str, Any]:
    now_ms = world.clock.now_ms()
    day_start = now_ms - HOURS * HOUR_MS
    per_hour = [0] * HOURS
    widgets = []
    for org in world.orgs.values():
        for widget in org.widgets.values():
            states: Counter[str] = Counter()
            for case in world.cases_created(widget.uuid, day_start, now_ms + 1):
                states["offline" if case.kind == "offline" else case.state] += 1
                if case.kind == "chat":
                    per_hour[min(HOURS - 1, (case.created_ms - day_start) // HOUR_MS)] += 1
            online = world.is_online(org, widget)
            widgets.append({"widgetId": widget.uuid, "name": widget.name or "", "online": online, **states})
    for entry in widgets:
        for state in CASE_STATES:
            entry.setdefault(state, 0)
    waiting = [case.created_ms for case in world.open_chats.values() if case.state == "queued"]
    agents = [agent for org in world.orgs.values() for agent in _agents(world, org)]
    deliveries = list(engine.log.values())
    by_status = Counter(delivery.status for delivery in deliveries)
    failing = [delivery for delivery in deliveries if delivery.status in FAILING]
    conversation = [event for event in world.events.since(0) if event.kind in CONVERSATION_EVENTS]
    problems = violations.list()
    return {
        "now": iso(world.clock.now()),
        "queue": {
            "length": len(waiting),
            "longestWaitSeconds": (now_ms - min(waiting)) // 1000 if waiting else 0,
        },
        "widgets": widgets,
        "agents": {
            "byStatus": {
                status: sum(agent["status"] == status for agent in agents) for status in AGENT_STATUSES
            },
            "list": agents,
        },
        "chatsPerHour": [
            {"hour": iso(from_ms(day_start + i * HOUR_MS)), "chats": count}
            for i, count in enumerate(per_hour)
        ],
        "conversationEvents": [
            {
                "seq": event.seq,
                "at": iso(event.at),
                "event": CONVERSATION_EVENTS[event.kind],
                "caseId": event.data["caseId"],
                "widgetId": event.data["widgetId"],
            }
            for event in conversation[: -LATEST - 1 : -1]
        ],
        "deliveries": {
            "byStatus": {status: by_status[status] for status in DELIVERY_STATUSES},
            "failures": [_failure(delivery) for delivery in failing[: -LATEST - 1 : -1]],
        },
        "violations": {
            "count": len(problems),
            "latest": [
                {"at": problem["at"], "kind": problem["kind"], "schema": problem["schema"]}
                for problem in problems[: -LATEST - 1 : -1]
            ],
        },
    }


def _agents(world: World, org: Organization) -> list[dict[str, Any]]:
    """The organization's agents: status, the alias on their first widget, the chats they have now."""
    chats = Counter(case.agent_id for case in world.open_chats.values() if case.org_id == org.org_id)
    aliases: dict[str, str] = {}
    for widget in org.widgets.values():
        for member in widget.agents:
            aliases.setdefault(member.agent_id, member.alias)
    return [
        {
            "agentId": agent.agent_id,
            "alias": aliases.get(agent.agent_id, ""),
            "status": agent.status,
            "subStatus": agent.sub_status,
            "chats": chats[agent.agent_id],
        }
        for agent in org.agents.values()
    ]


def _failure(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "kind": delivery.kind,
        "url": delivery.url,
        "status": delivery.status,
        "attempts": len(delivery.attempts),
        "responseStatus": delivery.response_status,
    }
