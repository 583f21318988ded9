"""mocksnap's pages around the widget in a real Chromium: the demo shop chats with a simulated agent, the
Mobile SDK's host page forwards callbacks to the native bridges the vendor's SDKs register, and a file sent
from a page of another origin becomes a line whose link only the organization reads."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from mocksnap.testing import Mocksnap, WebhookSink
from tests.conftest import API_TOKEN, ORG_ID, SUPPORT_WIDGET, assert_valid

WAIT_MS = 5000
AGENTS = ("Sam", "Michael")  # the support widget's, online: the seed chooses who takes a chat

# What the SDKs put on the page before it loads. iOS: a WKScriptMessageHandler per name, reached through
# window.webkit.messageHandlers.<name>.postMessage(object). Android: an object per bridge class, added with
# addJavascriptInterface, whose methods take the callback's arguments.
NATIVE_BRIDGES = """
window.__native = [];
const ios = ["onCloseHandler", "chatMessageReceived", "chatMessageSent", "messageSubmit", "minimize", "open",
  "openProactive", "startChat", "startCallme", "switchWidget", "button", "onReady", "error", "globalError"];
window.webkit = { messageHandlers: Object.fromEntries(ios.map((name) =>
  [name, { postMessage: (message) => window.__native.push(["ios", name, message]) }])) };
const android = { CloseEventHandlerImpl: "onClose",
  ChatMessageReceivedEventHandlerImpl: "onChatMessageReceived",
  ChatMessageSentEventHandlerImpl: "onChatMessageSent", MessageSubmitEventHandlerImpl: "onMessageSubmit",
  MinimizeEventHandlerImpl: "onMinimize", OpenEventHandlerImpl: "onOpen",
  OpenProactiveEventHandlerImpl: "onOpenProactive", StartChatEventHandlerImpl: "onStartChat",
  StartCallmeEventHandlerImpl: "onStartCallMe", SwitchWidgetEventHandlerImpl: "onSwitchWidget",
  ButtonEventHandlerImpl: "onButtonEvent", ReadyEventHandlerImpl: "onReady" };
for (const [object, method] of Object.entries(android)) {
  window[object] = { [method]: (...args) => window.__native.push(["android", `${object}.${method}`, args]) };
}
"""


# An integrator's page: the documented snippet with its host changed, and a link that opens the chat.
HELP_PAGE = """<!doctype html><html><head><title>Help</title></head><body>
<a href="#" onclick="SnapEngage.startLink(); return false;">Chat with us</a>
<script type="text/javascript">
  (function() {
    var se = document.createElement('script'); se.type = 'text/javascript'; se.async = true;
    se.src = '//HOST/code.snapengage.com/js/WIDGET.js';
    var done = false;
    se.onload = se.onreadystatechange = function() {
      if (!done&&(!this.readyState||this.readyState==='loaded'||this.readyState==='complete')) {
        done = true;
      }
    };
    var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(se, s);
  })();
