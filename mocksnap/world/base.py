"""The World's state: organizations, cases and their indexes, the event log, the clock's scheduler, the
seeded random source; and the lookups every command and resource shares.

A world document may hold cases: the world is built with them indexed, and the chats under way among them go
on (their timers set again, relative to the clock's time when the world is built).

Commands live in mixins by subject (accounts.py, chats.py); world.py puts them together.
"""

from __future__ import annotations

import bisect
import pickle
import random
import uuid as uuidlib
from typing import Any

from mocksnap import schemas
from mocksnap.clock import Clock, ManualClock, Scheduler, Timer
from mocksnap.world import document, schedule
from mocksnap.world.errors import Invalid, NotFound
from mocksnap.world.events import EventLog
from mocksnap.world.models import AGENT_ID_PREFIX, Case, Organization, User, Widget

VENDOR_SITE = "https://www.snapengage.com"


def _creation(case: Case) -> tuple[int, str]:
    return case.created_ms, case.case_id


def normalize_agent_id(agent_id: str) -> str:
    """Agent ids are stored lowercase and without the `wc:` prefix that the APIs show."""
    agent_id = agent_id.strip().lower()
    while agent_id.startswith(AGENT_ID_PREFIX):
        agent_id = agent_id.removeprefix(AGENT_ID_PREFIX)
    return agent_id


