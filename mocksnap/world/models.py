"""The world's entities. Plain dataclasses: the World owns them and only its commands change them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AGENT_ID_PREFIX = "wc:"
ACCOUNT_TYPES = ("trial", "biz", "entr", "prem", "enterprise")
AGENT_TYPES = ("webclient", "google", "skype", "bot")
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
    """How an agent appears on one widget; a bot (agent_type "bot") also has the webhook it is reached at."""

    agent_id: str
    alias: str
    avatar: str
    agent_type: str
    tags: tuple[str, ...] = ()
    bot: dict[str, Any] | None = None  # {url, authToken}, as in the world document

    @property
    def is_bot(self) -> bool:
        return self.agent_type == "bot"


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
    identity_secret: str | None = None  # Visitor Identity Verification: the key of the visitors' HMACs
    # Where the vendor calls out for this widget, as in the world document (integrationApi,
    # conversationEvents, getContact), checked against the world schema.
    integrations: dict[str, Any] = field(default_factory=dict)
    # Agent links [{url, persistent}], as in the world document: the Hub opens the persistent ones beside
    # the agent's chats, as Hub SDK apps.
    agent_links: list[dict[str, Any]] = field(default_factory=list)


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
    agent_status_webhook: dict[str, Any] | None = None  # {url, authToken}, as in the world document
    # Banned visitors: "email:<address>" or "ip:<address>" -> until when (epoch ms), None for good.
    bans: dict[str, int | None] = field(default_factory=dict)


# -- cases ----------------------------------------------------------------------------------------------

# NOTE lines are for the agent only (a Get Contact answer): no visitor poll nor transcript shows them.
SENDERS = ("VISITOR", "AGENT", "BOT", "SYSTEM", "NOTE")
ENDED_BY = ("visitor", "agent", "timed_out", "no_agents_found")
SOURCE_OFFLINE, SOURCE_CHAT, SOURCE_PROACTIVE = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Route:
    """Who may take a queued chat a bot handed on: humans only, or only the agents with one of the tags."""

    humans_only: bool = False
    tags: tuple[str, ...] = ()
    exclude: str | None = None  # the agent who handed it on, who does not get it back


@dataclass(slots=True)
class Entry:
    """One line of a case's log: a message, or a system line the visitor's poll shows (/NIC, /CAL ...).

    Its position in the case's entries is its poll `index`; the transcripts of the Logs and Integration APIs
    are the entries that are not SYSTEM lines.
    """

    sender: str  # VISITOR, AGENT, BOT or SYSTEM
    agent_id: str  # "" for the visitor and for system lines of no agent
    alias: str
    at_ms: int
    message: str
    translations: dict[str, str] | None = None
    # What a bot showed with the line: {"displayResponses": [{text, id?}]} or {"cards": {layout, cards}}.
    attachment: dict[str, Any] | None = None


@dataclass(slots=True)
class Visitor:
    """Who started the case and from where: everything the Logs and Integration APIs report about them."""

    email: str | None = None
    name: str | None = None
    phone: str | None = None
    user_agent: str | None = None
    locale: str | None = None
    app_version_name: str | None = None
    ip_address: str | None = None
    page_url: str | None = None
    referrer_url: str | None = None
    entry_url: str | None = None
    country_code: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    javascript_variables: list[tuple[str, str]] | None = None
    hmac: str | None = None  # what the visitor's site signed their email with, for identity verification
    # What the vendor's contact enrichment knows of them beyond name, email and phone: the Integration API
    # sample's other requester_details fields, by their wire names (social_profile_links in the Logs API
    # sample's "network,handle,id,url" form).
    details: dict[str, Any] | None = None


@dataclass(slots=True)
class Case:
    case_id: str
    org_id: str
    widget_id: str
    kind: str  # "chat" or "offline"
    source_id: int
    created_ms: int
    visitor: Visitor
    description: str
    state: str  # queued, assigned, closed
    entries: list[Entry] = field(default_factory=list)
    agent_id: str | None = None
    accepted_ms: int | None = None
    responded_ms: int | None = None
    closed_ms: int | None = None
    last_activity_ms: int = 0
    ended_by: str | None = None
    labels: list[tuple[str, str]] | None = None
    operator_variables: list[tuple[str, str]] | None = None
    survey_score: int | None = None
    survey_comments: str | None = None
    visitor_transcript_email: str | None = None
    contact: str | None = None  # what the Get Contact plugin answered about the visitor
    proactive_message: str | None = None  # the prompt a proactive chat started from
    route: Route | None = None  # set while a chat a bot handed on waits for the agents it was handed to
    tags: tuple[str, ...] = ()  # the tags of the last TAG_TRANSFER, sent to the bot it reaches
    agent_typing: bool = False
    visitor_typing: bool = False

    @property
    def proactive(self) -> bool:
        return self.source_id == SOURCE_PROACTIVE

    def wait_ms(self, now_ms: int) -> int:
        """The Integration API's chat_waittime: from the request until an agent responded (or until the chat
        ended, or until now, while nobody has)."""
        if self.kind != "chat":
            return 0
        return (self.responded_ms or self.closed_ms or now_ms) - self.created_ms

    def duration_ms(self, now_ms: int) -> int:
        """The Integration API's chat_duration: the entire support request, from its creation until it ended
        (or until now, while it goes on)."""
        if self.kind != "chat":
            return 0
        return (self.closed_ms or now_ms) - self.created_ms


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file a visitor uploaded into a chat. Its line in the chat carries a link to it; the bytes stay in
    memory (not in world documents) until the world is reset or replaced."""

    file_id: str
    case_id: str
    org_id: str
    name: str
    content_type: str
    data: bytes
    url: str
