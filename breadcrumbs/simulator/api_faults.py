"""Transport faults the scenario asks for (DESIGN §5 `api_faults`), decided deterministically.

A fault is decided per (source, path+query, attempt number) with a stable hash of the world's
seed, so the same World misbehaves the same way, and a given request fails at most
`max_failures` times in a row (default 2) before it succeeds.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass

from breadcrumbs.simulator.api.common import Response, encode

DEFAULT_MAX_FAILURES = 2
DEFAULT_RETRY_AFTER = 1
TRANSIENT_KINDS = ("rate_limit", "server_error", "malformed")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
DRIFT_FIELDS = ("title", "body", "description", "summary", "memo", "name", "head_branch",
                "tag_name", "email")


@dataclass(frozen=True)
class Fault:
    source: str
    kind: str  # rate_limit | server_error | malformed | schema_drift
    rate: float
    retry_after: int
    max_failures: int


def parse_faults(specs: list[dict]) -> list[Fault]:
    """The scenario's `api_faults` entries as Faults (rate defaults to 1.0 when omitted)."""
    return [Fault(source=str(s["source"]), kind=str(s["kind"]), rate=float(s.get("rate", 1.0)),
                  retry_after=int(s.get("retry_after", DEFAULT_RETRY_AFTER)),
                  max_failures=int(s.get("max_failures", DEFAULT_MAX_FAILURES)))
            for s in specs]


def unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) from the parts."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class FaultInjector:
    """Counts attempts per request and decides which fault, if any, hits this attempt."""

    def __init__(self, seed: int, specs: list[dict]) -> None:
        self.seed = seed
        self.faults = parse_faults(specs)
        self._attempts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def decide(self, source: str, target: str) -> tuple[Fault, float] | None:
        """The fault for this attempt at `target` (path+query), with its hash draw, or None."""
        faults = [f for f in self.faults if f.source == source and f.kind in TRANSIENT_KINDS]
        if not faults:
            return None
        key = f"{source}|{target}"
        with self._lock:
            attempt = self._attempts[key]
            self._attempts[key] += 1
        for index, fault in enumerate(faults):
            draw = unit(self.seed, index, fault.kind, key, attempt)
            if attempt < fault.max_failures and draw < fault.rate:
                return fault, unit(self.seed, "variant", key, attempt)
        return None


    def drift(self, source: str) -> Fault | None:
        """The schema_drift fault of a source, if the scenario asks for one."""
        return next((f for f in self.faults if f.source == source and f.kind == "schema_drift"),
                    None)


def transport_fault(source: str, fault: Fault, variant: float) -> Response | None:
    """The error response of a rate_limit or server_error fault (None for other kinds)."""
    wait = str(fault.retry_after)
    if fault.kind == "rate_limit":
        if source in ("github", "ci") and variant < 0.5:
            reset = str(int(time.time()) + fault.retry_after)
            return Response(403, {"message": "API rate limit exceeded for installation.",
                                  "documentation_url": "https://docs.github.com/rest/rate-limit"},
                            [("X-RateLimit-Limit", "5000"), ("X-RateLimit-Remaining", "0"),
                             ("X-RateLimit-Used", "5000"), ("X-RateLimit-Reset", reset)])
        return Response(429, rate_limit_body(source), [("Retry-After", wait)])
    if fault.kind == "server_error":
        status = (500, 502, 503)[int(variant * 3)]
        return Response(status, server_error_body(source, status))
    return None


def rate_limit_body(source: str) -> object:
    """The API's own 429 body."""
    if source in ("github", "ci"):
        return {"message": "You have exceeded a secondary rate limit. Please wait a few "
                           "minutes before you try again.",
                "documentation_url": "https://docs.github.com/rest/rate-limit"}
    if source == "incidents":
        return {"error": {"message": "Rate Limit Exceeded", "code": 2020}}
    if source == "revenue":
        return {"error": {"code": "rate_limit", "message": "Too many requests hit the API too "
                          "quickly.", "type": "invalid_request_error"}}
    return {"status": "error", "errorType": "unavailable", "error": "too many requests"}


def server_error_body(source: str, status: int) -> object:
    """The API's own 5xx body."""
    if source in ("github", "ci"):
        return {"message": "Server Error"}
    if source == "incidents":
        return {"error": {"message": "Internal Server Error", "code": 2000}}
    if source == "revenue":
        return {"error": {"message": "An unknown error occurred", "type": "api_error"}}
    return {"status": "error", "errorType": "internal", "error": f"status {status}"}


def truncated(body: bytes, variant: float) -> bytes:
    """A truncated copy of a JSON body (the connection dropped mid-response)."""
    cut = max(1, int(len(body) * (0.25 + variant)))
    return body[:cut]


def records_in(obj: object) -> list[dict]:
    """The records of a response body: a list, a known envelope's list, or one record."""
    if isinstance(obj, list):
        return [r for r in obj if isinstance(r, dict)]
    if isinstance(obj, dict):
        for key in ("workflow_runs", "jobs", "incidents", "log_entries", "data"):
            if isinstance(obj.get(key), list):
                return [r for r in obj[key] if isinstance(r, dict)]
        if "id" in obj:
            return [obj]
    return []


def wrong_typed(body: object, variant: float) -> object:
    """A copy of the body with one field of one record given the wrong JSON type: its first
    timestamp (a field every source reads and checks: created_at, updated_at, ...), else its
    first integer other than the id. A real API's full shape has many fields no source reads,
    and those are not type-checked (they land in a dlt variant column no model reads)."""
    copy = json.loads(json.dumps(body))
    records = records_in(copy)
    if records:
        record = records[int(variant * len(records))]
        for key, value in record.items():
            if isinstance(value, str) and ISO_TIME.match(value):
                record[key] = 0
                return copy
        for key, value in record.items():
            if key != "id" and isinstance(value, int) and not isinstance(value, bool):
                record[key] = f"{value}x"
                return copy
    result = copy.get("data", {}).get("result") if isinstance(copy, dict) else None
    if isinstance(result, list) and result and result[0].get("values"):
        result[0]["values"][0][1] = "not-a-number"
    return copy


def malformed(response: Response, variant: float) -> bytes:
    """A malformed body: truncated JSON, or a record with a wrong-typed field."""
    if variant < 0.5:
        return truncated(response.encoded(), variant)
    return encode(wrong_typed(response.body, (variant - 0.5) * 2))


def drifted(body: object, fault: Fault, seed: int) -> object:
    """Schema drift on a share (`rate`) of the records: a new field, a renamed field and a
    null where a value was (free-text fields only, so keys and cursors stay intact)."""
    copy = json.loads(json.dumps(body))
    for record in records_in(copy):
        if unit(seed, "drift", record.get("id")) >= fault.rate:
            continue
        record["x_drift_added"] = {"since": "v2"}
        present = [k for k in DRIFT_FIELDS if isinstance(record.get(k), str)]
        if present:
            record[f"{present[0]}_v2"] = record.pop(present[0])
        if len(present) > 1:
            record[present[1]] = None
    return copy
