"""Stable randomness and identifiers: one `random.Random` per (component, entity).

Every stream is seeded from a SHA-256 of (seed, component, entity), so a change in one
component (a fault, an extra record) never shifts the draws of an unrelated series.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta

_ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
HOUR = 3600
DAY = 86400


def _digest(*parts: object) -> bytes:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).digest()


def rng_for(seed: int, component: str, entity: str = "") -> random.Random:
    """A private random stream for one component of one entity."""
    return random.Random(int.from_bytes(_digest(seed, component, entity)[:8], "big"))


def sha40(*parts: object) -> str:
    """A git-like 40-hex sha derived from `parts`."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def stable_int(low: int, high: int, *parts: object) -> int:
    """A deterministic integer in [low, high) derived from `parts`."""
    return low + int.from_bytes(_digest(*parts)[:8], "big") % (high - low)


def token(length: int, *parts: object) -> str:
    """A deterministic alphanumeric token (Stripe-style id body)."""
    value = int.from_bytes(_digest(*parts), "big")
    chars = []
    for _ in range(length):
        value, rem = divmod(value, len(_ALPHANUM))
        chars.append(_ALPHANUM[rem])
    return "".join(chars)


def pd_id(*parts: object) -> str:
    """A PagerDuty-style id: 'P' and six upper-case alphanumerics."""
    return "P" + token(6, *parts).upper()


def to_dt(day: date) -> datetime:
    """Midnight UTC of a date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def unix(moment: datetime) -> int:
    """Unix seconds of an aware datetime."""
    return int(moment.timestamp())


def from_unix(seconds: float) -> datetime:
    """Aware UTC datetime from unix seconds."""
    return datetime.fromtimestamp(int(seconds), tz=UTC)


def iso(moment: datetime | int | float) -> str:
    """GitHub/PagerDuty timestamp: 2026-03-04T10:00:00Z."""
    if not isinstance(moment, datetime):
        moment = from_unix(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_months(moment: datetime, months: int) -> datetime:
    """Same day-of-month `months` later (clamped to the month's last day), like Stripe."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    next_first = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    last_day = (next_first - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
