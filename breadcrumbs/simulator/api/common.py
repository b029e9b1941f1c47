"""Shared pieces of the simulated APIs: requests, responses, JSON bytes, time parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request, path relative to its source prefix."""

    method: str
    prefix: str  # "/github", "/pagerduty", ...
    path: str  # e.g. "/repos/acme/checkout/pulls"
    pairs: tuple[tuple[str, str], ...]  # query parameters in order
    headers: dict[str, str]  # lower-cased names
    root: str  # "http://127.0.0.1:PORT"

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of a query parameter, or `default`."""
        values = [v for k, v in self.pairs if k == name]
        return values[-1] if values else default

    def url_with(self, **replace: str) -> str:
        """This request's absolute URL with some query parameters replaced (Link headers)."""
        pairs = [(k, v) for k, v in self.pairs if k not in replace]
        pairs += list(replace.items())
        return f"{self.root}{self.prefix}{self.path}?{urlencode(pairs)}"


@dataclass
class Response:
    """A response before encoding: `body` is a JSON-able object or raw bytes."""

    status: int
    body: object
    headers: list[tuple[str, str]] = field(default_factory=list)

    def encoded(self) -> bytes:
        """The body as bytes: same object, same bytes."""
        if isinstance(self.body, bytes):
            return self.body
        return encode(self.body)


class BadRequest(Exception):
    """A client error the handler turns into the API's own 400 shape."""


def encode(obj: object) -> bytes:
    """Deterministic JSON bytes (key order as given, compact separators)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_time(value: str | int | float | None) -> datetime | None:
    """Parse ISO-8601 (with Z or offset), a date, or unix seconds into an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"invalid time {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def int_arg(req: Request, name: str, default: int) -> int:
    """An integer query parameter, or `default`; BadRequest when not an integer."""
    raw = req.arg(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be an integer") from exc


def dig(record: dict, dotted: str) -> object:
    """A nested value by dotted path, None when any step is missing."""
    value: object = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
