"""World documents: the default world loads, round-trips exactly, and every broken rule is reported."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mocksnap.clock import RealClock
from mocksnap.world import DocumentError, World
from mocksnap.world import document as world_document
from tests.conftest import OWNER, SALES_WIDGET, SUPPORT_WIDGET, assert_valid, default_document


def test_default_world_holds_what_the_readme_promises(world: World) -> None:
    org = world.orgs["5406213"]
    assert (org.api_token, org.provisioning_api_key, org.visitor_api_key) == (
        "mocksnap-api-token",
        "mocksnap-provisioning-key",
        "mocksnap-visitor-key",
    )
    support, sales = org.widgets[SUPPORT_WIDGET], org.widgets[SALES_WIDGET]
    assert support.conversation_schedule is None
    assert [org.agents[a.agent_id].status for a in support.agents] == ["online", "online"]
    assert sales.conversation_schedule is not None
    assert sales.conversation_schedule.time_zone == "Europe/Berlin"


def test_load_dump_load_is_identical(world: World, clock) -> None:
    dumped = world.dump()
    assert_valid("world", dumped)
    assert World(dumped, clock).dump() == dumped
    # The bundled document is written in canonical form, so it is its own dump.
    assert dumped == default_document()


def test_yaml_and_json_files_load_the_same_world(tmp_path: Path, clock) -> None:
    as_json, as_yaml = tmp_path / "world.json", tmp_path / "world.yaml"
    as_json.write_text(json.dumps(default_document()))
    as_yaml.write_text(world_document.to_yaml(default_document()))
    assert (
        World(world_document.read(as_json), clock).dump() == World(world_document.read(as_yaml), clock).dump()
    )


def _broken(change) -> list[str]:
    document = default_document()
    change(document)
    with pytest.raises(DocumentError) as raised:
        World(document, RealClock())
    return [f"{e.path} {e.message}" for e in raised.value.errors]


def _org(document: dict[str, Any]) -> dict[str, Any]:
    return document["organizations"][0]


def test_schema_errors_are_all_listed_with_their_paths() -> None:
    def change(document: dict[str, Any]) -> None:
        del _org(document)["apiToken"]
        _org(document)["widgets"][0]["agents"][0]["agentType"] = "msn"

    assert _broken(change) == [
        "/organizations/0/apiToken organizations[0].apiToken is required",
        "/organizations/0/widgets/0/agents/0/agentType organizations[0].widgets[0].agents[0].agentType "
        'must be one of: "webclient", "google", "skype", "bot"',
    ]


def test_rules_a_schema_cannot_state_are_checked() -> None:
    def change(document: dict[str, Any]) -> None:
        org = _org(document)
        second = copy.deepcopy(org)
        second["orgId"] = "99"
        second["apiToken"] = "another-token"
        second["users"] = []
        second["accountTemplates"] = []
        second["widgets"][0]["email"] = "nobody@example.com"
        document["organizations"].append(second)
        org["widgets"][1]["agents"][0]["agentId"] = "sam@example.com"
        org["widgets"][1]["agents"][0]["status"] = "offline"
        org["widgets"][1]["conversationSchedule"]["timeZone"] = "Mars/Olympus"
        org["widgets"][1]["conversationSchedule"]["schedules"][0]["scheduleList"] = ["5:00 PM", "9:00 AM"]

    found = _broken(change)
    assert any(
        "/organizations/1/provisioningApiKey" in f and "used by organization 5406213" in f for f in found
    )
    assert any("/organizations/1/widgets/0/uuid" in f for f in found)
    assert any("/organizations/1/widgets/0/email" in f and "not a user" in f for f in found)
    assert any("/organizations/0/widgets/1/agents/0" in f and "one status" in f for f in found)
    assert any("/organizations/0/widgets/1/conversationSchedule" in f and "time zone" in f for f in found)


def test_a_schedule_range_must_end_after_it_starts() -> None:
    def change(document: dict[str, Any]) -> None:
        _org(document)["widgets"][1]["conversationSchedule"]["schedules"][0]["scheduleList"] = [
            "5:00 PM",
            "9:00 AM",
        ]

    assert _broken(change) == [
        "/organizations/0/widgets/1/conversationSchedule "
        "conversationSchedule.schedules[0].scheduleList must end each range after it starts"
    ]


def test_user_emails_are_unique_and_lowercase() -> None:
    def change(document: dict[str, Any]) -> None:
        _org(document)["users"].append({**_org(document)["users"][0]})
        _org(document)["users"].append({**_org(document)["users"][0], "email": "Upper@Example.com"})

    found = _broken(change)
    assert any(f"{OWNER} is the email of another user" in f for f in found)
    assert any(f == "/organizations/0/users/2/email email must be lowercase" for f in found)


@pytest.mark.parametrize("text", ["organizations: [", "{not json", "- just\n- a list"])
def test_unreadable_documents_are_refused(text: str, tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(text)
    with pytest.raises(DocumentError):
        World(world_document.read(path), RealClock())


def test_to_yaml_round_trips() -> None:
    document = default_document()
    assert yaml.safe_load(world_document.to_yaml(document)) == document


# -- bots, tags and Visitor Identity Verification ------------------------------------------------------------

BOT = {
    "agentId": "helper-bot",
    "agentAlias": "Helper Bot",
    "agentAvatar": "https://example.com/avatars/bot.png",
    "agentType": "bot",
    "tags": ["FAQ", "BILLING"],
    "bot": {"url": "https://bots.example.com/hook", "authToken": "bot-token-123"},
    "status": "online",
}
QUIET_BOT = {  # no authToken, no tags, offline
    "agentId": "quiet-bot",
    "agentAlias": "Quiet Bot",
    "agentAvatar": "",
    "agentType": "bot",
    "bot": {"url": "http://127.0.0.1:8081/bot"},
    "status": "offline",
}


def _tagged(agent: dict[str, Any], *tags: str) -> dict[str, Any]:
    """The agent entry with tags, where the canonical form has them: after agentType, before the status."""
    status = {key: agent[key] for key in ("status", "subStatus") if key in agent}
    return {**{key: value for key, value in agent.items() if key not in status}, "tags": list(tags), **status}


def _bot_document() -> dict[str, Any]:
    """The default world, in canonical form, with a bot first on the support widget and another on the sales
    widget, Sam and Dana tagged, and Visitor Identity Verification on the support widget."""
    document = default_document()
    support, sales = _org(document)["widgets"]
    support["visitorIdentityVerification"] = {"secret": "identity-secret"}
    # Canonical key order: the widget's settings, then visitorIdentityVerification, then agents last.
    support["agents"] = support.pop("agents")
    support["agents"].insert(0, copy.deepcopy(BOT))
    support["agents"][1] = _tagged(support["agents"][1], "BILLING", "VIP")  # Sam
    sales["agents"].append(copy.deepcopy(QUIET_BOT))
    sales["agents"][1] = _tagged(sales["agents"][1], "SALES")  # Dana, paused with a subStatus
    return document


def test_bots_tags_and_identity_verification_load_and_dump_back_the_same(clock) -> None:
    document = _bot_document()
    assert_valid("world", document)
    world = World(copy.deepcopy(document), clock)
    dumped = world.dump()
    assert dumped == document
    # The same canonical form, key order included, and it loads again to itself.
    assert json.dumps(dumped) == json.dumps(document)
    assert World(dumped, clock).dump() == dumped
    assert yaml.safe_load(world_document.to_yaml(dumped)) == document

    org = world.orgs["5406213"]
    support, sales = org.widgets[SUPPORT_WIDGET], org.widgets[SALES_WIDGET]
    assert support.identity_secret == "identity-secret"
    assert sales.identity_secret is None
    bot, sam = support.agents[0], support.agents[1]
    assert (bot.is_bot, bot.tags, bot.bot) == (True, ("FAQ", "BILLING"), BOT["bot"])
    assert (sam.is_bot, sam.tags, sam.bot) == (False, ("BILLING", "VIP"), None)
    quiet = sales.agents[2]
    assert (quiet.is_bot, quiet.tags, quiet.bot) == (True, (), {"url": "http://127.0.0.1:8081/bot"})
    assert (org.agents["helper-bot"].status, org.agents["quiet-bot"].status) == ("online", "offline")


def test_bot_entries_dump_in_canonical_form_whatever_order_they_were_written_in(clock) -> None:
    document = _bot_document()
    support = _org(document)["widgets"][0]
    support["agents"][0] = dict(reversed(list(BOT.items())))  # status, bot, tags ... agentId
    support["agents"][1] = dict(sorted(support["agents"][1].items()))
    dumped = World(document, clock).dump()
    assert json.dumps(dumped) == json.dumps(_bot_document())
    assert list(_org(dumped)["widgets"][0]["agents"][0]) == [
        "agentId",
        "agentAlias",
        "agentAvatar",
        "agentType",
        "tags",
        "bot",
        "status",
    ]


def test_only_a_bot_may_have_a_webhook_and_a_bot_may_go_without() -> None:
    def change(document: dict[str, Any]) -> None:
        support, sales = _org(document)["widgets"]
        support["agents"].append({**BOT})
        del support["agents"][2]["bot"]  # a bot mocksnap plays itself
        sales["agents"][1]["bot"] = {"url": "https://bots.example.com/hook"}

    assert _broken(change) == [
        "/organizations/0/widgets/1/agents/1 organizations[0].widgets[1].agents[1] "
        "may have a bot webhook only when its agentType is bot",
    ]


def test_tags_are_unique_and_identity_verification_needs_a_secret() -> None:
    def change(document: dict[str, Any]) -> None:
        support = _org(document)["widgets"][0]
        support["agents"][0]["tags"] = ["VIP", "VIP"]
        support["visitorIdentityVerification"] = {}

    found = _broken(change)
    assert len(found) == 2
    assert found[0].startswith("/organizations/0/widgets/0/agents/0/tags ")
    assert "non-unique" in found[0]
    assert found[1] == (
        "/organizations/0/widgets/0/visitorIdentityVerification/secret "
        "organizations[0].widgets[0].visitorIdentityVerification.secret is required"
    )


def test_aliases_may_share_nodes_up_to_a_bound_of_expansion() -> None:
    def doubled(levels: int) -> str:
        lines = ["l0: &l0 [x, y]"] + [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, levels + 1)]
        return "\n".join(lines) + "\n"

    shared = world_document.parse(doubled(10))  # about 2,000 nodes once expanded
    assert shared["l10"][0][0] is shared["l9"][0]
    assert world_document.ALIAS_EXPANSION < 2**17
    with pytest.raises(DocumentError, match="aliases expand it by more than"):
        world_document.parse(doubled(17))
    with pytest.raises(DocumentError, match="contains it"):
        world_document.parse("a: &a [1, {b: *a}]\n")


def test_a_document_must_be_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_bytes(b"organizations: \xe9\n")
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        world_document.read(path)
