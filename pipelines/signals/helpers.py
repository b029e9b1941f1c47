"""Prometheus calls: query windows within the point limit, matrix results as rows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pipelines.common import ApiClient, SourceConfigError, SourceMalformedError
from pipelines.signals.settings import MAX_STEPS_PER_QUERY


def to_unix(source: str, name: str, value: str | int | float | datetime | None) -> int | None:
    """A config time (ISO-8601, unix seconds or datetime) as unix seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(float(value))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SourceConfigError(source, f"sources.{source}.{name} must be an ISO-8601 time or "
                                        f"unix seconds, got {value!r}") from None
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def windows(start: int, end: int, step: int) -> Iterator[tuple[int, int]]:
    """[start, end] on the step grid, cut into query windows under Prometheus' point limit."""
    first = -(-start // step) * step  # first grid point at or after start
    last = end // step * step
    span = step * (MAX_STEPS_PER_QUERY - 1)
    while first <= last:
        yield first, min(first + span, last)
        first += span + step


def now() -> int:
    return int(time.time())


def matrix_problem(data: Any) -> str | None:
    """The first point of a matrix whose timestamp or value is not a number."""
    result = (data.get("data") or {}).get("result") if isinstance(data, dict) else None
    for series in result if isinstance(result, list) else []:
        for point in series.get("values") or []:
            try:
                float(point[0]), float(point[1])
            except (TypeError, ValueError, IndexError):
                labels = series_key(series.get("metric") or {})
                return f"series {{{labels}}}: point {str(point)[:60]} is not [time, \"number\"]"
    return None


def series_key(labels: dict[str, str]) -> str:
    """Labels (without __name__) as `k=v,k=v`, sorted."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if k != "__name__")


def samples(client: ApiClient, metric: str, query: str, start: int, end: int,
            step: int) -> Iterator[list[dict]]:
    """One row per point of every series the query returns, in windows."""
    for low, high in windows(start, end, step):
        data, response = client.get_json("/api/v1/query_range", {
            "query": query, "start": low, "end": high, "step": step}, check=matrix_problem)
        result = (data.get("data") or {}).get("result") if isinstance(data, dict) else None
        if data.get("status") != "success" or not isinstance(result, list):
            raise SourceMalformedError(client.source, client.endpoint(response.url, True),
                                       "expected a Prometheus matrix result")
        for series in result:
            labels = series.get("metric") or {}
            key = series_key(labels)
            # an absent label is the empty string, as in Prometheus; never None, because dlt
            # drops None keys and DuckDB's JSON loader then rejects a key first seen after
            # its sample rows (service series first, feature_usage series later)
            yield [{"metric": metric, "series": key, "service": labels.get("service") or "",
                    "feature": labels.get("feature") or "",
                    "customer": labels.get("customer") or "",
                    "ts": datetime.fromtimestamp(float(ts), UTC), "value": float(value)}
                   for ts, value in series.get("values") or []]
