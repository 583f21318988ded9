"""The traffic generator: visitors, agents and bots of a world, played through world commands only, as real
people would act, on the world's clock. Every webhook of the world fires as it would for real chats, since
it is the world's own events that the dispatcher and the bot bridge react to.

- Visitors arrive as a Poisson process over the whole organization, its rate shaped by the profile's daily
  curve (thinning), each at one widget by the profile's weights. Outside a widget's hours, or with nobody
  online, the world makes their request an offline message; some leave one anyway (offlineShare).
- A chat goes to the widget's bot if it has one online (the world routes it); bots without a webhook are
  played here: a greeting, an answer, then BYE or a hand-over to the humans. Bots with a webhook are left to
  it. Human agents accept after a delay (least busy first), greet, answer each visitor line, sometimes label
  the chat or hand it to a colleague, and someone ends it; some visitors answer the survey minutes later.
- Human agents pause for lunch once a day, staggered, with a sub_status, and come back.

Every random draw comes from one `random.Random(seed)`, every delay is a timer on the world's scheduler:
the same seed, profile, world and start give the same events, ids and payloads, byte for byte.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mocksnap.traffic import phrases, visitors
from mocksnap.traffic.profile import Profile
from mocksnap.world import World
from mocksnap.world.errors import WorldError
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case, Organization, WidgetAgent

GREET_DELAY_S = (2.0, 8.0)


@dataclass
class TrafficStats:
    visitors: int = 0
    chats: int = 0
    offline_messages: int = 0
    refused: int = 0  # requests the world refused (a banned visitor, a widget that requires what they lacked)
    bot_chats: int = 0
    transfers: int = 0
    surveys: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "visitors": self.visitors,
            "chats": self.chats,
            "offlineMessages": self.offline_messages,
            "refused": self.refused,
            "botChats": self.bot_chats,
            "transfers": self.transfers,
            "surveys": self.surveys,
        }


class Traffic:
    def __init__(
        self, world: World, profile: Profile, seed: int = 0, org: Organization | None = None
    ) -> None:
        self.world = world
        self.profile = profile
        self.random = random.Random(seed)
        self.org = org or next(iter(world.orgs.values()))
        self.fakers = visitors.FAKERS
        self.stats = TrafficStats()
        self.start_at: datetime | None = None
        self.end_at: datetime | None = None
        self._zone = ZoneInfo(profile.time_zone)
        self._peak = profile.chats_per_hour / 3600  # arrivals per second at the peak hour, the most there is
        widgets = list(self.org.widgets)
        weights = [profile.widget_weights.get(w, 0 if profile.widget_weights else 1) for w in widgets]
        if not any(weights):
            raise ValueError(
                f"profile {profile.name} plays widgets that organization {self.org.org_id} does not have: "
                f"serve its world, `mocksnap serve --world {profile.world_flag}`"
            )
        self._widgets, self._widget_weights = widgets, weights
        self._chats: dict[str, _Chat] = {}  # the open chats it plays, by case id
        self._pending = 0  # its own timers not yet run: arrivals, people's next steps, lunches, surveys
        self._topic = visitors.site_kind(profile.site)  # what the visitors ask about: retail, saas, support
        self._languages = list(profile.languages)
        self._language_weights = list(profile.languages.values())

    # -- the run ----------------------------------------------------------------------------------------

    def start(self, duration_s: float) -> None:
        """Visitors arrive from the clock's now for `duration_s` seconds; lunch breaks fall in that time."""
        now = self.world.clock.now()
        self.start_at, self.end_at = now, now + timedelta(seconds=duration_s)
        self.world.events.subscribe(self._on_event)
        self._next_arrival()
        self._plan_lunches()

    def stop(self) -> None:
        """No more reacting to the world (timers already set still play out, harmlessly)."""
        self.world.events.unsubscribe(self._on_event)
        self._chats.clear()

    def _on_event(self, event: DomainEvent) -> None:
        if event.kind == "case.closed":  # ended by a timeout too, not only by the people played here
            self._chats.pop(event.data["caseId"], None)

    @property
    def over(self) -> bool:
        """The arrivals are over and every chat of the run has ended, its survey included: the rest of the
        run's tail would change nothing."""
        return (
            self.end_at is not None
            and self.world.clock.now() >= self.end_at
            and not self._pending
            and not self._chats
        )

    @property
    def progress(self) -> float:
        """How much of the run's time has passed, from 0 to 1."""
        if self.start_at is None or self.end_at is None:
            return 0.0
        total = (self.end_at - self.start_at).total_seconds()
        done = (self.world.clock.now() - self.start_at).total_seconds()
        return 1.0 if total <= 0 else min(1.0, max(0.0, done / total))

    def _draw(self, bounds: tuple[float, float]) -> float:
        return round(self.random.uniform(*bounds), 3)

    def _counted(self, action: Callable[[], None]) -> Callable[[], None]:
        """The action as a timer of the run's own, counted until it runs (see `over`)."""
        self._pending += 1

        def run() -> None:
            self._pending -= 1
            action()

        return run

    def _later(self, seconds: float, action: Callable[[], None]) -> None:
        def run() -> None:
            with contextlib.suppress(WorldError):  # the chat may have ended or moved on meanwhile
                action()

        self.world.scheduler.call_later(seconds, self._counted(run))

    def _rate(self, at: datetime) -> float:
        hour = at.astimezone(self._zone).hour
        return self.profile.daily_curve[hour] / max(self.profile.daily_curve) * self._peak

    def _next_arrival(self) -> None:
        """Thinning: candidate arrivals at the peak rate, each kept with probability rate(t) / peak."""
        assert self.end_at is not None
        at = self.world.clock.now()
        while True:
            at += timedelta(seconds=self.random.expovariate(self._peak))
            if at >= self.end_at:
                return
            if self.random.random() * self._peak < self._rate(at):
                break
        self.world.scheduler.call_at(at, self._counted(self._arrive))

    # -- visitors -------------------------------------------------------------------------------------

    def _arrive(self) -> None:
        self._next_arrival()
        self.stats.visitors += 1
        rng, profile = self.random, self.profile
        widget = self.org.widgets.get(rng.choices(self._widgets, self._widget_weights)[0])
        if widget is None:  # the widget was deleted since the run started
            return
        language = rng.choices(self._languages, self._language_weights)[0]
        visitor, person = visitors.make_visitor(
            rng, self.fakers, language=language, site=profile.site, email_share=profile.email_share
        )
        if widget.email_required and not visitor.email:
            visitor.email = person.email
        offline = rng.random() < profile.offline_share
        proactive = (
            not offline and widget.enable_proactive_chat == "true" and rng.random() < profile.proactive_share
        )
        proactive_message = (
            phrases.line(rng, "proactive", language, topic=self._topic)[0] if proactive else None
        )
        question = phrases.pick(rng, "offline" if offline else "question", self._topic)
        first = phrases.text("offline" if offline else "question", question, language)
        # Drawn only where a bot could take the chat, and not at the default share, so that a profile without
        # the knob replays as it always did.
        humans_only = (
            profile.bot_share < 1
            and any(agent.is_bot for agent in widget.agents)
            and rng.random() >= profile.bot_share
        )
        try:
            case = self.world.start_case(
                self.org,
                widget.uuid,
                visitor,
                first,
                offline=offline,
                proactive_message=proactive_message,
                humans_only=humans_only,
            )
        except WorldError:
            self.stats.refused += 1
            return
        if case.kind == "offline":
            self.stats.offline_messages += 1
            return
        self.stats.chats += 1
        chat = _Chat(case, language, rng.randint(*map(int, profile.visitor_messages)), question)
        self._chats[case.case_id] = chat
        if case.state == "assigned":  # a bot took it
            self.stats.bot_chats += 1
            self._bot_turn(chat, greeting=True)
        else:
            self._later(self._draw(profile.accept_delay), lambda: self._accept(chat))

    def _visitor_turn(self, chat: _Chat) -> None:
        """The visitor writes again, or, having said all, one side ends the chat."""
        case = chat.case
        if case.state != "assigned":
            return
        if chat.lines_left > 0:
            chat.lines_left -= 1
            chat.question = phrases.pick(self.random, "question", self._topic)
            self.world.visitor_message(case, phrases.text("question", chat.question, chat.language))
            if self._bot_of(case) is not None:
                self._later(self._draw(self.profile.bot_reply_delay), lambda: self._bot_turn(chat))
            else:
                self._later(self._draw(self.profile.reply_delay), lambda: self._agent_turn(chat))
            return
        if self.random.random() < self.profile.visitor_ends_share:
            self.world.close(case, "visitor")
        else:
            self._agent_closing(chat)
            return
        self._after_close(chat)

    # -- human agents ---------------------------------------------------------------------------------

    def _humans(self, case: Case) -> list[WidgetAgent]:
        widget = self.org.widgets[case.widget_id]
        return [a for a in self.world.online_agents(self.org, widget, case.route) if not a.is_bot]

    def _accept(self, chat: _Chat) -> None:
        case = chat.case
        if case.state != "queued":
            return
        online = self._humans(case)
        if not online:  # nobody there now: it waits for the queue's timeout, or for someone to come back
            return
        load = {a.agent_id: 0 for a in online}
        for open_case in self.world.open_chats.values():
            if open_case.agent_id in load:
                load[open_case.agent_id] += 1
        least = min(load.values())
        agent = self.random.choice([a for a in online if load[a.agent_id] == least])
        self.world.accept(case, agent.agent_id)
        self._later(self._draw(GREET_DELAY_S), lambda: self._greet(chat))

    def _greet(self, chat: _Chat) -> None:
        case = chat.case
        if case.state != "assigned" or case.agent_id is None:
            return
        text, translations = phrases.agent_line(self.random, "greeting", chat.language)
        self.world.agent_message(case, case.agent_id, text, translations)
        self._later(self._draw(self.profile.reply_delay), lambda: self._agent_turn(chat))

    def _agent_turn(self, chat: _Chat) -> None:
        case = chat.case
        if case.state != "assigned" or case.agent_id is None:
            return
        text, translations = phrases.agent_line(self.random, "answer", chat.language, index=chat.question)
        self.world.agent_message(case, case.agent_id, text, translations)
        rng, profile = self.random, self.profile
        if not chat.labeled and rng.random() < profile.label_rate:
            chat.labeled = True
            name = rng.choice(sorted(profile.labels))
            self.world.label(case, name, rng.choice(profile.labels[name]))
            if rng.random() < 0.5:  # the agent notes the customer's reference too
                self.world.operator_variable(case, "Reference", f"#{rng.randint(100000, 999999)}")
        if not chat.transferred and rng.random() < profile.transfer_rate:
            chat.transferred = True
            colleagues = [a for a in self._humans(case) if a.agent_id != case.agent_id]
            if colleagues:
                self.world.transfer(case, agent_id=rng.choice(colleagues).agent_id)
                self.stats.transfers += 1
                self._later(self._draw(GREET_DELAY_S), lambda: self._greet(chat))
                return
        self._later(self._draw(profile.visitor_delay), lambda: self._visitor_turn(chat))

    def _agent_closing(self, chat: _Chat) -> None:
        case = chat.case
        if case.agent_id is not None:
            text, translations = phrases.agent_line(self.random, "closing", chat.language)
            self.world.agent_message(case, case.agent_id, text, translations)
        self.world.close(case, "agent")
        self._after_close(chat)

    def _after_close(self, chat: _Chat) -> None:
        if self.random.random() < self.profile.survey_rate:
            score = self._survey_score()
            comment = (
                phrases.line(self.random, "survey", chat.language)[0] if self.random.random() < 0.5 else None
            )

            def survey() -> None:
                self.world.survey(chat.case, score, comment)
                self.stats.surveys += 1

            self._later(self._draw(self.profile.survey_delay), survey)

    def _survey_score(self) -> int:
        """Mostly happy visitors, some unhappy ones, on the vendor's 0-100 scale."""
        return self.random.choices((100, 80, 60, 40, 20, 0), (50, 25, 10, 6, 4, 5))[0]

    # -- bots played here -----------------------------------------------------------------------------

    def _bot_of(self, case: Case) -> WidgetAgent | None:
        """The case's agent, if it is a bot this generator plays (one without a webhook of its own)."""
        widget = self.org.widgets.get(case.widget_id)
        if widget is None:
            return None
        return next(
            (a for a in widget.agents if a.agent_id == case.agent_id and a.is_bot and not a.bot), None
        )

    def _bot_turn(self, chat: _Chat, greeting: bool = False) -> None:
        case = chat.case
        bot = self._bot_of(case)
        if case.state != "assigned" or bot is None:
            return
        if greeting:
            text, translations = phrases.agent_line(self.random, "bot", chat.language)
            self.world.agent_message(case, bot.agent_id, text, translations)
            self._later(self._draw(self.profile.visitor_delay), lambda: self._visitor_turn(chat))
            return
        if self.random.random() < self.profile.bot_resolve_share:
            text, translations = phrases.agent_line(self.random, "answer", chat.language, index=chat.question)
            self.world.agent_message(case, bot.agent_id, text, translations)
            self.world.close(case, "agent")
            self._after_close(chat)
            return
        self.world.transfer(case, widget_id=case.widget_id, humans_only=True)
        self._later(self._draw(self.profile.accept_delay), lambda: self._accept(chat))

    # -- the agents' day ------------------------------------------------------------------------------

    def _plan_lunches(self) -> None:
        """Each online human agent pauses once a day at lunch time (staggered) and comes back online."""
        lunch = self.profile.lunch
        if lunch is None or self.start_at is None or self.end_at is None:
            return
        humans = sorted(
            {a.agent_id for w in self.org.widgets.values() for a in w.agents if not a.is_bot}
            & {agent_id for agent_id, agent in self.org.agents.items() if agent.status == "online"}
        )
        day = self.start_at.astimezone(self._zone).replace(hour=0, minute=0, second=0, microsecond=0)
        while day < self.end_at:
            for i, agent_id in enumerate(humans):
                leave = day + timedelta(minutes=lunch.at_minutes + i * lunch.stagger_minutes)
                back = leave + timedelta(minutes=lunch.minutes)
                if self.start_at <= leave < self.end_at:
                    pause = self._status(agent_id, "pause", lunch.sub_status)
                    self.world.scheduler.call_at(leave, self._counted(pause))
                    self.world.scheduler.call_at(back, self._counted(self._status(agent_id, "online", None)))
            day = (day + timedelta(days=1, hours=2)).replace(hour=0)  # the next local midnight, DST or not

    def _status(self, agent_id: str, status: str, sub_status: str | None) -> Callable[[], None]:
        def change() -> None:
            agent = self.org.agents.get(agent_id)
            if agent is None or (status == "online" and agent.status != "pause"):
                return  # gone, or someone else changed their status meanwhile
            self.world.set_agent_status(self.org, agent_id, status, sub_status)
            if status == "online":  # back from lunch: take the chats that wait
                for chat in list(self._chats.values()):
                    if chat.case.state == "queued":
                        self._later(
                            self._draw(self.profile.accept_delay), lambda chat=chat: self._accept(chat)
                        )

        return change


@dataclass
class _Chat:
    """What the generator remembers of a chat it plays: the visitor's language, what is left to say."""

    case: Case
    language: str
    lines_left: int
    question: int  # the phrase of the visitor's last question, which the answer matches
    labeled: bool = False
    transferred: bool = False


def expected_chats(profile: Profile, start: datetime, duration_s: float) -> float:
    """The mean number of visitors of a run: the integral of the arrival rate, hour by hour."""
    zone = ZoneInfo(profile.time_zone)
    peak = max(profile.daily_curve)
    total, at, end = 0.0, start, start + timedelta(seconds=duration_s)
    while at < end:
        step_end = min(end, (at + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0))
        hours = (step_end - at).total_seconds() / 3600
        total += profile.chats_per_hour * profile.daily_curve[at.astimezone(zone).hour] / peak * hours
        at = step_end
    return total
