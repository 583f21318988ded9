"""The widget's endpoints, fast (Falcon's TestClient over the default world on a manual clock): its script,
its settings, a chat started and carried on from a page, the answers to bad calls, and who may read them."""

from __future__ import annotations

from typing import Any

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, assert_valid

PAGE = "https://shop.example.com/boots?size=44"
ORIGIN = {"Origin": "https://shop.example.com"}


def start(client: TestClient, widget: str = SUPPORT_WIDGET, **body: Any) -> Any:
    answer = client.simulate_post(f"/widget/{widget}/chats", json=body, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    assert_valid("widget-chat", answer.json)
    return answer.json


@pytest.mark.parametrize("path", [f"/js/{SUPPORT_WIDGET}.js", f"/code.snapengage.com/js/{SUPPORT_WIDGET}.js"])
def test_the_script_is_javascript_for_its_widget_with_mocksnap_s_address(
    client: TestClient, path: str
) -> None:
    answer = client.simulate_get(path, host="mocksnap.test", port=8000)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    head = f'var MOCKSNAP_WIDGET = {{"widgetId": "{SUPPORT_WIDGET}", "base": "http://mocksnap.test:8000"}};'
    assert head in answer.text
    for name in ("window.SnapEngage = SnapEngage", "window.SnapABug = SnapEngage", "function followLive"):
        assert name in answer.text


def test_an_unknown_widget_has_no_script_nor_settings(client: TestClient) -> None:
    assert client.simulate_get("/js/nope.js").json == {"code": 404, "message": "no widget nope"}
    assert client.simulate_get("/widget/nope/settings").status_code == 404
    assert client.simulate_post("/widget/nope/chats", json={}).status_code == 404


def test_settings_say_what_the_widget_shows(client: TestClient) -> None:
    settings = client.simulate_get(f"/widget/{SALES_WIDGET}/settings").json
    assert_valid("widget-settings", settings)
    assert (settings["online"], settings["emailRequired"], settings["proactiveChat"]) == (True, True, False)
    assert settings["proactiveAgent"] == "Charlie"
    assert [w["widgetId"] for w in settings["widgets"]] == [SUPPORT_WIDGET, SALES_WIDGET]


def test_a_chat_from_a_page_carries_what_the_page_knows(client: TestClient, world: World) -> None:
    view = start(
        client,
        email="Arya@Example.com",
        name="Arya Stark",
        message="Hello",
        pageUrl=PAGE,
        referrerUrl="https://search.example.com/",
        locale="de",
        customFields=[{"name": "Company", "value": "Vandelay Industries"}],
    )
    assert (view["kind"], view["state"], view["lines"][0]["alias"]) == ("chat", "queued", "Arya Stark")
    visitor = world.cases[view["caseId"]].visitor
    assert (visitor.email, visitor.name, visitor.locale) == ("arya@example.com", "Arya Stark", "de")
    assert (visitor.page_url, visitor.entry_url, visitor.referrer_url) == (
        PAGE,
        PAGE,
        "https://search.example.com/",
    )
    assert visitor.javascript_variables == [("Company", "Vandelay Industries")]
    assert visitor.ip_address is not None
    assert visitor.user_agent is not None


def test_the_visitor_s_actions_are_the_world_s_commands(client: TestClient, world: World) -> None:
    case_id = start(client, message="Hello")["caseId"]
    base = f"/widget/chats/{case_id}"
    for action, body in [
        ("messages", {"text": "Anyone?"}),
        ("notes", {"text": "Customer since 2019"}),
        ("typing", {"typing": True}),
        ("page", {"url": PAGE}),
    ]:
        answer = client.simulate_post(f"{base}/{action}", json=body)
        assert answer.status_code == 200, (action, answer.text)
        assert_valid("widget-chat", answer.json)
    case = world.cases[case_id]
    assert [(e.sender, e.message) for e in case.entries if e.sender in ("VISITOR", "NOTE")] == [
        ("VISITOR", "Hello"),
        ("VISITOR", "Anyone?"),
        ("NOTE", "Customer since 2019"),
    ]
    assert all(line["text"] != "Customer since 2019" for line in client.simulate_get(base).json["lines"])
    assert (case.visitor_typing, case.visitor.page_url) == (True, PAGE)
    ended = client.simulate_post(f"{base}/end").json
    assert (ended["state"], ended["endedBy"]) == ("closed", "visitor")
    rated = client.simulate_post(f"{base}/survey", json={"stars": 4, "comment": "Quick"}).json
    assert rated["surveyScore"] == 80
    assert client.simulate_post(f"{base}/messages", json={"text": "late"}).status_code == 400


def test_an_offline_message_is_a_closed_offline_case(client: TestClient) -> None:
    view = start(client, email="ned@example.com", message="Winter is coming", offline=True)
    assert (view["kind"], view["state"]) == ("offline", "closed")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/widget/{SALES_WIDGET}/chats", {"message": "no email"}),  # the widget requires one
        (f"/widget/{SUPPORT_WIDGET}/chats", {"email": "not an email"}),
        (f"/widget/{SUPPORT_WIDGET}/chats", {"customFields": [{"name": "x"}]}),
        (f"/widget/{SUPPORT_WIDGET}/chats", {"surprise": True}),
        (f"/widget/{SUPPORT_WIDGET}/chats", [1]),
    ],
)
def test_a_bad_start_is_refused_and_changes_nothing(
    client: TestClient, world: World, path: str, body: Any
) -> None:
    answer = client.simulate_post(path, json=body)
    assert answer.status_code == 400
    assert_valid("api-error", answer.json)
    assert world.cases == {}


