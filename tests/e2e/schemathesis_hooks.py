"""Schemathesis hooks for test_openapi_conformance.py: keep the generated calls local and short.

- Every URL in a body (webhooks, bots, Get Contact, a traffic run's `webhooks`) points at a closed port of
  127.0.0.1, so no delivery ever leaves the machine.
- The wait endpoints wait 0 s of real time, and a traffic run lasts a second of arrivals.
- After a world was replaced, the server goes back to its own (POST /__admin/reset), so the calls that follow
  still hold valid credentials; a fault that was made is cleared at once (DELETE /__admin/faults), so the
  calls that follow get the emulated APIs' own answers.
"""

from __future__ import annotations

import re
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import schemathesis

LOCAL_URL = "http://127.0.0.1:9/hook"  # the discard port: nothing listens there, a delivery fails at once
URL = re.compile(r"^https?://", re.IGNORECASE)
MAX_WAIT_SECONDS = 60


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


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    case.body = local_urls(case.body)
    if case.path.endswith("/wait"):
        case.query = dict(case.query or {})
        _no_wait(case.query)
    traffic = (case.method, case.path) == ("POST", "/__admin/traffic")
    if traffic and isinstance(case.body, dict) and "duration" in case.body:
        case.body["duration"] = 1


# What to call after a control API call that changed what the calls that follow would get.
UNDO = {
    ("PUT", "/__admin/world", 200): ("POST", "/__admin/reset"),
    ("POST", "/__admin/faults", 201): ("DELETE", "/__admin/faults"),
}


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: schemathesis.Case, response: Any) -> None:
    undo = UNDO.get((case.method, case.path, response.status_code))
    if undo is not None:
        method, path = undo
        base = urlsplit(response.request.url)
        request = urllib.request.Request(f"{base.scheme}://{base.netloc}{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
