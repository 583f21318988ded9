"""Putting agents (bots with their webhook, and humans) on a widget through the control API."""

from __future__ import annotations

import pytest
from falcon.testing import TestClient

from mocksnap.world import World
from mocksnap.world.models import Visitor
from tests.conftest import ORG_ID, SALES_WIDGET, SUPPORT_WIDGET, assert_valid

BOT = {
    "agentAlias": "HelpBot",
    "agentAvatar": "",
    "agentType": "bot",
    "status": "online",
    "tags": ["triage"],
    "bot": {"url": "http://127.0.0.1:9/bot", "authToken": "bot-token"},
}


def path(agent_id: str, widget_id: str = SUPPORT_WIDGET) -> str:
    return f"/__admin/widgets/{widget_id}/agents/{agent_id}"


def test_a_bot_put_on_a_widget_takes_its_new_chats(client: TestClient, world: World) -> None:
    result = client.simulate_put(path("wc:HelpBot@example.com"), json=BOT)
    assert result.status_code == 200
    assert result.json == {"agentId": "helpbot@example.com", **BOT}
    assert_valid("admin-widget-agent", result.json)
    widget = world.orgs[ORG_ID].widgets[SUPPORT_WIDGET]
    assert [a.agent_id for a in widget.agents][-1] == "helpbot@example.com"
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    assert (case.state, case.agent_id) == ("assigned", "helpbot@example.com")
    dumped = world.dump()
    assert_valid("world", dumped)
    assert World(dumped, world.clock).dump() == dumped


def test_putting_an_agent_again_replaces_it_in_place_and_sets_its_status(
    client: TestClient, world: World
) -> None:
    human = {"agentAlias": "Samantha", "agentAvatar": "", "agentType": "webclient", "status": "pause"}
    assert client.simulate_put(path("sam@example.com"), json=human).status_code == 200
    org = world.orgs[ORG_ID]
    sam = org.widgets[SUPPORT_WIDGET].agents[0]
    assert (sam.agent_id, sam.alias, org.agents["sam@example.com"].status) == (
        "sam@example.com",
        "Samantha",
        "pause",
    )
    kinds = [event.kind for event in world.events.since()]
    assert kinds[-2:] == ["widget.updated", "agent.status_changed"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**BOT, "bot": None}, "bot must not be null"),
        ({**BOT, "agentType": "webclient"}, "body may have a bot webhook only when its agentType is bot"),
        ({**BOT, "bot": {"url": "ftp://x"}}, "bot.url must be an http:// or https:// URL"),
        ({**BOT, "agentId": "someone@example.com"}, "agentId must be the agent of the URL"),
        ({**BOT, "tags": ["a", "a"]}, "tags"),
        ([BOT], "body must be an object"),
    ],
)
def test_a_bad_agent_is_refused_and_changes_nothing(
    client: TestClient, world: World, body: object, message: str
) -> None:
    before = world.dump()
    result = client.simulate_put(path("helpbot@example.com"), json=body)
    assert result.status_code == 400, result.text
    assert message in result.json["message"]
    assert world.dump() == before


def test_unknown_widgets_and_agents_are_404(client: TestClient) -> None:
    assert client.simulate_put(path("x@example.com", "nope"), json=BOT).status_code == 404
    assert client.simulate_delete(path("x@example.com")).status_code == 404


def test_an_agent_is_taken_off_unless_last_or_chatting(client: TestClient, world: World) -> None:
    org = world.orgs[ORG_ID]
    case = world.start_case(org, SUPPORT_WIDGET, Visitor(), "hello")
    world.accept(case, "sam@example.com")
    refused = client.simulate_delete(path("sam@example.com"))
    assert (refused.status_code, refused.json["message"]) == (
        400,
        f"sam@example.com has 1 chat(s) under way on widget {SUPPORT_WIDGET}",
    )
    assert client.simulate_delete(path("michael@example.com")).status_code == 204
    assert [a.agent_id for a in org.widgets[SUPPORT_WIDGET].agents] == ["sam@example.com"]
    assert "michael@example.com" not in org.agents  # on no widget any more
    world.close(case, "agent")
    last = client.simulate_delete(path("sam@example.com"))
    assert (last.status_code, last.json["message"]) == (
        400,
        f"sam@example.com is the last agent of widget {SUPPORT_WIDGET}",
    )
    assert client.simulate_delete(path("charlie@example.com", SALES_WIDGET)).status_code == 204


def test_a_bot_without_a_webhook_is_played_by_the_simulated_agents(client: TestClient, world: World) -> None:
    played = {key: value for key, value in BOT.items() if key != "bot"}
    assert client.simulate_put(path("helpbot@example.com"), json=played).status_code == 200
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    assert case.agent_id == "helpbot@example.com"
    world.scheduler.advance(5)  # it greets and hands the chat to the humans, who accept it
    assert [e.sender for e in case.entries if e.sender in ("BOT", "AGENT")][:1] == ["BOT"]
    world.scheduler.advance(10)
    assert case.state == "assigned"
    assert case.agent_id in ("sam@example.com", "michael@example.com")
