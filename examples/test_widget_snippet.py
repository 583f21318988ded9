"""Your own page, its real SnapEngage snippet untouched, in a browser against mocksnap: Playwright reroutes
the snippet's `storage.googleapis.com/code.snapengage.com/js/*` to mocksnap's copy of the widget script, and
the chat it starts is a case like any other (here, the Integration API POST your integration receives).

The page is site/index.html, served from a port of its own as your dev server would; the browser is
Chromium (`p.chromium.launch()`; here Debian's, by path).
"""

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from mocksnap.testing import Mocksnap, WebhookSink

SITE = Path(__file__).parent / "site"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def my_site() -> Iterator[str]:
    """Your site, as your dev server would serve it: its base URL."""
    handler = functools.partial(QuietHandler, directory=str(SITE))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield browser.new_page()
        browser.close()


def test_my_chat_integration(page: Page, my_site: str, mocksnap: Mocksnap, webhook_sink: WebhookSink) -> None:
    widget = mocksnap.org.widgets[0]
    mocksnap.configure_integrations(widget, integrationApi={"url": f"{webhook_sink.url}/case"})

    def to_mocksnap(route: Route) -> None:  # the widget script comes from mocksnap instead
        route.fulfill(
            response=route.fetch(url=mocksnap.widget_script_url(route.request.url.split("/")[-1][:-3]))
        )

    page.route("**/storage.googleapis.com/code.snapengage.com/js/*", to_mocksnap)
    page.goto(f"{my_site}/index.html")
    page.get_by_role("link", name="Chat with us").click()
    message = page.frame_locator("#designstudio-iframe").get_by_role("textbox", name="Message")
    message.fill("Can I upgrade my plan?")
    message.press("Enter")
    page.wait_for_function("window.analytics.some((e) => e.event === 'chat_started')")
    mocksnap.advance(10)  # the simulated agent accepts and answers
    page.wait_for_function("window.analytics.some((e) => e.event === 'agent_replied')")
    started, replied = page.evaluate("window.analytics")[:2]
    assert started == {"event": "chat_started", "type": "manual"}
    assert replied["agent"] in ("Sam", "Michael")  # the widget's agents: the seed chooses who answers

    page.evaluate("SnapEngage.endChat({closeChatBox: true})")
    [case] = webhook_sink.wait_for(1, path="/case")
    assert case.json["page_url"] == f"{my_site}/index.html"
    assert case.json["requested_by"] == "jane@example.com"
    assert case.json["javascript_variables"] == [{"name": "plan", "value": "pro"}]
    webhook_sink.assert_valid("integration-api")
