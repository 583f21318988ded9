"""What the visitor does besides writing, as the widget reports it: typing and moving to another page. Both
are events for the live feed; neither is a transcript line."""

from __future__ import annotations

import pytest

from mocksnap.world import World
from mocksnap.world.errors import Invalid
from mocksnap.world.models import Visitor
from tests.conftest import SUPPORT_WIDGET


def chat(world: World):
    return world.start_case(
        world.orgs["5406213"], SUPPORT_WIDGET, Visitor(page_url="https://shop.example/"), "hi"
    )


def test_a_page_change_is_kept_on_the_visitor_and_told_once(world: World) -> None:
    case = chat(world)
    lines = len(case.entries)
    world.visitor_page(case, "https://shop.example/cart")
    world.visitor_page(case, "https://shop.example/cart")
    assert case.visitor.page_url == "https://shop.example/cart"
    pages = [e.data for e in world.events.since(0) if e.kind == "case.page"]
    assert pages == [{"caseId": case.case_id, "widgetId": SUPPORT_WIDGET, "url": "https://shop.example/cart"}]
    assert len(case.entries) == lines


def test_a_page_change_of_a_closed_chat_or_to_nowhere_is_refused(world: World) -> None:
    case = chat(world)
    with pytest.raises(Invalid, match="url must not be empty"):
        world.visitor_page(case, "")
    world.close(case, "visitor")
    with pytest.raises(Invalid, match="is closed"):
        world.visitor_page(case, "https://shop.example/other")
    assert case.visitor.page_url == "https://shop.example/"


def test_agent_typing_is_an_event_when_it_starts_and_stops(world: World) -> None:
    case = chat(world)
    agent = world.orgs["5406213"].widgets[SUPPORT_WIDGET].agents[0].agent_id
    world.accept(case, agent)
    for typing in (True, True, False):
        world.agent_typing(case, agent, typing)
    typing_events = [
        (e.data["who"], e.data["typing"]) for e in world.events.since(0) if e.kind == "case.typing"
    ]
    assert typing_events == [("agent", True), ("agent", False)]


def test_the_events_after_any_number_are_found_by_offset(world: World) -> None:
    chat(world)
    last = world.events.last_seq
    assert [event.seq for event in world.events.since(last - 2)] == [last - 1, last]
    assert world.events.since(last) == world.events.since(2**70) == []
    world.events.clear()
    assert world.events.since(0) == []
