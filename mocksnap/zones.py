"""Time zone ids as the vendor's Java back end reads them (`java.time.ZoneId.of`): IANA region names, `Z`,
offsets (`+2`, `+02`, `+0200`, `+02:00`, `+02:00:00`), and `UTC`, `GMT` or `UT` alone or followed by an
offset (`UTC+2`, `GMT-05:30`)."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# ZoneOffset.of: +h, +hh, +hhmm, +hh:mm, +hhmmss, +hh:mm:ss (a colon used once is used throughout).
_OFFSET = re.compile(r"([+-])(\d|\d\d(?:(:?)(\d\d)(?:\3(\d\d))?)?)")
_PREFIXES = ("UTC", "GMT", "UT")
_MOST = timedelta(hours=18)


def _offset(text: str) -> timezone | None:
    found = _OFFSET.fullmatch(text)
    if found is None:
        return None
    sign, hours_text, _, minutes, seconds = found.groups()
    hours = int(hours_text[:2])
    if int(minutes or 0) > 59 or int(seconds or 0) > 59:
        return None
    span = timedelta(hours=hours, minutes=int(minutes or 0), seconds=int(seconds or 0))
    if span > _MOST:
        return None
    return timezone(-span if sign == "-" else span)


def zone_of(name: str) -> tzinfo | None:
    """The zone a Java client means by `name`, or None when ZoneId.of would refuse it."""
    if name == "Z":
        return UTC
    if name[:1] in ("+", "-"):
        return _offset(name)
    for prefix in _PREFIXES:
        if name == prefix:
            return UTC
        if name.startswith(prefix) and name[len(prefix) : len(prefix) + 1] in ("+", "-"):
            return _offset(name[len(prefix) :])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
