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
