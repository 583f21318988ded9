"""World documents: the YAML or JSON form of a world, read, checked, built into models, and dumped back.

dump(build(doc)) is the canonical form of doc: every default written out, keys in one order, so that
load -> dump -> load gives the same document. An organization's cases, if any, come last in it (cases_doc.py).
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from mocksnap import schemas
from mocksnap.schemas import SchemaError
from mocksnap.world import cases_doc, schedule
from mocksnap.world.models import (
    AccountTemplate,
    Agent,
    Case,
    ConversationSchedule,
    Organization,
    ScheduleEntry,
    User,
    Widget,
    WidgetAgent,
)

SCHEMA = "world"
# fixtures/ of the repository, installed with the package: the bundled worlds, and profiles/.
BUNDLED = "mocksnap.data.fixtures"


class DocumentError(ValueError):
    """A world document that cannot be loaded; carries every error found, as schema errors."""

    def __init__(self, errors: list[SchemaError]) -> None:
        self.errors = errors
        super().__init__(
            "invalid world document: " + "; ".join(f"{e.path or '/'}: {e.message}" for e in errors)
        )


# What YAML's aliases (and merge keys, which are aliases too) may add to a document once expanded, in nodes:
# room for any sharing a person writes, not for a few hundred bytes that expand to billions of nodes and
# hold the server for seconds and gigabytes while they are checked.
ALIAS_EXPANSION = 100_000


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, except that a time stays the string it is written as (the world schema asks for
    strings, as JSON has them), rather than becoming a datetime, and that a document whose aliases expand
    it by more than ALIAS_EXPANSION nodes, or that contains itself, is refused before it is built. (Not
    libyaml's: its parser overflows the C stack on a deeply nested document, where this one raises
    RecursionError.)"""

    def compose_document(self) -> yaml.Node:
        root = super().compose_document()
        _check_expansion(root)
        return root


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _check_expansion(root: yaml.Node) -> None:
    """Raise DocumentError when the node graph, its aliases expanded, is a cycle or too big (see
    ALIAS_EXPANSION). Each node is looked at once, so this takes time in the size of the text."""
    expanded: dict[int, int] = {}  # by node: its size in nodes, aliases expanded
    path: set[int] = set()  # the nodes between the root and the one looked at
    todo: list[tuple[yaml.Node, bool]] = [(root, False)]
    while todo:
        node, children_done = todo.pop()
        key = id(node)
        if children_done:
            path.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
        elif key in path:
            raise DocumentError(
                [SchemaError("", "an alias of the document refers to a node that contains it")]
            )
        elif key not in expanded:
            path.add(key)
            todo.append((node, True))
            todo.extend((child, False) for child in _children(node))
    if expanded[id(root)] > len(expanded) + ALIAS_EXPANSION:
        raise DocumentError(
            [
                SchemaError(
                    "",
                    f"the document's aliases expand it by more than {ALIAS_EXPANSION} nodes "
                    f"({len(expanded)} written, {expanded[id(root)]} expanded)",
                )
            ]
        )


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse(text: str, *, json_only: bool = False) -> Any:
    """JSON, or YAML (a superset of JSON) unless json_only."""
    try:
        return json.loads(text) if json_only else _load_yaml(text)
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError([SchemaError("", "the document is nested too deeply")]) from None
    except (ValueError, yaml.YAMLError) as error:
        raise DocumentError(
            [SchemaError("", f"not a valid {'JSON' if json_only else 'YAML or JSON'} document: {error}")]
        ) from None


# -- YAML with JSON lines ---------------------------------------------------------------------------------
#
# Python reads YAML slowly (a world of 10,000 chats, 19 MB, takes a minute; a quarter of that with libyaml),
# and JSON fast. So to_yaml writes each case as one line of JSON, a flow mapping that YAML reads as it reads
# any other (`- {"caseId": "...", ...}`), and parse reads such lines with the json module, when they are
# exactly what to_yaml would write for what they hold: then YAML would read the same. The rest of the text
# is read as YAML, each of those lines replaced by a marker that the value read from it then takes the place
# of; should a marker not come back as a whole item (the line was inside a text, say), the whole text is
# read as YAML instead.

