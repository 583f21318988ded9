"""Serving the app: gunicorn started in-process, its native ASGI worker, exactly one worker.

One worker because the world lives in that worker's memory; a second worker would hold a second world.
"""

from __future__ import annotations

from typing import Any

import falcon.asgi
from gunicorn.app.base import BaseApplication

from mocksnap.config import Config

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'


class _Gunicorn(BaseApplication):
    def __init__(self, app: falcon.asgi.App, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> falcon.asgi.App:
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
        "graceful_timeout": 5,
        "accesslog": "-" if config.access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        # The Visitor Chat API takes its parameters in the query string as well, a message of up to 10,000
        # characters among them: no limit on the request line (gunicorn's default refuses past 4094 bytes).
        "limit_request_line": 0,
    }
    if config.certfile:
        options["certfile"] = str(config.certfile)
        options["keyfile"] = str(config.keyfile or config.certfile)
    return options


def serve(app: falcon.asgi.App, config: Config) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    _Gunicorn(app, gunicorn_options(config)).run()
