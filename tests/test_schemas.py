"""The schemas are valid 2020-12 schemas with stable ids, and accept the vendor samples of their kind."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from mocksnap import schemas
from tests.conftest import SAMPLES, assert_valid

# Which schema each of the vendor's samples (tests/samples/, see its README) belongs to (the samples of later
# API families join this table as their schemas are written).
SAMPLE_SCHEMAS = {
    "provisioning-user-create-request.json": "provisioning-user-create-request",
    "provisioning-user-update-request.json": "provisioning-user-update-request",
    "provisioning-user-create-response.json": "provisioning-user",
    "provisioning-user-get-response.json": "provisioning-user",
    "provisioning-user-update-response.json": "provisioning-user",
    "provisioning-widget-create-request.json": "provisioning-widget-create-request",
    "provisioning-widget-update-request.json": "provisioning-widget-update-request",
    "provisioning-widget-create-response.json": "provisioning-widget",
    "provisioning-widget-get-response.json": "provisioning-widget",
    "provisioning-widget-update-response.json": "provisioning-widget",
    "visitor-chat-availability.json": "visitor-chat-availability",
    "widget-availability.json": "widget-availability",
    "agent-status-error-400.json": "api-error",
    "logs-response.json": "logs-response",
    "integration-api.json": "integration-api",
    "conversation-event.json": "conversation-event",
    "agent-status-event.json": "agent-status-event",
    "bot-chat-closed.json": "bot-chat-closed",
    "bot-chat-started-verified.json": "bot-chat-started",
    "bot-chat-started.json": "bot-chat-started",
    "bot-command-result.json": "bot-command-result",
    "bot-message.json": "bot-message",
    "bot-reply-cards.json": "bot-reply",
    "bot-reply-command.json": "bot-reply",
    "bot-reply-label.json": "bot-reply",
    "bot-reply-message-and-command.json": "bot-reply",
    "bot-reply-messages.json": "bot-reply",
    "bot-reply-tag-transfer.json": "bot-reply",
}


@pytest.mark.parametrize("name", schemas.names())
def test_every_schema_is_a_valid_draft_2020_12_schema_with_a_stable_id(name: str) -> None:
    document = schemas.schema(name)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == f"https://mocksnap.local/schemas/{name}.schema.json"
    assert document.get("title"), "every schema says what it describes"


@pytest.mark.parametrize(("sample", "schema_name"), sorted(SAMPLE_SCHEMAS.items()))
def test_schema_accepts_the_vendor_sample(sample: str, schema_name: str) -> None:
    assert_valid(schema_name, json.loads((SAMPLES / sample).read_text()))


def test_error_messages_name_the_field() -> None:
    assert schemas.first_error("provisioning-user-create-request", {"name": "x", "password": "12345"}) == (
        "email is required"
    )
    long_email = "a" * 95 + "@b.com"
    assert schemas.first_error(
        "provisioning-user-create-request",
        {"email": long_email, "name": "x", "password": "12345", "accountType": "biz"},
    ) == ("email must be less than 100 characters")
    widget = json.loads((SAMPLES / "provisioning-widget-create-request.json").read_text())
    widget["agents"][0]["agentType"] = "msn"
    assert schemas.first_error("provisioning-widget-create-request", widget) == (
        'agents[0].agentType must be one of: "webclient", "google", "skype"'
    )


def test_every_error_is_listed_with_a_json_pointer() -> None:
    found = schemas.errors("world", {"organizations": [{"orgId": "12"}]})
    assert [e.path for e in found] == [
        "/organizations/0/apiToken",
        "/organizations/0/provisioningApiKey",
        "/organizations/0/visitorApiKey",
    ]
    with pytest.raises(schemas.SchemaViolation) as raised:
        schemas.validate("world", {"organizations": [{"orgId": "12"}]})
    assert len(raised.value.errors) == 3