class WorldBase:
    def __init__(self, document_: dict[str, Any], clock: Clock, seed: int = 0) -> None:
        """Build a world from a world document (raises document.DocumentError when it is not valid)."""
        self.clock = clock
        self.seed = seed
        self.site = VENDOR_SITE  # whose /viewcase the cases' links point at: mocksnap's with --public-url
        self.events = EventLog()
        self.scheduler = Scheduler(clock)
        built = document.build_world(document_)
        # The document to reset to, kept compact (a big world's document takes 5 times less room pickled than
        # as dicts) and safe from whatever the caller does with theirs.
        self._initial_pickled = pickle.dumps(document_, protocol=pickle.HIGHEST_PROTOCOL)
        self._clock_start = clock.now()
        self._install(*built)

    @property
    def _initial(self) -> dict[str, Any]:
        """The document the world was first built from (a fresh copy)."""
        return pickle.loads(self._initial_pickled)

    # -- whole-world commands -------------------------------------------------------------------------

    def _install(self, orgs: dict[str, Organization], cases: list[Case]) -> None:
        self.scheduler.clear()
        # One seeded stream per kind of id, and one for the simulated people's choices (delays, words): a
        # widget made through the Provisioning API gets the same id whatever chats came before it, and a case
        # the same id whatever the agents did. (Deliveries d0000001... and faults f1... are counted.)
        self._ids = {"case": random.Random(self.seed), "widget": random.Random(f"widget/{self.seed}")}
        self.random = random.Random(f"people/{self.seed}")
        self.orgs = orgs
        self._by_provisioning_key = {o.provisioning_api_key: o for o in orgs.values()}
        self._by_visitor_key = {o.visitor_api_key: o for o in orgs.values()}
        self._by_api_token = {o.api_token: o for o in orgs.values()}
        self._widget_org = {w: o for o in orgs.values() for w in o.widgets}
        self.cases: dict[str, Case] = {}
        self.open_chats: dict[str, Case] = {}
        self._timers: dict[tuple[str, str], Timer] = {}
        # Per widget, the creation times of its cases in order (then their ids, in order), and their ids at
        # the same positions: a pure function of the cases, however the world came by them.
        self._created: dict[str, tuple[list[int], list[str]]] = {}
        cases = sorted(cases, key=_creation)  # oldest first, as the world's commands would have made them
        for case in cases:
            self.cases[case.case_id] = case
            times, ids = self._created.setdefault(case.widget_id, ([], []))
            times.append(case.created_ms)
            ids.append(case.case_id)
        for case in cases:
            if case.state != "closed":
                self._restore_open_chat(case)

    def _restore_open_chat(self, case: Case) -> None:
        """A chat under way in the world document goes on; ChatCommands sets its timers again."""
        self.open_chats[case.case_id] = case

    def replace(self, document_: Any) -> None:
        """Swap in another world document; the world is untouched when it is not valid."""
        self._install(*document.build_world(document_))
        self.events.emit("world.replaced", self.clock.now(), None)

    def reset(self) -> None:
        """Back to the document the world was first built from: its cases only (none if it had none), no
        other pending timers, no events, the random source re-seeded, and a manual clock back at its start, so
        that a run replays byte for byte."""
        if isinstance(self.clock, ManualClock):
            self.clock.set(self._clock_start)
        self._install(*document.build_world(self._initial))
        self.events.clear()  # the same seed gives the same case ids again: old events would name them
        self.events.emit("world.reset", self.clock.now(), None)

    def dump(self) -> dict[str, Any]:
        return document.dump(self.orgs, self.cases.values())

    def new_uuid(self, kind: str) -> str:
        """A version 4 UUID from the seeded stream of its kind of id (`case`, `widget`), so the same seed
        gives the same ids; never the id of a case or widget the world holds (a world loaded with the cases of
        a run on the same seed would draw their ids again)."""
        stream = self._ids[kind]
        while True:
            new = str(uuidlib.UUID(int=stream.getrandbits(128), version=4))
            if new not in self.cases and new not in self._widget_org:
                return new

    @staticmethod
    def _conform(definition: str, entry: dict[str, Any]) -> None:
        """What a command stores must hold to the world schema too (lowercasing can lengthen a string), so
        that the world can always be dumped and loaded again."""
        problem = schemas.first_error(f"world#/$defs/{definition}", entry)
        if problem is not None:
            raise Invalid(problem)

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
        if not widget.enable_conversations:
            return False
        for assigned in widget.agents:  # a loop, not any(): this runs on every availability poll
            if org.agents[assigned.agent_id].status == "online":
                return schedule.is_open_now(widget.conversation_schedule, self.clock)
        return False

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

    def case(self, case_id: str, org: Organization | None = None) -> Case:
        """The case; with an organization, only if the case belongs to it."""
        found = self.cases.get(case_id)
        if found is None or (org is not None and found.org_id != org.org_id):
            raise NotFound(f"no case {case_id}")
        return found

    def _index(self, case: Case) -> None:
        self.cases[case.case_id] = case
        times, ids = self._created.setdefault(case.widget_id, ([], []))
        at = bisect.bisect_left(ids, case.case_id, *self._same_time(times, case.created_ms))
        times.insert(at, case.created_ms)
        ids.insert(at, case.case_id)

    def _unindex(self, case: Case) -> None:
        times, ids = self._created[case.widget_id]
        at = bisect.bisect_left(ids, case.case_id, *self._same_time(times, case.created_ms))
        del times[at], ids[at]

    @staticmethod
    def _same_time(times: list[int], created_ms: int) -> tuple[int, int]:
        """Where the cases created at that millisecond are (ordered among them by id)."""
        return bisect.bisect_left(times, created_ms), bisect.bisect_right(times, created_ms)

    def cases_created(
        self, widget_id: str, start_ms: int, end_ms: int, after: int = 0, limit: int | None = None
    ) -> list[Case]:
        """The widget's cases created in [start_ms, end_ms), oldest first, skipping the first `after`."""
        times, ids = self._created.get(widget_id, ([], []))
        lo = bisect.bisect_left(times, start_ms) + after
        hi = bisect.bisect_left(times, end_ms)
        if limit is not None:
            hi = min(hi, lo + limit)
        return [self.cases[case_id] for case_id in ids[lo:hi]]

    def count_created(self, widget_id: str, start_ms: int, end_ms: int) -> int:
        times, _ = self._created.get(widget_id, ([], []))
        return bisect.bisect_left(times, end_ms) - bisect.bisect_left(times, start_ms)
