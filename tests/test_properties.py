"""Property tests: arbitrary bodies, query strings and headers at every endpoint, through Falcon's TestClient.

For every generated request, on a fresh default world per example (some with chats started in it first, some
with bots on two widgets more, one answered by a scripted bot and one whose webhook refuses):
1. the answer is never a 5xx, and no timer the request lets run fails (the scheduler logs and swallows that);
2. an error has its family's documented shape (`api-error`; the Visitor Chat API's empty 404; the Widget
   Availability API's `{"statusCode", "error"}`, sent with HTTP 200 for an unknown widget) and one of the
   statuses the route documents, with 401 for wrong credentials, 405 for a method the route has not and
   404 for an unknown path, and the status the request alone decides where it does (a banned visitor, a
   button the bot did not offer, an agent taken off a widget); a success validates against its schema;
3. a rejected request, and any read, changes nothing: not the world document, the event log, the cases,
   the clock, the pending timers, the bans nor the simulated agents' switch (a successful poll with
   isTyping may set the visitor's typing flag); an accepted change records the events it should (one for
   most; any number once a bot was called, since its reply acts on the chat at once).
After the generated requests every case must show as a valid admin-case and in a valid Logs API page, and
GET /__admin/world must still answer a valid world document, which PUT /__admin/world takes back unchanged.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import logging
import re
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit

import yaml
from falcon.testing import Result, TestClient
from hypothesis import example, given, note, settings
from hypothesis import strategies as st

from mocksnap import schemas
from mocksnap.actors.autopilot import Autopilot
from mocksnap.api.logs import encode_next
from mocksnap.app import create_app
from mocksnap.clock import ManualClock, iso, to_ms
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Dispatcher
from mocksnap.world import World
from mocksnap.world import document as world_document
from mocksnap.world.models import Case, Organization, Visitor
from tests.conftest import (
    API_TOKEN,
    MONDAY_MORNING_BERLIN,
    ORG_ID,
    OWNER,
    PROVISIONING_KEY,
    SALES_WIDGET,
    SAMPLES,
    SUPPORT_WIDGET,
    VISITOR_KEY,
    LocalClient,
    assert_valid,
    default_document,
)

DEFAULT_DOCUMENT = default_document()
# The id the first widget created in a seed-7 world gets, so that generated requests can name it.
NEW_WIDGET = World(copy.deepcopy(DEFAULT_DOCUMENT), ManualClock(MONDAY_MORNING_BERLIN), seed=7).new_uuid(
    "widget"
)
NEW_USER = "x@example.com"  # the samples' user, not in the default world


def _sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


USER_CREATE = _sample("provisioning-user-create-request")
USER_UPDATE = _sample("provisioning-user-update-request")
WIDGET_CREATE = _sample("provisioning-widget-create-request")
WIDGET_UPDATE = _sample("provisioning-widget-update-request")

# Valid requests to start from, by method: the samples, with the world's owner where one is needed.
USER_TEMPLATES = {
    "PUT": [
        USER_CREATE,
        {**USER_CREATE, "email": "New.User@Example.COM", "templateId": "premier-template"},
        {"email": NEW_USER, "name": "Jimbo", "password": "12345", "templateId": "premier-template"},
    ],
    "POST": [{**USER_UPDATE, "email": OWNER}, {"email": OWNER, "name": "Ada"}, USER_UPDATE],
}
WIDGET_TEMPLATES = {
    "PUT": [
        {**WIDGET_CREATE, "email": OWNER},
        {"email": OWNER, "agents": WIDGET_CREATE["agents"]},
        WIDGET_CREATE,
    ],
    "POST": [
        {**WIDGET_UPDATE, "email": OWNER},
        {**WIDGET_UPDATE, "email": OWNER, "uuid": SUPPORT_WIDGET},
        {"email": OWNER, "uuid": SALES_WIDGET, "agents": WIDGET_UPDATE["agents"]},
        WIDGET_UPDATE,
    ],
}

# -- worlds with chats in them -----------------------------------------------------------------------------

CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/57.0.2987.133 Safari/537.36"
)
AGENTS = ["sam@example.com", "michael@example.com", "charlie@example.com", "dana@example.com"]
HOOK = "http://127.0.0.1:9/hook"
CONVERSATION_EVENTS = [
    "caseQueued",
    "caseBroadcasted",
    "caseAssigned",
    "caseResponded",
    "caseLabeled",
    "caseTransferred",
    "caseSurveyed",
    "caseClosed",
]
# The subscriptions of tests/api/test_admin_integrations.py.
SUBSCRIPTIONS = {
    "integrationApi": {"url": "http://127.0.0.1:9/hooks/case", "authToken": "secret", "format": "xml"},
    "conversationEvents": {"url": "http://127.0.0.1:9/hooks/events", "events": ["caseQueued", "caseClosed"]},
    "getContact": {"url": "https://crm.example.com/segetcontact", "systemName": "CRM"},
}
# What a "hooks" world subscribes to: every kind of delivery, to one URL.
HOOKS_SUBSCRIPTIONS = {
    "integrationApi": {"url": HOOK, "authToken": "secret"},
    "conversationEvents": {"url": HOOK, "events": CONVERSATION_EVENTS},
    "getContact": {"url": HOOK, "systemName": "CRM"},
}


# -- bots ----------------------------------------------------------------------------------------------------

BOT_WIDGET = "b0700000-0000-4000-8000-000000000001"  # 24x7: a bot first, then Tina (tagged BILLING), Michael
SOLO_WIDGET = "b0700000-0000-4000-8000-000000000002"  # a bot whose webhook refuses, and nobody else
BOT, BROKEN_BOT, TINA = "helper-bot", "broken-bot", "tina@example.com"
BOT_HOOK = "http://127.0.0.1:9/bot"  # answered by the scripted bot below
BROKEN_BOT_HOOK = "http://127.0.0.1:9/broken-bot"  # refused, as every URL but BOT_HOOK
IDENTITY_SECRET = "identity-secret"  # BOT_WIDGET's Visitor Identity Verification
BANNED = "banned@example.com"  # banned (by email, for a day) in a "bots" world


def _hmac(email: str) -> str:
    return hmac.new(IDENTITY_SECRET.encode(), email.encode(), hashlib.sha256).hexdigest()


GOOD_HMAC = _hmac("v@example.com")
BOT_AGENT = {
    "agentId": BOT,
    "agentAlias": "Helper Bot",
    "agentAvatar": "",
    "agentType": "bot",
    "tags": ["FAQ"],
    "bot": {"url": BOT_HOOK, "authToken": "bot-token"},
    "status": "online",
}


def _bot_document() -> dict[str, Any]:
    """The default world and two widgets more, BOT_WIDGET (with Visitor Identity Verification) and
    SOLO_WIDGET; in canonical form."""
    document = copy.deepcopy(DEFAULT_DOCUMENT)
    human = {"agentAvatar": "", "agentType": "webclient", "status": "online"}
    document["organizations"][0]["widgets"] += [
        {
            "uuid": BOT_WIDGET,
            "name": "Bots (24x7)",
            "email": OWNER,
            "visitorIdentityVerification": {"secret": IDENTITY_SECRET},
            "agents": [
                BOT_AGENT,
                {"agentId": TINA, "agentAlias": "Tina", **human, "tags": ["BILLING", "VIP"]},
                {"agentId": "michael@example.com", "agentAlias": "Michael", **human},
            ],
        },
        {
            "uuid": SOLO_WIDGET,
            "name": "Broken bot",
            "email": OWNER,
            "agents": [
                {**BOT_AGENT, "agentId": BROKEN_BOT, "agentAlias": "Broken Bot", "tags": []}
                | {"bot": {"url": BROKEN_BOT_HOOK}}
            ],
        },
    ]
    return World(document, ManualClock(MONDAY_MORNING_BERLIN)).dump()


BOT_DOCUMENT = _bot_document()
MENU = [
    {"text": "Billing", "id": "billing"},
    {"text": "Cards", "id": "cards"},
    {"text": "A human", "id": "human"},
    {"text": "Label", "id": "label"},
    {"text": "Ban me", "id": "ban"},
    {"text": "Bye"},  # clicked by its text alone
]
CARDS = {
    "layout": "HORIZONTAL",
    "cards": [{"title": "FAQ", "link": "https://example.com/faq"}, {"excerpt": "Prices start at $9"}],
}


def _command(operation: str, parameters: Any) -> dict[str, Any]:
    return {"type": "command", "operation": operation, "parameters": parameters}


def bot_reply(payload: dict[str, Any]) -> dict[str, Any] | None:
    """What the scripted bot answers: its menu of display responses to chatStarted; to a message, what the
    button clicked (or the text written) asks for, else the menu again; nothing to the other events."""
    menu = {"type": "message", "text": "How can I help?", "display_responses": MENU}
    if payload["event"] == "chatStarted":
        return {"context_id": "ctx-1", "content": [menu]}
    if payload["event"] != "message":
        return None
    choice = payload.get("id") or payload["text"].strip().lower()
    commands = {
        "billing": [_command("TAG_TRANSFER", f'{BOT_WIDGET} ["BILLING"]')],
        "cards": [_command("CARDS", CARDS), menu],
        "human": [_command("HUMAN_TRANSFER", None)],
        # A command that fails (MISSING_PARAM): a commandResult follows.
        "label": [_command("LABEL", '[{"topic": ["bots"]}]'), _command("WIDGET_TRANSFER", ""), menu],
        "ban": [_command("BAN", None)],
        "bye": [{"type": "message", "text": "Bye!"}, _command("BYE", None)],
    }
    return {"content": commands.get(choice, [{**menu, "text": f"You said: {payload['text'][:40]}"}])}


class Receivers:
    """The scripted bot at BOT_HOOK; every other delivery attempt refused at once: no network, and the same
    outcome every run."""

    async def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, dict[str, str], bytes]:
        if url != BOT_HOOK:
            raise ConnectionRefusedError(f"{url} refused")
        reply = bot_reply(json.loads(body))
        return 200, {"Content-Type": "application/json"}, b"" if reply is None else json.dumps(reply).encode()


def _dispatcher(world: World) -> Dispatcher:
    """The app's dispatcher of deliveries, found among the world's event listeners, as _autopilot below."""
    return next(
        owner
        for listener in world.events._listeners
        if isinstance(owner := getattr(listener, "__self__", None), Dispatcher)
    )


def _engine(world: World) -> DeliveryEngine:
    return _dispatcher(world).engine


def seed(world: World, setup: str) -> None:
    """Cases for generated requests to act on, made through world commands once the app (and so its
    simulated agents) is up. "chats": a queued chat, an accepted and answered one, a closed and surveyed one
    and an offline message; "many": those and 120 offline messages more, for the Logs API's pages; "hooks":
    the chats, with the 24x7 widget subscribed to every kind of delivery and an agent status webhook set
    first, so that the delivery log holds entries; "bots" (in BOT_DOCUMENT): the chats, then BOT_WIDGET
    subscribed to every kind of delivery, on it the chat of a visitor banned since, on SOLO_WIDGET a chat
    its bot failed to take (handed on to humans, of whom it has none), and on BOT_WIDGET a chat with the
    bot, who has offered its menu. Chats are asked of 24x7 widgets only, so the cases and their ids are the
    same whatever the clock shows."""
    if setup == "none":
        return
    org = world.orgs[ORG_ID]
    if setup == "hooks":
        world.set_integrations(org, SUPPORT_WIDGET, HOOKS_SUBSCRIPTIONS)
        world.set_agent_status_webhook(org, {"url": HOOK, "authToken": "agents"})
        world.set_agent_status(org, "dana@example.com", "online")
    world.start_case(org, SUPPORT_WIDGET, Visitor(email="v@example.com"), "hello")
    visitor = Visitor(email="w@example.com", user_agent=CHROME, locale="en", ip_address="127.0.0.1")
    answered = world.start_case(org, SUPPORT_WIDGET, visitor, "I need help")
    world.accept(answered, "sam@example.com")
    world.agent_message(answered, "sam@example.com", "Hi, how can I help?", {"de": "Hallo"})
    closed = world.start_case(org, SUPPORT_WIDGET, Visitor(), None)
    world.accept(closed, "michael@example.com")
    world.label(closed, "topic", "billing")
    world.close(closed, "visitor")
    world.survey(closed, 80, "quick")
    offline = Visitor(email="o@example.com", phone="555-617-8980")
    world.start_case(org, SUPPORT_WIDGET, offline, "call me back", offline=True)
    if setup == "many":
        for i in range(120):
            widget = SALES_WIDGET if i % 3 == 0 else SUPPORT_WIDGET
            world.start_case(org, widget, Visitor(email=f"v{i}@example.com"), f"message {i}", offline=True)
    if setup == "bots":
        # Every kind of delivery of the bots' chats too (each checked against its schema as it is made).
        world.set_integrations(org, BOT_WIDGET, HOOKS_SUBSCRIPTIONS)
        banned = world.start_case(org, BOT_WIDGET, Visitor(email=BANNED), "hello")
        world.ban(banned)
        world.start_case(org, SOLO_WIDGET, Visitor(email="s@example.com"), "anyone there?")
        visitor = Visitor(email="v@example.com", ip_address="127.0.0.1", hmac=GOOD_HMAC)
        world.start_case(org, BOT_WIDGET, visitor, "hello bot")


def new_world(clock_start: datetime, setup: str) -> tuple[World, TestClient]:
    document = BOT_DOCUMENT if setup == "bots" else DEFAULT_DOCUMENT
    world = World(copy.deepcopy(document), ManualClock(clock_start), seed=7)
    client = LocalClient(create_app(world=world))
    _engine(world).transport = Receivers()
    seed(world, setup)
    if setup in ("hooks", "bots"):
        # Falcon's TestClient runs the app's lifespan around every request, and so the delivery engine on
        # that request's loop: a first request makes the first attempts (each refused, its retry a timer; or
        # the bots' calls, answered or failed for good), so that what the generated requests see no longer
        # moves by itself.
        client.simulate_get("/__admin/health")
    return world, client


CHAT_CASES = list(new_world(MONDAY_MORNING_BERLIN, "chats")[0].cases)
DELIVERY_IDS = list(_engine(new_world(MONDAY_MORNING_BERLIN, "hooks")[0]).log)
QUEUED_CASE, ANSWERED_CASE, CLOSED_CASE, OFFLINE_CASE = CHAT_CASES
BOT_CASES = list(new_world(MONDAY_MORNING_BERLIN, "bots")[0].cases)[len(CHAT_CASES) :]
BANNED_CASE, HANDED_CASE, BOT_CASE = BOT_CASES
# Stands for the newest case of the world when the request is sent: one a sequence has just started.
LAST_CASE = "__LAST_CASE__"
LOGS = f"/api/v2/{ORG_ID}/logs"


def _next_token(query: str) -> str:
    """The next token of page one of the 124 cases of a "many" world."""
    _, client = new_world(MONDAY_MORNING_BERLIN, "many")
    page = client.simulate_get(LOGS, query_string=query, headers={"Authorization": API_TOKEN}).json
    return parse_qs(urlsplit(page["linkToNextSetOfResults"]).query)["next"][0]


REAL_NEXT = [
    _next_token("start=2026-11-23&end=2026-11-23"),
    _next_token(
        urlencode(
            {"start": "2026-11-23", "end": "2026-11-23", "widgetId": f"{SALES_WIDGET},{SUPPORT_WIDGET}"}
        )
    ),
    _next_token(
        urlencode({"start": "2026-11-23T10:00:00+01:00", "end": "2026-11-24", "timezone": "Europe/Berlin"})
    ),
]
DAY_MS = (to_ms(datetime(2026, 11, 23, tzinfo=UTC)), to_ms(datetime(2026, 11, 24, tzinfo=UTC)))
# Tokens with a good signature (as the server would issue them, or could not): deeper than edited ones.
SIGNED_NEXT = [
    encode_next(ORG_ID, [SUPPORT_WIDGET], *DAY_MS, [50]),
    encode_next(ORG_ID, [SALES_WIDGET, SUPPORT_WIDGET], *DAY_MS, [0, 80]),
    encode_next(ORG_ID, ["0ther-w1dget"], *DAY_MS, [0]),  # a widget deleted since
    encode_next("77", [SUPPORT_WIDGET], *DAY_MS, [100]),  # another organization's
    encode_next(ORG_ID, [SUPPORT_WIDGET], DAY_MS[1], DAY_MS[0], [0]),  # start after end
    encode_next(ORG_ID, [], *DAY_MS, []),
    encode_next(ORG_ID, [SUPPORT_WIDGET], *DAY_MS, [-1]),
    encode_next(ORG_ID, [SUPPORT_WIDGET], *DAY_MS, [10**30]),
    encode_next(ORG_ID, [SUPPORT_WIDGET], -(2**70), 2**70, [0]),
    encode_next(ORG_ID, [SUPPORT_WIDGET], float(DAY_MS[0]), DAY_MS[1], [0]),  # type: ignore[arg-type]
    encode_next(ORG_ID, [SUPPORT_WIDGET, SALES_WIDGET], *DAY_MS, [0]),
]

# Values worth trying for a field, by its name ("name[]" is an item of the list called name).
SPECIAL: dict[str, list[Any]] = {
    "email": [OWNER, NEW_USER, "ADMIN@Example.COM", " admin@example.com ", "a@b", "İ" * 60 + "@x.io"],
    "destinationEmail": ["Support@Example.com", "x@example.com\n", "no-at-sign", "İ" * 60 + "@x.io"],
    "name": ["", " ", "n" * 99, "n" * 100, "\ud800", "\x00"],
    "password": ["1234", "12345", "p" * 99, "p" * 100],
    "phone": ["", "555", "+1 (555) 617-8980 ext. 12", "555-617-8980\n", "phone"],
    "accountType": ["trial", "prem", "enterprise", "Enterprise", ""],
    "templateId": ["premier-template", "", "no-such-template"],
    "uuid": [SUPPORT_WIDGET, SALES_WIDGET, NEW_WIDGET, SUPPORT_WIDGET.upper(), "", "u" * 65],
    "agentId": ["wc:", "WC:Sam@Example.com", "wc:wc:x", "sam@example.com", "has space", "İ" * 99, "x\n"],
    "agentAlias": ["", "a" * 99, "a" * 100],
    "agentAvatar": ["", "v" * 2001],
    "agentType": ["webclient", "google", "skype", "WEBCLIENT"],
    "enableProactiveChat": ["true", "false", True, False, "TRUE", None],
    "enableConversations": [True, False, "true"],
    "emailRequired": [True, False, "true"],
    "timeZone": ["Factory", "America", "Etc", "zone.tab", "../UTC", "UTC/", "Mars/Olympus", "\x00"],
    "dayOfWeek": ["MONDAY", "SUNDAY", "monday", ""],
    "enabled": [True, False, 1],
    "scheduleList": [
        [],
        ["9:00 AM"],
        ["5:00 PM", "9:00 AM"],
        ["12:00 AM", "12:00 AM"],
        ["12:00 PM", "12:00 AM"],
    ],
    "scheduleList[]": ["12:00 AM", "11:59 PM", "13:00 PM", "9:00AM", "9:00 am", "0:00 AM", "9:00 AM\n"],
    "agents": [[]],
    "schedules": [[]],
    "conversationSchedule": [None, {}],
    "orgId": ["1", "0", "5406213", "1" * 19],
    "apiToken": ["", " ", "mocksnap-visitor-key", "k" * 201, "ключ"],
    "provisioningApiKey": ["", "mocksnap-api-token", "k" * 200],
    "visitorApiKey": ["", "mocksnap-provisioning-key", "k" * 200],
    "status": ["online", "pause", "offline", "away"],
    "subStatus": ["", "s" * 201],
}
# The live-chat APIs' fields (the agentId, name, enabled, status and subStatus above serve them too).
SPECIAL["agentId"] += [*AGENTS, "wc:michael@example.com", "SAM@EXAMPLE.COM", "nobody@example.com", "a" * 100]
SPECIAL["name"] += ["n" * 200, "n" * 201]
SPECIAL["enabled"] += ["true", None, 0]
SPECIAL["status"] += ["ONLINE", "", None]
SPECIAL["subStatus"] += [None, "s" * 200, "Gone to lunch"]
SPECIAL |= {
    "widgetId": [
        SUPPORT_WIDGET,
        SALES_WIDGET,
        SUPPORT_WIDGET.upper(),
        NEW_WIDGET,
        "",
        " " + SUPPORT_WIDGET,
        "w" * 65,
    ],
    "caseId": [*CHAT_CASES, LAST_CASE, QUEUED_CASE.upper(), "", " " + QUEUED_CASE, "c" * 65, SUPPORT_WIDGET],
    "messageType": ["1", "2", "3", "0", "", " 1", "1.0", "\u0661"],
    "messageBody": ["", " ", "m" * 10_000, "m" * 10_001, "\ud800"],
    "visitorMessage": ["", " ", "v" * 10_000, "v" * 10_001],
    "isOffline": ["true", "false", "TRUE", "", "yes", "1", "true\n", "\n"],
    "locale": ["en", "de-DE", "l" * 100, "l" * 101],
    "userAgent": [
        CHROME,
        "",
        "Opera/9.80 (Windows NT 6.1) Presto/2.12 Version/12.16",
        "u" * 2000,
        "u" * 2001,
    ],
    "appVersionName": ["", "a" * 200, "a" * 201],
    "agent_id": [
        *AGENTS,
        "wc:dana@example.com",
        "SAM@example.com",
        " sam@example.com ",
        "wc:",
        "x@example.com",
    ],
    "sub_status": ["", None, "Gone to lunch", "s" * 200, "s" * 201, "\ud800", 0],
    "seconds": [
        *[0, 0.0005, 1, 2, 6, 119.999, 120, 1800, 1801, 31_622_400, 31_622_400.5, -1, -0.0, 1e-300, 1e300],
        *["10", None, True, float("nan"), float("inf")],
    ],
    "text": ["", " ", "t" * 10_000, "t" * 10_001, "\ud800"],
    "typing": [True, False, "true", 1, None],
    "translations": [{}, {"en": "Hello"}, {"en": 1}, {"": ""}, [], None, "en"],
    "value": ["", "v" * 2000, "v" * 2001],
    "endedBy": ["agent", "visitor", "timed_out", "no_agents_found", "AGENT", "", None],
    "score": [0, 100, 101, -1, 50.0, 50.5, "50", True, 10**20],
    "comment": ["", "c" * 2000, "c" * 2001, None],
}
# Outbound subscriptions' fields (url, events and format are no other request's fields).
SPECIAL |= {
    "url": [
        *[HOOK, "https://crm.example.com/segetcontact?system=crm", "HTTPS://X", "http://x:0", "http://x\n"],
        *["ftp://x", "http://", "http:///x", "http://x y", "//x", "x", "javascript:alert(1)", " http://x"],
        *["http://" + "x" * 1993, "http://" + "x" * 1994],
    ],
    "events": [[], CONVERSATION_EVENTS, ["caseQueued", "caseQueued"], "caseQueued", None, {}],
    "events[]": [*CONVERSATION_EVENTS, "caseExploded", "CaseQueued", "caseTyping", "", None, 1],
    "format": ["json", "xml", "csv", "JSON", "", None],
    "authToken": ["", "t" * 2000, "t" * 2001, None, "Bearer x\n", 1],
    "systemName": ["", "s" * 200, "s" * 201, None],
}
# Bots, tags and Visitor Identity Verification (the world document, PUT /__admin/widgets/{id}/agents/{agent});
# the Visitor Chat API's hmac and displayResponseId, and texts the scripted bot acts on.
SPECIAL["agentType"] += ["bot", "Bot"]
SPECIAL["agentId"] += [BOT, BROKEN_BOT, TINA, "new-bot"]
SPECIAL["uuid"] += [BOT_WIDGET]
SPECIAL["widgetId"] += [BOT_WIDGET, SOLO_WIDGET]
SPECIAL["caseId"] += BOT_CASES
SPECIAL["email"] += [BANNED, "v@example.com"]
SPECIAL["messageBody"] += ["Bye", "Cards", "ban", "human", "Billing"]
SPECIAL |= {
    "bot": [
        *[{"url": BOT_HOOK}, {"url": BROKEN_BOT_HOOK, "authToken": "t"}, {"url": HOOK, "authToken": ""}],
        *[{}, {"authToken": "t"}, {"url": BOT_HOOK, "x": 1}, None, BOT_HOOK, []],
    ],
    "tags": [[], ["FAQ"], ["BILLING", "VIP"], ["FAQ", "FAQ"], [f"t{i}" for i in range(51)], "FAQ", None],
    "tags[]": ["", "BILLING", "VIP", "t" * 100, "t" * 101, 1, None],
    "visitorIdentityVerification": [{}, {"secret": ""}, {"secret": "s", "x": 1}, None, "secret"],
    "secret": ["", "s", "s" * 200, "s" * 201, None, 1],
    "hmac": [
        *[GOOD_HMAC, GOOD_HMAC.upper(), f" {GOOD_HMAC} ", _hmac(BANNED), _hmac("V@example.com")],
        *["", " ", "0" * 64, "h" * 200, "h" * 201],
    ],
    "displayResponseId": [
        *[item["id"] for item in MENU if "id" in item],
        *["BILLING", "", " ", "nope", "x" * 200, "x" * 201],
    ],
}
EXTREME_STRINGS = ["", " ", "\t\n", "x" * 100, "x" * 5000, "İ" * 60, "\ud800", "\x00", "null", "0"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def mostly(
    common: st.SearchStrategy[Any], *rare: st.SearchStrategy[Any], odds: int = 4
) -> st.SearchStrategy[Any]:
    """The common strategy `odds` times as often as each rare one (st.one_of(a, a, b) would not weight: it
    keeps one of each strategy object)."""
    return st.sampled_from([common] * odds + list(rare)).flatmap(lambda chosen: chosen)


extreme_strings = st.sampled_from(EXTREME_STRINGS) | st.text(max_size=120)
new_keys = st.sampled_from(sorted(SPECIAL)) | st.text(max_size=10) | st.integers() | st.booleans() | st.none()

# -- near-valid documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutated:
    """A document and what was changed in the valid document it was made from."""

    document: Any
    changes: tuple[str, ...]


def _entries(doc: Any, path: tuple = (), name: str = "") -> Iterator[tuple[tuple, str]]:
    """Every (path, field name) inside a document."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*path, key), str(key)
            yield from _entries(value, (*path, key), str(key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield (*path, i), f"{name}[]"
            yield from _entries(value, (*path, i), f"{name}[]")


def _at(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}... ({len(text)} chars)"


ACTIONS = ("special", "special", "extreme", "extreme", "remove", "json", "add")


@st.composite
def near_valid(
    draw: st.DrawFn,
    templates: list[dict[str, Any]],
    actions: tuple[str, ...] = ACTIONS,
    strings_only: bool = False,
) -> Mutated:
    """A valid document, changed in 0 to 3 places: a field removed, given a special value (SPECIAL), an
    extreme string or an arbitrary JSON value, a key added, or a list item duplicated. strings_only: change
    only string fields, to special values and extreme strings."""
    doc = copy.deepcopy(draw(st.sampled_from(templates)))
    changes = []
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
        by_name: dict[str, list[tuple]] = defaultdict(list)
        for path, name in _entries(doc):
            if not strings_only or isinstance(_at(doc, path), str):
                by_name[name].append(path)
        if not by_name:
            break
        name = draw(st.sampled_from(sorted(by_name)))
        path = draw(st.sampled_from(by_name[name]))
        parent, key = _at(doc, path[:-1]), path[-1]
        where = "".join(f"/{part}" for part in path)
        action = draw(st.sampled_from(actions))
        if action == "remove":
            del parent[key]
            changes.append(f"{where} removed")
            continue
        if action == "add" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
            changes.append(f"{where} duplicated")
            continue
        if action == "add":
            key = draw(new_keys)
            where = "".join(f"/{part}" for part in path[:-1]) + f"/{key!r}"
            value = draw(json_values)
        elif action == "special" and name in SPECIAL:
            value = copy.deepcopy(draw(st.sampled_from(SPECIAL[name])))
        elif action == "json":
            value = draw(json_values)
        else:
            value = draw(extreme_strings)
        parent[key] = value
        changes.append(f"{where} = {_show(value)}")
    return Mutated(doc, tuple(changes))


# -- bodies, query strings, headers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    data: bytes
    changes: tuple[str, ...] = ()


def _json_bytes(document: Any, ascii_only: bool) -> bytes:
    return json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def json_bodies(documents: st.SearchStrategy[Mutated]) -> st.SearchStrategy[Body]:
    return st.builds(lambda m, a: Body(_json_bytes(m.document, a), m.changes), documents, st.booleans())


arbitrary_json_bodies = st.builds(lambda v, a: Body(_json_bytes(v, a)), json_values, st.booleans())
# Not JSON, not UTF-8, nested deeper than a recursive parser goes, or nothing at all.
raw_bodies = st.one_of(
    st.sampled_from([b"", b" ", b"\n\t", b"null", b"{}", b"[]", b'"text"', b"{'a': 1}", b"\xff\xfe{}"]),
    st.binary(max_size=40),
    st.text(max_size=40).map(str.encode),
    # Depths far from the recursion limit either way, so that an example fails or passes the same every run.
    st.builds(
        lambda depth, open_: open_ * depth,
        st.sampled_from([2, 50, 20_000]),
        st.sampled_from([b"[", b'{"a":']),
    ),
).map(Body)


def bodies(templates: list[dict[str, Any]]) -> st.SearchStrategy[Body]:
    near = json_bodies(near_valid(templates))
    return mostly(near, arbitrary_json_bodies, raw_bodies, odds=3)


YAML_TYPES = [
    "application/yaml",
    "text/yaml",
    "application/x-yaml",
    "text/x-yaml",
    "application/yaml; charset=utf-8",
]
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30
)
content_types = st.sampled_from([None, "application/json", "application/yaml", "text/plain"]) | header_text


@st.composite
def world_bodies(draw: st.DrawFn) -> tuple[Body, str | None]:
    """A near-valid world document (the default world's, or one with bots, tags and Visitor Identity
    Verification) in JSON or YAML, with a Content-Type mostly telling which; or junk."""
    kind = draw(st.sampled_from(["json", "yaml", "json", "yaml", "junk"]))
    if kind == "junk":
        body = draw(raw_bodies | arbitrary_json_bodies | st.text(max_size=60).map(lambda t: Body(t.encode())))
    else:
        mutated = draw(near_valid([DEFAULT_DOCUMENT, BOT_DOCUMENT]))
        if kind == "yaml":
            text = yaml.safe_dump(mutated.document, allow_unicode=draw(st.booleans()), sort_keys=False)
            body = Body(text.encode("utf-8", "surrogatepass"), mutated.changes)
        else:
            body = Body(_json_bytes(mutated.document, True), mutated.changes)
    matching = st.sampled_from(YAML_TYPES if kind == "yaml" else ["application/json", None])
    return body, draw(mostly(matching, content_types, odds=3))


PARAM_NAMES = ["api_key", "email", "uuid", "format", "since"]
# Real values for each real parameter, tried as often as arbitrary ones.
PARAM_CHOICES = {
    "api_key": [PROVISIONING_KEY, PROVISIONING_KEY.upper(), VISITOR_KEY, ""],
    "email": [OWNER, NEW_USER, " ADMIN@example.com ", "nobody@example.com", ""],
    "uuid": [SUPPORT_WIDGET, SALES_WIDGET, NEW_WIDGET, SUPPORT_WIDGET.upper(), " "],
    "format": ["yaml", "json", "YAML"],
    "since": ["0", "1", "2", "-1", "1.5", "9" * 25, "\u0663"],
}
param_values = st.sampled_from([v for values in PARAM_CHOICES.values() for v in values]) | st.text(
    max_size=20
)


@st.composite
def queries(draw: st.DrawFn) -> str:
    """Half the time the right api_key; real and arbitrary values for the real parameters; other ones."""
    pairs = [("api_key", PROVISIONING_KEY)] if draw(st.booleans()) else []
    for name in PARAM_NAMES[1:]:
        if draw(st.booleans()):
            pairs.append((name, draw(st.sampled_from(PARAM_CHOICES[name]) | param_values)))
    names = st.sampled_from(PARAM_NAMES[1:]) | st.text(max_size=10)
    pairs += draw(st.lists(st.tuples(names, param_values), max_size=2))
    query = urlencode(draw(st.permutations(pairs)))
    if draw(st.integers(0, 7)) == 7:  # a raw, possibly malformed, tail
        query += "&" + draw(st.text(max_size=20))
    return query


# -- requests ----------------------------------------------------------------------------------------------


def _bytes_repr(data: bytes) -> str:
    """Short enough to read in a falsifying example: b'[' * 20000 rather than twenty thousand brackets."""
    for size in range(1, 9):
        unit, count = data[:size], len(data) // size
        if len(data) > 64 and unit * count == data:
            return f"{unit!r} * {count}"
    return repr(data) if len(data) <= 600 else f"{data[:200]!r}...  # {len(data)} bytes"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    changes: tuple[str, ...] = ()  # how the body differs from the valid document it was made from

    def __repr__(self) -> str:
        changed = f", changes={self.changes!r}" if self.changes else ""
        return (
            f"Call({self.method!r}, {self.path!r}, query={self.query!r}, body={_bytes_repr(self.body)}, "
            f"headers={self.headers!r}{changed})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def resolve(self, world: World) -> Call:
        """The call with LAST_CASE replaced by the id of the world's newest case, if it has one."""
        if not world.cases or LAST_CASE not in f"{self.path} {self.query} {self.body!r}":
            return self
        last = next(reversed(world.cases))
        return replace(
            self,
            path=self.path.replace(LAST_CASE, last),
            query=self.query.replace(LAST_CASE, last),
            body=self.body.replace(LAST_CASE.encode(), last.encode()),
        )

    def send(self, client: TestClient) -> Result:
        return client.simulate_request(
            self.method, self.path, query_string=self.query, body=self.body, headers=dict(self.headers)
        )


def _headers(**values: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((name.replace("_", "-"), value) for name, value in values.items() if value is not None)


def _call(method: str, path: str, query: str, body: Body, **headers: str | None) -> Call:
    return Call(method, path, query, body.data, _headers(**headers), body.changes)


# Mostly the methods a route has, sometimes those it has not.
PROVISIONING_METHODS = ["PUT", "POST", "GET", "DELETE"] * 2 + ["PATCH", "HEAD", "OPTIONS"]
AVAILABILITY_METHODS = ["GET", "GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
trailing_slash = st.sampled_from(["", "", "", "/"])


@st.composite
def provisioning_calls(draw: st.DrawFn, path: str, templates: dict[str, list[dict[str, Any]]]) -> Call:
    method = draw(st.sampled_from(PROVISIONING_METHODS))
    # Mostly a body made for the method; GET and DELETE take whatever comes.
    own = templates.get(method, [])
    body = draw(bodies(own + own + own + templates["PUT"] + templates["POST"]))
    return _call(method, path + draw(trailing_slash), draw(queries()), body, content_type=draw(content_types))


user_calls = provisioning_calls("/api/v1/user.json", USER_TEMPLATES)
widget_calls = provisioning_calls("/api/v1/widget.json", WIDGET_TEMPLATES)


@st.composite
def authorized_changes(draw: st.DrawFn) -> Call:
    """A PUT or POST of users or widgets with the right api_key and a valid body whose string fields may
    hold special values or extreme strings: requests that often pass the schema, to reach the world's own
    rules and what it stores."""
    method = draw(st.sampled_from(["PUT", "POST"]))
    path, templates = draw(
        st.sampled_from([("/api/v1/widget.json", WIDGET_TEMPLATES), ("/api/v1/user.json", USER_TEMPLATES)])
    )
    mutated = draw(near_valid(templates[method], actions=("special", "extreme"), strings_only=True))
    body = Body(_json_bytes(mutated.document, draw(st.booleans())), mutated.changes)
    return _call(method, path, urlencode({"api_key": PROVISIONING_KEY}), body)


widget_ids = st.sampled_from([SUPPORT_WIDGET, SALES_WIDGET, SUPPORT_WIDGET.upper(), NEW_WIDGET]) | st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/?#%"), min_size=1, max_size=40
)
wrong_visitor_keys = st.none() | st.sampled_from([PROVISIONING_KEY, VISITOR_KEY.upper(), ""]) | header_text


@st.composite
def availability_calls(draw: st.DrawFn) -> Call:
    prefix = draw(st.sampled_from(["/public/api/v2/chat/", "/api/v1/chat/"]))
    visitor_key = VISITOR_KEY if draw(st.booleans()) else draw(wrong_visitor_keys)
    return _call(
        draw(st.sampled_from(AVAILABILITY_METHODS)),
        prefix + draw(widget_ids) + draw(trailing_slash),
        draw(queries()),
        draw(st.just(Body(b"")) | raw_bodies | arbitrary_json_bodies),
        x_api_key=visitor_key,
        content_type=draw(content_types),
    )


ADMIN_ROUTES = [("GET", "/__admin/health"), ("POST", "/__admin/reset"), ("GET", "/__admin/events")]
ADMIN_ROUTES += [("GET", "/__admin/world")] * 2 + [("PUT", "/__admin/world")] * 4
ADMIN_PATHS = sorted({path for _, path in ADMIN_ROUTES})
accept_values = (
    st.sampled_from([None, "application/json", "application/yaml", "text/yaml, */*", "*/*"]) | header_text
)


@st.composite
def admin_calls(draw: st.DrawFn) -> Call:
    """Mostly a method the control route has; sometimes any method on any control path."""
    method, path = draw(st.sampled_from(ADMIN_ROUTES))
    if draw(st.integers(0, 4)) == 4:
        method = draw(st.sampled_from(["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
        path = draw(st.sampled_from(ADMIN_PATHS))
    body, content_type = draw(world_bodies())
    return _call(
        method,
        path + draw(trailing_slash),
        draw(queries()),
        body,
        content_type=content_type,
        accept=draw(accept_values),
    )


NEAR_MISS_PATHS = [
    "/",
    "/api",
    "/api/v1",
    "/api/v1/user",
    "/api/v1/user.jsonx",
    "/API/v1/user.json",
    "/api/v2/user.json",
    "/api/v1/widget.json/x",
    "/api/v1/chat",
    "/api/v1/chat/x/y",
    "/api/v1/chatter",
    "/public/api/v2/chat",
    "/public/api/v2/chat/x/y",
    "/public/api/v2/chatroom",
    "/__admin",
    "/__admin/worlds",
    "/__admin/world/x",
    "/favicon.ico",
    "/api/v1/chat/poll",
    "/api/v1/chat/poll/x/y",
    "/api/v2/agentstatus/x",
    "/api/v2",
    "/api/v2/5406213",
    "/api/v2/5406213/log",
    "/api/v2/5406213/logs/x",
    "/__admin/clock/advance/x",
    "/__admin/clocks",
    "/__admin/cases/x/accept/y",
    "/__admin/organizations/5406213/agents",
    "/__admin/organizations/5406213/agents/sam@example.com",
    "/__admin/organizations/5406213/agents/sam@example.com/status/x",
    "/__admin/widgets",
    f"/__admin/widgets/{SUPPORT_WIDGET}",
    f"/__admin/widgets/{SUPPORT_WIDGET}/agents",
    f"/__admin/widgets/{SUPPORT_WIDGET}/agents/sam@example.com/status",
]
segments = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/?#%"), min_size=1, max_size=12
)
unknown_paths = st.sampled_from(NEAR_MISS_PATHS) | st.lists(segments, min_size=1, max_size=4).map(
    lambda parts: "/" + "/".join(parts)
)


@st.composite
def unknown_calls(draw: st.DrawFn) -> Call:
    return _call(
        draw(
            st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND"])
        ),
        draw(unknown_paths),
        draw(queries()),
        draw(st.just(Body(b"")) | raw_bodies | arbitrary_json_bodies),
        content_type=draw(content_types),
    )


# -- the live-chat APIs: Visitor Chat, Agent Status, Logs, and the control API of chats ------------------

FORM = "application/x-www-form-urlencoded"
START_TEMPLATES = [
    {"widgetId": SUPPORT_WIDGET},
    {"widgetId": SUPPORT_WIDGET, "visitorMessage": "hello"},
    {
        "widgetId": SUPPORT_WIDGET,
        "email": "Visitor@Example.com",
        "phone": "555-123-4567",
        "userAgent": CHROME,
        "locale": "en",
        "isOffline": "false",
        "appVersionName": "My Mobile App",
        "visitorMessage": "hello",
    },
    {"widgetId": SALES_WIDGET, "email": "v@example.com", "visitorMessage": "a question"},
    {"widgetId": SUPPORT_WIDGET, "email": "v@example.com", "isOffline": "true", "visitorMessage": "call me"},
]
# To the bots (of a "bots" world): with a good hmac, one good once the email is lowercased, one without an
# email to sign; a banned visitor; the bot that fails.
BOT_START_TEMPLATES = [
    {"widgetId": BOT_WIDGET, "email": "v@example.com", "hmac": GOOD_HMAC, "visitorMessage": "hi bot"},
    {"widgetId": BOT_WIDGET, "email": "Other@Example.com", "hmac": _hmac("other@example.com")},
    {"widgetId": BOT_WIDGET, "hmac": GOOD_HMAC, "visitorMessage": "who am I?"},
    {"widgetId": BOT_WIDGET, "email": BANNED, "visitorMessage": "let me in"},
    {"widgetId": SOLO_WIDGET, "email": "s@example.com", "visitorMessage": "anyone?"},
]
SEND_TEMPLATES = [
    {"caseId": QUEUED_CASE, "messageType": "1", "messageBody": "I need help finding shoes!"},
    {"caseId": ANSWERED_CASE, "messageType": "1", "messageBody": "thanks"},
    {"caseId": LAST_CASE, "messageType": "1", "messageBody": "hello?"},
    {"caseId": ANSWERED_CASE, "messageType": "2"},
    {"caseId": LAST_CASE, "messageType": "2", "messageBody": ""},
    {"caseId": CLOSED_CASE, "messageType": "1", "messageBody": "hello again"},
    {"caseId": OFFLINE_CASE, "messageType": "2"},
]
# The bot's buttons, clicked by id (with any text) or by their text; one no bot offered.
BOT_SEND_TEMPLATES = [
    {"caseId": BOT_CASE, "messageType": "1", "messageBody": "Cards", "displayResponseId": "cards"},
    {
        "caseId": BOT_CASE,
        "messageType": "1",
        "messageBody": "Billing, please",
        "displayResponseId": "billing",
    },
    {"caseId": LAST_CASE, "messageType": "1", "messageBody": "A human", "displayResponseId": "human"},
    {"caseId": BOT_CASE, "messageType": "1", "messageBody": "Label", "displayResponseId": "label"},
    {"caseId": LAST_CASE, "messageType": "1", "messageBody": "Ban me", "displayResponseId": "ban"},
    {"caseId": BOT_CASE, "messageType": "1", "messageBody": "Bye"},
    {"caseId": QUEUED_CASE, "messageType": "1", "messageBody": "Billing", "displayResponseId": "billing"},
    {"caseId": LAST_CASE, "messageType": "1", "messageBody": "what now?"},
    {"caseId": LAST_CASE, "messageType": "2"},
]
START_TEMPLATES += BOT_START_TEMPLATES
SEND_TEMPLATES += BOT_SEND_TEMPLATES
CHAT_METHODS = ["POST", "PUT"] * 4 + ["GET", "DELETE", "PATCH", "HEAD", "OPTIONS"]
POLL_METHODS = ["GET"] * 8 + ["POST", "PUT", "DELETE", "HEAD", "OPTIONS"]


form_types = mostly(
    st.sampled_from([FORM, FORM, None, f"{FORM}; charset=UTF-8"]),
    st.sampled_from(["application/json", "multipart/form-data", "text/plain"]),
    header_text,
)
case_refs = mostly(
    st.sampled_from([*CHAT_CASES, *BOT_CASES, LAST_CASE]),
    st.sampled_from([QUEUED_CASE.upper(), QUEUED_CASE[:-1], ANSWERED_CASE + "0", SUPPORT_WIDGET]),
    segments,
)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _pairs(document: Any) -> list[tuple[str, str]]:
    """A near-valid parameter set as name/value pairs: names and values that are not strings as JSON."""
    items = document.items() if isinstance(document, dict) else [("params", document)]
    return [(_text(name), _text(value)) for name, value in items]


def _encode(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs, errors="surrogatepass")


@st.composite
def raw_tail(draw: st.DrawFn, query: str) -> str:
    """Now and then a raw, possibly malformed, tail on a query string."""
    if draw(st.integers(0, 7)) == 7:
        return f"{query}&{draw(st.text(max_size=20))}"
    return query


@st.composite
def chat_parameters(draw: st.DrawFn, templates: list[dict[str, Any]]) -> tuple[str, Body, str | None]:
    """Query string, body and Content-Type of a Visitor Chat request: the parameters in the URL (as the
    docs' curl sends them), in a form body, or split between the two; now and then a body of another kind."""
    mutated = draw(near_valid(templates))
    pairs = _pairs(mutated.document)
    where = draw(st.sampled_from(["query", "query", "form", "form", "split", "other"]))
    if where == "split":
        in_form = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
        query = _encode([pair for pair, form in zip(pairs, in_form, strict=True) if not form])
        form = _encode([pair for pair, form in zip(pairs, in_form, strict=True) if form])
        body = Body(form.encode(), mutated.changes)
    elif where == "form":
        query, body = "", Body(_encode(pairs).encode(), mutated.changes)
    elif where == "query":
        query, body = _encode(draw(st.permutations(pairs))), Body(b"", mutated.changes)
    else:
        query = _encode(pairs)
        other = draw(raw_bodies | arbitrary_json_bodies)
        body = Body(other.data, mutated.changes)
    content_type = draw(form_types) if body.data else draw(st.none() | form_types)
    return draw(raw_tail(query)), body, content_type


def param_queries(choices: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """Each known parameter half the time, mostly with a value worth trying; other parameters; a raw tail."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        pairs = []
        for name, values in choices.items():
            if draw(st.booleans()):
                value = st.sampled_from(values)
                pairs.append((name, draw(mostly(value, st.text(max_size=12), odds=2))))
        names = st.sampled_from(sorted(choices)) | st.text(max_size=8)
        values = st.sampled_from([v for vs in choices.values() for v in vs]) | st.text(max_size=12)
        pairs += draw(st.lists(st.tuples(names, values), max_size=2))
        return draw(raw_tail(_encode(draw(st.permutations(pairs)))))

    return build()


POLL_CHOICES = {
    "index": [
        *["0", "1", "2", "3", "5", "", "999999999", "9999999999"],
        *["-1", "1.5", "\u0663", "1\n", "\n", " 1"],
    ],
    "isTyping": ["true", "false", "TRUE", "False", "", "yes", "1", "true\n", "\n"],
}


@st.composite
def visitor_chat_calls(draw: st.DrawFn, valid: bool = False, bots: bool = False) -> Call:
    """Start a chat, send a message or end it, poll. valid: the right key and a valid request (that the
    world may still refuse: a closed chat, a sales widget out of hours), to move sequences along. bots: to
    the bots of a "bots" world only."""
    kind = draw(st.sampled_from(["start", "send", "send", "poll"] if bots else ["start", "send", "poll"]))
    key = VISITOR_KEY if valid or draw(st.booleans()) else draw(wrong_visitor_keys)
    user_agent = draw(mostly(st.none(), header_text, odds=2))
    if kind == "poll":
        if valid:
            cases = [BOT_CASE, LAST_CASE] if bots else [*CHAT_CASES, BOT_CASE, LAST_CASE, LAST_CASE]
            path = "/api/v1/chat/poll/" + draw(st.sampled_from(cases))
            # Values the request schema takes, the edges of its patterns included.
            index = draw(st.sampled_from([None, "", "0", "2", "4", "999999999", "7\n", "\n"]))
            typing = draw(st.sampled_from([None, "true", "false", "TRUE", "", "false\n"]))
            query = _encode([(n, v) for n, v in (("index", index), ("isTyping", typing)) if v is not None])
            return _call("GET", path, query, Body(b""), x_api_key=key)
        return _call(
            draw(st.sampled_from(POLL_METHODS)),
            "/api/v1/chat/poll/" + draw(case_refs) + draw(trailing_slash),
            draw(param_queries(POLL_CHOICES)),
            draw(mostly(st.just(Body(b"")), raw_bodies, odds=2)),
            x_api_key=key,
            user_agent=user_agent,
            content_type=draw(st.none() | content_types),
        )
    if bots:
        templates = BOT_START_TEMPLATES if kind == "start" else BOT_SEND_TEMPLATES
    else:
        templates = START_TEMPLATES if kind == "start" else SEND_TEMPLATES
    own = "POST" if kind == "start" else "PUT"
    if valid:
        pairs = _pairs(draw(st.sampled_from(templates)))
        if draw(st.booleans()):
            return _call(own, "/api/v1/chat", _encode(pairs), Body(b""), x_api_key=key, content_type=FORM)
        return _call(own, "/api/v1/chat", "", Body(_encode(pairs).encode()), x_api_key=key, content_type=FORM)
    method = own if draw(st.integers(0, 3)) else draw(st.sampled_from(CHAT_METHODS))
    query, body, content_type = draw(chat_parameters(templates))
    return _call(
        method,
        "/api/v1/chat" + draw(trailing_slash),
        query,
        body,
        x_api_key=key,
        content_type=content_type,
        user_agent=user_agent,
    )


AGENT_STATUS_TEMPLATES = [
    {"agent_id": "sam@example.com", "status": "pause", "sub_status": "Gone to lunch"},
    {"agent_id": "wc:michael@example.com", "status": "online"},
    {"agent_id": "DANA@example.com", "status": "online", "sub_status": None},
    {"agent_id": "charlie@example.com", "status": "pause", "sub_status": ""},
]
wrong_tokens = (
    st.none()
    | st.sampled_from([VISITOR_KEY, PROVISIONING_KEY, f"Bearer {API_TOKEN}", API_TOKEN.upper(), ""])
    | header_text
)
json_types = st.sampled_from(["application/json", None]) | content_types


@st.composite
def agent_status_calls(draw: st.DrawFn, valid: bool = False) -> Call:
    token = API_TOKEN if valid or draw(st.booleans()) else draw(wrong_tokens)
    if valid:
        body = Body(json.dumps(draw(st.sampled_from(AGENT_STATUS_TEMPLATES))).encode())
        return _call("POST", "/api/v2/agentstatus", "", body, authorization=token)
    return _call(
        draw(st.sampled_from(["POST"] * 8 + ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"])),
        "/api/v2/agentstatus" + draw(trailing_slash),
        draw(mostly(st.just(""), queries(), odds=2)),
        draw(bodies(AGENT_STATUS_TEMPLATES)),
        authorization=token,
        content_type=draw(json_types),
    )


LOGS_DATES = [
    "2026-11-23",
    "2026-11-22",
    "2026-11-24",
    " 2026-11-23 ",
    "20261123",
    "2026-W48-1",
    "2026-11-23T09:30:00+01:00",
    "2026-11-23T09:30:00Z",
    "2026-11-23T10:00",
    "2026-11-23 09:30:00.000001-05:30",
    "2026-11-23T09:30:00+05:53:28",
    "2026-11-23T24:00",
    "2026-11-23T09:30:00+25:00",
    "2026-02-30",
    "1970-01-01",
    "0001-01-01",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31",
    "9999-12-31T23:59:59.999999-14:00",
    "10000-01-01",
    "0000-01-01",
    "-2026-11-23",
    "1795426200000",
    "yesterday",
    "",
    " ",
    "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0662\u0663",
]
LOGS_ZONES = [
    "Europe/Berlin",
    "UTC",
    "Etc/UTC",
    "America/New_York",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Asia/Kathmandu",
    "europe/berlin",
    " Europe/Berlin ",
    "",
    " ",
    "Factory",
    "America",
    "Etc",
    "../UTC",
    "/etc/localtime",
    "UTC/",
    "Mars/Olympus",
    "\x00",
    "localtime",
    "A" * 300,
]
LOGS_WIDGETS = [
    SUPPORT_WIDGET,
    SALES_WIDGET,
    f"{SUPPORT_WIDGET},{SALES_WIDGET}",
    f"{SALES_WIDGET}, {SUPPORT_WIDGET},",
    ",",
    "",
    SUPPORT_WIDGET.upper(),
    NEW_WIDGET,
    "0ther-w1dget",
]
B64 = string.ascii_letters + string.digits + "-_"
log_dates = st.one_of(
    st.sampled_from(LOGS_DATES),
    st.sampled_from(LOGS_DATES),
    st.dates().map(date.isoformat),
    st.builds(
        lambda instant, sep: instant.isoformat(sep),
        st.datetimes(timezones=st.none() | st.timezones()),
        st.sampled_from(["T", " "]),
    ),
    st.text(max_size=30),
)
log_zones = (
    st.sampled_from(LOGS_ZONES) | st.sampled_from(LOGS_ZONES) | st.timezone_keys() | st.text(max_size=20)
)
log_widgets = st.sampled_from(LOGS_WIDGETS) | st.sampled_from(LOGS_WIDGETS) | st.text(max_size=20)


@st.composite
def edited_tokens(draw: st.DrawFn) -> str:
    """A real next token, edited: a character changed, cut short, lengthened, padded, or its payload
    changed under the old signature."""
    token = draw(st.sampled_from(REAL_NEXT))
    i = draw(st.integers(0, len(token) - 1))
    how = draw(st.sampled_from(["flip", "cut", "append", "case", "pad", "insert", "payload"]))
    if how == "flip":
        return token[:i] + draw(st.sampled_from(B64).filter(lambda c: c != token[i])) + token[i + 1 :]
    if how == "cut":
        return token[:i]
    if how == "append":
        return token + draw(st.text(B64, min_size=1, max_size=4))
    if how == "case":
        return token.swapcase()
    if how == "pad":
        return token + "=" * draw(st.integers(1, 3))
    if how == "insert":
        return token[:i] + draw(st.sampled_from([".", " ", "+", "/", "%", "\n", "é"])) + token[i:]
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    payload[draw(st.sampled_from(sorted(payload)))] = draw(json_values)
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


next_tokens = st.one_of(
    st.sampled_from(REAL_NEXT),
    st.sampled_from(REAL_NEXT),
    edited_tokens(),
    edited_tokens(),
    st.sampled_from(SIGNED_NEXT),
    st.sampled_from(["", " ", "null", "e30", "eyJ9", "=" * 8]),
    st.text(B64, max_size=40),
    st.text(max_size=30),
)
LOGS_NAMES = ["start", "end", "timezone", "widgetId", "next"]


@st.composite
def logs_queries(draw: st.DrawFn) -> str:
    """Mostly start and end; a time zone, widgets (repeated or comma separated) and a next token now and
    then; a parameter given twice; other parameters."""
    pairs = []
    for name, values, odds in (
        ("start", log_dates, 6),
        ("end", log_dates, 6),
        ("timezone", log_zones, 1),
        ("next", next_tokens, 1),
    ):
        if draw(st.integers(0, odds)) > 0:
            pairs.append((name, draw(values)))
    pairs += [("widgetId", draw(log_widgets)) for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2])))]
    if pairs and draw(st.integers(0, 5)) == 0:  # one given twice, with the same value or another
        name, value = draw(st.sampled_from(pairs))
        pairs.append((name, draw(st.just(value) | log_dates)))
    pairs += draw(
        st.lists(
            st.tuples(st.sampled_from(LOGS_NAMES) | st.text(max_size=8), st.text(max_size=20)), max_size=1
        )
    )
    return draw(raw_tail(_encode(draw(st.permutations(pairs)))))


log_orgs = mostly(
    st.just(ORG_ID), st.sampled_from(["77", "0", ORG_ID + "0", "0" + ORG_ID, "agentstatus"]), segments, odds=8
)


@st.composite
def logs_calls(draw: st.DrawFn, valid: bool = False) -> Call:
    if valid:
        query = {"start": draw(st.sampled_from(["2026-11-23", "1970-01-01"])), "end": "2200-01-01"}
        if draw(st.booleans()):
            query["next"] = draw(st.sampled_from(REAL_NEXT))
        return _call("GET", LOGS, _encode(list(query.items())), Body(b""), authorization=API_TOKEN)
    token = API_TOKEN if draw(st.integers(0, 3)) else draw(wrong_tokens | st.sampled_from([f" {API_TOKEN} "]))
    return _call(
        draw(st.sampled_from(["GET"] * 10 + ["POST", "PUT", "DELETE", "HEAD", "OPTIONS"])),
        f"/api/v2/{draw(log_orgs)}/logs" + draw(trailing_slash),
        draw(logs_queries()),
        draw(mostly(st.just(Body(b"")), raw_bodies, odds=2)),
        authorization=token,
        content_type=draw(st.none() | content_types),
    )


ADVANCE_TEMPLATES = [{"seconds": 0}, {"seconds": 2.5}, {"seconds": 6}, {"seconds": 121}, {"seconds": 1801}]
AUTOPILOT_TEMPLATES = [{"enabled": False}, {"enabled": True}]
ADMIN_STATUS_TEMPLATES = [
    {"status": "offline"},
    {"status": "online", "subStatus": None},
    {"status": "pause", "subStatus": "Gone to lunch"},
    {"agentId": "wc:sam@example.com", "status": "online"},
]
CASE_ACTION_TEMPLATES: dict[str, list[dict[str, Any]]] = {
    "accept": [
        *[{"agentId": "sam@example.com"}, {"agentId": "wc:michael@example.com"}, {"agentId": AGENTS[3]}],
        {"agentId": TINA},  # a chat a bot handed on to the agents tagged BILLING
    ],
    "messages": [
        {"agentId": "sam@example.com", "text": "Ok, I can help you with that!"},
        {"agentId": BOT, "text": "A line the bot did not write"},
        {"agentId": "sam@example.com", "text": "Hola", "translations": {"en": "Hello"}},
        {"agentId": "michael@example.com", "text": "hi"},
    ],
    "typing": [
        {"agentId": "sam@example.com", "typing": True},
        {"agentId": "michael@example.com", "typing": False},
    ],
    "transfer": [
        {"agentId": "michael@example.com"},
        {"agentId": "sam@example.com"},
        {"widgetId": SALES_WIDGET},
        {"widgetId": SUPPORT_WIDGET},
        {"widgetId": BOT_WIDGET},  # to its bot, in a "bots" world
    ],
    "labels": [{"name": "topic", "value": "shoes"}, {"name": "chatType", "value": ""}],
    "close": [{}, {"endedBy": "agent"}, {"endedBy": "visitor"}, {"endedBy": "timed_out"}],
    "survey": [{"score": 100, "comment": "He was a good guy."}, {"score": 0}],
}
CASE_ACTIONS = sorted(CASE_ACTION_TEMPLATES)
REQUESTS_CHOICES = {
    "method": ["GET", "post", "", "PATCH"],
    "path": ["/api/*", "*", "/api/v1/chat", "[", "[!", "**", "/api/v2/*/logs"],
    "limit": ["1", "5", "0", "-1", "x", "", "99999999999999999999", "1.5"],
}
CASES_CHOICES = {
    "widgetId": [SUPPORT_WIDGET, SALES_WIDGET, "", NEW_WIDGET],
    "state": ["queued", "assigned", "closed", "", "open", "Queued"],
}
CONTROL_KINDS = ["clock", "advance", "advance", "requests", "autopilot", "autopilot", "cases", "case", "case"]
CONTROL_KINDS += ["action"] * 6 + ["agent status"] * 3
ANY_METHOD = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]
agent_refs = mostly(
    st.sampled_from(AGENTS),
    st.sampled_from(
        ["wc:sam@example.com", "SAM@example.com", "wc:wc:dana@example.com", "x@example.com", "wc:"]
    ),
    segments,
)
control_orgs = mostly(st.just(ORG_ID), st.sampled_from(["77", "0", ORG_ID + "0"]), segments, odds=8)
action_refs = mostly(
    st.sampled_from(CASE_ACTIONS), st.sampled_from(["ACCEPT", "message", "accept.json"]), segments, odds=6
)


def _json_body(document: Any) -> Body:
    return Body(json.dumps(document).encode())


def _control_call(
    draw: st.DrawFn, method: str, path: str, query: str, templates: list[dict[str, Any]], valid: bool
) -> Call:
    """A control API call: a body from the templates as they are when valid; otherwise another method now
    and then, a mutated or arbitrary body, a trailing slash, any Content-Type."""
    if valid:
        body = _json_body(draw(st.sampled_from(templates))) if templates else Body(b"")
        return _call(method, path, query, body, content_type="application/json" if templates else None)
    if draw(st.integers(0, 5)) == 5:
        method = draw(st.sampled_from(ANY_METHOD))
    if templates:
        body = draw(bodies(templates))
    else:
        body = draw(mostly(st.just(Body(b"")), raw_bodies, arbitrary_json_bodies, odds=2))
    return _call(method, path + draw(trailing_slash), query, body, content_type=draw(json_types))


@st.composite
def control_calls(draw: st.DrawFn, valid: bool = False) -> Call:
    """The control API of chats: the clock, the journal, the simulated agents, cases and their actions,
    agents' statuses. valid: a valid request for the route (that the world may still refuse)."""
    kind = draw(st.sampled_from(CONTROL_KINDS))
    query, templates = "", None
    method, path = "GET", "/__admin/" + ("clock" if kind == "clock" else "cases")
    # valid: mostly an open chat (the newest case, in a sequence, is often one just started).
    case = draw(
        st.sampled_from([QUEUED_CASE, ANSWERED_CASE, CLOSED_CASE, LAST_CASE, LAST_CASE])
        if valid
        else case_refs
    )
    if kind == "advance":
        method, path, templates = "POST", "/__admin/clock/advance", ADVANCE_TEMPLATES
    elif kind == "requests":
        method, path = draw(st.sampled_from(["GET", "GET", "DELETE"])), "/__admin/requests"
        query = "" if valid else draw(param_queries(REQUESTS_CHOICES))
    elif kind == "autopilot":
        method, path = draw(st.sampled_from(["GET", "PUT", "PUT"])), "/__admin/autopilot"
        templates = AUTOPILOT_TEMPLATES if method == "PUT" else None
    elif kind == "cases":
        query = "" if valid else draw(param_queries(CASES_CHOICES))
    elif kind == "case":
        path = f"/__admin/cases/{case}"
    elif kind == "action":
        action = draw(st.sampled_from(CASE_ACTIONS) if valid else action_refs)
        method, path = "POST", f"/__admin/cases/{case}/{action}"
        own = CASE_ACTION_TEMPLATES.get(action, [])
        templates = own if valid else own * 3 + [t for ts in CASE_ACTION_TEMPLATES.values() for t in ts]
    elif kind == "agent status":
        org, agent = (
            (ORG_ID, draw(st.sampled_from(AGENTS))) if valid else (draw(control_orgs), draw(agent_refs))
        )
        method, path = "PUT", f"/__admin/organizations/{org}/agents/{agent}/status"
        templates = ADMIN_STATUS_TEMPLATES
    return _control_call(draw, method, path, query, templates, valid)


INTEGRATIONS_TEMPLATES = [
    SUBSCRIPTIONS,
    HOOKS_SUBSCRIPTIONS,
    {},
    {"integrationApi": {"url": HOOK}},
    {"conversationEvents": {"url": "https://hooks.example.com/events", "events": []}},
    {"getContact": {"url": HOOK + "?system=crm"}},
]
WEBHOOK_TEMPLATES = [{"url": HOOK, "authToken": "t"}, {"url": "https://hooks.example.com/agents"}]
DELIVERY_KINDS = ["integration", "conversation_event", "agent_status", "get_contact"]
DELIVERY_STATUSES = ["queued", "delivering", "retrying", "delivered", "email_fallback"]
DELIVERIES_CHOICES = {
    "kind": [*DELIVERY_KINDS, "", "Integration"],
    "status": [*DELIVERY_STATUSES, "", "QUEUED"],
    "widgetId": [SUPPORT_WIDGET, SALES_WIDGET, ""],
    "caseId": [*CHAT_CASES, LAST_CASE, ""],
    "url": [HOOK, HOOK + "/", SUBSCRIPTIONS["integrationApi"]["url"], ""],
}
delivery_refs = mostly(
    st.sampled_from(DELIVERY_IDS),
    st.sampled_from(
        ["d0000000", DELIVERY_IDS[0].upper(), "d1", "d00000001", f"d{len(DELIVERY_IDS) + 1:07d}"]
    ),
    segments,
    odds=3,
)
subscription_widgets = mostly(
    st.sampled_from([SUPPORT_WIDGET, SALES_WIDGET]),
    st.sampled_from([SUPPORT_WIDGET.upper(), NEW_WIDGET, "nope"]),
    segments,
    odds=3,
)
SUBSCRIPTION_KINDS = ["integrations"] * 3 + ["webhook"] * 3
SUBSCRIPTION_KINDS += [
    "deliveries",
    "deliveries",
    "delivery",
    "delivery",
    "redeliver",
    "redeliver",
    "violations",
]


@st.composite
def subscription_calls(draw: st.DrawFn, valid: bool = False) -> Call:
    """Outbound subscriptions (a widget's integrations, an organization's agent status webhook) and the
    delivery log (list, detail, redeliver, violations). valid: a valid request for a real widget,
    organization or delivery (one the world may not have: a "none" world has no deliveries)."""
    kind = draw(st.sampled_from(SUBSCRIPTION_KINDS))
    query, templates, method = "", None, "GET"
    if kind == "integrations":
        widget = draw(st.sampled_from([SUPPORT_WIDGET, SALES_WIDGET]) if valid else subscription_widgets)
        method, path = draw(st.sampled_from(["GET", "PUT", "PUT"])), f"/__admin/widgets/{widget}/integrations"
        templates = INTEGRATIONS_TEMPLATES if method == "PUT" else None
    elif kind == "webhook":
        org = ORG_ID if valid else draw(control_orgs)
        method = draw(st.sampled_from(["GET", "PUT", "PUT", "DELETE"]))
        path = f"/__admin/organizations/{org}/agent-status-webhook"
        templates = WEBHOOK_TEMPLATES if method == "PUT" else None
    elif kind == "deliveries":
        path = "/__admin/deliveries"
        query = draw(param_queries(DELIVERIES_CHOICES))
    elif kind == "violations":
        path = "/__admin/violations"
    else:
        ref = draw(st.sampled_from(DELIVERY_IDS) if valid else delivery_refs)
        path = f"/__admin/deliveries/{ref}"
        if kind == "redeliver":
            method, path = "POST", path + "/redeliver"
    return _control_call(draw, method, path, query, templates, valid)


# -- agents on widgets: PUT / DELETE /__admin/widgets/{widget_id}/agents/{agent_id} --------------------------


def _bare(agent_id: str) -> str:
    """An agent id as the world keeps it: lowercase, without the wc: prefix (any number of them)."""
    agent_id = agent_id.strip().lower()
    while agent_id.startswith("wc:"):
        agent_id = agent_id.removeprefix("wc:")
    return agent_id


# Entries without their agentId (the URL names the agent): humans (tagged, paused) and bots.
WIDGET_AGENT_TEMPLATES = [
    {"agentAlias": "Sam", "agentAvatar": "https://example.com/avatars/sam.png", "agentType": "webclient"},
    {
        "agentAlias": "Tina",
        "agentAvatar": "",
        "agentType": "webclient",
        "tags": ["BILLING", "VIP"],
        "status": "online",
    },
    {
        "agentAlias": "Gus",
        "agentAvatar": "",
        "agentType": "skype",
        "status": "pause",
        "subStatus": "Gone to lunch",
    },
    {key: value for key, value in BOT_AGENT.items() if key != "agentId"},
    {
        "agentAlias": "Broken Bot",
        "agentAvatar": "",
        "agentType": "bot",
        "status": "online",
        "bot": {"url": BROKEN_BOT_HOOK},
    },
    {"agentAlias": "Quiet Bot", "agentAvatar": "", "agentType": "bot", "bot": {"url": BOT_HOOK}},
]
AGENT_WIDGETS = [SUPPORT_WIDGET, SALES_WIDGET, BOT_WIDGET, SOLO_WIDGET]  # the last two in a "bots" world
WIDGET_AGENTS = [*AGENTS, BOT, BROKEN_BOT, TINA, "new@example.com", "new-bot"]
WIDGET_STAFF = {  # who is on each widget in a "bots" world
    widget["uuid"]: [agent["agentId"] for agent in widget["agents"]]
    for widget in BOT_DOCUMENT["organizations"][0]["widgets"]
}
agent_widgets = mostly(
    st.sampled_from(AGENT_WIDGETS),
    st.sampled_from([SUPPORT_WIDGET.upper(), NEW_WIDGET, "nope"]),
    segments,
    odds=6,
)
widget_agent_refs = mostly(
    st.sampled_from(WIDGET_AGENTS),
    st.sampled_from(["WC:Sam@Example.com", "wc:wc:helper-bot", " tina@example.com ", "wc:", "has space"]),
    segments,
)


@st.composite
def widget_agent_calls(draw: st.DrawFn, valid: bool = False) -> Call:
    """Put an agent on a widget (a human or a bot, new there or in the place of one), the entry naming its
    agentId or not; or take one off. valid: a real widget (in a "bots" world) and a valid entry, or an agent
    that may be on it (the world may still refuse: not there, the last agent, one with chats under way)."""
    method = draw(st.sampled_from(["PUT", "PUT", "DELETE"]))
    if valid:
        widget = draw(st.sampled_from(AGENT_WIDGETS))
        agent = draw(mostly(st.sampled_from(WIDGET_STAFF[widget]), st.sampled_from(WIDGET_AGENTS), odds=2))
    else:
        widget, agent = draw(agent_widgets), draw(widget_agent_refs)
    path = f"/__admin/widgets/{widget}/agents/{agent}"
    if method == "DELETE":
        return _control_call(draw, method, path, "", [], valid)
    named = draw(st.booleans())
    templates = [{"agentId": _bare(agent), **t} if named else t for t in WIDGET_AGENT_TEMPLATES]
    return _control_call(draw, method, path, "", templates, valid)


# Time for timers: the simulated agents accept in 2-6 s and answer in seconds, a chat nobody takes ends
# after 120 s, an idle one after 30 min.
clock_advances = st.builds(
    lambda seconds: Call(
        "POST",
        "/__admin/clock/advance",
        body=json.dumps({"seconds": seconds}).encode(),
        headers=_headers(content_type="application/json"),
    ),
    st.sampled_from([0.5, 2, 3, 4, 6, 10, 60, 121, 1801, 3600, 86_400]) | st.floats(0, 4000),
)
# The valid requests first: generation leans to the first choices.
chat_calls = st.sampled_from(
    [
        visitor_chat_calls(valid=True),
        control_calls(valid=True),
        clock_advances,
        visitor_chat_calls(valid=True),
        control_calls(valid=True),
        clock_advances,
        agent_status_calls(valid=True),
        logs_calls(valid=True),
        visitor_chat_calls(),
        control_calls(),
        agent_status_calls(),
        logs_calls(),
    ]
).flatmap(lambda chosen: chosen)
# Half the time a request of the live-chat APIs, which a sequence needs to play chats out.
any_call = st.sampled_from(
    [chat_calls] * 7
    + [
        user_calls,
        widget_calls,
        authorized_changes(),
        authorized_changes(),
        availability_calls(),
        admin_calls(),
        subscription_calls(),
        subscription_calls(valid=True),
        widget_agent_calls(),
        widget_agent_calls(valid=True),
    ]
    + [unknown_calls()]
).flatmap(lambda chosen: chosen)
clocks = st.just(MONDAY_MORNING_BERLIN) | st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)

# -- the oracle --------------------------------------------------------------------------------------------

SEGMENT = "([^/]+)"
ROUTES = [
    (r"/api/v1/user\.json", "user"),
    (r"/api/v1/widget\.json", "widget"),
    (rf"/public/api/v2/chat/{SEGMENT}", "public"),
    (r"/api/v1/chat", "chats"),
    (rf"/api/v1/chat/poll/{SEGMENT}", "poll"),
    (rf"/api/v1/chat/{SEGMENT}", "visitor"),  # /api/v1/chat/poll too: the availability of widget "poll"
    (r"/api/v2/agentstatus", "agentstatus"),
    (rf"/api/v2/{SEGMENT}/logs", "logs"),
    (r"/__admin/health", "health"),
    (r"/__admin/reset", "reset"),
    (r"/__admin/world", "world"),
    (r"/__admin/events", "events"),
    (r"/__admin/clock", "clock"),
    (r"/__admin/clock/advance", "advance"),
    (r"/__admin/requests", "requests"),
    (r"/__admin/autopilot", "autopilot"),
    (r"/__admin/cases", "cases"),
    (rf"/__admin/cases/{SEGMENT}", "case"),
    (rf"/__admin/cases/{SEGMENT}/{SEGMENT}", "case action"),
    (rf"/__admin/organizations/{SEGMENT}/agents/{SEGMENT}/status", "agent status"),
    (r"/__admin/deliveries", "deliveries"),
    (rf"/__admin/deliveries/{SEGMENT}", "delivery"),
    (rf"/__admin/deliveries/{SEGMENT}/redeliver", "redeliver"),
    (r"/__admin/violations", "violations"),
    (rf"/__admin/widgets/{SEGMENT}/integrations", "integrations"),
    (rf"/__admin/widgets/{SEGMENT}/agents/{SEGMENT}", "widget agent"),
    (rf"/__admin/organizations/{SEGMENT}/agent-status-webhook", "agent status webhook"),
]
COMPILED_ROUTES = [(re.compile(pattern), name) for pattern, name in ROUTES]
METHODS = {
    "user": {"PUT", "GET", "POST", "DELETE"},
    "widget": {"PUT", "GET", "POST", "DELETE"},
    "public": {"GET"},
    "visitor": {"GET"},
    "chats": {"POST", "PUT"},
    "poll": {"GET"},
    "agentstatus": {"POST"},
    "logs": {"GET"},
    "health": {"GET"},
    "reset": {"POST"},
    "world": {"GET", "PUT"},
    "events": {"GET"},
    "clock": {"GET"},
    "advance": {"POST"},
    "requests": {"GET", "DELETE"},
    "autopilot": {"GET", "PUT"},
    "cases": {"GET"},
    "case": {"GET"},
    "case action": {"POST"},
    "agent status": {"PUT"},
    "deliveries": {"GET"},
    "delivery": {"GET"},
    "redeliver": {"POST"},
    "violations": {"GET"},
    "integrations": {"GET", "PUT"},
    "widget agent": {"PUT", "DELETE"},
    "agent status webhook": {"GET", "PUT", "DELETE"},
}
# The error statuses each route of the live-chat APIs documents (no rate limit is configured here, so no 429;
# the clock is manual, so no 409 from advance).
ERROR_STATUSES = {
    "chats": {400, 401, 404, 405},
    "poll": {400, 401, 404, 405},
    "agentstatus": {400, 401, 405},
    "logs": {400, 401, 403, 404, 405},
    "clock": {405},
    "advance": {400, 405},
    "requests": {400, 405},
    "autopilot": {400, 405},
    "cases": {405},
    "case": {404, 405},
    "case action": {400, 404, 405},
    "agent status": {400, 404, 405},
    "integrations": {400, 404, 405},
    "widget agent": {400, 404, 405},
    "agent status webhook": {400, 404, 405},
    "deliveries": {405},
    "delivery": {404, 405},
    "redeliver": {404, 405},
    "violations": {405},
}
STANDARD_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}
CROSS_ORIGIN = {"public"}  # the routes a web page calls, which answer its preflight
PUBLIC, VISITOR = "/public/api/v2/chat", "/api/v1/chat"


def _routed_path(path: str) -> str:
    """The path as the app routes it: one trailing slash stripped."""
    return path[:-1] if len(path) > 1 and path.endswith("/") else path


def route(path: str) -> tuple[str | None, tuple[str, ...]]:
    """The route that answers the path, and the fields in it; (None, ()) for an unknown path."""
    path = _routed_path(path)
    for pattern, name in COMPILED_ROUTES:
        found = pattern.fullmatch(path)
        if found:
            return name, found.groups()
    return None, ()


def family(path: str) -> str:
    """Whose error shape an answer on this path has: the availability APIs own their path and what is under
    it; everything else (Provisioning, control API, unknown paths) answers api-error."""
    path = _routed_path(path)
    for prefix, name in ((PUBLIC, "public"), (VISITOR, "visitor")):
        if path == prefix or path.startswith(prefix + "/"):
            return name
    return "api-error"


def _json(result: Result) -> Any:
    assert result.headers.get("content-type", "").startswith("application/json"), result.headers
    try:
        return json.loads(result.content)
    except ValueError:
        raise AssertionError(f"not a JSON body: {result.content[:100]!r}") from None


def _sent_header(call: Call, name: str) -> str | None:
    """A header's value as the server gets it (the TestClient strips values)."""
    return next((value.strip() for key, value in call.headers if key.lower() == name), None)


def required_status(world: World, call: Call, name: str | None) -> int | None:
    """The status the answer must have, where the request alone decides it: 404 for an unknown path, 405 for
    a method the route has not, 401 for credentials no organization has; None otherwise."""
    if name is None:
        return 404
    if call.method == "OPTIONS":
        return 204 if name in CROSS_ORIGIN else 200  # a page's preflight, or Falcon's own answer
    if call.method not in METHODS[name]:
        return 405 if call.method in STANDARD_METHODS else None
    if name in ("chats", "poll"):
        org = world.org_by_visitor_key(_sent_header(call, "x-api-key"))
        if org is None:
            return 401
        if name == "chats" and _json_or_multipart(call):
            return 400
        return _bot_rules(world, org, call) if name == "chats" else None
    if name in ("agentstatus", "logs"):
        tokens = {org.api_token for org in world.orgs.values()}
        return 401 if _sent_header(call, "authorization") not in tokens else None
    args = route(call.path)[1]
    if name == "integrations":
        if world.widget(args[0]) is None:
            return 404
        return 200 if call.method == "GET" else _verdict(call.body, "world#/$defs/integrations")
    if name == "widget agent":
        found = world.widget(args[0])
        if found is None:
            return 404
        agent_id = _bare(args[1])
        if call.method == "PUT":
            return _agent_verdict(call.body, agent_id)
        on_widget = [agent.agent_id for agent in found[1].agents]
        if agent_id not in on_widget:
            return 404
        chatting = any(
            (case.widget_id, case.agent_id, case.kind) == (args[0], agent_id, "chat")
            and case.state != "closed"
            for case in world.cases.values()
        )
        return 400 if len(on_widget) == 1 or chatting else 204
    if name == "agent status webhook":
        org = world.orgs.get(args[0])
        if org is None or (call.method == "GET" and org.agent_status_webhook is None):
            return 404
        methods = {"GET": 200, "DELETE": 204}
        return methods.get(call.method) or _verdict(call.body, "world#/$defs/agentStatusWebhook")
    if name in ("delivery", "redeliver"):
        if args[0] not in _engine(world).log:
            return 404
        return 201 if name == "redeliver" else 200
    if name in ("deliveries", "violations"):
        return 200
    return None


def _json_document(body: bytes) -> tuple[bool, Any]:
    """Whether the body is JSON (NaN and Infinity are not; nor is an empty body), and what it holds; whatever
    the Content-Type says, as the control API reads it."""

    def not_json(name: str) -> None:
        raise ValueError(name)

    try:
        return bool(body.strip()), json.loads(body, parse_constant=not_json) if body.strip() else None
    except (ValueError, RecursionError):
        return False, None


def _verdict(body: bytes, schema: str) -> int:
    """200 for a body that is JSON valid against the schema, else 400."""
    ok, document = _json_document(body)
    return 200 if ok and not schemas.errors(schema, document) else 400


def _agent_verdict(body: bytes, agent_id: str) -> int:
    """200 for an agent entry (whose agentId, if it has one, is the URL's agent) valid against its schema."""
    ok, document = _json_document(body)
    if ok and isinstance(document, dict):
        document = {"agentId": agent_id, **document}
        ok = document["agentId"] == agent_id
    return 200 if ok and not schemas.errors("admin-widget-agent", document) else 400


def _json_or_multipart(call: Call) -> bool:
    """Whether a Visitor Chat request carries its parameters in a JSON body (by its Content-Type, or by its
    look without one) or a multipart one, which the API refuses."""
    if not call.body.strip():
        return False
    media = (_sent_header(call, "content-type") or "").split(";")[0].strip().lower()
    if not media:
        return call.body.lstrip()[:1] in (b"{", b"[")
    return media == "application/json" or media.endswith("+json") or media.startswith("multipart/")


def _chat_params(call: Call) -> dict[str, str] | None:
    """The Visitor Chat API's parameters as the server reads them: the query string's, and a form body's,
    which win; None for a body that is not UTF-8."""
    found = dict(parse_qsl(call.query, keep_blank_values=True))
    if call.body and FORM in (_sent_header(call, "content-type") or FORM):
        try:
            found.update(parse_qsl(call.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return None
    return found


def _offered(case: Case, entries: int | None = None) -> list[str]:
    """The ids of the buttons the bot offered since the visitor last wrote, among the case's first entries."""
    ids: list[str] = []
    for entry in reversed(case.entries[:entries]):
        if entry.sender == "VISITOR":
            break
        ids += [
            button["id"] for button in (entry.attachment or {}).get("displayResponses", []) if "id" in button
        ]
    return ids


def _banned(world: World, org: Organization, email: str | None) -> bool:
    """Whether a visitor with this email, from the TestClient's address, is banned now."""
    keys = [f"email:{email}" if email else None, "ip:127.0.0.1"]
    now = world.clock.now_ms()
    return any(key in org.bans and (org.bans[key] is None or org.bans[key] > now) for key in keys)


def _bot_rules(world: World, org: Organization, call: Call) -> int | None:
    """400 for what the Bot API adds to a valid Visitor Chat request: a banned visitor's POST, and a PUT
    whose displayResponseId names no button the bot offered since the visitor last wrote."""
    params = _chat_params(call)
    if call.method not in ("POST", "PUT") or params is None:
        return None
    if call.method == "POST":
        if schemas.errors("visitor-chat-start-request", params):
            return None
        found = world.widget(params["widgetId"])
        email = params.get("email", "").strip().lower() or None
        return 400 if found and found[0] is org and _banned(world, org, email) else None
    if "displayResponseId" not in params or schemas.errors("visitor-chat-send-request", params):
        return None
    case = world.cases.get(params["caseId"])
    if params["messageType"] != "1" or case is None or case.org_id != org.org_id:
        return None
    if case.kind == "chat" and case.state != "closed":
        return 400 if params["displayResponseId"] not in _offered(case) else None
    return None


def check_error(call: Call, result: Result, name: str | None) -> None:
    status, fam = result.status_code, family(call.path)
    if name in ERROR_STATUSES and call.method != "OPTIONS":
        assert status in ERROR_STATUSES[name], f"{status} is not an error this route documents"
    if call.method == "HEAD":
        return  # an answer to HEAD has no body
    if fam == "visitor" and status == 404:
        assert result.content == b"", "the Visitor Chat API's 404 has an empty body"
    elif fam == "public":
        body = _json(result)
        assert_valid("widget-availability", body)
        assert "error" in body
        if status == 200:
            assert (name, call.method, body["statusCode"]) == ("public", "GET", 404), (
                "HTTP 200 is for unknown widgets"
            )
        else:
            assert body["statusCode"] == status
    else:
        body = _json(result)
        assert_valid("api-error", body)
        assert body["code"] == status


# -- what a request may change -------------------------------------------------------------------------------


def _autopilot(world: World) -> Autopilot:
    """The app's simulated agents, found among the world's event listeners (create_app keeps no other
    handle on them)."""
    listeners = world.events._listeners
    return next(
        owner for listener in listeners if isinstance(owner := getattr(listener, "__self__", None), Autopilot)
    )


def _accounts(document: dict[str, Any]) -> dict[str, Any]:
    """A world document without the cases it may hold (the state's "cases" part follows those)."""
    return {
        **document,
        "organizations": [
            {key: value for key, value in org.items() if key != "cases"} for org in document["organizations"]
        ],
    }


def state(world: World) -> dict[str, Any]:
    """Everything a request may change, by part: the world document (its accounts), the event log, the cases
    (and apart from them the visitors' typing flags), the clock, the pending timers, the bans, the simulated
    agents' switch."""
    cases = world.cases.values()
    return {
        "dump": _accounts(world_document.dump(world.orgs)),  # (dumping thousands of cases is slow)
        "events": len(world.events.since(0)),
        "cases": [
            (
                c.case_id,
                c.widget_id,
                c.kind,
                c.state,
                len(c.entries),
                c.agent_id,
                c.accepted_ms,
                c.responded_ms,
                c.closed_ms,
                c.ended_by,
                tuple(c.labels or ()),
                c.survey_score,
                c.survey_comments,
                c.agent_typing,
                c.last_activity_ms,
            )
            for c in cases
        ],
        "typing": [(c.case_id, c.visitor_typing) for c in cases],
        "clock": world.clock.now(),
        "timers": world.scheduler.pending(),
        "autopilot": _autopilot(world).enabled,
        "deliveries": [(d.id, d.kind, d.url, d.status, len(d.attempts)) for d in _engine(world).log.values()],
        "bans": [(org.org_id, sorted(org.bans.items())) for org in world.orgs.values()],
    }


PARTS = frozenset({"dump", "cases", "typing", "clock", "timers", "autopilot", "deliveries", "bans"})
CHATS = frozenset({"cases", "typing", "timers"})


@dataclass(frozen=True)
class Effect:
    """What an answered request may change: how many events it records (None: any number) and which parts
    of the state."""

    events: range | None = range(1)
    parts: frozenset[str] = frozenset()


NOTHING = Effect()
ONE_CHANGE = range(1, 2)
ACTION_EVENTS = {
    "accept": ONE_CHANGE,
    "messages": range(1, 3),  # and case.responded, the first time
    "typing": range(2),  # case.typing when it starts or stops
    "transfer": range(1, 4),  # to a widget: case.transferred, case.queued, case.broadcasted
    "labels": ONE_CHANGE,
    "close": ONE_CHANGE,
    "survey": ONE_CHANGE,
}


def _bots_called(world: World, before: dict[str, Any]) -> bool:
    """Whether the request made a call to a bot (which answers at once, as the scripted bot does)."""
    called = {entry[0] for entry in before["deliveries"]}
    return any(d.kind == "bot" and d.id not in called for d in _engine(world).log.values())


def _check_case_answer(world: World, body: Any, case_id: str, bots_called: bool = False) -> None:
    assert_valid("admin-case", body)
    assert body["caseId"] == case_id
    case = world.cases[case_id]
    assert body["state"] == case.state
    if bots_called:  # the answer went before the bot's reply added its lines
        assert len(body["entries"]) <= len(case.entries)
    else:
        assert len(body["entries"]) == len(case.entries)


SUBSCRIPTION_ROUTES = {
    "integrations",
    "agent status webhook",
    "deliveries",
    "delivery",
    "redeliver",
    "violations",
}
DELIVERY_FILTERS = ("kind", "status", "url", "widgetId", "caseId")


DELIVERY_SCHEMAS = {
    "summary": "admin-deliveries#/$defs/summary",
    "detail": "admin-delivery",
    "list": "admin-deliveries",
}


def _assert_delivery(kind: str, body: Any) -> None:
    assert_valid(DELIVERY_SCHEMAS[kind], body)


def _check_subscription_answer(
    world: World, call: Call, result: Result, name: str, args: tuple[str, ...], before: dict[str, Any]
) -> Effect:
    """Outbound subscriptions and the delivery log: a valid answer, and what the world or the engine holds."""
    engine = _engine(world)
    if call.method == "DELETE":  # the agent status webhook
        assert result.status_code == 204
        assert result.content == b""
        assert world.orgs[args[0]].agent_status_webhook is None
        return Effect(ONE_CHANGE, frozenset({"dump"}))
    body = _json(result)
    if name in ("integrations", "agent status webhook"):
        assert result.status_code == 200
        if name == "integrations":
            assert_valid("world#/$defs/integrations", body)
            stored = world.widget(args[0])[1].integrations
        else:
            assert_valid("world#/$defs/agentStatusWebhook", body)
            stored = world.orgs[args[0]].agent_status_webhook
        assert body == stored
        if call.method == "PUT":
            assert body == json.loads(call.body), "the answer is not the document sent"
            return Effect(ONE_CHANGE, frozenset({"dump"}))
        return NOTHING
    if name == "deliveries":
        assert result.status_code == 200
        _assert_delivery("list", body)
        ids = [item["id"] for item in body["deliveries"]]
        assert ids == [i for i in engine.log if i in ids], "not the log's order, or not in the log"
        assert all(item == engine.log[item["id"]].summary() for item in body["deliveries"])
        given = parse_qs(call.query, keep_blank_values=True)
        filters = {key: given[key][0] for key in DELIVERY_FILTERS if len(given.get(key, ())) == 1}
        for item in body["deliveries"]:
            assert all(
                fnmatchcase(item["url"], value) if key == "url" else item.get(key) == value
                for key, value in filters.items()
            ), f"{item} is not {filters}"
        if all(len(values) == 1 for values in given.values()) and set(given) <= set(DELIVERY_FILTERS):
            assert ids == [delivery.id for delivery in engine.find(**filters)], "a delivery left out"
        return NOTHING
    if name == "violations":
        assert result.status_code == 200
        # A bot that answers badly or not at all (the setup's broken bot) is listed too: its fault, not ours.
        ours = [item for item in body["violations"] if item["kind"] != "bot_reply"]
        assert ours == [], "an outbound payload broke its schema"
        return NOTHING
    _assert_delivery("detail", body)
    if name == "delivery":
        assert result.status_code == 200
        assert body == engine.log[args[0]].detail()
        assert body["id"] == args[0]
        assert body["attempts"] == len(body["attemptLog"])
        return NOTHING
    assert result.status_code == 201
    old = engine.log[args[0]].detail()
    assert body["id"] not in {entry[0] for entry in before["deliveries"]}, "a new delivery with an old id"
    assert body["redeliveryOf"] == args[0]
    same = ("kind", "method", "url", "headers", "payload")
    assert {key: body[key] for key in same} == {key: old[key] for key in same}
    assert list(engine.log)[-1] == body["id"]
    return Effect(range(1), frozenset({"deliveries", "timers"}))


def check_success(
    world: World, call: Call, result: Result, name: str | None, args: tuple[str, ...], before: dict[str, Any]
) -> Effect:
    """Check a success answer against its schema and what the world now holds; return what the request may
    have changed."""
    status = result.status_code
    assert name is not None, "a success on an unknown path"
    if call.method == "OPTIONS" and name in CROSS_ORIGIN:
        assert status == 204
        assert result.content == b""
        assert result.headers["access-control-allow-origin"] == "*"
        assert set(result.headers["access-control-allow-methods"].split(", ")) - {"OPTIONS"} == METHODS[name]
        return NOTHING
    if call.method == "OPTIONS":
        assert status == 200
        assert result.content == b""
        head = {"HEAD"} if "GET" in METHODS[name] else set()
        assert set(result.headers["allow"].split(", ")) - {"OPTIONS"} == METHODS[name] | head
        return NOTHING
    assert call.method in METHODS[name], "a success for a method the route does not have"
    if name in SUBSCRIPTION_ROUTES:
        return _check_subscription_answer(world, call, result, name, args, before)
    if name == "widget agent":
        return _check_widget_agent_answer(world, call, result, args, before)
    if name in ("user", "widget"):
        assert status == (201 if call.method == "PUT" else 200)
        if call.method == "DELETE":
            assert result.content == b""
        else:
            body = _json(result)
            assert_valid(f"provisioning-{name}", body)
            if name == "widget":  # enableConversations is in the PUT and POST answers, not in GET's
                assert ("enableConversations" in body) == (call.method != "GET")
        return NOTHING if call.method == "GET" else Effect(ONE_CHANGE, frozenset({"dump"}))
    assert status == 200
    if name == "agentstatus":
        assert result.content == b""
        return Effect(ONE_CHANGE, frozenset({"dump", "timers"}))
    body = _json(result) if name != "world" else None
    if name == "public":
        assert_valid("widget-availability", body)
        assert (body["statusCode"], body["data"]["widgetId"]) == (1, args[0])
    elif name == "visitor":
        assert_valid("visitor-chat-availability", body)
        assert body["widgetId"] == args[0]
    elif name in ("health", "reset"):
        assert body["status"] == "ok"
        assert body["organizations"] == len(world.orgs)
        assert body["widgets"] == sum(len(org.widgets) for org in world.orgs.values())
        if name == "reset":
            assert world.dump() == world._initial  # the document the world started with
            assert not world.cases
            assert not any(org.bans for org in world.orgs.values())
            # The event log is emptied, then records the reset: counting events tells nothing here.
            assert [event.kind for event in world.events.since(0)] == ["world.reset"]
            return Effect(None, PARTS)
    elif name == "world":
        if result.headers.get("content-type") == "application/yaml":
            document = yaml.safe_load(result.text)
        else:
            document = _json(result)
        assert_valid("world", document)
        assert document == world.dump()
        if call.method == "PUT":  # the world holds the document's cases, if any, and no bans
            assert not any(org.bans for org in world.orgs.values())
            return Effect(ONE_CHANGE, frozenset({"dump", "bans"}) | CHATS)
    elif name == "events":
        seqs = [event["seq"] for event in body["events"]]
        assert seqs == sorted(set(seqs))
        assert all(isinstance(event["kind"], str) for event in body["events"])
    elif name == "chats" and call.method == "POST":
        assert_valid("visitor-chat-start-response", body)
        case = world.cases[body["caseId"]]
        assert body["caseId"] not in {entry[0] for entry in before["cases"]}, "a new case with an old id"
        assert (case.widget_id, case.created_ms) == (body["widgetId"], world.clock.now_ms())
        _check_chat_started(world, case, _chat_params(call) or {})
        # case.queued and case.broadcasted, or case.offline; case.queued and case.assigned, to a bot.
        return Effect(range(1, 3), CHATS)
    elif name == "chats":
        assert_valid("visitor-chat-send-response", body)
        case = world.cases[body["caseId"]]
        had = next(entry[4] for entry in before["cases"] if entry[0] == case.case_id)
        if body["messageType"] == "2":
            assert (case.state, case.ended_by) == ("closed", "visitor")
            if not body["messageBody"]:
                return Effect(ONE_CHANGE, CHATS)
            # Last words: the visitor's line, then the close (case.message, case.identified, case.closed).
            assert (case.entries[had].sender, case.entries[had].message) == ("VISITOR", body["messageBody"])
            return Effect(range(2, 4), CHATS)
        # The visitor's line is the first new one: a bot may have answered it at once.
        line = case.entries[had]
        assert (line.sender, line.message) == ("VISITOR", body["messageBody"])
        clicked = (_chat_params(call) or {}).get("displayResponseId")
        if clicked is not None:
            assert clicked in _offered(case, had), f"{clicked} is not a button the bot offered"
        return Effect(ONE_CHANGE, CHATS)
    elif name == "poll":
        assert_valid("visitor-chat-poll-response", body)
        assert body["caseId"] == args[0]
        indexes = [message["index"] for message in body["messageList"]]
        assert indexes == sorted(set(indexes))
        entries = world.cases[args[0]].entries
        assert all(i < len(entries) for i in indexes)
        for message in body["messageList"]:  # a bot's buttons and cards, with the bot's line only
            shown = {key: message[key] for key in ("displayResponses", "cards") if key in message}
            entry = entries[message["index"]]
            assert shown == (entry.attachment or {})
            assert not shown or entry.sender == "BOT"
        # isTyping: case.typing when the visitor starts or stops typing.
        return Effect(range(2), frozenset({"typing"})) if "isTyping" in call.query else NOTHING
    elif name == "logs":
        assert_valid("logs-response", body)
        ids = [case["id"] for case in body["cases"]]
        assert len(set(ids)) == len(ids), "a case twice on one page"
        assert all(world.cases[i].org_id == args[0] for i in ids), "a case of another organization"
        created = [case["created_at_date"] for case in body["cases"]]
        assert created == sorted(created), "a page is oldest first"
        link = body["linkToNextSetOfResults"]
        if link:
            parts = urlsplit(link)
            assert parts.path == f"/api/v2/{quote(args[0], safe='')}/logs"
            assert "next" in parse_qs(parts.query)
    elif name in ("clock", "advance"):
        assert_valid("admin-clock", body)
        assert (body["mode"], body["now"]) == ("manual", iso(world.clock.now()))
        assert body["pendingTimers"] == world.scheduler.pending()
        if name == "advance":
            assert "timersRun" in body
            seconds = json.loads(call.body)["seconds"]
            assert world.clock.now() == before["clock"] + timedelta(seconds=seconds)
            return Effect(None, CHATS | {"clock", "deliveries"})
    elif name == "requests":
        assert_valid("admin-requests", body)
        if call.method == "DELETE":
            assert body == {"requests": []}
    elif name == "autopilot":
        assert_valid("admin-autopilot", body)
        assert body["enabled"] == _autopilot(world).enabled
        if call.method == "PUT":
            return Effect(parts=frozenset({"autopilot"}))
    elif name == "cases":
        assert_valid("admin-cases", body)
        ids = [case["caseId"] for case in body["cases"]]
        assert ids == [case_id for case_id in world.cases if case_id in ids]
    elif name == "case":
        _check_case_answer(world, body, args[0])
    elif name == "case action":
        _check_case_answer(world, body, args[0], _bots_called(world, before))
        action = args[1]
        if action == "accept":
            assert body["state"] == "assigned"
        elif action == "close":
            assert body["state"] == "closed"
        return Effect(ACTION_EVENTS[action], frozenset({"cases"}) if action == "typing" else CHATS)
    elif name == "agent status":
        assert_valid("admin-agent-status", body)
        agent = world.orgs[args[0]].agents[body["agentId"].removeprefix("wc:")]
        assert (agent.status, agent.sub_status) == (body["status"], body["subStatus"])
        return Effect(ONE_CHANGE, frozenset({"dump", "timers"}))
    return NOTHING


def _check_chat_started(world: World, case: Case, params: dict[str, str]) -> None:
    """A bot's chatStarted for a chat just started reports the visitor's identity verification: VERIFIED
    when the hmac sent is the HMAC-SHA256 (hex) of the visitor's email under the widget's secret."""
    secret = world.widget(case.widget_id)[1].identity_secret
    for delivery in _engine(world).log.values():
        if (delivery.kind, delivery.meta.get("caseId"), delivery.meta.get("event")) != (
            "bot",
            case.case_id,
            "chatStarted",
        ):
            continue
        reported = json.loads(delivery.body).get("hmacVerificationResult")
        if secret is None:
            assert reported is None, "identity verification reported for a widget without it"
            continue
        email = params.get("email", "").strip().lower()
        signed = hmac.new(secret.encode(), email.encode(), hashlib.sha256).hexdigest()
        verified = bool(email) and params.get("hmac", "").strip().lower() == signed
        assert reported == {
            "verificationProperty": {"property": "CaseEmail"},
            "content": email,
            "status": "VERIFIED" if verified else "NOT_VERIFIED",
        }


def _widget_entry(document: dict[str, Any], widget_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organization and the widget of a world document that has the widget."""
    return next(
        (org, widget)
        for org in document["organizations"]
        for widget in org["widgets"]
        if widget["uuid"] == widget_id
    )


def _check_widget_agent_answer(
    world: World, call: Call, result: Result, args: tuple[str, ...], before: dict[str, Any]
) -> Effect:
    """An agent put on a widget, in the place of the one with that agentId or last; or taken off."""
    agent_id = _bare(args[1])
    _, widget = _widget_entry(world.dump(), args[0])
    old_org, old_widget = _widget_entry(before["dump"], args[0])
    ids, old_ids = ([a["agentId"] for a in w["agents"]] for w in (widget, old_widget))
    if call.method == "DELETE":
        assert result.status_code == 204
        assert result.content == b""
        assert ids == [i for i in old_ids if i != agent_id]
        return Effect(ONE_CHANGE, frozenset({"dump"}))
    assert result.status_code == 200
    body = _json(result)
    assert_valid("admin-widget-agent", body)
    assert body == widget["agents"][ids.index(agent_id)], "the answer is not the entry the world holds"
    assert ids == (old_ids if agent_id in old_ids else [*old_ids, agent_id]), "not in its place, or not last"
    sent = json.loads(call.body)
    statuses = ("status", "subStatus")
    assert {key: value for key, value in body.items() if key not in statuses} == {
        "agentId": agent_id,
        **{key: value for key, value in sent.items() if key not in statuses and value != []},
    }
    if "status" in sent:
        assert (body["status"], body.get("subStatus")) == (sent["status"], sent.get("subStatus") or None)
    elif "subStatus" not in sent:  # the agent's status across the organization is kept
        held = [a for w in old_org["widgets"] for a in w["agents"] if a["agentId"] == agent_id]
        assert (body["status"], body.get("subStatus")) == (
            (held[0]["status"], held[0].get("subStatus")) if held else ("offline", None)
        )
    return Effect(range(1, 3), frozenset({"dump", "timers"}))  # widget.updated, agent.status_changed


class FailedTimers(logging.Handler):
    """What the app logs as an error: above all a timer that raised, which the scheduler logs and swallows
    (a request's unexpected error is logged too, and is a 500 besides)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


def check(client: TestClient, world: World, call: Call, logged: FailedTimers) -> Result:
    """Send one request and check the properties."""
    name, args = route(call.path)
    if call.method == "HEAD" and name is not None and "GET" in METHODS[name]:
        # HEAD answers like GET without a body: the same call as a GET then gets the same status, and every
        # property of a GET.
        head = call.send(client)
        note(f"HEAD {call.path}?{call.query} -> {head.status_code}")
        assert head.content == b"", "an answer to HEAD has no body"
        got = check(client, world, replace(call, method="GET"), logged)
        assert head.status_code == got.status_code
        return head
    before = state(world)
    required = required_status(world, call, name)
    result = call.send(client)
    note(f"{call.method} {call.path}?{call.query} -> {result.status_code} {result.content[:300]!r}")
    assert result.status_code < 500
    assert not logged.messages, "an error was logged: " + "\n".join(logged.messages)
    if required is not None:
        assert result.status_code == required
    public_answer = family(call.path) == "public" and call.method not in ("HEAD", "OPTIONS")
    if result.status_code >= 400 or (public_answer and "error" in _json(result)):
        check_error(call, result, name)
        effect = NOTHING
    else:
        effect = check_success(world, call, result, name, args, before)
        if effect is not NOTHING and _bots_called(world, before):
            # A bot called answers at once, and what its reply does (lines, commands: transfers, labels, a
            # ban, the end of the chat) records events of its own.
            effect = Effect(None, effect.parts | CHATS | {"bans"})
    after = state(world)
    recorded = after["events"] - before["events"]
    # The dispatcher makes deliveries of what the world records, and the engine attempts a new one at once.
    delivering = frozenset({"deliveries"}) if recorded else frozenset()
    for part in sorted(PARTS - effect.parts - delivering):
        assert after[part] == before[part], f"the request changed {part}, which it must leave as it was"
    assert effect.events is None or recorded in effect.events, f"{recorded} events recorded"
    return result


def check_cases(client: TestClient, world: World, logged: FailedTimers) -> None:
    """Every case must show as a valid admin-case, in the list and (some) alone, and in a Logs API page."""
    check(client, world, Call("GET", "/__admin/cases"), logged)
    ids = list(world.cases)
    for case_id in ids[:4] + ids[4:][-6:]:
        check(client, world, Call("GET", f"/__admin/cases/{quote(case_id)}"), logged)
    query = urlencode({"start": "1970-01-01", "end": "2200-01-01"})
    check(client, world, Call("GET", LOGS, query, headers=_headers(authorization=API_TOKEN)), logged)


def run(
    calls: list[Call],
    clock_start: datetime = MONDAY_MORNING_BERLIN,
    setup: str = "none",
    follow: bool = False,
) -> None:
    """Send the calls to a fresh default world (with the cases of the setup), checking each; follow a Logs
    API answer's link to the next page. Then, if anything changed, every case must show as it should; and
    the world must dump as a valid world document (GET /__admin/world checks it) that the server takes back
    as it is."""
    world, client = new_world(clock_start, setup)
    if setup != "none":
        assert list(world.cases)[:4] == CHAT_CASES, "the seeded cases have other ids than at import"
    seeded = state(world)
    logged = FailedTimers()
    logger = logging.getLogger("mocksnap")
    logger.addHandler(logged)
    try:
        for call in calls:
            call = call.resolve(world)
            result = check(client, world, call, logged)
            if follow and route(call.path)[0] == "logs" and (call.method, result.status_code) == ("GET", 200):
                link = urlsplit(result.json["linkToNextSetOfResults"])
                if link.path:
                    check(client, world, replace(call, path=link.path, query=link.query), logged)
        if world.cases and state(world) != seeded:  # (the seeded cases alone are checked where any changed)
            check_cases(client, world, logged)
        dumped = check(client, world, Call("GET", "/__admin/world"), logged).content
        check(
            client,
            world,
            Call("PUT", "/__admin/world", body=dumped, headers=_headers(content_type="application/json")),
            logged,
        )
    finally:
        logger.removeHandler(logged)
    assert world.dump() == json.loads(dumped)


# -- the tests ---------------------------------------------------------------------------------------------

AUTHORIZED = urlencode({"api_key": PROVISIONING_KEY})
AGENT = {"agentId": "sam@example.com", "agentAlias": "Sam", "agentAvatar": "", "agentType": "webclient"}


def _put(path: str, document: Any, **headers: str) -> Call:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return Call("PUT", path, "" if path.startswith("/__admin") else AUTHORIZED, body, _headers(**headers))


# Failing examples the properties found, kept so that each one runs every time.
TOO_DEEP = b"[" * 20_000  # RecursionError in json.loads / yaml.safe_load: a 500
UNKNOWN_ZONE_DIRECTORY = _put(  # IsADirectoryError from ZoneInfo("America"): a 500
    "/api/v1/widget.json",
    {
        "email": OWNER,
        "name": "W",
        "agents": [AGENT],
        "conversationSchedule": {"timeZone": "America", "schedules": []},
    },
)
WIDGET_WITHOUT_NAME = _put("/api/v1/widget.json", {"email": OWNER, "agents": [AGENT]})  # answer lacks "name"
# Accepted, then the world dumps a document that breaks world.schema.json (and PUT /__admin/world refuses):
WIDGET_WITH_EMPTY_NAME = _put("/api/v1/widget.json", {"email": OWNER, "name": "", "agents": [AGENT]})
AGENT_ID_TWICE_PREFIXED = _put(
    "/api/v1/widget.json", {"email": OWNER, "name": "W", "agents": [{**AGENT, "agentId": "wc:wc:x"}]}
)
EMAIL_LONGER_IN_LOWERCASE = _put(  # 65 characters; 125 once lowercased ("İ".lower() is two characters)
    "/api/v1/user.json", {**USER_CREATE, "email": "İ" * 60 + "@x.io"}
)
YAML_INTEGER_KEY = _put(  # IndexError in schemas.describe for additionalProperties: a 500
    "/__admin/world", b"organizations: []\n1: 2\n", content_type="application/yaml"
)


@settings(max_examples=300, deadline=None)
@example(call=_put("/api/v1/user.json", TOO_DEEP))
@given(call=user_calls)
def test_provisioning_users(call: Call) -> None:
    run([call])


@settings(max_examples=300, deadline=None)
@example(call=UNKNOWN_ZONE_DIRECTORY)
@given(call=widget_calls)
def test_provisioning_widgets(call: Call) -> None:
    run([call])


@settings(max_examples=300, deadline=None)
@example(calls=[WIDGET_WITHOUT_NAME])
@example(calls=[WIDGET_WITH_EMPTY_NAME])
@example(calls=[AGENT_ID_TWICE_PREFIXED])
@example(calls=[EMAIL_LONGER_IN_LOWERCASE])
@given(calls=st.lists(authorized_changes(), min_size=1, max_size=3))
def test_authorized_provisioning_changes(calls: list[Call]) -> None:
    run(calls)


@settings(max_examples=200, deadline=None)
@given(call=availability_calls(), clock_start=clocks)
def test_availability(call: Call, clock_start: datetime) -> None:
    run([call], clock_start)


@settings(max_examples=300, deadline=None)
@example(call=YAML_INTEGER_KEY)
@example(call=_put("/__admin/world", TOO_DEEP, content_type="application/yaml"))
@given(call=admin_calls())
def test_control_api(call: Call) -> None:
    run([call])


@settings(max_examples=150, deadline=None)
# Paths that only start like an availability API's answer in its shape rather than api-error.
@example(call=Call("GET", "/api/v1/chatter"))
@example(call=Call("GET", "/public/api/v2/chatroom"))
@given(call=unknown_calls())
def test_unknown_paths_and_methods(call: Call) -> None:
    run([call])


# Failing examples the properties of the live-chat APIs found (each a 500 or a failed timer, fixed since),
# kept so that each one runs every time.
JSON_TYPE = _headers(content_type="application/json")
# json.loads reads NaN; the schema's minimum and maximum let NaN through; timedelta(seconds=nan) raises.
NAN_SECONDS = Call("POST", "/__admin/clock/advance", body=b'{"seconds": NaN}', headers=JSON_TYPE)
# "\n" passes the index pattern ^[0-9]{0,9}$ ($ matches before a final newline); int("\n") raises: a 500.
POLL_INDEX_NEWLINE = Call(
    "GET", f"/api/v1/chat/poll/{QUEUED_CASE}", query="index=%0A", headers=_headers(x_api_key=VISITOR_KEY)
)
DELETE_SUPPORT_WIDGET = Call(
    "DELETE",
    "/api/v1/widget.json",
    query=urlencode({"api_key": PROVISIONING_KEY, "email": OWNER, "uuid": SUPPORT_WIDGET}),
)
# The widget of an open chat deleted, then the chat's widget looked up: KeyError, a 500 ...
ACCEPT_ON_DELETED_WIDGET = [
    DELETE_SUPPORT_WIDGET,
    Call(
        "POST",
        f"/__admin/cases/{QUEUED_CASE}/accept",
        body=b'{"agentId": "sam@example.com"}',
        headers=JSON_TYPE,
    ),
]
# ... or a failed timer: the simulated agent accepting the queued chat.
TIMERS_ON_DELETED_WIDGET = [
    DELETE_SUPPORT_WIDGET,
    Call("POST", "/__admin/clock/advance", body=b'{"seconds": 10}'),
]
# The agent of an accepted chat taken off its widget: the simulated agent's greeting fails on the alias
# (StopIteration in Autopilot._alias), a failed timer.
AGENT_TAKEN_OFF_WIDGET = [
    Call(
        "POST",
        "/api/v1/widget.json",
        query=AUTHORIZED,
        body=json.dumps(
            {"email": OWNER, "uuid": SUPPORT_WIDGET, "agents": [{**AGENT, "agentId": "x@example.com"}]}
        ).encode(),
    ),
    Call("POST", "/__admin/clock/advance", body=b'{"seconds": 3}'),
]


@settings(max_examples=200, deadline=None)
@example(call=POLL_INDEX_NEWLINE, clock_start=MONDAY_MORNING_BERLIN, setup="chats")
@given(
    call=mostly(visitor_chat_calls(), visitor_chat_calls(valid=True), odds=3),
    clock_start=clocks,
    setup=st.sampled_from(["none", "chats", "chats", "bots", "bots"]),
)
def test_visitor_chat(call: Call, clock_start: datetime, setup: str) -> None:
    run([call], clock_start, setup)


@settings(max_examples=120, deadline=None)
@given(call=mostly(agent_status_calls(), agent_status_calls(valid=True), odds=3))
def test_agent_status(call: Call) -> None:
    run([call], setup="chats")


@settings(max_examples=200, deadline=None)
@given(call=logs_calls(), setup=st.sampled_from(["chats", "many", "many"]))
def test_logs(call: Call, setup: str) -> None:
    run([call], setup=setup, follow=True)


@settings(max_examples=250, deadline=None)
@example(call=NAN_SECONDS, clock_start=MONDAY_MORNING_BERLIN, setup="chats")
@given(
    call=mostly(control_calls(), control_calls(valid=True), odds=2),
    clock_start=clocks,
    setup=st.sampled_from(["chats", "chats", "bots"]),
)
def test_control_api_of_chats(call: Call, clock_start: datetime, setup: str) -> None:
    run([call], clock_start, setup)


@settings(max_examples=100, deadline=None)
@given(
    calls=st.lists(
        mostly(subscription_calls(), subscription_calls(valid=True), chat_calls, odds=2),
        min_size=1,
        max_size=3,
    ),
    setup=st.sampled_from(["none", "hooks", "hooks", "hooks"]),
)
def test_subscriptions_and_deliveries(calls: list[Call], setup: str) -> None:
    run(calls, setup=setup)


@settings(max_examples=300, deadline=None)
@example(calls=ACCEPT_ON_DELETED_WIDGET, clock_start=MONDAY_MORNING_BERLIN, setup="chats")
@example(calls=TIMERS_ON_DELETED_WIDGET, clock_start=MONDAY_MORNING_BERLIN, setup="chats")
@example(calls=AGENT_TAKEN_OFF_WIDGET, clock_start=MONDAY_MORNING_BERLIN, setup="chats")
@given(
    calls=st.lists(any_call, min_size=2, max_size=10),
    clock_start=clocks,
    setup=st.sampled_from(["none", "chats", "chats", "bots"]),
)
def test_request_sequences(calls: list[Call], clock_start: datetime, setup: str) -> None:
    run(calls, clock_start, setup)


# Agents put on widgets and taken off, the refusals included (in order: not on the widget, the last agent,
# chats under way), and what then uses the agents: chats, the simulated agents' timers.
LAST_AGENT = Call("DELETE", f"/__admin/widgets/{SOLO_WIDGET}/agents/{BROKEN_BOT}")
BOT_WITH_A_CHAT = Call("DELETE", f"/__admin/widgets/{BOT_WIDGET}/agents/wc:{BOT}")
SAM_WITH_A_CHAT = Call("DELETE", f"/__admin/widgets/{SUPPORT_WIDGET}/agents/SAM@example.com")
MICHAEL_OFF_SUPPORT = Call("DELETE", f"/__admin/widgets/{SUPPORT_WIDGET}/agents/michael@example.com")
SAM_AS_A_BOT = _put(  # while Sam has a chat under way
    f"/__admin/widgets/{SUPPORT_WIDGET}/agents/sam@example.com",
    {key: value for key, value in BOT_AGENT.items() if key != "agentId"},
)
NEW_BOT = _put(f"/__admin/widgets/{SUPPORT_WIDGET}/agents/{BOT}", {**BOT_AGENT, "status": "offline"})


def _visitor(method: str, **params: str) -> Call:
    return Call(method, "/api/v1/chat", urlencode(params), headers=_headers(x_api_key=VISITOR_KEY))


bot_chat_calls = visitor_chat_calls(valid=True, bots=True)


@settings(max_examples=100, deadline=None)
@example(calls=[LAST_AGENT, BOT_WITH_A_CHAT, SAM_WITH_A_CHAT], setup="bots")
@example(
    calls=[MICHAEL_OFF_SUPPORT, SAM_WITH_A_CHAT, Call("DELETE", MICHAEL_OFF_SUPPORT.path)], setup="chats"
)
@example(calls=[SAM_AS_A_BOT, Call("POST", "/__admin/clock/advance", body=b'{"seconds": 6}')], setup="chats")
@example(
    calls=[
        NEW_BOT,
        _put(NEW_BOT.path, {**BOT_AGENT, "agentAlias": "Bot", "tags": [], "status": "online"}),
        _visitor("POST", widgetId=SUPPORT_WIDGET),
        _visitor("PUT", caseId=LAST_CASE, messageType="1", messageBody="Cards", displayResponseId="cards"),
        _visitor("PUT", caseId=LAST_CASE, messageType="1", messageBody="Bye"),
    ],
    setup="none",
)
@example(
    calls=[
        _visitor("PUT", caseId=BOT_CASE, messageType="1", messageBody="Billing", displayResponseId="billing"),
        _visitor("PUT", caseId=BOT_CASE, messageType="1", messageBody="Cards", displayResponseId="cards"),
        _visitor("POST", widgetId=BOT_WIDGET, email=BANNED),
        _visitor("PUT", caseId=BOT_CASE, messageType="1", messageBody="Ban me", displayResponseId="ban"),
        _visitor("POST", widgetId=BOT_WIDGET, email="v@example.com", hmac=GOOD_HMAC),
    ],
    setup="bots",
)
@example(  # the control API's answer goes before the bot's reply to its chatStarted
    calls=[
        _visitor("POST", widgetId=SUPPORT_WIDGET),
        Call(
            "POST", f"/__admin/cases/{LAST_CASE}/transfer", body=json.dumps({"widgetId": BOT_WIDGET}).encode()
        ),
    ],
    setup="bots",
)
@given(
    calls=st.lists(
        st.sampled_from(
            [widget_agent_calls(valid=True)] * 3
            + [widget_agent_calls(), bot_chat_calls, bot_chat_calls, chat_calls]
        ).flatmap(lambda chosen: chosen),
        min_size=1,
        max_size=4,
    ),
    setup=st.sampled_from(["none", "chats", "bots", "bots", "bots"]),
)
def test_bots_and_agents_on_widgets(calls: list[Call], setup: str) -> None:
    """Agents put on widgets and taken off (humans and bots), among chats with the bots and their buttons."""
    run(calls, setup=setup)
