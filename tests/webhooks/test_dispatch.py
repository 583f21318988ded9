"""The dispatcher: which events become which deliveries; outbound payloads checked against their schemas."""

from __future__ import annotations

import pytest

from mocksnap.clock import ManualClock
from mocksnap.webhooks import dispatch
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Dispatcher, Violations
from mocksnap.world import World
from mocksnap.world.models import Visitor
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, assert_valid

HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture
def wired(world: World) -> tuple[World, DeliveryEngine, Violations]:
    engine = DeliveryEngine(world.scheduler)  # no loop: deliveries stay queued, to be looked at
    violations = Violations()
    Dispatcher(world, engine, violations)
    return world, engine, violations


def chat(world: World, widget_id: str = SUPPORT_WIDGET, **visitor: str):
    return world.start_case(world.orgs["5406213"], widget_id, Visitor(**visitor), "hello")


def test_nothing_goes_out_without_a_subscription(wired) -> None:
    world, engine, _ = wired
    case = chat(world, email="v@example.com")
    world.accept(case, "sam@example.com")
    world.close(case, "agent")
    world.set_agent_status(world.orgs["5406213"], "sam@example.com", "pause")
    assert engine.log == {}


def test_only_the_subscribed_conversation_events_go_out(wired) -> None:
    world, engine, _ = wired
    org = world.orgs["5406213"]
    world.set_integrations(
        org, SUPPORT_WIDGET, {"conversationEvents": {"url": HOOK, "events": ["caseAssigned"]}}
    )
    case = chat(world)
    world.accept(case, "sam@example.com")
    world.close(case, "agent")
    assert [(d.kind, d.meta["event"]) for d in engine.log.values()] == [
        ("conversation_event", "caseAssigned")
    ]


def test_the_integration_post_goes_out_on_close_and_on_offline_messages(wired) -> None:
    world, engine, _ = wired
    org = world.orgs["5406213"]
    for widget_id in (SUPPORT_WIDGET, SALES_WIDGET):
        world.set_integrations(org, widget_id, {"integrationApi": {"url": HOOK, "authToken": "t"}})
    case = chat(world)
    assert engine.log == {}  # not before the chat ends
    world.close(case, "visitor")
    offline = world.start_case(org, SALES_WIDGET, Visitor(email="v@example.com"), "hi", offline=True)
    sent = list(engine.log.values())
    assert [(d.kind, d.meta["caseId"], d.meta["event"]) for d in sent] == [
        ("integration", case.case_id, "case.closed"),
        ("integration", offline.case_id, "case.offline"),
    ]
    assert sent[0].headers["Authorization"] == "t"
    assert sent[0].headers["Content-Type"] == "application/json"


def test_get_contact_is_called_for_a_valid_email_at_the_start_or_when_the_visitor_gives_one(wired) -> None:
    world, engine, _ = wired
    org = world.orgs["5406213"]
    world.set_integrations(org, SUPPORT_WIDGET, {"getContact": {"url": HOOK + "?system=crm"}})
    first = chat(world, email="known@example.com")
    second = chat(world)
    assert [d.url for d in engine.log.values()] == [
        f"{HOOK}?system=crm&email=known%40example.com&ip=&url=&caseId={first.case_id}"
    ]
    world.visitor_message(second, "you can write to Me@Example.org, thanks")
    assert second.visitor.email == "me@example.org"
    assert list(engine.log.values())[-1].url.endswith(
        f"email=me%40example.org&ip=&url=&caseId={second.case_id}"
    )
    world.visitor_message(second, "or other@example.org")  # only the first one counts
    assert len(engine.log) == 2


def test_an_answer_is_kept_on_the_case_as_a_note_for_the_agent(wired) -> None:
    world, _, _ = wired
    case = chat(world, email="known@example.com")
    world.set_contact(case, "CRM", "Gold customer")
    assert case.contact == "Gold customer"
    assert (case.entries[-1].sender, case.entries[-1].alias) == ("NOTE", "CRM")


def test_a_payload_that_breaks_its_schema_is_listed_and_still_sent(wired, monkeypatch) -> None:
    world, engine, violations = wired
    world.set_integrations(world.orgs["5406213"], SUPPORT_WIDGET, {"integrationApi": {"url": HOOK}})
    monkeypatch.setattr(dispatch.payloads, "integration_json", lambda world, case: {"id": 5})
    case = chat(world)
    world.close(case, "agent")
    assert_valid("admin-violations", {"violations": violations.list()})
    [violation] = violations.list()
    assert (violation["kind"], violation["schema"], violation["payload"]) == (
        "integration",
        "integration-api",
        {"id": 5},
    )
    assert violation["errors"]
    assert len(engine.log) == 1


def test_agent_status_events_go_to_the_organization_webhook(wired, clock: ManualClock) -> None:
    world, engine, _ = wired
    org = world.orgs["5406213"]
    world.set_agent_status_webhook(org, {"url": HOOK, "authToken": "a"})
    world.set_agent_status(org, "dana@example.com", "online")
    [delivery] = engine.log.values()
    assert delivery.kind == "agent_status"
    assert delivery.body == (
        b'{"org": 5406213, "agent_id": "wc:dana@example.com", "status": "online", "timestamp": 1795426200000}'
    )
