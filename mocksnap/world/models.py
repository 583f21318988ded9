"""The world's entities. Plain dataclasses: the World owns them and only its commands change them."""

from __future__ import annotations

from dataclasses import dataclass, field

AGENT_ID_PREFIX = "wc:"
ACCOUNT_TYPES = ("trial", "biz", "entr", "prem", "enterprise")
AGENT_TYPES = ("webclient", "google", "skype")
AGENT_STATUSES = ("online", "pause", "offline")
DAYS_OF_WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass
class User:
    email: str
    name: str
    password: str
    account_type: str
    phone: str | None = None


@dataclass
class AccountTemplate:
    template_id: str
    account_type: str


@dataclass
class Agent:
    """A person (or later a bot) who chats; one record per organization, whatever widgets they staff."""

    agent_id: str
    status: str = "offline"
    sub_status: str | None = None


@dataclass
class WidgetAgent:
    """How an agent appears on one widget."""

    agent_id: str
    alias: str
    avatar: str
    agent_type: str


@dataclass
class ScheduleEntry:
    day_of_week: str
    enabled: bool
    schedule_list: list[str]


@dataclass
class ConversationSchedule:
    time_zone: str
    schedules: list[ScheduleEntry] = field(default_factory=list)


@dataclass
class Widget:
    uuid: str
    owner_email: str
    name: str | None
    destination_email: str | None
    agents: list[WidgetAgent]
    enable_proactive_chat: str = "true"
    enable_conversations: bool = True
    email_required: bool = False
    message_required: bool = False
    screenshot_required: bool = False
    conversation_schedule: ConversationSchedule | None = None


@dataclass
class Organization:
    org_id: str
    api_token: str
    provisioning_api_key: str
    visitor_api_key: str
    users: dict[str, User] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    account_templates: dict[str, AccountTemplate] = field(default_factory=dict)
