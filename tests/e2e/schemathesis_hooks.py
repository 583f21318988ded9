"""Schemathesis hooks for test_openapi_conformance.py: keep the generated calls local and short, and give
them a world in which their success paths can be reached.

- Every URL in a body (webhooks, bots, Get Contact, a traffic run's `webhooks`) points at a closed port of
  127.0.0.1, so no delivery ever leaves the machine.
- The wait endpoints wait 0 s of real time, and a traffic run lasts a second of arrivals.
- Before the first call, and before any call that follows one that changed something (any 2xx to a method
  other than GET), the server is reset and given the same state again (`restore`): the 24x7 widget's
  integrations and the organization's agent status webhook subscribed to a receiver of the test's on
  127.0.0.1 (`MOCKSNAP_SINK_URL`), a fault that matches no call, and four chats started through the Visitor
  Chat API: one accepted, answered and labeled by Sam (the first case of a fresh default world, the
  document's example), one queued, one closed, one Sam handed to Michael; and a user who owns no widget,
  for the Provisioning API to delete. So every call sees the same world, whatever the calls before it did:
  replaced it, reset it, closed the chat, cleared the faults, moved the clock.
- Most calls (three in four of each operation) name what exists: the ids in their path (a case in the state
  the operation needs, the first delivery, the fault, the 24x7 widget, the organization, Sam), the chat of
  PUT /api/v1/chat, and in their query or body what a success needs where they name it as a string (an agent
  of the widget, a widget, a user, a bundled traffic profile, a time zone; see KNOWN). The others keep what
  schemathesis generated, so that the not-found and invalid paths are called too.
- Every answer's status is appended to the file `MOCKSNAP_OPENAPI_TALLY` names, if any, for the test to check
  that each operation's success path was reached.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import schemathesis

LOCAL_URL = "http://127.0.0.1:9/hook"  # the discard port: nothing listens there, a delivery fails at once
URL = re.compile(r"^https?://", re.IGNORECASE)
MAX_WAIT_SECONDS = 60
SUBSTITUTE_EVERY = 4  # of each operation's calls, all but every 4th name what exists

# The default world's (fixtures/default.yaml).
ORG_ID = "5406213"
VISITOR_KEY = "mocksnap-visitor-key"
PROVISIONING_KEY = "mocksnap-provisioning-key"
SUPPORT_WIDGET = "5286374d-5c92-419d-bcdb-b926d242b78b"  # 24x7, Sam and Michael online
SALES_WIDGET = "31a11b98-ffd2-425d-aa69-2c6ff8a40a16"
SAM = "sam@example.com"
MICHAEL = "michael@example.com"
CHARLIE = "charlie@example.com"
OWNER = "admin@example.com"  # owns both widgets
SPARE_USER = "spare@example.com"  # made by `restore`, owns none


def local_urls(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: local_urls(value) for key, value in node.items()}
    if isinstance(node, list):
        return [local_urls(item) for item in node]
    if isinstance(node, str) and URL.match(node):
        return LOCAL_URL
    return node


def _no_wait(query: dict[str, Any]) -> None:
    """A timeout the server would accept (or none, 5 s) becomes 0; one it refuses stays, to be refused."""
    try:
        seconds = float(query.get("timeout", 0))
    except (TypeError, ValueError):
        return
    if 0 <= seconds <= MAX_WAIT_SECONDS:
        query["timeout"] = 0


# -- the state every call starts from -----------------------------------------------------------------


class State:
    """What `restore` made, and whether a call may have changed it since."""

    def __init__(self) -> None:
        self.changed = True  # nothing made yet
        self.cases: dict[str, str] = {}  # "active", "queued", "closed" -> caseId
        self.delivery = "d0000001"
        self.fault = "f1"
        self.calls: Counter[tuple[str, str]] = Counter()


STATE = State()


def _call(base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {path}: HTTP {error.code} {error.read()[:500]!r}") from None
    return json.loads(text) if text else None


def _start_chat(base: str, message: str, **params: str) -> str:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": message, **params})
    started = _call(base, "POST", f"/api/v1/chat?{query}", headers={"x-api-key": VISITOR_KEY})
    return started["caseId"]


def restore(base: str) -> None:
    """Back to the server's own world, and the same cases, subscriptions, deliveries and fault as always."""
    sink = os.environ.get("MOCKSNAP_SINK_URL", LOCAL_URL)
    _call(base, "POST", "/__admin/reset")
    _call(
        base,
        "PUT",
        f"/__admin/widgets/{SUPPORT_WIDGET}/integrations",
        {
            "integrationApi": {"url": f"{sink}/case", "authToken": "token", "format": "json"},
            "conversationEvents": {
                "url": f"{sink}/events",
                "events": ["caseQueued", "caseAssigned", "caseResponded", "caseClosed", "caseSurveyed"],
            },
            "getContact": {"url": f"{sink}/contact", "systemName": "CRM"},
        },
    )
    _call(base, "PUT", f"/__admin/organizations/{ORG_ID}/agent-status-webhook", {"url": f"{sink}/agents"})
    _call(
        base,
        "PUT",
        f"/api/v1/user.json?api_key={PROVISIONING_KEY}",
        {"email": SPARE_USER, "name": "Spare User", "password": "spare-password", "accountType": "trial"},
    )
    # A fault that matches no call of the emulated APIs: GET and DELETE /__admin/faults/{id} find it.
    STATE.fault = _call(
        base, "POST", "/__admin/faults", {"method": "GET", "path": "/nowhere", "status": 503}
    )["id"]
    active = _start_chat(base, "Hello, where is my order?", email="visitor@example.com")
    _call(base, "POST", f"/__admin/cases/{active}/accept", {"agentId": SAM})
    _call(base, "POST", f"/__admin/cases/{active}/messages", {"agentId": SAM, "text": "Hi, let me look."})
    _call(base, "POST", f"/__admin/cases/{active}/labels", {"name": "topic", "value": "billing"})
    queued = _start_chat(base, "Anyone there?")
    closed = _start_chat(base, "Thanks, bye")
    _call(base, "POST", f"/__admin/cases/{closed}/accept", {"agentId": MICHAEL})
    _call(base, "POST", f"/__admin/cases/{closed}/close", {"endedBy": "visitor"})
    handed = _start_chat(base, "Who can help me?", widgetId=SALES_WIDGET, email="handed@example.com")
    _call(base, "POST", f"/__admin/cases/{handed}/accept", {"agentId": CHARLIE})
    # Handed on from the sales widget to the 24x7 one's queue: then neither Michael, whom the widget agent
    # entry's DELETE takes off the 24x7 widget, nor the sales widget, which the Provisioning API's DELETE
    # deletes, has a chat (both are refused while they have one).
    _call(base, "POST", f"/__admin/cases/{handed}/transfer", {"widgetId": SUPPORT_WIDGET})
    STATE.cases = {"active": active, "queued": queued, "closed": closed, "handed": handed}
    STATE.delivery = _call(base, "GET", f"/__admin/deliveries?caseId={active}")["deliveries"][0]["id"]
    STATE.changed = False


