"""Files a visitor shares in a chat: the upload the widget calls, the transcript line it becomes, and the
link's rule (https only, the case's orgId, that organization's API token)."""

from __future__ import annotations

from typing import Any

import pytest
from falcon.testing import TestClient

from mocksnap.app import create_app
from mocksnap.config import Config
from mocksnap.webhooks import payloads
from mocksnap.world import World
from mocksnap.world.files import MAX_FILE_BYTES, MAX_FILES_PER_CASE
from mocksnap.world.models import Visitor
from tests.conftest import API_TOKEN, ORG_ID, SUPPORT_WIDGET, assert_valid, default_document

BOUNDARY = "mocksnap-test-boundary"
OTHER_ORG = "7000001"
OTHER_TOKEN = "other-api-token"


def multipart(data: bytes, name: str = "receipt.pdf", field: str = "file", kind: str = "application/pdf"):
    body = (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def two_org_world(clock) -> World:
    """The default world and a second organization, with a widget of its own."""
    document = default_document()
    first = document["organizations"][0]
    second = {
        **first,
        "orgId": OTHER_ORG,
        "apiToken": OTHER_TOKEN,
        "provisioningApiKey": "other-provisioning-key",
        "visitorApiKey": "other-visitor-key",
        "users": [{**first["users"][0], "email": "owner@other.example"}],
        "widgets": [
            {
                **first["widgets"][0],
                "uuid": "00000000-0000-4000-8000-000000000001",
                "email": "owner@other.example",
            }
        ],
    }
    document["organizations"].append(second)
    return World(document, clock, seed=7)


@pytest.fixture
def two_orgs(clock) -> tuple[World, TestClient]:
    world = two_org_world(clock)
    return world, TestClient(create_app(world=world))


def open_chat(world: World, widget_id: str = SUPPORT_WIDGET) -> str:
    org = world.widget(widget_id)[0]
    return world.start_case(org, widget_id, Visitor(email="visitor@example.com"), "I have a receipt").case_id


def upload(client: TestClient, case_id: str, data: bytes = b"%PDF-1.4 receipt", **kwargs: Any):
    body, headers = multipart(data, **kwargs)
    return client.simulate_post(f"/widget/chats/{case_id}/files", body=body, headers=headers)


def download(
    client: TestClient, url: str, *, protocol: str = "https", org_id: str | None = ORG_ID, token=API_TOKEN
):
    path = url.split("://", 1)[1].partition("/")[2]
    headers = {"Authorization": token} if token is not None else {}
    params = {"orgId": org_id} if org_id is not None else {}
    return client.simulate_get("/" + path, protocol=protocol, headers=headers, params=params)


def test_an_uploaded_file_is_a_visitor_line_whose_message_is_its_https_link(two_orgs) -> None:
    world, client = two_orgs
    case_id = open_chat(world)
    answer = upload(client, case_id)
    assert answer.status_code == 201
    assert answer.headers["access-control-allow-origin"] == "*"
    assert_valid("widget-file", answer.json)
    assert answer.json["name"] == "receipt.pdf"
    assert answer.json["size"] == len(b"%PDF-1.4 receipt")
    url = answer.json["url"]
    assert url.startswith("https://falconframework.org/files/")
    assert url.endswith("/receipt.pdf")
    line = world.cases[case_id].entries[-1]
    assert (line.sender, line.message) == ("VISITOR", url)
    assert line.attachment == {
        "file": {"fileName": "receipt.pdf", "mimeType": "application/pdf", "size": 16, "url": url}
    }
    event = world.events.since(0)[-1]
    assert (event.kind, event.data["sender"]) == ("case.message", "VISITOR")
    assert_valid("world", world.dump())


def test_the_link_reaches_the_integration_api_transcript(two_orgs) -> None:
    world, client = two_orgs
    case_id = open_chat(world)
    url = upload(client, case_id).json["url"]
    case = world.cases[case_id]
    world.close(case, "visitor")
    payload = payloads.integration_json(world, case)
    assert_valid("integration-api", payload)
    assert payload["transcripts"][-1]["message"] == url


def test_the_file_is_served_over_https_to_its_organization_with_its_token(two_orgs) -> None:
    world, client = two_orgs
    url = upload(client, open_chat(world), b"\x00\xffbinary\r\n", name="scan.png", kind="image/png").json[
        "url"
    ]
    answer = download(client, url)
    assert answer.status_code == 200
    assert answer.content == b"\x00\xffbinary\r\n"
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"].startswith('attachment; filename="scan.png"')
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("how", "status"),
    [
        ({"protocol": "http"}, 403),
        ({"token": None}, 401),
        ({"token": "not-a-token"}, 401),
        ({"token": f"Bearer {API_TOKEN}"}, 401),
        ({"org_id": None}, 403),
        ({"org_id": OTHER_ORG}, 403),
        ({"org_id": OTHER_ORG, "token": OTHER_TOKEN}, 404),  # another organization learns nothing
        ({"org_id": ORG_ID, "token": OTHER_TOKEN}, 403),
    ],
)
def test_the_link_is_refused_otherwise(two_orgs, how: dict[str, Any], status: int) -> None:
    world, client = two_orgs
    url = upload(client, open_chat(world)).json["url"]
    answer = download(client, url, **how)
    assert answer.status_code == status
    assert_valid("api-error", answer.json)
    assert b"PDF" not in answer.content


