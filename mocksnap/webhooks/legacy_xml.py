"""Integration API, legacy XML form: the `<case>` document the vendor POSTs to an "Open API" URL when a
support request is processed (help article "Open API (legacy XML)", and the XML sample of the developer
reference's "Integration API" section, whose element order this follows; see docs/fidelity.md). What it shares
with the Logs API and the JSON payload comes from mocksnap.webhooks.case_facts.

`integration_xml(world, case)` is pure: it reads the world (and its clock, unless `now_ms` is given) and
returns the document's UTF-8 bytes. Delivering it is the delivery engine's business, not this module's.

The document is always well-formed XML 1.0, whatever the visitor or the agents typed. Element names and
attributes are constants of this module; every value goes through one of two writers:

- `text()`: `&`, `<` and `>` become entities, and a carriage return becomes `&#13;` (a literal one would
  be read back as a line feed by every parser, since XML normalizes line ends);
- `cdata()`: one CDATA section, split wherever the value holds `]]>` (`]]]]><![CDATA[>`) and around each
  carriage return, which goes between two sections as `&#13;`.

Both first replace each character XML 1.0 cannot carry (controls other than tab, line feed and carriage
return; lone surrogates; U+FFFE and U+FFFF) with U+FFFD, the replacement character.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from mocksnap.useragent import browser_and_os
from mocksnap.webhooks.case_facts import (
    case_url,
    coordinates,
    duration_seconds,
    labels,
    name_values,
    operator_variables,
    transcript_entries,
    wait_seconds,
)
from mocksnap.webhooks.payloads import VISITOR_ALIAS
from mocksnap.world import World
from mocksnap.world.models import Case

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
REPLACEMENT = "\ufffd"

# Everything but XML 1.0's Char production:
# #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAME = re.compile(r"[a-z_]+")

# Language names by the visitor's language tag: the vendor's own list (JavaScript API, setLocale "Parameter
# values"), regional variants first. Hebrew is `he` (and the old `iw`): the table's `rw` is a typo.
_LANGUAGES = {
    "zh-tw": "Chinese (Traditional)",
    "fr-ca": "French (Canadian)",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "zh": "Chinese (Simplified)",
    "cs": "Czech",
    "da": "Danish",
    "nl": "Dutch",
    "en": "English",
    "et": "Estonian",
    "fi": "Finnish",
    "fr": "French",
    "de": "German",
    "he": "Hebrew",
    "iw": "Hebrew",
    "hu": "Hungarian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "nb": "Norwegian Bokmaal",
    "nn": "Norwegian Nynorsk",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "ro": "Romanian",
    "sk": "Slovak",
    "es": "Spanish",
    "sv": "Swedish",
    "tr": "Turkish",
}
# A language tag (BCP 47 shape, `_` accepted for `-` as the vendor's locales write it) in a locale or an
# Accept-Language list; `*` and anything else is not a language and is left out.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# -- escaping -----------------------------------------------------------------------------------------------


def xml_chars(value: str) -> str:
    """The value with each character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, value)


def text(value: str) -> str:
    """The value as character data of an element."""
    return (
        xml_chars(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def cdata(value: str) -> str:
    """The value as a CDATA section (several, where it holds `]]>` or a carriage return)."""
    body = xml_chars(value).replace("]]>", "]]]]><![CDATA[>").replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{body}]]>"


# -- formats -------------------------------------------------------------------------------------------------


def _utc(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)  # exact, unlike a float timestamp


def created_at(ms: int) -> str:
    """`2010-10-18T01:48:18.623Z`, as the sample's `created_at`."""
    at = _utc(ms)
    return f"{at.year:04d}-{at:%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def transcript_date(ms: int) -> str:
    """`Mon Oct 18 01:48:27 UTC 2010`, as the sample's transcript dates (Java's Date.toString, in UTC, in
    English whatever the machine's locale)."""
    at = _utc(ms)
    return f"{_DAYS[at.weekday()]} {_MONTHS[at.month - 1]} {at:%d %H:%M:%S} UTC {at.year}"


def coordinate(degrees: float) -> str:
    """`39.914700`: six decimals, as the sample's latitude and longitude."""
    return f"{degrees:.6f}"


def languages(locale: str | None) -> list[tuple[str | None, str]]:
    """(name or None, code) of each language of a locale (`en-GB`) or Accept-Language list
    (`en-US,en;q=0.8,de;q=0.6`), as sent, in the list's order, without duplicates or q-values."""
    found: list[tuple[str | None, str]] = []
    seen: set[str] = set()
    for item in (locale or "").split(","):
        code = item.split(";", 1)[0].strip()
        if not _LANGUAGE_TAG.fullmatch(code) or code.lower() in seen:
            continue
        seen.add(code.lower())
        key = code.lower().replace("_", "-")
        name = _LANGUAGES.get(key) or _LANGUAGES.get(key.split("-", 1)[0])
        found.append((name, code))
    return found


