"""The OpenAPI 3.1 document of every endpoint, schemas/openapi.json, and its bundled form.

In schemas/openapi.json every body refers to a file of schemas/ (`"$ref": "logs-response.schema.json"`, or a
part of one: `"world.schema.json#/$defs/integrations"`), so those files stay the single source of the
schemas. `bundled()` makes the self-contained document that GET /__admin/openapi.json serves: each schema
that is referred to, directly or by another schema, placed under components/schemas by its name, and every
reference rewritten to point there.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from mocksnap import schemas

FILE = "openapi.json"
SCHEMA_BASE = "https://mocksnap.local/schemas/"
COMPONENTS = "#/components/schemas/"


@cache
def document() -> dict[str, Any]:
    """schemas/openapi.json as it is written: references to the files of schemas/."""
    return json.loads((resources.files("mocksnap.data.schemas") / FILE).read_text(encoding="utf-8"))


def split_ref(ref: str, current: str | None = None) -> tuple[str | None, str]:
    """(schema name, JSON pointer) of a reference; the name is `current` for a reference within the same
    schema, None for one within the OpenAPI document itself."""
    target, _, pointer = ref.partition("#")
    if not target:
        return current, pointer
    return target.removeprefix(SCHEMA_BASE).removesuffix(schemas.SUFFIX), pointer


def _rewrite(node: Any, current: str | None, needed: list[str]) -> Any:
    """A copy of the node with every reference to a schema file pointing under components/schemas; the
    names of the schemas referred to are appended to `needed`."""
    if isinstance(node, list):
        return [_rewrite(item, current, needed) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _rewrite(value, current, needed) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str):
        name, pointer = split_ref(ref, current)
        if name is not None:
            if name not in needed:
                needed.append(name)
            found["$ref"] = COMPONENTS + name + pointer
    return found


@cache
def bundled() -> dict[str, Any]:
    """The document with every schema it needs under components/schemas (without their `$id`, which would
    move the base of their references)."""
    needed: list[str] = []
    bundle = _rewrite(document(), None, needed)
    components = bundle.setdefault("components", {}).setdefault("schemas", {})
    for name in needed:  # grows while schemas that refer to other schemas are rewritten
        schema = _rewrite(schemas.schema(name), name, needed)
        schema.pop("$id", None)
        schema.pop("$schema", None)
        components[name] = schema
    return bundle


def served(base_url: str) -> dict[str, Any]:
    """The bundled document with `servers` set to base_url."""
    return {**bundled(), "servers": [{"url": base_url}]}
