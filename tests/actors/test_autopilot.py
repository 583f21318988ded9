"""Simulated agents: accept, greet, type, answer; respect pause; the same seed gives the same chat."""

from __future__ import annotations

from datetime import UTC, datetime

from mocksnap.actors.autopilot import Autopilot
from mocksnap.app import create_app
from mocksnap.clock import ManualClock
from mocksnap.world import World
from mocksnap.world.chats import INACTIVITY_TIMEOUT_S, QUEUE_TIMEOUT_S
from mocksnap.world.models import Visitor
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, LocalClient, default_document

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def new_world(seed: int = 7) -> tuple[World, Autopilot]:
    world = World(default_document(), ManualClock(START), seed=seed)
    return world, Autopilot(world)


def chat(world: World, widget_id: str = SUPPORT_WIDGET, text: str = "hello"):
    return world.start_case(world.orgs["5406213"], widget_id, Visitor(email="v@example.com"), text)


def test_an_online_agent_accepts_greets_and_answers_with_typing_first() -> None:
    world, _ = new_world()
    case = chat(world)
    world.scheduler.advance(1)
    assert case.state == "queued"
    world.scheduler.advance(6)  # the accept delay is 2 to 6 s
    assert case.state == "assigned"
    assert case.agent_id in ("sam@example.com", "michael@example.com")
    world.scheduler.advance(3)  # the greeting comes 1 to 3 s later
    assert [e.sender for e in case.entries] == ["VISITOR", "SYSTEM", "SYSTEM", "SYSTEM", "AGENT"]
    assert case.entries[-1].message.startswith("Hi, I'm ")
    world.visitor_message(case, "Do you have shoes?")
    world.scheduler.advance(1.5)  # typing starts 0.5 to 1.5 s after the visitor's message
    assert case.agent_typing is True
    world.scheduler.advance(6)  # and the answer 2 to 6 s after that
    assert case.agent_typing is False
    assert case.entries[-1].sender == "AGENT"
    assert len(case.entries[-1].message.split()) >= 6
    assert case.responded_ms is not None


def test_chats_are_spread_over_the_least_busy_online_agents() -> None:
    world, _ = new_world()
    cases = [chat(world) for _ in range(4)]
    world.scheduler.advance(10)
    agents = sorted(c.agent_id for c in cases)
    assert agents == ["michael@example.com", "michael@example.com", "sam@example.com", "sam@example.com"]


def test_paused_agents_take_no_new_chats_until_they_are_back() -> None:
    world, _ = new_world()
    org = world.orgs["5406213"]
    world.set_agent_status(org, "sam@example.com", "pause", "Gone to lunch")
    world.set_agent_status(org, "michael@example.com", "pause")
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hello", offline=False)
    assert case.kind == "offline"  # nobody online: the widget is offline
    world.set_agent_status(org, "sam@example.com", "online")
    case = chat(world)
    world.set_agent_status(org, "sam@example.com", "pause")
    world.scheduler.advance(30)
    assert case.state == "queued"
    world.set_agent_status(org, "sam@example.com", "online")
    world.scheduler.advance(6)
    assert (case.state, case.agent_id) == ("assigned", "sam@example.com")


def test_nobody_accepting_ends_as_no_agents_found() -> None:
    world, autopilot = new_world()
    autopilot.enabled = False
    case = chat(world)
    world.scheduler.advance(QUEUE_TIMEOUT_S)
    assert (case.state, case.ended_by, case.accepted_ms) == ("closed", "no_agents_found", None)
    assert case.wait_ms(0) == case.duration_ms(0) == QUEUE_TIMEOUT_S * 1000


def test_a_quiet_chat_times_out() -> None:
    world, autopilot = new_world()
    autopilot.enabled = False
    case = chat(world)
    world.accept(case, "sam@example.com")
    world.scheduler.advance(INACTIVITY_TIMEOUT_S - 60)
    world.visitor_message(case, "still there?")  # activity pushes the timeout back
    world.scheduler.advance(INACTIVITY_TIMEOUT_S - 1)
    assert case.state == "assigned"
    world.scheduler.advance(1)
    assert (case.state, case.ended_by) == ("closed", "timed_out")


def test_the_same_seed_plays_the_same_conversation() -> None:
    def play(seed: int) -> list[tuple]:
        world, _ = new_world(seed)
        case = chat(world)
        world.scheduler.advance(10)
        world.visitor_message(case, "Do you ship to Berlin?")
        world.scheduler.advance(20)
        return [(e.sender, e.agent_id, e.at_ms, e.message) for e in case.entries]

    assert play(7) == play(7)
    assert play(7) != play(8)


def test_with_autopilot_off_nothing_happens_by_itself() -> None:
    world, autopilot = new_world()
    autopilot.enabled = False
    case = chat(world)
    world.scheduler.advance(QUEUE_TIMEOUT_S - 1)
    assert (case.state, len(case.entries)) == ("queued", 2)


def test_the_control_api_switches_autopilot_and_reset_switches_it_back_on(world: World) -> None:
    client = LocalClient(create_app(world=world))
    assert client.simulate_get("/__admin/autopilot").json == {"enabled": True}
    assert client.simulate_put("/__admin/autopilot", json={"enabled": False}).json == {"enabled": False}
    case = chat(world, SALES_WIDGET)
    world.scheduler.advance(60)
    assert case.state == "queued"
    client.simulate_post("/__admin/reset")
    assert client.simulate_get("/__admin/autopilot").json == {"enabled": True}
    assert client.simulate_put("/__admin/autopilot", json={"enabled": "no"}).status_code == 400
