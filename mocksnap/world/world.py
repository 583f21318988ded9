"""The World: the one in-memory source of truth, its indexes, and the commands that are its only writers.

Every command checks everything before it changes anything, so a refused command leaves the world as it
was, and records what it changed as a DomainEvent stamped with the clock's time.
"""

from __future__ import annotations

import copy
import random
import uuid as uuidlib
from dataclasses import replace
from typing import Any

from mocksnap import schemas
from mocksnap.clock import Clock
from mocksnap.world import document, schedule
from mocksnap.world.errors import Invalid, NotFound
from mocksnap.world.events import EventLog
from mocksnap.world.models import (
    AGENT_ID_PREFIX,
    Agent,
    ConversationSchedule,
    Organization,
    User,
    Widget,
    WidgetAgent,
)

WIDGET_SETTINGS = (
    "name",
    "destination_email",
    "enable_proactive_chat",
    "enable_conversations",
    "conversation_schedule",
)


def normalize_agent_id(agent_id: str) -> str:
    """Agent ids are stored lowercase and without the `wc:` prefix that the APIs show."""
    agent_id = agent_id.strip().lower()
    while agent_id.startswith(AGENT_ID_PREFIX):
        agent_id = agent_id.removeprefix(AGENT_ID_PREFIX)
    return agent_id


