"""The cases of a world document: read (checked and built into models), and dumped back in canonical form.

A case is written with camelCase keys in one order, times as UTC ISO 8601 with milliseconds
("2026-11-23T09:30:00.123Z"), and without the fields that have no value (None, empty lists, an entry's empty
agentId and alias). Reading gives back exactly the case that was dumped, so load -> dump -> load is exact.

A big world document holds many thousands of cases, so their schema check has a fast path: each case goes
through a checker compiled from the world schema's `$defs/case`, and only the cases it refuses are left for
jsonschema to explain, with the paths and messages it gives everywhere else (see `stand_ins`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any

from mocksnap import schemas
from mocksnap.world.models import SENDERS, SOURCE_OFFLINE, Case, Entry, Organization, Route, Visitor

# -- times ------------------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)  # naive UTC: exact integer arithmetic, no time zone to format or parse
_ONE_MS = timedelta(milliseconds=1)


def time_to_doc(ms: int) -> str:
    """Epoch milliseconds as "2026-11-23T09:30:00.123Z"."""
    return (_EPOCH + timedelta(milliseconds=ms)).isoformat(timespec="milliseconds") + "Z"


def time_from_doc(text: str) -> int:
    """The epoch milliseconds of a time the schema let through (raises ValueError for 2026-02-30 ...)."""
    return (datetime.fromisoformat(text[:-1]) - _EPOCH) // _ONE_MS


# -- dump -------------------------------------------------------------------------------------------------

# (model attribute, document key) of the Visitor's plain fields, in the document's order.
_VISITOR_FIELDS = (
    ("email", "email"),
    ("name", "name"),
    ("phone", "phone"),
    ("user_agent", "userAgent"),
    ("locale", "locale"),
    ("app_version_name", "appVersionName"),
    ("ip_address", "ipAddress"),
    ("page_url", "pageUrl"),
    ("referrer_url", "referrerUrl"),
    ("entry_url", "entryUrl"),
    ("country_code", "countryCode"),
    ("country", "country"),
    ("region", "region"),
    ("city", "city"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
)


def dump_cases(cases: Iterable[Case]) -> list[dict[str, Any]]:
    """The cases oldest first, then by caseId: the order does not depend on how the world came by them."""
    return [case_to_doc(case) for case in sorted(cases, key=lambda c: (c.created_ms, c.case_id))]


def _pairs(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def visitor_to_doc(visitor: Visitor) -> dict[str, Any]:
    doc = {}
    for attribute, key in _VISITOR_FIELDS:
        value = getattr(visitor, attribute)
        if value is not None:
            doc[key] = value
    if visitor.javascript_variables:
        doc["javascriptVariables"] = _pairs(visitor.javascript_variables)
    if visitor.hmac is not None:
        doc["hmac"] = visitor.hmac
    if visitor.details:
        doc["requesterDetails"] = copy.deepcopy(visitor.details)
    return doc


def entry_to_doc(entry: Entry) -> dict[str, Any]:
    doc: dict[str, Any] = {"sender": entry.sender}
    if entry.agent_id:
        doc["agentId"] = entry.agent_id
    if entry.alias:
        doc["alias"] = entry.alias
    doc["at"] = time_to_doc(entry.at_ms)
    doc["message"] = entry.message
    if entry.translations:
        doc["translations"] = dict(entry.translations)
    if entry.attachment:
        doc["attachment"] = copy.deepcopy(entry.attachment)
    return doc


def case_to_doc(case: Case) -> dict[str, Any]:
    """The case's entry in the world document."""
    doc: dict[str, Any] = {
        "caseId": case.case_id,
        "widgetId": case.widget_id,
        "type": case.kind,
        "sourceId": case.source_id,
        "createdAt": time_to_doc(case.created_ms),
        "visitor": visitor_to_doc(case.visitor),
        "description": case.description,
        "state": case.state,
    }
    if case.agent_id is not None:
        doc["agentId"] = case.agent_id
    for key, ms in (
        ("acceptedAt", case.accepted_ms),
        ("respondedAt", case.responded_ms),
        ("closedAt", case.closed_ms),
        ("lastActivityAt", case.last_activity_ms),
    ):
        if ms is not None:
            doc[key] = time_to_doc(ms)
    if case.ended_by is not None:
        doc["endedBy"] = case.ended_by
    if case.entries:
        doc["entries"] = [entry_to_doc(entry) for entry in case.entries]
    if case.labels:
        doc["labels"] = _pairs(case.labels)
    if case.operator_variables is not None:  # [] is not None: no operator variables, whatever the labels
        doc["operatorVariables"] = _pairs(case.operator_variables)
    if case.survey_score is not None:
        doc["survey"] = {"score": case.survey_score}
        if case.survey_comments is not None:
            doc["survey"]["comments"] = case.survey_comments
    for key, value in (
        ("visitorTranscriptEmail", case.visitor_transcript_email),
        ("contact", case.contact),
        ("proactiveMessage", case.proactive_message),
    ):
        if value is not None:
            doc[key] = value
    if case.tags:
        doc["tags"] = list(case.tags)
    if case.route is not None:
        route: dict[str, Any] = {"humansOnly": case.route.humans_only}
        if case.route.tags:
            route["tags"] = list(case.route.tags)
        if case.route.exclude is not None:
            route["exclude"] = case.route.exclude
        doc["route"] = route
    return doc


