"""The bot bridge against a fake bot (no HTTP): which chats reach a bot, what it is sent, how its replies
(messages, display responses, every command) change the world, the commandResult of failed commands, the
context_id, and what happens when a bot fails to answer."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from mocksnap.actors.autopilot import Autopilot
from mocksnap.actors.bots import BotBridge
from mocksnap.api.visitor_chat import poll_view
from mocksnap.app import create_app
from mocksnap.clock import ManualClock
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine
from mocksnap.webhooks.dispatch import USER_AGENT, Dispatcher, Violations
from mocksnap.world import World
from mocksnap.world.chats import BAN_S, QUEUE_TIMEOUT_S
from mocksnap.world.errors import Invalid
from mocksnap.world.models import Case, Route, Visitor
from tests.bot_replies import MISSING, reply
from tests.bot_replies import command as cmd
from tests.bot_replies import message as msg
from tests.conftest import (
    MONDAY_MORNING_BERLIN,
    ORG_ID,
    OWNER,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    LocalClient,
    assert_valid,
    default_document,
)

BOT, BOT_URL, BOT_TOKEN = "helper-bot", "http://bot.test/hook", "bot-token-123"
BILLING_BOT, BILLING_BOT_URL, BILLING_TOKEN = "billing-bot", "http://billing-bot.test/hook", "billing-token"
SAM, MICHAEL, TINA = "sam@example.com", "michael@example.com", "tina@example.com"  # TINA is tagged BILLING
CHARLIE = "charlie@example.com"  # the sales widget's online agent (dana is paused)
HUMANS = [SAM, MICHAEL, TINA]
BILLING_WIDGET = "0b111111-1111-4111-8111-111111111111"  # staffed by BILLING_BOT only, tagged BILLING
EMPTY_WIDGET = "0e000000-0000-4000-8000-000000000000"  # 24x7, its only agent offline
OTHER_ORG, OTHER_WIDGET = "7000001", "0f000000-0000-4000-8000-000000000000"  # another organization's
HOOK = "http://hooks.test/conversation-events"
VISITOR_EMAIL, VISITOR_IP = "v@example.com", "203.0.113.7"
SECRET = "identity-secret"
LUNCH_BERLIN = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # Monday 12:30 in Berlin: sales is closed
EVENING_BERLIN = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # Monday 19:00 in Berlin: sales is closed
PAYLOAD_SCHEMAS = {
    "chatStarted": "bot-chat-started",
    "message": "bot-message",
    "chatClosed": "bot-chat-closed",
    "commandResult": "bot-command-result",
}


# -- the world ----------------------------------------------------------------------------------------------


def _agent(agent_id: str, alias: str, status: str = "online", **extra: Any) -> dict[str, Any]:
    return {
        "agentId": agent_id,
        "agentAlias": alias,
        "agentAvatar": "",
        "agentType": "webclient",
        "status": status,
        **extra,
    }


def bot_document(*, secret: str | None = None, bot_status: str = "online", token: bool = True) -> dict:
    """The default world, its support widget staffed by a bot first (then Sam, Michael, and Tina, tagged
    BILLING); a billing widget with a tagged bot only; a widget with nobody online; another organization."""
    document = default_document()
    org = document["organizations"][0]
    support = next(w for w in org["widgets"] if w["uuid"] == SUPPORT_WIDGET)
    bot = {"url": BOT_URL, **({"authToken": BOT_TOKEN} if token else {})}
    support["agents"].insert(0, _agent(BOT, "Helper Bot", bot_status, agentType="bot", tags=["FAQ"], bot=bot))
    support["agents"].append(_agent(TINA, "Tina", tags=["BILLING"]))
    if secret is not None:
        support["visitorIdentityVerification"] = {"secret": secret}
    billing_bot = {"url": BILLING_BOT_URL, "authToken": BILLING_TOKEN}
    org["widgets"].append(
        {
            "uuid": BILLING_WIDGET,
            "name": "Billing",
            "email": OWNER,
            "agents": [
                _agent(BILLING_BOT, "Billing Bot", agentType="bot", tags=["BILLING", "VIP"], bot=billing_bot)
            ],
        }
    )
    org["widgets"].append(
        {
            "uuid": EMPTY_WIDGET,
            "name": "Nobody home",
            "email": OWNER,
            "agents": [_agent("nobody@example.com", "Nobody", "offline")],
        }
    )
    document["organizations"].append(
        {
            "orgId": OTHER_ORG,
            "apiToken": "other-api-token",
            "provisioningApiKey": "other-provisioning-key",
            "visitorApiKey": "other-visitor-key",
            "users": [
                {"email": "owner@other.example", "name": "O", "password": "other", "accountType": "biz"}
            ],
            "widgets": [
                {
                    "uuid": OTHER_WIDGET,
                    "email": "owner@other.example",
                    "agents": [_agent("olga@other.example", "Olga")],
                }
            ],
        }
    )
    return document


# -- the fake bots ------------------------------------------------------------------------------------------


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str]
    payload: dict[str, Any]


class FakeBots:
    """A Transport: records every request and answers from a script per (url, event); an answer is a reply
    (dict or list: 200 JSON), a body (bytes or str: 200), a (status, headers, body), or an exception to
    raise. Unscripted requests get an empty 200."""

    def __init__(self) -> None:
        self.requests: list[Sent] = []
        self._script: dict[tuple[str, str], deque[Any]] = {}

    def script(self, event: str, answer: Any, url: str = BOT_URL) -> None:
        self._script.setdefault((url, event), deque()).append(answer)

    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        payload = json.loads(body)
        self.requests.append(Sent(method, url, dict(headers), payload))
        await asyncio.sleep(0)  # answered later, as a real bot is
        queue = self._script.get((url, payload["event"]))
        answer = queue.popleft() if queue else b""
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, tuple):
            return answer
        if isinstance(answer, dict | list):
            return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        return 200, {}, answer.encode() if isinstance(answer, str) else answer


class Harness:
    def __init__(self, document: dict[str, Any], start: datetime) -> None:
        self.clock = ManualClock(start)
        self.world = World(document, self.clock, seed=7)
        self.bots = FakeBots()
        self.engine = DeliveryEngine(self.world.scheduler, transport=self.bots)
        self.violations = Violations()
        BotBridge(self.world, self.engine, self.violations)
        self.org = self.world.orgs[ORG_ID]
        self._seen = 0

    async def settle(self) -> None:
        await self.engine.idle()

    async def start(
        self,
        text: str | None = "hello",
        answer: Any = None,
        *,
        widget_id: str = SUPPORT_WIDGET,
        proactive_message: str | None = None,
        **visitor: Any,
    ) -> Case:
        """A new chat, its chatStarted answered with `answer`."""
        if answer is not None:
            self.bots.script("chatStarted", answer)
        visitor = {"email": VISITOR_EMAIL, "ip_address": VISITOR_IP, **visitor}
        case = self.world.start_case(
            self.org, widget_id, Visitor(**visitor), text, proactive_message=proactive_message
        )
        await self.settle()
        return case

    async def say(self, case: Case, text: str, answer: Any = None, response_id: str | None = None) -> None:
        """A visitor line (or a click), its message answered with `answer`."""
        if answer is not None:
            self.bots.script("message", answer)
        self.world.visitor_message(case, text, response_id)
        await self.settle()

    def sent(self, event: str | None = None, url: str = BOT_URL) -> list[dict[str, Any]]:
        """The payloads sent to a bot, each checked against its schema."""
        found = []
        for request in self.bots.requests:
            if request.url == url and (event is None or request.payload["event"] == event):
                assert_valid(PAYLOAD_SCHEMAS[request.payload["event"]], request.payload)
                found.append(request.payload)
        return found

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        """The events since the last call: kind, and data without the case and widget ids."""
        new = self.world.events.since(self._seen)
        if new:
            self._seen = new[-1].seq
        skip = ("caseId",)
        return [(e.kind, {k: v for k, v in e.data.items() if k not in skip}) for e in new]

    def bot_deliveries(self, url: str = BOT_URL) -> list[Delivery]:
        return [d for d in self.engine.find(kind="bot") if d.url == url]

    def lines(self, case: Case, since: int = 0) -> list[tuple[str, str]]:
        return [(e.sender, e.message) for e in case.entries[since:]]

    def check(self) -> None:
        """What every scenario must hold: every payload sent to a bot is valid, and no outbound payload broke
        its schema."""
        for request in self.bots.requests:
            if request.url in (BOT_URL, BILLING_BOT_URL):
                assert request.method == "POST"
                assert_valid(PAYLOAD_SCHEMAS[request.payload["event"]], request.payload)
            else:
                assert_valid("conversation-event", request.payload)
        assert [v for v in self.violations.list() if v["kind"] != "bot_reply"] == []


def play(
    scenario: Callable[[Harness], Awaitable[None]],
    *,
    start: datetime = MONDAY_MORNING_BERLIN,
    document: dict[str, Any] | None = None,
) -> Harness:
    harness = Harness(document or bot_document(), start)

    async def main() -> None:
        harness.engine.start(asyncio.get_running_loop())
        try:
            await scenario(harness)
            await harness.settle()
        finally:
            await harness.engine.stop()

    asyncio.run(main())
    harness.check()
    return harness


# -- replies ------------------------------------------------------------------------------------------------


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text())


def signed(email: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), email.encode(), hashlib.sha256).hexdigest()


# -- chats reach the bot ------------------------------------------------------------------------------------


def test_a_new_chat_goes_to_the_online_bot_at_once_and_it_gets_chat_started() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello")
        assert (case.state, case.agent_id) == ("assigned", BOT)
        assert h.events() == [
            ("case.queued", {"widgetId": SUPPORT_WIDGET}),
            ("case.assigned", {"widgetId": SUPPORT_WIDGET, "agentId": BOT}),
        ]  # no broadcast: nobody else is offered it
        assert h.lines(case) == [
            ("VISITOR", "hello"),
            ("SYSTEM", "/NFO Just a moment...<br>"),
            ("SYSTEM", "/NIC Helper Bot"),
            ("SYSTEM", "/CAL 1"),
        ]
        [request] = h.bots.requests
        assert (request.method, request.url) == ("POST", BOT_URL)
        assert request.headers == {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "Authorization": BOT_TOKEN,
        }
        assert h.sent() == [
            {
                "widget_id": SUPPORT_WIDGET,
                "case_id": case.case_id,
                "timestamp": h.clock.now_ms(),
                "event": "chatStarted",
                "email": VISITOR_EMAIL,
                "description": "hello",
                "text": "hello",
                "ip_address": VISITOR_IP,
            }
        ]
        [delivery] = h.bot_deliveries()
        assert (delivery.status, len(delivery.attempts), delivery.retry) == ("delivered", 1, False)
        assert delivery.meta == {
            "orgId": ORG_ID,
            "widgetId": SUPPORT_WIDGET,
            "caseId": case.case_id,
            "agentId": BOT,
            "event": "chatStarted",
        }
        assert case.state == "assigned"  # an empty answer changes nothing

    play(scenario)


def test_a_bot_without_a_token_gets_no_authorization_header() -> None:
    async def scenario(h: Harness) -> None:
        await h.start()
        [request] = h.bots.requests
        assert "Authorization" not in request.headers

    play(scenario, document=bot_document(token=False))


def test_an_offline_bot_takes_no_chat_the_humans_get_it() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start()
        assert (case.state, case.agent_id) == ("queued", None)
        assert h.events() == [
            ("case.queued", {"widgetId": SUPPORT_WIDGET}),
            ("case.broadcasted", {"widgetId": SUPPORT_WIDGET, "agents": HUMANS}),
        ]
        assert h.bots.requests == []
        with pytest.raises(Invalid, match="offline"):
            h.world.accept(case, BOT)

    play(scenario, document=bot_document(bot_status="offline"))


def test_a_human_who_hands_a_chat_to_the_bot_starts_it_for_the_bot() -> None:
    async def scenario(h: Harness) -> None:
        h.world.set_agent_status(h.org, BOT, "offline")
        case = await h.start("hi")
        h.world.accept(case, SAM)
        h.world.set_agent_status(h.org, BOT, "online")
        h.world.transfer(case, agent_id=BOT)
        await h.settle()
        assert case.agent_id == BOT
        [started] = h.sent()
        assert (started["event"], started["case_id"], started["text"]) == ("chatStarted", case.case_id, "hi")

    play(scenario)


@pytest.mark.parametrize(
    ("email", "given", "status"),
    [
        (VISITOR_EMAIL, signed(VISITOR_EMAIL), "VERIFIED"),
        (VISITOR_EMAIL, signed(VISITOR_EMAIL).upper(), "VERIFIED"),
        (VISITOR_EMAIL, signed(VISITOR_EMAIL, "another secret"), "NOT_VERIFIED"),
        (VISITOR_EMAIL, signed("someone@example.com"), "NOT_VERIFIED"),
        (VISITOR_EMAIL, None, "NOT_VERIFIED"),
        (VISITOR_EMAIL, "é" * 64, "NOT_VERIFIED"),  # whatever a visitor sends is compared safely
        (None, signed(""), "NOT_VERIFIED"),
    ],
)
def test_with_identity_verification_chat_started_says_whether_the_visitor_is_verified(
    email: str | None, given: str | None, status: str
) -> None:
    async def scenario(h: Harness) -> None:
        await h.start(email=email, hmac=given)
        [started] = h.sent("chatStarted")
        assert started["hmacVerificationResult"] == {
            "verificationProperty": {"property": "CaseEmail"},
            "content": email or "",
            "status": status,
        }

    play(scenario, document=bot_document(secret=SECRET))


def test_without_identity_verification_chat_started_has_no_verification_result() -> None:
    async def scenario(h: Harness) -> None:
        await h.start(hmac=signed(VISITOR_EMAIL))
        [started] = h.sent("chatStarted")
        assert "hmacVerificationResult" not in started

    play(scenario)


def test_chat_started_carries_the_proactive_message_and_what_is_known_of_the_visitor() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start(
            "Yes please",
            proactive_message="Need a hand with your order?",
            user_agent="Mozilla/5.0",
            page_url="https://example.com/contact",
            entry_url="https://example.com/",
            referrer_url="https://search.example/?q=shoes",
            city="Boulder",
            region="CO",
            country_code="US",
            javascript_variables=[("plan", "gold"), ("cart", "3")],
        )
        assert case.proactive
        [started] = h.sent("chatStarted")
        assert started == {
            "widget_id": SUPPORT_WIDGET,
            "case_id": case.case_id,
            "timestamp": h.clock.now_ms(),
            "event": "chatStarted",
            "email": VISITOR_EMAIL,
            "proactive_message": "Need a hand with your order?",
            "description": "Yes please",
            "text": "Yes please",
            "geo": {"city": "Boulder", "region": "CO", "country_code": "US"},
            "user_agent": "Mozilla/5.0",
            "entry_url": "https://example.com/",
            "referrer_url": "https://search.example/?q=shoes",
            "page_url": "https://example.com/contact",
            "ip_address": VISITOR_IP,
            "jsVariables": "plan=gold,cart=3",
        }

    play(scenario)


def test_a_chat_started_without_a_message_nor_anything_known_has_only_the_head() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start(None, email=None, ip_address=None, country_code="DE")
        [started] = h.sent("chatStarted")
        assert started == {
            "widget_id": SUPPORT_WIDGET,
            "case_id": case.case_id,
            "timestamp": h.clock.now_ms(),
            "event": "chatStarted",
            "geo": {"country_code": "DE"},
        }

    play(scenario)


# -- messages and display responses -------------------------------------------------------------------------


BUTTONS = [{"text": "Yes", "id": "btn-123"}, {"text": "No"}]


def test_the_bots_messages_and_buttons_reach_the_visitor_and_clicks_come_back_with_their_id() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", sample("bot-reply-messages.json"))
        assert h.lines(case, 4) == [
            ("BOT", "I need to ask you a few questions..."),
            ("BOT", "Are you willing to travel during the week?"),
        ]
        assert [e.attachment for e in case.entries[4:]] == [None, {"displayResponses": BUTTONS}]
        assert [e.agent_id for e in case.entries[4:]] == [BOT, BOT]
        assert [kind for kind, _ in h.events()][-3:] == ["case.message", "case.responded", "case.message"]
        assert case.responded_ms == h.clock.now_ms()
        view = poll_view(case, 4)
        assert_valid("visitor-chat-poll-response", view)
        assert view["messageList"] == [
            {
                "index": 4,
                "type": "agent",
                "author": "Helper Bot",
                "text": "I need to ask you a few questions... ",
            },
            {
                "index": 5,
                "type": "agent",
                "author": "Helper Bot",
                "text": "Are you willing to travel during the week? ",
                "displayResponses": BUTTONS,
            },
        ]

        # a click by the button's text
        await h.say(case, "Yes", sample("bot-reply-messages.json"))
        assert h.events()[0] == (
            "case.message",
            {"widgetId": SUPPORT_WIDGET, "sender": "VISITOR", "index": 6, "responseId": "btn-123"},
        )
        [clicked] = h.sent("message")
        assert clicked == {
            "widget_id": SUPPORT_WIDGET,
            "case_id": case.case_id,
            "timestamp": h.clock.now_ms(),
            "event": "message",
            "from": "visitor",
            "text": "Yes",
            "id": "btn-123",
        }
        # a click by the button's id (displayResponseId): the line is the button's text
        await h.say(case, "", sample("bot-reply-messages.json"), response_id="btn-123")
        assert case.entries[-3].sender == "VISITOR"
        assert case.entries[-3].message == "Yes"
        assert (h.sent("message")[-1]["text"], h.sent("message")[-1]["id"]) == ("Yes", "btn-123")
        # a button without an id: no id
        h.events()
        await h.say(case, "No")
        assert "id" not in h.sent("message")[-1]
        assert "responseId" not in h.events()[0][1]
        # the buttons were answered: typing a button's text now is a plain line
        await h.say(case, "Yes")
        assert "id" not in h.sent("message")[-1]
        with pytest.raises(Invalid, match="displayResponseId"):
            h.world.visitor_message(case, "", "btn-123")
        assert [p["text"] for p in h.sent("message")] == ["Yes", "Yes", "No", "Yes"]

    play(scenario)


def test_a_message_item_may_have_only_buttons_and_one_with_neither_is_skipped() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start(
            "hello",
            reply(
                msg(buttons=[{"text": "Sales", "id": "sales"}, {"text": "Support", "id": "support"}]),
                msg(),
                msg("", []),
                msg("Pick one"),
            ),
        )
        assert h.lines(case, 4) == [("BOT", ""), ("BOT", "Pick one")]
        view = poll_view(case, 4)
        assert_valid("visitor-chat-poll-response", view)
        assert view["messageList"][0] == {
            "index": 4,
            "type": "agent",
            "author": "Helper Bot",
            "text": " ",
            "displayResponses": [{"text": "Sales", "id": "sales"}, {"text": "Support", "id": "support"}],
        }
        [delivery] = h.bot_deliveries()
        assert delivery.status == "delivered"
        await h.say(case, "", response_id="support")
        assert h.sent("message")[-1]["text"] == "Support"
        assert h.sent("message")[-1]["id"] == "support"

    play(scenario)


def test_through_the_visitor_chat_api_hmac_buttons_and_clicks_by_display_response_id() -> None:
    """The HTTP side (no event loop: the bot's deliveries stay queued, to be read in the delivery log)."""
    world = World(bot_document(secret=SECRET), ManualClock(MONDAY_MORNING_BERLIN), seed=7)
    client = LocalClient(create_app(world=world))
    key = {"x-api-key": VISITOR_KEY}
    started = client.simulate_post(
        "/api/v1/chat",
        params={
            "widgetId": SUPPORT_WIDGET,
            "email": "V@Example.com",
            "hmac": signed(VISITOR_EMAIL),
            "visitorMessage": "hello",
        },
        headers=key,
    )
    assert started.status_code == 200, started.text
    case = world.cases[started.json["caseId"]]
    assert (case.state, case.agent_id, case.visitor.hmac) == ("assigned", BOT, signed(VISITOR_EMAIL))

    def queued(event: str) -> list[dict[str, Any]]:
        listed = client.simulate_get("/__admin/deliveries", params={"kind": "bot"}).json["deliveries"]
        details = [client.simulate_get(f"/__admin/deliveries/{d['id']}").json for d in listed]
        payloads = [json.loads(d["payload"]) for d in details if d["event"] == event]
        for payload in payloads:
            assert_valid(PAYLOAD_SCHEMAS[event], payload)
        return payloads

    [chat_started] = queued("chatStarted")
    assert chat_started["hmacVerificationResult"]["status"] == "VERIFIED"
    assert chat_started["email"] == VISITOR_EMAIL

    world.agent_message(case, BOT, "Travel?", attachment={"displayResponses": BUTTONS})
    polled = client.simulate_get(f"/api/v1/chat/poll/{case.case_id}", params={"index": "4"}, headers=key)
    assert_valid("visitor-chat-poll-response", polled.json)
    assert polled.json["messageList"] == [
        {"index": 4, "type": "agent", "author": "Helper Bot", "text": "Travel? ", "displayResponses": BUTTONS}
    ]
    sent = client.simulate_put(
        "/api/v1/chat",
        # the API asks for a messageBody with every message, a click too (the button's text)
        params={
            "caseId": case.case_id,
            "messageType": "1",
            "messageBody": "Yes",
            "displayResponseId": "btn-123",
        },
        headers=key,
    )
    assert sent.status_code == 200, sent.text
    assert case.entries[-1].sender == "VISITOR"
    assert case.entries[-1].message == "Yes"
    [clicked] = queued("message")
    assert (clicked["text"], clicked["id"]) == ("Yes", "btn-123")
    unknown = client.simulate_put(
        "/api/v1/chat",
        params={
            "caseId": case.case_id,
            "messageType": "1",
            "messageBody": "Yes",
            "displayResponseId": "btn-9",
        },
        headers=key,
    )
    assert unknown.status_code == 400


# -- commands -----------------------------------------------------------------------------------------------


def test_ban_bans_the_visitors_email_for_a_day_and_ends_the_chat() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("buy pills", reply(cmd("BAN")), email="spam@example.com")
        until = h.clock.now_ms() + BAN_S * 1000
        assert (case.state, case.ended_by, case.agent_id) == ("closed", "agent", BOT)
        assert h.org.bans == {"email:spam@example.com": until}
        assert h.events()[-2:] == [
            ("visitor.banned", {"ban": "email:spam@example.com", "untilMs": until}),
            ("case.closed", {"widgetId": SUPPORT_WIDGET, "endedBy": "agent", "agentId": BOT}),
        ]
        assert [p["event"] for p in h.sent()] == ["chatStarted", "chatClosed"]
        assert h.sent("chatClosed") == [
            {
                "widget_id": SUPPORT_WIDGET,
                "case_id": case.case_id,
                "timestamp": h.clock.now_ms(),
                "event": "chatClosed",
            }
        ]
        spammer = Visitor(email="spam@example.com", ip_address="198.51.100.1")
        with pytest.raises(Invalid, match="banned"):
            h.world.start_case(h.org, SUPPORT_WIDGET, spammer, "again")
        # only the email is banned, not the IP address it came from
        other = h.world.start_case(
            h.org, SUPPORT_WIDGET, Visitor(email="ok@example.com", ip_address=VISITOR_IP)
        )
        h.world.close(other, "visitor")
        h.world.scheduler.advance(BAN_S - 1)
        with pytest.raises(Invalid, match="banned"):
            h.world.start_case(h.org, SUPPORT_WIDGET, spammer, "again")
        h.world.scheduler.advance(1)
        again = h.world.start_case(h.org, SUPPORT_WIDGET, spammer, "sorry")
        assert (again.state, again.agent_id) == ("assigned", BOT)

    play(scenario)


def test_ban_of_a_visitor_without_an_email_bans_their_ip_address_for_a_day() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("spam", reply(cmd("BAN")), email=None)
        assert case.state == "closed"
        assert h.org.bans == {f"ip:{VISITOR_IP}": h.clock.now_ms() + BAN_S * 1000}

    play(scenario)


def test_ban_ip_bans_the_ip_address_for_good() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("spam", reply(cmd("BAN_IP")), ip_address="198.51.100.9")
        assert (case.state, case.ended_by) == ("closed", "agent")
        assert h.org.bans == {"ip:198.51.100.9": None}
        assert ("visitor.banned", {"ban": "ip:198.51.100.9", "untilMs": None}) in h.events()
        assert [p["event"] for p in h.sent()] == ["chatStarted", "chatClosed"]
        h.world.scheduler.advance(365 * 24 * 3600)
        with pytest.raises(Invalid, match="banned"):  # whatever email they give
            h.world.start_case(
                h.org, SUPPORT_WIDGET, Visitor(email="new@example.com", ip_address="198.51.100.9")
            )
        assert h.world.widget(OTHER_WIDGET)[0].bans == {}  # one organization's ban only

    play(scenario)


def test_bye_ends_the_chat_and_the_bot_gets_chat_closed() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("bye", sample("bot-reply-command.json"))
        assert (case.state, case.ended_by, case.agent_id) == ("closed", "agent", BOT)
        assert h.events()[-1] == (
            "case.closed",
            {"widgetId": SUPPORT_WIDGET, "endedBy": "agent", "agentId": BOT},
        )
        assert [p["event"] for p in h.sent()] == ["chatStarted", "chatClosed"]
        assert h.world.open_chats == {}
        with pytest.raises(Invalid, match="closed"):
            h.world.visitor_message(case, "wait")

    play(scenario)


def test_the_bot_gets_chat_closed_when_the_visitor_leaves_too() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start()
        h.world.close(case, "visitor")
        await h.settle()
        assert [p["event"] for p in h.sent()] == ["chatStarted", "chatClosed"]

    play(scenario)


def test_goto_sends_the_visitors_browser_to_the_url() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("prices?", sample("bot-reply-message-and-command.json"))
        assert h.lines(case, 4) == [
            ("BOT", "Let me show you our pricing page..."),
            ("SYSTEM", "/GTO https://example.com/pricing"),
        ]
        assert h.events()[-1] == (
            "case.redirected",
            {"widgetId": SUPPORT_WIDGET, "url": "https://example.com/pricing"},
        )
        view = poll_view(case, 5)
        assert_valid("visitor-chat-poll-response", view)
        assert view["messageList"] == [
            {"index": 5, "type": "system", "author": "", "text": "/GTO https://example.com/pricing "}
        ]
        assert case.state == "assigned"
        assert h.sent("commandResult") == []

    play(scenario)


def test_transfer_hands_the_chat_to_a_human_of_the_widget() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("a human please", reply(msg("One moment"), cmd("TRANSFER", SAM)))
        assert (case.state, case.agent_id) == ("assigned", SAM)
        assert h.events()[-1] == (
            "case.transferred",
            {
                "widgetId": SUPPORT_WIDGET,
                "toAgentId": SAM,
                "toWidgetId": SUPPORT_WIDGET,
                "fromAgentId": BOT,
                "fromWidgetId": SUPPORT_WIDGET,
            },
        )
        assert h.lines(case, 5) == [("SYSTEM", "/NIC Sam"), ("SYSTEM", "/CAL 1")]
        h.world.visitor_message(case, "hi Sam")
        h.world.agent_message(case, SAM, "Hi, Sam here")
        h.world.close(case, "agent")
        await h.settle()
        assert [p["event"] for p in h.sent()] == ["chatStarted"]  # the bot is out of it: no message, no close
        assert h.sent("commandResult") == []

    play(scenario)


def test_human_transfer_queues_the_chat_for_the_widgets_humans_only() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("a human please", reply(cmd("HUMAN_TRANSFER")))
        assert (case.state, case.agent_id, case.widget_id) == ("queued", None, SUPPORT_WIDGET)
        assert case.route == Route(humans_only=True, tags=(), exclude=BOT)
        assert h.events()[-3:] == [
            (
                "case.transferred",
                {
                    "widgetId": SUPPORT_WIDGET,
                    "toAgentId": None,
                    "toWidgetId": SUPPORT_WIDGET,
                    "fromAgentId": BOT,
                    "fromWidgetId": SUPPORT_WIDGET,
                },
            ),
            ("case.queued", {"widgetId": SUPPORT_WIDGET}),
            ("case.broadcasted", {"widgetId": SUPPORT_WIDGET, "agents": HUMANS}),
        ]
        assert case.entries[-1].message == "/NFO Just a moment...<br>"
        with pytest.raises(Invalid, match="human agents"):
            h.world.accept(case, BOT)
        h.world.accept(case, MICHAEL)
        assert (case.state, case.agent_id, case.route) == ("assigned", MICHAEL, None)
        h.world.visitor_message(case, "thanks")
        await h.settle()
        assert [p["event"] for p in h.sent()] == ["chatStarted"]

    play(scenario)


def test_label_sets_the_samples_labels_joining_several_values() -> None:
    async def scenario(h: Harness) -> None:
        h.world.set_integrations(
            h.org, SUPPORT_WIDGET, {"conversationEvents": {"url": HOOK, "events": ["caseLabeled"]}}
        )
        Dispatcher(h.world, h.engine, h.violations)
        case = await h.start("hello", sample("bot-reply-label.json"))
        assert case.labels == [("labelName1", "labelValue1"), ("labelName2", "labelValue1, labelValue2")]
        assert h.events()[-2:] == [
            (
                "case.labeled",
                {"widgetId": SUPPORT_WIDGET, "agentId": BOT, "name": "labelName1", "value": "labelValue1"},
            ),
            (
                "case.labeled",
                {
                    "widgetId": SUPPORT_WIDGET,
                    "agentId": BOT,
                    "name": "labelName2",
                    "value": "labelValue1, labelValue2",
                },
            ),
        ]
        labeled = [r.payload for r in h.bots.requests if r.url == HOOK]
        assert [(p["event"], p["agent_id"], p["label"]) for p in labeled] == [
            ("caseLabeled", f"wc:{BOT}", {"value": "labelValue1", "name": "labelName1"}),
            ("caseLabeled", f"wc:{BOT}", {"value": "labelValue1, labelValue2", "name": "labelName2"}),
        ]
        # labels as JSON rather than a JSON string, a single value, and a name set again
        await h.say(case, "more", reply(cmd("LABEL", {"labelName1": "again", "topic": ["billing"]})))
        assert case.labels == [
            ("labelName2", "labelValue1, labelValue2"),
            ("labelName1", "again"),
            ("topic", "billing"),
        ]
        assert case.state == "assigned"
        assert h.sent("commandResult") == []

    play(scenario)


def test_tag_transfer_on_the_own_widget_lets_only_the_tagged_agents_take_the_chat() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("my invoice", reply(cmd("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["BILLING"]')))
        assert (case.state, case.agent_id, case.tags) == ("queued", None, ("BILLING",))
        assert case.route == Route(humans_only=False, tags=("BILLING",), exclude=BOT)
        assert h.events()[-1] == ("case.broadcasted", {"widgetId": SUPPORT_WIDGET, "agents": [TINA]})
        for untagged in (SAM, BOT):
            with pytest.raises(Invalid, match="tagged BILLING"):
                h.world.accept(case, untagged)
        h.world.accept(case, TINA)
        assert (case.state, case.agent_id) == ("assigned", TINA)
        assert h.sent("commandResult") == []

    play(scenario)


def test_tag_transfer_to_a_widget_with_a_tagged_bot_starts_the_chat_for_that_bot() -> None:
    async def scenario(h: Harness) -> None:
        command = cmd("TAG_TRANSFER", f'{BILLING_WIDGET} ["VIP", "BILLING"]')
        h.bots.script("chatStarted", reply(msg("Billing here")), url=BILLING_BOT_URL)
        case = await h.start("my invoice", reply(command))
        assert (case.state, case.agent_id, case.widget_id) == ("assigned", BILLING_BOT, BILLING_WIDGET)
        assert [kind for kind, _ in h.events()][-5:] == [
            "case.transferred",
            "case.queued",
            "case.assigned",
            "case.message",
            "case.responded",
        ]
        assert case.entries[-1].sender == "BOT"
        assert case.entries[-1].message == "Billing here"
        [request] = [r for r in h.bots.requests if r.url == BILLING_BOT_URL]
        assert request.headers["Authorization"] == BILLING_TOKEN
        [started] = h.sent("chatStarted", url=BILLING_BOT_URL)
        assert (started["widget_id"], started["case_id"], started["tags"], started["text"]) == (
            BILLING_WIDGET,
            case.case_id,
            "VIP,BILLING",
            "my invoice",
        )
        await h.say(case, "invoice 42")
        assert [p["event"] for p in h.sent(url=BILLING_BOT_URL)] == ["chatStarted", "message"]
        assert [p["event"] for p in h.sent()] == ["chatStarted"]  # the first bot hears no more

    play(scenario)


def test_widget_transfer_requeues_the_chat_on_an_open_widget() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("I want to buy", reply(cmd("WIDGET_TRANSFER", SALES_WIDGET)))
        assert (case.state, case.agent_id, case.widget_id) == ("queued", None, SALES_WIDGET)
        assert case.route == Route(exclude=BOT)  # anyone there may take it, but the bot that handed it on
        assert h.events()[-3:] == [
            (
                "case.transferred",
                {
                    "widgetId": SALES_WIDGET,
                    "toAgentId": None,
                    "toWidgetId": SALES_WIDGET,
                    "fromAgentId": BOT,
                    "fromWidgetId": SUPPORT_WIDGET,
                },
            ),
            ("case.queued", {"widgetId": SALES_WIDGET}),
            ("case.broadcasted", {"widgetId": SALES_WIDGET, "agents": [CHARLIE]}),
        ]
        everything = (0, 2**62)
        assert case in h.world.cases_created(SALES_WIDGET, *everything)
        assert case not in h.world.cases_created(SUPPORT_WIDGET, *everything)
        with pytest.raises(Invalid):
            h.world.accept(case, SAM)  # not an agent of the sales widget
        h.world.accept(case, CHARLIE)
        assert case.agent_id == CHARLIE
        assert h.sent("commandResult") == []

    play(scenario)


def test_widget_transfer_to_a_widget_with_a_bot_starts_the_chat_for_that_bot() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("billing", reply(cmd("WIDGET_TRANSFER", BILLING_WIDGET)))
        assert (case.agent_id, case.widget_id) == (BILLING_BOT, BILLING_WIDGET)
        [started] = h.sent("chatStarted", url=BILLING_BOT_URL)
        assert started["widget_id"] == BILLING_WIDGET
        assert "tags" not in started

    play(scenario)


def test_widget_human_transfer_queues_the_chat_for_the_other_widgets_humans() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("I want to buy", reply(cmd("WIDGET_HUMAN_TRANSFER", SALES_WIDGET)))
        assert (case.state, case.widget_id) == ("queued", SALES_WIDGET)
        assert case.route == Route(humans_only=True, tags=(), exclude=BOT)
        assert h.events()[-1] == ("case.broadcasted", {"widgetId": SALES_WIDGET, "agents": [CHARLIE]})
        h.world.accept(case, CHARLIE)
        assert (case.state, case.agent_id) == ("assigned", CHARLIE)

    play(scenario)


CAT_CARDS = sample("bot-reply-cards.json")["content"][1]["parameters"]["cards"]


def test_cards_show_in_the_poll_vertical_and_horizontal() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("cats or dogs?", sample("bot-reply-cards.json"))
        assert h.lines(case, 4) == [
            ("BOT", "Which is better?"),
            ("BOT", "\n".join(f"{c['title']} - {c['link']}" for c in CAT_CARDS)),
        ]
        assert case.entries[-1].attachment == {"cards": {"layout": "VERTICAL", "cards": CAT_CARDS}}
        view = poll_view(case, 5)
        assert_valid("visitor-chat-poll-response", view)
        assert view["messageList"][0]["cards"] == {"layout": "VERTICAL", "cards": CAT_CARDS}
        assert "displayResponses" not in view["messageList"][0]

        horizontal = {
            "layout": "HORIZONTAL",
            "cards": [{"title": "Plans"}, {"link": "https://example.com/a"}],
        }
        await h.say(case, "more", reply(cmd("CARDS", json.dumps(horizontal))))  # as a JSON string too
        assert h.lines(case, 7) == [("BOT", "Plans\nhttps://example.com/a")]
        view = poll_view(case, 7)
        assert_valid("visitor-chat-poll-response", view)
        assert view["messageList"][0]["cards"] == horizontal
        assert case.state == "assigned"
        assert h.sent("commandResult") == []

    play(scenario)


# -- failed commands: one commandResult ---------------------------------------------------------------------


def _offline(*agents: str, status: str = "offline") -> Callable[[Harness], None]:
    def setup(h: Harness) -> None:
        for agent in agents:
            h.world.set_agent_status(h.org, agent, status)

    return setup


FAILURES = [
    # MISSING_PARAM: missing, "" and unusable parameters
    ("GOTO", MISSING, "MISSING_PARAM"),
    ("GOTO", "", "MISSING_PARAM"),
    ("GOTO", "   ", "MISSING_PARAM"),
    ("TRANSFER", MISSING, "MISSING_PARAM"),
    ("TRANSFER", "", "MISSING_PARAM"),
    ("LABEL", MISSING, "MISSING_PARAM"),
    ("LABEL", "", "MISSING_PARAM"),
    ("LABEL", "[]", "MISSING_PARAM"),
    ("LABEL", "labelName1=labelValue1", "MISSING_PARAM"),
    ("LABEL", '[{"labelName1": []}]', "MISSING_PARAM"),
    ("TAG_TRANSFER", MISSING, "MISSING_PARAM"),
    ("TAG_TRANSFER", "", "MISSING_PARAM"),
    ("TAG_TRANSFER", SUPPORT_WIDGET, "MISSING_PARAM"),
    ("TAG_TRANSFER", f"{SUPPORT_WIDGET} []", "MISSING_PARAM"),
    ("TAG_TRANSFER", f"{SUPPORT_WIDGET} [TAG1]", "MISSING_PARAM"),
    ("WIDGET_TRANSFER", MISSING, "MISSING_PARAM"),
    ("WIDGET_TRANSFER", "", "MISSING_PARAM"),
    ("WIDGET_HUMAN_TRANSFER", MISSING, "MISSING_PARAM"),
    ("WIDGET_HUMAN_TRANSFER", "", "MISSING_PARAM"),
    ("CARDS", MISSING, "MISSING_PARAM"),
    ("CARDS", "", "MISSING_PARAM"),
    ("CARDS", {"type": "cards", "layout": "VERTICAL", "cards": []}, "MISSING_PARAM"),
    ("CARDS", {"layout": "DIAGONAL", "cards": [{"title": "x"}]}, "MISSING_PARAM"),
    # WIDGET_NOT_FOUND
    ("WIDGET_TRANSFER", "no-such-widget", "WIDGET_NOT_FOUND"),
    ("WIDGET_HUMAN_TRANSFER", "no-such-widget", "WIDGET_NOT_FOUND"),
    ("TAG_TRANSFER", 'ZZZZ-ZZZZ-ZZZZ-ZZZZ ["TAG1", "TAG2"]', "WIDGET_NOT_FOUND"),
    # TRANSFER_NOT_ALLOWED: another organization's widget, the chat's own widget, the bot itself
    ("WIDGET_TRANSFER", OTHER_WIDGET, "TRANSFER_NOT_ALLOWED"),
    ("WIDGET_HUMAN_TRANSFER", OTHER_WIDGET, "TRANSFER_NOT_ALLOWED"),
    ("TAG_TRANSFER", f'{OTHER_WIDGET} ["BILLING"]', "TRANSFER_NOT_ALLOWED"),
    ("WIDGET_TRANSFER", SUPPORT_WIDGET, "TRANSFER_NOT_ALLOWED"),
    ("TRANSFER", BOT, "TRANSFER_NOT_ALLOWED"),
    # NO_AGENTS_AVAILABLE: nobody online there, nobody the transfer may reach
    ("WIDGET_TRANSFER", EMPTY_WIDGET, "NO_AGENTS_AVAILABLE"),
    ("WIDGET_HUMAN_TRANSFER", EMPTY_WIDGET, "NO_AGENTS_AVAILABLE"),
    ("WIDGET_HUMAN_TRANSFER", BILLING_WIDGET, "NO_AGENTS_AVAILABLE"),  # only a bot there
    ("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["NOBODY"]', "NO_AGENTS_AVAILABLE"),
    ("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["FAQ"]', "NO_AGENTS_AVAILABLE"),  # the bot's own tag: not back to it
    ("TRANSFER", "nobody@example.com", "NO_AGENTS_AVAILABLE"),  # not an agent of the widget
]


@pytest.mark.parametrize(("operation", "parameters", "code"), FAILURES)
def test_a_failed_command_reaches_the_bot_as_one_command_result(
    operation: str, parameters: Any, code: str
) -> None:
    expect_failure(cmd(operation, parameters), code)


@pytest.mark.parametrize(
    ("command", "setup", "start"),
    [
        (cmd("WIDGET_TRANSFER", SALES_WIDGET), None, LUNCH_BERLIN),  # closed by its schedule
        (cmd("WIDGET_HUMAN_TRANSFER", SALES_WIDGET), None, EVENING_BERLIN),
        (
            cmd("WIDGET_TRANSFER", SALES_WIDGET),
            _offline(CHARLIE),
            MONDAY_MORNING_BERLIN,
        ),  # open, nobody online
        (cmd("WIDGET_TRANSFER", SALES_WIDGET), _offline(CHARLIE, status="pause"), MONDAY_MORNING_BERLIN),
        (cmd("HUMAN_TRANSFER"), _offline(*HUMANS), MONDAY_MORNING_BERLIN),
        (cmd("HUMAN_TRANSFER"), _offline(*HUMANS, status="pause"), MONDAY_MORNING_BERLIN),
        (cmd("TRANSFER", SAM), _offline(SAM), MONDAY_MORNING_BERLIN),
        (cmd("TAG_TRANSFER", f'{SUPPORT_WIDGET} ["BILLING"]'), _offline(TINA), MONDAY_MORNING_BERLIN),
    ],
)
def test_no_agents_available_when_the_destination_is_closed_or_nobody_is_online(
    command: dict[str, Any], setup: Callable[[Harness], None] | None, start: datetime
) -> None:
    expect_failure(command, "NO_AGENTS_AVAILABLE", setup=setup, start=start)


def test_a_widget_with_conversations_off_has_no_agents_available() -> None:
    document = bot_document()
    sales = next(w for w in document["organizations"][0]["widgets"] if w["uuid"] == SALES_WIDGET)
    sales["enableConversations"] = False
    expect_failure(cmd("WIDGET_TRANSFER", SALES_WIDGET), "NO_AGENTS_AVAILABLE", document=document)


def expect_failure(
    command: dict[str, Any],
    code: str,
    *,
    setup: Callable[[Harness], None] | None = None,
    start: datetime = MONDAY_MORNING_BERLIN,
    document: dict[str, Any] | None = None,
) -> None:
    async def scenario(h: Harness) -> None:
        if setup is not None:
            setup(h)
        case = await h.start("hello", reply(command))
        parameters = command.get("parameters")
        params = (
            ""
            if parameters is None
            else parameters
            if isinstance(parameters, str)
            else json.dumps(parameters)
        )
        assert h.sent("commandResult") == [
            {
                "widget_id": SUPPORT_WIDGET,
                "case_id": case.case_id,
                "timestamp": h.clock.now_ms(),
                "event": "commandResult",
                "failedCommands": [{"operation": command["operation"], "params": params, "error": code}],
            }
        ]
        # nothing happened to the chat: it is still the bot's, on its widget
        assert (case.state, case.agent_id, case.widget_id, case.route) == (
            "assigned",
            BOT,
            SUPPORT_WIDGET,
            None,
        )
        assert len(case.entries) == 4
        assert case.labels is None
        kinds = [kind for kind, _ in h.events()]
        assert not {"case.transferred", "case.redirected", "case.labeled", "case.message"} & set(kinds)
        assert [d.status for d in h.bot_deliveries()] == ["delivered", "delivered"]
        assert h.violations.list() == []

    play(scenario, start=start, document=document)


def test_several_failures_make_one_command_result_in_order_and_later_commands_still_run() -> None:
    async def scenario(h: Harness) -> None:
        h.bots.script("commandResult", reply(cmd("BYE")))  # an answer to a commandResult is not applied
        case = await h.start(
            "hello",
            reply(
                cmd("GOTO", ""),
                cmd("WIDGET_TRANSFER", "no-such-widget"),
                cmd("LABEL", '[{"topic": ["billing"]}]'),
                msg("Still here"),
                cmd("WIDGET_TRANSFER", OTHER_WIDGET),
                cmd("GOTO", "https://example.com/help"),
                cmd("CARDS", {"layout": "VERTICAL"}),
            ),
        )
        [result] = h.sent("commandResult")
        assert result["failedCommands"] == [
            {"operation": "GOTO", "params": "", "error": "MISSING_PARAM"},
            {"operation": "WIDGET_TRANSFER", "params": "no-such-widget", "error": "WIDGET_NOT_FOUND"},
            {"operation": "WIDGET_TRANSFER", "params": OTHER_WIDGET, "error": "TRANSFER_NOT_ALLOWED"},
            {"operation": "CARDS", "params": '{"layout": "VERTICAL"}', "error": "MISSING_PARAM"},
        ]
        assert case.labels == [("topic", "billing")]
        assert h.lines(case, 4) == [("BOT", "Still here"), ("SYSTEM", "/GTO https://example.com/help")]
        assert (case.state, case.agent_id) == ("assigned", BOT)
        assert [p["event"] for p in h.sent()] == ["chatStarted", "commandResult"]

    play(scenario)


def test_a_failure_before_a_transfer_that_works_is_still_reported() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", reply(cmd("WIDGET_TRANSFER", "no-such-widget"), cmd("HUMAN_TRANSFER")))
        assert (case.state, case.route) == ("queued", Route(humans_only=True, exclude=BOT))
        [result] = h.sent("commandResult")
        assert result["failedCommands"] == [
            {"operation": "WIDGET_TRANSFER", "params": "no-such-widget", "error": "WIDGET_NOT_FOUND"}
        ]

    play(scenario)


# -- context_id ---------------------------------------------------------------------------------------------


def test_a_context_id_goes_back_on_the_next_request_only() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", reply(context_id="ctx-1"))
        assert "context_id" not in h.sent("chatStarted")[0]
        await h.say(case, "one", reply(msg("ok")))
        await h.say(case, "two", reply(cmd("GOTO"), context_id="ctx-2"))
        await h.say(case, "three", reply(context_id="ctx-3"))
        h.world.close(case, "visitor")
        await h.settle()
        assert [(p["event"], p.get("context_id")) for p in h.sent()] == [
            ("chatStarted", None),
            ("message", "ctx-1"),
            ("message", None),
            ("commandResult", "ctx-2"),  # the next request after the reply that set it
            ("message", None),
            ("chatClosed", "ctx-3"),
        ]
        # another chat never sees this one's context
        other = await h.start("hi", email="other@example.com")
        await h.say(other, "x")
        assert all("context_id" not in p for p in h.sent() if p["case_id"] == other.case_id)

    play(scenario)


def test_null_fields_of_a_reply_are_absent() -> None:
    """A Java bot serializes its unset fields as null: no context, no buttons, no parameters."""

    async def scenario(h: Harness) -> None:
        java = {
            "widget_id": None,
            "case_id": None,
            "context_id": None,
            "content": [
                {"type": "message", "text": "Hi there", "display_responses": None},
                {"type": "message", "text": "Pick one", "display_responses": [{"text": "Yes", "id": None}]},
                {"type": "command", "operation": "GOTO", "parameters": None},
            ],
        }
        assert_valid("bot-reply", java)
        case = await h.start("hello", java)
        assert h.lines(case, 4) == [("BOT", "Hi there"), ("BOT", "Pick one")]
        assert case.entries[-1].attachment == {"displayResponses": [{"text": "Yes"}]}
        [result] = h.sent("commandResult")
        assert "context_id" not in result
        assert "MISSING_PARAM" in json.dumps(result)
        await h.say(case, "Yes", reply(msg("ok"), context_id=None))
        assert "context_id" not in h.sent("message")[-1]

    play(scenario)


def test_a_context_id_goes_back_to_the_bot_that_set_it_only() -> None:
    async def scenario(h: Harness) -> None:
        transfer = cmd("TAG_TRANSFER", f'{BILLING_WIDGET} ["BILLING"]')
        case = await h.start("invoice", reply(cmd("GOTO"), transfer, context_id="helper-ctx"))
        assert case.agent_id == BILLING_BOT
        [started] = h.sent("chatStarted", url=BILLING_BOT_URL)
        assert "context_id" not in started  # another bot's context is not this one's
        [result] = h.sent("commandResult")
        assert result["context_id"] == "helper-ctx"

    play(scenario)


# -- bots that fail -----------------------------------------------------------------------------------------


BAD_ANSWERS = [
    pytest.param((500, {}, b"oops"), "HTTP 500", False, id="http-500"),
    pytest.param((302, {"Location": "http://elsewhere.test/"}, b""), "HTTP 302", False, id="http-302"),
    pytest.param(TimeoutError(), "no answer within 10 s", False, id="timeout"),
    pytest.param(ConnectionRefusedError("refused"), "ConnectionRefusedError", False, id="refused"),
    pytest.param(b"<html>hello</html>", "the reply is not JSON", True, id="not-json"),
    pytest.param(
        reply(msg("first"), cmd("DANCE")), "the reply breaks schema bot-reply", True, id="unknown-operation"
    ),
    pytest.param(
        {"content": {"type": "message"}}, "the reply breaks schema bot-reply", True, id="content-object"
    ),
    pytest.param(
        {"content": [{"text": "no type"}]}, "the reply breaks schema bot-reply", True, id="item-without-type"
    ),
    pytest.param([1, 2], "the reply breaks schema bot-reply", True, id="json-array"),
]


@pytest.mark.parametrize(("answer", "reason", "bad_reply"), BAD_ANSWERS)
def test_a_bot_that_fails_to_answer_chat_started_loses_the_chat_to_the_humans(
    answer: Any, reason: str, bad_reply: bool
) -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", answer)
        [delivery] = h.bot_deliveries()
        assert delivery.status == "failed"
        [attempt] = delivery.attempts  # one attempt: no retries for a bot
        assert attempt.error is not None
        assert reason in attempt.error
        assert delivery.detail()["attemptLog"][0]["error"] == attempt.error
        # Listed as a reply that breaks the contract: a bad one with its errors, none at all with its cause.
        [violation] = h.violations.list()
        assert (violation["kind"], violation["schema"]) == ("bot_reply", "bot-reply")
        assert violation["errors"]
        if not bad_reply:
            assert violation["errors"] == [{"path": "", "message": f"no reply: {attempt.error}"}]
        assert_handed_to_humans(h, case)

    play(scenario)


def assert_handed_to_humans(h: Harness, case: Case) -> None:
    assert h.lines(case, 4)[-1] == ("SYSTEM", "/NFO Just a moment...<br>")
    assert not any(e.sender == "BOT" for e in case.entries)  # nothing of a bad reply was applied
    assert (case.state, case.agent_id, case.widget_id) == ("queued", None, SUPPORT_WIDGET)
    assert case.route == Route(humans_only=True, tags=(), exclude=BOT)
    assert [kind for kind, _ in h.events()][-3:] == ["case.transferred", "case.queued", "case.broadcasted"]
    assert h.world.events.since(0)[-1].data["agents"] == HUMANS
    with pytest.raises(Invalid):
        h.world.accept(case, BOT)
    h.world.accept(case, TINA)
    assert (case.state, case.agent_id) == ("assigned", TINA)
    assert h.sent("commandResult") == []
    assert h.sent("chatClosed") == []


def test_a_bot_that_fails_to_answer_a_message_loses_the_chat_too() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", reply(msg("Hi! Ask me anything")))
        await h.say(case, "what?", (503, {}, b""))
        assert [d.status for d in h.bot_deliveries()] == ["delivered", "failed"]
        assert (case.state, case.route) == ("queued", Route(humans_only=True, exclude=BOT))
        h.world.accept(case, SAM)
        assert case.agent_id == SAM

    play(scenario)


def test_a_failed_bot_with_no_human_online_leaves_the_chat_waiting_until_the_queue_times_out() -> None:
    async def scenario(h: Harness) -> None:
        _offline(*HUMANS)(h)
        case = await h.start("hello", TimeoutError())
        assert case.state == "queued"
        assert "case.broadcasted" not in [kind for kind, _ in h.events()][-2:]
        h.world.scheduler.advance(QUEUE_TIMEOUT_S)
        await h.settle()
        assert (case.state, case.ended_by) == ("closed", "no_agents_found")
        assert h.sent("chatClosed") == []  # the bot had lost the chat already

    play(scenario)


def test_a_failing_chat_closed_changes_nothing() -> None:
    async def scenario(h: Harness) -> None:
        h.bots.script("chatClosed", (500, {}, b""))
        case = await h.start("hello", reply(cmd("BYE")))
        assert [d.status for d in h.bot_deliveries()] == ["delivered", "failed"]
        assert (case.state, case.ended_by) == ("closed", "agent")
        assert h.violations.list() == []

    play(scenario)


@pytest.mark.parametrize("body", [b"", b"  \n", ""])
def test_an_empty_answer_is_fine_and_changes_nothing(body: bytes | str) -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", body)
        assert [(d.status, d.attempts[0].error) for d in h.bot_deliveries()] == [("delivered", None)]
        assert (case.state, case.agent_id, len(case.entries)) == ("assigned", BOT, 4)
        assert h.violations.list() == []

    play(scenario)


def test_a_json_reply_is_applied_whatever_its_content_type() -> None:
    async def scenario(h: Harness) -> None:
        body = json.dumps(reply(msg("Hi there"))).encode()
        case = await h.start("hello", (200, {"Content-Type": "text/html; charset=utf-8"}, body))
        assert case.entries[-1].sender == "BOT"
        assert case.entries[-1].message == "Hi there"
        assert h.bot_deliveries()[0].status == "delivered"

    play(scenario)


# -- a reply's items once the bot has lost the chat ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "state", "agent"),
    [
        (
            [cmd("BYE"), msg("still there?"), cmd("GOTO", "https://example.com"), cmd("GOTO", "")],
            "closed",
            BOT,
        ),
        ([cmd("BAN"), msg("banned!"), cmd("LABEL", '[{"a": ["b"]}]')], "closed", BOT),
        ([cmd("TRANSFER", SAM), msg("I am still here"), cmd("LABEL", '[{"a": ["b"]}]')], "assigned", SAM),
        ([cmd("HUMAN_TRANSFER"), msg("bye"), cmd("WIDGET_TRANSFER", "no-such-widget")], "queued", None),
        ([cmd("WIDGET_TRANSFER", SALES_WIDGET), cmd("GOTO", "https://example.com")], "queued", None),
    ],
)
def test_items_after_the_bot_lost_the_chat_are_not_applied(
    content: list[dict[str, Any]], state: str, agent: str | None
) -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello", reply(msg("first"), *content))
        assert (case.state, case.agent_id) == (state, agent)
        assert [e.message for e in case.entries if e.sender == "BOT"] == ["first"]
        assert not any(e.message.startswith("/GTO") for e in case.entries)
        assert case.labels is None
        assert h.sent("commandResult") == []  # the failing command after it never ran

    play(scenario)


def test_a_reply_that_arrives_after_the_visitor_left_is_dropped() -> None:
    async def scenario(h: Harness) -> None:
        case = await h.start("hello")
        h.bots.script("message", reply(msg("too late"), cmd("GOTO", "https://example.com")))
        h.world.visitor_message(case, "never mind")
        h.world.close(case, "visitor")  # before the bot's answer is in
        await h.settle()
        assert case.state == "closed"
        assert not any(e.sender == "BOT" or e.message.startswith("/GTO") for e in case.entries)
        assert [p["event"] for p in h.sent()] == ["chatStarted", "message", "chatClosed"]  # in order

    play(scenario)


# -- the simulated humans stay out of a bot's chats ---------------------------------------------------------


def test_the_autopilot_never_acts_for_a_bot_but_takes_what_the_bot_hands_to_humans() -> None:
    async def scenario(h: Harness) -> None:
        Autopilot(h.world)
        case = await h.start("hello")
        h.world.scheduler.advance(30)
        await h.say(case, "anyone?", reply(cmd("HUMAN_TRANSFER")))
        assert [e.sender for e in case.entries].count("AGENT") == 0
        h.world.scheduler.advance(30)
        await h.settle()
        assert case.state == "assigned"
        assert case.agent_id in HUMANS
        assert case.entries[-1].sender == "AGENT"  # the human greets
        assert [p["event"] for p in h.sent()] == ["chatStarted", "message"]

    play(scenario)


def test_the_world_document_with_bots_round_trips() -> None:
    document = bot_document(secret=SECRET)
    world = World(copy.deepcopy(document), ManualClock(MONDAY_MORNING_BERLIN))
    dumped = world.dump()
    assert_valid("world", dumped)
    assert World(dumped, ManualClock(MONDAY_MORNING_BERLIN)).dump() == dumped
    support = world.orgs[ORG_ID].widgets[SUPPORT_WIDGET]
    assert (support.identity_secret, support.agents[0].tags, support.agents[0].bot) == (
        SECRET,
        ("FAQ",),
        {"url": BOT_URL, "authToken": BOT_TOKEN},
    )
