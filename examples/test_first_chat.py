"""A first test: a visitor chats and leaves, and your integration gets the Integration API POST.

`mocksnap` is a fresh world on a real server (reset for each test), `webhook_sink` a real HTTP receiver
standing in for your integration's endpoint.
"""

import json
from urllib.request import Request, urlopen

from mocksnap.testing import Mocksnap, WebhookSink


def test_a_closed_chat_reaches_my_integration(mocksnap: Mocksnap, webhook_sink: WebhookSink) -> None:
    widget, key = mocksnap.org.widgets[0], {"x-api-key": mocksnap.org.visitorApiKey}
    mocksnap.configure_integrations(widget, integrationApi={"url": f"{webhook_sink.url}/case"})
    chat = f"{mocksnap.base_url}/api/v1/chat"  # the Visitor Chat API
    started = urlopen(Request(f"{chat}?widgetId={widget}&visitorMessage=hi", b"", key))  # a POST
    case_id = json.load(started)["caseId"]
    urlopen(Request(f"{chat}?caseId={case_id}&messageType=2", method="PUT", headers=key))  # visitor leaves
    [posted] = webhook_sink.wait_for(1, path="/case")
    assert (posted.json["id"], posted.json["chat_ended_by"]) == (case_id, "visitor")
    webhook_sink.assert_valid("integration-api")