class World:
    def __init__(self, document_: dict[str, Any], clock: Clock, seed: int = 0) -> None:
        """Build a world from a world document (raises document.DocumentError when it is not valid)."""
        self.clock = clock
        self.seed = seed
        self.events = EventLog()
        self._initial = copy.deepcopy(document_)
        self._install(document.build(document_))

    # -- whole-world commands -------------------------------------------------------------------------

    def _install(self, orgs: dict[str, Organization]) -> None:
        self.random = random.Random(self.seed)
        self.orgs = orgs
        self._by_provisioning_key = {o.provisioning_api_key: o for o in orgs.values()}
        self._by_visitor_key = {o.visitor_api_key: o for o in orgs.values()}
        self._by_api_token = {o.api_token: o for o in orgs.values()}
        self._widget_org = {w: o for o in orgs.values() for w in o.widgets}

    def replace(self, document_: Any) -> None:
        """Swap in another world document; the world is untouched when it is not valid."""
        self._install(document.build(document_))
        self.events.emit("world.replaced", self.clock.now(), None)

    def reset(self) -> None:
        """Back to the document the world was first built from, with the random source re-seeded."""
        self._install(document.build(self._initial))
        self.events.emit("world.reset", self.clock.now(), None)

    def dump(self) -> dict[str, Any]:
        return document.dump(self.orgs)

    # -- lookups --------------------------------------------------------------------------------------

    def org_by_provisioning_key(self, key: str | None) -> Organization | None:
        return self._by_provisioning_key.get(key) if key else None

    def org_by_visitor_key(self, key: str | None) -> Organization | None:
        return self._by_visitor_key.get(key) if key else None

    def org_by_api_token(self, token: str | None) -> Organization | None:
        return self._by_api_token.get(token) if token else None

    def widget(self, widget_id: str) -> tuple[Organization, Widget] | None:
        org = self._widget_org.get(widget_id)
        return None if org is None else (org, org.widgets[widget_id])

    def is_online(self, org: Organization, widget: Widget) -> bool:
        """Chat is available: conversations enabled, an agent online (not paused), inside the schedule now."""
        return (
            widget.enable_conversations
            and any(org.agents[a.agent_id].status == "online" for a in widget.agents)
            and schedule.is_open(widget.conversation_schedule, self.clock.now())
        )

    def user(self, org: Organization, email: str) -> User:
        found = org.users.get(email.strip().lower())
        if found is None:
            raise NotFound(f"no user with email {email.strip().lower()}")
        return found

    def owned_widget(self, org: Organization, widget_id: str, owner_email: str) -> Widget:
        """The widget, if it belongs to this organization and to the user with this email."""
        widget = org.widgets.get(widget_id)
        if widget is None or widget.owner_email != owner_email.strip().lower():
            raise NotFound(f"no widget {widget_id} for user {owner_email.strip().lower()}")
        return widget

    @staticmethod
    def _conform(definition: str, entry: dict[str, Any]) -> None:
        """What a command stores must hold to the world schema too (lowercasing can lengthen a string), so
        that the world can always be dumped and loaded again."""
        problem = schemas.first_error(f"world#/$defs/{definition}", entry)
        if problem is not None:
            raise Invalid(problem)

    # -- users ----------------------------------------------------------------------------------------

    def create_user(
        self,
        org: Organization,
        *,
        email: str,
        name: str,
        password: str,
        account_type: str | None = None,
        phone: str | None = None,
        template_id: str | None = None,
    ) -> User:
        email = email.strip().lower()
        if any(email in o.users for o in self.orgs.values()):
            raise Invalid(f"email {email} is already the email of a user")
        if template_id is not None:
            template = org.account_templates.get(template_id)
            if template is None:
                raise Invalid(f"templateId {template_id} is not an account template of this organization")
            account_type = template.account_type
        if account_type is None:
            raise Invalid("accountType is required")
        user = User(email=email, name=name, password=password, account_type=account_type, phone=phone)
        self._conform("user", document.user_to_doc(user))
        org.users[email] = user
        self.events.emit("user.created", self.clock.now(), org.org_id, email=email)
        return user

    def update_user(
        self,
        org: Organization,
        *,
        email: str,
        name: str,
        account_type: str | None = None,
        password: str | None = None,
        phone: str | None = None,
    ) -> User:
        current = self.user(org, email)
        updated = replace(
            current,
            name=name,
            account_type=account_type or current.account_type,
            password=password or current.password,
            phone=current.phone if phone is None else phone,
        )
        self._conform("user", document.user_to_doc(updated))
        org.users[current.email] = updated
        self.events.emit("user.updated", self.clock.now(), org.org_id, email=current.email)
        return updated

    def delete_user(self, org: Organization, email: str) -> None:
        user = self.user(org, email)
        owned = [w.uuid for w in org.widgets.values() if w.owner_email == user.email]
        if owned:
            raise Invalid(
                f"email {user.email} owns {len(owned)} widget(s) ({', '.join(owned)}); delete them first"
            )
        del org.users[user.email]
        self.events.emit("user.deleted", self.clock.now(), org.org_id, email=user.email)

    # -- widgets --------------------------------------------------------------------------------------

    def _check_widget(
        self, org: Organization, owner_email: str, agents: list[WidgetAgent], settings: dict[str, Any]
    ) -> tuple[list[WidgetAgent], dict[str, Any]]:
        """Everything a widget command must hold before it may change the world; agents and settings
        normalized."""
        if owner_email not in org.users:
            raise NotFound(f"no user with email {owner_email}")
        unknown = set(settings) - set(WIDGET_SETTINGS)
        if unknown:
            raise TypeError(f"unknown widget settings: {sorted(unknown)}")
        plan = settings.get("conversation_schedule")
        if isinstance(plan, ConversationSchedule):
            try:
                schedule.check(plan)
            except schedule.ScheduleError as error:
                raise Invalid(str(error)) from None
        normalized: list[WidgetAgent] = []
        for i, agent in enumerate(agents):
            agent_id = normalize_agent_id(agent.agent_id)
            if not agent_id:
                raise Invalid(f"agents[{i}].agentId must not be empty")
            if any(a.agent_id == agent_id for a in normalized):
                raise Invalid(f"agents[{i}].agentId {agent_id} is on this widget twice")
            normalized.append(replace(agent, agent_id=agent_id))
        if not normalized:
            raise Invalid("agents must have at least 1 item")
        if settings.get("destination_email"):
            settings = {**settings, "destination_email": settings["destination_email"].strip().lower()}
        return normalized, settings

    def _staff(self, org: Organization) -> None:
        """Give every agent on a widget a status record (offline when new) and forget agents on none."""
        on_widgets = {a.agent_id for w in org.widgets.values() for a in w.agents}
        for agent_id in on_widgets - org.agents.keys():
            org.agents[agent_id] = Agent(agent_id)
        for agent_id in org.agents.keys() - on_widgets:
            del org.agents[agent_id]

    def new_uuid(self) -> str:
        """A version 4 UUID from the world's seeded random source, so the same seed gives the same ids."""
        return str(uuidlib.UUID(int=self.random.getrandbits(128), version=4))

    def create_widget(
        self, org: Organization, *, owner_email: str, agents: list[WidgetAgent], **settings: Any
    ) -> Widget:
        owner_email = owner_email.strip().lower()
        agents, settings = self._check_widget(org, owner_email, agents, settings)
        widget_id = self.new_uuid()
        while widget_id in self._widget_org:
            widget_id = self.new_uuid()
        widget = Widget(
            uuid=widget_id,
            owner_email=owner_email,
            name=settings.get("name"),
            destination_email=settings.get("destination_email") or owner_email,
            agents=agents,
            enable_proactive_chat=settings.get("enable_proactive_chat", "true"),
            enable_conversations=settings.get("enable_conversations", True),
            conversation_schedule=settings.get("conversation_schedule"),
        )
        self._conform("widget", document.widget_to_doc(org, widget))
        org.widgets[widget_id] = widget
        self._widget_org[widget_id] = org
        self._staff(org)
        self.events.emit("widget.created", self.clock.now(), org.org_id, widgetId=widget_id)
        return widget

    def update_widget(
        self,
        org: Organization,
        widget_id: str,
        *,
        owner_email: str,
        agents: list[WidgetAgent],
        **settings: Any,
    ) -> Widget:
        """Replace the agents and the settings given; settings not given keep their value."""
        owner_email = owner_email.strip().lower()
        agents, settings = self._check_widget(org, owner_email, agents, settings)
        updated = replace(self.owned_widget(org, widget_id, owner_email), agents=agents, **settings)
        self._conform("widget", document.widget_to_doc(org, updated))
        org.widgets[widget_id] = updated
        self._staff(org)
        self.events.emit("widget.updated", self.clock.now(), org.org_id, widgetId=widget_id)
        return updated

    def delete_widget(self, org: Organization, widget_id: str, owner_email: str) -> None:
        widget = self.owned_widget(org, widget_id, owner_email)
        del org.widgets[widget.uuid]
        del self._widget_org[widget.uuid]
        self._staff(org)
        self.events.emit("widget.deleted", self.clock.now(), org.org_id, widgetId=widget.uuid)