# -- the document -------------------------------------------------------------------------------------------


class _Writer:
    """An indented document of known element names; values only through `text()` and `cdata()`."""

    def __init__(self) -> None:
        self.lines = [XML_DECLARATION]
        self.depth = 0

    def _tag(self, name: str, kind: str | None) -> str:
        assert _NAME.fullmatch(name), name
        assert kind is None or _NAME.fullmatch(kind), kind
        return f'{name} type="{kind}"' if kind else name

    def open(self, name: str, kind: str | None = None) -> None:
        self.lines.append(f"{'  ' * self.depth}<{self._tag(name, kind)}>")
        self.depth += 1

    def close(self, name: str) -> None:
        self.depth -= 1
        self.lines.append(f"{'  ' * self.depth}</{name}>")

    def leaf(self, name: str, value: str, *, as_cdata: bool = False, kind: str | None = None) -> None:
        body = cdata(value) if as_cdata else text(value)
        self.lines.append(f"{'  ' * self.depth}<{self._tag(name, kind)}>{body}</{name}>")

    def optional(self, name: str, value: str | None, *, as_cdata: bool = False) -> None:
        """Left out without data, as the developer reference says of every field."""
        if value:
            self.leaf(name, value, as_cdata=as_cdata)

    def pairs(self, array: str, item: str, pairs: list[dict[str, str]]) -> None:
        if not pairs:
            return
        self.open(array, "array")
        for pair in pairs:
            self.open(item)
            self.leaf("name", pair["name"], as_cdata=True)
            self.leaf("value", pair["value"], as_cdata=True)
            self.close(item)
        self.close(array)

    def bytes(self) -> bytes:
        assert self.depth == 0
        return ("\n".join(self.lines) + "\n").encode("utf-8")


def integration_xml(world: World, case: Case, *, now_ms: int | None = None) -> bytes:
    """The case as the legacy XML Integration API POSTs it: UTF-8 bytes of a `<case>` document.

    Pure: reads the world (and its clock, unless `now_ms` is given, for a chat still going on).
    """
    now = world.clock.now_ms() if now_ms is None else now_ms
    visitor = case.visitor
    browser, os_name = browser_and_os(visitor.user_agent or "")

    out = _Writer()
    out.open("case")
    out.leaf("id", case.case_id, as_cdata=True)
    out.leaf("url", case_url(world.site, case))
    out.optional("requested_by", visitor.email, as_cdata=True)
    out.optional("description", case.description, as_cdata=True)
    out.leaf("created_at", created_at(case.created_ms), kind="datetime")
    out.optional("page_url", visitor.page_url)
    out.optional("ip_address", visitor.ip_address)
    out.optional("browser", browser)
    out.optional("os", os_name)
    out.optional("country_code", visitor.country_code)
    out.optional("country", visitor.country)
    out.optional("region", visitor.region)
    out.optional("city", visitor.city, as_cdata=True)
    where = coordinates(visitor)
    if where is not None and all(math.isfinite(degrees) for degrees in where):
        out.leaf("latitude", coordinate(where[0]))
        out.leaf("longitude", coordinate(where[1]))
    out.leaf("source_id", str(case.source_id), kind="integer")

    spoken = languages(visitor.locale)
    if spoken:
        out.open("languages", "array")
        for name, code in spoken:
            out.open("language")
            if name is not None:
                out.leaf("name", name, as_cdata=True)
            out.leaf("code", code, as_cdata=True)
            out.close("language")
        out.close("languages")

    out.pairs("javascript_variables", "javascript_variable", name_values(visitor.javascript_variables))
    out.pairs("operator_variables", "operator_variable", operator_variables(case))
    out.pairs("labels", "label", labels(case))

    lines = transcript_entries(case)
    if lines:
        out.open("transcripts", "array")
        for entry in lines:
            out.open("transcript")
            out.leaf("id", entry.agent_id)
            out.leaf("date", transcript_date(entry.at_ms), kind="datetime")
            out.leaf("alias", VISITOR_ALIAS if entry.sender == "VISITOR" else entry.alias)
            out.leaf("message", entry.message)
            out.close("transcript")
        out.close("transcripts")

    if case.kind == "chat":  # an offline message has no wait or duration, as in the JSON form
        out.leaf("chat_waittime", str(wait_seconds(case, now)), kind="integer")
        out.leaf("chat_duration", str(duration_seconds(case, now)), kind="integer")
    out.optional("referrer_url", visitor.referrer_url, as_cdata=True)
    out.optional("entry_url", visitor.entry_url, as_cdata=True)
    out.close("case")
    return out.bytes()
