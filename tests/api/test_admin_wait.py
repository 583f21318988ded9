"""Waiting on the journal and the delivery log (GET /__admin/requests/wait, /__admin/deliveries/wait), and the
filters both share with their lists. The waits run on one event loop with the requests that satisfy them, as
in the server, through falcon's ASGIConductor; deliveries go to a real receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest
from falcon.testing import ASGIConductor, Result, TestClient

from mocksnap.app import create_app
from mocksnap.changes import Changes
from mocksnap.world import World
from tests.conftest import SALES_WIDGET, SUPPORT_WIDGET, VISITOR_KEY, LocalConductor, assert_valid
from tests.webhooks.receiver import Receiver

VISITOR = {"x-api-key": VISITOR_KEY}


def run(world: World, scenario: Callable[[ASGIConductor], Awaitable[None]]) -> None:
    async def main() -> None:
        async with LocalConductor(create_app(world=world)) as conductor:
            await scenario(conductor)

    asyncio.run(main())


async def pending(task: asyncio.Task) -> bool:
    """Whether the task is still waiting after the loop has had time to run everything that was ready."""
    await asyncio.sleep(0.05)
    return not task.done()


# -- the journal ---------------------------------------------------------------------------------------------


def test_a_request_wait_is_answered_by_the_request_it_waits_for(world: World) -> None:
    async def scenario(conductor: ASGIConductor) -> None:
        started = time.monotonic()
        wait = asyncio.create_task(
            conductor.simulate_get(
                "/__admin/requests/wait", params={"method": "post", "path": "/api/v1/*", "count": "2"}
            )
        )
        assert await pending(wait)
        await conductor.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers=VISITOR)  # not a POST
        await conductor.simulate_post("/api/v1/chat", params={"widgetId": SUPPORT_WIDGET}, headers=VISITOR)
        assert await pending(wait)  # one of two
        await conductor.simulate_post("/api/v1/chat", params={"widgetId": "nope"}, headers={})
        result = await wait
        assert time.monotonic() - started < 2  # not the timeout's 5 s
        assert result.status_code == 200
        assert_valid("admin-requests", result.json)
        assert [(r["method"], r["path"], r["status"]) for r in result.json["requests"]] == [
            ("POST", "/api/v1/chat", 200),
            ("POST", "/api/v1/chat", 401),
        ]

    run(world, scenario)


def test_a_request_wait_that_times_out_is_408_with_what_there_is(world: World) -> None:
    async def scenario(conductor: ASGIConductor) -> None:
        await conductor.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers=VISITOR)
        started = time.monotonic()
        # The world's clock is manual and stands still: the timeout is real time.
        result = await conductor.simulate_get(
            "/__admin/requests/wait", params={"path": "/api/v1/chat/*", "count": "2", "timeout": "0.3"}
        )
        assert 0.3 <= time.monotonic() - started < 2
        assert result.status_code == 408
        assert_valid("admin-requests", result.json)
        assert [r["path"] for r in result.json["requests"]] == [f"/api/v1/chat/{SUPPORT_WIDGET}"]

    run(world, scenario)


def test_a_request_wait_already_met_answers_at_once_and_keeps_the_limit(client: TestClient) -> None:
    for _ in range(3):
        client.simulate_get(f"/api/v1/chat/{SALES_WIDGET}", headers=VISITOR)
    client.simulate_get(f"/api/v1/chat/{SUPPORT_WIDGET}", headers=VISITOR)
    result = client.simulate_get(
        "/__admin/requests/wait", params={"path": f"/api/v1/chat/{SALES_WIDGET}", "count": "3", "limit": "2"}
    )
    assert result.status_code == 200
    assert_valid("admin-requests", result.json)
    assert [r["seq"] for r in result.json["requests"]] == [2, 3]
    none = client.simulate_get("/__admin/requests/wait", params={"method": "DELETE", "timeout": "0"})
    assert (none.status_code, none.json) == (408, {"requests": []})


# -- the delivery log ----------------------------------------------------------------------------------------


def hook(receiver: Receiver, path: str) -> str:
    return f"http://127.0.0.1:{receiver.port}{path}"


def subscribe(conductor: ASGIConductor, receiver: Receiver) -> Awaitable[Result]:
    return conductor.simulate_put(
        f"/__admin/widgets/{SUPPORT_WIDGET}/integrations",
        json={
            "integrationApi": {"url": hook(receiver, "/case")},
            "conversationEvents": {"url": hook(receiver, "/events"), "events": ["caseQueued", "caseClosed"]},
        },
    )


def test_a_delivery_wait_is_answered_once_the_webhook_is_delivered(world: World, receiver: Receiver) -> None:
    async def scenario(conductor: ASGIConductor) -> None:
        assert (await subscribe(conductor, receiver)).status_code == 200
        receiver.hang_next(1, 0.3)
        wait = asyncio.create_task(
            conductor.simulate_get(
                "/__admin/deliveries/wait", params={"status": "delivered", "url": "http://127.0.0.1:*/events"}
            )
        )
        assert await pending(wait)
        started = await conductor.simulate_post(
            "/api/v1/chat", params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"}, headers=VISITOR
        )
        assert started.status_code == 200  # answered while the wait is pending
        assert await pending(wait)  # the receiver holds the delivery for 0.3 s
        under_way = await conductor.simulate_get("/__admin/deliveries")
        assert [d["status"] for d in under_way.json["deliveries"]] == ["delivering"]
        result = await wait
        assert result.status_code == 200
        assert_valid("admin-deliveries", result.json)
        [delivered] = result.json["deliveries"]
        assert (delivered["kind"], delivered["event"], delivered["status"], delivered["attempts"]) == (
            "conversation_event",
            "caseQueued",
            "delivered",
            1,
        )

    run(world, scenario)


def test_a_delivery_wait_that_times_out_is_408_with_what_there_is(world: World, receiver: Receiver) -> None:
    async def scenario(conductor: ASGIConductor) -> None:
        await subscribe(conductor, receiver)
        await conductor.simulate_post(
            "/api/v1/chat", params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"}, headers=VISITOR
        )
        result = await conductor.simulate_get(
            "/__admin/deliveries/wait", params={"kind": "conversation_event", "count": "2", "timeout": "0.3"}
        )
        assert result.status_code == 408
        assert_valid("admin-deliveries", result.json)
        assert [d["event"] for d in result.json["deliveries"]] == ["caseQueued"]

    run(world, scenario)


def test_the_delivery_filters(world: World, receiver: Receiver) -> None:
    async def scenario(conductor: ASGIConductor) -> None:
        await subscribe(conductor, receiver)
        case_ids = []
        for _ in range(2):
            started = await conductor.simulate_post(
                "/api/v1/chat", params={"widgetId": SUPPORT_WIDGET, "visitorMessage": "hi"}, headers=VISITOR
            )
            case_ids.append(started.json["caseId"])
        await conductor.simulate_post(f"/__admin/cases/{case_ids[0]}/close", json={"endedBy": "agent"})
        everything = await conductor.simulate_get(
            "/__admin/deliveries/wait", params={"status": "delivered", "count": "4"}
        )
        assert everything.status_code == 200

        async def ids(**filters: str) -> list[tuple[str, str]]:
            """(caseId, event) of what the list shows, checked to be what a wait shows."""
            listed = await conductor.simulate_get("/__admin/deliveries", params=filters)
            waited = await conductor.simulate_get(
                "/__admin/deliveries/wait", params={**filters, "timeout": "0"}
            )
            assert_valid("admin-deliveries", listed.json)
            assert waited.json == listed.json
            assert waited.status_code == (200 if listed.json["deliveries"] else 408)
            return [(d["caseId"], d["event"]) for d in listed.json["deliveries"]]

        first, second = case_ids
        assert await ids(kind="integration") == [(first, "case.closed")]
        assert await ids(url="http://127.0.0.1:*/events") == [
            (first, "caseQueued"),
            (second, "caseQueued"),
            (first, "caseClosed"),
        ]
        assert await ids(url=hook(receiver, "/case")) == [(first, "case.closed")]  # a plain URL is a glob too
        assert await ids(url="*/CASE") == []  # matched case-sensitively
        assert await ids(caseId=first, kind="conversation_event") == [
            (first, "caseQueued"),
            (first, "caseClosed"),
        ]
        assert await ids(widgetId=SALES_WIDGET) == []
        assert await ids(status="failed") == []
        assert len(await ids(widgetId=SUPPORT_WIDGET, status="delivered")) == 4

    run(world, scenario)


# -- bad parameters ------------------------------------------------------------------------------------------


BAD_WAITS = [
    {"count": "0"},
    {"count": "-1"},
    {"count": "1.5"},
    {"count": "many"},
    {"timeout": "-0.1"},
    {"timeout": "60.5"},
    {"timeout": "nan"},
    {"timeout": "inf"},
    {"timeout": "soon"},
]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        *[("/__admin/requests/wait", params) for params in [*BAD_WAITS, {"limit": "0"}]],
        *[("/__admin/deliveries/wait", params) for params in BAD_WAITS],
    ],
)
def test_bad_wait_parameters_are_400(client: TestClient, path: str, params: dict[str, str]) -> None:
    result = client.simulate_get(path, params=params)
    assert result.status_code == 400, result.text
    assert_valid("api-error", result.json)
    assert next(iter(params)) in result.json["message"]


# -- the notifier --------------------------------------------------------------------------------------------


def test_a_wait_ended_any_way_leaves_nothing_to_wake() -> None:
    async def main() -> None:
        changes, state = Changes(), {"met": False}
        assert await changes.wait_until(lambda: True, 0)  # met already: no waiting at all
        assert not await changes.wait_until(lambda: False, 0.01)
        assert not changes.waiters

        waiting = asyncio.create_task(changes.wait_until(lambda: state["met"], 5))
        changes.notify()  # before the wait has started to wait: nothing to wake
        assert await pending(waiting)
        changes.notify()  # woken, tests again, waits again
        assert await pending(waiting)
        state["met"] = True
        changes.notify()
        assert await waiting

        gone = asyncio.create_task(changes.wait_until(lambda: False, 5))
        assert await pending(gone)
        gone.cancel()  # as the server does when the client has gone, or at shutdown
        with pytest.raises(asyncio.CancelledError):
            await gone
        assert not changes.waiters
        changes.notify()

    asyncio.run(main())
