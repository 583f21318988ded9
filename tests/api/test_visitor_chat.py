"""Visitor Chat API: start (POST), send and end (PUT), poll (GET), with every documented error."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from falcon.testing import Result, TestClient

from mocksnap.clock import ManualClock
from mocksnap.world import World
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

KEY = {"x-api-key": VISITOR_KEY}
CHAT = "/api/v1/chat"


def start(client: TestClient, **params: str) -> Result:
    return client.simulate_post(CHAT, params={"widgetId": SUPPORT_WIDGET, **params}, headers=KEY)


def started(client: TestClient, **params: str) -> str:
    result = start(client, **params)
    assert result.status_code == 200, result.text
    assert_valid("visitor-chat-start-response", result.json)
    return result.json["caseId"]


def poll(client: TestClient, case_id: str, **params: str) -> dict:
    result = client.simulate_get(f"{CHAT}/poll/{case_id}", params=params, headers=KEY)
    assert result.status_code == 200, result.text
    assert_valid("visitor-chat-poll-response", result.json)
    return result.json


def error(result: Result, status: int) -> str:
    assert result.status_code == status, result.text
    if status == 404:
        assert result.content == b""
        return ""
    assert_valid("api-error", result.json)
    return result.json["message"]


@pytest.fixture(autouse=True)
def _agents_by_hand(client: TestClient) -> None:
    """These tests play the agents' side themselves."""
    client.simulate_put("/__admin/autopilot", json={"enabled": False})


def test_start_a_chat_with_the_docs_query_string(client: TestClient, world: World) -> None:
    query = (
        f"widgetId={SUPPORT_WIDGET}&email=Visitor@Example.com&phone=555-123-4567"
        "&userAgent=Mozilla/5.0%20%28Macintosh;%20Intel%20Mac%20OS%20X%2010_8_2%29&locale=en"
        "&isOffline=false&appVersionName=My%20Mobile%20App&visitorMessage=hello"
    )
    result = client.simulate_post(
        CHAT, query_string=query, headers={**KEY, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert result.status_code == 200
    assert result.json["widgetId"] == SUPPORT_WIDGET
    case = world.cases[result.json["caseId"]]
    assert (case.kind, case.source_id, case.state, case.description) == ("chat", 2, "queued", "hello")
    assert (case.visitor.email, case.visitor.phone, case.visitor.locale) == (
        "visitor@example.com",
        "555-123-4567",
        "en",
    )
    assert case.visitor.user_agent == "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_2)"
    assert case.visitor.app_version_name == "My Mobile App"


def test_parameters_may_come_in_a_form_body(client: TestClient, world: World) -> None:
    body = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "from the form"})
    result = client.simulate_post(
        CHAT, body=body, headers={**KEY, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert result.status_code == 200
    assert world.cases[result.json["caseId"]].description == "from the form"


def test_a_chat_is_queued_with_the_waiting_line_in_the_poll(client: TestClient) -> None:
    case_id = started(client, visitorMessage="hello")
    assert poll(client, case_id) == {
        "caseId": case_id,
        "messageList": [{"index": 1, "type": "system", "author": "", "text": "/NFO Just a moment...<br> "}],
        "agentTyping": False,
    }


def test_a_whole_conversation_through_the_poll(client: TestClient, world: World) -> None:
    case_id = started(client, visitorMessage="hello")
    client.simulate_post(f"/__admin/cases/{case_id}/accept", json={"agentId": "sam@example.com"})
    client.simulate_post(
        f"/__admin/cases/{case_id}/typing", json={"agentId": "sam@example.com", "typing": True}
    )
    assert poll(client, case_id, index="2")["agentTyping"] is True
    client.simulate_post(
        f"/__admin/cases/{case_id}/messages", json={"agentId": "sam@example.com", "text": "hi"}
    )
    sent = client.simulate_put(
        CHAT,
        params={"caseId": case_id, "messageType": "1", "messageBody": "I need help finding shoes!"},
        headers=KEY,
    )
    assert sent.status_code == 200
    assert_valid("visitor-chat-send-response", sent.json)
    assert sent.json == {"caseId": case_id, "messageBody": "I need help finding shoes!", "messageType": "1"}
    client.simulate_post(
        f"/__admin/cases/{case_id}/messages",
        json={"agentId": "sam@example.com", "text": "Ok, I can help you with that!"},
    )
    seen = poll(client, case_id, index="2")
    assert seen["messageList"] == [
        {"index": 2, "type": "system", "author": "Sam", "text": "/NIC Sam "},
        {"index": 3, "type": "system", "author": "Sam", "text": "/CAL 1 "},
        {"index": 4, "type": "agent", "author": "Sam", "text": "hi "},
        {"index": 6, "type": "agent", "author": "Sam", "text": "Ok, I can help you with that! "},
    ]
    assert seen["agentTyping"] is False
    assert poll(client, case_id, index="7")["messageList"] == []
    closed = client.simulate_put(CHAT, params={"caseId": case_id, "messageType": "2"}, headers=KEY)
    assert closed.json == {"caseId": case_id, "messageBody": "", "messageType": "2"}
    assert (world.cases[case_id].state, world.cases[case_id].ended_by) == ("closed", "visitor")


def test_is_typing_is_kept_on_the_case(client: TestClient, world: World) -> None:
    case_id = started(client)
    poll(client, case_id, isTyping="true")
    assert world.cases[case_id].visitor_typing is True
    poll(client, case_id, isTyping="true")
    poll(client, case_id, isTyping="false")
    assert world.cases[case_id].visitor_typing is False
    typing = [e.data for e in world.events.since(0) if e.kind == "case.typing"]
    assert typing == [  # the live feed hears when typing starts and stops, not of every poll
        {"caseId": case_id, "widgetId": SUPPORT_WIDGET, "who": "visitor", "typing": True},
        {"caseId": case_id, "widgetId": SUPPORT_WIDGET, "who": "visitor", "typing": False},
    ]


def test_is_offline_makes_an_offline_message(client: TestClient, world: World) -> None:
    case_id = started(client, isOffline="true", email="v@example.com", visitorMessage="call me back")
    case = world.cases[case_id]
    assert (case.kind, case.source_id, case.state) == ("offline", 1, "closed")
    assert poll(client, case_id)["messageList"] == []
    refused = client.simulate_put(
        CHAT, params={"caseId": case_id, "messageType": "1", "messageBody": "x"}, headers=KEY
    )
    assert "offline message" in error(refused, 400)


def test_outside_hours_a_chat_becomes_an_offline_message(
    client: TestClient, clock: ManualClock, world: World
) -> None:
    clock.set(datetime(2026, 11, 23, 11, 30, tzinfo=UTC))  # the sales widget's lunch break
    case_id = started(client, widgetId=SALES_WIDGET, email="v@example.com", visitorMessage="anyone?")
    assert world.cases[case_id].kind == "offline"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"widgetId": ""}, "widgetId must not be empty"),
        ({"email": "not-an-email"}, "email must be a valid email address"),
        ({"isOffline": "maybe"}, 'isOffline must be "true" or "false"'),
        ({"widgetId": SALES_WIDGET, "visitorMessage": "hi"}, "email is required by this widget"),
        ({"widgetId": SALES_WIDGET, "email": "v@example.com"}, "visitorMessage is required by this widget"),
    ],
)
def test_start_refuses_invalid_parameters(
    client: TestClient, world: World, params: dict, message: str
) -> None:
    before = world.dump()
    assert message in error(start(client, **params), 400)
    assert world.cases == {}
    assert world.dump() == before


