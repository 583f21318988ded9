"""Logs API: each case as the sample shows it, the errors in their order, the window of start/end in a
time zone, widgets, pagination by an opaque next token, and the per-token rate limit."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from falcon.testing import Result, TestClient

from mocksnap.api import logs
from mocksnap.api.logs import RateLimiter, browser_and_os, case_json
from mocksnap.app import create_app
from mocksnap.config import Config
from mocksnap.world import World
from mocksnap.world.models import Case, Visitor
from tests.conftest import API_TOKEN, ORG_ID, SALES_WIDGET, SAMPLES, SUPPORT_WIDGET, LocalClient, assert_valid

PATH = f"/api/v2/{ORG_ID}/logs"
TODAY = {"start": "2026-11-23", "end": "2026-11-23"}  # the clock starts Monday 2026-11-23 09:30 UTC
SAMPLE = json.loads((SAMPLES / "logs-response.json").read_text())
SAMPLE_CASE = SAMPLE["cases"][0]
OTHER_ORG, OTHER_TOKEN, OTHER_WIDGET = "77", "other-token", "0ther-w1dget"
HOST = "logs.example.test"


def get(
    client: TestClient, params: Any = None, token: str | None = API_TOKEN, path: str = PATH, **kw
) -> Result:
    headers = {"Authorization": token} if token is not None else {}
    query = urlencode(params or {}, doseq=True)
    return client.simulate_get(path, query_string=query, headers=headers | kw.pop("headers", {}), **kw)


def page(client: TestClient, params: Any = None, **kw) -> dict[str, Any]:
    result = get(client, params, **kw)
    assert result.status_code == 200, result.text
    assert result.headers["content-type"] == "application/json"
    assert_valid("logs-response", result.json)
    return result.json


def error(result: Result, status: int) -> str:
    assert result.status_code == status, result.text
    assert_valid("api-error", result.json)
    assert result.json["code"] == status
    return result.json["message"]


def ids(body: dict[str, Any]) -> list[str]:
    return [case["id"] for case in body["cases"]]


def autopilot_off(client: TestClient) -> None:
    assert client.simulate_put("/__admin/autopilot", json={"enabled": False}).json == {"enabled": False}


def add_other_org(world: World) -> None:
    """A second organization with a widget of its own (replacing the world: before any case is started)."""
    document = world.dump()
    other = {
        "orgId": OTHER_ORG,
        "apiToken": OTHER_TOKEN,
        "provisioningApiKey": "other-provisioning",
        "visitorApiKey": "other-visitor",
        "users": [{"email": "o@example.com", "name": "O", "password": "12345", "accountType": "biz"}],
        "widgets": [{"uuid": OTHER_WIDGET, "email": "o@example.com", "agents": []}],
    }
    document["organizations"].append(other)
    world.replace(document)


def full_case(world: World) -> Case:
    """A case with every field the sample shows, the sample's visitor included."""
    org = world.orgs[ORG_ID]
    visitor = Visitor(
        email="x@example.com",
        name="George",
        phone="+49 30 1234567",
        user_agent=SAMPLE_CASE["user_agent"],
        locale=SAMPLE_CASE["language_code"],
        ip_address="93.219.34.218",
        page_url="http://localhost:2000/",
        entry_url="http://localhost:2000/",
        country_code="DE",
        country="Germany",
        region="BE",
        city="Berlin",
        latitude=52.520008,
        longitude=13.404954,
        javascript_variables=[("productName", "Der Blahster"), ("productPrice", "$3.99")],
    )
    case = world.start_case(org, SUPPORT_WIDGET, visitor, "hey")
    world.scheduler.advance(2)
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", "hi", {"de": "hallo"})
    world.label(case, "Label", "Labellabellabel")
    world.scheduler.advance(3)
    world.close(case, "agent")
    world.survey(case, 100, "He was a good guy.")
    case.visitor_transcript_email = "x@example.com"  # no world command sets it yet
    return case


# -- one case ---------------------------------------------------------------------------------------------


