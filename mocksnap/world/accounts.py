"""Commands on accounts: users, widgets, and the agents that staff them."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from mocksnap.world import document, schedule
from mocksnap.world.base import WorldBase, normalize_agent_id
from mocksnap.world.errors import Invalid, NotFound
from mocksnap.world.models import Agent, ConversationSchedule, Organization, User, Widget, WidgetAgent

WIDGET_SETTINGS = (
    "name",
    "destination_email",
    "enable_proactive_chat",
    "enable_conversations",
    "conversation_schedule",
)


class AccountCommands(WorldBase):
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

    def create_widget(
        self, org: Organization, *, owner_email: str, agents: list[WidgetAgent], **settings: Any
    ) -> Widget:
        owner_email = owner_email.strip().lower()
        agents, settings = self._check_widget(org, owner_email, agents, settings)
        widget_id = self.new_uuid("widget")
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
        """Replace the human agents and the settings given; settings not given keep their value, and the
        widget's bots (set up in the world document, never through the Provisioning API) stay."""
        owner_email = owner_email.strip().lower()
        agents, settings = self._check_widget(org, owner_email, agents, settings)
        current = self.owned_widget(org, widget_id, owner_email)
        named = {a.agent_id for a in agents}
        bots = [a for a in current.agents if a.is_bot and a.agent_id not in named]
        updated = replace(current, agents=agents + bots, **settings)
        self._conform("widget", document.widget_to_doc(org, updated))
        org.widgets[widget_id] = updated
        self._staff(org)
        self.events.emit("widget.updated", self.clock.now(), org.org_id, widgetId=widget_id)
        return updated

    def delete_widget(self, org: Organization, widget_id: str, owner_email: str) -> None:
        widget = self.owned_widget(org, widget_id, owner_email)
        chatting = sum(case.widget_id == widget.uuid for case in self.open_chats.values())
        if chatting:
            raise Invalid(
                f"uuid {widget.uuid} has {chatting} chat(s) under way; delete it once they have ended"
            )
        del org.widgets[widget.uuid]
        del self._widget_org[widget.uuid]
        self._staff(org)
        self.events.emit("widget.deleted", self.clock.now(), org.org_id, widgetId=widget.uuid)

    # -- agents ---------------------------------------------------------------------------------------

    def set_agent_status(
        self, org: Organization, agent_id: str, status: str, sub_status: str | None = None
    ) -> Agent:
        """An agent's status across the organization (online, pause or offline) and an optional sub_status."""
        agent = org.agents.get(normalize_agent_id(agent_id))
        if agent is None:
            raise Invalid(
                f"agent_id {normalize_agent_id(agent_id)} is not an agent of organization {org.org_id}"
            )
        if status not in ("online", "pause", "offline"):
            raise Invalid("status must be one of: online, pause, offline")
        previous = agent.status
        agent.status, agent.sub_status = status, sub_status or None
        self.events.emit(
            "agent.status_changed",
            self.clock.now(),
            org.org_id,
            agentId=agent.agent_id,
            status=status,
            subStatus=agent.sub_status,
            previous=previous,
        )
        return agent

    def put_widget_agent(self, org: Organization, widget_id: str, entry: dict[str, Any]) -> WidgetAgent:
        """Add an agent (a bot included) to a widget, or replace the one with that agentId, from an agent
        entry of the world document; a status in it becomes the agent's status across the organization."""
        widget = org.widgets.get(widget_id)
        if widget is None:
            raise NotFound(f"no widget {widget_id}")
        self._conform("agent", entry)
        member, status = document.agent_from_doc(entry)
        agents = [a for a in widget.agents if a.agent_id != member.agent_id]
        at = next((i for i, a in enumerate(widget.agents) if a.agent_id == member.agent_id), len(agents))
        agents.insert(at, member)
        widget.agents = agents
        self._staff(org)
        self.events.emit("widget.updated", self.clock.now(), org.org_id, widgetId=widget_id)
        if "status" in entry or "subStatus" in entry:
            self.set_agent_status(org, member.agent_id, status.status, status.sub_status)
        return member

    def remove_widget_agent(self, org: Organization, widget_id: str, agent_id: str) -> None:
        """Take an agent off a widget; refused for the widget's last agent and while they have chats there."""
        widget = org.widgets.get(widget_id)
        if widget is None:
            raise NotFound(f"no widget {widget_id}")
        agent_id = normalize_agent_id(agent_id)
        if all(a.agent_id != agent_id for a in widget.agents):
            raise NotFound(f"no agent {agent_id} on widget {widget_id}")
        if len(widget.agents) == 1:
            raise Invalid(f"{agent_id} is the last agent of widget {widget_id}")
        chatting = sum(c.widget_id == widget_id and c.agent_id == agent_id for c in self.open_chats.values())
        if chatting:
            raise Invalid(f"{agent_id} has {chatting} chat(s) under way on widget {widget_id}")
        widget.agents = [a for a in widget.agents if a.agent_id != agent_id]
        self._staff(org)
        self.events.emit("widget.updated", self.clock.now(), org.org_id, widgetId=widget_id)

    # -- outbound subscriptions -----------------------------------------------------------------------

    def _set_widget_setting(
        self, org: Organization, widget_id: str, name: str, definition: str, value: Any
    ) -> Widget:
        """Replace one of the widget's settings that the world document holds as they are: the Widget's
        attribute `name`, checked against the world schema's `definition`."""
        widget = org.widgets.get(widget_id)
        if widget is None:
            raise NotFound(f"no widget {widget_id}")
        self._conform(definition, value)
        setattr(widget, name, copy.deepcopy(value))
        self.events.emit(f"widget.{name}_changed", self.clock.now(), org.org_id, widgetId=widget_id)
        return widget

    def set_integrations(self, org: Organization, widget_id: str, integrations: dict[str, Any]) -> Widget:
        """Replace the widget's outbound subscriptions: integrationApi, conversationEvents, getContact."""
        return self._set_widget_setting(org, widget_id, "integrations", "integrations", integrations)

    def set_agent_links(self, org: Organization, widget_id: str, links: list[dict[str, Any]]) -> Widget:
        """Replace the widget's agent links [{url, persistent}]; the persistent ones are Hub SDK apps."""
        return self._set_widget_setting(org, widget_id, "agent_links", "agentLinks", links)

    def set_agent_status_webhook(self, org: Organization, webhook: dict[str, Any] | None) -> Organization:
        """Where the organization's agent status changes are POSTed; None stops them."""
        if webhook is not None:
            self._conform("agentStatusWebhook", webhook)
        org.agent_status_webhook = copy.deepcopy(webhook)
        self.events.emit("organization.agent_status_webhook_changed", self.clock.now(), org.org_id)
        return org
