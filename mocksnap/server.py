"""Serving the app, in this process, on one event loop: the world lives in this process's memory, and a second
process (a second worker) would hold a second world.

granian by default: its HTTP layer (Rust, hyper) runs embedded on this process's event loop and calls the app
over RSGI, its own interface, cheaper than ASGI (mocksnap.rsgi); it closes a connection that does not send its
headers (or, kept alive, its next request) within --header-timeout. gunicorn on request (`--server
gunicorn`): its native ASGI worker, exactly one.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import ssl
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from mocksnap import access_log
from mocksnap.config import SERVERS, Config
from mocksnap.fastpath import App
from mocksnap.rsgi import Bridged, Lifespan

GRACEFUL_TIMEOUT = 5  # seconds open requests get to finish once told to stop


class CannotServe(Exception):
    """The server cannot start as configured; the message is one line for the person who started it."""


def check_port(config: Config) -> None:
    """Raise CannotServe unless this process could listen where it is told to (as the server will, with
    SO_REUSEADDR). granian listens with SO_REUSEPORT, which would share a port another server holds."""
    if not 0 <= config.port <= 65535:
        raise CannotServe(f"--port {config.port} is not a port number (0 to 65535)")
    try:
        infos = socket.getaddrinfo(config.host, config.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise CannotServe(f"--host {config.host}: {getattr(error, 'strerror', None) or error}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            reason = "is in use" if error.errno == errno.EADDRINUSE else f": {error.strerror or error}"
            where = f"{config.host}:{config.port} (--port {config.port})"
            raise CannotServe(f"cannot listen on {where} {reason}") from None


def check_tls(config: Config) -> None:
    """Raise CannotServe unless the certificate and its key load and belong together."""
    if not config.certfile:
        return
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(config.certfile, config.keyfile or config.certfile)
    except OSError as error:  # ssl.SSLError is one
        what = getattr(error, "reason", None) or error.strerror or str(error)
        raise CannotServe(
            f"cannot serve HTTPS with --certfile {config.certfile} --keyfile {config.keyfile}: {what}"
        ) from None


def preflight(config: Config) -> None:
    """Everything that would stop the server from starting, checked before anything is printed."""
    if config.server not in SERVERS:
        raise CannotServe(f"--server {config.server}: choose one of {', '.join(SERVERS)}")
    check_port(config)
    check_tls(config)


def serve(app: App, config: Config) -> None:
    """Serve until Ctrl-C or SIGTERM (raises CannotServe)."""
    preflight(config)
    if config.server == "gunicorn":
        _Gunicorn(app, gunicorn_options(config)).run()
    else:
        _run_granian(app, config)


# -- granian -------------------------------------------------------------------------------------------------


class _QuietEmbedding(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "experimental" not in record.getMessage()


def _run_granian(app: App, config: Config) -> None:
    try:
        import uvloop
    except ImportError:  # Windows
        factory = None
    else:
        factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(_granian(app, config))


async def _granian(app: App, config: Config) -> None:
    from granian.constants import HTTPModes, Interfaces, SSLProtocols
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server.embed import Server

    tls: dict[str, Any] = {}
    if config.certfile:
        tls = {
            "ssl_cert": config.certfile,
            "ssl_key": config.keyfile or config.certfile,
            "ssl_protocol_min": SSLProtocols.tls12,
        }
    server = Server(
        app if hasattr(app, "__rsgi__") else Bridged(app),
        address=config.host,
        port=config.port,
        interface=Interfaces.RSGI,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=int(config.header_timeout * 1000)),
        log_level=LogLevels.warning,
        **tls,
    )
    logging.getLogger("_granian").addFilter(_QuietEmbedding())
    loop = asyncio.get_running_loop()

    def stop(sig: signal.Signals) -> None:
        print(f"mocksnap: shutting down on {sig.name}", flush=True)
        server.stop()
        loop.call_later(GRACEFUL_TIMEOUT, _stop_now)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop, sig)
    lifespan = Lifespan(app) if callable(app) else None  # an app that is RSGI only has no lifespan
    if lifespan is not None:
        await lifespan.startup()
    try:
        await server.serve()
    finally:
        if lifespan is not None:
            await lifespan.shutdown()


def _stop_now() -> None:
    """Requests still open after the graceful timeout (a long wait): their connections close with the
    process, as gunicorn's would with its worker."""
    access_log.flush_all()
    print(f"mocksnap: requests still open {GRACEFUL_TIMEOUT:g} s after the signal; stopped", flush=True)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(0)


# -- gunicorn ------------------------------------------------------------------------------------------------


class _Gunicorn(BaseApplication):
    def __init__(self, app: App, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> App:
        return self._app


def gunicorn_options(config: Config) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"{config.host}:{config.port}",
        "workers": 1,
        "worker_class": "asgi",
        "proc_name": "mocksnap",
        # Its control socket can add workers, and a second worker would hold a second world.
        "control_socket_disable": True,
        "errorlog": "-",
        "loglevel": "info",
        "graceful_timeout": GRACEFUL_TIMEOUT,
        # The access log is mocksnap's own (mocksnap.access_log), the same whatever the server.
        "accesslog": None,
        # The Visitor Chat API takes its parameters in the query string as well, a message of up to 10,000
        # characters among them: no limit on the request line (gunicorn's default refuses past 4094 bytes).
        "limit_request_line": 0,
    }
    if config.certfile:
        options["certfile"] = str(config.certfile)
        options["keyfile"] = str(config.keyfile or config.certfile)
    return options
