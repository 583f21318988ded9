"""What clients written for the real service send, on the wire of a real server: Java-style bodies with
explicit nulls, the Logs API parameters real exporters send, the Visitor Chat API's body and HEAD rules, the
conversation events of a widget transfer at a real receiver, and demo visitors with the sample's details."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

from mocksnap import openapi
from mocksnap.testing import Mocksnap, WebhookSink
from tests.conftest import OWNER, PROVISIONING_KEY, SALES_WIDGET, SUPPORT_WIDGET, assert_valid

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


# -- Visitor Chat API ------------------------------------------------------------------------------------


def test_a_json_or_multipart_body_is_told_where_the_parameters_go(mocksnap: Mocksnap) -> None:
    key = {"x-api-key": mocksnap.org.visitorApiKey}
    as_json = json.dumps({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"})
    multipart = (
        f'--b\r\nContent-Disposition: form-data; name="widgetId"\r\n\r\n{SUPPORT_WIDGET}\r\n'
        '--b\r\nContent-Disposition: form-data; name="visitorMessage"\r\n\r\nhi\r\n--b--\r\n'
    )
    for content_type, body, kind in (
        ("application/json", as_json, "JSON"),
        ("multipart/form-data; boundary=b", multipart, "multipart"),
    ):
        refused = mocksnap.request("POST", "/api/v1/chat", body, {**key, "Content-Type": content_type})
        assert refused.status == 400
        assert_valid("api-error", refused.json())
        assert refused.json()["message"] == (
            "the parameters of the Visitor Chat API go in the query string or in a form body "
            f"(application/x-www-form-urlencoded), not in a {kind} body"
        )
    assert mocksnap.request("GET", "/__admin/cases").json()["cases"] == []
    form = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"})
    accepted = mocksnap.request(
        "POST", "/api/v1/chat", form, {**key, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert accepted.status == 200, accepted.body


def test_the_visitors_last_words_reach_the_integration_api(
    mocksnap: Mocksnap, webhook_sink: WebhookSink
) -> None:
    mocksnap.configure_integrations(SUPPORT_WIDGET, integrationApi={"url": f"{webhook_sink.url}/case"})
    case_id = chat(mocksnap, "Do you ship to Norway?")
    mocksnap.advance(15)  # a simulated agent accepts and answers
    query = urlencode({"caseId": case_id, "messageType": "2", "messageBody": "Great, thanks. Bye!"})
    left = mocksnap.request("PUT", f"/api/v1/chat?{query}", headers={"x-api-key": mocksnap.org.visitorApiKey})
    assert left.status == 200, left.body
    assert left.json() == {"caseId": case_id, "messageBody": "Great, thanks. Bye!", "messageType": "2"}
    mocksnap.advance(1)
    [posted] = webhook_sink.wait_for(path="/case")
    payload = posted.json
    assert_valid("integration-api", payload)
    assert (payload["id"], payload["chat_ended_by"]) == (case_id, "visitor")
    senders = [(line["sender"], line["message"]) for line in payload["transcripts"]]
    assert senders[0] == ("VISITOR", "Do you ship to Norway?")
    assert "AGENT" in {sender for sender, _ in senders}
    assert senders[-1] == ("VISITOR", "Great, thanks. Bye!")


def get_paths(mocksnap: Mocksnap, case_id: str) -> list[tuple[str, dict[str, str]]]:
    """Every GET operation of the OpenAPI document, with values it answers (or a documented error) to"""
    org = mocksnap.org
    values = {
        "widgetId": SUPPORT_WIDGET,
        "caseId": case_id,
        "orgId": org.orgId,
        "deliveryId": "d0000001",
        "faultId": "no-such-fault",
        "name": "live.js",
        "agentId": "sam@example.com",
        "fileId": "no-such-file",  # a shared file is served over https only: a 403 here, to GET as to HEAD
    }
    queries = {
        "/api/v1/user.json": {"api_key": org.provisioningApiKey, "email": OWNER},
        "/api/v1/widget.json": {"api_key": org.provisioningApiKey, "uuid": SUPPORT_WIDGET, "email": OWNER},
        "/api/v2/{orgId}/logs": {"start": "2000-01-01", "end": "9999-12-31"},
        "/__admin/deliveries/wait": {"timeout": "0.1"},
        "/__admin/requests/wait": {"timeout": "0.1"},
        "/__admin/emails/wait": {"timeout": "0.1"},
        "/viewcase": {"c": case_id},
        "/hub": {"agent": "sam@example.com"},
    }
    headers = {"x-api-key": org.visitorApiKey, "Authorization": org.apiToken}
    found = []
    for template, item in openapi.document()["paths"].items():
        if "get" in item:
            path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], template)
            query = queries.get(template)
            found.append((path + (f"?{urlencode(query)}" if query else ""), headers))
    return found


def test_head_on_every_get_endpoint_answers_like_get_without_a_body(mocksnap: Mocksnap) -> None:
    case_id = chat(mocksnap, "hello")
    paths = get_paths(mocksnap, case_id)
    assert len(paths) >= 20
    for path, headers in paths:
        head = mocksnap.request("HEAD", path, headers=headers)
        if path == "/live":  # a stream that never ends: HEAD has its headers, and no body
            assert (head.status, head.body, head.content_type) == (200, b"", "text/event-stream")
            continue
        got = mocksnap.request("GET", path, headers=headers)
        assert (path, head.status, head.body) == (path, got.status, b"")
        assert head.content_type == got.content_type, path
        if not path.startswith("/__admin/health"):  # its uptime may have grown a digit
            assert int(head.headers["Content-Length"]) == len(got.body), path
    not_get = mocksnap.request("HEAD", "/api/v1/chat", headers=paths[0][1])
    assert (not_get.status, not_get.body, not_get.headers["Allow"]) == (405, b"", "POST, PUT, OPTIONS")
    heads = mocksnap.requests(method="HEAD")
    assert {entry["path"] for entry in heads} >= {
        f"/api/v1/chat/poll/{case_id}",
        f"/api/v1/chat/{SUPPORT_WIDGET}",
    }


# -- conversation events of a widget transfer ------------------------------------------------------------

TABLE_WITH_AGENT = {"caseResponded", "caseClosed", "caseAssigned", "caseBroadcasted", "caseLabeled",
                    "caseTransferred", "caseSurveyed"}  # fmt: skip
EVERY_EVENT = sorted(TABLE_WITH_AGENT | {"caseQueued"})


def act(mocksnap: Mocksnap, case_id: str, action: str, **body: object) -> None:
    answer = mocksnap.request("POST", f"/__admin/cases/{case_id}/{action}", body)
    assert answer.status == 200, answer.body


def test_the_widget_a_chat_leaves_hears_of_the_transfer_and_every_event_names_its_agent(
    mocksnap: Mocksnap,
) -> None:
    assert mocksnap.request("PUT", "/__admin/autopilot", {"enabled": False}).status == 200
    with WebhookSink() as support, WebhookSink() as sales:
        for widget_id, sink in ((SUPPORT_WIDGET, support), (SALES_WIDGET, sales)):
            mocksnap.configure_integrations(
                widget_id, conversationEvents={"url": f"{sink.url}/events", "events": EVERY_EVENT}
            )
        case_id = chat(mocksnap, "I have a question about an order")
        act(mocksnap, case_id, "accept", agentId="sam@example.com")
        act(mocksnap, case_id, "messages", agentId="sam@example.com", text="Hi, Sam here.")
        act(mocksnap, case_id, "labels", name="Topic", value="orders")
        act(mocksnap, case_id, "transfer", widgetId=SALES_WIDGET)
        act(mocksnap, case_id, "accept", agentId="charlie@example.com")
        act(mocksnap, case_id, "messages", agentId="charlie@example.com", text="Charlie from sales.")
        act(mocksnap, case_id, "close", endedBy="agent")
        act(mocksnap, case_id, "survey", score=90, comment="quick")
        mocksnap.advance(1)
        left = [r.json for r in support.wait_for(7, path="/events")]
        arrived = [r.json for r in sales.wait_for(6, path="/events")]

    assert [e["event"] for e in left] == [
        "caseQueued", "caseBroadcasted", "caseBroadcasted", "caseAssigned", "caseResponded", "caseLabeled",
        "caseTransferred",
    ]  # fmt: skip
    assert [e["event"] for e in arrived] == [
        "caseTransferred", "caseQueued", "caseBroadcasted", "caseAssigned", "caseClosed", "caseSurveyed",
    ]  # fmt: skip
    assert {e["widget_id"] for e in left} == {SUPPORT_WIDGET}
    assert {e["widget_id"] for e in arrived} == {SALES_WIDGET}
    for event in left + arrived:
        assert_valid("conversation-event", event)
        assert event["case_id"] == case_id
        has_agent = {"agent_id", "agent_email", "agent_alias"} <= set(event)
        assert has_agent == (event["event"] in TABLE_WITH_AGENT), event
    assert left[-1]["agent_email"] == arrived[0]["agent_email"] == "sam@example.com"
    assert left[-1]["timestamp"] == arrived[0]["timestamp"]
    assert [e["agent_email"] for e in arrived[3:]] == ["charlie@example.com"] * 3


# -- demo visitors with the sample's requester details ---------------------------------------------------


def test_demo_traffic_posts_requester_details_like_the_samples(
    mocksnap: Mocksnap, webhook_sink: WebhookSink
) -> None:
    body = {"profile": "support-24x7", "duration": "2h", "seed": 5, "webhooks": f"{webhook_sink.url}/hooks"}
    started = mocksnap.request("POST", "/__admin/traffic", body)
    assert started.status == 202, started.body
    deadline = time.monotonic() + 60
    while mocksnap.request("GET", "/__admin/traffic").json()["state"] == "running":
        assert time.monotonic() < deadline, "the traffic run did not end"
        time.sleep(0.1)
    posted = [r.json for r in webhook_sink.records("/hooks/integration")]
    assert len(posted) > 20
    for payload in posted:
        assert_valid("integration-api", payload)
    enriched = [p for p in posted if "company_name" in p.get("requester_details", {})]
    assert 0 < len(enriched) < len(posted)  # a share of the visitors
    for payload in enriched:
        details = payload["requester_details"]
        assert {"title", "address", "city", "zip", "country", "social_profile_links", "avatars"} <= set(
            details
        )
        assert details["emails"] == [payload["requested_by"]]
        assert all("://" not in link for link in details["social_profile_links"])  # as the sample writes them
    # The Logs API shows the same visitor's social profiles in its sample's form, network,handle,id,url.
    org = mocksnap.org
    case = enriched[0]
    auth = {"Authorization": org.apiToken}
    query = {"widgetId": case["widget_id"], "start": "2000-01-01", "end": "9999-12-31"}
    seen = logs_page(mocksnap, f"/api/v2/{org.orgId}/logs?{urlencode(query)}", auth)
    while case["id"] not in {c["id"] for c in seen["cases"]}:
        query = {"next": seen["linkToNextSetOfResults"]}
        seen = logs_page(mocksnap, f"/api/v2/{org.orgId}/logs?{urlencode(query)}", auth)
    logged = next(c for c in seen["cases"] if c["id"] == case["id"])["requester_details"]
    assert [link.split(",", 3)[3].split("://")[1] for link in logged["social_profile_links"]] == case[
        "requester_details"
    ]["social_profile_links"]
    assert logged["age"] == case["requester_details"]["age"]
