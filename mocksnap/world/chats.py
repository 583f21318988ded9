"""Commands on cases: a chat's life from queued to closed, and offline messages.

queued (broadcast to the widget's online agents) -> assigned (an agent accepted) -> closed, ended by the
visitor, the agent, `timed_out` after inactivity, or `no_agents_found` when nobody accepted in time. Every
delay is a timer on the clock, so a manual clock plays a chat out exactly.
"""

from __future__ import annotations

import re

from mocksnap.clock import Timer
from mocksnap.world.base import WorldBase, normalize_agent_id
from mocksnap.world.errors import Invalid, NotFound
from mocksnap.world.models import (
    SOURCE_CHAT,
    SOURCE_OFFLINE,
    SOURCE_PROACTIVE,
    Case,
    Entry,
    Organization,
    Visitor,
    Widget,
    WidgetAgent,
)

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
QUEUE_TIMEOUT_S = 120  # a chat nobody accepted by then ends as no_agents_found
INACTIVITY_TIMEOUT_S = 30 * 60  # a chat with no message for this long ends as timed_out
WAITING_LINE = "/NFO Just a moment...<br>"


class ChatCommands(WorldBase):
    # -- helpers --------------------------------------------------------------------------------------

    def _timer(self, case: Case, name: str, seconds: float, callback) -> None:
        """(Re)arm the case's timer of that name."""
        key = (case.case_id, name)
        old: Timer | None = self._timers.pop(key, None)
        if old is not None:
            old.cancel()
        self._timers[key] = self.scheduler.call_later(seconds, callback)

    def _cancel_timer(self, case: Case, name: str) -> None:
        timer = self._timers.pop((case.case_id, name), None)
        if timer is not None:
            timer.cancel()

    def _open_chat(self, case: Case) -> None:
        if case.kind != "chat":
            raise Invalid(f"case {case.case_id} is an offline message, not a chat")
        if case.state == "closed":
            raise Invalid(f"chat {case.case_id} is closed")

    def _staff_member(self, org: Organization, widget: Widget, agent_id: str) -> WidgetAgent:
        agent_id = normalize_agent_id(agent_id)
        for agent in widget.agents:
            if agent.agent_id == agent_id:
                return agent
        raise Invalid(f"agentId {agent_id} is not an agent of widget {widget.uuid}")

    def _widget_of(self, case: Case) -> tuple[Organization, Widget]:
        org = self.orgs[case.org_id]
        return org, org.widgets[case.widget_id]

    def _line(self, case: Case, sender: str, agent_id: str, alias: str, message: str, **extra) -> Entry:
        entry = Entry(sender, agent_id, alias, self.clock.now_ms(), message, **extra)
        case.entries.append(entry)
        return entry

    def _emit(self, kind: str, case: Case, **data) -> None:
        self.events.emit(
            kind, self.clock.now(), case.org_id, caseId=case.case_id, widgetId=case.widget_id, **data
        )

    def online_agents(self, org: Organization, widget: Widget) -> list[WidgetAgent]:
        return [a for a in widget.agents if org.agents[a.agent_id].status == "online"]

    # -- starting ------------------------------------------------------------------------------------

    def start_case(
        self,
        org: Organization,
        widget_id: str,
        visitor: Visitor,
        message: str | None = None,
        *,
        offline: bool = False,
        proactive: bool = False,
    ) -> Case:
        """A chat, or an offline message when asked for one or when chat is not online for the widget."""
        found = self.widget(widget_id)
        if found is None or found[0] is not org:
            raise NotFound(f"no widget {widget_id}")
        widget = found[1]
        if widget.email_required and not visitor.email:
            raise Invalid("email is required by this widget")
        if widget.message_required and not message:
            raise Invalid("visitorMessage is required by this widget")
        offline = offline or not self.is_online(org, widget)
        now = self.clock.now_ms()
        case = Case(
            case_id=self.new_uuid(),
            org_id=org.org_id,
            widget_id=widget_id,
            kind="offline" if offline else "chat",
            source_id=SOURCE_OFFLINE if offline else SOURCE_PROACTIVE if proactive else SOURCE_CHAT,
            created_ms=now,
            visitor=visitor,
            description=message or "",
            state="closed" if offline else "queued",
            last_activity_ms=now,
        )
        if message:
            self._line(case, "VISITOR", "", "", message)
        if offline:
            case.closed_ms = now
            self._index(case)
            self._emit("case.offline", case)
            return case
        self._line(case, "SYSTEM", "", "", WAITING_LINE)
        self._index(case)
        self.open_chats[case.case_id] = case
        self._timer(case, "queue", QUEUE_TIMEOUT_S, lambda: self._queue_timeout(case))
        self._timer(case, "inactivity", INACTIVITY_TIMEOUT_S, lambda: self._inactivity(case))
        self._emit("case.queued", case)
        self._broadcast(case)
        return case

    def _broadcast(self, case: Case) -> None:
        org, widget = self._widget_of(case)
        agents = [a.agent_id for a in self.online_agents(org, widget)]
        if agents:
            self._emit("case.broadcasted", case, agents=agents)

    def _queue_timeout(self, case: Case) -> None:
        if case.state == "queued":
            self.close(case, "no_agents_found")

    def _inactivity(self, case: Case) -> None:
        if case.state == "closed":
            return
        idle = (self.clock.now_ms() - case.last_activity_ms) / 1000
        if idle >= INACTIVITY_TIMEOUT_S:
            self.close(case, "timed_out")
        else:
            self._timer(case, "inactivity", INACTIVITY_TIMEOUT_S - idle, lambda: self._inactivity(case))

    # -- agents ---------------------------------------------------------------------------------------

    def _join(self, case: Case, agent: WidgetAgent) -> None:
        """What the visitor's poll shows when an agent joins: the agent's nickname, then the call."""
        case.agent_id = agent.agent_id
        self._line(case, "SYSTEM", agent.agent_id, agent.alias, f"/NIC {agent.alias}")
        self._line(case, "SYSTEM", agent.agent_id, agent.alias, "/CAL 1")

    def accept(self, case: Case, agent_id: str) -> Case:
        self._open_chat(case)
        if case.state != "queued":
            raise Invalid(f"chat {case.case_id} is already assigned to {case.agent_id}")
        org, widget = self._widget_of(case)
        agent = self._staff_member(org, widget, agent_id)
        if org.agents[agent.agent_id].status == "offline":
            raise Invalid(f"agentId {agent.agent_id} is offline")
        self._cancel_timer(case, "queue")
        case.state = "assigned"
        case.accepted_ms = self.clock.now_ms()
        self._join(case, agent)
        self._emit("case.assigned", case, agentId=agent.agent_id)
        return case

    def agent_message(
        self, case: Case, agent_id: str, text: str, translations: dict[str, str] | None = None
    ) -> Case:
        self._open_chat(case)
        agent_id = normalize_agent_id(agent_id)
        if case.state != "assigned":
            raise Invalid(f"chat {case.case_id} has no agent yet; accept it first")
        if case.agent_id != agent_id:
            raise Invalid(f"agentId {agent_id} is not the agent of chat {case.case_id} ({case.agent_id} is)")
        if not text:
            raise Invalid("text must not be empty")
        member = self._staff_member(*self._widget_of(case), agent_id)  # its id string is shared, not copied
        self._line(case, "AGENT", member.agent_id, member.alias, text, translations=translations or None)
        case.agent_typing = False
        case.last_activity_ms = self.clock.now_ms()
        self._emit("case.message", case, sender="AGENT", agentId=agent_id)
        if case.responded_ms is None:
            case.responded_ms = case.last_activity_ms
            self._emit("case.responded", case, agentId=agent_id)
        return case

    def agent_typing(self, case: Case, agent_id: str, typing: bool) -> Case:
        self._open_chat(case)
        if case.agent_id != normalize_agent_id(agent_id):
            raise Invalid(f"agentId {normalize_agent_id(agent_id)} is not the agent of chat {case.case_id}")
        case.agent_typing = typing
        return case

    def transfer(self, case: Case, *, agent_id: str | None = None, widget_id: str | None = None) -> Case:
        """To another agent of the case's widget, or to the queue of another widget of the organization."""
        self._open_chat(case)
        if (agent_id is None) == (widget_id is None):
            raise Invalid("transfer to an agentId or to a widgetId")
        org, widget = self._widget_of(case)
        previous = {"fromAgentId": case.agent_id, "fromWidgetId": case.widget_id}
        if agent_id is not None:
            agent = self._staff_member(org, widget, agent_id)
            if org.agents[agent.agent_id].status == "offline":
                raise Invalid(f"agentId {agent.agent_id} is offline")
            if agent.agent_id == case.agent_id:
                raise Invalid(f"chat {case.case_id} is already with {agent.agent_id}")
            if case.state == "queued":
                self._cancel_timer(case, "queue")
                case.state, case.accepted_ms = "assigned", self.clock.now_ms()
            self._join(case, agent)
            self._emit(
                "case.transferred", case, toAgentId=agent.agent_id, toWidgetId=case.widget_id, **previous
            )
            return case
        target = org.widgets.get(widget_id)
        if target is None:
            raise NotFound(f"no widget {widget_id} in organization {org.org_id}")
        if target.uuid == case.widget_id:
            raise Invalid(f"chat {case.case_id} is already on widget {target.uuid}")
        self._unindex(case)
        case.widget_id, case.state, case.agent_id = target.uuid, "queued", None
        self._index(case)
        self._line(case, "SYSTEM", "", "", WAITING_LINE)
        self._timer(case, "queue", QUEUE_TIMEOUT_S, lambda: self._queue_timeout(case))
        self._emit("case.transferred", case, toAgentId=None, toWidgetId=target.uuid, **previous)
        self._emit("case.queued", case)
        self._broadcast(case)
        return case

    def label(self, case: Case, name: str, value: str) -> Case:
        """Set a label (an operator variable): a name set again takes the new value."""
        if not name:
            raise Invalid("name must not be empty")
        labels = [(n, v) for n, v in (case.labels or []) if n != name]
        labels.append((name, value))
        case.labels = labels
        self._emit("case.labeled", case, agentId=case.agent_id, name=name, value=value)
        return case

    # -- visitors -------------------------------------------------------------------------------------

    def visitor_message(self, case: Case, text: str) -> Case:
        """A visitor's line; the first email address a visitor without one writes becomes theirs."""
        self._open_chat(case)
        if not text:
            raise Invalid("messageBody must not be empty")
        self._line(case, "VISITOR", "", "", text)
        case.visitor_typing = False
        case.last_activity_ms = self.clock.now_ms()
        self._emit("case.message", case, sender="VISITOR")
        if case.visitor.email is None:
            found = EMAIL_IN_TEXT.search(text)
            if found:
                case.visitor.email = found[0].lower()
                self._emit("case.identified", case, email=case.visitor.email)
        return case

    def set_contact(self, case: Case, system_name: str, text: str) -> Case:
        """What the Get Contact plugin answered about the visitor, kept on the case and shown to the agent."""
        case.contact = text
        self._line(case, "NOTE", "", system_name, text)
        self._emit("case.contact", case, systemName=system_name)
        return case

    def visitor_typing(self, case: Case, typing: bool) -> Case:
        if case.kind == "chat" and case.state != "closed":
            case.visitor_typing = typing
        return case

    # -- ending ---------------------------------------------------------------------------------------

    def close(self, case: Case, ended_by: str) -> Case:
        self._open_chat(case)
        if ended_by not in ("visitor", "agent", "timed_out", "no_agents_found"):
            raise Invalid("endedBy must be one of: visitor, agent, timed_out, no_agents_found")
        self._cancel_timer(case, "queue")
        self._cancel_timer(case, "inactivity")
        case.state = "closed"
        case.closed_ms = self.clock.now_ms()
        case.ended_by = ended_by
        case.agent_typing = case.visitor_typing = False
        self.open_chats.pop(case.case_id, None)
        self._emit("case.closed", case, endedBy=ended_by, agentId=case.agent_id)
        return case

    def survey(self, case: Case, score: int, comment: str | None = None) -> Case:
        """The visitor's rating, which arrives after the chat (the vendor stores it minutes later)."""
        if case.kind != "chat":
            raise Invalid(f"case {case.case_id} is an offline message; only chats are surveyed")
        if not 0 <= score <= 100:
            raise Invalid("score must be from 0 to 100")
        case.survey_score, case.survey_comments = score, comment or None
        self._emit("case.surveyed", case, agentId=case.agent_id, score=score, comment=case.survey_comments)
        return case