def test_a_full_case_has_the_sample_keys_in_the_sample_order(client: TestClient, world: World) -> None:
    autopilot_off(client)
    case = full_case(world)
    body = page(client, TODAY)
    assert len(body["cases"]) == 1
    found = body["cases"][0]
    assert found == case_json(world, world.orgs[ORG_ID], case)
    assert list(found) == list(SAMPLE_CASE)
    assert list(found["requester_details"]) == list(SAMPLE_CASE["requester_details"])
    assert [list(line) for line in found["transcripts"]] == [
        list(SAMPLE_CASE["transcripts"][0]),
        [*SAMPLE_CASE["transcripts"][1], "translations"],
    ]
    same = [
        "type", "requested_by", "description", "proactive_chat", "page_url", "referrer_url", "entry_url",
        "ip_address", "user_agent", "browser", "os", "country_code", "country", "region", "city", "latitude",
        "longitude", "source_id", "chat_responded", "survey_score", "survey_comments", "language_code",
        "javascript_variables", "operator_variables", "labels", "visitor_transcript_email",
    ]  # fmt: skip
    assert {k: found[k] for k in same} == {k: SAMPLE_CASE[k] for k in same}
    assert found["url"] == f"https://www.snapengage.com/viewcase?c={case.case_id}"
    assert found["requester_details"] == {
        "name": "George",
        "emails": ["x@example.com"],
        "phones": ["+49 30 1234567"],
        "social_profile_links": [],
        "age": 0,
        "notes": "",
        "avatars": [],
        "other_data": [],
    }
    created = case.created_ms
    assert (found["created_at_date"], found["created_at_seconds"], found["created_at_milliseconds"]) == (
        created,
        created // 1000,
        created % 1000,
    )
    assert (found["chat_waittime"], found["chat_duration"]) == (2, 5)  # until the answer; the whole request
    assert (found["chat_agent_id"], found["chat_agent_alias"]) == ("wc:sam@example.com", "Sam")
    assert found["destination_url"] == "mailto:support@example.com"
    assert found["transcripts"] == [
        {
            "id": "",
            "date": created,
            "date_seconds": created // 1000,
            "date_milliseconds": created % 1000,
            "alias": "",
            "message": "hey",
        },
        {
            "id": "wc:sam@example.com",
            "date": created + 2000,
            "date_seconds": (created + 2000) // 1000,
            "date_milliseconds": (created + 2000) % 1000,
            "alias": "Sam",
            "message": "hi",
            "translations": {"de": "hallo"},
        },
    ]


def test_a_bare_offline_case_has_empty_strings_and_leaves_out_what_is_unknown(
    client: TestClient, world: World
) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "", offline=True)
    found = page(client, TODAY)["cases"][0]
    assert found["id"] == case.case_id
    assert set(SAMPLE_CASE) - set(found) == {
        "latitude",
        "longitude",
        "chat_agent_id",
        "chat_agent_alias",
        "survey_score",
        "survey_comments",
    }
    assert (found["type"], found["source_id"], found["proactive_chat"]) == ("offline", 1, False)
    assert (found["requested_by"], found["description"], found["user_agent"], found["browser"]) == ("",) * 4
    assert found["requester_details"]["emails"] == found["requester_details"]["phones"] == []
    assert (found["chat_waittime"], found["chat_duration"], found["chat_responded"]) == (0, 0, False)
    assert found["transcripts"] == found["labels"] == found["javascript_variables"] == []
    assert found["visitor_transcript_email"] == ""


def test_transcripts_leave_out_system_lines(client: TestClient, world: World) -> None:
    autopilot_off(client)
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")
    world.accept(case, "sam@example.com")
    world.agent_message(case, "sam@example.com", "hi")
    world.visitor_message(case, "thanks")
    world.transfer(case, agent_id="michael@example.com")
    world.agent_message(case, "michael@example.com", "Michael here")
    assert {e.sender for e in case.entries} == {"VISITOR", "AGENT", "SYSTEM"}
    found = page(client, TODAY)["cases"][0]
    assert [(t["id"], t["alias"], t["message"]) for t in found["transcripts"]] == [
        ("", "", "hello"),
        ("wc:sam@example.com", "Sam", "hi"),
        ("", "", "thanks"),
        ("wc:michael@example.com", "Michael", "Michael here"),
    ]
    assert (found["chat_agent_id"], found["chat_agent_alias"]) == ("wc:michael@example.com", "Michael")


