"""mocksnap keeps a journal of every request made to the emulated APIs: check what your code called, with
which headers and query, and what it was answered."""

from urllib.request import Request, urlopen

from mocksnap.testing import Mocksnap


def fetch_cases(base_url: str, org_id: str, token: str, widget_id: str, day: str) -> bytes:
    """Your code: a day of a widget's cases from the Logs API."""
    url = f"{base_url}/api/v2/{org_id}/logs?widgetId={widget_id}&start={day}&end={day}"
    with urlopen(Request(url, headers={"Authorization": token})) as answer:
        return answer.read()


def test_my_client_calls_the_logs_api_with_its_token(mocksnap: Mocksnap) -> None:
    org = mocksnap.org
    fetch_cases(mocksnap.base_url, org.orgId, org.apiToken, org.widgets[0], "2026-11-23")

    [call] = mocksnap.requests(method="GET", path="/api/v2/*/logs")  # path is a glob
    assert call["headers"]["authorization"] == org.apiToken
    assert f"widgetId={org.widgets[0]}" in call["query"]
    assert call["status"] == 200
    # Code that calls in the background: wait until the journal has the calls (fails after the timeout).
    assert mocksnap.wait_for_requests(path="/api/v2/*/logs", count=1, timeout=2) == [call]
