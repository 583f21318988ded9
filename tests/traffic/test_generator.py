"""The traffic generator: the same seed gives the same bytes; the figures a run produces fall within stated
tolerances of its profile; every payload it builds holds to its schema; and every case looks the same
through the Logs API, its Integration API payload and its conversation events."""

from __future__ import annotations

import io
import json
import math
import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest

from mocksnap.api.logs import case_json
from mocksnap.clock import to_ms
from mocksnap.traffic import profile as profiles
from mocksnap.traffic.generator import expected_chats
from mocksnap.traffic.run import STEP_S, TAIL_S, run_fast
from mocksnap.webhooks.case_facts import profile_url
from mocksnap.world import World, document
from tests.conftest import SUPPORT_WIDGET, assert_valid

START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
HOOKS = "http://127.0.0.1:9/hooks"
PAYLOAD_SCHEMAS = {"integration": "integration-api", "conversation_event": "conversation-event",
                   "agent_status": "agent-status-event"}  # fmt: skip

# What the Logs API and the Integration API both report about a case.
SHARED_FIELDS = ("id", "type", "description", "requested_by", "requester_details", "page_url", "ip_address",
                 "country_code", "city", "browser", "os", "language_code", "source_id", "chat_waittime",
                 "chat_duration", "labels", "javascript_variables")  # fmt: skip

# A profile whose figures can be checked: one widget open around the clock with two agents always there.
MEASURED = {
    "name": "measured",
    "description": "the default world's 24x7 widget, with knobs easy to check",
    "chatsPerHour": 120,
    "dailyCurve": [1] * 8 + [2] * 8 + [1] * 8,
    "widgetWeights": {SUPPORT_WIDGET: 1},
    "offlineShare": 0.2,
    "proactiveShare": 0.1,
    "surveyRate": 0.3,
    "transferRate": 0.1,
    "labelRate": 0.5,
    "languages": {"en": 0.5, "de": 0.25, "fr": 0.25},
    "acceptDelay": [10, 30],
}


def run(profile: profiles.Profile, seed: int = 7, duration_s: float = 86400) -> tuple[World, Any, str]:
    stream = io.StringIO()
    world, summary = run_fast(
        profile, seed=seed, start=START, duration_s=duration_s, webhooks=HOOKS, payloads=stream
    )
    return world, summary, stream.getvalue()


@pytest.fixture(scope="module")
def measured() -> tuple[World, Any, list[dict[str, Any]]]:
    world, summary, stream = run(profiles.from_doc(MEASURED))
    return world, summary, [json.loads(line) for line in stream.splitlines()]


def test_the_same_seed_gives_the_same_world_and_the_same_payloads_byte_for_byte() -> None:
    profile = profiles.load("quiet-saas")
    first_world, _, first_stream = run(profile, seed=3)
    second_world, _, second_stream = run(profile, seed=3)
    first_dump = document.to_yaml(first_world.dump())
    assert first_dump == document.to_yaml(second_world.dump())
    assert first_stream == second_stream
    assert first_stream.count("\n") > 100
    other_world, _, other_stream = run(profile, seed=4)
    assert document.to_yaml(other_world.dump()) != first_dump
    assert other_stream != first_stream


