"""Prometheus `query_range`: one row per point of the configured queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import dlt
from dlt.sources import DltResource

from pipelines.common import ApiClient, RetryPolicy, SourceConfigError, bearer
from pipelines.signals import helpers
from pipelines.signals import settings as s


@dlt.source(name="signals")
def signals(base_url: str = s.DEFAULT_BASE_URL, bearer_token: str = dlt.secrets.value,
            queries: dict[str, str] | None = None, step: int = s.DEFAULT_STEP,
            start: str | None = None, end: str | None = None,
            retry: RetryPolicy | None = None) -> DltResource:
    """Samples of each query (metric name → PromQL) from the cursor (or `start`) to `end`/now."""
    client = ApiClient("signals", base_url, bearer(bearer_token, s.SECRET), policy=retry)
    if step <= 0:
        raise SourceConfigError("signals", "sources.signals.step must be positive seconds")
    first = helpers.to_unix("signals", "start", start)
    last = helpers.to_unix("signals", "end", end)
    return samples(client, dict(queries or s.DEFAULT_QUERIES), int(step), first, last)


@dlt.resource(name="samples", primary_key=s.SAMPLE_KEY, write_disposition="merge",
              columns=s.SAMPLE_COLUMNS)
def samples(client: ApiClient, queries: dict[str, str], step: int, first: int | None,
            last: int | None,
            ts: dlt.sources.incremental[datetime] = dlt.sources.incremental(  # noqa: B008
                "ts", initial_value=None)) -> Iterator[list[dict]]:
    """Points after the cursor (or from `start`, or the last 30 days) up to `end` (or now)."""
    end = last if last is not None else helpers.now()
    if ts.start_value is not None:
        begin = int(ts.start_value.timestamp()) + step
    elif first is not None:
        begin = first
    else:
        begin = end - s.DEFAULT_HISTORY_DAYS * 86400
    for metric, query in queries.items():
        yield from helpers.samples(client, metric, query, begin, end, step)