</script></body></html>"""


def native_calls(page: Any) -> list[list[Any]]:
    return page.evaluate("window.__native")


def wait_for_native(page: Any, bridge: str, name: str) -> list[Any]:
    page.wait_for_function(
        "([bridge, name]) => window.__native.some(([b, n]) => b === bridge && n === name)",
        arg=[bridge, name],
        timeout=WAIT_MS,
    )
    return [call for call in native_calls(page) if call[:2] == [bridge, name]]


def test_the_demo_shop_chats_with_a_simulated_agent(
    page: Any, mocksnap: Mocksnap, webhook_sink: WebhookSink
) -> None:
    mocksnap.configure_integrations(SUPPORT_WIDGET, integrationApi={"url": f"{webhook_sink.url}/case"})
    demo = f"{mocksnap.base_url}/demo/{SUPPORT_WIDGET}"
    page.goto(demo)
    page.wait_for_selector("#snapengage-button", timeout=WAIT_MS)
    page.get_by_role("button", name="Add to cart").first.click()
    page.get_by_role("button", name="Sign in as Jane").click()
    page.get_by_role("link", name="Chat with us").click()
    chat = page.frame_locator("#designstudio-iframe")
    message = chat.get_by_role("textbox", name="Message")
    message.fill("Do the shoes run small?")
    message.press("Enter")
    callbacks = page.get_by_role("list", name="Chat callbacks")
    callbacks.get_by_text("StartChat(jane@example.com, Do the shoes run small?, manual)").wait_for(
        timeout=WAIT_MS
    )
    mocksnap.advance(10)  # an agent accepts and greets
    callbacks.get_by_text("ChatMessageReceived(").wait_for(timeout=WAIT_MS)  # Sam or Michael greets
    assert "Open(online)" in callbacks.inner_text()
    chat.get_by_role("button", name="End chat").click()
    [posted] = webhook_sink.wait_for(path="/case")
    payload = posted.json
    assert_valid("integration-api", payload)
    assert payload["page_url"] == demo
    assert payload["requested_by"] == "jane@example.com"
    assert {"name": "CartTotal", "value": "89.00"} in payload["javascript_variables"]
    assert {"name": "CartItems", "value": "Trail Runner Shoes"} in payload["javascript_variables"]


def test_the_mobile_page_forwards_every_callback_to_the_sdks_native_bridges(
    page: Any, mocksnap: Mocksnap
) -> None:
    page.add_init_script(NATIVE_BRIDGES)
    variables = {"accountNumber": "123456", "customerSince": "December 1, 2016"}
    page.goto(f"{mocksnap.base_url}/mobile/{SUPPORT_WIDGET}?{urlencode(variables)}")
    assert wait_for_native(page, "ios", "onReady") == [["ios", "onReady", {"done": True}]]
    assert wait_for_native(page, "android", "ReadyEventHandlerImpl.onReady") == [
        ["android", "ReadyEventHandlerImpl.onReady", []]
    ]
    assert page.evaluate("[window.accountNumber, window.customerSince]") == [123456, "December 1, 2016"]
    # The chat is open, the button hidden, and the SDKs' style is in the chat box's own document.
    assert ["ios", "open", {"status": "online"}] in native_calls(page)
    assert page.evaluate("getComputedStyle(document.getElementById('snapengage-button')).display") == "none"
    assert "#main-mobile" in page.evaluate(
        "document.getElementById('designstudio-iframe').contentDocument.head.innerHTML"
    )
    message = page.frame_locator("#designstudio-iframe").get_by_role("textbox", name="Message")
    message.fill("Where is my order?")
    message.press("Enter")
    assert wait_for_native(page, "ios", "startChat") == [
        ["ios", "startChat", {"email": "", "msg": "Where is my order?", "type": "manual"}]
    ]
    assert wait_for_native(page, "android", "StartChatEventHandlerImpl.onStartChat") == [
        ["android", "StartChatEventHandlerImpl.onStartChat", ["", "Where is my order?", "manual"]]
    ]
    mocksnap.advance(10)
    received = wait_for_native(page, "android", "ChatMessageReceivedEventHandlerImpl.onChatMessageReceived")
    agent = received[0][2][0]
    assert agent in AGENTS
    assert wait_for_native(page, "ios", "chatMessageReceived")[0][2]["agent"] == agent
    message.fill("Thanks")
    message.press("Enter")
    assert wait_for_native(page, "ios", "chatMessageSent") == [["ios", "chatMessageSent", {"msg": "Thanks"}]]
    box = page.frame_locator("#designstudio-iframe")
    box.get_by_role("button", name="Minimize").click()
    assert wait_for_native(page, "ios", "minimize") == [
        ["ios", "minimize", {"isMinimized": True, "chatType": "manual", "boxType": "chatManual"}]
    ]
    assert wait_for_native(page, "android", "MinimizeEventHandlerImpl.onMinimize") == [
        ["android", "MinimizeEventHandlerImpl.onMinimize", [True, "manual", "chatManual"]]
    ]
    assert not [call for call in native_calls(page) if call[1] in ("error", "globalError")]


def test_the_sdk_urls_answer_with_only_their_host_changed(mocksnap: Mocksnap) -> None:
    """ChatConfiguration's baseJsUrl + "/{widgetId}.js" and baseInstanceUrl + "/{widgetId}", as the SDKs
    compose them."""
    base_js_url = f"{mocksnap.base_url}/code.snapengage.com/js"
    base_instance_url = f"{mocksnap.base_url}/public/api/v2/chat"
    script = mocksnap.request("GET", urlsplit(f"{base_js_url}/{SUPPORT_WIDGET}.js").path)
    assert script.status == 200
    assert script.content_type.startswith("text/javascript")
    assert mocksnap.widget_script_url(SUPPORT_WIDGET) == f"{base_js_url}/{SUPPORT_WIDGET}.js"
    availability = mocksnap.request("GET", urlsplit(f"{base_instance_url}/{SUPPORT_WIDGET}").path).json()
    assert availability["statusCode"] == 1
    assert availability["data"]["online"] == "true"


def test_a_file_sent_from_a_page_of_another_origin_is_a_line_only_the_organization_reads(
    page: Any, mocksnap: Mocksnap, site: Any, tmp_path: Any
) -> None:
    host = urlsplit(mocksnap.base_url).netloc
    site.pages["/help"] = HELP_PAGE.replace("HOST", host).replace("WIDGET", SUPPORT_WIDGET)
    page.goto(f"{site.url}/help")
    page.get_by_role("link", name="Chat with us").click()
    chat = page.frame_locator("#designstudio-iframe")
    message = chat.get_by_role("textbox", name="Message")
    message.fill("Here is the receipt")
    message.press("Enter")
    chat.get_by_role("button", name="Attach a file").wait_for(timeout=WAIT_MS)
    receipt = tmp_path / "receipt.txt"
    receipt.write_text("Order 1042, paid 89.00")
    chat.get_by_label("File to send").set_input_files(str(receipt))
    chat.get_by_text("Sent a file: receipt.txt").wait_for(timeout=WAIT_MS)
    [case] = mocksnap.request("GET", "/__admin/cases").json()["cases"]
    link = case["entries"][-1]["message"]
    assert link.startswith(f"https://{host}/files/")
    assert link.endswith("/receipt.txt")
    # Over plain http no file is served, whoever asks (serve with --certfile: tests/e2e/test_shared_files.py).
    answer = mocksnap.request(
        "GET", f"{urlsplit(link).path}?orgId={ORG_ID}", headers={"Authorization": API_TOKEN}
    )
    assert answer.status == 403
    assert json.loads(answer.body)["message"] == "files are served over https only"
