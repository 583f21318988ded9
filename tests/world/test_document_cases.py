"""Cases in a world document: a world of chats built by commands dumps, loads back the same (to the byte), and
answers the same through every API; the chats under way go on; broken cases are refused with their paths."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mocksnap import schemas
from mocksnap.app import create_app
from mocksnap.clock import ManualClock, from_ms, iso, to_ms
from mocksnap.config import Config
from mocksnap.world import DocumentError, World, cases_doc
from mocksnap.world import document as world_document
from mocksnap.world.chats import INACTIVITY_TIMEOUT_S, QUEUE_TIMEOUT_S
from mocksnap.world.models import Visitor
from tests.conftest import (
    API_TOKEN,
    MONDAY_MORNING_BERLIN,
    ORG_ID,
    SALES_WIDGET,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    LocalClient,
    assert_valid,
    default_document,
)

BOT = {
    "agentId": "helper-bot",
    "agentAlias": "Helper Bot",
    "agentAvatar": "https://example.com/avatars/bot.png",
    "agentType": "bot",
    "tags": ["FAQ"],
    "bot": {"url": "https://bots.example.com/hook"},
    "status": "online",
}


def full_visitor(n: int) -> Visitor:
    return Visitor(
        email=f"visitor{n}@example.com",
        name=f"Visitor {n}",
        phone="+49 30 1234567",
        user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0",
        locale="de-DE",
        app_version_name="web 1.2",
        ip_address="93.219.34.218",
        page_url="https://shop.example.com/cart",
        referrer_url="https://www.example.org/search?q=shoes",
        entry_url="https://shop.example.com/",
        country_code="DE",
        country="Germany",
        region="BE",
        city="Berlin",
        latitude=52.520008,
        longitude=13.404954,
        javascript_variables=[("productName", "Der Blahster"), ("productPrice", "$3.99")],
        hmac="0f" * 32,
    )


def a_day_of_chats(world: World) -> dict[str, str]:
    """Chats of every kind, by world commands only (no app, so no simulated agent takes part); their ids."""
    org, clock = world.orgs[ORG_ID], world.scheduler
    made = {}

    # A chat with everything: accepted, answered with translations, labeled, transferred to another widget
    # and accepted there, closed, surveyed.
    case = world.start_case(org, SUPPORT_WIDGET, full_visitor(1), "Hallo, my order is late")
    made["full"] = case.case_id
    clock.advance(2.5)
    world.accept(case, "sam@example.com")
    clock.advance(1)
    world.agent_message(case, "sam@example.com", "Hi, I'm Sam.", {"de": "Hallo, ich bin Sam.", "fr": "Salut"})
    world.visitor_message(case, "Order 1234, please")
    world.label(case, "topic", "shipping")
    world.label(case, "order", "1234")
    world.set_contact(case, "CRM", "A good customer since 2019")
    clock.advance(30)
    world.transfer(case, widget_id=SALES_WIDGET)
    clock.advance(5)
    world.accept(case, "charlie@example.com")
    world.agent_message(case, "charlie@example.com", "It ships today.")
    world.redirect(case, "https://shop.example.com/orders/1234")
    clock.advance(60)
    world.close(case, "visitor")
    world.survey(case, 80, "Quick and kind")
    case.visitor_transcript_email = "visitor1@example.com"  # no world command sets it yet

    clock.advance(61)
    made["offline"] = world.start_case(
        org, SALES_WIDGET, full_visitor(2), "Call me back", offline=True
    ).case_id

    # A bot's chat: buttons, a click, cards, then a tag transfer to agents nobody has: it waits, queued.
    world.put_widget_agent(org, SUPPORT_WIDGET, BOT)
    clock.advance(1.234)
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(email="bot-visitor@example.com"), "help")
    made["queued"] = case.case_id
    assert (case.state, case.agent_id) == ("assigned", "helper-bot")
    buttons = {"displayResponses": [{"text": "Billing", "id": "b1"}, {"text": "Other"}]}
    world.agent_message(case, "helper-bot", "What about?", attachment=buttons)
    world.visitor_message(case, "", response_id="b1")
    cards = {"cards": {"layout": "VERTICAL", "cards": [{"title": "FAQ", "link": "https://example.com/faq"}]}}
    world.agent_message(case, "helper-bot", "FAQ - https://example.com/faq", attachment=cards)
    world.transfer(case, widget_id=SUPPORT_WIDGET, tags=("VIP",))
    assert (case.state, case.tags, case.route is not None) == ("queued", ("VIP",), True)
    world.set_agent_status(org, "helper-bot", "offline")

    # A proactive chat, under way with Michael; and one a visitor ended before anyone came.
    clock.advance(3)
    case = world.start_case(
        org, SUPPORT_WIDGET, full_visitor(3), "Yes please", proactive_message="Need help?"
    )
    made["assigned"] = case.case_id
    world.accept(case, "michael@example.com")
    world.agent_message(case, "michael@example.com", "Sure, what do you need?")
    clock.advance(4)
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "anyone?")
    made["abandoned"] = case.case_id
    world.close(case, "visitor")
    return made


@pytest.fixture
def made(world: World) -> dict[str, str]:
    return a_day_of_chats(world)


def loaded(document: dict[str, Any], at, seed: int = 7) -> World:
    return World(copy.deepcopy(document), ManualClock(at), seed=seed)


def logs(world: World) -> list[dict[str, Any]]:
    client = LocalClient(create_app(Config(), world))
    pages, query = [], urlencode({"start": "2026-11-22", "end": "2026-11-24"})
    result = client.simulate_get(
        f"/api/v2/{ORG_ID}/logs", query_string=query, headers={"Authorization": API_TOKEN}
    )
    assert result.status_code == 200, result.text
    assert_valid("logs-response", result.json)
    pages.append(result.json)
    for widget_id in (SUPPORT_WIDGET, SALES_WIDGET):
        query = urlencode({"start": "2026-11-23", "end": "2026-11-23", "widgetId": widget_id})
        pages.append(
            client.simulate_get(
                f"/api/v2/{ORG_ID}/logs", query_string=query, headers={"Authorization": API_TOKEN}
            ).json
        )
    return pages


def views(world: World, case_ids: list[str]) -> list[Any]:
    """What the control API and the visitors' polls show."""
    client = LocalClient(create_app(Config(), world))
    found: list[Any] = [client.simulate_get("/__admin/cases").json]
    for case_id in case_ids:
        found.append(client.simulate_get(f"/__admin/cases/{case_id}").json)
        poll = client.simulate_get(f"/api/v1/chat/poll/{case_id}", headers={"x-api-key": VISITOR_KEY})
        found.append((poll.status_code, poll.json))
    return found