def test_wait_and_duration_are_the_clock_time_that_passed(client: TestClient, world: World) -> None:
    autopilot_off(client)
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.scheduler.advance(7.4)

    def times() -> tuple[int, int, bool]:
        found = page(client, TODAY)["cases"][0]
        return found["chat_waittime"], found["chat_duration"], found["chat_responded"]

    assert times() == (7, 7, False)  # nobody answered yet: both run until now
    world.accept(case, "sam@example.com")
    world.scheduler.advance(30)
    assert times() == (37, 37, False)  # accepted is not answered
    world.agent_message(case, "sam@example.com", "hi")
    world.scheduler.advance(12.6)
    world.close(case, "visitor")
    world.scheduler.advance(600)
    assert times() == (37, 50, True)  # answered at 37.4 s, closed at 50 s: fixed from then on


def test_operator_variables_mirror_the_labels_and_a_label_set_again_takes_its_new_value(
    client: TestClient, world: World
) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    world.label(case, "Topic", "billing")
    world.label(case, "Tier", "gold")
    world.label(case, "Topic", "refund")
    found = page(client, TODAY)["cases"][0]
    assert (
        found["labels"]
        == found["operator_variables"]
        == [
            {"name": "Tier", "value": "gold"},
            {"name": "Topic", "value": "refund"},
        ]
    )


@pytest.mark.parametrize(
    ("user_agent", "browser", "os"),
    [
        (SAMPLE_CASE["user_agent"], "Chrome (57.0.2987.133)", "Apple OS X 10.10.5"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            "Edge (120.0.2210.91)",
            "Windows 10",
        ),
        (
            "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/57.0.2987.133 "
            "Safari/537.36 OPR/44.0.2510.1218",
            "Opera (44.0.2510.1218)",
            "Windows 7",
        ),
        ("Opera/9.80 (Windows NT 6.0) Presto/2.12.388 Version/12.14", "Opera (12.14)", "Windows Vista"),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox (121.0)",
            "Linux",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
            "Safari (17.1.2)",
            "iOS 17.1.2",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
            "Chrome (119.0.6045.169)",
            "iOS 16.5",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0.0.0 Mobile Safari/537.36",
            "Chrome (116.0.0.0)",
            "Android 13",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox (121.0)",
            "Apple OS X 14.1",
        ),
        ("MyApp/1.0 (SDK)", "", ""),
        ("", "", ""),
    ],
)
def test_browser_and_os_come_from_the_user_agent(user_agent: str, browser: str, os: str) -> None:
    assert browser_and_os(user_agent) == (browser, os)


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "wrong", f"Bearer {API_TOKEN}", "mocksnap-provisioning-key"])
def test_a_missing_or_bad_token_is_401(client: TestClient, token: str | None) -> None:
    assert "token" in error(get(client, TODAY, token=token), 401)


def test_checks_go_token_then_organization_then_ownership(client: TestClient, world: World) -> None:
    add_other_org(world)
    # A bad token is 401 whatever the organization.
    error(get(client, TODAY, token="wrong", path="/api/v2/999/logs"), 401)
    error(get(client, TODAY, token="wrong", path=f"/api/v2/{OTHER_ORG}/logs"), 401)
    # A valid token: an unknown organization is 404, whoever asks.
    assert "999" in error(get(client, TODAY, path="/api/v2/999/logs"), 404)
    error(get(client, TODAY, token=OTHER_TOKEN, path="/api/v2/999/logs"), 404)
    # A valid token of another organization is 403, before any parameter is looked at.
    assert OTHER_ORG in error(get(client, TODAY, path=f"/api/v2/{OTHER_ORG}/logs"), 403)
    error(get(client, {}, token=OTHER_TOKEN), 403)
    # Each organization's own token works.
    assert page(client, TODAY, token=OTHER_TOKEN, path=f"/api/v2/{OTHER_ORG}/logs")["cases"] == []
    assert page(client, TODAY)["cases"] == []


