"""Settings, from CLI flags and MOCKSNAP_* environment variables (flags win).

Each parse_* function reads one kind of value and raises ValueError with a message that says what it takes,
so that a flag or a variable with a bad value gets one line naming it and what to write instead.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

CLOCKS = ("real", "manual", "scaled")
SERVERS = ("granian", "gunicorn")
T = TypeVar("T")


class SettingError(ValueError):
    """A MOCKSNAP_* variable whose value is not one its setting takes; the message names the variable."""


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date or date-time; one without an offset is read as UTC."""
    try:
        instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or time such as 2026-11-23T09:30:00Z") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def parse_rate(text: str) -> float:
    """`N/s` or `N/m`: the rate as requests per second. The unit is required: a bare number could be read
    either way."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|sec|second|m|min|minute)\s*", text)
    if match is None or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a rate with its unit, such as 10/s or 600/m")
    per_minute = match[2].startswith("m")
    return float(match[1]) / (60 if per_minute else 1)


def parse_port(text: str) -> int:
    """A TCP port to listen on, 1-65535."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{text!r} is not a port: it takes 1-65535")
    return int(text)


def parse_whole(text: str) -> int:
    """A whole number, negative or not (a seed)."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def parse_size(text: str) -> int:
    """A whole number of 0 or more (how many entries a log keeps)."""
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def parse_positive(text: str) -> float:
    """A finite number above 0 (a speed, seconds)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{text!r} is not a number above 0")
    return value


def parse_clock(text: str) -> str:
    if text not in CLOCKS:
        raise ValueError(f"{text!r} is not a clock: it takes {', '.join(CLOCKS)}")
    return text


def parse_address(text: str) -> str:
    """`HOST:PORT` (an SMTP server's), as given once checked."""
    host, _, port = text.strip().rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r} is not an address such as 127.0.0.1:1025")
    return text.strip()


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str | float) -> float:
    """Seconds, or a number with s, m, h or d (`90m`, `1d`): the duration in seconds."""
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
        if match is None:
            raise ValueError(f"{text!r} is not a duration such as 90s, 30m, 6h or 1d")
        seconds = float(match[1]) * DURATION_UNITS[match[2] or "s"]
    if seconds <= 0:
        raise ValueError("a duration must be more than 0 seconds")
    return seconds


def parse_public_url(text: str) -> str:
    """An http or https base URL, without a trailing slash."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{text!r} is not a base URL such as https://mocksnap.example:8000")
    return text.strip().rstrip("/")


def _setting(env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T) -> T:
    """The variable's value read by `parse`, or the default when it is unset or empty."""
    text = env.get(name)
    if not text:
        return default
    try:
        return parse(text)
    except ValueError as error:
        raise SettingError(f"{name}: {error}") from None


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    world: Path | None = None  # None: the bundled fixtures/default.yaml
    seed: int = 0
    certfile: Path | None = None
    keyfile: Path | None = None
    access_log: bool = True
    server: str = "granian"  # or gunicorn
    header_timeout: float = 15.0  # seconds for a request's headers, and for an idle connection's next request
    clock: str = "real"
    speed: float = 1.0
    start: datetime | None = None
    rate_limit: float | None = None  # Logs API requests per second per token; None: no limit
    journal_size: int = 1000
    journal_bytes: int = 64 * 1024 * 1024  # what the journal's entries may take, bodies included
    delivery_timeout: float = 10.0  # seconds for one webhook attempt
    delivery_log_size: int = 10_000
    public_url: str | None = None  # where mocksnap is reached from outside: case links point at its /viewcase
    smtp: str | None = None  # HOST:PORT that emails are sent to; None: they are kept, not sent
    # When set, /__admin asks for `Authorization: Bearer <it>` (mocksnap.guard).
    admin_token: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        defaults = cls()

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            host=env.get("MOCKSNAP_HOST", defaults.host),
            port=_setting(env, "MOCKSNAP_PORT", parse_port, defaults.port),
            world=path("MOCKSNAP_WORLD"),
            seed=_setting(env, "MOCKSNAP_SEED", parse_whole, defaults.seed),
            certfile=path("MOCKSNAP_CERTFILE"),
            keyfile=path("MOCKSNAP_KEYFILE"),
            access_log=env.get("MOCKSNAP_ACCESS_LOG", "1").lower() not in ("0", "false", "no", "off"),
            server=env.get("MOCKSNAP_SERVER", defaults.server),
            header_timeout=_setting(env, "MOCKSNAP_HEADER_TIMEOUT", parse_positive, defaults.header_timeout),
            clock=_setting(env, "MOCKSNAP_CLOCK", parse_clock, defaults.clock),
            speed=_setting(env, "MOCKSNAP_SPEED", parse_positive, defaults.speed),
            start=_setting(env, "MOCKSNAP_START", parse_instant, defaults.start),
            rate_limit=_setting(env, "MOCKSNAP_RATE_LIMIT", parse_rate, defaults.rate_limit),
            journal_size=_setting(env, "MOCKSNAP_JOURNAL_SIZE", parse_size, defaults.journal_size),
            journal_bytes=_setting(env, "MOCKSNAP_JOURNAL_BYTES", parse_size, defaults.journal_bytes),
            delivery_timeout=_setting(
                env, "MOCKSNAP_DELIVERY_TIMEOUT", parse_positive, defaults.delivery_timeout
            ),
            delivery_log_size=_setting(
                env, "MOCKSNAP_DELIVERY_LOG_SIZE", parse_size, defaults.delivery_log_size
            ),
            public_url=_setting(env, "MOCKSNAP_PUBLIC_URL", parse_public_url, defaults.public_url),
            smtp=_setting(env, "MOCKSNAP_SMTP", parse_address, defaults.smtp),
            admin_token=env.get("MOCKSNAP_ADMIN_TOKEN") or None,
        )

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"