_MARK = "__mocksnap_json_line_"
_JSON_LINE = re.compile(r"^( *)- (\{.*\})$", re.MULTILINE)
_MARKED_LINE = re.compile(rf"^( *)- ({_MARK}[0-9]+__)$", re.MULTILINE)
# Characters YAML does not allow in a text, or reads as line breaks; JSON writes them as they are.
_NOT_FOR_YAML = re.compile("[\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff]")
# A key that YAML does not read as one: it has at most 1024 characters. Only a text with a run of that
# many characters without a quote, or with an escaped quote, may hold one.
_LONG_KEY = re.compile(r'"(?:[^"\\]|\\.){1000,}": ')
_MAYBE_LONG_KEY = re.compile(r'[^"]{1000}|\\"')
# How YAML 1.1 writes a float (1e-05 is a string to it); JSON writes 1e-05 too.
_YAML_FLOAT = next(
    regexp for tag, regexp in _Loader.yaml_implicit_resolvers["1"] if tag == "tag:yaml.org,2002:float"
)


def _yaml_float(token: str) -> float:
    if not _YAML_FLOAT.match(token):
        raise ValueError(f"YAML reads {token} as a string")
    return float(token)


def _from_json_line(text: str) -> Any:
    """The value of a line of JSON, if it is as json_line writes it (then YAML reads it the same); raises
    ValueError otherwise."""
    value = _yaml_reads_as_json(text)
    if json.dumps(value, ensure_ascii=False, allow_nan=False) != text:
        raise ValueError("not a line json_line writes")
    return value


def _yaml_reads_as_json(text: str) -> Any:
    value = json.loads(text, parse_float=_yaml_float)
    if _NOT_FOR_YAML.search(text) or (_MAYBE_LONG_KEY.search(text) and _LONG_KEY.search(text)):
        raise ValueError("YAML does not read this line as JSON does")
    return value


def json_line(value: Any) -> str | None:
    """`value` as one line of JSON that YAML reads as the same value; None when there is no such line."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        return text if _yaml_reads_as_json(text) == value else None  # e.g. a key that is not a string
    except (TypeError, ValueError):
        return None


def _load_yaml(text: str) -> Any:
    if _MARK in text:
        return yaml.load(text, Loader=_Loader)
    found: dict[str, Any] = {}

    def mark(line: re.Match[str]) -> str:
        try:
            value = _from_json_line(line[2])
        except ValueError:
            return line[0]
        key = f"{_MARK}{len(found)}__"
        found[key] = value
        return f"{line[1]}- {key}"

    lighter = _JSON_LINE.sub(mark, text)
    if not found:
        return yaml.load(text, Loader=_Loader)
    try:
        data = yaml.load(lighter, Loader=_Loader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=_Loader)  # for the error as the text has it
    _put_back(data, found)
    if found:  # a marker that did not come back as an item of a list
        return yaml.load(text, Loader=_Loader)
    return data


def _put_back(data: Any, found: dict[str, Any]) -> None:
    """Put the values read as JSON in place of their markers (items of lists), taking them out of `found`."""
    seen: set[int] = set()  # YAML's aliases make a graph of the document, with cycles even
    todo = [data]
    while todo:
        item = todo.pop()
        if not isinstance(item, (dict, list)) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            todo.extend(item.values())
            continue
        for i, value in enumerate(item):
            if type(value) is str and value in found:
                item[i] = found.pop(value)
                seen.add(id(item[i]))  # read from JSON: no marker in it
            else:
                todo.append(value)


def to_yaml(document: dict[str, Any]) -> str:
    """The document as YAML; each case of an organization on a line of its own, as JSON (see above)."""
    lines: dict[str, str] = {}
    organizations = document.get("organizations") if isinstance(document, dict) else None
    if isinstance(organizations, list):
        marked = []
        for org in organizations:
            if isinstance(org, dict) and isinstance(org.get("cases"), list):
                org = {**org, "cases": [_marked(case, lines) for case in org["cases"]]}
            marked.append(org)
    if not lines:
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    text = yaml.safe_dump({**document, "organizations": marked}, sort_keys=False, allow_unicode=True)
    text, count = _MARKED_LINE.subn(lambda line: f"{line[1]}- {lines[line[2]]}", text)
    if count != len(lines) or text.count(_MARK):  # a text of the document's own holds the marker
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    return text


def _marked(value: Any, lines: dict[str, str]) -> Any:
    line = json_line(value)
    if line is None:
        return value
    key = f"{_MARK}{len(lines)}__"
    lines[key] = line
    return key


def bundled(name: str) -> Path:
    """A file of the bundled fixtures/ (a world `NAME.yaml`, or `profiles/NAME.yaml`)."""
    return Path(str(resources.files(BUNDLED) / name))


def bundled_worlds() -> list[str]:
    return sorted(path.stem for path in bundled("").glob("*.yaml"))


def locate(given: Path | None) -> Path:
    """The world document to read: the bundled default world for None, a bundled world for its name (`retail`,
    so that an installed mocksnap serves them without a fixtures/ folder), or else the file given."""
    if given is None:
        return bundled("default.yaml")
    if not given.suffix and given.parent == Path() and not given.exists() and str(given) in bundled_worlds():
        return bundled(f"{given}.yaml")
    return given


def decode(raw: bytes) -> str:
    """A document's bytes as text: UTF-8, or a DocumentError."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError([SchemaError("", f"the document is not valid UTF-8: {error}")]) from None