def test_an_unknown_widget_or_one_of_another_organization_is_404(client: TestClient, world: World) -> None:
    add_other_org(world)
    for widget_id in ("no-such-widget", OTHER_WIDGET, f"{SUPPORT_WIDGET},{OTHER_WIDGET}"):
        message = error(get(client, {**TODAY, "widgetId": widget_id}), 404)
        assert widget_id.split(",")[-1] in message


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"end": "2026-11-23"}, "start"),
        ({"start": "2026-11-23"}, "end"),
        ({"start": "", "end": "2026-11-23"}, "start"),
        ({"start": "yesterday", "end": "2026-11-23"}, "start"),
        ({"start": "2026-11-23", "end": "2026-13-01"}, "end"),
        ({"start": "2026-11-23T25:00:00", "end": "2026-11-24"}, "start"),
        ({"start": "2026-11-24", "end": "2026-11-23"}, "start"),
        ({"start": "2026-11-24T00:00:00Z", "end": "2026-11-23"}, "start"),
        ({"start": "2026-11-23T10:00:00Z", "end": "2026-11-23T09:00:00Z"}, "start"),
        ({**TODAY, "timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({**TODAY, "timezone": "../../etc/passwd"}, "timezone"),
        ({**TODAY, "timezone": "America"}, "timezone"),
        ({"start": ["2026-11-23", "2026-11-24"], "end": "2026-11-24"}, "start"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: TestClient, params: dict, named: str) -> None:
    assert named in error(get(client, params), 400)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_methods_are_405(client: TestClient, method: str) -> None:
    result = client.simulate_request(method, PATH, headers={"Authorization": API_TOKEN})
    error(result, 405)
    assert "GET" in result.headers["allow"]


# -- what is selected -------------------------------------------------------------------------------------


def test_widget_id_one_several_or_absent(client: TestClient, world: World) -> None:
    autopilot_off(client)
    org = world.orgs[ORG_ID]
    made = []
    for widget_id in (SUPPORT_WIDGET, SALES_WIDGET, SALES_WIDGET, SUPPORT_WIDGET):
        made.append(world.start_case(org, widget_id, Visitor(email="v@example.com"), "hello"))
        world.scheduler.advance(1)
    support = [c.case_id for c in made if c.widget_id == SUPPORT_WIDGET]
    sales = [c.case_id for c in made if c.widget_id == SALES_WIDGET]
    everything = [c.case_id for c in made]
    assert ids(page(client, {**TODAY, "widgetId": SUPPORT_WIDGET})) == support
    assert ids(page(client, {**TODAY, "widgetId": SALES_WIDGET})) == sales
    assert ids(page(client, TODAY)) == everything
    assert ids(page(client, {**TODAY, "widgetId": f"{SALES_WIDGET},{SUPPORT_WIDGET}"})) == everything
    assert ids(page(client, {**TODAY, "widgetId": [SALES_WIDGET, SUPPORT_WIDGET]})) == everything
    assert ids(page(client, {**TODAY, "widgetId": [f"{SUPPORT_WIDGET}, ", SUPPORT_WIDGET]})) == support
    assert ids(page(client, {**TODAY, "widgetId": ""})) == everything


def test_the_timezone_shifts_the_day(client: TestClient, world: World) -> None:
    org = world.orgs[ORG_ID]
    monday = world.start_case(org, SUPPORT_WIDGET, Visitor(), "Monday 09:30 UTC, 10:30 in Berlin").case_id
    world.scheduler.advance(14 * 3600)
    late = world.start_case(
        org, SUPPORT_WIDGET, Visitor(), "Monday 23:30 UTC, Tuesday 00:30 in Berlin"
    ).case_id
    assert ids(page(client, TODAY)) == [monday, late]
    assert ids(page(client, {**TODAY, "timezone": "Etc/UTC"})) == [monday, late]
    assert ids(page(client, {**TODAY, "timezone": "Europe/Berlin"})) == [monday]
    tuesday = {"start": "2026-11-24", "end": "2026-11-24"}
    assert ids(page(client, {**tuesday, "timezone": "Europe/Berlin"})) == [late]
    assert ids(page(client, tuesday)) == []
    # A date-time without an offset is read in the time zone too; one with an offset is taken as it is.
    evening = {"start": "2026-11-24T00:00:00", "end": "2026-11-24T01:00:00"}
    assert ids(page(client, {**evening, "timezone": "Europe/Berlin"})) == [late]
    assert ids(page(client, evening)) == []
    with_offset = {"start": "2026-11-24T00:00:00+01:00", "end": "2026-11-24T01:00:00+01:00"}
    assert ids(page(client, {**with_offset, "timezone": "Asia/Tokyo"})) == [late]


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("UTC", 0), ("GMT", 0), ("UT", 0), ("Z", 0), ("+02:00", 2), ("+2", 2), ("+02", 2), ("+0200", 2),
        ("+02:00:00", 2), ("UTC+2", 2), ("GMT+2", 2), ("UTC+02:00", 2), ("UT-5", -5), ("GMT-05:00", -5),
        ("-05:00", -5), ("Etc/GMT-2", 2), ("Europe/Berlin", 1), ("+18:00", 18), ("-18:00", -18),
    ],
)  # fmt: skip
def test_the_timezone_is_what_javas_zone_id_accepts(
    client: TestClient, world: World, zone: str, hours: int
) -> None:
    """A date's midnight moves with the zone: the case at 09:30 UTC is on Monday 2026-11-23 from UTC-14:29
    to UTC+14:29, and a window of that day's hours 9 to 10 (read in the zone) holds it only at UTC+0."""
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "at 09:30 UTC").case_id
    assert ids(page(client, {**TODAY, "timezone": zone})) == ([case] if abs(hours) < 10 else [])
    hour = {"start": f"2026-11-23T{9 + hours:02d}:00:00", "end": f"2026-11-23T{10 + hours:02d}:00:00"}
    if -9 <= hours <= 13:  # the hour is on that day in the zone
        assert ids(page(client, {**hour, "timezone": zone})) == [case]