def test_a_file_of_another_organization_is_answered_as_one_that_does_not_exist(two_orgs) -> None:
    world, client = two_orgs
    theirs = upload(client, open_chat(world, "00000000-0000-4000-8000-000000000001")).json["url"]
    ours = theirs.replace(theirs.split("/")[4], "00000000-0000-4000-8000-0000000000ff")
    assert download(client, theirs).json == {"code": 404, "message": f"no file {theirs.split('/')[4]}"}
    assert download(client, ours).status_code == 404
    assert download(client, theirs, org_id=OTHER_ORG, token=OTHER_TOKEN).status_code == 200


def test_the_name_is_the_last_segment_of_what_the_browser_sent_and_the_link_quotes_it(two_orgs) -> None:
    world, client = two_orgs
    answer = upload(client, open_chat(world), name="C:\\Users\\me\\my scan é.png")
    assert answer.json["name"] == "my scan é.png"
    assert answer.json["url"].endswith("/my%20scan%20%C3%A9.png")
    assert download(client, answer.json["url"]).status_code == 200


@pytest.mark.parametrize(
    ("body", "headers", "status", "message"),
    [
        (b"file=abc", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "multipart/form-data"),
        (b"garbage", {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, 400, "malformed"),
        (*multipart(b"data", field="attachment"), 400, "no field 'file'"),
        (*multipart(b""), 400, "empty"),
        (*multipart(b"data", name="\x01 "), 400, "no name"),
        (*multipart(b"x" * (MAX_FILE_BYTES + 1)), 413, "at most"),
    ],
)
def test_a_refused_upload_changes_nothing(two_orgs, body: bytes, headers, status: int, message: str) -> None:
    world, client = two_orgs
    case_id = open_chat(world)
    before = len(world.cases[case_id].entries)
    answer = client.simulate_post(f"/widget/chats/{case_id}/files", body=body, headers=headers)
    assert answer.status_code == status
    assert message in answer.json["message"]
    assert answer.headers["access-control-allow-origin"] == "*"
    assert len(world.cases[case_id].entries) == before
    assert world.files == {}


def test_a_closed_chat_an_unknown_one_and_a_full_one_take_no_file(two_orgs) -> None:
    world, client = two_orgs
    assert upload(client, "no-such-case").status_code == 404
    case_id = open_chat(world)
    for _ in range(MAX_FILES_PER_CASE):
        assert upload(client, case_id).status_code == 201
    assert "at most 20 files" in upload(client, case_id).json["message"]
    world.close(world.cases[case_id], "visitor")
    assert "is closed" in upload(client, case_id).json["message"]


def test_the_preflight_lets_any_origin_post(two_orgs) -> None:
    _, client = two_orgs
    answer = client.simulate_options(
        "/widget/chats/any/files",
        headers={"Origin": "http://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "POST" in answer.headers["access-control-allow-methods"]


def test_a_reset_forgets_the_files(two_orgs) -> None:
    world, client = two_orgs
    url = upload(client, open_chat(world)).json["url"]
    world.reset()
    assert download(client, url).status_code == 404


def test_a_part_without_a_file_name_is_named_after_its_field(two_orgs) -> None:
    world, client = two_orgs
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\nplain text\r\n--{BOUNDARY}--\r\n'
    ).encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    answer = client.simulate_post(f"/widget/chats/{open_chat(world)}/files", body=body, headers=headers)
    assert (answer.status_code, answer.json["name"]) == (201, "file")
    assert world.files[answer.json["url"].split("/")[4]].content_type == "text/plain"


def test_the_chat_box_sees_the_file_line_with_its_name(two_orgs) -> None:
    world, client = two_orgs
    case_id = open_chat(world)
    shared = upload(client, case_id).json
    view = client.simulate_get(f"/widget/chats/{case_id}").json
    assert_valid("widget-chat", view)
    line = view["lines"][-1]
    assert (line["type"], line["text"]) == ("visitor", shared["url"])
    assert line["file"] == {
        "fileName": "receipt.pdf",
        "mimeType": "application/pdf",
        "size": 16,
        "url": shared["url"],
    }


def test_links_are_on_the_public_url_when_mocksnap_has_one(clock) -> None:
    world = two_org_world(clock)
    client = TestClient(create_app(Config(public_url="http://mocksnap.example:8080/chat"), world=world))
    url = upload(client, open_chat(world)).json["url"]
    assert url.startswith("https://mocksnap.example:8080/chat/files/")
