"""Contract tests: mocksnap's JSON Schemas (schemas/ in its repository) describe every payload it sends.
Check the fixtures of your own unit tests against them, so that those fixtures cannot drift from what the
vendor sends, and see every way in which one breaks the contract at once."""

import pytest

from mocksnap.testing import validate

# What your handler's unit tests feed it: a caseAssigned conversation event.
MY_FIXTURE = {
    "widget_id": "5286374d-5c92-419d-bcdb-b926d242b78b",
    "case_id": "e3e70682-c209-4cac-a29f-6fbed82c07cd",
    "agent_id": "wc:sam@example.com",
    "agent_email": "sam@example.com",
    "agent_alias": "Sam",
    "event": "caseAssigned",
    "timestamp": 1795426200000,
}


def test_my_fixture_is_a_conversation_event() -> None:
    validate(MY_FIXTURE, "conversation-event")


def test_a_drifted_fixture_fails_with_every_error() -> None:
    drifted = {**MY_FIXTURE, "event": "case_assigned", "timestamp": "2026-11-23T09:30:00Z"}
    del drifted["case_id"]
    with pytest.raises(AssertionError) as failure:
        validate(drifted, "conversation-event")
    # One line per error, after "the payload breaks the schema 'conversation-event':".
    errors = str(failure.value).splitlines()[1:]
    assert errors[0] == "  /case_id: case_id is required"
    assert errors[1].startswith('  /event: event must be one of: "caseQueued", "caseBroadcasted"')
    assert errors[2] == "  /timestamp: timestamp must be an integer"