@pytest.mark.parametrize(
    "zone", ["PST", "utc", "+19", "+18:01", "+2:00", "+02:0030", "UTC+", "UTC0", "GMT+2:30", "+", "Z+1"]
)
def test_zone_ids_java_refuses_are_400(client: TestClient, zone: str) -> None:
    assert "timezone" in error(get(client, {**TODAY, "timezone": zone}), 400)


@pytest.mark.parametrize("zone", ["Etc/UTC", "Pacific/Kiritimati", "-12:00", "UTC-18"])
def test_end_9999_12_31_is_the_end_of_time(client: TestClient, world: World, zone: str) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "now").case_id
    body = page(client, {"start": "2026-11-22", "end": "9999-12-31", "timezone": zone})
    assert ids(body) == [case]
    assert ids(page(client, {"start": "9999-12-31", "end": "9999-12-31", "timezone": zone})) == []
    assert ids(page(client, {"start": "0001-01-01", "end": "9999-12-31T23:59:59", "timezone": zone})) == [
        case
    ]


def test_a_date_end_takes_in_its_whole_day_and_a_date_time_end_is_exclusive(
    client: TestClient, world: World
) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "at 09:30:00.000 UTC").case_id
    assert ids(page(client, TODAY)) == [case]
    assert ids(page(client, {"start": "2026-11-22", "end": "2026-11-22"})) == []
    assert ids(page(client, {"start": "2026-11-23T09:30:00Z", "end": "2026-11-23T09:30:00.001Z"})) == [case]
    assert ids(page(client, {"start": "2026-11-23T00:00:00Z", "end": "2026-11-23T09:30:00Z"})) == []
    assert ids(page(client, {"start": "2026-11-23T09:30:00Z", "end": "2026-11-23T09:30:00Z"})) == []
    assert ids(page(client, {"start": "2026-11-23T09:30:00Z", "end": "2026-11-23"})) == [case]


# -- pages ------------------------------------------------------------------------------------------------


def make_cases(client: TestClient, world: World, count: int) -> list[Case]:
    """Cases alternating between the two widgets, some pairs created in the same millisecond."""
    autopilot_off(client)
    org = world.orgs[ORG_ID]
    made = []
    for i in range(count):
        widget_id = SUPPORT_WIDGET if i % 2 == 0 else SALES_WIDGET
        made.append(world.start_case(org, widget_id, Visitor(email="v@example.com"), f"case {i}"))
        if i % 3:
            world.scheduler.advance(0.25)
    return made


def follow(client: TestClient, link: str, **replace: str) -> Result:
    """GET a next-page link as a client does, over the scheme and host it names, optionally with some of its
    parameters replaced."""
    parts = urlsplit(link)
    query = [(k, replace.get(k, v)) for k, v in parse_qsl(parts.query)]
    return client.simulate_get(
        parts.path,
        query_string=urlencode(query),
        protocol=parts.scheme,
        host=parts.hostname,
        headers={"Authorization": API_TOKEN, "Content-Type": "application/json", "Content-Length": "0"},
    )


