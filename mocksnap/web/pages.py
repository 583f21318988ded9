"""mocksnap's own pages: each is a file of static/ that reads the world through the control API and the live
feed; and the figures the wallboard shows."""

from __future__ import annotations

import falcon.asgi

from mocksnap.api.common import send_json
from mocksnap.web.assets import send_asset
from mocksnap.web.wallboard import figures
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Violations
from mocksnap.world import World


class Page:
    """GET of one of mocksnap's pages: static/<name>, whatever the query (the page reads it itself)."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_asset(req, resp, self.name)


class Stats:
    """GET /__admin/stats: what the wallboard shows (mocksnap.web.wallboard.figures)."""

    def __init__(self, world: World, engine: DeliveryEngine, violations: Violations) -> None:
        self.world = world
        self.engine = engine
        self.violations = violations

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, figures(self.world, self.engine, self.violations))
