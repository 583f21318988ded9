"""The outbound webhook bodies (mocksnap.webhooks.payloads): the Integration API JSON, the Conversation Events
and the Agent Status events, built from chats played out with world commands on the manual clock (no app, so
no simulated agents), checked against their schemas, the field tables, and the Logs API record of the same
case."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from mocksnap import schemas
from mocksnap.api.logs import case_json
from mocksnap.clock import ManualClock, to_ms
from mocksnap.webhooks import payloads
from mocksnap.webhooks.payloads import (
    agent_status_event,
    conversation_event,
    integration_date,
    integration_json,
)
from mocksnap.world import World
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case, Entry, Visitor, WidgetAgent
from tests.conftest import ORG_ID, OWNER, SALES_WIDGET, SAMPLES, SUPPORT_WIDGET, assert_valid

INTEGRATION_SAMPLE = json.loads((SAMPLES / "integration-api.json").read_text())
EVENT_SAMPLE = json.loads((SAMPLES / "conversation-event.json").read_text())
STATUS_SAMPLE = json.loads((SAMPLES / "agent-status-event.json").read_text())
CHROME_ON_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/57.0.2987.133 Safari/537.36"
)
AGENT_FIELDS = {"agent_id", "agent_email", "agent_alias"}
SURVEY_FIELDS = {"survey_score", "survey_comment"}


def in_sample_order(keys: Iterator[str] | list[str], sample: dict[str, Any]) -> bool:
    """Every key is one of the sample's, and they come in the sample's order."""
    order = list(sample)
    positions = [order.index(key) for key in keys]
    return positions == sorted(positions)


def events_since(world: World, seq: int) -> list[DomainEvent]:
    return world.events.since(seq)


def conversation_events(world: World, seq: int = 0) -> list[dict[str, Any]]:
    """The conversation event payloads of the DomainEvents after seq, in order, each checked by its schema."""
    found = [body for event in events_since(world, seq) for body in conversation_event(world, event)]
    for body in found:
        assert_valid("conversation-event", body)
    return found


def full_visitor() -> Visitor:
    return Visitor(
        email="george@example.com",
        name="George",
        phone="+49 30 1234567",
        user_agent=CHROME_ON_MAC,
        locale="en,en-US;q=0.8",
        ip_address="93.219.34.218",
        page_url="http://localhost:2000/shoes",
        referrer_url="https://search.example.com/?q=shoes",
        entry_url="http://localhost:2000/",
        country_code="DE",
        country="Germany",
        region="BE",
        city="Berlin",
        latitude=52.520008,
        longitude=13.404954,
        javascript_variables=[("productName", "Der Blahster"), ("productPrice", "$3.99")],
    )


def full_chat(world: World) -> Case:
    """A chat with every field: answered 2 s after it started, a translated line, a label, a transfer, a
    survey; 9 s long."""
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, full_visitor(), "Hola")
    world.scheduler.advance(1.25)
    world.accept(case, "sam@example.com")
    world.scheduler.advance(0.75)
    world.agent_message(case, "sam@example.com", "Good day", {"es": "Buen día"})
    world.label(case, "customerTemp", "Very Happy")
    world.scheduler.advance(3)
    world.visitor_message(case, "I need shoes")
    world.transfer(case, agent_id="michael@example.com")
    world.scheduler.advance(2)
    world.agent_message(case, "michael@example.com", "Michael here")
    world.scheduler.advance(2)
    world.close(case, "agent")
    world.survey(case, 75, "really helpful")
    return case


# -- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "Nov 23, 2026 9:30:00 AM"),
        (datetime(2026, 11, 23, 21, 5, 9, 999000, tzinfo=UTC), "Nov 23, 2026 9:05:09 PM"),
        (datetime(2026, 12, 3, 0, 0, tzinfo=UTC), "Dec 3, 2026 12:00:00 AM"),
        (datetime(2026, 1, 1, 12, 0, 1, tzinfo=UTC), "Jan 1, 2026 12:00:01 PM"),
        (datetime(2026, 5, 9, 23, 59, 59, 999000, tzinfo=UTC), "May 9, 2026 11:59:59 PM"),
        (datetime(2014, 10, 3, 20, 14, 31, 268000, tzinfo=UTC), "Oct 3, 2014 8:14:31 PM"),
    ],
)
def test_integration_dates_are_mmm_d_yyyy_h_mm_ss_a_in_gmt(instant: datetime, text: str) -> None:
    assert integration_date(to_ms(instant)) == text


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize(("month", "name"), list(enumerate(MONTHS, 1)))
def test_integration_dates_name_the_months_in_english(month: int, name: str) -> None:
    """Java's MMM in the English locale, whatever locale the process runs in (the formatting reads none)."""
    instant = datetime(2027, month, 9, 7, 8, 9, tzinfo=UTC)
    assert integration_date(to_ms(instant)) == f"{name} 9, 2027 7:08:09 AM"


