"""How long to wait before retrying a request: Retry-After, X-RateLimit-Reset, or backoff."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter; `sleep` and `clock` injectable."""

    max_retries: int = 6
    backoff_base: float = 0.5
    backoff_max: float = 60.0
    max_wait: float = 3600.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the attempt (0-based)."""
        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return ceiling / 2 + self.jitter() * ceiling / 2

    def server_wait(self, status: int, headers: Mapping[str, str]) -> float | None:
        """The wait the server asked for (Retry-After, or GitHub's reset time), if any."""
        retry_after = headers.get("Retry-After")
        if retry_after:
            try:
                return min(self.max_wait, max(0.0, float(retry_after)))
            except ValueError:
                try:
                    when = parsedate_to_datetime(retry_after).timestamp()
                except (TypeError, ValueError):
                    return None
                return min(self.max_wait, max(0.0, when - self.clock()))
        reset = headers.get("X-RateLimit-Reset")
        if status in (403, 429) and headers.get("X-RateLimit-Remaining") == "0" and reset:
            try:
                return min(self.max_wait, max(1.0, float(reset) - self.clock()))
            except ValueError:
                return None
        return None


def is_rate_limited(status: int, headers: Mapping[str, str]) -> bool:
    """429, or GitHub's 403 with no requests remaining / a Retry-After (secondary limit)."""
    if status == 429:
        return True
    return status == 403 and (headers.get("X-RateLimit-Remaining") == "0"
                              or "Retry-After" in headers)


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a response status is worth retrying."""
    return status in RETRY_STATUSES or is_rate_limited(status, headers)
