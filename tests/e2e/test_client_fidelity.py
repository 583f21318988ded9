"""What clients written for the real service send, on the wire of a real server: Java-style bodies with
explicit nulls, the Logs API parameters real exporters send, the Visitor Chat API's body and HEAD rules, the
conversation events of a widget transfer at a real receiver, and demo visitors with the sample's details."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from mocksnap.testing import Mocksnap
from tests.conftest import OWNER, PROVISIONING_KEY, SUPPORT_WIDGET, assert_valid

KEY = f"api_key={PROVISIONING_KEY}"


# -- explicit nulls --------------------------------------------------------------------------------------


def jackson(fields: dict[str, object]) -> bytes:
    """A body as Jackson writes a bean by default: every field, unset ones as null."""
    return json.dumps(fields).encode()


def test_a_java_style_body_with_nulls_creates_and_updates_a_user_and_a_widget(mocksnap: Mocksnap) -> None:
    user = {
        "email": "Java.Client@Example.com",
        "name": "Java Client",
        "accountType": "biz",
        "password": "secret",
        "phone": None,
        "templateId": None,
    }
    created = mocksnap.request(
        "PUT", f"/api/v1/user.json?{KEY}", jackson(user), {"Content-Type": "application/json"}
    )
    assert created.status == 201, created.body
    assert created.json() == {"email": "java.client@example.com", "name": "Java Client", "accountType": "biz"}
    assert_valid("provisioning-user", created.json())
    update = user | {"name": "J. Client", "accountType": None, "password": None}
    updated = mocksnap.request("POST", f"/api/v1/user.json?{KEY}", jackson(update))
    assert updated.status == 200, updated.body
    assert updated.json() == {"email": "java.client@example.com", "name": "J. Client", "accountType": "biz"}

    widget = {
        "email": OWNER,
        "name": None,
        "destinationEmail": None,
        "agents": [
            {
                "agentId": "12345",
                "agentAlias": "Jimbo",
                "agentAvatar": "https://x.test/j.png",
                "agentType": "webclient",
            }
        ],
        "uuid": None,
        "enableProactiveChat": None,
        "enableConversations": None,
        "conversationSchedule": None,
    }
    made = mocksnap.request("PUT", f"/api/v1/widget.json?{KEY}", jackson(widget))
    assert made.status == 201, made.body
    assert_valid("provisioning-widget", made.json())
    assert made.json()["destinationEmail"] == OWNER
    assert (made.json()["enableProactiveChat"], made.json()["enableConversations"]) == ("true", True)
    renamed = mocksnap.request(
        "POST", f"/api/v1/widget.json?{KEY}", jackson(widget | {"uuid": made.json()["uuid"], "name": "Java"})
    )
    assert renamed.status == 200, renamed.body
    assert renamed.json()["name"] == "Java"
    assert renamed.json()["enableProactiveChat"] == "true"


def test_a_required_field_sent_as_null_is_named_as_missing(mocksnap: Mocksnap) -> None:
    user = {"email": "x@example.com", "name": None, "accountType": "biz", "password": "secret", "phone": None}
    refused = mocksnap.request("PUT", f"/api/v1/user.json?{KEY}", jackson(user))
    assert (refused.status, refused.json()) == (400, {"code": 400, "message": "name is required"})
    missing = mocksnap.request("GET", f"/api/v1/user.json?{KEY}&{urlencode({'email': 'x@example.com'})}")
    assert missing.status == 404


# -- Logs API parameters ---------------------------------------------------------------------------------


def test_a_logs_client_follows_the_whole_link_with_java_zone_ids_and_no_end(mocksnap: Mocksnap) -> None:
    org = mocksnap.org
    made = [chat(mocksnap, f"question {n}") for n in range(130)]
    auth = {"Authorization": org.apiToken}
    seen: list[str] = []
    query = urlencode(
        {"widgetId": SUPPORT_WIDGET, "start": "2000-01-01", "end": "9999-12-31", "timezone": "UTC+2"}
    )
    body = logs_page(mocksnap, f"/api/v2/{org.orgId}/logs?{query}", auth)
    seen += [case["id"] for case in body["cases"]]
    assert body["linkToNextSetOfResults"].startswith(f"{mocksnap.base_url}/api/v2/{org.orgId}/logs?")
    # the link itself as `next`, URL-encoded, and nothing else
    follow = urlencode({"next": body["linkToNextSetOfResults"]})
    body = logs_page(mocksnap, f"/api/v2/{org.orgId}/logs?{follow}", auth)
    seen += [case["id"] for case in body["cases"]]
    assert body["linkToNextSetOfResults"] == ""
    assert sorted(seen) == sorted(made)  # every chat once (ties in the same millisecond in any order)
    for zone in ("GMT", "Z", "+02:00", "GMT+2", "UT", "UTC+02:00", "Europe/Berlin"):
        query = urlencode(
            {"widgetId": SUPPORT_WIDGET, "start": "2000-01-01", "end": "9999-12-31", "timezone": zone}
        )
        assert len(logs_page(mocksnap, f"/api/v2/{org.orgId}/logs?{query}", auth)["cases"]) == 100


def chat(mocksnap: Mocksnap, message: str) -> str:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": message})
    started = mocksnap.request(
        "POST", f"/api/v1/chat?{query}", headers={"x-api-key": mocksnap.org.visitorApiKey}
    )
    assert started.status == 200, started.body
    return started.json()["caseId"]


def logs_page(mocksnap: Mocksnap, path: str, auth: dict[str, str]) -> dict:
    answer = mocksnap.request("GET", path, headers=auth)
    assert answer.status == 200, answer.body
    assert_valid("logs-response", answer.json())
    return answer.json()
