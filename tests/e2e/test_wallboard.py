"""The wallboard and the case page in a real browser, over a real server: the wallboard follows chats started
through the Visitor Chat API without a reload; the case page shows a case's transcript, visitor and labels."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import expect

from mocksnap.testing import MocksnapServer
from tests.conftest import ORG_ID, SUPPORT_WIDGET, VISITOR_KEY

VISITOR = {"x-api-key": VISITOR_KEY, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"}


def start_chat(server: MocksnapServer, message: str) -> str:
    query = urlencode({"widgetId": SUPPORT_WIDGET, "email": "wall@example.com", "visitorMessage": message})
    started = server.request("POST", f"/api/v1/chat?{query}", headers=VISITOR)
    assert started.status == 200, started.body
    return started.json()["caseId"]


def test_the_wallboard_moves_as_chats_start_and_agents_take_them(server: MocksnapServer, page: Any) -> None:
    page.goto(f"{server.base_url}/wallboard")
    expect(page.locator("#feed-state")).to_have_text("live")
    expect(page.locator("#queue-length")).to_have_text("0")
    support = page.locator(f'tr[data-widget-id="{SUPPORT_WIDGET}"] td')
    expect(support.nth(1)).to_have_text("0")

    start_chat(server, "first")
    start_chat(server, "second")
    expect(page.locator("#queue-length")).to_have_text("2")
    expect(support.nth(1)).to_have_text("2")
    expect(page.locator("#chats-today")).to_have_text("2")
    expect(page.locator("#events li").first).to_contain_text("caseBroadcasted")

    server.request("POST", "/__admin/clock/advance", body={"seconds": 30})  # the agents accept
    expect(page.locator("#queue-length")).to_have_text("0")
    expect(support.nth(2)).to_have_text("2")
    expect(page.locator("#events li").first).to_contain_text(re.compile("caseAssigned|caseResponded"))
    status = {"status": "pause", "subStatus": "coffee"}
    server.request("PUT", f"/__admin/organizations/{ORG_ID}/agents/wc:sam@example.com/status", body=status)
    expect(page.locator("#agents")).to_contain_text("pause (coffee)")


def test_the_case_page_shows_the_transcript_the_visitor_and_the_labels(
    server: MocksnapServer, page: Any
) -> None:
    case_id = start_chat(server, "Where is my parcel?")
    server.request("POST", "/__admin/clock/advance", body={"seconds": 10})
    page.goto(f"{server.base_url}/viewcase?c={case_id}")
    expect(page.locator("#case-id")).to_have_text(case_id)
    expect(page.locator("#transcript")).to_contain_text("Where is my parcel?")
    expect(page.locator("#visitor")).to_contain_text("wall@example.com")
    expect(page.locator("#visitor")).to_contain_text("Chrome/120.0")

    agent = server.get(f"/__admin/cases/{case_id}").json()["agentId"]
    label = {"name": "topic", "value": "shipping"}
    assert server.request("POST", f"/__admin/cases/{case_id}/labels", body=label).status == 200, agent
    expect(page.locator("#labels")).to_have_text("topic: shipping")  # followed live, no reload


def test_the_case_page_of_an_unknown_case_says_so(server: MocksnapServer, page: Any) -> None:
    page.goto(f"{server.base_url}/viewcase?c=nope")
    expect(page.locator("#summary")).to_have_text("No case nope in this world.")


def test_the_wallboard_follows_a_traffic_run_live(spawn: Callable[..., MocksnapServer], page: Any) -> None:
    server = spawn("--clock", "manual", "--start", "2026-11-23T08:00:00Z", "--seed", "7", "--no-access-log")
    page.goto(f"{server.base_url}/wallboard")
    expect(page.locator("#feed-state")).to_have_text("live")
    page.evaluate(
        """() => {
          const chats = document.getElementById('chats-today');
          window.shown = [];
          new MutationObserver(() => window.shown.push(Number(chats.textContent)))
            .observe(chats, {childList: true, characterData: true, subtree: true});
        }"""
    )
    run = subprocess.run(
        [sys.executable, "-m", "mocksnap", "traffic", "--json", "--profile", "support-24x7",
         "--duration", "2h", "--speed", "3600", "--seed", "7", "--server", server.base_url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])["chats"] > 0
    # Two hours at 3600 times real time: two seconds for the board to follow; it ends on what the stats count.
    chats = sum(hour["chats"] for hour in server.get("/__admin/stats").json()["chatsPerHour"])
    expect(page.locator("#chats-today")).to_have_text(str(chats))
    shown = [count for count in page.evaluate("window.shown") if count]
    assert len(set(shown)) >= 3, f"the wallboard showed only {shown} on its way to {chats}"
    assert shown == sorted(shown)
