"""Commands on cases: a chat's life from queued to closed, and offline messages.

queued (taken at once by the widget's first online bot, or else broadcast to its online human agents) ->
assigned (an agent accepted) -> closed, ended by the visitor, the agent, `timed_out` after inactivity, or
`no_agents_found` when nobody accepted in time. A bot hands a chat on by transfers, which may restrict who
takes it next (humans only, or agents with certain tags). Every delay is a timer on the clock, so a manual
clock plays a chat out exactly.
"""

from __future__ import annotations

import re
from typing import Any

from mocksnap import schemas
from mocksnap.clock import Timer
from mocksnap.world import schedule
from mocksnap.world.base import WorldBase, normalize_agent_id
from mocksnap.world.errors import Invalid, NotFound
from mocksnap.world.models import (
    SOURCE_CHAT,
    SOURCE_OFFLINE,
    SOURCE_PROACTIVE,
    Case,
    Entry,
    Organization,
    Route,
    Visitor,
    Widget,
    WidgetAgent,
)

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
QUEUE_TIMEOUT_S = 120  # a chat nobody accepted by then ends as no_agents_found
INACTIVITY_TIMEOUT_S = 30 * 60  # a chat with no message for this long ends as timed_out
BAN_S = 24 * 3600  # how long a (temporary) ban of a visitor lasts; a ban of an IP address lasts for good
WAITING_LINE = "/NFO Just a moment...<br>"
# What a proactive invitation says when neither the call nor the widget's page gives a message.
PROACTIVE_MESSAGE = "Hi there! Can I help you with anything today?"


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

    def online_agents(
        self, org: Organization, widget: Widget, route: Route | None = None
    ) -> list[WidgetAgent]:
        """The widget's online agents, bots included, that the route (if any) lets take a chat."""
        return [
            a for a in widget.agents if org.agents[a.agent_id].status == "online" and _route_allows(route, a)
        ]

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
        proactive_message: str | None = None,
        humans_only: bool = False,
    ) -> Case:
        """A chat, or an offline message when asked for one or when chat is not online for the widget.
        humans_only: the widget's bots do not take it (the visitor asked for a person)."""
        found = self.widget(widget_id)
        if found is None or found[0] is not org:
            raise NotFound(f"no widget {widget_id}")
        widget = found[1]
        if widget.email_required and not visitor.email:
            raise Invalid("email is required by this widget")
        if widget.message_required and not message:
            raise Invalid("visitorMessage is required by this widget")
        banned = self.ban_of(org, visitor)
        if banned:
            raise Invalid(f"the visitor is banned ({banned})")
        offline = offline or not self.is_online(org, widget)
        now = self.clock.now_ms()
        case = Case(
            case_id=self.new_uuid("case"),
            org_id=org.org_id,
            widget_id=widget_id,
            kind="offline" if offline else "chat",
            source_id=SOURCE_OFFLINE
            if offline
            else SOURCE_PROACTIVE
            if proactive or proactive_message
            else SOURCE_CHAT,
            created_ms=now,
            visitor=visitor,
            description=message or "",
            state="closed" if offline else "queued",
            last_activity_ms=now,
            proactive_message=proactive_message or None,
            route=Route(humans_only=True) if humans_only else None,
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
        self._offer(case)
        return case

    def _offer(self, case: Case) -> None:
        """A queued chat goes to the first online bot it may go to; otherwise it is broadcast to the online
        humans it may go to, for one of them to accept."""
        org, widget = self._widget_of(case)
        candidates = self.online_agents(org, widget, case.route)
        bot = next((a for a in candidates if a.is_bot), None)
        if bot is not None:
            self.accept(case, bot.agent_id)
            return
        humans = [a.agent_id for a in candidates]
        if humans:
            self._emit("case.broadcasted", case, agents=humans)

    def _restore_open_chat(self, case: Case) -> None:
        """A chat under way in a world document being loaded: a queued one waits QUEUE_TIMEOUT_S from now
        for an agent, and every one times out INACTIVITY_TIMEOUT_S after its last activity (at once if that
        has passed)."""
        super()._restore_open_chat(case)
        if case.state == "queued":
            self._timer(case, "queue", QUEUE_TIMEOUT_S, lambda: self._queue_timeout(case))
        idle = (self.clock.now_ms() - case.last_activity_ms) / 1000
        self._timer(case, "inactivity", max(0.0, INACTIVITY_TIMEOUT_S - idle), lambda: self._inactivity(case))

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
        if not _route_allows(case.route, agent):
            raise Invalid(
                f"chat {case.case_id} waits for {_route_text(case.route)}; {agent.agent_id} is not one"
            )
        self._cancel_timer(case, "queue")
        case.state, case.route = "assigned", None
        case.accepted_ms = self.clock.now_ms()
        self._join(case, agent)
        self._emit("case.assigned", case, agentId=agent.agent_id)
        return case

    def agent_message(
        self,
        case: Case,
        agent_id: str,
        text: str,
        translations: dict[str, str] | None = None,
        attachment: dict[str, Any] | None = None,
    ) -> Case:
        """A line of the chat's agent (a BOT line when the agent is a bot), with what a bot shows with it:
        display responses (buttons) or cards."""
        self._open_chat(case)
        agent_id = normalize_agent_id(agent_id)
        if case.state != "assigned":
            raise Invalid(f"chat {case.case_id} has no agent yet; accept it first")
        if case.agent_id != agent_id:
            raise Invalid(f"agentId {agent_id} is not the agent of chat {case.case_id} ({case.agent_id} is)")
        if not text and not attachment:
            raise Invalid("text must not be empty")
        member = self._staff_member(*self._widget_of(case), agent_id)  # its id string is shared, not copied
        sender = "BOT" if member.is_bot else "AGENT"
        self._line(
            case,
            sender,
            member.agent_id,
            member.alias,
            text,
            translations=translations or None,
            attachment=attachment or None,
        )
        case.agent_typing = False
        case.last_activity_ms = self.clock.now_ms()
        self._emit("case.message", case, sender=sender, agentId=agent_id, index=len(case.entries) - 1)
        if case.responded_ms is None:
            case.responded_ms = case.last_activity_ms
            self._emit("case.responded", case, agentId=agent_id)
        return case

    def agent_typing(self, case: Case, agent_id: str, typing: bool) -> Case:
        self._open_chat(case)
        if case.agent_id != normalize_agent_id(agent_id):
            raise Invalid(f"agentId {normalize_agent_id(agent_id)} is not the agent of chat {case.case_id}")
        if case.agent_typing != typing:
            case.agent_typing = typing
            self._emit("case.typing", case, who="agent", typing=typing)
        return case

    def transfer(
        self,
        case: Case,
        *,
        agent_id: str | None = None,
        widget_id: str | None = None,
        humans_only: bool = False,
        tags: tuple[str, ...] = (),
    ) -> Case:
        """To another agent of the case's widget, or to the queue of a widget of the organization: another
        one, or its own when the chat is handed to its humans only or to the agents with one of `tags`."""
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
            case.route = None
            self._join(case, agent)
            self._emit(
                "case.transferred", case, toAgentId=agent.agent_id, toWidgetId=case.widget_id, **previous
            )
            return case
        target = org.widgets.get(widget_id)
        if target is None:
            raise NotFound(f"no widget {widget_id} in organization {org.org_id}")
        if target.uuid == case.widget_id and not (humans_only or tags):
            raise Invalid(f"chat {case.case_id} is already on widget {target.uuid}")
        if target.uuid != case.widget_id:
            self._unindex(case)
            case.widget_id = target.uuid
            self._index(case)
        # Whoever hands the chat on does not get it back; the tags are those of this transfer, if any.
        route = (
            Route(humans_only, tuple(tags), case.agent_id) if humans_only or tags or case.agent_id else None
        )
        case.state, case.agent_id, case.route, case.tags = "queued", None, route, tuple(tags)
        self._line(case, "SYSTEM", "", "", WAITING_LINE)
        self._timer(case, "queue", QUEUE_TIMEOUT_S, lambda: self._queue_timeout(case))
        self._emit("case.transferred", case, toAgentId=None, toWidgetId=target.uuid, **previous)
        self._emit("case.queued", case)
        self._offer(case)
        return case

    def transfer_refusal(
        self,
        case: Case,
        *,
        agent_id: str | None = None,
        widget_id: str | None = None,
        humans_only: bool = False,
        tags: tuple[str, ...] = (),
    ) -> tuple[str, str] | None:
        """Why a bot's transfer would fail, as the Bot API's error code and a message; None when it can go.

        WIDGET_NOT_FOUND: no such widget anywhere. TRANSFER_NOT_ALLOWED: the widget is another
        organization's, or a plain widget transfer names the chat's own widget. NO_AGENTS_AVAILABLE: the
        destination is offline (closed, conversations off) or has no online agent the transfer may reach.
        """
        org, widget = self._widget_of(case)
        if agent_id is not None:
            member = next((a for a in widget.agents if a.agent_id == normalize_agent_id(agent_id)), None)
            if member is None or org.agents[member.agent_id].status != "online":
                return (
                    "NO_AGENTS_AVAILABLE",
                    f"{normalize_agent_id(agent_id)} is not an online agent of this widget",
                )
            if member.agent_id == case.agent_id:
                return "TRANSFER_NOT_ALLOWED", f"the chat is already with {member.agent_id}"
            return None
        found = self.widget(widget_id or "")
        if found is None:
            return "WIDGET_NOT_FOUND", f"no widget {widget_id}"
        target_org, target = found
        if target_org is not org:
            return "TRANSFER_NOT_ALLOWED", f"widget {widget_id} belongs to another organization"
        if target.uuid == case.widget_id and not (humans_only or tags):
            return "TRANSFER_NOT_ALLOWED", f"the chat is already on widget {widget_id}"
        if not target.enable_conversations or not schedule.is_open(
            target.conversation_schedule, self.clock.now()
        ):
            return "NO_AGENTS_AVAILABLE", f"widget {widget_id} is offline"
        route = Route(humans_only, tuple(tags), case.agent_id)
        if not self.online_agents(org, target, route):
            return "NO_AGENTS_AVAILABLE", f"widget {widget_id} has no online {_route_text(route)}"
        return None

    def label(self, case: Case, name: str, value: str) -> Case:
        """Set a label (an operator variable): a name set again takes the new value."""
        if not name:
            raise Invalid("name must not be empty")
        labels = [(n, v) for n, v in (case.labels or []) if n != name]
        labels.append((name, value))
        case.labels = labels
        self._emit("case.labeled", case, agentId=case.agent_id, name=name, value=value)
        return case

    def operator_variable(self, case: Case, name: str, value: str) -> Case:
        """Set an operator variable an agent keeps on the case. Until one is set, the case's operator
        variables are its labels (as the vendor's samples show them); from then on they are kept apart."""
        if not name:
            raise Invalid("name must not be empty")
        current = case.operator_variables if case.operator_variables is not None else case.labels
        case.operator_variables = [(n, v) for n, v in (current or []) if n != name] + [(name, value)]
        self._emit("case.operator_variable", case, agentId=case.agent_id, name=name, value=value)
        return case

    # -- visitors -------------------------------------------------------------------------------------

    def visitor_message(self, case: Case, text: str, response_id: str | None = None) -> Case:
        """A visitor's line; the first email address a visitor without one writes becomes theirs.

        A click on one of the display responses (buttons) a bot offered since the visitor last wrote is a
        line with the button's text: named by its id, or by its text; the event then carries the id.
        """
        self._open_chat(case)
        buttons = _offered_buttons(case)
        if response_id is not None:
            button = next((b for b in buttons if b.get("id") == response_id), None)
            if button is None:
                raise Invalid(
                    f"displayResponseId {response_id} is not a display response offered to the visitor"
                )
            text = text or button["text"]
        else:
            button = next((b for b in buttons if b["text"] == text), None)
        if not text:
            raise Invalid("messageBody must not be empty")
        self._line(case, "VISITOR", "", "", text)
        case.visitor_typing = False
        case.last_activity_ms = self.clock.now_ms()
        clicked = {"responseId": button["id"]} if button is not None and "id" in button else {}
        self._emit("case.message", case, sender="VISITOR", index=len(case.entries) - 1, **clicked)
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
        """Typing is shown, not recorded: an event only when it starts or stops, none for a closed chat."""
        if case.kind == "chat" and case.state != "closed" and case.visitor_typing != typing:
            case.visitor_typing = typing
            self._emit("case.typing", case, who="visitor", typing=typing)
        return case

    def visitor_page(self, case: Case, url: str) -> Case:
        """The visitor of an ongoing chat went to another page of the site (the widget reports it)."""
        self._open_chat(case)
        if not url:
            raise Invalid("url must not be empty")
        if case.visitor.page_url != url:
            case.visitor.page_url = url
            self._emit("case.page", case, url=url)
        return case

    def site_note(self, case: Case, text: str) -> Case:
        """A line the visitor's page sends to the agent without showing it to the visitor (the JavaScript
        API's sendTextToChat): a NOTE, which neither the visitor's poll nor the transcripts show."""
        self._open_chat(case)
        if not text:
            raise Invalid("text must not be empty")
        self._line(case, "NOTE", "", "", text)
        self._emit("case.note", case)
        return case

    def invite(self, widget_id: str, url: str | None, message: str | None) -> dict[str, Any]:
        """Invite the visitor of a page of the widget's site (every page when url is None) to chat: the widget
        on that page shows a proactive invitation from the widget's first online human agent, with the
        message, or with the widget's default when none is given. Nothing is recorded but the event; the case
        starts when the visitor answers."""
        found = self.widget(widget_id)
        if found is None:
            raise NotFound(f"no widget {widget_id}")
        org, widget = found
        if url is not None and not url:
            raise Invalid("url must not be empty")
        if not self.is_online(org, widget):
            raise Invalid(f"widget {widget_id} is offline")
        agent = next((a for a in self.online_agents(org, widget) if not a.is_bot), None)
        if agent is None:
            raise Invalid(f"widget {widget_id} has no online human agent")
        invitation = {
            "widgetId": widget_id,
            "url": url,
            "message": message or PROACTIVE_MESSAGE,
            "agentId": agent.agent_id,
            "agentAlias": agent.alias,
        }
        event = self.events.emit("widget.proactive_invited", self.clock.now(), org.org_id, **invitation)
        return {**invitation, "seq": event.seq}

    def redirect(self, case: Case, url: str) -> Case:
        """Send the visitor's browser to another page (the bot's GOTO): a line their chat window acts on."""
        self._open_chat(case)
        if not url:
            raise Invalid("url must not be empty")
        self._line(case, "SYSTEM", case.agent_id or "", "", f"/GTO {url}")
        self._emit("case.redirected", case, url=url)
        return case

    # -- bans -----------------------------------------------------------------------------------------

    def ban(self, case: Case, *, ip: bool = False) -> Case:
        """Ban the chat's visitor (for BAN_S; by email, or by IP address when they gave none), or their IP
        address for good; then end the chat. A banned visitor cannot start another chat."""
        self._open_chat(case)
        org = self.orgs[case.org_id]
        if ip or not case.visitor.email:
            key = f"ip:{case.visitor.ip_address}" if case.visitor.ip_address else None
        else:
            key = f"email:{case.visitor.email}"
        until = None if ip else self.clock.now_ms() + BAN_S * 1000
        if key is not None:
            org.bans[key] = until
            self.events.emit(
                "visitor.banned", self.clock.now(), org.org_id, ban=key, untilMs=until, caseId=case.case_id
            )
        return self.close(case, "agent")

    def ban_of(self, org: Organization, visitor: Visitor) -> str | None:
        """The ban that keeps this visitor out right now, if any."""
        now = self.clock.now_ms()
        keys = [
            f"email:{visitor.email}" if visitor.email else None,
            f"ip:{visitor.ip_address}" if visitor.ip_address else None,
        ]
        for key in keys:
            if key in org.bans:
                until = org.bans[key]
                if until is None or until > now:
                    return key
        return None

    # -- ending ---------------------------------------------------------------------------------------

    def visitor_leaves(self, case: Case, last_words: str = "") -> Case:
        """The visitor ends the chat (messageType 2), with a last line when they wrote one."""
        self._open_chat(case)
        if last_words:
            self.visitor_message(case, last_words)
        return self.close(case, "visitor")

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

    def request_transcript(self, case: Case, email: str) -> Case:
        """The visitor asks for a copy of the chat's transcript at this address (the widget's visitor email
        transcript feature), during the chat or after it; it is sent once the chat has ended."""
        if case.kind != "chat":
            raise Invalid(f"case {case.case_id} is an offline message; only a chat has a transcript")
        address = email.strip().lower()
        if schemas.first_error("world#/$defs/email", address) is not None:
            raise Invalid("email must be a valid email address")
        case.visitor_transcript_email = address
        self._emit("case.transcript_requested", case, email=address)
        return case


def _route_allows(route: Route | None, agent: WidgetAgent) -> bool:
    if route is None:
        return True
    if (route.humans_only and agent.is_bot) or agent.agent_id == route.exclude:
        return False
    return not route.tags or any(tag in agent.tags for tag in route.tags)


def _route_text(route: Route | None) -> str:
    who = "human agents" if route is not None and route.humans_only else "agents"
    if route is not None and route.tags:
        who += " tagged " + " or ".join(route.tags)
    return who


def _offered_buttons(case: Case) -> list[dict[str, str]]:
    """The display responses of the bot's lines since the visitor's last line, newest line first."""
    offered: list[dict[str, str]] = []
    for entry in reversed(case.entries):
        if entry.sender == "VISITOR":
            break
        if entry.attachment and "displayResponses" in entry.attachment:
            offered.extend(entry.attachment["displayResponses"])
    return offered