# -- naming what exists --------------------------------------------------------------------------------


def _case_for(path: str) -> str:
    if path.endswith("/accept"):
        return STATE.cases["queued"]
    if path.endswith("/survey"):
        return STATE.cases["closed"]
    if path.endswith("/reclaim"):
        return STATE.cases["handed"]
    return STATE.cases["active"]


def _known_path_parameters(path: str) -> dict[str, str]:
    known = {
        "caseId": _case_for(path),
        "deliveryId": STATE.delivery,
        "faultId": STATE.fault,
        "widgetId": SUPPORT_WIDGET,
        "orgId": ORG_ID,
        "agentId": MICHAEL if path.startswith("/__admin/widgets/") else SAM,
    }
    return {name: value for name, value in known.items() if "{" + name + "}" in path}


# What the query or the body of a call names, where it names it as a string (None: left out): accept and the
# widget agent entry take Michael (who has none of the chats), messages and typing Sam (whose chat it is), a
# transfer Michael or the sales widget (the 24x7 one has the chats, so it cannot be deleted), the
# Provisioning API the owner of both widgets, or the user who owns none; a file shared in a chat has content.
KNOWN: dict[tuple[str, str], dict[str, str | None]] = {
    ("POST", "/__admin/cases/{caseId}/accept"): {"agentId": MICHAEL},
    ("POST", "/__admin/cases/{caseId}/messages"): {"agentId": SAM},
    ("POST", "/__admin/cases/{caseId}/typing"): {"agentId": SAM},
    ("POST", "/__admin/cases/{caseId}/transfer"): {"agentId": MICHAEL, "widgetId": SALES_WIDGET},
    ("PUT", "/__admin/widgets/{widgetId}/agents/{agentId}"): {"agentId": MICHAEL},
    ("POST", "/__admin/cases/{caseId}/capture"): {"agentId": SAM},
    ("POST", "/__admin/cases/{caseId}/request"): {"agentId": SAM},
    ("POST", "/__admin/cases/{caseId}/reclaim"): {"agentId": CHARLIE},
    ("POST", "/__admin/cases/{caseId}/unlabel"): {"name": "topic"},
    ("GET", "/hub"): {"agent": SAM},
    ("POST", "/api/v2/agentstatus"): {"agent_id": MICHAEL},
    ("POST", "/__admin/traffic"): {"profile": "support-24x7"},
    ("POST", "/api/v1/chat"): {"widgetId": SUPPORT_WIDGET},
    ("POST", "/widget/chats/{caseId}/files"): {"file": "the visitor's receipt"},
    ("PUT", "/api/v1/chat"): {"caseId": "active", "displayResponseId": None},
    ("POST", "/widget/chats/{caseId}/messages"): {"responseId": None},  # no bot offered buttons there
    ("GET", "/api/v1/user.json"): {"email": OWNER},
    ("POST", "/api/v1/user.json"): {"email": OWNER},
    ("DELETE", "/api/v1/user.json"): {"email": SPARE_USER},
    ("GET", "/api/v1/widget.json"): {"email": OWNER, "uuid": SUPPORT_WIDGET},
    ("PUT", "/api/v1/widget.json"): {"email": OWNER, "conversationSchedule.timeZone": "Europe/Berlin"},
    ("POST", "/api/v1/widget.json"): {
        "email": OWNER,
        "uuid": SUPPORT_WIDGET,
        "conversationSchedule.timeZone": "Europe/Berlin",
    },
    ("DELETE", "/api/v1/widget.json"): {"email": OWNER, "uuid": SALES_WIDGET},
}
# The Hub SDK events with data (a hub-signal of another type takes none).
SIGNALS_WITH_DATA = ("weather_info_captured", "widget_changed")
# What a call gets when it leaves it out: the Logs API needs a period unless it pages on.
MISSING = {("GET", "/api/v2/{orgId}/logs"): {"start": "2026-11-01", "end": "2026-11-30"}}


