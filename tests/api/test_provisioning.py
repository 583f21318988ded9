"""Provisioning API: every verb of /api/v1/user.json and /api/v1/widget.json, every documented rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from falcon.testing import Result, TestClient

from mocksnap.app import create_app
from mocksnap.world import World
from mocksnap.world.models import Visitor
from tests.conftest import (
    OWNER,
    PROVISIONING_KEY,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    LocalClient,
    assert_valid,
    default_document,
)

USERS, WIDGETS = "/api/v1/user.json", "/api/v1/widget.json"
KEY = {"api_key": PROVISIONING_KEY}


def new_user(**fields: Any) -> dict[str, Any]:
    return {
        "email": "Jimbo@Example.com",
        "name": "Jimbo Something",
        "password": "12345",
        "phone": "555-617-8980",
        "accountType": "enterprise",
        **fields,
    }


def sample_widget(name: str = "provisioning-widget-create-request.json") -> dict[str, Any]:
    widget = json.loads((SAMPLES / name).read_text())
    widget["email"] = OWNER
    return widget


def send(client: TestClient, method: str, path: str, body: Any = None, **params: str) -> Result:
    return client.simulate_request(
        method, path, params={**KEY, **params}, body=None if body is None else json.dumps(body)
    )


def error(result: Result, status: int) -> str:
    assert result.status_code == status, result.text
    assert_valid("api-error", result.json)
    assert result.json["code"] == status
    return result.json["message"]


# -- users ------------------------------------------------------------------------------------------------


def test_create_get_update_delete_a_user(client: TestClient) -> None:
    created = send(client, "PUT", USERS, new_user())
    assert created.status_code == 201
    assert_valid("provisioning-user", created.json)
    assert created.json == {
        "email": "jimbo@example.com",
        "name": "Jimbo Something",
        "phone": "555-617-8980",
        "accountType": "enterprise",
    }
    got = send(client, "GET", USERS, email="JIMBO@example.com")
    assert got.status_code == 200
    assert got.json == created.json
    updated = send(
        client, "POST", USERS, {"email": "jimbo@example.com", "name": "Jim", "accountType": "prem"}
    )
    assert updated.status_code == 200
    assert_valid("provisioning-user", updated.json)
    assert updated.json == {
        "email": "jimbo@example.com",
        "name": "Jim",
        "phone": "555-617-8980",
        "accountType": "prem",
    }
    deleted = send(client, "DELETE", USERS, email="jimbo@example.com")
    assert (deleted.status_code, deleted.content) == (200, b"")
    error(send(client, "GET", USERS, email="jimbo@example.com"), 404)


def test_the_password_is_kept_but_never_returned(client: TestClient, world: World) -> None:
    send(client, "PUT", USERS, new_user(password="first-password"))
    send(client, "POST", USERS, {"email": "jimbo@example.com", "name": "Jim"})
    assert world.orgs["5406213"].users["jimbo@example.com"].password == "first-password"
    send(client, "POST", USERS, {"email": "jimbo@example.com", "name": "Jim", "password": "second"})
    assert world.orgs["5406213"].users["jimbo@example.com"].password == "second"
    assert "password" not in send(client, "GET", USERS, email="jimbo@example.com").json


def test_a_user_without_a_phone_is_returned_without_one(client: TestClient) -> None:
    body = new_user()
    del body["phone"]
    assert "phone" not in send(client, "PUT", USERS, body).json


@pytest.mark.parametrize("account_type", ["trial", "biz", "entr", "prem", "enterprise"])
def test_every_documented_account_type_is_accepted(client: TestClient, account_type: str) -> None:
    assert send(client, "PUT", USERS, new_user(accountType=account_type)).json["accountType"] == account_type


def test_a_template_gives_its_account_type_and_accounttype_is_then_ignored(client: TestClient) -> None:
    created = send(client, "PUT", USERS, new_user(accountType="trial", templateId="premier-template"))
    assert (created.status_code, created.json["accountType"]) == (201, "prem")
    body = new_user(email="other@example.com", templateId="premier-template")
    del body["accountType"]
    assert send(client, "PUT", USERS, body).json["accountType"] == "prem"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": None}, "email is required"),
        ({"email": "not-an-email"}, "email must be a valid email address"),
        ({"email": "a" * 94 + "@b.com"}, "email must be less than 100 characters"),
        ({"name": "n" * 100}, "name must be less than 100 characters"),
        ({"name": ""}, "name must not be empty"),
        ({"password": "1234"}, "password must be at least 5 characters"),
        ({"password": "p" * 100}, "password must be less than 100 characters"),
        ({"accountType": "Enterprise"}, "accountType must be one of"),
        ({"accountType": "gold"}, "accountType must be one of"),
        ({"phone": "call me maybe"}, "phone must be a valid phone number"),
        ({"templateId": "no-such-template"}, "templateId no-such-template is not an account template"),
        ({"email": OWNER.upper()}, f"email {OWNER} is already the email of a user"),
    ],
)
def test_create_user_refuses_invalid_fields_naming_the_field(
    client: TestClient, world: World, change: dict[str, Any], message: str
) -> None:
    before = world.dump()
    assert message in error(send(client, "PUT", USERS, new_user(**change)), 400)
    assert world.dump() == before


@pytest.mark.parametrize("field", ["email", "name", "password", "accountType"])
def test_create_user_requires_its_required_fields(client: TestClient, field: str) -> None:
    body = new_user()
    del body[field]
    assert error(send(client, "PUT", USERS, body), 400) == f"{field} is required"


def test_boundary_lengths_are_accepted(client: TestClient) -> None:
    body = new_user(email="a" * 93 + "@b.com", name="n" * 99, password="p" * 99)
    assert send(client, "PUT", USERS, body).status_code == 201
    assert send(client, "PUT", USERS, new_user(email="c@d.io", password="p" * 5)).status_code == 201


def test_update_requires_email_and_name_and_an_existing_user(client: TestClient) -> None:
    assert error(send(client, "POST", USERS, {"email": OWNER}), 400) == "name is required"
    assert error(send(client, "POST", USERS, {"name": "x"}), 400) == "email is required"
    assert "nobody@example.com" in error(
        send(client, "POST", USERS, {"email": "nobody@example.com", "name": "x"}), 404
    )


def test_get_and_delete_need_an_email(client: TestClient) -> None:
    assert error(send(client, "GET", USERS), 400) == "email is required"
    assert error(send(client, "DELETE", USERS), 400) == "email is required"
    error(send(client, "DELETE", USERS, email="nobody@example.com"), 404)


def test_a_user_who_owns_widgets_is_not_deleted(client: TestClient, world: World) -> None:
    before = world.dump()
    message = error(send(client, "DELETE", USERS, email=OWNER), 400)
    assert SUPPORT_WIDGET in message
    assert "delete them first" in message
    assert world.dump() == before


def test_the_docs_widget_delete_typo_is_refused_and_deletes_nothing(client: TestClient, world: World) -> None:
    before = world.dump()
    message = error(send(client, "DELETE", USERS, uuid=SUPPORT_WIDGET, email=OWNER), 400)
    assert "/api/v1/widget.json" in message
    assert world.dump() == before


@pytest.mark.parametrize("method", ["PUT", "GET", "POST", "DELETE"])
@pytest.mark.parametrize("path", [USERS, WIDGETS])
@pytest.mark.parametrize("key", [None, "", "wrong-key", "mocksnap-visitor-key"])
def test_a_wrong_or_missing_api_key_is_401(
    client: TestClient, method: str, path: str, key: str | None
) -> None:
    params = {"email": OWNER, "uuid": SUPPORT_WIDGET} | ({} if key is None else {"api_key": key})
    result = client.simulate_request(method, path, params=params, body=json.dumps(new_user()))
    assert "api_key" in error(result, 401)


@pytest.mark.parametrize("body", ["", "{", "not json", "\xff\xfe", "[]", "null", "42", '"text"'])
@pytest.mark.parametrize("path", [USERS, WIDGETS])
def test_a_body_that_is_not_a_json_object_is_400(
    client: TestClient, world: World, path: str, body: str
) -> None:
    before = world.dump()
    for method in ("PUT", "POST"):
        error(client.simulate_request(method, path, params=KEY, body=body), 400)
    assert world.dump() == before


# -- widgets ----------------------------------------------------------------------------------------------


def test_create_a_widget_from_the_vendor_sample(client: TestClient, world: World) -> None:
    created = send(client, "PUT", WIDGETS, sample_widget())
    assert created.status_code == 201
    assert_valid("provisioning-widget", created.json)
    body = created.json
    assert body["uuid"] not in (SUPPORT_WIDGET, SALES_WIDGET)
    assert body["agents"] == [
        {
            "agentId": "wc:x@example.com",
            "agentAlias": "An Agent",
            "agentAvatar": "https://www.website.com/charlie.png",
            "agentType": "webclient",
        }
    ]
    assert (body["enableProactiveChat"], body["enableConversations"]) == ("true", True)
    assert (body["name"], body["email"], body["destinationEmail"]) == ("Widget #1", OWNER, "x@example.com")
    widget = world.orgs["5406213"].widgets[body["uuid"]]
    assert widget.conversation_schedule is not None
    assert widget.conversation_schedule.time_zone == "US/Mountain"
    assert world.orgs["5406213"].agents["x@example.com"].status == "offline"


def test_widget_ids_come_from_the_seed(client: TestClient, world: World, clock) -> None:
    from falcon.testing import TestClient as Client

    from mocksnap.app import create_app
    from tests.conftest import default_document

    twin = Client(create_app(world=World(default_document(), clock, seed=7)))
    other = Client(create_app(world=World(default_document(), clock, seed=8)))
    first = send(client, "PUT", WIDGETS, sample_widget()).json["uuid"]
    assert send(twin, "PUT", WIDGETS, sample_widget()).json["uuid"] == first
    assert send(other, "PUT", WIDGETS, sample_widget()).json["uuid"] != first


def test_what_the_vendor_java_client_sends_is_accepted(client: TestClient) -> None:
    # The Java sample: a boolean enableProactiveChat, a non-email agent id, no Content-Type.
    body = {
        "email": OWNER.upper(),
        "name": "Jimbo's Widget",
        "destinationEmail": OWNER,
        "agents": [
            {
                "agentId": "12345",
                "agentAlias": "Jimbo",
                "agentAvatar": "https://x/j.png",
                "agentType": "webclient",
            }
        ],
        "enableProactiveChat": True,
    }
    created = client.simulate_put(WIDGETS, params=KEY, body=json.dumps(body), headers={"Content-Type": ""})
    assert created.status_code == 201
    assert created.json["enableProactiveChat"] == "true"
    assert created.json["agents"][0]["agentId"] == "wc:12345"
    assert created.json["email"] == OWNER


def test_deprecated_fields_are_accepted_and_left_out(client: TestClient) -> None:
    body = sample_widget() | {
        "onlineButtonUrl": "https://x/on.png",
        "offlineButtonUrl": "https://x/off.png",
        "proactiveSettings": {"delayInSec": "45", "message": "Hi"},
    }
    created = send(client, "PUT", WIDGETS, body)
    assert created.status_code == 201
    assert not {"onlineButtonUrl", "offlineButtonUrl", "proactiveSettings"} & created.json.keys()


def test_get_update_delete_a_widget(client: TestClient, world: World) -> None:
    widget_id = send(client, "PUT", WIDGETS, sample_widget()).json["uuid"]
    got = send(client, "GET", WIDGETS, uuid=widget_id, email=OWNER.upper())
    assert got.status_code == 200
    assert_valid("provisioning-widget", got.json)
    assert "enableConversations" not in got.json  # as the GET sample shows

    update = sample_widget("provisioning-widget-update-request.json") | {"uuid": widget_id}
    updated = send(client, "POST", WIDGETS, update)
    assert updated.status_code == 200
    assert_valid("provisioning-widget", updated.json)
    assert (updated.json["name"], updated.json["enableProactiveChat"]) == (
        "Widget #1 - Sales Widget",
        "false",
    )
    plan = world.orgs["5406213"].widgets[widget_id].conversation_schedule
    assert [e.schedule_list for e in plan.schedules] == [["9:00 AM", "12:00 PM"], ["1:00 PM", "5:00 PM"]]

    deleted = send(client, "DELETE", WIDGETS, uuid=widget_id, email=OWNER)
    assert (deleted.status_code, deleted.content) == (200, b"")
    error(send(client, "GET", WIDGETS, uuid=widget_id, email=OWNER), 404)
    assert "x@example.com" not in world.orgs["5406213"].agents


def test_update_keeps_settings_it_is_not_given_and_agent_statuses(client: TestClient, world: World) -> None:
    body = {
        "email": OWNER,
        "uuid": SALES_WIDGET,
        "agents": [
            {
                "agentId": "wc:Charlie@Example.com",
                "agentAlias": "C.",
                "agentAvatar": "",
                "agentType": "webclient",
            },
            {"agentId": "eve@example.com", "agentAlias": "Eve", "agentAvatar": "", "agentType": "skype"},
        ],
    }
    updated = send(client, "POST", WIDGETS, body)
    assert updated.status_code == 200
    assert [a["agentId"] for a in updated.json["agents"]] == ["wc:charlie@example.com", "wc:eve@example.com"]
    assert updated.json["name"] == "Sales (business hours)"
    org = world.orgs["5406213"]
    assert org.widgets[SALES_WIDGET].conversation_schedule.time_zone == "Europe/Berlin"
    assert (org.agents["charlie@example.com"].status, org.agents["eve@example.com"].status) == (
        "online",
        "offline",
    )
    assert "dana@example.com" not in org.agents


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"agents": []}, 400, "agents must have at least 1 item"),
        ({"agents": None}, 400, "agents is required"),
        ({"email": "nobody@example.com"}, 404, "nobody@example.com"),
        ({"name": "w" * 100}, 400, "name must be less than 100 characters"),
        ({"destinationEmail": "nope"}, 400, "destinationEmail must be a valid email address"),
        ({"enableProactiveChat": "yes"}, 400, "enableProactiveChat must be one of"),
        ({"enableConversations": "true"}, 400, "enableConversations must be a boolean"),
        ({"conversationSchedule": {"timeZone": "Mars/Base", "schedules": []}}, 400, "known time zone"),
        (
            {
                "conversationSchedule": {
                    "timeZone": "UTC",
                    "schedules": [
                        {"dayOfWeek": "FUNDAY", "enabled": True, "scheduleList": ["9:00 AM", "5:00 PM"]}
                    ],
                }
            },
            400,
            "conversationSchedule.schedules[0].dayOfWeek must be one of",
        ),
        (
            {
                "conversationSchedule": {
                    "timeZone": "UTC",
                    "schedules": [{"dayOfWeek": "MONDAY", "enabled": True, "scheduleList": ["9 AM", "5 PM"]}],
                }
            },
            400,
            "conversationSchedule.schedules[0].scheduleList[0] must be a time in h:mm AM/PM format",
        ),
        (
            {
                "conversationSchedule": {
                    "timeZone": "UTC",
                    "schedules": [
                        {"dayOfWeek": "MONDAY", "enabled": True, "scheduleList": ["5:00 PM", "9:00 AM"]}
                    ],
                }
            },
            400,
            "must end each range after it starts",
        ),
    ],
)
def test_create_widget_refuses_invalid_fields(
    client: TestClient, world: World, change: dict[str, Any], status: int, message: str
) -> None:
    before = world.dump()
    assert message in error(send(client, "PUT", WIDGETS, sample_widget() | change), status)
    assert world.dump() == before


@pytest.mark.parametrize("field", ["agentId", "agentAlias", "agentAvatar", "agentType"])
def test_each_agent_needs_its_four_fields(client: TestClient, field: str) -> None:
    body = sample_widget()
    del body["agents"][0][field]
    assert error(send(client, "PUT", WIDGETS, body), 400) == f"agents[0].{field} is required"


@pytest.mark.parametrize("agent_type", ["webclient", "google", "skype"])
def test_every_documented_agent_type_is_accepted(client: TestClient, agent_type: str) -> None:
    body = sample_widget()
    body["agents"][0]["agentType"] = agent_type
    assert send(client, "PUT", WIDGETS, body).json["agents"][0]["agentType"] == agent_type


def test_an_agent_twice_on_one_widget_is_refused(client: TestClient) -> None:
    body = sample_widget()
    body["agents"].append({**body["agents"][0], "agentId": "WC:X@EXAMPLE.COM"})
    assert (
        error(send(client, "PUT", WIDGETS, body), 400)
        == "agents[1].agentId x@example.com is on this widget twice"
    )


def test_widget_update_and_delete_find_the_widget_by_uuid_and_owner(client: TestClient, world: World) -> None:
    send(client, "PUT", USERS, new_user())
    before = world.dump()
    update = sample_widget("provisioning-widget-update-request.json")
    error(send(client, "POST", WIDGETS, update | {"uuid": "no-such-widget"}), 404)
    error(send(client, "POST", WIDGETS, update | {"uuid": SUPPORT_WIDGET, "email": "jimbo@example.com"}), 404)
    error(send(client, "DELETE", WIDGETS, uuid=SUPPORT_WIDGET, email="jimbo@example.com"), 404)
    error(send(client, "GET", WIDGETS, uuid=SUPPORT_WIDGET, email="jimbo@example.com"), 404)
    assert error(send(client, "GET", WIDGETS, email=OWNER), 400) == "uuid is required"
    assert error(send(client, "DELETE", WIDGETS, uuid=SUPPORT_WIDGET), 400) == "email is required"
    assert error(send(client, "POST", WIDGETS, {k: v for k, v in update.items() if k != "uuid"}), 400) == (
        "uuid is required"
    )
    assert world.dump() == before


def test_each_change_is_an_event_stamped_with_the_clock(client: TestClient, world: World, clock) -> None:
    send(client, "PUT", USERS, new_user())
    world.scheduler.advance(60)
    widget_id = send(client, "PUT", WIDGETS, sample_widget()).json["uuid"]
    events = [e.as_dict() for e in world.events.since(0)]
    assert [(e["kind"], e["at"]) for e in events] == [
        ("user.created", "2026-11-23T09:30:00.000Z"),
        ("widget.created", "2026-11-23T09:31:00.000Z"),
    ]
    assert events[1]["data"] == {"widgetId": widget_id}


def test_what_is_stored_always_holds_to_the_world_schema(client: TestClient, world: World) -> None:
    before = world.dump()
    # "İ" lowercases to two characters: 60 of them make a valid email too long once lowercased.
    assert "email must be less than 100 characters" in error(
        send(client, "PUT", USERS, new_user(email="İ" * 60 + "@x.io")), 400
    )
    body = sample_widget()
    body["agents"][0]["agentId"] = "İ" * 99
    assert "agentId must be less than 100 characters" in error(send(client, "PUT", WIDGETS, body), 400)
    assert world.dump() == before
    body["agents"][0]["agentId"] = "wc:WC:Agent@Example.com"
    assert send(client, "PUT", WIDGETS, body).json["agents"][0]["agentId"] == "wc:agent@example.com"
    assert_valid("world", world.dump())


def test_a_time_zone_folder_is_not_a_time_zone(client: TestClient) -> None:
    plan = {"timeZone": "America", "schedules": []}
    assert "known time zone" in error(
        send(client, "PUT", WIDGETS, sample_widget() | {"conversationSchedule": plan}), 400
    )


# -- widgets with a bot (set up in the world document, never through this API) ----------------------------

BOT_AGENT = {
    "agentId": "helper-bot",
    "agentAlias": "Helper Bot",
    "agentAvatar": "",
    "agentType": "bot",
    "status": "online",
    "tags": ["FAQ"],
    "bot": {"url": "http://bot.test/hook", "authToken": "bot-token"},
}


@pytest.fixture
def bot_client(clock) -> tuple[TestClient, World]:
    document = default_document()
    support = next(w for w in document["organizations"][0]["widgets"] if w["uuid"] == SUPPORT_WIDGET)
    support["agents"].insert(0, dict(BOT_AGENT))
    world = World(document, clock, seed=7)
    return LocalClient(create_app(world=world)), world


def test_the_widget_get_does_not_list_its_bot(bot_client) -> None:
    client, world = bot_client
    got = send(client, "GET", WIDGETS, uuid=SUPPORT_WIDGET, email=OWNER)
    assert got.status_code == 200, got.text
    assert_valid("provisioning-widget", got.json)
    assert [a["agentId"] for a in got.json["agents"]] == ["wc:sam@example.com", "wc:michael@example.com"]
    assert world.orgs["5406213"].widgets[SUPPORT_WIDGET].agents[0].is_bot  # still there, only not shown


def test_a_widget_update_keeps_its_bot(bot_client) -> None:
    client, world = bot_client
    body = {
        "email": OWNER,
        "uuid": SUPPORT_WIDGET,
        "agents": [
            {"agentId": "eve@example.com", "agentAlias": "Eve", "agentAvatar": "", "agentType": "skype"}
        ],
    }
    updated = send(client, "POST", WIDGETS, body)
    assert updated.status_code == 200, updated.text
    assert_valid("provisioning-widget", updated.json)
    assert [a["agentId"] for a in updated.json["agents"]] == ["wc:eve@example.com"]
    org = world.orgs["5406213"]
    agents = org.widgets[SUPPORT_WIDGET].agents
    assert [(a.agent_id, a.agent_type) for a in agents] == [
        ("eve@example.com", "skype"),
        ("helper-bot", "bot"),
    ]
    bot = agents[1]
    assert (bot.tags, bot.bot) == (("FAQ",), BOT_AGENT["bot"])
    assert org.agents["helper-bot"].status == "online"  # its status record stays too
    assert "sam@example.com" not in org.agents
    assert_valid("world", world.dump())
    # and it still takes the widget's new chats at once
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")
    assert (case.state, case.agent_id) == ("assigned", "helper-bot")
    # the bot cannot be added through the API: the Provisioning API has no agentType "bot"
    body["agents"].append(
        {
            **{k: BOT_AGENT[k] for k in ("agentAlias", "agentAvatar")},
            "agentId": "other-bot",
            "agentType": "bot",
        }
    )
    assert "agentType" in error(send(client, "POST", WIDGETS, body), 400)


# -- explicit nulls (Java clients serialize unset fields as null) --------------------------------------------

WIDGET_OPTIONALS = [
    "name",
    "destinationEmail",
    "enableProactiveChat",
    "enableConversations",
    "conversationSchedule",
]


def test_a_user_created_with_null_optional_fields_is_created_without_them(client: TestClient) -> None:
    body = new_user(phone=None, templateId=None)
    assert_valid("provisioning-user-create-request", body)
    created = send(client, "PUT", USERS, body)
    assert created.status_code == 201, created.text
    assert created.json == {
        "email": "jimbo@example.com",
        "name": "Jimbo Something",
        "accountType": "enterprise",
    }


def test_a_null_accounttype_beside_a_template_takes_the_templates(client: TestClient) -> None:
    body = new_user(accountType=None, templateId="premier-template")
    assert_valid("provisioning-user-create-request", body)
    assert send(client, "PUT", USERS, body).json["accountType"] == "prem"


@pytest.mark.parametrize("field", ["email", "name", "password", "accountType"])
def test_a_required_user_field_sent_as_null_is_missing(client: TestClient, world: World, field: str) -> None:
    before = world.dump()
    assert error(send(client, "PUT", USERS, new_user(**{field: None})), 400) == f"{field} is required"
    assert world.dump() == before


def test_a_user_update_with_nulls_keeps_what_it_was_not_given(client: TestClient, world: World) -> None:
    send(client, "PUT", USERS, new_user())
    body = {"email": "jimbo@example.com", "name": "Jim", "password": None, "phone": None, "accountType": None}
    assert_valid("provisioning-user-update-request", body)
    updated = send(client, "POST", USERS, body)
    assert updated.status_code == 200, updated.text
    assert updated.json == {
        "email": "jimbo@example.com",
        "name": "Jim",
        "phone": "555-617-8980",
        "accountType": "enterprise",
    }
    assert world.orgs["5406213"].users["jimbo@example.com"].password == "12345"


def test_a_widget_created_with_null_optional_fields_gets_the_defaults(
    client: TestClient, world: World
) -> None:
    # The vendor's Java SnapEngageWidget has a uuid field, null on create.
    body = sample_widget() | dict.fromkeys([*WIDGET_OPTIONALS, "uuid"])
    assert_valid("provisioning-widget-create-request", body)
    created = send(client, "PUT", WIDGETS, body)
    assert created.status_code == 201, created.text
    assert "name" not in created.json
    assert (created.json["destinationEmail"], created.json["enableProactiveChat"]) == (OWNER, "true")
    assert created.json["enableConversations"] is True
    assert world.orgs["5406213"].widgets[created.json["uuid"]].conversation_schedule is None


def test_a_widget_update_with_null_optional_fields_keeps_their_values(
    client: TestClient, world: World
) -> None:
    widget_id = send(client, "PUT", WIDGETS, sample_widget()).json["uuid"]
    before = send(client, "GET", WIDGETS, uuid=widget_id, email=OWNER).json
    body = sample_widget("provisioning-widget-update-request.json") | dict.fromkeys(WIDGET_OPTIONALS)
    body["uuid"] = widget_id
    assert_valid("provisioning-widget-update-request", body)
    updated = send(client, "POST", WIDGETS, body)
    assert updated.status_code == 200, updated.text
    for field in ("name", "destinationEmail", "enableProactiveChat"):
        assert updated.json[field] == before[field]
    plan = world.orgs["5406213"].widgets[widget_id].conversation_schedule
    assert plan is not None
    assert plan.time_zone == "US/Mountain"


def test_a_bad_value_of_a_nullable_field_is_named_as_before(client: TestClient) -> None:
    assert error(send(client, "PUT", USERS, new_user(phone=5)), 400) == "phone must be a string"
    body = sample_widget() | {"destinationEmail": "nobody"}
    assert error(send(client, "PUT", WIDGETS, body), 400) == "destinationEmail must be a valid email address"