@pytest.mark.parametrize(
    ("action", "body"),
    [("messages", {}), ("typing", {"typing": "yes"}), ("page", {"url": ""}), ("survey", {"stars": 6}),
     ("notes", {"text": ""}), ("messages", {"responseId": "btn-1"}),
     ("messages", {"text": "Yes", "responseId": "not-offered"})],
)  # fmt: skip
def test_bad_actions_are_refused(client: TestClient, action: str, body: dict[str, Any]) -> None:
    case_id = start(client, message="Hello")["caseId"]
    answer = client.simulate_post(f"/widget/chats/{case_id}/{action}", json=body)
    assert answer.status_code == 400, answer.text
    assert client.simulate_post(f"/widget/chats/nope/{action}", json=body).status_code in (400, 404)


def test_any_origin_may_read_the_widget_s_answers_and_the_availability(client: TestClient) -> None:
    preflight = client.simulate_options(
        f"/widget/{SUPPORT_WIDGET}/chats",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-headers"] == "content-type"
    assert preflight.headers["access-control-allow-methods"] == "OPTIONS, POST"
    availability = client.simulate_get(f"/public/api/v2/chat/{SUPPORT_WIDGET}", headers=ORIGIN)
    assert availability.headers["access-control-allow-origin"] == "*"
    unknown = client.simulate_get("/public/api/v2/chat/nope", headers=ORIGIN)
    assert unknown.headers["access-control-allow-origin"] == "*"  # the error is readable too
    preflight = client.simulate_options(f"/public/api/v2/chat/{SUPPORT_WIDGET}", headers=ORIGIN)
    assert preflight.status_code == 204
    for action in ("messages", "end"):
        missing = client.simulate_post(f"/widget/chats/nope/{action}", json={"text": "hi"}, headers=ORIGIN)
        assert (missing.status_code, missing.headers["access-control-allow-origin"]) == (404, "*")
        preflight = client.simulate_options(f"/widget/chats/nope/{action}", headers=ORIGIN)
        assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in client.simulate_get("/__admin/health", headers=ORIGIN).headers
    assert (
        client.simulate_options("/api/v1/chat", headers=ORIGIN).headers.get("access-control-allow-origin")
        is None
    )


def test_a_proactive_invitation_is_an_event_for_the_widget_s_pages(client: TestClient, world: World) -> None:
    answer = client.simulate_post(f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", json={"url": PAGE})
    assert answer.status_code == 200
    assert_valid("admin-proactive", answer.json)
    [event] = [e for e in world.events.since(0) if e.kind == "widget.proactive_invited"]
    assert event.data == {k: v for k, v in answer.json.items() if k != "seq"}
    assert event.data["agentAlias"] == "Sam"
    for body, status in [({"url": ""}, 400), ({"other": 1}, 400)]:
        assert (
            client.simulate_post(f"/__admin/widgets/{SUPPORT_WIDGET}/proactive", json=body).status_code
            == status
        )
    assert client.simulate_post("/__admin/widgets/nope/proactive").status_code == 404
    world.set_agent_status(world.orgs["5406213"], "sam@example.com", "pause")
    world.set_agent_status(world.orgs["5406213"], "michael@example.com", "pause")
    offline = client.simulate_post(f"/__admin/widgets/{SUPPORT_WIDGET}/proactive")
    assert offline.json == {"code": 400, "message": f"widget {SUPPORT_WIDGET} is offline"}
