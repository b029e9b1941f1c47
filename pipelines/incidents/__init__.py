"""PagerDuty REST v2: incidents (re-read over a lookback to pick up resolutions), log entries."""

from __future__ import annotations

from collections.abc import Iterator

import dlt
from dlt.sources import DltResource

from pipelines.common import ApiClient, RetryPolicy, offset_pages
from pipelines.common.records import as_records
from pipelines.common.unchanged import only_changed
from pipelines.common.validate import page_check
from pipelines.incidents import settings as s
from pipelines.incidents.helpers import pagerduty_client, window


@dlt.source(name="incidents")
def incidents(base_url: str = s.DEFAULT_BASE_URL, api_token: str = dlt.secrets.value,
              start: str | None = None, end: str | None = None,
              lookback_days: int = s.DEFAULT_LOOKBACK_DAYS,
              retry: RetryPolicy | None = None) -> list[DltResource]:
    """Incidents created since `start` (then since the cursor minus a lookback), log entries."""
    client = pagerduty_client(base_url, api_token, s.SECRET, retry)
    cursor = dlt.sources.incremental("created_at", initial_value=None, lag=lookback_days * 86400)
    listed = incident_list(client, start, end, lookback_days, created_at=cursor)
    return [listed, listed | log_entries(client)]


@dlt.resource(name="incidents", primary_key=s.INCIDENT_KEY, write_disposition="merge",
              columns=s.INCIDENT_COLUMNS)
def incident_list(client: ApiClient, start: str | None, end: str | None, lookback_days: int,
                  created_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
                      "created_at", initial_value=None)) -> Iterator[list[dict]]:
    """Incidents in the window, oldest first, 100 a page."""
    params = window(created_at.start_value, start, end, lookback_days)
    pages = offset_pages(client, "/incidents", "incidents", params,
                         check=page_check(s.INCIDENT_COLUMNS, "incidents"))
    yield from only_changed(pages, keep="since", time_field="created_at",
                            since=params.get("since") if created_at.start_value else None)


@dlt.transformer(name="log_entries", primary_key=s.LOG_ENTRY_KEY, write_disposition="merge",
                 columns=s.LOG_ENTRY_COLUMNS)
def log_entries(listed: list[dict], client: ApiClient) -> Iterator[list[dict]]:
    """Log entries of each new or changed incident."""
    for incident in as_records(listed):
        yield from offset_pages(client, f"/incidents/{incident['id']}/log_entries", "log_entries",
                                check=page_check(s.LOG_ENTRY_COLUMNS, "log_entries"))
