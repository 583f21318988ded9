"""The tests' SMTP server: aiosmtpd on a free port of 127.0.0.1, keeping every message it accepts (and
refusing them all on demand), as a local mail catcher such as Mailpit would."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from mocksnap.testing import HOST, free_port


@dataclass(frozen=True)
class Received:
    sender: str  # MAIL FROM
    recipients: list[str]  # RCPT TO
    message: EmailMessage

    @property
    def body(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")  # lines end CRLF on the wire


class SmtpInbox:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Received] = []
        self.refusal: str | None = None  # an SMTP reply to every DATA, instead of accepting
        self._arrived = threading.Condition()
        self._controller = Controller(self, hostname=HOST, port=self.port)
        self._controller.start()

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusal is not None:
            return self.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[Received]:
        with self._arrived:
            met = self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            assert met, f"the SMTP server expected {count} messages within {timeout:g} s, got {self.messages}"
            return list(self.messages)

    def close(self) -> None:
        self._controller.stop()
