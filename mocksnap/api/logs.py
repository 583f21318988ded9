"""Logs API: GET /api/v2/{orgId}/logs, the cases of an organization's widgets created in [start, end), a page
of 100 at a time, each as the vendor's sample shows it. Authenticated by the organization's raw API token in
the `Authorization` header; optionally rate limited per token.

A page comes from the world's per-widget creation-time indexes (`cases_created` / `count_created`), never
from a scan of every case, so it costs the same at a million cases as at ten.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import json
import math
import re
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import falcon.asgi

from mocksnap.api.common import send_json
from mocksnap.clock import to_ms
from mocksnap.errors import ApiError
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
from mocksnap.world.models import Case, Entry, Organization
from mocksnap.zones import zone_of

PAGE_SIZE = 100
DEFAULT_TIMEZONE = "Etc/UTC"
DAY_MS = 86_400_000

# -- one case -----------------------------------------------------------------------------------------------


def _transcript(entry: Entry) -> dict[str, Any]:
    seconds, millis = split_ms(entry.at_ms)
    line: dict[str, Any] = {
        "id": wc_agent_id(entry.agent_id) if entry.agent_id else "",
        "date": entry.at_ms,
        "date_seconds": seconds,
        "date_milliseconds": millis,
        "alias": entry.alias,
        "message": entry.message,
    }
    if entry.translations:
        line["translations"] = dict(entry.translations)
    return line


def case_json(world: World, org: Organization, case: Case, *, now_ms: int | None = None) -> dict[str, Any]:
    """One case exactly as the Logs API sample shows it: the same keys in the same order. Unknown strings are
    "", unknown lists []; latitude/longitude, the agent and the survey are left out when there are none. What
    it shares with the Integration API payload comes from mocksnap.webhooks.case_facts.

    Pure: reads the world (and its clock, unless `now_ms` is given, as a page gives one for all its cases).
    """
    now = world.clock.now_ms() if now_ms is None else now_ms
    visitor = case.visitor
    widget = org.widgets.get(case.widget_id)
    user_agent = visitor.user_agent or ""
    browser, os_name = browser_and_os(user_agent)
    known = requester_details(visitor)
    details = visitor.details or {}
    created_seconds, created_millis = split_ms(case.created_ms)
    found: dict[str, Any] = {
        "id": case.case_id,
        "url": case_url(world.site, case),
        "type": case.kind,
        "requested_by": visitor.email or "",
        "requester_details": {
            "name": known.get("name", ""),
            "emails": known.get("emails", []),
            "phones": known.get("phones", []),
            "social_profile_links": list(details.get("social_profile_links", [])),
            "age": details.get("age", 0),
            "notes": details.get("notes", ""),
            "avatars": list(details.get("avatars", [])),
            "other_data": [],
        },
        "description": case.description,
        "created_at_date": case.created_ms,
        "created_at_seconds": created_seconds,
        "created_at_milliseconds": created_millis,
        "proactive_chat": case.proactive,
        "page_url": visitor.page_url or "",
        "referrer_url": visitor.referrer_url or "",
        "entry_url": visitor.entry_url or "",
        "ip_address": visitor.ip_address or "",
        "user_agent": user_agent,
        "browser": browser,
        "os": os_name,
        "country_code": visitor.country_code or "",
        "country": visitor.country or "",
        "region": visitor.region or "",
        "city": visitor.city or "",
    }
    if (where := coordinates(visitor)) is not None:
        found["latitude"], found["longitude"] = where
    found["source_id"] = case.source_id
    found["chat_waittime"] = wait_seconds(case, now)
    found["chat_duration"] = duration_seconds(case, now)
    found["chat_responded"] = case.responded_ms is not None
    if case.agent_id:
        found["chat_agent_id"] = wc_agent_id(case.agent_id)
        found["chat_agent_alias"] = agent_alias(widget, case, case.agent_id)
    if case.survey_score is not None:
        found["survey_score"] = case.survey_score
    if case.survey_comments is not None:
        found["survey_comments"] = case.survey_comments
    found["language_code"] = visitor.locale or ""
    found["transcripts"] = [_transcript(e) for e in transcript_entries(case)]
    found["javascript_variables"] = name_values(visitor.javascript_variables)
    found["operator_variables"] = operator_variables(case)
    found["labels"] = labels(case)
    destination = (widget.destination_email or widget.owner_email) if widget is not None else None
    found["destination_url"] = "mailto:" + destination if destination else ""
    found["visitor_transcript_email"] = case.visitor_transcript_email or ""
    return found


# -- rate limit ---------------------------------------------------------------------------------------------


class RateLimiter:
    """A token bucket per API token: `rate` requests a second, bursts of max(1, rate). Real time (it is
    about how fast a client calls, whatever the world clock shows); `now` is injectable for tests."""

    def __init__(self, rate: float, now: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self.rate = rate
        self.burst = max(1.0, rate)
        self.now = now
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when they were counted)

    def take(self, key: str) -> int | None:
        """None when the request may go; otherwise the whole seconds (at least 1) to wait before retrying."""
        now = self.now()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + max(0.0, now - then) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return None
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1 - tokens) / self.rate))


# -- the request --------------------------------------------------------------------------------------------

_TOKEN_KEY = b"mocksnap logs next-page token"
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")


def _signature(payload: dict[str, Any]) -> str:
    compact = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return hashlib.blake2s(compact, digest_size=8, key=_TOKEN_KEY).hexdigest()


def encode_next(org_id: str, widget_ids: list[str], start_ms: int, end_ms: int, offsets: list[int]) -> str:
    """An opaque next-page token: urlsafe base64 (unpadded) of compact JSON with everything the next page
    needs, signed so that an edited token is refused rather than silently misread."""
    payload: dict[str, Any] = {"o": org_id, "w": widget_ids, "s": start_ms, "e": end_ms, "n": offsets}
    payload["h"] = _signature(payload)
    compact = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(compact).decode().rstrip("=")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_next(token: str, org_id: str) -> tuple[list[str], int, int, list[int]]:
    """(widget ids, start ms, end ms, offsets) of a token; a 400 for anything malformed, edited, or issued
    for another organization."""
    bad = ApiError(400, "next is not a valid next-page token; use linkToNextSetOfResults as it was returned")
    if not _TOKEN_CHARS.fullmatch(token) or len(token) > 64 * 1024:
        raise bad
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        raise bad from None
    if not isinstance(payload, dict) or set(payload) != {"o", "w", "s", "e", "n", "h"}:
        raise bad
    signature = payload.pop("h")
    if not isinstance(signature, str) or signature != _signature(payload):
        raise bad
    widgets, start_ms, end_ms, offsets = payload["w"], payload["s"], payload["e"], payload["n"]
    if (
        payload["o"] != org_id
        or not isinstance(widgets, list)
        or not isinstance(offsets, list)
        or not widgets
        or len(widgets) != len(offsets)
        or not all(isinstance(w, str) for w in widgets)
        or not all(_is_int(n) and n >= 0 for n in offsets)
        or not (_is_int(start_ms) and _is_int(end_ms) and start_ms <= end_ms)
    ):
        raise bad
    return widgets, start_ms, end_ms, offsets


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1 and len(set(values)) > 1:
        raise ApiError(400, f"{name} is given more than once, with different values")
    return values[0] if values else None


def _timezone(params: list[tuple[str, str]]) -> tzinfo:
    name = _one(params, "timezone")
    if name is None or not name.strip():
        return ZoneInfo(DEFAULT_TIMEZONE)
    zone = zone_of(name.strip())
    if zone is None:
        raise ApiError(
            400,
            f"timezone {name!r} is not a time zone: an IANA name such as Europe/Berlin, Z, an offset such as "
            "+02:00, or UTC, GMT or UT with or without one (UTC+2)",
        )
    return zone


def _midnight_ms(day: date, zone: tzinfo) -> int:
    return to_ms(datetime(day.year, day.month, day.day, tzinfo=zone))


def _instant_ms(params: list[tuple[str, str]], name: str, zone: tzinfo) -> tuple[int, bool]:
    """Epoch ms of an ISO 8601 date (its midnight in `zone`; for `end`, the next midnight, so that the whole
    day is in) or date-time (read in `zone` when it has no offset); and whether it was a date."""
    text = _one(params, name)
    if text is None or not text.strip():
        raise ApiError(400, f"{name} is required")
    text = text.strip()
    problem = ApiError(400, f"{name} must be an ISO 8601 date (2017-04-20) or date-time, not {text!r}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    try:
        if day is not None:
            if name != "end":
                return _midnight_ms(day, zone), True
            if day == date.max:  # 9999-12-31, "no end" to clients: its day has no next midnight to end at
                return _midnight_ms(day, zone) + DAY_MS, True
            return _midnight_ms(day + timedelta(days=1), zone), True
        instant = datetime.fromisoformat(text)
        return to_ms(instant if instant.tzinfo else instant.replace(tzinfo=zone)), False
    except (ValueError, OverflowError, OSError):
        raise problem from None


def _next_token(params: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]]:
    """The token of `next`, and the parameters a next link repeats. `next` is the token, or the whole
    linkToNextSetOfResults (URL-encoded in the query, as clients that keep the link rather than the token send
    it): then the token is the link's own `next`, and the link's parameters are the request's."""
    given = (_one(params, "next") or "").strip()
    if "?" not in given:
        return given or None, params
    linked = parse_qsl(urlsplit(given).query, keep_blank_values=True)
    tokens = [value.strip() for key, value in linked if key == "next"]
    if len(tokens) != 1 or not tokens[0]:
        raise ApiError(
            400, "next is a link without a next-page token; use linkToNextSetOfResults as it was returned"
        )
    return tokens[0], linked