# -- read -------------------------------------------------------------------------------------------------


class Shared(dict):
    """One string object for equal strings (agent ids, aliases, the same message in many chats ...): a
    big world keeps each text once. Seeded with the widgets' agent ids, so that entries share those, as the
    world's commands do."""

    def __missing__(self, key: str) -> str:
        self[key] = key
        return key


_SENDERS = {sender: sender for sender in SENDERS}


def build_cases(
    document: dict[str, Any],
    orgs: list[Organization],
    problem: Callable[[str, str], None],
) -> list[Case]:
    """The cases of a document the world schema let through, in document order, the organizations built
    from it at the same positions; `problem(path, message)` for each rule a schema cannot state."""
    widget_orgs = {uuid: org.org_id for org in orgs for uuid in org.widgets}
    seen: set[str] = set()
    built: list[Case] = []
    for o, (org, org_doc) in enumerate(zip(orgs, document["organizations"], strict=True)):
        shared = Shared()
        for widget in org.widgets.values():
            shared[widget.uuid] = widget.uuid
            for member in widget.agents:
                shared[member.agent_id] = member.agent_id
                shared.setdefault(member.alias, member.alias)
        for c, case_doc in enumerate(org_doc.get("cases", ())):
            at = f"/organizations/{o}/cases/{c}"
            case = case_from_doc(case_doc, org.org_id, shared, at, problem)
            if case.case_id in seen:
                problem(f"{at}/caseId", f"caseId {case.case_id} is used by another case")
            seen.add(case.case_id)
            if case.widget_id not in org.widgets:
                owner = widget_orgs.get(case.widget_id)
                if owner is not None:
                    problem(f"{at}/widgetId", f"widget {case.widget_id} belongs to organization {owner}")
                elif case.state != "closed":
                    problem(
                        f"{at}/widgetId",
                        f"{case.widget_id} is not a widget of organization {org.org_id}; "
                        "a chat under way needs its widget",
                    )
            built.append(case)
    return built


def _time(text: str, path: str, problem: Callable[[str, str], None]) -> int:
    try:
        return time_from_doc(text)
    except ValueError:
        problem(path, f"{path.rsplit('/', 1)[-1]} {text} is not a valid time")
        return 0