def test_the_number_of_visitors_follows_the_rate_and_the_daily_curve(measured) -> None:
    world, summary, _ = measured
    profile = profiles.from_doc(MEASURED)
    mean = expected_chats(profile, START, 86400)
    assert mean == pytest.approx(120 / 2 * 16 + 120 * 8)  # 16 hours at half the peak, 8 at the peak
    assert abs(summary.traffic["visitors"] - mean) < 4 * math.sqrt(mean)
    per_hour = defaultdict(int)
    for case in world.cases.values():
        per_hour[(case.created_ms - int(START.timestamp() * 1000)) // 3_600_000] += 1
    busy = sum(per_hour[h] for h in range(8, 16)) / 8
    quiet = sum(per_hour[h] for h in (*range(8), *range(16, 24))) / 16
    assert busy / quiet == pytest.approx(2, rel=0.25)


def test_offline_share_wait_time_and_survey_rate_are_the_profiles(measured) -> None:
    world, summary, _ = measured
    cases = list(world.cases.values())
    offline = sum(case.kind == "offline" for case in cases) / len(cases)
    assert offline == pytest.approx(0.2, abs=0.04)
    chats = [case for case in cases if case.kind == "chat"]
    # Accepted after 10 to 30 s, then greeted 2 to 8 s later: responded after 25 s at the median.
    waits = [(case.responded_ms - case.created_ms) / 1000 for case in chats if case.responded_ms]
    assert statistics.median(waits) == pytest.approx(25, abs=3)
    assert len(waits) > 0.95 * len(chats)
    surveyed = sum(case.survey_score is not None for case in chats) / len(chats)
    assert surveyed == pytest.approx(0.3, abs=0.05)
    languages = {case.visitor.locale[:2] for case in cases if case.visitor.locale}
    assert languages == {"en", "de", "fr"}
    assert summary.traffic["transfers"] > 0
    assert summary.traffic["surveys"] > 0


def test_every_payload_holds_to_its_schema(measured) -> None:
    _, summary, payloads = measured
    assert summary.violations == 0
    kinds = defaultdict(int)
    for payload in payloads:
        kinds[payload["kind"]] += 1
        assert_valid(PAYLOAD_SCHEMAS[payload["kind"]], json.loads(payload["body"]))
    assert set(kinds) == {"integration", "conversation_event"}


def test_every_case_agrees_across_logs_integration_and_conversation_events(measured) -> None:
    world, _, payloads = measured
    org = next(iter(world.orgs.values()))
    integration = {}
    events = defaultdict(list)
    for payload in payloads:
        body = json.loads(payload["body"])
        if payload["kind"] == "integration":
            integration[body["id"]] = body
        else:
            events[body["case_id"]].append(body)
    assert set(integration) == set(world.cases)  # every case ended, and was posted once
    for case_id, posted in integration.items():
        case = world.cases[case_id]
        logged = case_json(world, org, case, now_ms=case.closed_ms)
        assert_valid("logs-response", {"cases": [logged], "linkToNextSetOfResults": ""})
        assert posted["widget_id"] == case.widget_id
        shared = SHARED_FIELDS
        # The Integration API leaves out what has no data (its data-fields section); the Logs API keeps it.
        for key in (key for key in shared if key in posted):
            expected = logged[key]
            if key == "requester_details":
                # Each API shows its sample's fields: the Logs API also has empty ones, the Integration API
                # company, address and the rest, and social profiles as URLs without their scheme.
                expected = {name: expected[name] for name in posted[key] if name in expected}
                if "social_profile_links" in expected:
                    expected["social_profile_links"] = [
                        profile_url(s) for s in expected["social_profile_links"]
                    ]
                assert {name: posted[key][name] for name in expected} == expected
                continue
            assert posted[key] == expected, key
        assert [line["message"] for line in logged.get("transcripts", [])] == [
            line["message"] for line in posted.get("transcripts", [])
        ]
        if case.kind == "chat":
            kinds = [event["event"] for event in events[case_id]]
            assert kinds[0] == "caseQueued"
            assert "caseClosed" in kinds
            closed = next(event for event in events[case_id] if event["event"] == "caseClosed")
            assert closed["timestamp"] == case.closed_ms
        else:
            assert case_id not in events


def test_a_bundled_profile_with_a_bot_and_lunch_breaks_plays_them() -> None:
    world, summary, stream = run(profiles.load("busy-retail"), duration_s=6 * 3600)
    assert summary.traffic["botChats"] > 0
    bot_lines = [e for case in world.cases.values() for e in case.entries if e.sender == "BOT"]
    assert bot_lines
    statuses = [json.loads(line) for line in stream.splitlines() if '"agent_status"' in line]
    assert statuses == []  # lunch is at noon in New York: not in the first six hours
    world, summary, stream = run(profiles.load("busy-retail"), duration_s=20 * 3600)
    paused = [
        json.loads(json.loads(line)["body"])
        for line in stream.splitlines()
        if '"kind": "agent_status"' in line
    ]
    for payload in paused:
        assert_valid("agent-status-event", payload)
    assert {p["status"] for p in paused} == {"pause", "online"}
    assert {p.get("sub_status") for p in paused if p["status"] == "pause"} == {"Gone to lunch"}


def test_the_bot_takes_the_profiles_share_of_its_widgets_chats_and_the_others_go_to_humans() -> None:
    profile = profiles.load("busy-retail")
    world, summary, _ = run(profile, duration_s=6 * 3600)
    shop = "0d1f6c2e-6a41-4b8e-9d55-3f1c2b7a9e01"  # the widget with the bot, online all day
    chats = [case for case in world.cases.values() if case.widget_id == shop and case.kind == "chat"]
    taken = [case for case in chats if case.entries and any(e.sender == "BOT" for e in case.entries)]
    assert summary.traffic["botChats"] == len(taken)
    assert len(chats) > 500
    assert abs(len(taken) / len(chats) - profile.bot_share) < 0.04
    # The others never met the bot: a human took them from the queue.
    assert all(case.agent_id != "shopbot@shop.example.com" for case in chats if case not in taken)


def test_agents_keep_operator_variables_apart_from_labels_once_they_set_one(measured) -> None:
    world, _, _ = measured
    noted = [case for case in world.cases.values() if case.operator_variables]
    assert noted
    for case in noted:
        assert ("Reference", case.operator_variables[-1][1]) == case.operator_variables[-1]
        assert set(case.labels or []) <= set(case.operator_variables)


def test_a_run_ends_once_its_last_chat_has_ended_and_been_surveyed_not_two_hours_later() -> None:
    profile = profiles.from_doc(MEASURED)
    world, _, _ = run(profile, duration_s=3600)
    assert all(case.state == "closed" for case in world.cases.values())
    # The run steps STEP_S at a time; its last step holds the last close, or the survey that came after it.
    last_close = max(case.closed_ms for case in world.cases.values())
    ended = to_ms(world.clock.now())
    assert ended - last_close <= (profile.survey_delay[1] + STEP_S) * 1000
    assert ended < to_ms(START) + (3600 + TAIL_S) * 1000
