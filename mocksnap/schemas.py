"""The JSON Schemas of schemas/, loaded into one registry so that they can $ref each other by $id.

A schema is named by its file name without `.schema.json`: `validate("world", document)`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

SUFFIX = ".schema.json"


@dataclass(frozen=True)
class SchemaError:
    """One way in which a document breaks its schema."""

    path: str  # JSON pointer to the offending value ("" for the document itself)
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class SchemaViolation(ValueError):
    def __init__(self, name: str, errors: list[SchemaError]) -> None:
        self.name = name
        self.errors = errors
        super().__init__(f"{name}: " + "; ".join(f"{e.path or '/'}: {e.message}" for e in errors))


@cache
def _documents() -> dict[str, dict[str, Any]]:
    folder = resources.files("mocksnap.data.schemas")
    return {
        entry.name.removesuffix(SUFFIX): json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(SUFFIX)
    }


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in _documents().values()
    )


def names() -> list[str]:
    return sorted(_documents())


def schema(name: str) -> dict[str, Any]:
    try:
        return _documents()[name]
    except KeyError:
        raise KeyError(f"no schema named {name!r} in schemas/") from None


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    # In ECMA-262, which JSON Schema patterns follow, `$` is the end of the text; in Python it also matches
    # before a final newline, so "5\n" would pass "^[0-9]+$".
    return re.compile(
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    )


def _pattern(validator, pattern: str, instance: Any, schema: dict[str, Any]):
    if isinstance(instance, str) and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of a schema, or of one of its definitions: `world#/$defs/user`."""
    name, _, fragment = name.partition("#")
    document = {"$ref": f"{schema(name)['$id']}#{fragment}"} if fragment else schema(name)
    return _Validator(document, registry=_registry())


def _path(error: ValidationError) -> list[str | int]:
    """Where the error is; for a missing property, where that property should be."""
    path = list(error.absolute_path)
    if error.validator == "required":
        # jsonschema reports each missing property as its own error, whose message starts with its repr.
        path.append(next(p for p in error.validator_value if error.message.startswith(repr(p))))
    return path


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{part}" for part in _path(error))


def _field(error: ValidationError) -> str:
    """The field a person would name: `agents[0].agentId`."""
    text = ""
    for part in _path(error):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def describe(error: ValidationError) -> str:
    """A one-line message that names the field, e.g. `email must be less than 100 characters`."""
    field = _field(error)
    kind, value, sub = error.validator, error.validator_value, error.schema
    if error.instance is None and kind in ("type", "enum", "const"):
        return f"{field} must not be null"
    if kind in ("pattern", "not") and "x-error" in sub:
        return f"{field} {sub['x-error']}"
    if kind == "required":
        return f"{field} is required"
    if kind == "type":
        wanted = " or ".join(value) if isinstance(value, list) else value
        return f"{field} must be {'an' if wanted[0] in 'aeio' else 'a'} {wanted}"
    if kind == "maxLength":
        return f"{field} must be less than {value + 1} characters"
    if kind == "minLength":
        return f"{field} must not be empty" if value == 1 else f"{field} must be at least {value} characters"
    if kind == "enum":
        return f"{field} must be one of: " + ", ".join(json.dumps(v) for v in value)
    if kind == "const":
        return f"{field} must be {json.dumps(value)}"
    if kind == "minimum":
        return f"{field} must be at least {value}"
    if kind == "maximum":
        return f"{field} must be at most {value}"
    if kind == "oneOf":
        return f"{field} must take exactly one of the forms its schema allows"
    if kind == "minItems":
        return f"{field} must have at least {value} item{'s' if value != 1 else ''}"
    if kind == "additionalProperties":
        extra = [str(key) for key in error.instance if key not in sub.get("properties", {})]
        return f"{field} has unknown properties: {', '.join(extra)}"
    return f"{field}: {error.message}"


def _nullable_branch(error: ValidationError) -> ValidationError:
    """For a value that breaks `anyOf: [{"type": "null"}, X]` (an optional field that may be sent as null),
    the error of X, so that the message says what was wrong with it rather than that no branch matched."""
    branches = error.validator_value if error.validator == "anyOf" else None
    if not branches or {"type": "null"} not in branches or error.instance is None:
        return error
    others = [e for e in error.context if branches[e.schema_path[0]] != {"type": "null"}]
    return min(others, key=lambda e: len(_path(e))) if others else error


def without_nulls(document: Any) -> Any:
    """The document with every object member whose value is null left out, at any depth: an optional field
    sent as null is absent (Java clients serialize unset fields as null). Array items are kept as they are."""
    if isinstance(document, dict):
        return {key: without_nulls(value) for key, value in document.items() if value is not None}
    if isinstance(document, list):
        return [without_nulls(item) for item in document]
    return document


def _in_document_order(found: list[ValidationError]) -> list[ValidationError]:
    def key(error: ValidationError) -> tuple[list[tuple[int, int, str]], str]:
        return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in _path(error)], error.message

    return sorted(found, key=key)


def errors(name: str, document: Any) -> list[SchemaError]:
    """Every schema error of the document, in document order."""
    found = _in_document_order(list(validator(name).iter_errors(document)))
    return [SchemaError(_pointer(e), describe(e)) for e in found]


def first_error(name: str, document: Any) -> str | None:
    """The most relevant error as a message naming its field, or None when the document is valid."""
    found = _in_document_order(list(validator(name).iter_errors(document)))
    # A rule that depends on other fields (if/then) is named only once the fields themselves are right.
    unconditional = [e for e in found if "then" not in e.schema_path]
    if not found:
        return None
    # The shallowest error, the first in document order of those.
    error = best_match([_nullable_branch(min(unconditional or found, key=lambda e: len(_path(e))))])
    if error.instance is None and _path(error) and isinstance(_path(error)[-1], str):
        # A field sent as null is absent: one that may not be is named as missing.
        missing = [
            e for e in validator(name).iter_errors(without_nulls(document)) if e.validator == "required"
        ]
        if any(_path(e) == _path(error) for e in missing):
            return describe(next(e for e in missing if _path(e) == _path(error)))
    return describe(error)


def validate(name: str, document: Any) -> None:
    """Raise SchemaViolation listing every error when the document breaks the named schema."""
    found = errors(name, document)
    if found:
        raise SchemaViolation(name, found)
