"""The live feed on a real server: GET /live streams the world's events as server-sent events, filtered by
case, widget or organization, resumable by Last-Event-ID, readable from another origin only when filtered."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from mocksnap.testing import HOST, MocksnapServer
from tests.conftest import ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY

VISITOR = {"x-api-key": VISITOR_KEY}


class Stream:
    """A reader of one server-sent event stream, event by event."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.response = response
        self.headers = response.headers

    def next_event(self) -> dict[str, str]:
        """The next event's fields (comments and pings skipped); socket.timeout when none comes in time."""
        fields: dict[str, str] = {}
        while True:
            line = self.response.readline().decode().rstrip("\n")
            if not line:
                if fields.get("data"):
                    return fields
                fields = {}
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = value

    def events(self, count: int) -> list[dict]:
        return [json.loads(self.next_event()["data"]) for _ in range(count)]


@contextmanager
def stream(server: MocksnapServer, headers: dict[str, str] | None = None, **params: str) -> Iterator[Stream]:
    port = int(server.base_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    connection.request("GET", "/live?" + urlencode(params), headers=headers or {})
    response = connection.getresponse()
    assert response.status == 200, response.read()
    try:
        yield Stream(response)
    finally:
        connection.close()


def start_chat(server: MocksnapServer, widget: str, message: str) -> str:
    query = urlencode({"widgetId": widget, "email": "feed@example.com", "visitorMessage": message})
    started = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert started.status == 200, started.body
    return started.json()["caseId"]


def test_a_case_s_events_arrive_as_they_happen_and_others_do_not(server: MocksnapServer) -> None:
    first = start_chat(server, SUPPORT_WIDGET, "first")
    with stream(server, case=first) as feed:
        assert feed.headers["Content-Type"].startswith("text/event-stream")
        assert feed.headers["Access-Control-Allow-Origin"] == "*"
        start_chat(server, SUPPORT_WIDGET, "another visitor")
        server.request("POST", "/__admin/clock/advance", body={"seconds": 10})
        events = feed.events(3)
        assert [event["kind"] for event in events] == ["case.assigned", "case.message", "case.responded"]
        assert {event["data"]["caseId"] for event in events} == {first}
        closed = server.request("POST", f"/__admin/cases/{first}/close", body={"endedBy": "visitor"})
        assert closed.status == 200, closed.body
        while (event := json.loads(feed.next_event()["data"]))["kind"] != "case.closed":
            assert event["data"]["caseId"] == first
        assert event["data"] == {
            "caseId": first,
            "widgetId": SUPPORT_WIDGET,
            "endedBy": "visitor",
            "agentId": event["data"]["agentId"],
        }


def test_a_widget_s_stream_has_its_cases_and_its_organization_s_agents(server: MocksnapServer) -> None:
    with stream(server, widget=SALES_WIDGET) as feed:
        start_chat(server, SUPPORT_WIDGET, "not this widget")
        status = {"status": "pause", "subStatus": "lunch"}
        path = f"/__admin/organizations/{ORG_ID}/agents/wc:charlie@example.com/status"
        server.request("PUT", path, body=status)
        case_id = start_chat(server, SALES_WIDGET, "this one")
        events = feed.events(2)
        assert events[0]["kind"] == "agent.status_changed"
        assert events[1]["data"]["caseId"] == case_id


def test_last_event_id_resumes_after_the_last_event_seen(server: MocksnapServer) -> None:
    with stream(server, org=ORG_ID) as feed:
        start_chat(server, SUPPORT_WIDGET, "one")
        seen = feed.next_event()
    case_id = start_chat(server, SUPPORT_WIDGET, "two")
    with stream(server, headers={"Last-Event-ID": seen["id"]}, org=ORG_ID) as feed:
        resumed = [json.loads(feed.next_event()["data"]) for _ in range(3)]
    assert resumed[0]["seq"] == int(seen["id"]) + 1
    assert case_id in [event["data"].get("caseId") for event in resumed]


def test_the_whole_world_s_stream_is_not_for_other_origins(server: MocksnapServer) -> None:
    with stream(server) as feed:
        assert feed.headers["Access-Control-Allow-Origin"] is None
        start_chat(server, SUPPORT_WIDGET, "anyone")
        assert json.loads(feed.next_event()["data"])["kind"] == "case.queued"


def test_bad_resume_points_and_unknown_widgets_are_refused(server: MocksnapServer) -> None:
    assert server.get("/live", headers={"Last-Event-ID": "x"}).status == 400
    unknown = server.get("/live?widget=nope")
    assert unknown.status == 404
    assert unknown.json() == {"code": 404, "message": "no widget nope"}


def test_a_reader_that_goes_away_leaves_no_error_behind(server: MocksnapServer) -> None:
    written = server.output_size()
    with stream(server, widget=SUPPORT_WIDGET) as feed:
        start_chat(server, SUPPORT_WIDGET, "read by a reader who then goes away")
        feed.next_event()
    for n in range(5):  # events for the stream, which has nobody to send them to any more
        start_chat(server, SUPPORT_WIDGET, f"after the reader left, {n}")
    time.sleep(0.5)  # the stream's attempt to send them
    assert server.get("/__admin/health").status == 200
    output = server.output_since(written)
    assert "Traceback" not in output, output
    assert "[ERROR]" not in output, output


def test_a_quiet_stream_is_kept_open(server: MocksnapServer) -> None:
    with stream(server, case="none-yet") as feed:
        feed.response.fp.raw._sock.settimeout(1)  # nothing comes: the read times out, the stream is open
        try:
            feed.next_event()
        except TimeoutError:
            pass
        else:
            raise AssertionError("an event came for a case that does not exist")


def test_the_pages_script_of_the_feed_is_served_with_an_etag(server: MocksnapServer) -> None:
    script = server.get("/static/live.js")
    assert script.status == 200
    assert script.content_type.startswith("text/javascript")
    assert b"new EventSource" in script.body
    again = server.get("/static/live.js", headers={"If-None-Match": script.headers["ETag"]})
    assert (again.status, again.body) == (304, b"")
    for name in ("nope.js", "..%2Fapp.py", "README.md"):
        assert server.get(f"/static/{name}").status == 404