def _named(values: Any, known: dict[str, str | None]) -> Any:
    """A copy of a query or body with the names of `known` (`a.b` for a key of an object under `a`) set."""
    if not isinstance(values, dict):
        return values
    named = dict(values)
    for dotted, value in known.items():
        outer, _, name = dotted.rpartition(".")
        if outer:
            if not isinstance(named.get(outer), dict):
                continue
            target = named[outer] = dict(named[outer])
        else:
            target = named
        if isinstance(target.get(name), str):
            if value is None:
                del target[name]
            else:
                target[name] = STATE.cases.get(value, value)
    return named


def _name_what_exists(case: schemathesis.Case) -> None:
    key = (case.method, case.path)
    STATE.calls[key] += 1
    if STATE.calls[key] % SUBSTITUTE_EVERY == 0:
        return
    if case.path_parameters:
        case.path_parameters = {**case.path_parameters, **_known_path_parameters(case.path)}
    known = KNOWN.get(key, {})
    case.query = _named(case.query, known)
    case.body = _named(case.body, known)
    signal = key == ("POST", "/__admin/cases/{caseId}/hub-signal") and isinstance(case.body, dict)
    if signal and case.body.get("type") not in SIGNALS_WITH_DATA:
        case.body = {k: v for k, v in case.body.items() if k != "data"}
    query = case.query or {}
    if key in MISSING and isinstance(query, dict) and "next" not in query:
        case.query = {**MISSING[key], **query}


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    if STATE.changed:
        restore(case.operation.schema.get_base_url().rstrip("/"))
    _name_what_exists(case)
    case.body = local_urls(case.body)
    if case.path.endswith("/wait"):
        case.query = dict(case.query or {})
        _no_wait(case.query)
    traffic = (case.method, case.path) == ("POST", "/__admin/traffic")
    if traffic and isinstance(case.body, dict) and "duration" in case.body:
        case.body["duration"] = 1


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: schemathesis.Case, response: Any) -> None:
    if case.method not in ("GET", "HEAD", "OPTIONS") and 200 <= response.status_code < 300:
        STATE.changed = True
    tally = os.environ.get("MOCKSNAP_OPENAPI_TALLY")
    if tally:
        with open(tally, "a", encoding="utf-8") as out:
            out.write(f"{case.method} {case.path} {response.status_code}\n")
