"""Transport faults the scenario asks for (DESIGN §5 `api_faults`), decided deterministically.

A fault is decided per (source, path+query, attempt number) with a stable hash of the world's
seed, so the same World misbehaves the same way, and a given request fails at most
`max_failures` times in a row (default 2) before it succeeds.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass

from breadcrumbs.simulator.api.common import Response

DEFAULT_MAX_FAILURES = 2
DEFAULT_RETRY_AFTER = 1


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
        faults = [f for f in self.faults if f.source == source]
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


def malformed(body: bytes, variant: float) -> bytes:
    """A truncated copy of a JSON body (the connection dropped mid-response)."""
    cut = max(1, int(len(body) * (0.25 + variant / 2)))
    return body[:cut]