def test_start_needs_a_widget_id(client: TestClient) -> None:
    assert error(client.simulate_post(CHAT, headers=KEY), 400) == "widgetId is required"


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}, {"x-api-key": "mocksnap-api-token"}])
def test_every_verb_needs_the_visitor_key(client: TestClient, headers: dict) -> None:
    case_id = started(client)
    for result in (
        client.simulate_post(CHAT, params={"widgetId": SUPPORT_WIDGET}, headers=headers),
        client.simulate_put(CHAT, params={"caseId": case_id, "messageType": "2"}, headers=headers),
        client.simulate_get(f"{CHAT}/poll/{case_id}", headers=headers),
    ):
        assert "x-api-key" in error(result, 401)


def test_unknown_widgets_and_cases_are_404_with_an_empty_body(client: TestClient) -> None:
    error(start(client, widgetId="no-such-widget"), 404)
    error(client.simulate_put(CHAT, params={"caseId": "no-such-case", "messageType": "2"}, headers=KEY), 404)
    error(client.simulate_get(f"{CHAT}/poll/no-such-case", headers=KEY), 404)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"messageType": "3"}, "messageType must be one of"),
        ({"messageType": "1"}, "messageBody is required"),
        ({"messageType": "1", "messageBody": ""}, "messageBody must not be empty"),
        ({}, "messageType is required"),
    ],
)
def test_send_refuses_invalid_parameters(
    client: TestClient, world: World, params: dict, message: str
) -> None:
    case_id = started(client)
    before = len(world.cases[case_id].entries)
    assert message in error(client.simulate_put(CHAT, params={"caseId": case_id, **params}, headers=KEY), 400)
    assert len(world.cases[case_id].entries) == before


def test_a_closed_chat_takes_no_more_messages(client: TestClient) -> None:
    case_id = started(client)
    client.simulate_put(CHAT, params={"caseId": case_id, "messageType": "2"}, headers=KEY)
    again = client.simulate_put(CHAT, params={"caseId": case_id, "messageType": "2"}, headers=KEY)
    assert "is closed" in error(again, 400)


