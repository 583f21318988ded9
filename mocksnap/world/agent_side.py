"""Commands of the agent's side of a chat beyond its lines: what the agent's slash commands capture about the
visitor, labels taken off, what the agent asks the visitor for, a transfer taken back, and the Hub's own
signals (weather, auto-translate, recording...) that nothing else in the world produces. The agent Hub, its
SDK apps and the control API all change the world through these.
"""

from __future__ import annotations

from typing import Any

from mocksnap import schemas
from mocksnap.world.base import normalize_agent_id
from mocksnap.world.chats import EMAIL_IN_TEXT, ChatCommands
from mocksnap.world.errors import Invalid
from mocksnap.world.models import Case

CAPTURED = ("name", "phone", "email")  # /name=, /phone=, /email=
REQUESTS = ("file", "secure_data")
SECURE_DATA_TYPES = ("SSN", "Credit Card", "Secure Note")
# Hub SDK events that no command of the world produces: the Hub's menu and the control API send them.
HUB_SIGNALS = (
    "weather_info_captured",
    "widget_changed",
    "call_me",
    "visitor_transcript_request",
    "ignore",
    "record",
    "auto_translate_enabled",
    "auto_translate_disabled",
    "auto_translate_language_changed",
)


def had_chat(case: Case, agent_id: str) -> bool:
    """Whether the agent (normalized) has had the chat: one joined it (a /NIC line of theirs)."""
    return any(
        e.sender == "SYSTEM" and e.agent_id == agent_id and e.message.startswith("/NIC ")
        for e in case.entries
    )


class AgentSideCommands(ChatCommands):
    def _agents_chat(self, case: Case, agent_id: str) -> str:
        """The agent id, if the agent is the agent of this ongoing chat."""
        self._open_chat(case)
        agent_id = normalize_agent_id(agent_id)
        if case.agent_id != agent_id:
            raise Invalid(f"agentId {agent_id} is not the agent of chat {case.case_id}")
        return agent_id

    def capture(self, case: Case, agent_id: str, field: str, value: str) -> Case:
        """The agent's /name=, /phone= or /email=: the visitor's detail, as every API reports it from now on.
        The vendor checks no phone number; an email must look like one."""
        agent_id = self._agents_chat(case, agent_id)
        if field not in CAPTURED:
            raise Invalid("field must be one of: " + ", ".join(CAPTURED))
        value = value.strip()
        if not value:
            raise Invalid(f"{field} must not be empty")
        if len(value) > 200:
            raise Invalid(f"{field} must be at most 200 characters")
        if field == "email":
            if not EMAIL_IN_TEXT.fullmatch(value):
                raise Invalid(f"{value} is not an email address")
            value = value.lower()
        setattr(case.visitor, field, value)
        self._emit("case.captured", case, agentId=agent_id, field=field, value=value)
        return case

    def unlabel(self, case: Case, name: str) -> Case:
        """Take a label off the case (by its name: a case holds one value per label)."""
        if all(n != name for n, _ in case.labels or []):
            raise Invalid(f"case {case.case_id} has no label {name}")
        case.labels = [(n, v) for n, v in case.labels or [] if n != name] or None
        self._emit("case.unlabeled", case, agentId=case.agent_id, name=name)
        return case

    def request_from_visitor(
        self, case: Case, agent_id: str, what: str, secure_data_type: str | None = None
    ) -> Case:
        """The agent asks the visitor for a file, or for secure data (an SSN, a credit card, a note)."""
        agent_id = self._agents_chat(case, agent_id)
        if what not in REQUESTS:
            raise Invalid("what must be one of: " + ", ".join(REQUESTS))
        if (what == "secure_data") != (secure_data_type is not None):
            raise Invalid("secureDataType goes with a request for secure_data, and only with it")
        if secure_data_type is not None and secure_data_type not in SECURE_DATA_TYPES:
            raise Invalid("secureDataType must be one of: " + ", ".join(SECURE_DATA_TYPES))
        extra = {"secureDataType": secure_data_type} if secure_data_type else {}
        self._emit("case.requested", case, agentId=agent_id, what=what, **extra)
        return case

    def reclaim(self, case: Case, agent_id: str) -> Case:
        """An agent takes back an ongoing chat they handed on (to another agent, or to a widget's queue): on
        its widget if they are one of its agents, otherwise back on the first widget of the organization they
        are an agent of."""
        self._open_chat(case)
        agent_id = normalize_agent_id(agent_id)
        if case.agent_id == agent_id:
            raise Invalid(f"chat {case.case_id} is with {agent_id} already")
        if not had_chat(case, agent_id):
            raise Invalid(f"agentId {agent_id} never had chat {case.case_id}; nothing to reclaim")
        org, widget = self._widget_of(case)
        staffed = [w for w in org.widgets.values() if any(a.agent_id == agent_id for a in w.agents)]
        if not staffed:
            raise Invalid(f"agentId {agent_id} is no longer an agent of organization {org.org_id}")
        if org.agents[agent_id].status == "offline":
            raise Invalid(f"agentId {agent_id} is offline")
        home = widget if widget in staffed else staffed[0]
        member = next(a for a in home.agents if a.agent_id == agent_id)
        previous = {"fromAgentId": case.agent_id, "fromWidgetId": case.widget_id}
        if home.uuid != case.widget_id:
            self._unindex(case)
            case.widget_id = home.uuid
            self._index(case)
        if case.state == "queued":
            self._cancel_timer(case, "queue")
            case.state, case.accepted_ms = "assigned", self.clock.now_ms()
        case.route, case.tags = None, ()
        self._join(case, member)
        self._emit(
            "case.transferred", case, toAgentId=agent_id, toWidgetId=home.uuid, reclaimed=True, **previous
        )
        return case

    def hub_signal(self, case: Case, event_type: str, data: dict[str, Any] | None = None) -> Case:
        """One of the Hub SDK events nothing else in the world produces, for the chat's agent's Hub to post to
        its apps; `data` as that event's schema has it."""
        self._open_chat(case)
        if event_type not in HUB_SIGNALS:
            raise Invalid("type must be one of: " + ", ".join(HUB_SIGNALS))
        if case.agent_id is None:
            raise Invalid(f"chat {case.case_id} has no agent yet; accept it first")
        envelope = {"type": event_type, "conversationId": case.case_id, "agentEmail": case.agent_id}
        if data is not None:
            envelope["data"] = data
        problem = schemas.first_error(f"hub-sdk-event#/$defs/{event_type}", envelope)
        if problem is not None:
            raise Invalid(problem)
        self._emit("case.hub_signal", case, agentId=case.agent_id, type=event_type, data=data)
        return case
