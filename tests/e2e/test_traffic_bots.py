"""A traffic run as fast as possible on a manual clock, with a real bot behind a real webhook: the clock never
moves past a call whose answer changes the world, so the bot's line is in every chat it took."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mocksnap.testing import MocksnapServer as Server
from tests.bot_replies import message, reply
from tests.conftest import ROOT, assert_valid
from tests.e2e.bots import ScriptedBot

SHOP_WIDGET = "0d1f6c2e-6a41-4b8e-9d55-3f1c2b7a9e01"
BOT = "shopbot@shop.example.com"


def echo(request: Any) -> Any:
    """The bot greets a chat and answers each line; it says nothing to the other events."""
    if not isinstance(request, dict) or request.get("event") not in ("chatStarted", "message"):
        return None
    said = request.get("text") or request.get("description") or ""
    return reply(message(f"ShopBot heard: {said}"))


@pytest.fixture
def bot() -> Iterator[ScriptedBot]:
    running = ScriptedBot(echo)
    yield running
    running.close()


def run_with_the_bot(server: Server, bot: ScriptedBot) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """A fast run of busy-retail with ShopBot behind its webhook: the chats the bot took, and every case."""
    entry = {
        "agentType": "bot",
        "agentAlias": "ShopBot",
        "agentAvatar": "",
        "status": "online",
        "tags": ["faq"],
        "bot": {"url": f"{bot.url}/bot"},
    }
    answer = server.request("PUT", f"/__admin/widgets/{SHOP_WIDGET}/agents/{BOT}", body=entry)
    assert answer.status == 200, answer.body
    started = server.request("POST", "/__admin/traffic", body={"profile": "busy-retail", "duration": "10m"})
    assert started.status == 202, started.body
    deadline = time.monotonic() + 120
    while (state := server.get("/__admin/traffic").json())["state"] == "running":
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert_valid("admin-traffic", state)
    assert state["state"] == "done"
    taken = {
        d["caseId"]
        for d in server.get("/__admin/deliveries?kind=bot").json()["deliveries"]
        if d["event"] == "chatStarted"
    }
    return taken, {c["caseId"]: c for c in server.get("/__admin/cases").json()["cases"]}


def test_a_fast_run_with_a_real_bot_has_the_bots_line_in_every_chat_it_took(
    spawn: Callable[..., Server], bot: ScriptedBot
) -> None:
    server = spawn(
        "--clock", "manual", "--start", "2026-11-23T17:00:00Z", "--world", str(ROOT / "fixtures/retail.yaml")
    )  # fmt: skip
    taken, cases = run_with_the_bot(server, bot)
    assert len(taken) > 20
    without = [
        case_id
        for case_id in taken
        if not any(e["message"].startswith("ShopBot heard:") for e in cases[case_id]["entries"])
    ]
    assert without == [], f"{len(without)} of {len(taken)} chats the bot took have no line of its"
    failed = server.get("/__admin/deliveries?kind=bot&status=failed").json()["deliveries"]
    assert failed == []

    # The same seed, the same bot: the same chats, line for line.
    assert server.request("POST", "/__admin/reset").status == 200
    assert run_with_the_bot(server, bot) == (taken, cases)