def case_from_doc(
    doc: dict[str, Any], org_id: str, shared: Shared, at: str, problem: Callable[[str, str], None]
) -> Case:
    """One case of a document the world schema let through; `problem` is told what breaks the rules between
    its fields (`at` is the case's JSON pointer)."""
    created = _time(doc["createdAt"], f"{at}/createdAt", problem)
    times: dict[str, int | None] = {}
    for key in ("acceptedAt", "respondedAt", "closedAt", "lastActivityAt"):
        if key in doc:
            times[key] = ms = _time(doc[key], f"{at}/{key}", problem)
            if ms < created:
                problem(f"{at}/{key}", f"{key} is before createdAt")
        else:
            times[key] = None
    kind, state, agent_id = doc["type"], doc["state"], doc.get("agentId")
    ended_by = doc.get("endedBy")
    if (state == "closed") != (times["closedAt"] is not None):
        problem(
            f"{at}/closedAt",
            "closedAt is required when state is closed"
            if state == "closed"
            else "only a closed case has closedAt",
        )
    if kind == "offline" and state != "closed":
        problem(f"{at}/state", "an offline message is closed")
    if (kind == "offline") != (doc["sourceId"] == SOURCE_OFFLINE):
        problem(f"{at}/sourceId", "sourceId is 1 for an offline message, and only for one")
    if (kind == "chat" and state == "closed") != (ended_by is not None):
        problem(
            f"{at}/endedBy",
            "endedBy is required when a chat is closed"
            if ended_by is None
            else "only a closed chat has endedBy",
        )
    if state == "assigned" and agent_id is None:
        problem(f"{at}/agentId", "agentId is required when state is assigned")
    if state == "queued" and agent_id is not None:
        problem(f"{at}/agentId", "a queued chat has no agentId")
    if kind == "offline" and "survey" in doc:
        problem(f"{at}/survey", "only a chat is surveyed")

    entries = []
    for i, entry in enumerate(doc.get("entries", ())):
        sender = _SENDERS[entry["sender"]]
        at_ms = _time(entry["at"], f"{at}/entries/{i}/at", problem)
        if at_ms < created:
            problem(f"{at}/entries/{i}/at", "at is before the case's createdAt")
        entry_agent = shared[entry["agentId"]] if "agentId" in entry else ""
        if sender in ("AGENT", "BOT") and not entry_agent:
            problem(f"{at}/entries/{i}/agentId", f"agentId is required in a {sender} line")
        elif sender in ("VISITOR", "NOTE") and entry_agent:
            problem(f"{at}/entries/{i}/agentId", f"a {sender} line has no agentId")
        translations = entry.get("translations")
        attachment = entry.get("attachment")
        entries.append(
            Entry(
                sender,
                entry_agent,
                shared[entry["alias"]] if "alias" in entry else "",
                at_ms,
                shared[entry["message"]],
                {shared[lang]: shared[text] for lang, text in translations.items()} if translations else None,
                copy.deepcopy(attachment) if attachment else None,
            )
        )
    survey = doc.get("survey")
    route = doc.get("route")
    return Case(
        case_id=doc["caseId"],
        org_id=org_id,
        widget_id=shared[doc["widgetId"]],
        kind="offline" if kind == "offline" else "chat",
        source_id=int(doc["sourceId"]),
        created_ms=created,
        visitor=visitor_from_doc(doc.get("visitor", {}), shared),
        description=shared[doc.get("description", "")],
        state=shared[state],
        entries=entries,
        agent_id=shared[agent_id] if agent_id is not None else None,
        accepted_ms=times["acceptedAt"],
        responded_ms=times["respondedAt"],
        closed_ms=times["closedAt"],
        last_activity_ms=created if times["lastActivityAt"] is None else times["lastActivityAt"],
        ended_by=shared[ended_by] if ended_by is not None else None,
        labels=_pairs_from_doc(doc.get("labels"), shared) or None,
        operator_variables=_pairs_from_doc(doc.get("operatorVariables"), shared),
        survey_score=int(survey["score"]) if survey else None,
        survey_comments=survey.get("comments") if survey else None,
        visitor_transcript_email=doc.get("visitorTranscriptEmail"),
        contact=doc.get("contact"),
        proactive_message=shared[doc["proactiveMessage"]] if "proactiveMessage" in doc else None,
        route=(
            Route(
                route.get("humansOnly", False),
                tuple(shared[tag] for tag in route.get("tags", ())),
                shared[route["exclude"]] if "exclude" in route else None,
            )
            if route is not None
            else None
        ),
        tags=tuple(shared[tag] for tag in doc.get("tags", ())),
    )


def _pairs_from_doc(pairs: list[dict[str, str]] | None, shared: Shared) -> list[tuple[str, str]] | None:
    if pairs is None:
        return None
    return [(shared[pair["name"]], shared[pair["value"]]) for pair in pairs]


