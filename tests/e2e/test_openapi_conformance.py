"""The served OpenAPI document against a real `mocksnap serve`: schemathesis calls every operation with
generated requests (valid and invalid ones) and checks each answer: never a 5xx, a documented status, the
documented content type, a body that holds to its schema. Bounded (a few examples per operation, derandomized)
so that it takes well under two minutes; the hooks in schemathesis_hooks.py keep every call local and short,
and give the calls chats, deliveries (to a receiver of this test's) and a fault to name, so that each
operation's success path is reached, not only its 404 and 400.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mocksnap import openapi
from mocksnap.testing import WebhookSink
from tests.conftest import API_TOKEN, PROVISIONING_KEY, ROOT, SUPPORT_WIDGET, VISITOR_KEY

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
MAX_EXAMPLES = 10
MIN_SUCCESSES = 2  # 2xx answers each operation gets, at least
UNCALLED = {
    ("GET", "/__admin/openapi.json"),  # schemathesis does not call the document it loaded
    ("GET", "/live"),  # a stream that ends only when its reader goes: tests/e2e/test_live_feed.py
    # An app's message, of ten kinds each with its own shape (generated bodies would take longer than all the
    # rest): tests/web/test_hub.py sends each kind, good and bad, and tests/e2e/test_hub.py from a browser.
    ("POST", "/__admin/hub/{agentId}/messages"),
    ("GET", "/files/{fileId}/{name}"),  # served over https only: tests/e2e/test_shared_files.py
}
RUN_TIMEOUT = 600  # seconds; alone on a 2-core machine the run takes 4 to 5 minutes, more under load

CONFIG = f"""
hooks = "tests.e2e.schemathesis_hooks"
workers = 1
color = false

[generation]
deterministic = true
max-examples = {MAX_EXAMPLES}
database = "none"

[auth.openapi.visitorKey]
api_key = "{VISITOR_KEY}"

[auth.openapi.apiToken]
api_key = "{API_TOKEN}"

[auth.openapi.provisioningKey]
api_key = "{PROVISIONING_KEY}"
"""


def test_every_operation_answers_as_documented(spawn: Callable[..., Any], tmp_path: Path) -> None:
    server = spawn("--clock", "manual", "--no-access-log")
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    tally = tmp_path / "statuses.txt"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(tmp_path / "schemathesis.toml"),
        "run",
        f"{server.base_url}/__admin/openapi.json",
        "--phases",
        "examples,coverage,fuzzing",
        "--checks",
        ",".join(CHECKS),
        "--exclude-operation-id",
        "getLiveFeed",
        "--exclude-operation-id",
        "postHubAppMessage",
    ]
    with WebhookSink() as sink:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "NO_COLOR": "1",
            "MOCKSNAP_SINK_URL": sink.url,
            "MOCKSNAP_OPENAPI_TALLY": str(tally),
        }
        # In tmp_path, where schemathesis keeps its cache.
        run = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
        )
    assert run.returncode == 0, f"schemathesis found problems:\n{run.stdout}\n{run.stderr}"
    successes = Counter(
        (method, path)
        for method, path, status in (line.split(" ") for line in tally.read_text().splitlines())
        if status.startswith("2")
    )
    rare = {
        f"{method.upper()} {path}": successes[(method.upper(), path)]
        for path, operations in openapi.document()["paths"].items()
        for method in operations
        if method in ("get", "put", "post", "delete")
        and (method.upper(), path) not in UNCALLED
        and successes[(method.upper(), path)] < MIN_SUCCESSES
    }
    assert not rare, f"operations whose success path was seldom reached: {rare}"


def test_visitor_chat_takes_a_long_message_in_the_query_string(spawn: Callable[..., Any]) -> None:
    """The docs' curl sends the parameters in the URL; a message of the most characters allowed, each
    percent-encoded to several bytes, makes a request line far past gunicorn's default limit."""
    server = spawn("--clock", "manual", "--no-access-log")
    message = "é" * 10_000
    query = urlencode({"widgetId": SUPPORT_WIDGET, "visitorMessage": message})
    request = urllib.request.Request(
        f"{server.base_url}/api/v1/chat?{query}", method="POST", headers={"x-api-key": VISITOR_KEY}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())["widgetId"] == SUPPORT_WIDGET
