"""schemas/openapi.json against schemas/ and the app: a valid OpenAPI 3.1 document whose references all
resolve to the schema files, that documents every route the app serves and nothing else, and that refers to
every schema of a body; GET /__admin/openapi.json serves it bundled."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from falcon import inspect
from falcon.testing import TestClient
from openapi_spec_validator import validate

from mocksnap import openapi, schemas
from mocksnap.app import create_app
from tests.conftest import ROOT

SOURCE = ROOT / "schemas" / openapi.FILE
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Schemas that describe no body of an HTTP request or answer of the app, nor of a webhook.
NOT_BODIES = {
    "traffic-profile": "the profile file of `mocksnap traffic --profile` (fixtures/profiles/*.yaml)"
}
# Bodies that mocksnap sends (or receives in answer) as webhooks: documented under `webhooks`, not `paths`.
WEBHOOK_BODIES = {
    "integration-api",
    "conversation-event",
    "agent-status-event",
    "bot-chat-started",
    "bot-message",
    "bot-chat-closed",
    "bot-command-result",
    "bot-reply",
}


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (KeyError / IndexError when there is none)."""
    for part in pointer.lstrip("/").split("/") if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def schema_names(node: Any) -> set[str]:
    return {name for name, _ in map(openapi.split_ref, refs(node)) if name is not None}


def test_the_document_is_valid_openapi_3_1() -> None:
    source = json.loads(SOURCE.read_text())
    assert source["openapi"].startswith("3.1.")
    validate(source, base_uri=SOURCE.resolve().as_uri())
    assert source == openapi.document(), "the package ships schemas/openapi.json as it is"


def test_every_reference_resolves_to_a_file_of_schemas() -> None:
    document = openapi.document()
    for ref in refs(document):
        name, pointer = openapi.split_ref(ref)
        if name is None:
            resolve(document, pointer)
        else:
            assert ref.startswith(f"{name}{schemas.SUFFIX}"), f"{ref}: name a file of schemas/"
            assert name in schemas.names(), f"{ref}: no such file in schemas/"
            resolve(schemas.schema(name), pointer)


def _served_routes() -> set[tuple[str, str]]:
    app = create_app()
    return {
        (route.path, method.method.lower())
        for route in inspect.inspect_app(app).routes
        for method in route.methods
        if not method.internal
    }


def _documented_routes() -> set[tuple[str, str]]:
    """The route template of the app that answers each documented operation."""
    router = create_app()._router
    found = set()
    for path, method, _ in operations(openapi.document()):
        concrete = re.sub(r"\{(\w+)\}", r"p-\1", path)
        match = router.find(concrete)
        assert match is not None, f"{method.upper()} {path} is documented, but the app has no route for it"
        _, method_map, _, template = match
        assert method.upper() in method_map, f"{method.upper()} {path}: the route has no such method"
        found.add((template, method))
    return found


def test_every_route_of_the_app_is_documented_and_nothing_else() -> None:
    served, documented = _served_routes(), _documented_routes()
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_each_operation_has_its_own_id_and_a_success() -> None:
    ids = [operation["operationId"] for _, _, operation in operations(openapi.document())]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(openapi.document()):
        assert any(code.startswith("2") for code in operation["responses"]), f"{method} {path}"


def test_every_schema_of_a_body_is_referred_to() -> None:
    document = openapi.document()
    in_paths, in_webhooks = schema_names(document["paths"]), schema_names(document["webhooks"])
    assert in_webhooks == WEBHOOK_BODIES
    assert in_paths | in_webhooks == set(schemas.names()) - set(NOT_BODIES)
    # A schema that another one refers to (world's parts) counts; request schemas are referred to directly.
    assert in_paths.isdisjoint(WEBHOOK_BODIES)


@pytest.fixture
def served(client: TestClient) -> dict[str, Any]:
    answer = client.simulate_get("/__admin/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    return answer.json


def test_the_served_document_is_bundled_and_valid(served: dict[str, Any]) -> None:
    validate(served)
    assert served["servers"] == [{"url": "http://127.0.0.1"}], "the server's own base URL"
    components = served["components"]["schemas"]
    for ref in refs(served):
        assert ref.startswith("#/"), f"{ref}: the bundle refers only within itself"
        resolve(served, ref[1:])
    assert schema_names(openapi.document()) <= set(components) <= set(schemas.names())
    for name, schema in components.items():
        original = schemas.schema(name)
        assert "$id" not in schema
        assert schema["title"] == original["title"]
        assert len(list(refs(schema))) == len(list(refs(original)))
    assert served["paths"].keys() == openapi.document()["paths"].keys()


def test_the_bundle_is_made_once(client: TestClient) -> None:
    first = client.simulate_get("/__admin/openapi.json")
    second = client.simulate_get("/__admin/openapi.json")
    assert first.content == second.content
    assert openapi.bundled() is openapi.bundled()
    other = client.simulate_get("/__admin/openapi.json", host="127.0.0.1", port=9000)
    assert other.json["servers"] == [{"url": "http://127.0.0.1:9000"}]
