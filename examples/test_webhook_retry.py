"""Your endpoint fails once: mocksnap retries on its schedule (10 s after the first failure, then 30 s, 60 s
...), on a clock that moves only when the test says so. Use it to check that your handler copes with getting
the same payload twice."""

from mocksnap.testing import Mocksnap, WebhookSink


def test_a_failed_post_is_retried_when_the_clock_moves(mocksnap: Mocksnap, webhook_sink: WebhookSink) -> None:
    widget, key = mocksnap.org.widgets[0], {"x-api-key": mocksnap.org.visitorApiKey}
    mocksnap.configure_integrations(widget, integrationApi={"url": f"{webhook_sink.url}/case"})
    webhook_sink.fail_next(1)  # the next request gets a 500

    # An offline message is posted to the Integration API at once (mocksnap.request is a small HTTP client).
    offline = f"/api/v1/chat?widgetId={widget}&isOffline=true&email=ann@example.com&visitorMessage=call me"
    case_id = mocksnap.request("POST", offline.replace(" ", "%20"), headers=key).json()["caseId"]
    webhook_sink.wait_for(1, path="/case")
    [delivery] = mocksnap.wait_for_deliveries(kind="integration", status="retrying")
    assert delivery["caseId"] == case_id

    mocksnap.advance(10)  # the retry falls due, and is sent before advance() returns
    first, retry = webhook_sink.wait_for(2, path="/case")
    assert retry.body == first.body  # the same payload again: your handler must not count it twice
    [delivered] = mocksnap.deliveries(kind="integration", status="delivered")
    assert delivered["attempts"] == 2
