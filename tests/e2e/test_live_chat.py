"""A chat lived through on a real server with a manual clock, then read back from the Logs API.

Start a chat through the Visitor Chat API, advance the clock, see the simulated agent's greeting and answer in
the poll, close it, and find the same case, the same transcript lines, and the wait time and duration the
clock says passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from mocksnap.testing import MocksnapServer as Server
from tests.conftest import API_TOKEN, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

START = "2026-11-23T09:30:00Z"
START_MS = int(datetime(2026, 11, 23, 9, 30, tzinfo=UTC).timestamp() * 1000)
VISITOR = {"x-api-key": VISITOR_KEY}


def advance(server: Server, seconds: float) -> dict:
    result = server.request("POST", "/__admin/clock/advance", body={"seconds": seconds})
    assert result.status == 200, result.body
    return result.json()


def poll(server: Server, case_id: str, index: int = 0) -> dict:
    result = server.get(f"/api/v1/chat/poll/{case_id}?index={index}", headers=VISITOR)
    assert result.status == 200, result.body
    assert_valid("visitor-chat-poll-response", result.json())
    return result.json()


def test_a_chat_from_start_to_logs_on_a_manual_clock(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "manual", "--start", START, "--seed", "3")
    query = urlencode({"widgetId": SUPPORT_WIDGET, "email": "visitor@example.com", "visitorMessage": "hello"})
    started = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert started.status == 200, started.body
    case_id = started.json()["caseId"]

    advance(server, 10)  # the agent accepts (2-6 s) and greets (1-3 s later)
    lines = poll(server, case_id)["messageList"]
    assert [line["text"].split()[0] for line in lines] == ["/NFO", "/NIC", "/CAL", "Hi,"]
    agent_alias = lines[1]["author"]
    assert agent_alias in ("Sam", "Michael")
    assert lines[-1] == {"index": 4, "type": "agent", "author": agent_alias, "text": lines[-1]["text"]}

    body = quote("I need help finding shoes!")
    path = f"/api/v1/chat?caseId={case_id}&messageType=1&messageBody={body}"
    sent = server.request("PUT", path, headers=VISITOR)
    assert sent.json() == {"caseId": case_id, "messageBody": "I need help finding shoes!", "messageType": "1"}
    advance(server, 2)  # typing shows before the answer
    assert poll(server, case_id, 5)["agentTyping"] is True
    advance(server, 8)
    answer = poll(server, case_id, 5)
    assert answer["agentTyping"] is False
    assert [(line["index"], line["type"]) for line in answer["messageList"]] == [(6, "agent")]

    advance(server, 30)
    closed = server.request("PUT", f"/api/v1/chat?caseId={case_id}&messageType=2", headers=VISITOR)
    assert closed.status == 200

    case = server.get(f"/__admin/cases/{case_id}").json()
    logs = server.get(
        f"/api/v2/5406213/logs?widgetId={SUPPORT_WIDGET}&start=2026-11-23&end=2026-11-23",
        headers={"Authorization": API_TOKEN},
    )
    assert logs.status == 200, logs.body
    assert_valid("logs-response", logs.json())
    [record] = logs.json()["cases"]
    assert record["id"] == case_id
    assert record["created_at_date"] == START_MS
    assert [(t["alias"], t["message"], t["date"]) for t in record["transcripts"]] == [
        (e["alias"], e["message"], e["at"]) for e in case["entries"] if e["sender"] != "SYSTEM"
    ]
    assert [t["message"] for t in record["transcripts"]][:1] == ["hello"]
    assert record["transcripts"][2]["message"] == "I need help finding shoes!"
    assert record["chat_waittime"] == round((case["respondedAt"] - START_MS) / 1000)  # until the greeting
    assert record["chat_duration"] == 50  # the whole request
    assert case["closedAt"] == START_MS + 50_000  # the clock time that passed: 10 + 2 + 8 + 30 s
    assert (record["chat_agent_alias"], record["chat_responded"]) == (agent_alias, True)
    assert logs.json()["linkToNextSetOfResults"] == ""


def test_on_a_scaled_clock_the_agent_answers_by_itself(spawn: Callable[..., Server]) -> None:
    server = spawn("--clock", "scaled", "--speed", "50")
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello"})
    case_id = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR).json()["caseId"]
    clock = server.get("/__admin/clock").json()
    assert (clock["mode"], clock["speed"]) == ("scaled", 50.0)
    deadline = time.monotonic() + 5  # the greeting comes within 9 clock seconds: 0.18 s at 50x
    while time.monotonic() < deadline:
        if any(line["type"] == "agent" for line in poll(server, case_id)["messageList"]):
            break
        time.sleep(0.05)
    assert [line["type"] for line in poll(server, case_id)["messageList"]][-1] == "agent"
    refused = server.request("POST", "/__admin/clock/advance", body={"seconds": 1})
    assert refused.status == 409
