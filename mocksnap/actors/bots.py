"""The bot bridge: custom API bots (developer-api.txt, "Bot API") take part in chats through their webhooks.

When a chat reaches a bot (the world gives a widget's new chats to its first online bot), the bot gets a
chatStarted; each visitor line while it has the chat, a message (with the button's id when the visitor
clicked a display response); when the chat ends with it, a chatClosed. Its answer to chatStarted and message
is a reply (schemas/bot-reply.schema.json): messages and commands, applied in order through world commands,
as a human at the agent's desk would act. Commands that fail are reported back to the bot in one
commandResult. A `context_id` in a reply goes back on the bot's next request, then is forgotten.

Calls go through the delivery engine, in order per chat, one attempt each: a chat cannot wait for retries.
A bot that fails to answer (an error status, no answer in time, a reply that is not JSON or breaks the
schema) loses the chat to the widget's human agents, as a HUMAN_TRANSFER would hand it; the failure is in
the delivery log, and in /__admin/violations as a reply that breaks the bot-reply contract.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from mocksnap import schemas
from mocksnap.clock import iso
from mocksnap.schemas import SchemaError
from mocksnap.webhooks import bot_payloads
from mocksnap.webhooks.delivery import Delivery, DeliveryEngine
from mocksnap.webhooks.dispatch import Violations, request_headers
from mocksnap.world import World
from mocksnap.world.errors import WorldError
from mocksnap.world.events import DomainEvent
from mocksnap.world.models import Case, WidgetAgent

log = logging.getLogger("mocksnap.bots")

REPLY_SCHEMA = "bot-reply"
CARD_LAYOUTS = ("VERTICAL", "HORIZONTAL")
# TAG_TRANSFER's parameters: a widget id, then a JSON array of tags, as in the sample.
TAG_TRANSFER_PARAMS = re.compile(r"^\s*(\S+)\s+(\[.*\])\s*$", re.DOTALL)


class CommandFailed(Exception):
    """A command the bot gave that cannot be carried out; `code` is one of the Bot API's listed errors."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class BotBridge:
    def __init__(self, world: World, engine: DeliveryEngine, violations: Violations) -> None:
        self.world = world
        self.engine = engine
        self.violations = violations
        # case id -> bot id -> the context_id of that bot's last reply (it goes back to that bot only)
        self._contexts: dict[str, dict[str, str]] = {}
        world.events.subscribe(self._on_event)

    # -- from the world to the bot --------------------------------------------------------------------

    def _on_event(self, event: DomainEvent) -> None:
        kind = event.kind
        if kind in ("world.reset", "world.replaced"):
            self._contexts.clear()
            return
        if kind not in ("case.assigned", "case.transferred", "case.message", "case.closed"):
            return
        case = self.world.cases.get(event.data["caseId"])
        if case is None:
            return
        if kind == "case.closed":
            bot = self._bot(case, event.data.get("agentId"))
            if bot is not None:
                self._send(case, bot, bot_payloads.chat_closed(case, self._now()), expects_reply=False)
            else:
                self._contexts.pop(case.case_id, None)
            return
        bot = self._bot(case, case.agent_id)
        if bot is None:
            return
        if kind == "case.assigned" or (kind == "case.transferred" and event.data["toAgentId"]):
            widget = self.world.orgs[case.org_id].widgets[case.widget_id]
            self._send(case, bot, bot_payloads.chat_started(widget, case, self._now()))
        elif kind == "case.message" and event.data["sender"] == "VISITOR":
            text = case.entries[-1].message
            payload = bot_payloads.message(case, text, self._now(), event.data.get("responseId"))
            self._send(case, bot, payload)

    def _bot(self, case: Case, agent_id: str | None) -> WidgetAgent | None:
        """The bot of the case's widget with this id, if it is one reached by a webhook (a bot without one is
        played by the traffic generator)."""
        if agent_id is None:
            return None
        widget = self.world.orgs[case.org_id].widgets.get(case.widget_id)
        if widget is None:
            return None
        return next((a for a in widget.agents if a.agent_id == agent_id and a.is_bot and a.bot), None)

    def _now(self) -> int:
        return self.world.clock.now_ms()

    def _send(
        self, case: Case, bot: WidgetAgent, payload: dict[str, Any], *, expects_reply: bool = True
    ) -> None:
        schema_name = f"bot-{_kebab(payload['event'])}"

        def prepare(delivery: Delivery) -> None:
            """The context_id of the bot's last reply goes with its next request as it is sent, which may
            be later than it was queued (while the bot was still answering the one before)."""
            contexts = self._contexts.get(case.case_id, {})
            context_id = contexts.pop(bot.agent_id, None)
            if payload["event"] == "chatClosed":
                self._contexts.pop(case.case_id, None)
            if context_id is not None:
                payload["context_id"] = context_id
                delivery.body = self.violations.checked(
                    iso(self.world.clock.now()), "bot", schema_name, payload
                )

        body = self.violations.checked(iso(self.world.clock.now()), "bot", schema_name, payload)
        assert bot.bot is not None  # _bot names only bots with a webhook
        meta = {
            "orgId": case.org_id,
            "widgetId": case.widget_id,
            "caseId": case.case_id,
            "agentId": bot.agent_id,
            "event": payload["event"],
        }
        self.engine.enqueue(
            "bot",
            "POST",
            bot.bot["url"],
            request_headers("application/json", bot.bot.get("authToken")),
            body,
            meta,
            on_answer=(lambda delivery: self._answered(case, bot, delivery)) if expects_reply else None,
            on_failure=(lambda delivery: self._failed(case, bot, delivery)) if expects_reply else None,
            retry=False,
            lane=f"{bot.bot['url']} {case.case_id}",
            prepare=prepare,
        )

    # -- from the bot's reply back to the world --------------------------------------------------------

    def _answered(self, case: Case, bot: WidgetAgent, delivery: Delivery) -> str | None:
        """Apply the bot's reply; a string back is why the reply was refused (the delivery then failed)."""
        text = delivery.response_body.decode("utf-8", "replace")
        if not text.strip():
            return None  # nothing to say is a fine answer
        try:
            reply = json.loads(text)
        except ValueError as error:
            return self._refused(f"the reply is not JSON: {error}", [SchemaError("", str(error))], text)
        problems = schemas.errors(REPLY_SCHEMA, reply)
        if problems:
            return self._refused(f"the reply breaks schema {REPLY_SCHEMA}: {problems[0]}", problems, reply)
        reply = schemas.without_nulls(reply)  # a field sent as null is absent, as the schema says
        if "context_id" in reply:
            self._contexts.setdefault(case.case_id, {})[bot.agent_id] = reply["context_id"]
        failed: list[dict[str, str]] = []
        for item in reply.get("content", []):
            if not self._has_chat(case, bot):
                log.warning(
                    "bot %s no longer has chat %s; the rest of its reply is dropped",
                    bot.agent_id,
                    case.case_id,
                )
                break
            if item["type"] == "message":
                self._message(case, bot, item)
                continue
            try:
                self._command(case, bot, item["operation"], item.get("parameters"))
            except CommandFailed as failure:
                failed.append(
                    {
                        "operation": item["operation"],
                        "params": _params_text(item.get("parameters")),
                        "error": failure.code,
                    }
                )
        if failed:
            self._send(case, bot, bot_payloads.command_result(case, self._now(), failed), expects_reply=False)
        return None

    def _refused(self, reason: str, problems: list[SchemaError], reply: Any) -> str:
        self.violations.add(
            iso(self.world.clock.now()), "bot_reply", REPLY_SCHEMA, problems, reply, ours=False
        )
        return reason

    def _has_chat(self, case: Case, bot: WidgetAgent) -> bool:
        return case.state == "assigned" and case.agent_id == bot.agent_id

    def _failed(self, case: Case, bot: WidgetAgent, delivery: Delivery) -> None:
        """No usable reply: one that came and was refused is listed already; an error status or no answer at
        all is listed too, as a reply that is not one, before the chat goes to the humans."""
        attempt = delivery.attempts[-1]
        if attempt.status is None or not 200 <= attempt.status < 300:
            answer = delivery.response_body.decode("utf-8", "replace") or None
            problem = SchemaError("", f"no reply: {attempt.error}")
            now = iso(self.world.clock.now())
            self.violations.add(now, "bot_reply", REPLY_SCHEMA, [problem], answer, ours=False)
        self._hand_over(case, bot)

    def _hand_over(self, case: Case, bot: WidgetAgent) -> None:
        """A bot that failed loses the chat to the widget's human agents (they may all be away: then it
        waits for one, until the queue times out)."""
        if self._has_chat(case, bot):
            self.world.transfer(case, widget_id=case.widget_id, humans_only=True)

    def _message(self, case: Case, bot: WidgetAgent, item: dict[str, Any]) -> None:
        text = item.get("text") or ""
        buttons = item.get("display_responses")
        offered = [{key: b[key] for key in ("text", "id") if key in b} for b in buttons or []]
        attachment = {"displayResponses": offered} if offered else None
        if text or attachment:
            self.world.agent_message(case, bot.agent_id, text, attachment=attachment)

    def _command(self, case: Case, bot: WidgetAgent, operation: str, parameters: Any) -> None:
        world = self.world
        match operation:
            case "BAN" | "BAN_IP":
                world.ban(case, ip=operation == "BAN_IP")
            case "BYE":
                world.close(case, "agent")
            case "GOTO":
                world.redirect(case, _required_text(parameters))
            case "TRANSFER":
                self._transfer(case, agent_id=_required_text(parameters))
            case "HUMAN_TRANSFER":
                self._transfer(case, widget_id=case.widget_id, humans_only=True)
            case "WIDGET_TRANSFER":
                self._transfer(case, widget_id=_required_text(parameters))
            case "WIDGET_HUMAN_TRANSFER":
                self._transfer(case, widget_id=_required_text(parameters), humans_only=True)
            case "TAG_TRANSFER":
                widget_id, tags = _tag_transfer(parameters)
                self._transfer(case, widget_id=widget_id, tags=tags)
            case "LABEL":
                for name, value in _labels(parameters):
                    world.label(case, name, value)
            case "CARDS":
                layout, cards = _cards(parameters)
                text = "\n".join(
                    " - ".join(part for part in (c.get("title"), c.get("link")) if part) for c in cards
                )
                world.agent_message(
                    case, bot.agent_id, text, attachment={"cards": {"layout": layout, "cards": cards}}
                )

    def _transfer(self, case: Case, **target: Any) -> None:
        refusal = self.world.transfer_refusal(case, **target)
        if refusal is not None:
            raise CommandFailed(*refusal)
        try:
            self.world.transfer(case, **target)
        except WorldError as error:  # transfer_refusal names every case; this is a safety net
            raise CommandFailed("TRANSFER_NOT_ALLOWED", error.message) from None


