"""`mocksnap traffic`: a day (or any time) of realistic chats, in-process or in a running server."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from mocksnap.config import parse_duration, parse_instant, parse_positive, parse_whole
from mocksnap.flags import NO_VARIABLES, Help, flag_type
from mocksnap.traffic import profile as profiles
from mocksnap.traffic.run import run_fast, run_live
from mocksnap.world import document

INTERRUPTED = 130  # the shell's exit status for a command stopped by Ctrl-C
DEFAULT_DAY = "2026-11-23"  # a Monday: runs without --start begin at its midnight, in the profile's zone


def add_parser(commands: argparse._SubParsersAction) -> None:
    traffic = commands.add_parser(
        "traffic",
        help="generate realistic chats: in-process (--out) or in a running server (--server)",
        description="Visitors, agents and bots of a world, played on its clock by a seeded generator. "
        f"Bundled profiles: {', '.join(profiles.bundled_names())}.",
        epilog=NO_VARIABLES,
        formatter_class=Help,
    )
    traffic.add_argument("--profile", required=True, help="a bundled profile's name, or a profile file")
    traffic.add_argument(
        "--duration", type=flag_type(parse_duration), default="1d", help="of arrivals, e.g. 1d, 6h, 90m"
    )
    traffic.add_argument("--seed", type=flag_type(parse_whole), default=0, help="seed of every random choice")
    traffic.add_argument(
        "--speed", type=flag_type(parse_positive), help="times real time; without it, as fast as possible"
    )
    traffic.add_argument(
        "--start",
        type=flag_type(parse_instant),
        help=f"in-process: the first instant (midnight of {DEFAULT_DAY} in the profile's time zone)",
    )
    traffic.add_argument("--webhooks", help="subscribe every widget and the agent status to URLs under this")
    traffic.add_argument("--server", help="a running mocksnap's base URL: generate in its world")
    traffic.add_argument(
        "--admin-token",
        help="with --server: the token its control API asks for (its --admin-token)",
    )
    traffic.add_argument("--out", type=Path, help="in-process: write the world, its cases included, here")
    traffic.add_argument("--payloads", type=Path, help="in-process, fast: write every webhook as a JSON line")
    traffic.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace) -> int:
    try:
        profile = profiles.load(args.profile)
    except profiles.ProfileError as error:
        print(f"mocksnap traffic: {error}", file=sys.stderr)
        return 2
    bar: ProgressBar | ProgressLines = (
        ProgressBar(sys.stderr) if sys.stderr.isatty() else ProgressLines(sys.stderr)
    )
    if args.server:
        if args.out or args.payloads or args.start:
            print(
                "mocksnap traffic: --out, --payloads and --start are for in-process runs; with --server the "
                "run starts at the server clock's now, and its chats stay in the server",
                file=sys.stderr,
            )
            return 2
        return _against_server(args, profile, bar)
    if args.payloads and args.speed is not None:
        print("mocksnap traffic: --payloads records a fast run; with --speed they are sent", file=sys.stderr)
        return 2
    start = args.start or datetime.fromisoformat(DEFAULT_DAY).replace(tzinfo=ZoneInfo(profile.time_zone))
    try:
        if args.speed is None:
            with _maybe_open(args.payloads) as stream:
                world, summary = run_fast(
                    profile,
                    seed=args.seed,
                    start=start,
                    duration_s=args.duration,
                    webhooks=args.webhooks,
                    payloads=stream,
                    progress=bar.show,
                )
        else:
            world, summary = asyncio.run(
                run_live(
                    profile,
                    seed=args.seed,
                    start=start,
                    duration_s=args.duration,
                    speed=args.speed,
                    webhooks=args.webhooks,
                    progress=bar.show,
                )
            )
    except (document.DocumentError, ValueError) as error:
        bar.done()
        print(f"mocksnap traffic: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        bar.done()
        print("mocksnap traffic: stopped (Ctrl-C)", file=sys.stderr)
        return INTERRUPTED
    bar.done()
    if args.out:
        args.out.write_text(document.to_yaml(world.dump()), encoding="utf-8")
    _report(args, profile, start, summary.as_dict())
    return 0


class _maybe_open:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stream: TextIO | None = None

    def __enter__(self) -> TextIO | None:
        if self.path is not None:
            self.stream = self.path.open("w", encoding="utf-8")
        return self.stream

    def __exit__(self, *_: object) -> None:
        if self.stream is not None:
            self.stream.close()


class ProgressLines:
    """Without a terminal (piped, in CI): a line at every tenth of the run, so that a long run says how far
    it has got."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.shown, self.began = out, 0, time.monotonic()

    def show(self, fraction: float) -> None:
        tenth = int(fraction * 10)
        if tenth > self.shown:
            self.shown = tenth
            elapsed = time.monotonic() - self.began
            self.out.write(f"mocksnap traffic: {tenth * 10}% of the run played ({elapsed:.0f} s)\n")
            self.out.flush()

    def done(self) -> None:
        pass


