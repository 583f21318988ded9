"""Settings, from CLI flags and MOCKSNAP_* environment variables (flags win)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

CLOCKS = ("real", "manual", "scaled")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date or date-time; one without an offset is read as UTC."""
    instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def parse_rate(text: str) -> float:
    """`N/s`, `N/m` or `N` (per second): the rate as requests per second."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|sec|second|m|min|minute))?\s*", text)
    if match is None or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a rate such as 10/s or 600/m")
    per_minute = (match[2] or "s").startswith("m")
    return float(match[1]) / (60 if per_minute else 1)


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


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    world: Path | None = None  # None: the bundled fixtures/default.yaml
    seed: int = 0
    certfile: Path | None = None
    keyfile: Path | None = None
    access_log: bool = True
    clock: str = "real"
    speed: float = 1.0
    start: datetime | None = None
    rate_limit: float | None = None  # Logs API requests per second per token; None: no limit
    journal_size: int = 1000
    delivery_timeout: float = 10.0  # seconds for one webhook attempt
    delivery_log_size: int = 10_000
    public_url: str | None = None  # where mocksnap is reached from outside: case links point at its /viewcase
    smtp: str | None = None  # HOST:PORT that emails are sent to; None: they are kept, not sent

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        defaults = cls()

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        return cls(
            host=env.get("MOCKSNAP_HOST", defaults.host),
            port=int(env.get("MOCKSNAP_PORT", defaults.port)),
            world=path("MOCKSNAP_WORLD"),
            seed=int(env.get("MOCKSNAP_SEED", defaults.seed)),
            certfile=path("MOCKSNAP_CERTFILE"),
            keyfile=path("MOCKSNAP_KEYFILE"),
            access_log=env.get("MOCKSNAP_ACCESS_LOG", "1").lower() not in ("0", "false", "no", "off"),
            clock=env.get("MOCKSNAP_CLOCK", defaults.clock),
            speed=float(env.get("MOCKSNAP_SPEED", defaults.speed)),
            start=parse_instant(env["MOCKSNAP_START"]) if env.get("MOCKSNAP_START") else None,
            rate_limit=parse_rate(env["MOCKSNAP_RATE_LIMIT"]) if env.get("MOCKSNAP_RATE_LIMIT") else None,
            journal_size=int(env.get("MOCKSNAP_JOURNAL_SIZE", defaults.journal_size)),
            delivery_timeout=float(env.get("MOCKSNAP_DELIVERY_TIMEOUT", defaults.delivery_timeout)),
            delivery_log_size=int(env.get("MOCKSNAP_DELIVERY_LOG_SIZE", defaults.delivery_log_size)),
            public_url=parse_public_url(env["MOCKSNAP_PUBLIC_URL"])
            if env.get("MOCKSNAP_PUBLIC_URL")
            else None,
            smtp=parse_address(env["MOCKSNAP_SMTP"]) if env.get("MOCKSNAP_SMTP") else None,
        )

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"