@pytest.mark.parametrize(
    ("params", "message"), [({"index": "-1"}, "index"), ({"isTyping": "yes"}, "isTyping")]
)
def test_poll_refuses_invalid_parameters(client: TestClient, params: dict, message: str) -> None:
    case_id = started(client)
    result = client.simulate_get(f"{CHAT}/poll/{case_id}", params=params, headers=KEY)
    assert message in error(result, 400)


def test_other_methods_are_405(client: TestClient) -> None:
    assert error(client.simulate_delete(CHAT, headers=KEY), 405) == "Method Not Allowed"
    assert error(client.simulate_post(f"{CHAT}/poll/x", headers=KEY), 405) == "Method Not Allowed"


# -- bodies that are not forms, last words, HEAD ------------------------------------------------------------


MULTIPART = f'--x\r\nContent-Disposition: form-data; name="widgetId"\r\n\r\n{SUPPORT_WIDGET}\r\n--x--\r\n'


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("application/json", json.dumps({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"}), "JSON"),
        ("application/json; charset=utf-8", "{}", "JSON"),
        ("application/vnd.api+json", "[]", "JSON"),
        (None, json.dumps({"widgetId": SUPPORT_WIDGET}), "JSON"),
        ("multipart/form-data; boundary=x", MULTIPART, "multipart"),
    ],
)  # fmt: skip
def test_a_json_or_multipart_body_is_told_where_the_parameters_go(
    client: TestClient, world: World, content_type: str | None, body: str, kind: str
) -> None:
    headers = {**KEY, **({"Content-Type": content_type} if content_type else {})}
    before = world.dump()
    for method in ("POST", "PUT"):
        message = error(client.simulate_request(method, CHAT, body=body, headers=headers), 400)
        assert message == (
            "the parameters of the Visitor Chat API go in the query string or in a form body "
            f"(application/x-www-form-urlencoded), not in a {kind} body"
        )
    assert world.dump() == before


def test_an_empty_json_body_beside_query_parameters_is_no_body(client: TestClient) -> None:
    result = client.simulate_post(
        CHAT,
        params={"widgetId": SUPPORT_WIDGET},
        body="",
        headers={**KEY, "Content-Type": "application/json"},
    )
    assert result.status_code == 200, result.text


def test_a_wrong_key_is_401_before_the_body_is_looked_at(client: TestClient) -> None:
    result = client.simulate_post(
        CHAT, body="{}", headers={"x-api-key": "wrong", "Content-Type": "application/json"}
    )
    assert error(result, 401).startswith("Unauthorized")


def test_leaving_with_a_message_keeps_it_as_the_visitors_last_line(client: TestClient, world: World) -> None:
    case_id = started(client, visitorMessage="hello")
    left = client.simulate_put(
        CHAT, params={"caseId": case_id, "messageType": "2", "messageBody": "Thanks, bye!"}, headers=KEY
    )
    assert left.status_code == 200, left.text
    assert left.json == {"caseId": case_id, "messageBody": "Thanks, bye!", "messageType": "2"}
    case = world.cases[case_id]
    assert (case.state, case.ended_by) == ("closed", "visitor")
    visitor_lines = [e.message for e in case.entries if e.sender == "VISITOR"]
    assert visitor_lines == ["hello", "Thanks, bye!"]
    assert case.entries[-1].sender == "VISITOR"


def test_leaving_a_closed_chat_with_a_message_changes_nothing(client: TestClient, world: World) -> None:
    case_id = started(client, visitorMessage="hello")
    client.simulate_put(CHAT, params={"caseId": case_id, "messageType": "2"}, headers=KEY)
    before = world.dump()
    again = client.simulate_put(
        CHAT, params={"caseId": case_id, "messageType": "2", "messageBody": "one more"}, headers=KEY
    )
    assert "closed" in error(again, 400)
    assert world.dump() == before


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    case_id = started(client, visitorMessage="hello")
    for path in (f"{CHAT}/{SUPPORT_WIDGET}", f"{CHAT}/poll/{case_id}", f"{CHAT}/no-such-widget"):
        got = client.simulate_get(path, headers=KEY)
        head = client.simulate_head(path, headers=KEY)
        assert (head.status_code, head.content) == (got.status_code, b"")
        assert head.headers.get("content-type") == got.headers.get("content-type")
        assert int(head.headers["content-length"]) == len(got.content)
    refused = client.simulate_head(CHAT, headers=KEY)
    assert (refused.status_code, refused.content) == (405, b"")
    assert refused.headers["allow"] == "POST, PUT, OPTIONS"
    assert (
        client.simulate_delete(f"{CHAT}/poll/{case_id}", headers=KEY).headers["allow"] == "GET, HEAD, OPTIONS"
    )
