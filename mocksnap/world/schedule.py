"""Hours of operation: is a conversation schedule open at a given instant, read in its own time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mocksnap.clock import Clock
from mocksnap.world.models import DAYS_OF_WEEK, ConversationSchedule, ScheduleEntry

_TIME = re.compile(r"^(1[0-2]|0?[1-9]):([0-5][0-9]) ?([AaPp])[Mm]$")
MINUTES_PER_DAY = 24 * 60


class ScheduleError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field} {message}")


def minute_of_day(text: str) -> int:
    """'8:00 AM' -> 480; '12:00 AM' -> 0; '12:30 PM' -> 750."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time in h:mm AM/PM format")
    hour, minute, half = int(match[1]) % 12, int(match[2]), match[3].upper()
    return (hour + (12 if half == "P" else 0)) * 60 + minute


def ranges(entry: ScheduleEntry) -> list[tuple[int, int]]:
    """The entry's [start, end) minute ranges. An end of 12:00 AM means midnight at the end of the day."""
    times = entry.schedule_list
    result = []
    for i in range(0, len(times) - 1, 2):
        start, end = minute_of_day(times[i]), minute_of_day(times[i + 1])
        result.append((start, end or MINUTES_PER_DAY))
    return result


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name that is a folder of tzdata
        raise ValueError(f"{name!r} is not a known time zone") from None


def check(schedule: ConversationSchedule, field: str = "conversationSchedule") -> None:
    """Raise ScheduleError for what the schema cannot say: unknown zones, odd lists, ranges that end first."""
    try:
        zone(schedule.time_zone)
    except ValueError as error:
        raise ScheduleError(
            f"{field}.timeZone", "must be a known time zone, such as Europe/Berlin"
        ) from error
    for i, entry in enumerate(schedule.schedules):
        where = f"{field}.schedules[{i}].scheduleList"
        if len(entry.schedule_list) % 2:
            raise ScheduleError(where, "must hold start and end times in pairs")
        for start, end in ranges(entry):
            if end <= start:
                raise ScheduleError(where, "must end each range after it starts")


def is_open(schedule: ConversationSchedule | None, instant: datetime) -> bool:
    """True when the instant falls inside an enabled range of its weekday, read in the schedule's own zone."""
    if schedule is None:
        return True
    known = _answers.get(id(schedule))
    if known is not None and known[0] is schedule and known[1] <= instant.timestamp() < known[2]:
        return known[3]
    local = instant.astimezone(zone(schedule.time_zone))
    day = DAYS_OF_WEEK[local.weekday()]
    minute = local.hour * 60 + local.minute
    answer = any(
        start <= minute < end
        for entry in schedule.schedules
        if entry.enabled and entry.day_of_week == day
        for start, end in ranges(entry)
    )
    offset = local.utcoffset()
    if offset is not None and not offset % _MINUTE:  # else (a zone's old local mean time) minutes differ
        if len(_answers) >= _KEEP:
            _answers.clear()
        begins = (instant - timedelta(seconds=instant.second, microseconds=instant.microsecond)).timestamp()
        _answers[id(schedule)] = (schedule, begins, begins + 60, answer)
    return answer


def is_open_now(schedule: ConversationSchedule | None, clock: Clock) -> bool:
    """is_open at the clock's time. The answer holds for the whole minute, and availability asks it on every
    poll, so it is kept: schedules are replaced, never changed in place, so a schedule's identity keys it."""
    if schedule is None:
        return True
    known = _answers.get(id(schedule))
    if known is not None and known[0] is schedule and known[1] <= clock.timestamp() < known[2]:
        return known[3]
    return is_open(schedule, clock.now())


_MINUTE = timedelta(minutes=1)
_KEEP = 4096  # schedules whose answer is kept; past that, the answers start over
_answers: dict[int, tuple[ConversationSchedule, float, float, bool]] = {}  # POSIX seconds: [from, to)