# -- round trip -------------------------------------------------------------------------------------------


def test_a_world_of_chats_dumps_loads_and_dumps_the_same_bytes(world: World, made: dict[str, str]) -> None:
    dumped = world.dump()
    assert_valid("world", dumped)
    cases = dumped["organizations"][0]["cases"]
    assert [c["caseId"] for c in cases] == [
        made[k] for k in ("full", "offline", "queued", "assigned", "abandoned")
    ]
    assert list(dumped["organizations"][0])[-1] == "cases"
    text = world_document.to_yaml(dumped)
    again = loaded(world_document.parse(text), world.clock.now())
    assert again.dump() == dumped
    assert world_document.to_yaml(again.dump()) == text
    # Through a file, as `mocksnap serve --world` reads it.
    assert world_document.parse(text) == dumped == json.loads(json.dumps(dumped))


def test_the_cases_are_written_as_the_models_hold_them(world: World, made: dict[str, str]) -> None:
    full = next(c for c in world.dump()["organizations"][0]["cases"] if c["caseId"] == made["full"])
    created = world.cases[made["full"]].created_ms
    assert full["createdAt"] == iso(from_ms(created)) == "2026-11-23T09:30:00.000Z"
    assert (full["acceptedAt"], full["respondedAt"]) == (
        "2026-11-23T09:30:38.500Z",
        "2026-11-23T09:30:03.500Z",
    )
    assert list(full) == [
        "caseId", "widgetId", "type", "sourceId", "createdAt", "visitor", "description", "state", "agentId",
        "acceptedAt", "respondedAt", "closedAt", "lastActivityAt", "endedBy", "entries", "labels", "survey",
        "visitorTranscriptEmail", "contact",
    ]  # fmt: skip
    assert full["visitor"] == {
        "email": "visitor1@example.com",
        "name": "Visitor 1",
        "phone": "+49 30 1234567",
        "userAgent": full_visitor(1).user_agent,
        "locale": "de-DE",
        "appVersionName": "web 1.2",
        "ipAddress": "93.219.34.218",
        "pageUrl": "https://shop.example.com/cart",
        "referrerUrl": "https://www.example.org/search?q=shoes",
        "entryUrl": "https://shop.example.com/",
        "countryCode": "DE",
        "country": "Germany",
        "region": "BE",
        "city": "Berlin",
        "latitude": 52.520008,
        "longitude": 13.404954,
        "javascriptVariables": [
            {"name": "productName", "value": "Der Blahster"},
            {"name": "productPrice", "value": "$3.99"},
        ],
        "hmac": "0f" * 32,
    }
    assert (full["widgetId"], full["agentId"], full["endedBy"]) == (
        SALES_WIDGET,
        "charlie@example.com",
        "visitor",
    )
    assert full["entries"][0] == {
        "sender": "VISITOR",
        "at": "2026-11-23T09:30:00.000Z",
        "message": "Hallo, my order is late",
    }
    assert full["entries"][4] == {
        "sender": "AGENT",
        "agentId": "sam@example.com",  # an agent of the widget the chat came from
        "alias": "Sam",
        "at": "2026-11-23T09:30:03.500Z",
        "message": "Hi, I'm Sam.",
        "translations": {"de": "Hallo, ich bin Sam.", "fr": "Salut"},
    }
    assert {
        "sender": "NOTE",
        "alias": "CRM",
        "at": "2026-11-23T09:30:03.500Z",
        "message": "A good customer since 2019",
    } in full["entries"]
    assert full["labels"] == [{"name": "topic", "value": "shipping"}, {"name": "order", "value": "1234"}]
    assert full["survey"] == {"score": 80, "comments": "Quick and kind"}
    queued = next(c for c in world.dump()["organizations"][0]["cases"] if c["caseId"] == made["queued"])
    assert (queued["state"], queued["tags"], queued["route"]) == (
        "queued",
        ["VIP"],
        {"humansOnly": False, "tags": ["VIP"], "exclude": "helper-bot"},
    )
    assert queued["entries"][4]["attachment"] == {
        "displayResponses": [{"text": "Billing", "id": "b1"}, {"text": "Other"}]
    }
    assert {"agentId", "closedAt"}.isdisjoint(queued)


