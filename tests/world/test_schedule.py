"""Hours of operation, read in the widget's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mocksnap.clock import ManualClock
from mocksnap.world import schedule
from mocksnap.world.models import ConversationSchedule, ScheduleEntry


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("12:00 AM", 0),
        ("12:30 AM", 30),
        ("8:00 AM", 480),
        ("08:05 am", 485),
        ("12:00 PM", 720),
        ("1:00PM", 780),
        ("11:59 PM", 1439),
    ],
)
def test_minute_of_day(text: str, minute: int) -> None:
    assert schedule.minute_of_day(text) == minute


@pytest.mark.parametrize("text", ["13:00 PM", "8 AM", "8:60 AM", "", "noon"])
def test_minute_of_day_refuses_what_is_not_h_mm_am_pm(text: str) -> None:
    with pytest.raises(ValueError, match="h:mm AM/PM"):
        schedule.minute_of_day(text)


BERLIN = ConversationSchedule(
    "Europe/Berlin",
    [
        ScheduleEntry("MONDAY", True, ["9:00 AM", "12:00 PM"]),
        ScheduleEntry("MONDAY", True, ["1:00 PM", "5:00 PM"]),
        ScheduleEntry("SATURDAY", False, ["9:00 AM", "5:00 PM"]),
        ScheduleEntry("SUNDAY", True, ["10:00 PM", "12:00 AM"]),
    ],
)


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        # Monday 23 November 2026; Berlin is UTC+1 in winter.
        (datetime(2026, 11, 23, 7, 59, tzinfo=UTC), False),  # 8:59 in Berlin
        (datetime(2026, 11, 23, 8, 0, tzinfo=UTC), True),  # 9:00, the first minute
        (datetime(2026, 11, 23, 10, 59, tzinfo=UTC), True),  # 11:59
        (datetime(2026, 11, 23, 11, 0, tzinfo=UTC), False),  # 12:00, lunch
        (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), True),  # 13:00, back
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), False),  # 17:00, closed
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), False),  # Saturday: a disabled entry
        (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), False),  # Tuesday: no entry at all
        (datetime(2026, 11, 29, 22, 30, tzinfo=UTC), True),  # Sunday 23:30: a range that ends at midnight
        # Summer time: Monday 6 July 2026, Berlin is UTC+2, so 07:30 UTC is 9:30 there.
        (datetime(2026, 7, 6, 7, 30, tzinfo=UTC), True),
        (datetime(2026, 7, 6, 15, 30, tzinfo=UTC), False),  # 17:30 in Berlin
    ],
)
def test_is_open_reads_the_instant_in_the_schedule_time_zone(utc: datetime, open_: bool) -> None:
    assert schedule.is_open(BERLIN, utc) is open_


def test_an_answer_kept_for_its_minute_is_never_given_for_another_or_for_another_schedule() -> None:
    closing = datetime(2026, 11, 23, 10, 59, 59, 999_999, tzinfo=UTC)  # 11:59:59.999999 in Berlin
    assert schedule.is_open(BERLIN, closing - timedelta(seconds=59)) is True  # kept for 11:59
    assert schedule.is_open(BERLIN, closing) is True
    assert schedule.is_open(BERLIN, closing + timedelta(microseconds=1)) is False  # 12:00, lunch
    assert schedule.is_open(BERLIN, closing) is True  # the clock may go back (a reset)
    closed_mondays = ConversationSchedule(
        "Europe/Berlin", [ScheduleEntry("MONDAY", False, ["9:00 AM", "5:00 PM"])]
    )
    assert schedule.is_open(closed_mondays, closing) is False  # a schedule replaced: its own answer
    # A zone's local mean time of old is minutes and seconds off UTC: its minutes are not UTC's.
    paris_1900 = ConversationSchedule("Europe/Paris", [ScheduleEntry("MONDAY", True, ["9:00 AM", "5:00 PM"])])
    opening = datetime(1900, 1, 1, 8, 50, 39, tzinfo=UTC)  # 9:00:00 in Paris, UTC+0:09:21
    assert schedule.is_open(paris_1900, opening - timedelta(seconds=1)) is False
    assert schedule.is_open(paris_1900, opening) is True


def test_is_open_now_answers_as_is_open_at_the_clock_s_time_minute_after_minute() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 10, 58, 30, tzinfo=UTC))  # 11:58:30 in Berlin
    answers = []
    for _ in range(4 * 60):  # 11:58:30 to 12:02:30, lunch from 12:00, a second at a time
        answers.append(schedule.is_open_now(BERLIN, clock))
        assert answers[-1] is schedule.is_open(BERLIN, clock.now())
        clock.set(clock.now() + timedelta(seconds=1))
    assert answers == [True] * 90 + [False] * 150
    clock.set(datetime(2026, 11, 23, 10, 59, 59, 999_999, tzinfo=UTC))  # back to the last instant before it
    assert schedule.is_open_now(BERLIN, clock) is True
    assert schedule.is_open_now(None, clock) is True


def test_no_schedule_means_open_around_the_clock() -> None:
    assert schedule.is_open(None, datetime(2026, 11, 22, 3, 0, tzinfo=UTC))


def test_legacy_zone_names_of_the_vendor_samples_are_known() -> None:
    schedule.check(
        ConversationSchedule("US/Mountain", [ScheduleEntry("MONDAY", True, ["8:00 AM", "5:00 PM"])])
    )


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (ConversationSchedule("Nowhere/Land", []), "timeZone must be a known time zone"),
        (
            ConversationSchedule("UTC", [ScheduleEntry("MONDAY", True, ["9:00 AM", "5:00 PM", "6:00 PM"])]),
            "pairs",
        ),
        (
            ConversationSchedule("UTC", [ScheduleEntry("MONDAY", True, ["9:00 AM", "9:00 AM"])]),
            "after it starts",
        ),
    ],
)
def test_check_refuses_what_the_schema_cannot(plan: ConversationSchedule, message: str) -> None:
    with pytest.raises(schedule.ScheduleError, match=message):
        schedule.check(plan)
