"""The application factory: one world, the resources of every API family over it, the error handlers."""

from __future__ import annotations

import asyncio
import logging

import falcon
import falcon.asgi

from mocksnap import errors, heap
from mocksnap.access_log import AccessLog
from mocksnap.actors.autopilot import Autopilot
from mocksnap.actors.bots import BotBridge
from mocksnap.api import admin, agent_status, availability, logs, provisioning, traffic, visitor_chat
from mocksnap.api.faults import FaultDetail, FaultList
from mocksnap.api.openapi import OpenApiDocument
from mocksnap.clock import Clock, make_clock
from mocksnap.config import Config
from mocksnap.fastpath import FastAvailability
from mocksnap.faults import FaultMiddleware, Faults
from mocksnap.guard import AdminGuard
from mocksnap.journal import Journal, JournalMiddleware
from mocksnap.mail import Outbox
from mocksnap.web.assets import StaticAsset
from mocksnap.web.feed import LiveFeed
from mocksnap.web.files import Download, Upload
from mocksnap.web.hub import HubMessages, HubPage, HubSdkEvents, HubState
from mocksnap.web.pages import Page, Stats
from mocksnap.web.widget import (
    CHAT_ACTIONS,
    ChatAction,
    WidgetChat,
    WidgetChats,
    WidgetScript,
    WidgetSettings,
)
from mocksnap.web.widget_pages import DemoPage, MobilePage
from mocksnap.webhooks.delivery import DeliveryEngine
from mocksnap.webhooks.dispatch import Dispatcher, Violations
from mocksnap.webhooks.emails import EmailDispatcher
from mocksnap.world import World
from mocksnap.world import document as world_document
from mocksnap.world.errors import Invalid, NotFound, WorldError

log = logging.getLogger("mocksnap")


def default_world_path() -> str:
    return str(world_document.locate(None))


def load_world(config: Config, clock: Clock | None = None) -> World:
    """The world of config.world (a file, or a bundled world's name), or the bundled default world (raises
    DocumentError when invalid)."""
    path = world_document.locate(config.world)
    clock = clock or make_clock(config.clock, config.speed, config.start)
    return World(world_document.read(path), clock, seed=config.seed)


def _render(resp: falcon.asgi.Response, error: errors.ApiError) -> None:
    resp.status = error.http_status
    resp.set_headers(error.headers)
    body = error.body()
    resp.data = body
    resp.content_type = "application/json" if body else None


async def _api_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: errors.ApiError, params: dict
) -> None:
    _render(resp, ex)


async def _world_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: WorldError, params: dict
) -> None:
    status = 404 if isinstance(ex, NotFound) else 400 if isinstance(ex, Invalid) else 500
    _render(resp, errors.for_path(req.path, status, ex.message))


async def _http_error(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: falcon.HTTPError, params: dict
) -> None:
    _render(resp, errors.for_path(req.path, ex.status_code, ex.description))
    for name, value in (ex.headers or {}).items():
        resp.set_header(name, value)


async def _unexpected(
    req: falcon.asgi.Request, resp: falcon.asgi.Response, ex: Exception, params: dict
) -> None:
    log.exception("unexpected error on %s %s", req.method, req.path)
    _render(resp, errors.for_path(req.path, 500, "Internal Server Error"))


class Lifespan:
    """The scheduler, the delivery engine and the outbox work on the server's event loop, once there is
    one."""

    def __init__(
        self, world: World, engine: DeliveryEngine, outbox: Outbox, access_log: AccessLog | None = None
    ) -> None:
        self.world = world
        self.engine = engine
        self.outbox = outbox
        self.access_log = access_log

    async def process_startup(self, scope: dict, event: dict) -> None:
        loop = asyncio.get_running_loop()
        self.world.scheduler.start(loop)
        self.engine.start(loop)
        self.outbox.start(loop)

    async def process_shutdown(self, scope: dict, event: dict) -> None:
        self.world.scheduler.stop()
        await self.engine.stop()
        await self.outbox.stop()
        if self.access_log is not None:
            self.access_log.flush()


