"""A world document with several mistakes gets all of them in one answer: the schema's errors and, as far as
the document's shape lets them be checked, the rules a schema cannot state (a misspelt key does not hide a
bad time zone)."""

from __future__ import annotations

import pytest

from mocksnap.world import document
from tests.conftest import default_document


def _mistakes(doc: dict) -> list[tuple[str, str]]:
    with pytest.raises(document.DocumentError) as refused:
        document.build_world(doc)
    return [(error.path, error.message) for error in refused.value.errors]


def test_a_misspelt_key_does_not_hide_a_bad_time_zone_nor_an_uppercase_email() -> None:
    doc = default_document()
    org = doc["organizations"][0]
    org["widgets"][1]["nmae"] = "Sales"
    org["widgets"][1]["conversationSchedule"]["timeZone"] = "Europe/Berln"
    org["users"].append({"email": "Jo@example.com", "name": "Jo", "password": "12345", "accountType": "biz"})
    found = _mistakes(doc)
    paths = [path for path, _ in found]
    assert paths == [
        "/organizations/0/widgets/1",
        "/organizations/0/users/1/email",
        "/organizations/0/widgets/1/conversationSchedule",
    ]
    assert "nmae" in found[0][1]
    assert "must be a known time zone" in found[2][1]


def test_a_part_of_the_wrong_shape_is_skipped_and_the_rest_still_checked() -> None:
    doc = default_document()
    org = doc["organizations"][0]
    del org["widgets"][0]["agents"][0]["agentAlias"]  # required
    org["widgets"][0]["agents"][1] = "michael@example.com"  # a string where an agent goes
    org["widgets"][1]["uuid"] = org["widgets"][0]["uuid"]
    found = _mistakes(doc)
    assert any(path.endswith("/agents/0/agentAlias") for path, _ in found)
    assert any(path.endswith("/agents/1") for path, _ in found)
    assert (
        "/organizations/0/widgets/1/uuid",
        f"uuid {org['widgets'][0]['uuid']} is used by another widget",
    ) in found


def test_a_document_of_no_shape_at_all_gets_its_schema_errors() -> None:
    assert _mistakes({"organizations": "none"})[0][0] == "/organizations"
    assert _mistakes(["not", "a", "world"])
