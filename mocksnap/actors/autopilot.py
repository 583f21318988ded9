"""Simulated human agents. An online agent on autopilot accepts a queued chat after a short delay, greets the
visitor, and answers each visitor message: typing first, then a Faker sentence. Paused agents take no new
chats. A bot with a webhook is a real program (actors/bots.py); one without is played here: it greets the
visitor and hands the chat to the widget's human agents, as a HUMAN_TRANSFER would. Every
delay is drawn from the world's seeded random source and is a timer on its clock, so the same seed and a
manual clock give the same conversation every run.

It acts only through world commands, as a person at the agent's desk would; with autopilot off (the control
API) tests script the agents' side themselves.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from mocksnap.world.errors import WorldError
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case

if TYPE_CHECKING:
    from faker import Faker

    from mocksnap.world import World

ACCEPT_DELAY_S = (2.0, 6.0)
GREET_DELAY_S = (1.0, 3.0)
TYPING_DELAY_S = (0.5, 1.5)
TYPING_TIME_S = (2.0, 6.0)


class Autopilot:
    def __init__(self, world: World, enabled: bool = True) -> None:
        self.world = world
        self.enabled = enabled
        self._faker: Faker | None = None
        world.events.subscribe(self._on_event)

    @property
    def faker(self) -> Faker:
        if self._faker is None:  # imported on first use: Faker is slow to import, and serve starts fast
            from faker import Faker

            self._faker = Faker("en_US")
        return self._faker

    def _delay(self, bounds: tuple[float, float]) -> float:
        return round(self.world.random.uniform(*bounds), 3)

    def _later(self, bounds: tuple[float, float], action) -> None:
        self.world.scheduler.call_later(self._delay(bounds), self._guarded(action))

    def _guarded(self, action):
        """By the time a timer fires the chat may have ended or moved on; that is no error."""

        def run() -> None:
            if not self.enabled:
                return
            with contextlib.suppress(WorldError):
                action()

        return run

    def _on_event(self, event: DomainEvent) -> None:
        if not self.enabled:
            return
        if event.kind == "case.queued":
            case = self.world.cases[event.data["caseId"]]
            self._later(ACCEPT_DELAY_S, lambda: self._accept(case))
        elif event.kind == "case.assigned" or (event.kind == "case.transferred" and event.data["toAgentId"]):
            case = self.world.cases[event.data["caseId"]]
            if self._human(case):
                self._later(GREET_DELAY_S, lambda: self._greet(case, case.agent_id))
            elif self._played_bot(case):
                self._later(GREET_DELAY_S, lambda: self._hand_on(case, case.agent_id))
        elif event.kind == "case.message" and event.data["sender"] == "VISITOR":
            case = self.world.cases[event.data["caseId"]]
            if case.state == "assigned" and self._human(case):
                self._later(TYPING_DELAY_S, lambda: self._start_typing(case, case.agent_id))
        elif event.kind == "agent.status_changed" and event.data["status"] == "online":
            self._take_waiting_chats(event.org_id)

    def _accept(self, case: Case) -> None:
        if case.state != "queued":
            return
        org, widget = self.world.orgs[case.org_id], self.world.orgs[case.org_id].widgets[case.widget_id]
        online = [a for a in self.world.online_agents(org, widget, case.route) if not a.is_bot]
        if online:
            load = {a.agent_id: 0 for a in online}
            for open_case in self.world.open_chats.values():
                if open_case.agent_id in load:
                    load[open_case.agent_id] += 1
            least = min(load.values())
            choice = self.world.random.choice([a for a in online if load[a.agent_id] == least])
            self.world.accept(case, choice.agent_id)

    def _take_waiting_chats(self, org_id: str | None) -> None:
        for case in list(self.world.open_chats.values()):
            if case.org_id == org_id and case.state == "queued":
                self._later(ACCEPT_DELAY_S, lambda case=case: self._accept(case))

    def _human(self, case: Case) -> bool:
        """The case's agent is a person (a bot answers through its own webhook)."""
        widget = self.world.orgs[case.org_id].widgets[case.widget_id]
        return any(a.agent_id == case.agent_id and not a.is_bot for a in widget.agents)

    def _played_bot(self, case: Case) -> bool:
        """The case's agent is a bot without a webhook, which the autopilot plays."""
        widget = self.world.orgs[case.org_id].widgets[case.widget_id]
        return any(a.agent_id == case.agent_id and a.is_bot and not a.bot for a in widget.agents)

    def _hand_on(self, case: Case, agent_id: str | None) -> None:
        if case.state == "assigned" and case.agent_id == agent_id:
            alias = self._alias(case, agent_id)
            self.world.agent_message(
                case, agent_id, f"Hi, I'm {alias}, a virtual assistant. Let me find you a person."
            )
            self.world.transfer(case, widget_id=case.widget_id, humans_only=True)

    def _alias(self, case: Case, agent_id: str) -> str:
        widget = self.world.orgs[case.org_id].widgets[case.widget_id]
        return next((a.alias for a in widget.agents if a.agent_id == agent_id), agent_id)

    def _greet(self, case: Case, agent_id: str | None) -> None:
        if case.state == "assigned" and case.agent_id == agent_id:
            greeting = f"Hi, I'm {self._alias(case, agent_id)}. How can I help you today?"
            self.world.agent_message(case, agent_id, greeting)

    def _start_typing(self, case: Case, agent_id: str | None) -> None:
        if case.state == "assigned" and case.agent_id == agent_id:
            self.world.agent_typing(case, agent_id, True)
            self._later(TYPING_TIME_S, lambda: self._reply(case, agent_id))

    def _reply(self, case: Case, agent_id: str) -> None:
        if case.state == "assigned" and case.agent_id == agent_id:
            self.faker.seed_instance(self.world.random.getrandbits(32))
            self.world.agent_message(
                case, agent_id, self.faker.sentence(nb_words=self.world.random.randint(6, 14))
            )