def test_the_creation_and_line_dates_of_a_payload(world: World, clock: ManualClock) -> None:
    clock.set(datetime(2026, 12, 3, 15, 4, 5, 678000, tzinfo=UTC))
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.scheduler.advance(0.5)
    world.close(case, "visitor")
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert (found["created_at_date"], found["created_at_seconds"], found["created_at_milliseconds"]) == (
        "Dec 3, 2026 3:04:05 PM",
        case.created_ms // 1000,
        678,
    )
    [line] = found["transcripts"]
    assert (line["date"], line["date_seconds"], line["date_milliseconds"]) == (
        "Dec 3, 2026 3:04:05 PM",
        case.created_ms // 1000,
        678,
    )


# -- Integration API ----------------------------------------------------------------------------------------


def test_a_full_chat_has_every_field_in_the_sample_order(world: World) -> None:
    case = full_chat(world)
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert in_sample_order(found, INTEGRATION_SAMPLE)
    assert set(INTEGRATION_SAMPLE) - set(found) == set()  # every field of the sample has data here
    assert in_sample_order(found["requester_details"], INTEGRATION_SAMPLE["requester_details"])
    assert found == {
        "id": case.case_id,
        "widget_id": SUPPORT_WIDGET,
        "url": f"https://www.snapengage.com/viewcase?c={case.case_id}",
        "type": "chat",
        "requested_by": "george@example.com",
        "requester_details": {
            "name": "George",
            "emails": ["george@example.com"],
            "phones": ["+49 30 1234567"],
        },
        "description": "Hola",
        "created_at_date": "Nov 23, 2026 9:30:00 AM",
        "created_at_seconds": case.created_ms // 1000,
        "created_at_milliseconds": 0,
        "proactive_chat": False,
        "page_url": "http://localhost:2000/shoes",
        "referrer_url": "https://search.example.com/?q=shoes",
        "entry_url": "http://localhost:2000/",
        "ip_address": "93.219.34.218",
        "user_agent": CHROME_ON_MAC,
        "browser": "Chrome (57.0.2987.133)",
        "os": "Apple OS X 10.10.5",
        "country_code": "DE",
        "country": "Germany",
        "region": "BE",
        "city": "Berlin",
        "latitude": 52.520008,
        "longitude": 13.404954,
        "source_id": 2,
        "chat_waittime": 2,
        "chat_duration": 9,
        "chat_ended_by": "agent",
        "language_code": "en,en-US;q=0.8",
        "transcripts": found["transcripts"],  # below
        "javascript_variables": [
            {"name": "productName", "value": "Der Blahster"},
            {"name": "productPrice", "value": "$3.99"},
        ],
        "operator_variables": [{"name": "customerTemp", "value": "Very Happy"}],
        "labels": [{"name": "customerTemp", "value": "Very Happy"}],
    }
    created = case.created_ms // 1000
    assert found["transcripts"] == [
        {
            "id": "",
            "date": "Nov 23, 2026 9:30:00 AM",
            "date_seconds": created,
            "date_milliseconds": 0,
            "alias": "visitor",
            "message": "Hola",
            "sender": "VISITOR",
        },
        {
            "id": "sam@example.com",
            "date": "Nov 23, 2026 9:30:02 AM",
            "date_seconds": created + 2,
            "date_milliseconds": 0,
            "alias": "Sam",
            "message": "Good day",
            "translations": {"es": "Buen día"},
            "sender": "AGENT",
        },
        {
            "id": "",
            "date": "Nov 23, 2026 9:30:05 AM",
            "date_seconds": created + 5,
            "date_milliseconds": 0,
            "alias": "visitor",
            "message": "I need shoes",
            "sender": "VISITOR",
        },
        {
            "id": "michael@example.com",
            "date": "Nov 23, 2026 9:30:07 AM",
            "date_seconds": created + 7,
            "date_milliseconds": 0,
            "alias": "Michael",
            "message": "Michael here",
            "sender": "AGENT",
        },
    ]
    for line in found["transcripts"]:
        assert in_sample_order(line, INTEGRATION_SAMPLE["transcripts"][0])


