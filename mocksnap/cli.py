"""The `mocksnap` command (also `python -m mocksnap`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields, replace
from pathlib import Path

from mocksnap import __version__
from mocksnap.config import CLOCKS, Config, parse_address, parse_instant, parse_public_url, parse_rate
from mocksnap.world import DocumentError, World
from mocksnap.world.models import AGENT_ID_PREFIX


def _parser(defaults: Config) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mocksnap", description="A local emulator of the SnapEngage APIs.")
    parser.add_argument("--version", action="version", version=f"mocksnap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulated APIs over one world")
    serve.add_argument("--host", default=defaults.host, help="address to listen on (default %(default)s)")
    serve.add_argument(
        "--port", type=int, default=defaults.port, help="port to listen on (default %(default)s)"
    )
    serve.add_argument("--world", type=Path, default=defaults.world, help="world document, YAML or JSON")
    serve.add_argument("--seed", type=int, default=defaults.seed, help="seed of every random choice")
    serve.add_argument(
        "--certfile", type=Path, default=defaults.certfile, help="serve HTTPS with this certificate"
    )
    serve.add_argument("--keyfile", type=Path, default=defaults.keyfile, help="the certificate's private key")
    serve.add_argument(
        "--clock", choices=CLOCKS, default=defaults.clock, help="real (default), manual or scaled"
    )
    serve.add_argument(
        "--speed", type=float, default=defaults.speed, help="with --clock scaled: times real time"
    )
    serve.add_argument(
        "--start", type=parse_instant, default=defaults.start, help="the clock's first instant, ISO 8601"
    )
    serve.add_argument(
        "--rate-limit",
        type=parse_rate,
        default=defaults.rate_limit,
        help="Logs API requests per token, e.g. 10/s",
    )
    serve.add_argument(
        "--journal-size", type=int, default=defaults.journal_size, help="requests kept for /__admin/requests"
    )
    serve.add_argument(
        "--delivery-timeout",
        type=float,
        default=defaults.delivery_timeout,
        help="seconds for one webhook attempt",
    )
    serve.add_argument(
        "--delivery-log-size", type=int, default=defaults.delivery_log_size, help="deliveries kept in the log"
    )
    serve.add_argument(
        "--public-url",
        type=parse_public_url,
        default=defaults.public_url,
        help="where mocksnap is reached; case links (Integration, Logs APIs) go to its /viewcase",
    )
    serve.add_argument(
        "--smtp",
        type=parse_address,
        default=defaults.smtp,
        help="HOST:PORT of an SMTP server to send the emails to (default: kept, not sent)",
    )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=defaults.access_log,
        help="do not log a line per request",
    )
    from mocksnap.sink import add_parser as add_sink
    from mocksnap.traffic.command import add_parser as add_traffic

    add_traffic(commands)
    add_sink(commands)
    return parser


def banner(world: World, config: Config) -> str:
    """What a person needs to start calling the APIs: the base URL, every credential and id."""
    base = f"{config.scheme}://{config.host}:{config.port}"
    clock = world.clock
    speed = f" x{clock.speed:g}" if clock.mode == "scaled" else ""
    lines = [
        f"mocksnap {__version__} serving {base}  (control API: {base}/__admin)",
        f"clock {clock.mode}{speed}, now {clock.now().isoformat(timespec='seconds')}, seed {config.seed}",
    ]
    for org in world.orgs.values():
        lines += [
            f"organization {org.org_id}",
            f"  apiToken            {org.api_token}    (Authorization header: Logs, Agent Status)",
            f"  provisioningApiKey  {org.provisioning_api_key}    (?api_key=: Provisioning)",
            f"  visitorApiKey       {org.visitor_api_key}    (x-api-key header: Visitor Chat)",
        ]
        for widget in org.widgets.values():
            agents = ", ".join(
                f"{AGENT_ID_PREFIX}{a.agent_id} ({org.agents[a.agent_id].status})" for a in widget.agents
            )
            lines.append(f"  widget {widget.uuid}  {widget.name or ''}  agents: {agents}")
    return "\n".join(lines)


def _serve(config: Config) -> int:
    from mocksnap.app import create_app, load_world
    from mocksnap.server import serve

    if bool(config.certfile) != bool(config.keyfile):
        print("mocksnap: --certfile and --keyfile go together", file=sys.stderr)
        return 2
    if (
        config.speed <= 0
        or config.delivery_timeout <= 0
        or min(config.journal_size, config.delivery_log_size) < 0
    ):
        print(
            "mocksnap: --speed and --delivery-timeout must be positive, sizes not negative", file=sys.stderr
        )
        return 2
    try:
        world = load_world(config)
    except DocumentError as error:
        print(f"mocksnap: {config.world}: {error}", file=sys.stderr)
        return 2
    print(banner(world, config), flush=True)
    serve(create_app(config, world), config)
    return 0


def main(argv: list[str] | None = None) -> int:
    defaults = Config.from_env()
    args = _parser(defaults).parse_args(argv)
    if args.command == "serve":
        # Every flag is named as the Config field it sets, and defaults to it (MOCKSNAP_* or the built-in).
        config = replace(defaults, **{f.name: getattr(args, f.name) for f in fields(Config)})
        return _serve(config)
    if args.command == "traffic":
        from mocksnap.traffic.command import run

        return run(args)
    if args.command == "sink":
        from mocksnap.sink import run as run_sink

        return run_sink(args)
    return 2