@pytest.mark.parametrize("widgets", [None, SUPPORT_WIDGET, f"{SUPPORT_WIDGET},{SALES_WIDGET}"])
def test_250_cases_come_in_three_pages_linked_absolutely(
    client: TestClient, world: World, widgets: str | None
) -> None:
    made = make_cases(client, world, 500 if widgets == SUPPORT_WIDGET else 250)
    expected = [c for c in made if widgets is None or c.widget_id in widgets]
    assert len(expected) == 250
    params = {**TODAY, **({"widgetId": widgets} if widgets else {})}
    body = page(client, params, protocol="https", host=HOST)
    pages = [body]
    while body["linkToNextSetOfResults"]:
        link = body["linkToNextSetOfResults"]
        assert link.startswith(f"https://{HOST}/api/v2/{ORG_ID}/logs?")
        query = dict(parse_qsl(urlsplit(link).query))
        assert {k: query[k] for k in params} == params  # the original parameters, and a next token
        assert set(query) == {*params, "next"}
        result = follow(client, link)
        assert result.status_code == 200, result.text
        assert_valid("logs-response", result.json)
        body = result.json
        pages.append(body)
    assert [len(p["cases"]) for p in pages] == [100, 100, 50]
    assert pages[-1]["linkToNextSetOfResults"] == ""
    seen = [case for p in pages for case in p["cases"]]
    assert sorted(c["id"] for c in seen) == sorted(c.case_id for c in expected)  # none twice, none missing
    times = [c["created_at_date"] for c in seen]
    assert times == sorted(times)


def test_the_link_keeps_the_scheme_and_host_of_the_request(client: TestClient, world: World) -> None:
    make_cases(client, world, 101)
    link = page(client, TODAY)["linkToNextSetOfResults"]
    assert link.startswith(f"http://127.0.0.1/api/v2/{ORG_ID}/logs?")
    link = page(client, TODAY, protocol="https", host="example.org:8443")["linkToNextSetOfResults"]
    assert link.startswith(f"https://example.org:8443/api/v2/{ORG_ID}/logs?")


def test_exactly_100_cases_is_one_page_without_a_link(client: TestClient, world: World) -> None:
    make_cases(client, world, 100)
    body = page(client, TODAY)
    assert (len(body["cases"]), body["linkToNextSetOfResults"]) == (100, "")


def test_the_next_token_wins_over_repeated_or_changed_parameters(client: TestClient, world: World) -> None:
    made = make_cases(client, world, 150)
    first = page(client, {**TODAY, "timezone": "Europe/Berlin"})
    link = first["linkToNextSetOfResults"]
    second = follow(client, link).json
    assert len(second["cases"]) == 50
    assert sorted(ids(first) + ids(second)) == sorted(c.case_id for c in made)
    for changed in (
        {"start": "2000-01-01", "end": "2000-01-02"},
        {"start": "not a date", "end": ""},
        {"timezone": "Nowhere/Special"},
    ):
        result = follow(client, link, **changed)
        assert (result.status_code, result.json) == (200, second)
    # Parameters that were not in the link are ignored as well.
    parts = urlsplit(link)
    extra = urlencode({"widgetId": SALES_WIDGET, "start": "2030-01-01"})
    result = client.simulate_get(
        parts.path, query_string=f"{parts.query}&{extra}", headers={"Authorization": API_TOKEN}
    )
    assert (result.status_code, result.json) == (200, second)


def test_a_get_with_a_json_content_type_and_an_empty_body_is_accepted(
    client: TestClient, world: World
) -> None:
    case = world.start_case(world.orgs[ORG_ID], SUPPORT_WIDGET, Visitor(), "hello")
    result = get(client, TODAY, headers={"Content-Type": "application/json", "Content-Length": "0"}, body="")
    assert result.status_code == 200
    assert ids(result.json) == [case.case_id]


