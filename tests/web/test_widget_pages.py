"""mocksnap's pages around the widget, as HTML: the Mobile SDK's host page and the demo shop. What they do
in a browser is tested in tests/e2e/test_widget_pages.py."""

from __future__ import annotations

import json
import re

from falcon.testing import TestClient

from tests.conftest import SUPPORT_WIDGET


def config_of(page: str) -> dict:
    found = re.search(r'<script id="mobile-config" type="application/json">(.*?)</script>', page, re.S)
    assert found, page
    return json.loads(found[1])


def test_the_mobile_page_loads_the_widget_script_with_the_apps_custom_variables(client: TestClient) -> None:
    answer = client.simulate_get(
        f"/mobile/{SUPPORT_WIDGET}",
        params={
            "accountNumber": "123456",
            "customerSince": "December 1, 2016",
            "vip": "true",
            "ratio": "0.5",
        },
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert config_of(answer.text) == {
        "provider": "SnapEngage",
        "jsUrl": f"/code.snapengage.com/js/{SUPPORT_WIDGET}.js",
        "customVariables": {
            "accountNumber": 123456,
            "customerSince": "December 1, 2016",
            "vip": True,
            "ratio": 0.5,
        },
    }
    assert '<script src="/static/mobile.js"></script>' in answer.text


def test_a_custom_variable_cannot_close_the_script_element(client: TestClient) -> None:
    answer = client.simulate_get(f"/mobile/{SUPPORT_WIDGET}", params={"note": "</script><script>alert(1)"})
    assert "</script><script>alert" not in answer.text
    assert config_of(answer.text)["customVariables"] == {"note": "</script><script>alert(1)"}


def test_custom_variables_must_be_javascript_identifiers_given_once(client: TestClient) -> None:
    bad_name = client.simulate_get(f"/mobile/{SUPPORT_WIDGET}", query_string="account-number=1")
    assert (bad_name.status_code, bad_name.json["message"]) == (
        400,
        "custom variable 'account-number' is not a JavaScript identifier",
    )
    twice = client.simulate_get(f"/mobile/{SUPPORT_WIDGET}", query_string="a=1&a=2")
    assert twice.status_code == 400


def test_the_demo_page_has_the_documented_snippet_pointing_at_mocksnap(client: TestClient) -> None:
    answer = client.simulate_get(f"/demo/{SUPPORT_WIDGET}", host="127.0.0.1", port=8000)
    assert answer.status_code == 200
    assert f"se.src = '//127.0.0.1:8000/code.snapengage.com/js/{SUPPORT_WIDGET}.js';" in answer.text
    assert "/* Place your SnapEngage JS API code below */" in answer.text
    assert "Support (24x7)" in answer.text


def test_the_demo_page_refuses_a_host_header_that_is_no_host(client: TestClient) -> None:
    answer = client.simulate_get(f"/demo/{SUPPORT_WIDGET}", host="x';alert(1);'")
    assert answer.status_code == 400


def test_pages_of_an_unknown_widget_are_404(client: TestClient) -> None:
    for page in ("mobile", "demo"):
        answer = client.simulate_get(f"/{page}/no-such-widget")
        assert (answer.status_code, answer.json["message"]) == (404, "no widget no-such-widget")
