"""The outbox: every email mocksnap writes (transcripts, offline messages, the Integration API's email
fallback, a visitor's copy of their transcript) is listed here, and, given an SMTP server
(`--smtp HOST:PORT`), sent to it; without one it is kept, not sent. It knows nothing of SnapEngage: it
takes (kind, to, subject, body, meta), as the delivery engine takes requests; webhooks/emails.py decides what
to write and when.

Sending: one connection to the SMTP server, opened on first use and kept; emails go out one after another
in the order they were written, each one attempt bounded by the delivery timeout, its outcome (the server's
reply, or the error) kept on the email. Like deliveries, emails wait, queued, until there is an event loop
(`start`), and every change is told to `changes` so that a wait for emails is answered as soon as it is met.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from fnmatch import fnmatchcase
from typing import Any

from mocksnap.changes import Changes
from mocksnap.clock import Clock, iso

log = logging.getLogger("mocksnap.mail")

SENDER = "SnapEngage (mocksnap) <noreply@mocksnap.local>"


@dataclass
class Email:
    id: str
    kind: str  # transcript, offline_message, email_fallback, visitor_transcript
    to: str
    subject: str
    body: str
    written_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)  # orgId, widgetId, caseId, deliveryId
    reply_to: str | None = None
    status: str = "queued"  # kept (no SMTP server), queued, sending, sent, failed
    smtp_reply: str | None = None
    error: str | None = None

    def message(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = SENDER
        message["To"] = self.to
        if self.reply_to:
            message["Reply-To"] = self.reply_to
        message["Subject"] = self.subject
        message["Date"] = format_datetime(self.written_at)
        message["Message-ID"] = f"<{self.id}.{self.meta.get('caseId', 'mocksnap')}@mocksnap.local>"
        message.set_content(self.body)
        return message

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "from": SENDER,
            "to": self.to,
            "replyTo": self.reply_to,
            "subject": self.subject,
            "body": self.body,
            "writtenAt": iso(self.written_at),
            "caseId": self.meta.get("caseId"),
            "deliveryId": self.meta.get("deliveryId"),
            "orgId": self.meta.get("orgId"),
            "widgetId": self.meta.get("widgetId"),
            "status": self.status,
            "smtpReply": self.smtp_reply,
            "error": self.error,
        }


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


class Outbox:
    def __init__(
        self, clock: Clock, smtp: str | None = None, *, timeout: float = 10.0, log_size: int = 10_000
    ) -> None:
        self.clock = clock
        self.smtp = split_address(smtp) if smtp else None
        self.timeout = timeout
        self.log_size = log_size
        self.emails: dict[str, Email] = {}
        self._ids = itertools.count(1)
        self._queue: deque[Email] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sender: asyncio.Task | None = None
        self._client: Any = None  # the aiosmtplib.SMTP connection, while open
        self.changes = Changes()

    # -- writing --------------------------------------------------------------------------------------

    def write(
        self,
        kind: str,
        to: str,
        subject: str,
        body: str,
        meta: dict[str, Any],
        *,
        reply_to: str | None = None,
    ) -> Email:
        email = Email(
            f"m{next(self._ids):07d}",
            kind,
            to,
            subject,
            body,
            self.clock.now(),
            meta,
            reply_to,
            "queued" if self.smtp else "kept",
        )
        self.emails[email.id] = email
        self._prune()
        if self.smtp:
            self._queue.append(email)
            self._send_soon()
        self.changes.notify()
        return email

    def _prune(self) -> None:
        """The newest emails are kept: past the log's size the oldest that are no longer waiting go."""
        while len(self.emails) > self.log_size:
            oldest = next((e for e in self.emails.values() if e.status not in ("queued", "sending")), None)
            if oldest is None:
                return
            del self.emails[oldest.id]

    def find(self, **filters: str | None) -> list[Email]:
        """Emails, oldest first, whose fields (kind, status; `to` a glob) or meta (caseId ...) are the ones
        given."""
        wanted = {key: value for key, value in filters.items() if value is not None}
        return [
            email
            for email in self.emails.values()
            if all(
                fnmatchcase(email.to, value)
                if key == "to"
                else (getattr(email, key) if key in ("kind", "status") else email.meta.get(key)) == value
                for key, value in wanted.items()
            )
        ]

    # -- sending --------------------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._send_soon()

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
        self._sender = self._loop = None
        await self._disconnect()

    async def idle(self) -> None:
        """Until every email written so far has been sent or has failed."""
        while self._sender is not None and not self._sender.done():
            await asyncio.gather(self._sender, return_exceptions=True)

    def reset(self) -> None:
        """Forget every email, and count them from m0000001 again; one being sent goes on unlisted."""
        self._queue.clear()
        self.emails.clear()
        self._ids = itertools.count(1)
        self.changes.notify()

    def _send_soon(self) -> None:
        if self._loop is None or not self._queue or (self._sender is not None and not self._sender.done()):
            return
        self._sender = self._loop.create_task(self._send_all())

    async def _send_all(self) -> None:
        while self._queue:
            email = self._queue.popleft()
            email.status = "sending"
            self.changes.notify()
            try:
                async with asyncio.timeout(self.timeout):
                    email.smtp_reply = await self._send(email)
                email.status = "sent"
            # A refused connection or a refused message is the email's outcome, not a crash.
            except Exception as error:
                email.status = "failed"
                timed_out = isinstance(error, TimeoutError)
                email.error = (
                    f"no answer within {self.timeout:g} s"
                    if timed_out
                    else f"{type(error).__name__}: {error}"
                )
                log.warning("email %s to %s not sent: %s", email.id, email.to, email.error)
                await self._disconnect()
            self.changes.notify()

    async def _send(self, email: Email) -> str:
        import aiosmtplib  # only a server that sends email needs it loaded

        assert self.smtp is not None
        if self._client is None or not self._client.is_connected:
            host, port = self.smtp
            # A local mail catcher: plain SMTP, no STARTTLS even when it offers one (its certificate is
            # nobody's).
            self._client = aiosmtplib.SMTP(hostname=host, port=port, start_tls=False, timeout=self.timeout)
            await self._client.connect()
        _, reply = await self._client.send_message(email.message())
        return reply

    async def _disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except Exception:  # it is gone either way
                client.close()