def test_the_yaml_holds_each_case_on_a_line_of_its_own(world: World, made: dict[str, str]) -> None:
    text = world_document.to_yaml(world.dump())
    lines = [line for line in text.splitlines() if line.startswith("  - {")]
    assert [json.loads(line[4:])["caseId"] for line in lines] == list(world.cases)
    # Any YAML reader reads the same document from it.
    assert yaml.safe_load(text) == world.dump()


def test_the_loaded_world_answers_as_the_one_it_was_dumped_from(world: World, made: dict[str, str]) -> None:
    again = loaded(world.dump(), world.clock.now())
    answers = logs(world)
    assert [len(page["cases"]) for page in answers] == [5, 3, 2]  # all, then by widget
    assert logs(again) == answers
    shown = views(world, list(made.values()))
    assert [poll[0] for poll in shown[2::2]] == [200] * 5
    assert views(again, list(made.values())) == shown
    assert list(again.open_chats) == [made["queued"], made["assigned"]]


def test_a_loaded_queued_chat_times_out_as_no_agents_found(world: World, made: dict[str, str]) -> None:
    again = loaded(world.dump(), world.clock.now())
    case = again.cases[made["queued"]]
    again.scheduler.advance(QUEUE_TIMEOUT_S - 1)
    assert case.state == "queued"
    again.scheduler.advance(1)
    assert (case.state, case.ended_by) == ("closed", "no_agents_found")
    assert case.case_id not in again.open_chats
    assert [e.kind for e in again.events.since(0)] == ["case.closed"]


def test_a_loaded_chat_under_way_goes_on_and_times_out_after_its_last_activity(
    world: World, made: dict[str, str]
) -> None:
    last = world.cases[made["assigned"]].last_activity_ms
    again = loaded(world.dump(), from_ms(last) + timedelta(minutes=10))
    case = again.cases[made["assigned"]]
    again.agent_message(case, "michael@example.com", "Still there?")  # commands work on it
    again.visitor_message(case, "yes")
    again.scheduler.advance(INACTIVITY_TIMEOUT_S - 1)
    assert case.state == "assigned"
    again.scheduler.advance(1)
    assert (case.state, case.ended_by) == ("closed", "timed_out")

    # Loaded long after its last activity, it times out at once.
    late = loaded(world.dump(), from_ms(last) + timedelta(hours=2))
    late.scheduler.advance(0)
    assert late.cases[made["assigned"]].ended_by == "timed_out"