class ProgressBar:
    def __init__(self, out: TextIO, width: int = 40) -> None:
        self.out, self.width, self.shown = out, width, -1

    def show(self, fraction: float) -> None:
        filled = int(fraction * self.width)
        if filled != self.shown:
            self.shown = filled
            self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%}")
            self.out.flush()

    def done(self) -> None:
        self.out.write("\n")
        self.out.flush()


def _report(
    args: argparse.Namespace, profile: profiles.Profile, start: datetime, figures: dict[str, Any]
) -> None:
    if args.json:
        print(json.dumps({"profile": profile.name, "seed": args.seed, "start": start.isoformat(), **figures}))
        return
    end = start + timedelta(seconds=args.duration)
    print(f"traffic {profile.name}, seed {args.seed}: {start.isoformat()} to {end.isoformat()}")
    print(
        f"  visitors {figures['visitors']}: chats {figures['chats']} ({figures['botChats']} with a bot), "
        f"offline messages {figures['offlineMessages']}, refused {figures['refused']}"
    )
    print(f"  transfers {figures['transfers']}, surveys {figures['surveys']}")
    webhooks = figures["webhooks"]
    if isinstance(webhooks, dict):
        detail = ", ".join(f"{kind} {count}" for kind, count in webhooks.items())
        webhooks = f"{sum(figures['webhooks'].values())}" + (f" ({detail})" if detail else "")
    violations = figures.get("violations", 0)
    print(f"  webhooks {webhooks}, failures {figures['failures']}, schema violations {violations}")
    if args.out:
        print(f"  wrote {args.out}")


def _against_server(
    args: argparse.Namespace, profile: profiles.Profile, bar: ProgressBar | ProgressLines
) -> int:
    base = args.server.rstrip("/")
    body: dict[str, Any] = {"profile": _profile_doc(args.profile, profile), "duration": args.duration}
    body["seed"] = args.seed
    if args.speed is not None:
        body["speed"] = args.speed
    if args.webhooks:
        body["webhooks"] = args.webhooks
    try:
        status, answer = _call("POST", f"{base}/__admin/traffic", body, args.admin_token)
        if status != 202:
            print(
                f"mocksnap traffic: {base} answered {status}: {answer.get('message', answer)}",
                file=sys.stderr,
            )
            return 1
        while answer["state"] == "running":
            bar.show(answer["progress"])
            time.sleep(0.2)
            status, answer = _call("GET", f"{base}/__admin/traffic", token=args.admin_token)
        bar.show(answer["progress"])
    except KeyboardInterrupt:  # the run in the server stops too (if it had started)
        bar.done()
        status, answer = _call("DELETE", f"{base}/__admin/traffic", token=args.admin_token)
        print(f"mocksnap traffic: stopped (Ctrl-C), and the run in {base} with it", file=sys.stderr)
        if status == 200:
            _report(args, profile, parse_instant(answer["startedAt"]), _figures(answer))
        return INTERRUPTED
    except (urllib.error.URLError, OSError) as error:
        bar.done()
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        print(
            f"mocksnap traffic: cannot reach {base}: {reason}; is `mocksnap serve` running there?",
            file=sys.stderr,
        )
        return 1
    bar.done()
    _report(args, profile, parse_instant(answer["startedAt"]), _figures(answer))
    return 0 if answer["state"] == "done" else 1


def _figures(answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer["traffic"], "webhooks": answer["webhooks"], "failures": answer["failures"]}


def _profile_doc(given: str, profile: profiles.Profile) -> str | dict[str, Any]:
    """A bundled profile goes by name; a file's profile goes whole."""
    return given if given in profiles.bundled_names() else document.read(profile.source or Path(given))


def _call(method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
