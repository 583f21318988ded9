"""A file a visitor shares, against a real `mocksnap serve` over https: the Integration API carries its link,
and the link answers only as the Integration API article says (https, the case's orgId, its API token)."""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from mocksnap.testing import Mocksnap, MocksnapServer, WebhookSink
from tests.conftest import API_TOKEN, ORG_ID, SUPPORT_WIDGET, VISITOR_KEY, assert_valid

BOUNDARY = "----mocksnap-e2e"
PHOTO = bytes(range(256)) * 64  # every byte value: nothing is decoded or re-encoded on the way


def share(server: MocksnapServer, case_id: str, data: bytes, name: str) -> dict:
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Origin": "http://shop.example"}
    answer = server.request("POST", f"/widget/chats/{case_id}/files", body=body, headers=headers)
    assert answer.status == 201, answer.body
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    return answer.json()


def test_a_shared_file_reaches_the_integration_api_and_only_its_organization_reads_it(
    spawn, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(cafile=str(cert))
    server = spawn(
        "--clock",
        "manual",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
        scheme="https",
        ssl_context=context,
    )
    snap = Mocksnap(server)
    with WebhookSink() as sink:
        snap.configure_integrations(SUPPORT_WIDGET, integrationApi={"url": f"{sink.url}/case"})
        query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "My parcel arrived broken"})
        case_id = server.request("POST", f"/api/v1/chat?{query}", headers={"x-api-key": VISITOR_KEY}).json()[
            "caseId"
        ]
        shared = share(server, case_id, PHOTO, "broken parcel.jpg")
        assert_valid("widget-file", shared)
        assert (
            shared["url"]
            == f"https://127.0.0.1:{server.port}/files/{shared['url'].split('/')[4]}/broken%20parcel.jpg"
        )
        server.request(
            "PUT",
            f"/api/v1/chat?{urlencode({'caseId': case_id, 'messageType': '2'})}",
            headers={"x-api-key": VISITOR_KEY},
        )
        payload = sink.wait_for(path="/case")[0].json
    assert_valid("integration-api", payload)
    link = payload["transcripts"][-1]["message"]
    assert link == shared["url"]

    # As the integrator's system reads it: GET over https, ?orgId=, the API token as Authorization.
    path = urlsplit(link).path
    read = server.request("GET", f"{path}?orgId={ORG_ID}", headers={"Authorization": API_TOKEN})
    assert (read.status, read.body) == (200, PHOTO)
    assert read.headers["Content-Type"] == "image/jpeg"
    assert server.request("GET", path, headers={"Authorization": API_TOKEN}).status == 403
    assert server.request("GET", f"{path}?orgId={ORG_ID}").status == 401
    assert server.request("GET", f"{path}?orgId=1", headers={"Authorization": API_TOKEN}).status == 403


def test_over_plain_http_no_file_is_served(server: MocksnapServer, mocksnap: Mocksnap) -> None:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"})
    case_id = server.request("POST", f"/api/v1/chat?{query}", headers={"x-api-key": VISITOR_KEY}).json()[
        "caseId"
    ]
    shared = share(server, case_id, b"data", "note.txt")
    assert shared["url"].startswith(f"https://127.0.0.1:{server.port}/files/")
    answer = server.request(
        "GET", f"{urlsplit(shared['url']).path}?orgId={ORG_ID}", headers={"Authorization": API_TOKEN}
    )
    assert answer.status == 403
    assert answer.json() == {"code": 403, "message": "files are served over https only"}
