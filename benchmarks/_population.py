"""Shared by the benchmarks that need a populated world (run.py skips files whose name starts with `_`).

A world from the bundled default fixture on a manual clock, filled through the world's own commands with
chats on the support widget: visitor message, accept, agent message, visitor message, agent message, visitor
message, close. Every message is a distinct string of 40 to 120 characters from a seeded pseudo-word list, and
every visitor has their own email and user agent, so that string sharing does not flatter memory figures.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from mocksnap.app import load_world
from mocksnap.config import Config
from mocksnap.world import World
from mocksnap.world.models import Case, Visitor

ORG_ID = "5406213"
SUPPORT_WIDGET = "5286374d-5c92-419d-bcdb-b926d242b78b"
AGENT = "sam@example.com"
API_TOKEN = "mocksnap-api-token"
START = datetime(2025, 1, 1, tzinfo=UTC)  # a Wednesday; 2025 is not a leap year
YEAR_S = 365 * 86400

# When each step of a chat happens, as a fraction of its time slot (capped, so that a sparse world still
# has chats of a few minutes): start, accept, agent, visitor, agent, visitor, close.
STEPS = (0.0, 0.08, 0.2, 0.38, 0.55, 0.75, 0.9)
LONGEST_CHAT_S = 600

_SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in "aeiou"]
_SYLLABLES += ["an", "en", "in", "on", "ar", "er", "st", "th"]
_PLATFORMS = (
    "Windows NT 10.0; Win64; x64",
    "Macintosh; Intel Mac OS X 10_15_7",
    "X11; Linux x86_64",
    "iPhone; CPU iPhone OS 17_4 like Mac OS X",
    "Linux; Android 14; Pixel 8",
)
_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")


class Texts:
    """Seeded messages and visitors; every string it returns is a new object with its own content.

    A message is a slice, at a random word boundary, of a long text of random words (cheaper than joining
    words for each of millions of messages); slicing copies, so no two messages share memory.
    """

    def __init__(self, seed: int = 1, words: int = 4000, corpus_words: int = 1_000_000) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        lengths = (1, 2, 2, 3, 3, 4)  # syllables a word
        self.words = ["".join(rng.choices(_SYLLABLES, k=rng.choice(lengths))) for _ in range(words)]
        self.corpus = " ".join(rng.choices(self.words, k=corpus_words))
        self._last_start = len(self.corpus) - 200

    def message(self) -> str:
        """40 to 120 characters of words."""
        rng = self.rng
        corpus = self.corpus
        start = corpus.find(" ", rng.randrange(self._last_start)) + 1
        return corpus[start : start + rng.randint(40, 120)]

    def visitor(self, number: int) -> Visitor:
        rng = self.rng
        first, last = rng.choice(self.words), rng.choice(self.words)
        chrome = f"{rng.randint(100, 125)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 250)}"
        return Visitor(
            email=f"{first}.{last}{number}@{rng.choice(_DOMAINS)}",
            user_agent=(
                f"Mozilla/5.0 ({rng.choice(_PLATFORMS)}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{chrome} Safari/537.36"
            ),
        )


def new_world(start: datetime = START, seed: int = 1) -> World:
    """The default fixture's world on a manual clock at `start`; nothing else turned on (no autopilot)."""
    return load_world(Config(clock="manual", start=start, seed=seed))


def populate(
    world: World,
    cases: int,
    *,
    span_s: float = YEAR_S,
    texts: Texts | None = None,
    advance: bool = True,
    progress: Callable[[int], None] | None = None,
) -> None:
    """`cases` chats on the support widget, one per time slot of span_s / cases seconds from the clock's now.

    Inside a chat the clock is set (clock.set, which runs no timer); between chats the scheduler advances
    it, which also drops the timers that closing the chat cancelled (with advance=False the clock is only set,
    so the cancelled timers stay in the scheduler's heap).
    """
    texts = texts or Texts()
    org = world.orgs[ORG_ID]
    clock = world.clock
    scheduler = world.scheduler
    origin = clock.now()
    slot = span_s / cases
    offsets = [timedelta(seconds=step * min(slot, LONGEST_CHAT_S)) for step in STEPS]
    for number in range(cases):
        base = origin + timedelta(seconds=number * slot)
        if advance:
            scheduler.advance((base - clock.now()).total_seconds())
        else:
            clock.set(base)
        case: Case = world.start_case(org, SUPPORT_WIDGET, texts.visitor(number), texts.message())
        clock.set(base + offsets[1])
        world.accept(case, AGENT)
        clock.set(base + offsets[2])
        world.agent_message(case, AGENT, texts.message())
        clock.set(base + offsets[3])
        world.visitor_message(case, texts.message())
        clock.set(base + offsets[4])
        world.agent_message(case, AGENT, texts.message())
        clock.set(base + offsets[5])
        world.visitor_message(case, texts.message())
        clock.set(base + offsets[6])
        world.close(case, "agent")
        if progress is not None and number % 100_000 == 99_999:
            progress(number + 1)
    if advance:
        scheduler.advance(0)  # drop the last chat's cancelled timers too