# -- reading a command's parameters -----------------------------------------------------------------


def _kebab(event: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", event).lower()


def _params_text(parameters: Any) -> str:
    """A command's parameters as commandResult's `params` string: as given, or as JSON when not a string."""
    if parameters is None:
        return ""
    return parameters if isinstance(parameters, str) else json.dumps(parameters)


def _missing(what: str) -> CommandFailed:
    return CommandFailed("MISSING_PARAM", f"the command needs {what}")


def _required_text(parameters: Any) -> str:
    if not isinstance(parameters, str) or not parameters.strip():
        raise _missing("a parameter")
    return parameters.strip()


def _tag_transfer(parameters: Any) -> tuple[str, tuple[str, ...]]:
    """`"widgetId [\"TAG1\", \"TAG2\"]"`: the widget, and at least one tag."""
    found = TAG_TRANSFER_PARAMS.match(parameters) if isinstance(parameters, str) else None
    if found is None:
        raise _missing('a widget id and a JSON array of tags, as "widgetId [\\"TAG\\"]"')
    try:
        tags = json.loads(found[2])
    except ValueError:
        raise _missing("a JSON array of tags") from None
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t for t in tags):
        raise _missing("at least one tag")
    return found[1], tuple(tags)


def _labels(parameters: Any) -> list[tuple[str, str]]:
    """`[{"name": ["value", ...]}, ...]`, given as a JSON string (as in the sample) or as JSON itself; a map
    `{"name": ["value"]}` is read the same. Several values of one label are set joined by ", "."""
    if isinstance(parameters, str):
        try:
            parameters = json.loads(parameters) if parameters.strip() else None
        except ValueError:
            raise _missing("labels as JSON") from None
    maps = [parameters] if isinstance(parameters, dict) else parameters
    if not isinstance(maps, list) or not maps or not all(isinstance(m, dict) for m in maps):
        raise _missing("a list of label names and values")
    labels: list[tuple[str, str]] = []
    for mapping in maps:
        for name, values in mapping.items():
            values = [values] if isinstance(values, str) else values
            if (
                not name
                or not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                raise _missing(f"values for label {name!r}")
            labels.append((name, ", ".join(values)))
    if not labels:
        raise _missing("at least one label")
    return labels


def _cards(parameters: Any) -> tuple[str, list[dict[str, str]]]:
    if isinstance(parameters, str) and parameters.strip():
        try:
            parameters = json.loads(parameters)
        except ValueError:
            raise _missing("cards as JSON") from None
    if not isinstance(parameters, dict) or not parameters.get("cards"):
        raise _missing("cards")
    layout = str(parameters.get("layout") or "VERTICAL").upper()
    if layout not in CARD_LAYOUTS:
        raise _missing("a layout of VERTICAL or HORIZONTAL")
    cards = [
        {key: str(card[key]) for key in ("title", "excerpt", "link") if card.get(key)}
        for card in parameters["cards"]
        if isinstance(card, dict)
    ]
    if not cards or not all(cards):
        raise _missing("cards with a title, an excerpt or a link")
    return layout, cards
