"""mocksnap.testing on its own: validate(), the webhook sink, the server launcher, and the control API client
over the plugin's session server."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest

from mocksnap.testing import Mocksnap, ServerError, WebhookSink, start_server, validate
from tests.conftest import (
    API_TOKEN,
    ORG_ID,
    PROVISIONING_KEY,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    VISITOR_KEY,
)


def post(url: str, body: bytes = b"{}", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        with urlopen(
            Request(url, body, headers or {"Content-Type": "application/json"}), timeout=5
        ) as answer:
            return answer.status, answer.read()
    except HTTPError as error:
        return error.code, error.read()


# -- validate --------------------------------------------------------------------------------------------


def test_validate_passes_a_valid_payload_given_as_a_document_or_as_a_body() -> None:
    text = (SAMPLES / "integration-api.json").read_bytes()
    validate(json.loads(text), "integration-api")
    validate(text, "integration-api")


def test_validate_lists_every_error() -> None:
    event = {**json.loads((SAMPLES / "conversation-event.json").read_text()), "timestamp": "now", "extra": 1}
    del event["case_id"]
    with pytest.raises(AssertionError) as failure:
        validate(event, "conversation-event")
    assert str(failure.value).splitlines() == [
        "the payload breaks the schema 'conversation-event':",
        "  /: body has unknown properties: extra",
        "  /case_id: case_id is required",
        "  /timestamp: timestamp must be an integer",
    ]


def test_validate_names_the_schemas_there_are_for_an_unknown_one() -> None:
    with pytest.raises(ValueError, match=r"no schema named 'integration'; there are: .*integration-api"):
        validate({}, "integration")


# -- the webhook sink ------------------------------------------------------------------------------------


def test_the_sink_records_method_path_query_headers_and_body() -> None:
    with WebhookSink() as sink:
        assert post(f"{sink.url}/case?caseId=c1", b'{"id": "c1"}', {"Authorization": "t"}) == (200, b"ok")
        [record] = sink.records()
    assert (record.method, record.path, record.query) == ("POST", "/case", {"caseId": ["c1"]})
    assert record.headers["authorization"] == "t"
    assert (record.body, record.json) == (b'{"id": "c1"}', {"id": "c1"})


def test_fail_next_fails_that_many_requests_whatever_their_path() -> None:
    with WebhookSink() as sink:
        sink.fail_next(2, status=503)
        statuses = [post(f"{sink.url}{path}")[0] for path in ("/a", "/b", "/a")]
        assert statuses == [503, 503, 200]
        assert [r.path for r in sink.records()] == ["/a", "/b", "/a"]


def test_respond_sets_the_answer_of_one_path() -> None:
    with WebhookSink() as sink:
        sink.respond("/contact", "VIP customer")
        assert post(f"{sink.url}/contact") == (200, b"VIP customer")
        assert post(f"{sink.url}/case") == (200, b"ok")


def test_wait_for_returns_the_requests_to_a_path_once_they_came() -> None:
    with WebhookSink() as sink:

        def later() -> None:
            time.sleep(0.2)
            for path in ("/events", "/case", "/events"):
                post(f"{sink.url}{path}", json.dumps({"path": path}).encode())

        threading.Thread(target=later).start()
        started = time.monotonic()
        [case] = sink.wait_for(1, path="/case")
        assert case.json == {"path": "/case"}
        assert 0.2 <= time.monotonic() - started < 2
        assert [r.json["path"] for r in sink.wait_for(2, path="/events")] == ["/events", "/events"]
        assert len(sink.wait_for(3)) == 3
        sink.clear()
        assert sink.records() == []


def test_wait_for_fails_at_the_timeout_naming_what_came() -> None:
    with WebhookSink() as sink:
        post(f"{sink.url}/events", b'{"event": "caseQueued"}')
        with pytest.raises(AssertionError) as failure:
            sink.wait_for(2, timeout=0.2, path="/case")
    assert str(failure.value).splitlines() == [
        "the webhook sink expected 2 requests to /case within 0.2 s and got 0; it received 1 requests:",
        """  POST /events b'{"event": "caseQueued"}'""",
    ]


def test_assert_valid_checks_every_record_or_those_of_a_path() -> None:
    sample = (SAMPLES / "conversation-event.json").read_bytes()
    with WebhookSink() as sink:
        with pytest.raises(AssertionError, match="the webhook sink received nothing to check"):
            sink.assert_valid("conversation-event")
        post(f"{sink.url}/events", sample)
        post(f"{sink.url}/other", b'{"event": "nope"}')
        sink.assert_valid("conversation-event", path="/events")
        with pytest.raises(AssertionError) as failure:
            sink.assert_valid("conversation-event")
    assert str(failure.value).splitlines() == [
        "requests that break the schema 'conversation-event':",
        "request 2, POST /other:",
        "  /case_id: case_id is required",
        '  /event: event must be one of: "caseQueued", "caseBroadcasted", "caseAssigned", "caseResponded", '
        '"caseLabeled", "caseTransferred", "caseSurveyed", "caseClosed"',
        "  /timestamp: timestamp is required",
        "  /widget_id: widget_id is required",
    ]


def test_a_closed_sink_refuses_connections() -> None:
    sink = WebhookSink()
    sink.close()
    with pytest.raises(URLError):
        post(f"{sink.url}/case")


# -- the server launcher ---------------------------------------------------------------------------------


def test_start_server_runs_a_server_on_a_manual_clock_and_stops_it_cleanly() -> None:
    with start_server("--start", "2026-11-23T09:30:00Z", "--seed", "3") as server:
        clock = server.get("/__admin/clock").json()
        assert (clock["mode"], clock["now"]) == ("manual", "2026-11-23T09:30:00.000Z")
        assert server.base_url.startswith("http://127.0.0.1:")
    assert server.process.returncode == 0
    assert "shutting down" in server.output().lower()


def test_a_server_that_cannot_start_raises_with_its_output(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match=r"(?s)exited with code 2 before answering.*cannot read"):
        start_server("--world", str(tmp_path / "missing.yaml"))


# -- the control API client, on the plugin's server ------------------------------------------------------


def test_org_is_read_from_the_running_world(mocksnap: Mocksnap) -> None:
    org = mocksnap.org
    assert (org.orgId, org.apiToken, org.provisioningApiKey, org.visitorApiKey) == (
        ORG_ID, API_TOKEN, PROVISIONING_KEY, VISITOR_KEY,
    )  # fmt: skip
    assert org.widgets == [SUPPORT_WIDGET, SALES_WIDGET]
    document = mocksnap.request("GET", "/__admin/world").json()
    document["organizations"][0]["apiToken"] = "another-token"
    assert mocksnap.request("PUT", "/__admin/world", document).status == 200
    assert mocksnap.org.apiToken == "another-token"


def test_advance_moves_the_manual_clock(mocksnap: Mocksnap) -> None:
    before = mocksnap.request("GET", "/__admin/clock").json()["now"]
    after = mocksnap.advance(90)
    assert after["mode"] == "manual"
    assert after["now"] > before


def test_configure_integrations_deliveries_and_the_journal(
    mocksnap: Mocksnap, webhook_sink: WebhookSink
) -> None:
    hooks = mocksnap.configure_integrations(
        SUPPORT_WIDGET,
        integrationApi={"url": f"{webhook_sink.url}/case", "authToken": "secret"},
        conversationEvents={"url": f"{webhook_sink.url}/events", "events": ["caseQueued"]},
    )
    assert hooks["integrationApi"]["url"] == f"{webhook_sink.url}/case"
    key = {"x-api-key": VISITOR_KEY}
    chat = mocksnap.request("POST", f"/api/v1/chat?widgetId={SUPPORT_WIDGET}&visitorMessage=hi", headers=key)
    mocksnap.request("PUT", f"/api/v1/chat?caseId={chat.json()['caseId']}&messageType=2", headers=key)

    [queued] = mocksnap.wait_for_deliveries(kind="conversation_event", status="delivered")
    [posted] = mocksnap.wait_for_deliveries(
        kind="integration", url=f"{webhook_sink.url}/*", status="delivered"
    )
    assert mocksnap.deliveries(kind="integration", case_id=posted["caseId"]) == [posted]
    assert queued["caseId"] == posted["caseId"]
    assert webhook_sink.wait_for(1, path="/case")[0].headers["authorization"] == "secret"

    [call] = mocksnap.requests(method="POST", path="/api/v1/chat")
    assert call["status"] == 200
    assert mocksnap.wait_for_requests(method="post", path="/api/v1/*") == [call]
    with pytest.raises(AssertionError, match=r"expected 2 requests with method=POST within 0.2 s, got 1"):
        mocksnap.wait_for_requests(method="POST", count=2, timeout=0.2)


def test_a_refused_control_call_fails_with_the_answer(mocksnap: Mocksnap) -> None:
    with pytest.raises(
        AssertionError, match=r"PUT /__admin/widgets/nope/integrations answered 404: .*no widget"
    ):
        mocksnap.configure_integrations("nope", integrationApi={"url": "http://127.0.0.1:9/"})
