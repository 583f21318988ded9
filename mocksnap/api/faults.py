"""The control API's faults: POST /__admin/faults makes one, GET lists them with how often each has fired,
DELETE clears them; /__admin/faults/{id} is one of them."""

from __future__ import annotations

import falcon
import falcon.asgi

from mocksnap.api.common import checked, json_body, send_json
from mocksnap.errors import ApiError
from mocksnap.faults import Fault, Faults


def faults_view(faults: Faults) -> dict[str, list]:
    return {"faults": [fault.view() for fault in faults.all()]}


class FaultList:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        send_json(resp, faults_view(self.faults))

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        fault = self.faults.add(checked("admin-fault-request", await json_body(req)))
        send_json(resp, fault.view(), 201)

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        self.faults.clear()
        send_json(resp, faults_view(self.faults))


class FaultDetail:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults

    def _found(self, fault_id: str) -> Fault:
        fault = self.faults.get(fault_id)
        if fault is None:
            raise ApiError(404, f"no fault {fault_id}")
        return fault

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, fault_id: str) -> None:
        send_json(resp, self._found(fault_id).view())

    async def on_delete(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, fault_id: str) -> None:
        self.faults.remove(self._found(fault_id).id)
        resp.status = falcon.HTTP_204