def test_a_loaded_world_draws_no_case_id_it_holds(world: World, made: dict[str, str]) -> None:
    again = loaded(world.dump(), world.clock.now(), seed=7)  # the seed that drew those ids
    again.scheduler.advance(1)
    case = again.start_case(again.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hi")
    assert case.case_id not in made.values()
    assert len(again.cases) == len(made) + 1
    assert [c.case_id for c in again.cases_created(SUPPORT_WIDGET, 0, 2**62)][-1] == case.case_id


def test_reset_of_a_server_started_with_cases_brings_them_back(
    world: World, made: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(world_document.to_yaml(world.dump()))
    served = World(world_document.read(path), ManualClock(world.clock.now()), seed=3)
    initial = served.dump()
    client = LocalClient(create_app(Config(world=path), served))
    assert [c["caseId"] for c in client.simulate_get("/__admin/cases").json["cases"]] == list(made.values())

    started = client.simulate_post(
        "/api/v1/chat",
        params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "new"},
        headers={"x-api-key": VISITOR_KEY},
    )
    assert started.status_code == 200, started.text
    client.simulate_post("/__admin/clock/advance", json={"seconds": QUEUE_TIMEOUT_S + 1})
    assert served.cases[made["queued"]].state == "closed"

    result = client.simulate_post("/__admin/reset")
    assert result.status_code == 200
    assert served.dump() == initial
    assert served.cases[made["queued"]].state == "queued"
    assert list(served.open_chats) == [made["queued"], made["assigned"]]
    served.scheduler.advance(QUEUE_TIMEOUT_S)
    assert served.cases[made["queued"]].ended_by == "no_agents_found"


def test_replace_with_a_document_with_cases(world: World, made: dict[str, str], clock: ManualClock) -> None:
    fresh = World(default_document(), clock, seed=1)
    fresh.replace(world.dump())
    assert fresh.dump() == world.dump()
    assert set(fresh.open_chats) == {made["queued"], made["assigned"]}


# -- times -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ms", [0, 1, 999, 1_795_426_200_123, 1_795_426_200_999, 253_402_300_799_999, -1])
def test_times_are_exact_to_the_millisecond(ms: int) -> None:
    text = cases_doc.time_to_doc(ms)
    assert cases_doc.time_from_doc(text) == ms
    if 0 <= ms < 4_000_000_000_000:  # the clock's own helpers, through floats, are exact in its years
        assert text == iso(from_ms(ms))
        assert to_ms(from_ms(ms)) == ms


# -- documents that are refused ------------------------------------------------------------------------------


@pytest.fixture
def document(world: World, made: dict[str, str]) -> dict[str, Any]:
    return world.dump()


def _refused(document: dict[str, Any]) -> list[str]:
    with pytest.raises(DocumentError) as raised:
        World(document, ManualClock(MONDAY_MORNING_BERLIN))
    return [f"{e.path} {e.message}" for e in raised.value.errors]


def _cases(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["organizations"][0]["cases"]


def test_a_case_id_is_used_once(document: dict[str, Any]) -> None:
    _cases(document)[1]["caseId"] = _cases(document)[0]["caseId"]
    assert _refused(document) == [
        f"/organizations/0/cases/1/caseId caseId {_cases(document)[0]['caseId']} is used by another case"
    ]


def test_a_chat_under_way_needs_a_widget_of_its_organization(document: dict[str, Any]) -> None:
    _cases(document)[2]["widgetId"] = "no-such-widget"
    assert _refused(document) == [
        "/organizations/0/cases/2/widgetId no-such-widget is not a widget of organization 5406213; "
        "a chat under way needs its widget"
    ]


def test_a_closed_case_may_name_a_deleted_widget_but_not_another_organizations(
    world: World, made: dict[str, str]
) -> None:
    org = world.orgs[ORG_ID]
    world.delete_widget(org, SALES_WIDGET, "admin@example.com")  # its closed cases stay
    document = world.dump()
    again = loaded(document, world.clock.now())
    assert again.dump() == document
    assert again.cases[made["offline"]].widget_id == SALES_WIDGET

    other = copy.deepcopy(document["organizations"][0])
    other.update(orgId="77", apiToken="t2", provisioningApiKey="p2", visitorApiKey="v2", cases=[])
    other["users"] = [{"email": "o@example.com", "name": "O", "password": "12345", "accountType": "biz"}]
    other["widgets"] = [{"uuid": "0ther-w1dget", "email": "o@example.com", "agents": []}]
    document["organizations"].append(other)
    _cases(document)[1]["widgetId"] = "0ther-w1dget"
    assert _refused(document) == [
        "/organizations/0/cases/1/widgetId widget 0ther-w1dget belongs to organization 77"
    ]


def test_closed_goes_with_closed_at_and_offline_with_closed(document: dict[str, Any]) -> None:
    del _cases(document)[0]["closedAt"]
    _cases(document)[1]["state"] = "queued"
    del _cases(document)[1]["closedAt"]
    _cases(document)[2]["closedAt"] = _cases(document)[2]["createdAt"]
    assert _refused(document) == [
        "/organizations/0/cases/0/closedAt closedAt is required when state is closed",
        "/organizations/0/cases/1/state an offline message is closed",
        "/organizations/0/cases/2/closedAt only a closed case has closedAt",
    ]


def test_the_rules_between_fields(document: dict[str, Any]) -> None:
    full, offline, queued, assigned, _ = _cases(document)
    full["entries"][1]["at"] = "2026-11-23T09:29:59.999Z"
    full["respondedAt"] = "2026-11-22T00:00:00.000Z"
    offline["sourceId"] = 2
    offline["survey"] = {"score": 10}
    offline["endedBy"] = "agent"
    del assigned["agentId"]
    queued["agentId"] = "sam@example.com"
    full["entries"][0]["agentId"] = "sam@example.com"
    del full["entries"][4]["agentId"]
    full["createdAt"] = "2026-02-30T09:30:00.000Z"
    assert _refused(document) == [
        "/organizations/0/cases/0/createdAt createdAt 2026-02-30T09:30:00.000Z is not a valid time",
        "/organizations/0/cases/0/entries/0/agentId a VISITOR line has no agentId",
        "/organizations/0/cases/0/entries/4/agentId agentId is required in a AGENT line",
        "/organizations/0/cases/1/sourceId sourceId is 1 for an offline message, and only for one",
        "/organizations/0/cases/1/endedBy only a closed chat has endedBy",
        "/organizations/0/cases/1/survey only a chat is surveyed",
        "/organizations/0/cases/2/agentId a queued chat has no agentId",
        "/organizations/0/cases/3/agentId agentId is required when state is assigned",
    ]
    full["createdAt"] = "2026-11-23T09:30:00.000Z"
    assert _refused(document)[:2] == [
        "/organizations/0/cases/0/respondedAt respondedAt is before createdAt",
        "/organizations/0/cases/0/entries/0/agentId a VISITOR line has no agentId",
    ]


def test_schema_errors_in_cases_have_the_paths_and_messages_of_the_whole_document(
    document: dict[str, Any],
) -> None:
    cases = _cases(document)
    cases[1]["state"] = "gone"
    cases[3]["entries"][0]["sender"] = "ROBOT"
    cases[3]["visitor"]["latitude"] = "north"
    del cases[4]["createdAt"]
    cases[0]["createdAt"] = "2026-11-23 09:30"
    document["organizations"][0]["apiToken"] = ""
    found = _refused(document)
    expected = [f"{e.path} {e.message}" for e in schemas.errors("world", document)]
    assert found == expected
    at = "/organizations/0/cases"
    assert f"{at}/4/createdAt organizations[0].cases[4].createdAt is required" in found
    assert f"{at}/3/visitor/latitude organizations[0].cases[3].visitor.latitude must be a number" in found
    assert (
        f"{at}/3/entries/0/sender organizations[0].cases[3].entries[0].sender must be one of: "
        '"VISITOR", "AGENT", "BOT", "SYSTEM", "NOTE"' in found
    )


def test_times_are_strings_in_yaml_too() -> None:
    assert world_document.parse("at: 2026-11-23T09:30:00.123Z\nday: 2026-11-23\n") == {
        "at": "2026-11-23T09:30:00.123Z",
        "day": "2026-11-23",
    }


def test_a_hand_written_case_in_block_yaml_loads_with_its_defaults(clock: ManualClock) -> None:
    text = world_document.to_yaml(default_document()) + (
        "  cases:\n"
        "  - caseId: hand-written-1\n"
        f"    widgetId: {SUPPORT_WIDGET}\n"
        "    type: offline\n"
        "    sourceId: 1\n"
        "    createdAt: 2026-11-23T08:00:00.000Z\n"
        "    state: closed\n"
        "    closedAt: 2026-11-23T08:00:00.000Z\n"
    )
    world = World(world_document.parse(text), clock)
    case = world.cases["hand-written-1"]
    assert (case.description, case.visitor, case.last_activity_ms, case.entries) == (
        "",
        Visitor(),
        case.created_ms,
        [],
    )
    assert world.dump()["organizations"][0]["cases"] == [
        {
            "caseId": "hand-written-1",
            "widgetId": SUPPORT_WIDGET,
            "type": "offline",
            "sourceId": 1,
            "createdAt": "2026-11-23T08:00:00.000Z",
            "visitor": {},
            "description": "",
            "state": "closed",
            "closedAt": "2026-11-23T08:00:00.000Z",
            "lastActivityAt": "2026-11-23T08:00:00.000Z",
        }
    ]


# -- the fast case check agrees with jsonschema -------------------------------------------------------------

ODD_VALUES = [
    None, True, False, 0, 1, 2, 3, -1, 100, 101, 1.5, -91.0, "", "x", "chat", "offline", "queued", "closed",
    "VISITOR", "ROBOT", "wc:sam", "sam@example.com", "Sam Upper", "2026-11-23T09:30:00.123Z",
    "2026-11-23T09:30:00Z", "2026-11-23T09:30:00.123Z\n", [], [{}], [{"name": "a", "value": "b"}],
    [{"name": "a"}], ["a"], [1], {}, {"a": "b"}, {"a": 1}, {"score": 50}, {"text": "t"},
    {"displayResponses": []}, {"displayResponses": [{"text": "t", "id": "i"}]},
    {"cards": {"layout": "VERTICAL", "cards": [{"title": "t"}]}},
    {"cards": {"layout": "DIAGONAL", "cards": []}},
]  # fmt: skip


def _paths(value: Any, at: tuple = ()) -> list[tuple]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_the_fast_case_check_says_what_jsonschema_says(data: st.DataObject) -> None:
    world = World(default_document(), ManualClock(MONDAY_MORNING_BERLIN), seed=7)
    a_day_of_chats(world)
    case = data.draw(st.sampled_from(world.dump()["organizations"][0]["cases"]))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(case)))
        action = data.draw(st.sampled_from(["set", "delete", "add"]))
        parent = case
        for part in path[:-1]:
            parent = parent[part]
        if not path:
            case = data.draw(st.sampled_from(ODD_VALUES))
            break
        if action == "set" or isinstance(parent, list):
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(ODD_VALUES)))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "name", "text", "score", "tags", "id"]))] = "x"
    valid = not schemas.errors("world#/$defs/case", case)
    assert cases_doc.case_checker()(case) == valid


