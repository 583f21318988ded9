"""The control API's traffic generator: POST /__admin/traffic starts a run in the server's world (one at a
time), GET shows its progress and figures, DELETE stops it (chats under way then finish on their own)."""

from __future__ import annotations

from typing import Any

import falcon.asgi

from mocksnap.actors.autopilot import Autopilot
from mocksnap.api.common import checked, json_body, send_json
from mocksnap.clock import ManualClock
from mocksnap.config import parse_duration
from mocksnap.errors import ApiError
from mocksnap.traffic import profile as profiles
from mocksnap.traffic.run import ServerRun
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Violations
from mocksnap.world import World


class TrafficRun:
    def __init__(
        self, world: World, engine: DeliveryEngine, autopilot: Autopilot, violations: Violations
    ) -> None:
        self.world = world
        self.engine = engine
        self.autopilot = autopilot
        self.violations = violations
        self.run: ServerRun | None = None

    def _current(self) -> ServerRun:
        if self.run is None:
            raise ApiError(404, "no traffic has been started; POST /__admin/traffic starts some")
        return self.run

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, self._current().view())

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        body = checked("admin-traffic-request", await json_body(req))
        if self.run is not None and self.run.state == "running":
            raise ApiError(409, "traffic is already running; DELETE /__admin/traffic stops it")
        profile = _profile(body["profile"])
        try:
            duration = parse_duration(body["duration"])
        except ValueError as error:
            raise ApiError(400, f"duration: {error}") from None
        if body.get("speed") is not None and not isinstance(self.world.clock, ManualClock):
            raise ApiError(
                400,
                f"speed is for a server on a manual clock; on this {self.world.clock.mode} clock the run "
                "plays out as the clock goes: leave speed out",
            )
        try:
            run = ServerRun(
                self.world,
                self.engine,
                self.autopilot,
                profile,
                seed=body.get("seed", 0),
                duration_s=duration,
                speed=body.get("speed"),
                webhooks=body.get("webhooks"),
                violations=self.violations,
            )
        except ValueError as error:  # the profile does not fit this world: it says which world to serve
            raise ApiError(400, str(error)) from None
        run.start()
        self.run = run
        send_json(resp, run.view(), status=202)

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        run = self._current()
        await run.stopped()
        send_json(resp, run.view())


def _profile(given: str | dict[str, Any]) -> profiles.Profile:
    try:
        if isinstance(given, str):
            if given not in profiles.bundled_names():
                raise profiles.ProfileError(
                    f"profile: no bundled profile {given!r}; one of {', '.join(profiles.bundled_names())}"
                )
            return profiles.load(given)
        return profiles.from_doc(given)
    except profiles.ProfileError as error:
        raise ApiError(400, str(error)) from None