def visitor_from_doc(doc: dict[str, Any], shared: Shared) -> Visitor:
    visitor = Visitor()
    for attribute, key in _VISITOR_FIELDS:
        if key in doc:
            value = doc[key]
            setattr(visitor, attribute, shared[value] if isinstance(value, str) else float(value))
    if doc.get("javascriptVariables"):
        visitor.javascript_variables = _pairs_from_doc(doc["javascriptVariables"], shared)
    if "hmac" in doc:
        visitor.hmac = doc["hmac"]
    if doc.get("requesterDetails"):
        visitor.details = copy.deepcopy(doc["requesterDetails"])
    return visitor


# -- the fast schema check --------------------------------------------------------------------------------

# A case the world schema accepts, standing in for the cases the fast check passed (see `stand_ins`).
STAND_IN: dict[str, Any] = {
    "caseId": "0",
    "widgetId": "0",
    "type": "offline",
    "sourceId": 1,
    "createdAt": "1970-01-01T00:00:00.000Z",
    "state": "closed",
}


def stand_ins(cases: list[Any]) -> list[Any]:
    """What jsonschema is to check in place of an organization's cases: none when the fast check passes
    them all; otherwise each case it refused, in its place, the others replaced by STAND_IN, which is valid,
    so that the errors and their paths are exactly those of checking every case."""
    check = case_checker()
    passed = [check(case) for case in cases]
    if all(passed):
        return []
    return [STAND_IN if ok else case for case, ok in zip(cases, passed, strict=True)]


@cache
def case_checker() -> Callable[[Any], bool]:
    """Whether a value is valid against the world schema's `$defs/case`, as jsonschema would say, only much
    faster: compiled from the schema's keywords (a keyword it does not know is an error here, never ignored).
    It may refuse what jsonschema accepts (a float that is an integer, a subclass of str): jsonschema then has
    the last word."""
    root = schemas.schema("world")
    return _Compiler(root).compile({"$ref": "#/$defs/case"})


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),  # not bool: type() is compared, never isinstance()
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}
_KEYWORDS_OF = {
    "string": {"minLength", "maxLength", "pattern"},
    "number": {"minimum", "maximum"},
    "object": {"required", "properties", "additionalProperties", "propertyNames", "minProperties"},
    "array": {"items", "minItems", "maxItems"},
}
_STRING_KEYWORDS = {"type", "enum", "const", *_KEYWORDS_OF["string"]}
_NUMBER_KEYWORDS = {"type", "enum", "const", *_KEYWORDS_OF["number"]}
_OBJECT_KEYWORDS = {"type", *_KEYWORDS_OF["object"]}
_ARRAY_KEYWORDS = {"type", *_KEYWORDS_OF["array"]}
_KEYWORDS = {"$ref", "type", "enum", "const", *(word for words in _KEYWORDS_OF.values() for word in words)}
_ANNOTATIONS = {"description", "default", "title", "x-error", "$comment", "examples"}


