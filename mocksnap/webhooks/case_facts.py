"""A case as the vendor reports it: the pieces shared by the Logs API record (mocksnap.api.logs.case_json),
the Integration API payload (payloads.integration_json) and its legacy XML form, computed here once so that
the three always agree. Each is a pure function of the case (and the widget, and the clock's now where said).

What each API then does with a piece (an unknown value as "" or left out, an agent id with or without `wc:`,
a date as epoch ms or formatted) is up to its builder.
"""

from __future__ import annotations

from typing import Any

from mocksnap.world.models import AGENT_ID_PREFIX, Case, Entry, Visitor, Widget


def case_url(site: str, case: Case) -> str:
    """The link to the case, as the samples show it: on the vendor's site, or on mocksnap's own case page when
    it serves with --public-url (the world's `site`)."""
    return f"{site}/viewcase?c={case.case_id}"


def wc_agent_id(agent_id: str) -> str:
    """An agent id as the APIs show it: `wc:` and the stored (bare, lowercase) id."""
    return AGENT_ID_PREFIX + agent_id


def split_ms(ms: int) -> tuple[int, int]:
    """Epoch milliseconds as (`..._seconds`, `..._milliseconds`): the whole seconds and the rest."""
    return ms // 1000, ms % 1000


def transcript_entries(case: Case) -> list[Entry]:
    """The lines of a transcript: what the visitor, agents and bots said; not the system lines (/NFO, /NIC,
    /CAL), nor the notes only the agent sees (a Get Contact answer)."""
    return [entry for entry in case.entries if entry.sender in ("VISITOR", "AGENT", "BOT")]


# The Integration API sample's requester_details keys, in its order.
REQUESTER_KEYS = (
    "name", "emails", "name_profile_link", "phones", "address", "address_2", "city", "state", "zip",
    "country", "company_name", "company_profile_link", "employees", "revenue", "title", "website",
    "social_profile_links", "gender", "age", "influencer_score", "notes", "industry", "avatars",
)  # fmt: skip


def profile_url(link: str) -> str:
    """A social profile as the Integration API sample writes it (`www.facebook.com/jim`), from the Logs API
    sample's `network,handle,id,url`: the URL without its scheme."""
    url = link.split(",", 3)[-1]
    return url.split("://", 1)[-1]


def requester_details(visitor: Visitor) -> dict[str, Any]:
    """What is known about the requester, as the Integration API shows it, in the sample's key order: `name`,
    `emails`, `phones` from the visitor, the rest from what enrichment knows of them (`Visitor.details`); each
    only when known (not empty)."""
    known: dict[str, Any] = dict(visitor.details or {})
    if visitor.name:
        known["name"] = visitor.name
    if visitor.email:
        known["emails"] = [visitor.email]
    if visitor.phone:
        known["phones"] = [visitor.phone]
    if known.get("social_profile_links"):
        known["social_profile_links"] = [profile_url(link) for link in known["social_profile_links"]]
    return {key: known[key] for key in REQUESTER_KEYS if known.get(key) not in (None, "", [])}


def coordinates(visitor: Visitor) -> tuple[float, float] | None:
    """(latitude, longitude) when both are known; one alone is not reported."""
    if visitor.latitude is None or visitor.longitude is None:
        return None
    return visitor.latitude, visitor.longitude


def name_values(pairs: list[tuple[str, str]] | None) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs or []]


def labels(case: Case) -> list[dict[str, str]]:
    return name_values(case.labels)


def operator_variables(case: Case) -> list[dict[str, str]]:
    """The samples show the operator variables identical to the labels: they mirror them, unless the world
    ever records operator variables of their own."""
    return name_values(case.operator_variables if case.operator_variables is not None else case.labels)


def wait_seconds(case: Case, now_ms: int) -> int:
    """`chat_waittime`: whole seconds, rounded, from the request until an agent responded (see Case.wait_ms);
    0 for an offline message."""
    return round(case.wait_ms(now_ms) / 1000)


def duration_seconds(case: Case, now_ms: int) -> int:
    """`chat_duration`: whole seconds, rounded, of the entire request (see Case.duration_ms); 0 for an offline
    message."""
    return round(case.duration_ms(now_ms) / 1000)


def agent_alias(widget: Widget | None, case: Case | None, agent_id: str) -> str:
    """The agent's alias on the widget; if the agent (or the widget) has gone since, the alias the agent last
    had in the case; "" when neither is known."""
    if widget is not None:
        for agent in widget.agents:
            if agent.agent_id == agent_id:
                return agent.alias
    if case is None:
        return ""
    return next((e.alias for e in reversed(case.entries) if e.agent_id == agent_id), "")