class HeadAsGet:
    """HEAD on any GET endpoint answers like GET without a body (the Visitor Chat and the other APIs are read
    with GET, and monitors and link checkers ask with HEAD): the request is routed as a GET, and Falcon leaves
    the body out of a HEAD answer while keeping its Content-Length. Routes without GET still answer 405."""

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        if req.method == "HEAD":
            req.context.head = True
            req.method = "GET"

    async def process_response(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, resource: object, req_succeeded: bool
    ) -> None:
        if getattr(req.context, "head", False):
            req.method = "HEAD"
            # Falcon types an event stream as it starts sending it, which it never does for HEAD.
            if resp.sse is not None:
                resp.content_type = "text/event-stream"
        allowed = (resp.get_header("Allow") or "").split(", ")
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.insert(allowed.index("GET") + 1, "HEAD")
            resp.set_header("Allow", ", ".join(allowed))


def create_app(config: Config | None = None, world: World | None = None) -> falcon.asgi.App:
    return _assemble(config, world)[0]


def create_served_app(config: Config | None = None, world: World | None = None) -> FastAvailability:
    """The app as the servers serve it: behind the fast path of the Widget Availability API."""
    return FastAvailability(*_assemble(config, world))


def _assemble(
    config: Config | None, world: World | None
) -> tuple[falcon.asgi.App, availability.PublicAvailability, Journal, Faults, AccessLog | None]:
    config = config or Config()
    world = world or load_world(config)
    if config.public_url:
        world.site = config.public_url
    journal = Journal(world.clock, config.journal_size, config.journal_bytes)
    autopilot = Autopilot(world)
    faults = Faults(world.seed)
    engine = DeliveryEngine(
        world.scheduler, timeout=config.delivery_timeout, log_size=config.delivery_log_size, faults=faults
    )
    violations = Violations()
    outbox = Outbox(
        world.clock, config.smtp, timeout=config.delivery_timeout, log_size=config.delivery_log_size
    )
    Dispatcher(world, engine, violations)
    world.events.subscribe(heap.release_on_reset)
    BotBridge(world, engine, violations)
    EmailDispatcher(world, engine, outbox)
    access_log = AccessLog() if config.access_log else None
    # The faults come after the journal, which then records a faulted request as it was answered; HEAD is
    # read as GET between them, so that the journal shows HEAD and a fault on GET answers HEAD too. The access
    # log comes first, so that its time covers the others; then the guard: a control API request it refuses
    # goes no further.
    middleware = [
        *([access_log] if access_log else []),
        Lifespan(world, engine, outbox, access_log),
        AdminGuard(config),
        JournalMiddleware(journal, config.header_timeout),
        HeadAsGet(),
        FaultMiddleware(faults),
    ]
    app = falcon.asgi.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    # Every body sets its own type; an empty one (the Visitor Chat 404, a DELETE) then goes without.
    app.resp_options.default_media_type = None

    app.add_route("/api/v1/user.json", provisioning.Users(world))
    app.add_route("/api/v1/widget.json", provisioning.Widgets(world))
    public_availability = availability.PublicAvailability(world)
    app.add_route("/public/api/v2/chat/{widget_id}", public_availability)
    app.add_route("/api/v1/chat/{widget_id}", availability.VisitorAvailability(world))
    app.add_route("/api/v1/chat", visitor_chat.Chats(world))
    app.add_route("/api/v1/chat/poll/{case_id}", visitor_chat.Poll(world))
    app.add_route("/api/v2/agentstatus", agent_status.AgentStatus(world))
    app.add_route("/api/v2/{org_id}/logs", logs.Logs(world, config.rate_limit))

    app.add_route("/live", LiveFeed(world))
    app.add_route("/static/{name}", StaticAsset())
    app.add_route("/wallboard", Page("wallboard.html"))
    app.add_route("/viewcase", Page("viewcase.html"))
    app.add_route("/hub", HubPage(world))

    script = WidgetScript(world)
    app.add_route("/js/{widget_id}.js", script)
    app.add_route("/code.snapengage.com/js/{widget_id}.js", script)
    app.add_route("/widget/{widget_id}/settings", WidgetSettings(world))
    app.add_route("/widget/{widget_id}/chats", WidgetChats(world))
    app.add_route("/widget/chats/{case_id}", WidgetChat(world))
    for action in CHAT_ACTIONS:
        app.add_route(f"/widget/chats/{{case_id}}/{action}", ChatAction(world, action))
    app.add_route("/widget/chats/{case_id}/files", Upload(world, config.public_url))
    app.add_route("/files/{file_id}/{name}", Download(world))
    app.add_route("/mobile/{widget_id}", MobilePage(world))
    app.add_route("/demo/{widget_id}", DemoPage(world))

    app.add_route("/__admin/health", admin.Health(world))
    app.add_route("/__admin/openapi.json", OpenApiDocument())
    app.add_route(
        "/__admin/reset", admin.Reset(world, journal, autopilot, engine, violations, faults, outbox)
    )
    app.add_route("/__admin/world", admin.WorldDocument(world))
    app.add_route("/__admin/events", admin.Events(world))
    app.add_route("/__admin/clock", admin.Clock(world))
    app.add_route("/__admin/clock/advance", admin.ClockAdvance(world, engine, outbox))
    app.add_route("/__admin/deliveries", admin.Deliveries(engine))
    app.add_route("/__admin/deliveries/wait", admin.Deliveries(engine), suffix="wait")
    app.add_route("/__admin/deliveries/{delivery_id}", admin.DeliveryDetail(engine))
    app.add_route("/__admin/deliveries/{delivery_id}/redeliver", admin.Redeliver(engine))
    app.add_route("/__admin/emails", admin.Emails(outbox))
    app.add_route("/__admin/emails/wait", admin.Emails(outbox), suffix="wait")
    app.add_route("/__admin/violations", admin.ViolationList(violations))
    app.add_route("/__admin/stats", Stats(world, engine, violations))
    app.add_route("/__admin/requests", admin.Requests(journal))
    app.add_route("/__admin/requests/wait", admin.Requests(journal), suffix="wait")
    app.add_route("/__admin/autopilot", admin.AutopilotSwitch(autopilot))
    app.add_route("/__admin/traffic", traffic.TrafficRun(world, engine, autopilot, violations))
    app.add_route("/__admin/organizations/{org_id}/agents/{agent_id}/status", admin.AgentStatus(world))
    integrations = admin.WidgetSetting(world, "integrations", "integrations")
    app.add_route("/__admin/widgets/{widget_id}/integrations", integrations)
    agent_links = admin.WidgetSetting(world, "agent_links", "agentLinks")
    app.add_route("/__admin/widgets/{widget_id}/agent-links", agent_links)
    app.add_route("/__admin/widgets/{widget_id}/proactive", admin.WidgetProactive(world))
    app.add_route("/__admin/widgets/{widget_id}/agents/{agent_id}", admin.WidgetAgentEntry(world))
    app.add_route("/__admin/organizations/{org_id}/agent-status-webhook", admin.AgentStatusWebhook(world))
    app.add_route("/__admin/hub/{agent_id}", HubState(world))
    app.add_route("/__admin/hub/{agent_id}/sdk-events", HubSdkEvents(world))
    app.add_route("/__admin/hub/{agent_id}/messages", HubMessages(world, violations))
    app.add_route("/__admin/cases", admin.Cases(world))
    app.add_route("/__admin/cases/{case_id}", admin.CaseDetail(world))
    app.add_route("/__admin/cases/{case_id}/{action}", admin.CaseAction(world))
    app.add_route("/__admin/faults", FaultList(faults))
    app.add_route("/__admin/faults/{fault_id}", FaultDetail(faults))

    app.add_error_handler(Exception, _unexpected)
    app.add_error_handler(falcon.HTTPError, _http_error)
    app.add_error_handler(WorldError, _world_error)
    app.add_error_handler(errors.ApiError, _api_error)
    return app, public_availability, journal, faults, access_log


def get_app() -> FastAvailability:
    """For `gunicorn -k asgi 'mocksnap.app:get_app()'`: settings from MOCKSNAP_* variables; the heap
    prepared for serving, as `mocksnap serve` prepares it."""
    app = create_served_app(Config.from_env())
    heap.serving(len(app.world.cases))
    return app