def _ecma(pattern: str) -> re.Pattern[str]:
    """As mocksnap.schemas reads a pattern: `$` is the end of the text, as in ECMA-262."""
    return re.compile(
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    )


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Callable[[Any], bool]] = {}

    def ref(self, ref: str) -> Callable[[Any], bool]:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"the fast case check follows local $refs only, not {ref}")
        if ref not in self.refs:
            self.refs[ref] = self.compile(self.root["$defs"][ref.removeprefix("#/$defs/")])
        return self.refs[ref]

    def compile(self, node: dict[str, Any]) -> Callable[[Any], bool]:
        keywords = set(node) - _ANNOTATIONS
        if keywords - _KEYWORDS:
            raise ValueError(f"the fast case check does not know the keywords {sorted(keywords - _KEYWORDS)}")
        if keywords == {"$ref"}:
            return self.ref(node["$ref"])
        kind = node.get("type")
        if kind is not None and not isinstance(kind, str):
            raise ValueError("the fast case check knows one type per schema")
        if kind == "string" and keywords <= _STRING_KEYWORDS:
            return self._string(node)
        if kind == "object" and keywords <= _OBJECT_KEYWORDS:
            return self._object(node)
        if kind == "array" and keywords <= _ARRAY_KEYWORDS:
            return self._array(node)
        if kind in ("integer", "number", "boolean") and keywords <= _NUMBER_KEYWORDS:
            return self._number(node)
        if keywords <= {"enum", "const"}:
            return _one_of(node["enum"] if "enum" in node else [node["const"]])
        # Anything else: the type, then the keywords of each kind of value, each speaking only to its kind.
        checks: list[Callable[[Any], bool]] = []
        if kind is not None:
            kinds = _PY_TYPES[kind]
            checks.append(lambda value: type(value) in kinds)
        if "$ref" in node:
            checks.append(self.ref(node["$ref"]))
        if {"enum", "const"} & keywords:
            checks.append(_one_of(node["enum"] if "enum" in node else [node["const"]]))
        for group, words in _KEYWORDS_OF.items():
            if words & keywords:
                typed = self.compile({"type": group, **{word: node[word] for word in words & keywords}})
                checks.append(partial(_only_for, _PY_TYPES[group], typed))

        def all_of(value: Any) -> bool:
            return all(check(value) for check in checks)

        return all_of

    @staticmethod
    def _string(node: dict[str, Any]) -> Callable[[Any], bool]:
        low, high = node.get("minLength", 0), node.get("maxLength", float("inf"))
        search = _ecma(node["pattern"]).search if "pattern" in node else None
        allowed = (
            _one_of(node["enum"] if "enum" in node else [node["const"]])
            if {"enum", "const"} & set(node)
            else None
        )
        if allowed is None and search is None and not low and high == float("inf"):
            return _is_string

        def check(value: Any) -> bool:
            return (
                type(value) is str
                and low <= len(value) <= high
                and (search is None or search(value) is not None)
                and (allowed is None or allowed(value))
            )

        return check

    @staticmethod
    def _number(node: dict[str, Any]) -> Callable[[Any], bool]:
        kinds = _PY_TYPES[node["type"]]
        low, high = node.get("minimum", float("-inf")), node.get("maximum", float("inf"))
        allowed = (
            _one_of(node["enum"] if "enum" in node else [node["const"]])
            if {"enum", "const"} & set(node)
            else None
        )
        return lambda v: type(v) in kinds and low <= v <= high and (allowed is None or allowed(v))

    def _object(self, node: dict[str, Any]) -> Callable[[Any], bool]:
        required = tuple(node.get("required", ()))
        get = {key: self.compile(sub) for key, sub in node.get("properties", {}).items()}.get
        extra = node.get("additionalProperties", True)
        closed, other = extra is False, None if isinstance(extra, bool) else self.compile(extra)
        least = node.get("minProperties", 0)

        def check(value: Any) -> bool:
            if type(value) is not dict or len(value) < least:
                return False
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                sub = get(key)
                if sub is None:
                    if closed or (other is not None and not other(item)):
                        return False
                elif not sub(item):
                    return False
            return True

        if "propertyNames" not in node:
            return check
        names = self.compile(node["propertyNames"])
        return lambda value: check(value) and all(names(key) for key in value)

    def _array(self, node: dict[str, Any]) -> Callable[[Any], bool]:
        item = self.compile(node["items"]) if "items" in node else None
        low, high = node.get("minItems", 0), node.get("maxItems", float("inf"))

        def check(value: Any) -> bool:
            if type(value) is not list or not low <= len(value) <= high:
                return False
            if item is not None:
                for v in value:
                    if not item(v):
                        return False
            return True

        return check


def _is_string(value: Any) -> bool:
    return type(value) is str


def _only_for(kinds: tuple[type, ...], check: Callable[[Any], bool], value: Any) -> bool:
    return type(value) not in kinds or check(value)


def _one_of(allowed: list[Any]) -> Callable[[Any], bool]:
    if all(type(a) is str for a in allowed):
        names = frozenset(allowed)
        return lambda v: type(v) is str and v in names
    # JSON Schema tells true from 1, and 1.0 from neither: the value's type and its value must both match.
    pairs = [(type(a), a) for a in allowed]
    return lambda v: any(type(v) is t and v == a for t, a in pairs)
