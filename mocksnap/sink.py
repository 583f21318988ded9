"""`mocksnap sink`: a webhook receiver that prints every request it gets as one JSON line and forgets it, a
stand-in for an integrator's endpoint in demos and in docker/compose.yaml."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from mocksnap.config import parse_port
from mocksnap.flags import NO_VARIABLES, Help, flag_type
from mocksnap.testing import HOST, Answer, Record, WebhookSink

PORT = 9999  # the port the README and the guides send webhooks to


class PrintingSink(WebhookSink):
    """Prints instead of keeping: a sink that runs for days must not hold every request it was sent."""

    def __init__(self, host: str, port: int, status: int) -> None:
        self._status = status
        self._printing = threading.Lock()
        super().__init__(host, port)

    def answer(self, record: Record) -> Answer:
        with self._printing:
            print(json.dumps(line(record), ensure_ascii=False), flush=True)
        self.clear()
        return Answer(self._status, b"ok" if self._status < 400 else b"failed")


def line(record: Record) -> dict[str, Any]:
    """A request as printed: the body as JSON when it is JSON, else as text."""
    text = record.body.decode("utf-8", "replace")
    try:
        body: Any = json.loads(text) if text else None
    except ValueError:
        body = text
    query = {name: values[0] if len(values) == 1 else values for name, values in record.query.items()}
    return {
        "method": record.method,
        "path": record.path,
        "query": query,
        "headers": record.headers,
        "body": body,
    }


def add_parser(commands: argparse._SubParsersAction) -> None:
    sink = commands.add_parser(
        "sink",
        help="receive webhooks and print each one as a JSON line",
        epilog=NO_VARIABLES,
        formatter_class=Help,
    )
    sink.add_argument("--host", default=HOST, help="address to listen on")
    sink.add_argument(
        "--port",
        type=flag_type(parse_listen_port),
        default=PORT,
        help="port to listen on, 0 for any free one",
    )
    sink.add_argument(
        "--status",
        type=flag_type(parse_status),
        default=200,
        help="the status every request gets, e.g. 500 to see retries",
    )


def parse_listen_port(text: str) -> int:
    return 0 if text.strip() == "0" else parse_port(text)


def parse_status(text: str) -> int:
    if not text.strip().isdigit() or not 200 <= int(text) <= 599:
        raise ValueError(f"{text!r} is not an HTTP status from 200 to 599")
    return int(text)


def run(args: argparse.Namespace) -> int:
    try:
        sink = PrintingSink(args.host, args.port, args.status)
    except OSError as error:
        print(f"mocksnap: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"mocksnap sink listening on http://{args.host}:{sink.port}", file=sys.stderr, flush=True)
    stop.wait()
    sink.close()
    return 0
