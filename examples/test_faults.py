"""Fault injection: make mocksnap fail the way the real service sometimes does, and check that your code
copes. Faults last until the world is reset, which the `mocksnap` fixture does before each test."""

import json
import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from mocksnap.testing import Mocksnap, WebhookSink


def fetch_logs(url: str, token: str, tries: int = 3) -> dict:
    """Your code: a Logs API call that waits out a 429 for as long as Retry-After says."""
    for _ in range(tries - 1):
        try:
            with urlopen(Request(url, headers={"Authorization": token})) as answer:
                return json.load(answer)
        except HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(float(error.headers["Retry-After"]))
    with urlopen(Request(url, headers={"Authorization": token})) as answer:
        return json.load(answer)


def test_my_client_waits_out_a_rate_limit(mocksnap: Mocksnap) -> None:
    org = mocksnap.org
    mocksnap.inject_fault(method="GET", path="/api/v2/*/logs", status=429, times=1)

    url = f"{mocksnap.base_url}/api/v2/{org.orgId}/logs?start=2026-11-23&end=2026-11-23"
    assert fetch_logs(url, org.apiToken) == {"cases": [], "linkToNextSetOfResults": ""}
    assert [call["status"] for call in mocksnap.requests(path="/api/v2/*/logs")] == [429, 200]


def test_my_endpoint_gets_the_same_webhook_twice(mocksnap: Mocksnap, webhook_sink: WebhookSink) -> None:
    widget, key = mocksnap.org.widgets[0], {"x-api-key": mocksnap.org.visitorApiKey}
    mocksnap.configure_integrations(widget, integrationApi={"url": f"{webhook_sink.url}/case"})
    mocksnap.inject_fault(delivery={"action": "duplicate", "kind": "integration"}, times=1)

    offline = f"/api/v1/chat?widgetId={widget}&isOffline=true&email=ann@example.com&visitorMessage=hi"
    mocksnap.request("POST", offline, headers=key)
    first, again = webhook_sink.wait_for(2, path="/case")
    assert first.body == again.body  # an idempotent endpoint stores that case once