def test_fields_without_data_are_left_out(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor())
    world.scheduler.advance(4)
    world.close(case, "visitor")
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert found == {
        "id": case.case_id,
        "widget_id": SUPPORT_WIDGET,
        "url": f"https://www.snapengage.com/viewcase?c={case.case_id}",
        "type": "chat",
        "created_at_date": "Nov 23, 2026 9:30:00 AM",
        "created_at_seconds": case.created_ms // 1000,
        "created_at_milliseconds": 0,
        "proactive_chat": False,
        "source_id": 2,
        "chat_waittime": 4,  # nobody responded: until the end
        "chat_duration": 4,
        "chat_ended_by": "visitor",
    }


def test_requester_details_hold_only_what_is_known(world: World) -> None:
    org = world.orgs[ORG_ID]
    by_phone = world.start_case(org, SUPPORT_WIDGET, Visitor(phone="555-555-1010", latitude=1.5), "call me")
    found = integration_json(world, by_phone)
    assert_valid("integration-api", found)
    assert found["requester_details"] == {"phones": ["555-555-1010"]}
    assert "requested_by" not in found  # no email
    assert not {"latitude", "longitude"} & set(found)  # one coordinate alone is not reported
    unknown_agent = world.start_case(org, SUPPORT_WIDGET, Visitor(user_agent="MyApp/1.0 (SDK)"), "hi")
    found = integration_json(world, unknown_agent)
    assert found["user_agent"] == "MyApp/1.0 (SDK)"
    assert not {"browser", "os"} & set(found)