def read(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError([SchemaError("", f"cannot read {path}: {error}")]) from None
    return parse(decode(raw), json_only=path.suffix == ".json")


def schedule_from_doc(doc: dict[str, Any]) -> ConversationSchedule:
    return ConversationSchedule(
        time_zone=doc["timeZone"],
        schedules=[
            ScheduleEntry(e["dayOfWeek"], e["enabled"], list(e["scheduleList"])) for e in doc["schedules"]
        ],
    )


def schedule_to_doc(value: ConversationSchedule) -> dict[str, Any]:
    return {
        "timeZone": value.time_zone,
        "schedules": [
            {"dayOfWeek": e.day_of_week, "enabled": e.enabled, "scheduleList": list(e.schedule_list)}
            for e in value.schedules
        ],
    }


def build(document: Any) -> dict[str, Organization]:
    """The organizations of a world document (checked as build_world does)."""
    return build_world(document)[0]


def _schema_errors(document: Any) -> list[SchemaError]:
    """Every error of the document against the world schema, as jsonschema gives them; the cases, many
    thousands in a big world, go through cases_doc's fast check first, and jsonschema sees only those it
    refuses (in their places, so that the paths and the order of the errors are those of the whole)."""
    orgs = document.get("organizations") if isinstance(document, dict) else None
    if not isinstance(orgs, list):
        return schemas.errors(SCHEMA, document)
    lighter = [
        {**org, "cases": cases_doc.stand_ins(org["cases"])}
        if isinstance(org, dict) and isinstance(org.get("cases"), list) and org["cases"]
        else org
        for org in orgs
    ]
    return schemas.errors(SCHEMA, {**document, "organizations": lighter})


def build_world(document: Any) -> tuple[dict[str, Organization], list[Case]]:
    """Check a document against schemas/world.schema.json and the rules a schema cannot state; build its
    organizations, and its cases in document order. Raises DocumentError with every mistake found."""
    found = _schema_errors(document)
    builder = _Builder(lenient=bool(found))
    if found:
        # The rules a schema cannot state are checked too, as far as the document's shape lets them be, so
        # that one answer lists every mistake (a misspelt key does not hide a bad time zone): a part whose
        # shape is wrong is skipped, its schema errors already said.
        organizations = document.get("organizations") if isinstance(document, dict) else None
        for o, org_doc in enumerate(organizations if isinstance(organizations, list) else ()):
            with builder.shape():
                builder.org(org_doc, f"/organizations/{o}")
        raise DocumentError(found + [p for p in builder.problems if p not in found])
    for o, org_doc in enumerate(document["organizations"]):
        builder.org(org_doc, f"/organizations/{o}")
    cases = cases_doc.build_cases(document, builder.in_order, builder.problem)
    if builder.problems:
        raise DocumentError(builder.problems)
    return builder.orgs, cases


# What reading a part of a document of the wrong shape raises (a list where a mapping goes, a key missing).
SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


class _Builder:
    """Builds organizations from their documents, noting each rule a schema cannot state that they break.
    Lenient, it skips a part of the wrong shape (only for a document that broke its schema, so that a bug
    cannot hide behind it)."""

    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient
        self.problems: list[SchemaError] = []
        self.orgs: dict[str, Organization] = {}
        self.in_order: list[Organization] = []
        self.seen_credentials: dict[tuple[str, str], str] = {}
        self.seen_emails: set[str] = set()
        self.seen_widgets: set[str] = set()

    def shape(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.suppress(*SHAPE_ERRORS) if self.lenient else contextlib.nullcontext()

    def problem(self, path: str, message: str) -> None:
        self.problems.append(SchemaError(path, message))

    def org(self, org_doc: dict[str, Any], at: str) -> None:
        problem = self.problem
        org = Organization(
            org_id=org_doc["orgId"],
            api_token=org_doc["apiToken"],
            provisioning_api_key=org_doc["provisioningApiKey"],
            visitor_api_key=org_doc["visitorApiKey"],
            agent_status_webhook=copy.deepcopy(org_doc.get("agentStatusWebhook")),
        )
        if org.org_id in self.orgs:
            problem(f"{at}/orgId", f"orgId {org.org_id} is used by another organization")
        for key in ("apiToken", "provisioningApiKey", "visitorApiKey"):
            if (key, org_doc[key]) in self.seen_credentials:
                problem(
                    f"{at}/{key}",
                    f"{key} is used by organization {self.seen_credentials[key, org_doc[key]]} too",
                )
            self.seen_credentials[key, org_doc[key]] = org.org_id
        for t, template in enumerate(org_doc.get("accountTemplates", [])):
            with self.shape():
                if template["templateId"] in org.account_templates:
                    problem(f"{at}/accountTemplates/{t}/templateId", "templateId is used twice")
                org.account_templates[template["templateId"]] = AccountTemplate(
                    template["templateId"], template["accountType"]
                )
        for u, user_doc in enumerate(org_doc.get("users", [])):
            with self.shape():
                self.user(org, user_doc, f"{at}/users/{u}")
        for w, widget_doc in enumerate(org_doc.get("widgets", [])):
            with self.shape():
                self.widget(org, widget_doc, f"{at}/widgets/{w}")
        self.orgs.setdefault(org.org_id, org)
        self.in_order.append(org)

    def user(self, org: Organization, user_doc: dict[str, Any], at: str) -> None:
        email = user_doc["email"].lower()
        if email != user_doc["email"]:
            self.problem(f"{at}/email", "email must be lowercase")
        if email in self.seen_emails:
            self.problem(f"{at}/email", f"{email} is the email of another user")
        self.seen_emails.add(email)
        org.users[email] = User(
            email=email,
            name=user_doc["name"],
            password=user_doc["password"],
            account_type=user_doc["accountType"],
            phone=user_doc.get("phone"),
        )

    def widget(self, org: Organization, widget_doc: dict[str, Any], wat: str) -> None:
        problem = self.problem
        if widget_doc["uuid"] in self.seen_widgets:
            problem(f"{wat}/uuid", f"uuid {widget_doc['uuid']} is used by another widget")
        self.seen_widgets.add(widget_doc["uuid"])
        if widget_doc.get("email") not in org.users:
            problem(f"{wat}/email", f"{widget_doc.get('email')} is not a user of organization {org.org_id}")
        widget = Widget(
            uuid=widget_doc["uuid"],
            owner_email=widget_doc.get("email"),
            name=widget_doc.get("name"),
            destination_email=widget_doc.get("destinationEmail"),
            agents=[],
            enable_proactive_chat=widget_doc.get("enableProactiveChat", "true"),
            enable_conversations=widget_doc.get("enableConversations", True),
            email_required=widget_doc.get("emailRequired", False),
            message_required=widget_doc.get("messageRequired", False),
            screenshot_required=widget_doc.get("screenshotRequired", False),
            integrations=copy.deepcopy(widget_doc.get("integrations", {})),
            agent_links=copy.deepcopy(widget_doc.get("agentLinks", [])),
            identity_secret=widget_doc.get("visitorIdentityVerification", {}).get("secret"),
        )
        if "conversationSchedule" in widget_doc:
            with self.shape():
                widget.conversation_schedule = schedule_from_doc(widget_doc["conversationSchedule"])
                try:
                    schedule.check(widget.conversation_schedule)
                except schedule.ScheduleError as error:
                    problem(f"{wat}/conversationSchedule", str(error))
        for a, agent_doc in enumerate(widget_doc.get("agents", ())):
            with self.shape():
                agent_id = agent_doc["agentId"]
                if any(existing.agent_id == agent_id for existing in widget.agents):
                    problem(f"{wat}/agents/{a}/agentId", f"agent {agent_id} is on this widget twice")
                member, agent = agent_from_doc(agent_doc)
                widget.agents.append(member)
                known = org.agents.setdefault(agent_id, agent)
                if (known.status, known.sub_status) != (agent.status, agent.sub_status):
                    problem(
                        f"{wat}/agents/{a}",
                        f"agent {agent_id} has another status or subStatus on another widget; "
                        "an agent has one status across the organization",
                    )
        org.widgets[widget.uuid] = widget


def _without_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


def dump(orgs: dict[str, Organization], cases: Iterable[Case] = ()) -> dict[str, Any]:
    """The canonical world document of the given organizations and their cases."""
    by_org: dict[str, list[Case]] = {}
    for case in cases:
        by_org.setdefault(case.org_id, []).append(case)
    return {"organizations": [_dump_org(org, by_org.get(org.org_id, ())) for org in orgs.values()]}


def _dump_org(org: Organization, cases: Iterable[Case] = ()) -> dict[str, Any]:
    dumped = cases_doc.dump_cases(cases)
    return {
        "orgId": org.org_id,
        "apiToken": org.api_token,
        "provisioningApiKey": org.provisioning_api_key,
        "visitorApiKey": org.visitor_api_key,
        **(
            {"agentStatusWebhook": copy.deepcopy(org.agent_status_webhook)}
            if org.agent_status_webhook
            else {}
        ),
        "accountTemplates": [
            {"templateId": t.template_id, "accountType": t.account_type}
            for t in org.account_templates.values()
        ],
        "users": [user_to_doc(u) for u in org.users.values()],
        "widgets": [widget_to_doc(org, w) for w in org.widgets.values()],
        **({"cases": dumped} if dumped else {}),
    }


def user_to_doc(user: User) -> dict[str, Any]:
    return _without_none(
        {
            "email": user.email,
            "name": user.name,
            "password": user.password,
            "phone": user.phone,
            "accountType": user.account_type,
        }
    )


def widget_to_doc(org: Organization, widget: Widget) -> dict[str, Any]:
    """The widget's entry in the world document."""
    schedule_doc = schedule_to_doc(widget.conversation_schedule) if widget.conversation_schedule else None
    return _without_none(
        {
            "uuid": widget.uuid,
            "name": widget.name,
            "email": widget.owner_email,
            "destinationEmail": widget.destination_email,
            "enableProactiveChat": widget.enable_proactive_chat,
            "enableConversations": widget.enable_conversations,
            "emailRequired": widget.email_required,
            "messageRequired": widget.message_required,
            "screenshotRequired": widget.screenshot_required,
            "conversationSchedule": schedule_doc,
            "integrations": copy.deepcopy(widget.integrations) or None,
            "agentLinks": copy.deepcopy(widget.agent_links) or None,
            "visitorIdentityVerification": (
                {"secret": widget.identity_secret} if widget.identity_secret else None
            ),
            "agents": [agent_to_doc(org, a) for a in widget.agents],
        }
    )


def agent_from_doc(doc: dict[str, Any]) -> tuple[WidgetAgent, Agent]:
    """A widget's agent entry of a world document: how the agent appears on the widget, and their status."""
    member = WidgetAgent(
        doc["agentId"],
        doc["agentAlias"],
        doc["agentAvatar"],
        doc["agentType"],
        tuple(doc.get("tags", ())),
        copy.deepcopy(doc.get("bot")),
    )
    return member, Agent(doc["agentId"], doc.get("status", "offline"), doc.get("subStatus"))


def agent_to_doc(org: Organization, member: WidgetAgent) -> dict[str, Any]:
    """The agent's entry on a widget; an agent new to the organization shows as offline."""
    status = org.agents.get(member.agent_id, Agent(member.agent_id))
    return _without_none(
        {
            "agentId": member.agent_id,
            "agentAlias": member.alias,
            "agentAvatar": member.avatar,
            "agentType": member.agent_type,
            "tags": list(member.tags) or None,
            "bot": copy.deepcopy(member.bot),
            "status": status.status,
            "subStatus": status.sub_status,
        }
    )