def test_the_stand_in_is_a_valid_case() -> None:
    assert schemas.errors("world#/$defs/case", cases_doc.STAND_IN) == []


# -- YAML with JSON lines -----------------------------------------------------------------------------------

JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.text(max_size=8), JSON_LIKE, max_size=5))
def test_a_json_line_reads_in_yaml_as_the_value_it_was_written_from(value: dict[str, Any]) -> None:
    line = world_document.json_line(value)
    if line is not None:
        assert yaml.load("- " + line, Loader=world_document._Loader) == [value]
    document = {"organizations": [{"orgId": "1", "cases": [value, {"a": 1}]}]}
    text = world_document.to_yaml(document)
    assert world_document.parse(text) == yaml.load(text, Loader=world_document._Loader)
    if line is not None:  # else as PyYAML writes it, which does not read back every text ("\x85" ...)
        assert world_document.parse(text) == document


def test_a_json_line_where_yaml_reads_otherwise_is_read_as_yaml() -> None:
    lines = [
        '- {"a": 1.5e5}',  # not as json_line writes it: YAML 1.1 reads a string
        '- {"a": 1e-05}',
        '- {"a":1}',
        "- {a: 1}",
    ]
    for line in lines:
        assert world_document.parse(line) == yaml.load(line, Loader=world_document._Loader)
    text = 'description: |\n  - {"caseId": "x"}\n'
    assert world_document.parse(text) == {"description": '- {"caseId": "x"}\n'}
