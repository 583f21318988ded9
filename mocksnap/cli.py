"""The `mocksnap` command (also `python -m mocksnap`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields, replace
from pathlib import Path

from mocksnap import __version__, heap
from mocksnap.config import (
    CLOCKS,
    SERVERS,
    Config,
    SettingError,
    parse_address,
    parse_clock,
    parse_instant,
    parse_port,
    parse_positive,
    parse_public_url,
    parse_rate,
    parse_size,
    parse_whole,
)
from mocksnap.flags import Parser, ServeHelp, flag_type
from mocksnap.pages import page_urls
from mocksnap.world import DocumentError, World
from mocksnap.world.document import bundled_worlds
from mocksnap.world.models import AGENT_ID_PREFIX


def _parser(defaults: Config) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = Parser(prog="mocksnap", description="A local emulator of the SnapEngage APIs.")
    parser.add_argument("--version", action="version", version=f"mocksnap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    serve = commands.add_parser(
        "serve", help="serve the emulated APIs over one world", formatter_class=ServeHelp
    )
    serve.add_argument("--host", default=defaults.host, help="address to listen on")
    serve.add_argument("--port", type=flag_type(parse_port), default=defaults.port, help="port to listen on")
    serve.add_argument(
        "--world",
        type=Path,
        default=defaults.world,
        help=f"world document, YAML or JSON, or a bundled world: {', '.join(bundled_worlds())}; "
        "the default world when not given",
    )
    serve.add_argument(
        "--seed", type=flag_type(parse_whole), default=defaults.seed, help="seed of every random choice"
    )
    serve.add_argument(
        "--certfile", type=Path, default=defaults.certfile, help="serve HTTPS with this certificate"
    )
    serve.add_argument("--keyfile", type=Path, default=defaults.keyfile, help="the certificate's private key")
    serve.add_argument("--clock", type=flag_type(parse_clock), default=defaults.clock, help=", ".join(CLOCKS))
    serve.add_argument(
        "--speed",
        type=flag_type(parse_positive),
        default=defaults.speed,
        help="with --clock scaled: times real time",
    )
    serve.add_argument(
        "--start",
        type=flag_type(parse_instant),
        default=defaults.start,
        help="the clock's first instant, ISO 8601; now, or 2026-11-23T09:30:00Z on a manual clock",
    )
    serve.add_argument(
        "--rate-limit",
        type=flag_type(parse_rate),
        default=defaults.rate_limit,
        help="Logs API requests per token, e.g. 10/s or 600/m; no limit when not given",
    )
    serve.add_argument(
        "--journal-size",
        type=flag_type(parse_size),
        default=defaults.journal_size,
        help="requests kept for /__admin/requests",
    )
    serve.add_argument(
        "--journal-bytes",
        type=flag_type(parse_size),
        default=defaults.journal_bytes,
        help="bytes the journal may hold, bodies included (default 64 MiB)",
    )
    serve.add_argument(
        "--delivery-timeout",
        type=flag_type(parse_positive),
        default=defaults.delivery_timeout,
        help="seconds for one webhook attempt",
    )
    serve.add_argument(
        "--delivery-log-size",
        type=flag_type(parse_size),
        default=defaults.delivery_log_size,
        help="deliveries kept in the log",
    )
    serve.add_argument(
        "--public-url",
        type=flag_type(parse_public_url),
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
        "--admin-token",
        # Not shown by --help, which shows defaults: a token set in the environment stays unprinted.
        default=argparse.SUPPRESS,
        help="make /__admin ask for Authorization: Bearer TOKEN, for a server others can reach "
        "(MOCKSNAP_ADMIN_TOKEN)",
    )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=defaults.access_log,
        help="do not log a line per request",
    )
    serve.add_argument("--server", choices=SERVERS, default=defaults.server, help=" or ".join(SERVERS))
    serve.add_argument(
        "--header-timeout",
        type=flag_type(parse_positive),
        default=defaults.header_timeout,
        help="seconds a connection gets to send a request's headers (granian), and a body to go on arriving",
    )
    from mocksnap.sink import add_parser as add_sink
    from mocksnap.traffic.command import add_parser as add_traffic

    add_traffic(commands)
    add_sink(commands)
    return parser, commands.choices


def banner(world: World, config: Config) -> str:
    """What a person needs to start: the base URL, every credential and id, and the pages to open."""
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
        lines += [f"  user {user.email}  password {user.password}" for user in org.users.values()]
        for widget in org.widgets.values():
            agents = ", ".join(
                f"{AGENT_ID_PREFIX}{a.agent_id} ({org.agents[a.agent_id].status})" for a in widget.agents
            )
            lines.append(f"  widget {widget.uuid}  {widget.name or ''}  agents: {agents}")
    # 0.0.0.0 is every address of this machine, one to listen on but not one a browser opens.
    local = f"{config.scheme}://127.0.0.1:{config.port}" if config.host in ("0.0.0.0", "::") else base
    local = config.public_url or local
    widget_ids = [widget_id for org in world.orgs.values() for widget_id in org.widgets]
    humans = {
        a.agent_id
        for org in world.orgs.values()
        for w in org.widgets.values()
        for a in w.agents
        if not a.is_bot
    }
    lines.append("open in a browser")
    lines += [f"  {label:<18}  {url}" for label, url in page_urls(local, widget_ids, sorted(humans))]
    return "\n".join(lines)


def problems(config: Config) -> list[str]:
    """What is wrong with a combination of settings, each as the line that says what to do instead."""
    found = []
    if bool(config.certfile) != bool(config.keyfile):
        found.append("--certfile and --keyfile go together: give both, or neither for HTTP")
    for flag, path in (("--certfile", config.certfile), ("--keyfile", config.keyfile)):
        if path is not None and not path.is_file():
            found.append(f"{flag}: no file {path}")
    if config.speed != 1 and config.clock != "scaled":
        found.append(f"--speed is for --clock scaled; the {config.clock} clock has no speed")
    return found


def _serve(config: Config) -> int:
    from mocksnap.app import create_served_app, load_world
    from mocksnap.server import CannotServe, preflight, serve

    found = problems(config)
    for problem in found:
        print(f"mocksnap serve: {problem}", file=sys.stderr)
    if found:
        return 2
    try:
        world = load_world(config)
    except DocumentError as error:
        hint = ""
        if config.world is not None and not config.world.exists():
            hint = f" (--world takes a file, or a bundled world: {', '.join(bundled_worlds())})"
        print(f"mocksnap: {config.world or 'the default world'}: {error}{hint}", file=sys.stderr)
        return 2
    try:
        preflight(config)
        app = create_served_app(config, world)
        heap.serving(len(world.cases))
        print(banner(world, config), flush=True)
        serve(app, config)
    except CannotServe as error:
        print(f"mocksnap: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        defaults = Config.from_env()
    except SettingError as error:
        print(f"mocksnap: {error}", file=sys.stderr)
        return 2
    parser, commands = _parser(defaults)
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # the command's own usage, rather than the top-level one
            commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exit_:  # --help, --version, or a flag refused: said, and done
        return int(exit_.code or 0)
    if args.command == "serve":
        # Every flag is named as the Config field it sets, and defaults to it (MOCKSNAP_* or the built-in).
        # A flag whose default --help must not show (a secret) is absent when not given.
        given = {f.name: getattr(args, f.name, getattr(defaults, f.name)) for f in fields(Config)}
        config = replace(defaults, **given)
        return _serve(config)
    if args.command == "traffic":
        from mocksnap.traffic.command import run

        return run(args)
    if args.command == "sink":
        from mocksnap.sink import run as run_sink

        return run_sink(args)
    return 2