def _widget_ids(params: list[tuple[str, str]], org: Organization) -> list[str]:
    """The widgets asked for, repeated and/or comma separated, in the order given; all the organization's
    when none is."""
    asked: list[str] = []
    for key, value in params:
        if key == "widgetId":
            for widget_id in value.split(","):
                if widget_id.strip() and widget_id.strip() not in asked:
                    asked.append(widget_id.strip())
    if not asked:
        return list(org.widgets)
    for widget_id in asked:
        if widget_id not in org.widgets:
            raise ApiError(404, f"Not Found - no widget {widget_id} in organization {org.org_id}")
    return asked


class Logs:
    """GET /api/v2/{org_id}/logs?widgetId=&timezone=&start=&end=&next="""

    def __init__(self, world: World, rate_limit: float | RateLimiter | None = None) -> None:
        self.world = world
        self.limiter = RateLimiter(rate_limit) if isinstance(rate_limit, int | float) else rate_limit

    def _authorize(self, req: falcon.asgi.Request, org_id: str) -> Organization:
        """401 for a bad token, then 429 over the token's rate, 404 for an unknown organization, 403 for a
        token of another one."""
        token = (req.get_header("Authorization") or "").strip()
        caller = self.world.org_by_api_token(token)
        if caller is None:
            raise ApiError(401, "Unauthorized - invalid or missing API token in the Authorization header")
        if self.limiter is not None:
            retry_after = self.limiter.take(caller.api_token)
            if retry_after is not None:
                raise ApiError(
                    429,
                    f"Too Many Requests - exceeded the API rate limit; retry in {retry_after} s",
                    headers={"Retry-After": str(retry_after)},
                )
        org = self.world.orgs.get(org_id)
        if org is None:
            raise ApiError(404, f"Not Found - no organization {org_id}")
        if org is not caller:
            raise ApiError(403, f"Forbidden - this API token is not allowed to access organization {org_id}")
        return org

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, org_id: str) -> None:
        org = self._authorize(req, org_id)
        params = parse_qsl(req.query_string, keep_blank_values=True)
        token, params = _next_token(params)
        if token:
            # The token wins: clients repeat start and end (and the rest) when they follow the link.
            widget_ids, start_ms, end_ms, offsets = decode_next(token, org.org_id)
            for widget_id in widget_ids:
                if widget_id not in org.widgets:
                    raise ApiError(404, f"Not Found - no widget {widget_id} in organization {org.org_id}")
        else:
            zone = _timezone(params)
            start_ms, _ = _instant_ms(params, "start", zone)
            end_ms, whole_day = _instant_ms(params, "end", zone)
            # An end date is its whole day: a start at or past its last instant is after it.
            if start_ms > end_ms or (whole_day and start_ms == end_ms):
                raise ApiError(400, "start must not be after end")
            widget_ids = _widget_ids(params, org)
            offsets = [0] * len(widget_ids)

        cases, offsets = self._page(widget_ids, start_ms, end_ms, offsets)
        world = self.world
        more = any(
            world.count_created(w, start_ms, end_ms) > n for w, n in zip(widget_ids, offsets, strict=True)
        )
        link = ""
        if more:
            query = [(k, v) for k, v in params if k != "next"]
            query.append(("next", encode_next(org.org_id, widget_ids, start_ms, end_ms, offsets)))
            link = f"{req.prefix}/api/v2/{quote(org.org_id, safe='')}/logs?{urlencode(query)}"
        now = world.clock.now_ms()
        send_json(
            resp,
            {"cases": [case_json(world, org, c, now_ms=now) for c in cases], "linkToNextSetOfResults": link},
        )

    def _page(
        self, widget_ids: list[str], start_ms: int, end_ms: int, offsets: list[int]
    ) -> tuple[list[Case], list[int]]:
        """The next PAGE_SIZE cases over the widgets, oldest first (ties: the widget listed first), and the
        offsets once they are consumed. At most PAGE_SIZE cases are read from each widget's index."""
        runs = [
            [
                (case.created_ms, i, n, case)
                for n, case in enumerate(
                    self.world.cases_created(w, start_ms, end_ms, after=offsets[i], limit=PAGE_SIZE)
                )
            ]
            for i, w in enumerate(widget_ids)
        ]
        merged = heapq.merge(*runs, key=lambda item: item[:3]) if len(runs) != 1 else iter(runs[0])
        page: list[Case] = []
        offsets = list(offsets)
        for _, i, _, case in merged:
            if len(page) == PAGE_SIZE:
                break
            page.append(case)
            offsets[i] += 1
        return page, offsets