def tampered(token: str, **changes: Any) -> str:
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    payload.update(changes)
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_next_may_be_the_whole_link_url_encoded(client: TestClient, world: World) -> None:
    """Clients that keep linkToNextSetOfResults send it back whole as `next`, with nothing else."""
    made = make_cases(client, world, 250)
    body = page(client, TODAY)
    seen = ids(body)
    while body["linkToNextSetOfResults"]:
        body = page(client, {"next": body["linkToNextSetOfResults"]})
        seen += ids(body)
    assert len(seen) == 250
    assert set(seen) == {c.case_id for c in made}
    link = page(client, TODAY)["linkToNextSetOfResults"]
    token = dict(parse_qsl(urlsplit(link).query))["next"]
    assert page(client, {"next": link}) == page(client, {**TODAY, "next": token})
    assert "next" in error(get(client, {"next": link.replace("next=", "after=")}), 400)
    assert "next" in error(get(client, {"next": link + "x"}), 400)


def test_a_bad_next_token_is_400(client: TestClient, world: World) -> None:
    add_other_org(world)
    make_cases(client, world, 120)
    link = page(client, TODAY)["linkToNextSetOfResults"]
    token = dict(parse_qsl(urlsplit(link).query))["next"]
    assert follow(client, link).status_code == 200
    other_org = logs.encode_next(OTHER_ORG, [OTHER_WIDGET], 0, 10**13, [0])
    for bad in (
        "garbage!",
        "abc",
        token[:-4],
        token + "x",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        tampered(token, n=[0, 0]),
        tampered(token, s=0),
        tampered(token, h=None),
        other_org,
    ):
        assert "next" in error(follow(client, link, next=bad), 400)


def test_a_next_token_of_a_widget_deleted_since_is_404(client: TestClient, world: World) -> None:
    for case in make_cases(client, world, 120):
        world.close(case, "agent")  # a widget is deleted once its chats have ended
    link = page(client, TODAY)["linkToNextSetOfResults"]
    world.delete_widget(world.orgs[ORG_ID], SALES_WIDGET, "admin@example.com")
    error(follow(client, link), 404)


# -- rate limit -------------------------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_over_the_rate_is_429_with_retry_after(client: TestClient, world: World) -> None:
    add_other_org(world)
    fake = FakeTime()
    app = create_app(world=world)
    app.add_route("/api/v2/{org_id}/logs", logs.Logs(world, RateLimiter(2, now=fake)))
    limited = LocalClient(app)
    assert [get(limited, TODAY).status_code for _ in range(3)] == [200, 200, 429]
    result = get(limited, TODAY)
    assert "rate limit" in error(result, 429)
    assert result.headers["retry-after"] == "1"
    # Per token: the other organization's token has its own bucket (and a 403 here still counts for it).
    assert get(limited, TODAY, token=OTHER_TOKEN).status_code == 403
    # Bad tokens are refused before the limit and do not use up anyone's.
    assert get(limited, TODAY, token="wrong").status_code == 401
    fake.now += 0.5  # one request's worth
    assert [get(limited, TODAY).status_code for _ in range(2)] == [200, 429]
    fake.now += 10  # the bucket refills up to its burst, no further
    assert [get(limited, TODAY).status_code for _ in range(3)] == [200, 200, 429]


def test_retry_after_counts_whole_seconds_until_a_request_is_allowed() -> None:
    fake = FakeTime()
    limiter = RateLimiter(0.25, now=fake)  # one request every 4 seconds, bursts of 1
    assert limiter.take("t") is None
    assert limiter.take("t") == 4
    fake.now += 2.5
    assert limiter.take("t") == 2  # 1.5 s to go, rounded up
    fake.now += 1.5
    assert limiter.take("t") is None
    assert limiter.take("other") is None
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)


def test_the_rate_limit_comes_from_the_config_and_is_off_without_one(world: World) -> None:
    limited = LocalClient(create_app(Config(rate_limit=0.5), world=world))
    assert [get(limited, TODAY).status_code for _ in range(2)] == [200, 429]
    unlimited = LocalClient(create_app(world=world))
    assert {get(unlimited, TODAY).status_code for _ in range(50)} == {200}


# -- the sample -------------------------------------------------------------------------------------------


def test_the_schema_takes_the_vendor_sample_and_refuses_drift() -> None:
    assert_valid("logs-response", SAMPLE)
    from mocksnap import schemas

    extra = json.loads(json.dumps(SAMPLE))
    extra["cases"][0]["unexpected"] = 1
    assert schemas.errors("logs-response", extra)
    missing = json.loads(json.dumps(SAMPLE))
    del missing["cases"][0]["transcripts"]
    assert schemas.errors("logs-response", missing)
