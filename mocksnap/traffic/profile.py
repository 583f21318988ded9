"""Traffic profiles: the knobs of a run of the generator, read from fixtures/profiles/NAME.yaml (or any file)
and checked against schemas/traffic-profile.schema.json. Every knob has a default, so a profile states only
what makes it itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mocksnap import schemas
from mocksnap.world import document

SCHEMA = "traffic-profile"
# Office hours: quiet at night, a morning peak, a dip at lunch, a second peak in the afternoon.
OFFICE_CURVE = (1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 19, 15, 17, 19, 18, 15, 11, 8, 6, 5, 4, 2, 1)


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Lunch:
    at_minutes: int  # minutes after midnight, in the profile's time zone
    minutes: float
    stagger_minutes: float = 15
    sub_status: str = "Gone to lunch"


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    chats_per_hour: float
    world: str | None = None
    site: str = "https://www.example.com"
    time_zone: str = "UTC"
    daily_curve: tuple[float, ...] = OFFICE_CURVE
    widget_weights: dict[str, float] = field(default_factory=dict)
    offline_share: float = 0.05
    proactive_share: float = 0.1
    bot_share: float = 1.0
    email_share: float = 0.7
    transfer_rate: float = 0.05
    label_rate: float = 0.5
    survey_rate: float = 0.3
    visitor_ends_share: float = 0.6
    languages: dict[str, float] = field(default_factory=lambda: {"en": 1.0})
    visitor_messages: tuple[float, float] = (1, 4)
    accept_delay: tuple[float, float] = (5, 60)
    reply_delay: tuple[float, float] = (10, 60)
    visitor_delay: tuple[float, float] = (10, 90)
    survey_delay: tuple[float, float] = (60, 600)
    labels: dict[str, list[str]] = field(
        default_factory=lambda: {"Topic": ["Billing", "Shipping", "Returns", "Product question", "Technical"]}
    )
    lunch: Lunch | None = None
    bot_resolve_share: float = 0.4
    bot_reply_delay: tuple[float, float] = (1, 3)
    source: Path | None = None  # the file it was read from

    def world_document(self) -> dict[str, Any]:
        """The world an in-process run starts from: the profile's, or the bundled default world."""
        if self.world in (None, "default"):
            return document.read(document.locate(None))
        base = self.source.parent if self.source is not None else Path.cwd()
        return document.read(base / self.world)

    @property
    def world_flag(self) -> str:
        """What `mocksnap serve --world` takes to serve the profile's world: a bundled world's name, or a
        path."""
        if self.world in (None, "default"):
            return "default"
        base = self.source.parent if self.source is not None else Path.cwd()
        path = (base / self.world).resolve()
        if path == document.bundled(f"{path.stem}.yaml").resolve():
            return path.stem
        return str(path)


def _bundled(name: str) -> Path:
    return document.bundled(f"profiles/{name}.yaml")


def bundled_names() -> list[str]:
    folder = document.bundled("profiles")
    return sorted(path.stem for path in folder.glob("*.yaml"))


def load(name_or_path: str | Path) -> Profile:
    """A bundled profile by name (see `bundled_names`), or a profile file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = _bundled(str(name_or_path))
        if not path.exists():
            raise ProfileError(f"no profile {name_or_path!r}: one of {', '.join(bundled_names())}, or a file")
    try:
        doc = document.read(path)
    except document.DocumentError as error:
        raise ProfileError(str(error)) from None
    return from_doc(doc, path)


def from_doc(doc: Any, source: Path | None = None) -> Profile:
    problem = schemas.first_error(SCHEMA, doc)
    if problem is not None:
        raise ProfileError(f"{source or 'profile'}: {problem}")
    if not any(doc.get("dailyCurve", OFFICE_CURVE)):
        raise ProfileError(f"{source or 'profile'}: dailyCurve must have an hour above 0")
    lunch = doc.get("lunch")
    bot = doc.get("bot", {})
    knobs = {
        "world": doc.get("world"),
        "site": doc.get("site"),
        "time_zone": doc.get("timeZone"),
        "daily_curve": tuple(doc["dailyCurve"]) if "dailyCurve" in doc else None,
        "widget_weights": doc.get("widgetWeights"),
        "offline_share": doc.get("offlineShare"),
        "proactive_share": doc.get("proactiveShare"),
        "bot_share": doc.get("botShare"),
        "email_share": doc.get("emailShare"),
        "transfer_rate": doc.get("transferRate"),
        "label_rate": doc.get("labelRate"),
        "survey_rate": doc.get("surveyRate"),
        "visitor_ends_share": doc.get("visitorEndsShare"),
        "languages": doc.get("languages"),
        "visitor_messages": _range(doc.get("visitorMessages")),
        "accept_delay": _range(doc.get("acceptDelay")),
        "reply_delay": _range(doc.get("replyDelay")),
        "visitor_delay": _range(doc.get("visitorDelay")),
        "survey_delay": _range(doc.get("surveyDelay")),
        "labels": doc.get("labels"),
        "lunch": (
            Lunch(
                int(lunch["at"][:2]) * 60 + int(lunch["at"][3:]),
                lunch["minutes"],
                lunch.get("staggerMinutes", 15),
                lunch.get("subStatus", "Gone to lunch"),
            )
            if lunch
            else None
        ),
        "bot_resolve_share": bot.get("resolveShare"),
        "bot_reply_delay": _range(bot.get("replyDelay")),
    }
    return Profile(
        name=doc["name"],
        description=doc["description"],
        chats_per_hour=doc["chatsPerHour"],
        source=source,
        **{key: value for key, value in knobs.items() if value is not None},
    )


def _range(value: list[float] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    if value[0] > value[1]:
        raise ProfileError(f"a range must be [least, most], not {value}")
    return value[0], value[1]
