"""Agent Status API (in): POST /api/v2/agentstatus with the organization's raw API token."""

from __future__ import annotations

import falcon.asgi

from mocksnap.api.common import checked, json_body
from mocksnap.errors import ApiError
from mocksnap.world import World


class AgentStatus:
    def __init__(self, world: World) -> None:
        self.world = world

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        org = self.world.org_by_api_token(req.get_header("Authorization"))
        if org is None:
            raise ApiError(401, "Unauthorized - invalid or missing API token in the Authorization header")
        body = checked("agent-status-request", await json_body(req))
        self.world.set_agent_status(org, body["agent_id"], body["status"], body.get("sub_status"))
        resp.status = 200