def test_an_open_chat_counts_its_wait_and_duration_up_to_now(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.scheduler.advance(7.4)
    found = integration_json(world, case)
    assert (found["chat_waittime"], found["chat_duration"]) == (7, 7)
    assert "chat_ended_by" not in found
    assert integration_json(world, case, now_ms=case.created_ms + 12_600)["chat_duration"] == 13


@pytest.mark.parametrize("how", ["asked", "not online"])
def test_an_offline_message_has_type_offline_source_1_and_no_chat_fields(world: World, how: str) -> None:
    org = world.orgs[ORG_ID]
    if how == "not online":
        for agent in ("sam@example.com", "michael@example.com"):
            world.set_agent_status(org, agent, "offline")
    visitor = Visitor(email="v@example.com", name="Vera")
    case = world.start_case(org, SUPPORT_WIDGET, visitor, "Please call me back", offline=how == "asked")
    world.scheduler.advance(60)
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert (found["type"], found["source_id"], found["proactive_chat"]) == ("offline", 1, False)
    assert not {"chat_waittime", "chat_duration", "chat_ended_by"} & set(found)
    assert found["description"] == "Please call me back"
    assert found["requested_by"] == "v@example.com"
    assert found["requester_details"] == {"name": "Vera", "emails": ["v@example.com"]}
    assert [(t["alias"], t["message"], t["sender"]) for t in found["transcripts"]] == [
        ("visitor", "Please call me back", "VISITOR")
    ]
    # The Logs API reports the same case with zeros, as it always shows every field.
    record = case_json(world, org, case)
    assert (record["chat_waittime"], record["chat_duration"]) == (0, 0)


def test_a_proactive_chat(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "Can I help?", proactive=True)
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert (found["proactive_chat"], found["source_id"]) == (True, 3)


def test_transcripts_carry_the_sender_and_translations_only_when_present(world: World) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", "hi", {"de": "hallo", "fr": "salut"})
    world.agent_message(case, "sam@example.com", "how can I help?")
    # No world command writes bot lines yet: one is put in by hand, as a bot's answer will be.
    case.entries.append(Entry("BOT", "helpbot", "Help Bot", case.entries[-1].at_ms, "I am a bot"))
    found = integration_json(world, case)
    assert_valid("integration-api", found)
    assert [
        (t["id"], t["alias"], t["sender"], t["message"], t.get("translations")) for t in found["transcripts"]
    ] == [
        ("", "visitor", "VISITOR", "hello", None),
        ("sam@example.com", "Sam", "AGENT", "hi", {"de": "hallo", "fr": "salut"}),
        ("sam@example.com", "Sam", "AGENT", "how can I help?", None),
        ("helpbot", "Help Bot", "BOT", "I am a bot", None),
    ]
    assert not any(t["sender"] == "SYSTEM" for t in found["transcripts"])  # /NFO, /NIC, /CAL stay out
    assert {e.sender for e in case.entries} >= {"SYSTEM"}


def test_the_schema_takes_the_sample_and_refuses_drift(world: World) -> None:
    assert_valid("integration-api", INTEGRATION_SAMPLE)
    found = integration_json(world, full_chat(world))
    for broken in (
        {**found, "snapshot_image_url": "http://x"},  # deprecated, no longer sent
        {**found, "chat_agent_id": "wc:sam@example.com"},  # a Logs API field
        {**found, "created_at_date": case_date_as_ms(found)},  # the Logs API's form, not the Integration's
        {**found, "created_at_date": "Nov 03, 2026 09:30:00 AM"},  # leading zeros
        {**found, "type": "offline"},  # source_id 2 and chat fields on an offline message
        {k: v for k, v in found.items() if k != "longitude"},
    ):
        assert schemas.errors("integration-api", broken)


def case_date_as_ms(found: dict[str, Any]) -> int:
    return found["created_at_seconds"] * 1000 + found["created_at_milliseconds"]


# -- one chat, three reports --------------------------------------------------------------------------------


def test_integration_payload_conversation_events_and_logs_record_agree(world: World) -> None:
    org = world.orgs[ORG_ID]
    case = full_chat(world)
    sent = integration_json(world, case)
    events = conversation_events(world)
    record = case_json(world, org, case)
    by_name = {body["event"]: body for body in events}

    # The case and its widget.
    assert sent["id"] == record["id"] == case.case_id
    assert {body["case_id"] for body in events} == {case.case_id}
    assert {body["widget_id"] for body in events} == {sent["widget_id"]} == {SUPPORT_WIDGET}
    assert {body["widget_name"] for body in events} == {"Support (24x7)"}
    same = [
        "url", "type", "requested_by", "description", "created_at_seconds", "created_at_milliseconds",
        "proactive_chat", "page_url", "referrer_url", "entry_url", "ip_address", "user_agent", "browser",
        "os", "country_code", "country", "region", "city", "latitude", "longitude", "source_id",
        "chat_waittime", "chat_duration", "language_code", "javascript_variables", "operator_variables",
        "labels",
    ]  # fmt: skip
    assert {k: sent[k] for k in same} == {k: record[k] for k in same}
    assert sent["created_at_date"] == integration_date(record["created_at_date"])
    assert by_name["caseQueued"]["timestamp"] == record["created_at_date"]
    for key, value in sent["requester_details"].items():
        assert record["requester_details"][key] == value

    # The agent: the Logs API's chat agent is the one the close and the survey name, and the last to write.
    agent = (record["chat_agent_id"], record["chat_agent_alias"])
    assert agent == ("wc:michael@example.com", "Michael")
    for name in ("caseTransferred", "caseClosed", "caseSurveyed"):
        assert (by_name[name]["agent_id"], by_name[name]["agent_alias"]) == agent
        assert by_name[name]["agent_email"] == "michael@example.com"
    last = sent["transcripts"][-1]
    assert ("wc:" + last["id"], last["alias"]) == agent

    # The transcripts, line for line.
    assert len(sent["transcripts"]) == len(record["transcripts"]) == 4
    for line, logged in zip(sent["transcripts"], record["transcripts"], strict=True):
        assert line["message"] == logged["message"]
        assert line["date_seconds"] * 1000 + line["date_milliseconds"] == logged["date"]
        assert (line["date_seconds"], line["date_milliseconds"]) == (
            logged["date_seconds"],
            logged["date_milliseconds"],
        )
        assert line["date"] == integration_date(logged["date"])
        assert line.get("translations") == logged.get("translations")
        if line["sender"] == "VISITOR":
            assert (line["id"], line["alias"], logged["id"], logged["alias"]) == ("", "visitor", "", "")
        else:
            assert ("wc:" + line["id"], line["alias"]) == (logged["id"], logged["alias"])

    # The first answer, the label, the end, the survey.
    responded = by_name["caseResponded"]
    first_answer = next(line for line in record["transcripts"] if line["id"])
    assert responded["timestamp"] == first_answer["date"]
    assert responded["agent_id"] == first_answer["id"]
    assert responded["timestamp"] - record["created_at_date"] == record["chat_waittime"] * 1000
    assert by_name["caseClosed"]["timestamp"] - record["created_at_date"] == record["chat_duration"] * 1000
    assert sent["chat_ended_by"] == "agent"
    label = by_name["caseLabeled"]["label"]
    assert [{"name": label["name"], "value": label["value"]}] == record["labels"] == sent["labels"]
    surveyed = by_name["caseSurveyed"]
    assert (surveyed["survey_score"], surveyed["survey_comment"]) == (
        record["survey_score"],
        record["survey_comments"],
    )


# -- Conversation Events API --------------------------------------------------------------------------------

# The agent each event names in `eight_events` (None: no agent fields).
EXPECTED_AGENTS = {
    "caseQueued": [None],
    "caseBroadcasted": [("sam@example.com", "Sam"), ("michael@example.com", "Michael")],
    "caseAssigned": [("sam@example.com", "Sam")],
    "caseResponded": [("sam@example.com", "Sam")],
    "caseLabeled": [("sam@example.com", "Sam")],
    "caseTransferred": [("michael@example.com", "Michael")],
    "caseClosed": [("michael@example.com", "Michael")],
    "caseSurveyed": [("michael@example.com", "Michael")],
}


@pytest.fixture
def eight_events(world: World) -> tuple[Case, list[DomainEvent], dict[str, list[dict[str, Any]]]]:
    """A chat that goes through all eight events, one second apart, and its payloads by event name."""
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")  # queued, broadcast
    world.scheduler.advance(1)
    world.accept(case, "sam@example.com")
    world.scheduler.advance(1)
    world.agent_message(case, "sam@example.com", "hi")  # responded
    world.scheduler.advance(1)
    world.label(case, "chatType", "new chat")
    world.scheduler.advance(1)
    world.transfer(case, agent_id="michael@example.com")
    world.scheduler.advance(1)
    world.close(case, "visitor")
    world.scheduler.advance(1)
    world.survey(case, 75, "really helpful")
    domain = events_since(world, 0)
    by_name: dict[str, list[dict[str, Any]]] = {}
    for body in conversation_events(world):
        by_name.setdefault(body["event"], []).append(body)
    return case, domain, by_name


def test_all_eight_events_come_in_order_from_one_chat(world: World, eight_events) -> None:
    _, domain, by_name = eight_events
    assert list(by_name) == list(EXPECTED_AGENTS)
    # Every other thing the chat recorded (its messages) is no conversation event.
    silent = [e for e in domain if not conversation_event(world, e)]
    assert {e.kind for e in silent} == {"case.message"}


@pytest.mark.parametrize("name", list(EXPECTED_AGENTS))
def test_each_event_has_the_fields_its_table_row_gives(world: World, eight_events, name: str) -> None:
    case, domain, by_name = eight_events
    sent = by_name[name]
    assert len(sent) == len(EXPECTED_AGENTS[name])  # a broadcast: one payload per agent
    kind = next(k for k, v in payloads.CONVERSATION_EVENTS.items() if v == name)
    at = [to_ms(e.at) for e in domain if e.kind == kind]
    for body, agent in zip(sent, EXPECTED_AGENTS[name], strict=True):
        assert_valid("conversation-event", body)
        assert in_sample_order(body, EVENT_SAMPLE)
        assert body["timestamp"] == at[0]
        assert {k: body[k] for k in ("widget_id", "widget_name", "case_id", "event")} == {
            "widget_id": SUPPORT_WIDGET,
            "widget_name": "Support (24x7)",
            "case_id": case.case_id,
            "event": name,
        }
        if agent is None:
            assert not AGENT_FIELDS & set(body)
        else:
            email, alias = agent
            assert {k: body[k] for k in AGENT_FIELDS} == {
                "agent_id": f"wc:{email}",
                "agent_email": email,
                "agent_alias": alias,
            }
        if name == "caseLabeled":
            assert body["label"] == {"value": "new chat", "name": "chatType"}
            assert list(body["label"]) == list(EVENT_SAMPLE["label"])
        else:
            assert "label" not in body
        if name == "caseSurveyed":
            assert (body["survey_score"], body["survey_comment"]) == (75, "really helpful")
        else:
            assert not SURVEY_FIELDS & set(body)
        expected = {"widget_id", "widget_name", "case_id", "event", "timestamp"}
        expected |= AGENT_FIELDS if agent else set()
        expected |= {"label"} if name == "caseLabeled" else set()
        expected |= SURVEY_FIELDS if name == "caseSurveyed" else set()
        assert set(body) == expected


def test_events_of_a_chat_nobody_took_name_no_agent(world: World) -> None:
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hello")
    world.label(case, "Topic", "billing")  # while queued
    world.scheduler.advance(120)  # no_agents_found
    world.survey(case, 40)  # without a comment
    sent = {body["event"]: body for body in conversation_events(world)}
    assert case.ended_by == "no_agents_found"
    assert list(sent) == ["caseQueued", "caseBroadcasted", "caseLabeled", "caseClosed", "caseSurveyed"]
    for name in ("caseLabeled", "caseClosed", "caseSurveyed"):
        assert not AGENT_FIELDS & set(sent[name]), name
    assert sent["caseLabeled"]["label"] == {"value": "billing", "name": "Topic"}
    assert sent["caseSurveyed"]["survey_score"] == 40
    assert "survey_comment" not in sent["caseSurveyed"]
    assert sent["caseClosed"]["timestamp"] - sent["caseQueued"]["timestamp"] == 120_000


def test_a_transfer_to_another_widget_tells_both_widgets_naming_who_handed_it_on(world: World) -> None:
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")
    world.accept(case, "sam@example.com")
    seq = world.events.since(0)[-1].seq
    world.transfer(case, widget_id=SALES_WIDGET)
    sent = conversation_events(world, seq)
    assert [body["event"] for body in sent] == [
        "caseTransferred",
        "caseTransferred",
        "caseQueued",
        "caseBroadcasted",
    ]
    left, arrived, queued, broadcast = sent
    assert (left["widget_id"], left["widget_name"]) == (SUPPORT_WIDGET, "Support (24x7)")
    for body in (arrived, queued, broadcast):
        assert (body["widget_id"], body["widget_name"]) == (SALES_WIDGET, "Sales (business hours)")
    for body in (left, arrived):
        assert_valid("conversation-event", body)
        assert (body["agent_id"], body["agent_email"], body["agent_alias"]) == (
            "wc:sam@example.com",
            "sam@example.com",
            "Sam",
        )
    assert left["timestamp"] == arrived["timestamp"]
    assert not AGENT_FIELDS & set(queued)
    # Dana is paused: the sales widget's broadcast goes to Charlie alone.
    assert (broadcast["agent_email"], broadcast["agent_alias"]) == ("charlie@example.com", "Charlie")


def test_a_transfer_of_a_queued_chat_names_no_agent(world: World) -> None:
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hello")
    seq = world.events.since(0)[-1].seq
    world.transfer(case, widget_id=SALES_WIDGET)
    left, arrived = conversation_events(world, seq)[:2]
    assert (left["widget_id"], arrived["widget_id"]) == (SUPPORT_WIDGET, SALES_WIDGET)
    assert not AGENT_FIELDS & (set(left) | set(arrived))


def test_an_unnamed_widget_sends_no_widget_name(world: World) -> None:
    org = world.orgs[ORG_ID]
    widget = world.create_widget(
        org, owner_email=OWNER, agents=[WidgetAgent("pat@example.com", "Pat", "", "webclient")]
    )
    world.set_agent_status(org, "pat@example.com", "online")
    seq = world.events.since(0)[-1].seq
    world.start_case(org, widget.uuid, Visitor(), "hello")
    queued, broadcast = conversation_events(world, seq)
    assert "widget_name" not in {**queued, **broadcast}
    assert broadcast["agent_alias"] == "Pat"


def test_an_agent_who_left_the_widget_keeps_the_alias_they_had_in_the_case(world: World) -> None:
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hello")
    world.accept(case, "sam@example.com")
    assigned = world.events.since(0)[-1]
    world.close(case, "agent")  # a widget is deleted once its chats have ended
    world.delete_widget(org, SUPPORT_WIDGET, OWNER)
    [body] = conversation_event(world, assigned)
    assert_valid("conversation-event", body)
    assert "widget_name" not in body  # the widget is gone
    assert (body["agent_id"], body["agent_alias"]) == ("wc:sam@example.com", "Sam")


def test_events_that_are_not_conversation_events_give_none(world: World) -> None:
    org = world.orgs[ORG_ID]
    world.start_case(org, SUPPORT_WIDGET, Visitor(), "call me", offline=True)
    world.set_agent_status(org, "sam@example.com", "pause")
    world.update_user(org, email=OWNER, name="Ada")
    domain = events_since(world, 0)
    assert {e.kind for e in domain} == {"case.offline", "agent.status_changed", "user.updated"}
    assert [conversation_event(world, e) for e in domain] == [[], [], []]
    assert [agent_status_event(world, e) for e in domain if e.kind != "agent.status_changed"] == [None, None]


def test_the_conversation_event_schema_takes_the_sample_and_holds_the_per_event_rules() -> None:
    assert_valid("conversation-event", EVENT_SAMPLE)  # a caseLabeled event showing the survey fields too
    queued = {k: v for k, v in EVENT_SAMPLE.items() if k not in ("label", *SURVEY_FIELDS)}
    assert schemas.errors("conversation-event", {**queued, "event": "caseQueued"})  # agent fields
    assert not schemas.errors(
        "conversation-event",
        {k: v for k, v in queued.items() if k not in AGENT_FIELDS} | {"event": "caseQueued"},
    )
    assert schemas.errors("conversation-event", {**EVENT_SAMPLE, "event": "caseClosed"})  # a label
    assert schemas.errors("conversation-event", {**queued, "event": "caseLabeled"})  # no label
    assert schemas.errors("conversation-event", {**queued, "event": "caseSurveyed"})  # no score
    assert schemas.errors("conversation-event", {k: v for k, v in EVENT_SAMPLE.items() if k != "agent_alias"})
    assert schemas.errors("conversation-event", {**EVENT_SAMPLE, "timestamp": "1551461879355"})
    assert schemas.errors("conversation-event", {**EVENT_SAMPLE, "chat_agent_id": "wc:x@example.com"})


# -- Agent Status API, outbound -----------------------------------------------------------------------------


def test_an_agent_status_change_with_a_sub_status(world: World, clock: ManualClock) -> None:
    org = world.orgs[ORG_ID]
    world.scheduler.advance(0.123)
    world.set_agent_status(org, "WC:Sam@Example.com", "pause", "Gone to lunch")
    [event] = events_since(world, 0)
    found = agent_status_event(world, event)
    assert_valid("agent-status-event", found)
    assert found == {
        "org": 5406213,
        "agent_id": "wc:sam@example.com",
        "status": "pause",
        "sub_status": "Gone to lunch",
        "timestamp": clock.now_ms(),
    }
    assert list(found) == list(STATUS_SAMPLE)
    assert found["timestamp"] % 1000 == 123


@pytest.mark.parametrize("status", ["online", "offline"])
def test_an_agent_status_change_without_a_sub_status(world: World, status: str) -> None:
    org = world.orgs[ORG_ID]
    world.set_agent_status(org, "sam@example.com", "pause", "Gone to lunch")
    world.set_agent_status(org, "sam@example.com", status)
    found = agent_status_event(world, events_since(world, 0)[-1])
    assert_valid("agent-status-event", found)
    assert found == {
        "org": 5406213,
        "agent_id": "wc:sam@example.com",
        "status": status,
        "timestamp": world.clock.now_ms(),
    }
    assert in_sample_order(found, STATUS_SAMPLE)
    assert conversation_event(world, events_since(world, 0)[-1]) == []


def test_the_agent_status_schema_takes_the_sample_and_refuses_drift() -> None:
    assert_valid("agent-status-event", STATUS_SAMPLE)
    assert schemas.errors("agent-status-event", {**STATUS_SAMPLE, "org": "5406213"})  # a number
    assert schemas.errors("agent-status-event", {**STATUS_SAMPLE, "agent_id": "x@example.com"})  # wc:
    assert schemas.errors("agent-status-event", {**STATUS_SAMPLE, "status": "away"})
    assert schemas.errors("agent-status-event", {k: v for k, v in STATUS_SAMPLE.items() if k != "timestamp"})


# -- purity -------------------------------------------------------------------------------------------------


def test_building_payloads_changes_nothing(world: World) -> None:
    case = full_chat(world)
    world.set_agent_status(world.orgs[ORG_ID], "sam@example.com", "pause", "Gone to lunch")
    before = (copy.deepcopy(case), world.dump(), len(world.events.since(0)), world.clock.now_ms())
    first = integration_json(world, case)
    events = [(conversation_event(world, e), agent_status_event(world, e)) for e in world.events.since(0)]
    assert (case, world.dump(), len(world.events.since(0)), world.clock.now_ms()) == before
    assert integration_json(world, case) == first
    assert [(conversation_event(world, e), agent_status_event(world, e)) for e in world.events.since(0)] == (
        events
    )
