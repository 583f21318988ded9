"""World documents: the YAML or JSON form of a world, read, checked, built into models, and dumped back.

dump(build(doc)) is the canonical form of doc: every default written out, keys in one order, so that
load -> dump -> load gives the same document.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from mocksnap import schemas
from mocksnap.schemas import SchemaError
from mocksnap.world import schedule
from mocksnap.world.models import (
    AccountTemplate,
    Agent,
    ConversationSchedule,
    Organization,
    ScheduleEntry,
    User,
    Widget,
    WidgetAgent,
)

SCHEMA = "world"


class DocumentError(ValueError):
    """A world document that cannot be loaded; carries every error found, as schema errors."""

    def __init__(self, errors: list[SchemaError]) -> None:
        self.errors = errors
        super().__init__(
            "invalid world document: " + "; ".join(f"{e.path or '/'}: {e.message}" for e in errors)
        )


def parse(text: str, *, json_only: bool = False) -> Any:
    """JSON, or YAML (a superset of JSON) unless json_only."""
    try:
        return json.loads(text) if json_only else yaml.safe_load(text)
    except RecursionError:
        raise DocumentError([SchemaError("", "the document is nested too deeply")]) from None
    except (ValueError, yaml.YAMLError) as error:
        raise DocumentError(
            [SchemaError("", f"not a valid {'JSON' if json_only else 'YAML or JSON'} document: {error}")]
        ) from None


def read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError([SchemaError("", f"cannot read {path}: {error}")]) from None
    return parse(text, json_only=path.suffix == ".json")


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
    """Check a document against schemas/world.schema.json and the rules a schema cannot state; build it."""
    found = schemas.errors(SCHEMA, document)
    if found:
        raise DocumentError(found)
    problems: list[SchemaError] = []
    orgs: dict[str, Organization] = {}
    seen_credentials: dict[tuple[str, str], str] = {}
    seen_emails: set[str] = set()
    seen_widgets: set[str] = set()

    def problem(path: str, message: str) -> None:
        problems.append(SchemaError(path, message))

    for o, org_doc in enumerate(document["organizations"]):
        at = f"/organizations/{o}"
        org = Organization(
            org_id=org_doc["orgId"],
            api_token=org_doc["apiToken"],
            provisioning_api_key=org_doc["provisioningApiKey"],
            visitor_api_key=org_doc["visitorApiKey"],
            agent_status_webhook=copy.deepcopy(org_doc.get("agentStatusWebhook")),
        )
        if org.org_id in orgs:
            problem(f"{at}/orgId", f"orgId {org.org_id} is used by another organization")
        for key in ("apiToken", "provisioningApiKey", "visitorApiKey"):
            if (key, org_doc[key]) in seen_credentials:
                problem(
                    f"{at}/{key}", f"{key} is used by organization {seen_credentials[key, org_doc[key]]} too"
                )
            seen_credentials[key, org_doc[key]] = org.org_id
        for t, template in enumerate(org_doc.get("accountTemplates", [])):
            if template["templateId"] in org.account_templates:
                problem(f"{at}/accountTemplates/{t}/templateId", "templateId is used twice")
            org.account_templates[template["templateId"]] = AccountTemplate(
                template["templateId"], template["accountType"]
            )
        for u, user_doc in enumerate(org_doc.get("users", [])):
            email = user_doc["email"].lower()
            if email != user_doc["email"]:
                problem(f"{at}/users/{u}/email", "email must be lowercase")
            if email in seen_emails:
                problem(f"{at}/users/{u}/email", f"{email} is the email of another user")
            seen_emails.add(email)
            org.users[email] = User(
                email=email,
                name=user_doc["name"],
                password=user_doc["password"],
                account_type=user_doc["accountType"],
                phone=user_doc.get("phone"),
            )
        for w, widget_doc in enumerate(org_doc.get("widgets", [])):
            wat = f"{at}/widgets/{w}"
            if widget_doc["uuid"] in seen_widgets:
                problem(f"{wat}/uuid", f"uuid {widget_doc['uuid']} is used by another widget")
            seen_widgets.add(widget_doc["uuid"])
            if widget_doc["email"] not in org.users:
                problem(f"{wat}/email", f"{widget_doc['email']} is not a user of organization {org.org_id}")
            widget = Widget(
                uuid=widget_doc["uuid"],
                owner_email=widget_doc["email"],
                name=widget_doc.get("name"),
                destination_email=widget_doc.get("destinationEmail"),
                agents=[],
                enable_proactive_chat=widget_doc.get("enableProactiveChat", "true"),
                enable_conversations=widget_doc.get("enableConversations", True),
                email_required=widget_doc.get("emailRequired", False),
                message_required=widget_doc.get("messageRequired", False),
                screenshot_required=widget_doc.get("screenshotRequired", False),
                integrations=copy.deepcopy(widget_doc.get("integrations", {})),
                identity_secret=widget_doc.get("visitorIdentityVerification", {}).get("secret"),
            )
            if "conversationSchedule" in widget_doc:
                widget.conversation_schedule = schedule_from_doc(widget_doc["conversationSchedule"])
                try:
                    schedule.check(widget.conversation_schedule)
                except schedule.ScheduleError as error:
                    problem(f"{wat}/conversationSchedule", str(error))
            for a, agent_doc in enumerate(widget_doc["agents"]):
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
        orgs.setdefault(org.org_id, org)
    if problems:
        raise DocumentError(problems)
    return orgs


def _without_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


def dump(orgs: dict[str, Organization]) -> dict[str, Any]:
    """The canonical world document of the given organizations."""
    return {"organizations": [_dump_org(org) for org in orgs.values()]}


def _dump_org(org: Organization) -> dict[str, Any]:
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


def to_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
