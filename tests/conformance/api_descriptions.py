"""Validators for API responses against the official descriptions vendored (trimmed) under
tests/fixtures/api_descriptions/: GitHub's REST description and PagerDuty's REST schema
(OpenAPI 3.0, validated with openapi-schema-validator, which honours `nullable`), and the
Prometheus query_range envelope (JSON Schema written from Prometheus' documentation)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from tests.paths import FIXTURES

DESCRIPTIONS = FIXTURES / "api_descriptions"
PREFIXES = {"/github": "github", "/pagerduty": "pagerduty", "/prometheus": "prometheus"}


# Where an official description contradicts itself or the API it describes, the validators
# apply these corrections (and only these); tests/fixtures/api_descriptions/README.md lists
# them with their evidence. The vendored copies stay exactly as published.
ERRATA = {
    "nullable-enum": "OpenAPI 3.0: `nullable: true` beside an `enum` lacking null, or beside "
                     "`oneOf`/`anyOf` alternatives none of which admits null. GitHub sends null "
                     "there (an open issue's `state_reason`, a commit's `author`); OAS 3.0.3 "
                     "clarified that `nullable` admits null, so null is added as an option.",
    "pagerduty-oneOf": "PagerDuty's `oneOf` alternatives overlap without a discriminator (every "
                       "Channel schema accepts `{\"type\": \"api\"}`; a log entry matches "
                       "several), so no real response can match exactly one: `oneOf` is read "
                       "as `anyOf`.",
    "pagerduty-ack-type": "AcknowledgeLogEntry narrows `type` to `acknowledgement_log_entry`, "
                          "which its own base LogEntry enum forbids; the API and LogEntry say "
                          "`acknowledge_log_entry`, which is used.",
}


def _corrected(node: Any, api: str) -> Any:
    """A schema with the ERRATA applied."""
    if isinstance(node, list):
        return [_corrected(v, api) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _corrected(v, api) for k, v in node.items()}
    if out.get("nullable") and isinstance(out.get("enum"), list) and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    for combined in ("oneOf", "anyOf"):
        if out.get("nullable") and isinstance(out.get(combined), list):
            out[combined] = [*out[combined], {"enum": [None]}]
    if api == "pagerduty" and "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    if api == "pagerduty" and out.get("enum") == ["acknowledgement_log_entry"]:
        out["enum"] = ["acknowledge_log_entry"]
    return out


@cache
def description(api: str) -> dict:
    """The vendored, trimmed description as published."""
    return json.loads((DESCRIPTIONS / api / "openapi.trimmed.json").read_text())


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")


@cache
def operations(api: str) -> list[tuple[re.Pattern[str], str]]:
    """(path pattern, path template) of every operation in a trimmed description."""
    return [(_pattern(path), path) for path in description(api)["paths"]]


@cache
def corrected(api: str) -> dict:
    """The description with the ERRATA applied (built once)."""
    return _corrected(description(api), api)


@cache
def openapi_validator(api: str, template: str) -> OAS30Validator:
    """A validator for the 200 response of `GET template`, resolving `#/components/...`."""
    spec = corrected(api)
    schema = spec["paths"][template]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec["components"]},
                          format_checker=oas30_format_checker)


@cache
def prometheus_validator() -> Draft202012Validator:
    schema = json.loads((DESCRIPTIONS / "prometheus" / "query_range.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validator_for(target: str) -> tuple[str, Any] | None:
    """(operation, validator) for a request target (`/github/repos/...?...`), or None when
    the path is not one the sources request."""
    path = urlsplit(target).path
    prefix = "/" + path.lstrip("/").split("/", 1)[0]
    api = PREFIXES.get(prefix)
    rest = path[len(prefix):]
    if api == "prometheus":
        return ("GET /api/v1/query_range", prometheus_validator()) \
            if rest == "/api/v1/query_range" else None
    if api is None:
        return None
    for pattern, template in operations(api):
        if pattern.match(rest):
            return f"GET {template}", openapi_validator(api, template)
    return None


def errors(validator: Any, body: Any, limit: int = 5) -> Iterator[str]:
    """The first `limit` validation errors, each as `path: message`."""
    for count, error in enumerate(validator.iter_errors(body)):
        if count >= limit:
            return
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        yield f"{where}: {error.message[:300]}"


def _resolve(api: str, schema: dict) -> dict:
    """A schema with its `$ref` followed and `allOf` merged (properties, required)."""
    components = corrected(api)["components"]["schemas"]
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        merged: dict = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = _resolve(api, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        merged["nullable"] = schema.get("nullable", False)
        return merged
    return schema


def bare(api: str, value: Any, schema: dict) -> Any:
    """`value` with every optional part gone, as the description allows: a property it does
    not require is dropped, a nullable one is null, an array is empty."""
    schema = _resolve(api, schema)
    if value is None:
        return None
    if schema.get("nullable"):
        return None
    if isinstance(value, list):
        return []
    if isinstance(value, dict) and ("properties" in schema or "required" in schema):
        properties = schema.get("properties", {})
        return {key: bare(api, value.get(key), properties.get(key, {}))
                for key in schema.get("required", []) if key in value}
    return value


def component(api: str, name: str) -> dict:
    """`{"$ref": ...}` to a component schema, for `bare`."""
    return {"$ref": f"#/components/schemas/{name}"}
