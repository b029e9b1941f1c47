"""PagerDuty calls: the incident window and the paged lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipelines.common import ApiClient, RetryPolicy, pagerduty_token
from pipelines.incidents.settings import ACCEPT


def pagerduty_client(base_url: str, token: str, secret: str,
                     retry: RetryPolicy | None) -> ApiClient:
    """A client for api.pagerduty.com (or the simulator): `Authorization: Token token=…`."""
    return ApiClient("incidents", base_url, pagerduty_token(token, secret), policy=retry,
                     accept=ACCEPT)


def window(cursor: str | None, start: str | None, end: str | None,
           lookback_days: int) -> dict[str, str]:
    """The `since`/`until` (or `date_range=all`) query for incidents to (re-)read."""
    params = {"time_zone": "UTC", "total": "true"}
    if cursor:
        since = datetime.fromisoformat(cursor.replace("Z", "+00:00")).astimezone(UTC)
        params["since"] = (since - timedelta(days=lookback_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif start:
        params["since"] = start
    else:
        params["date_range"] = "all"
    if end:
        params["until"] = end
    return params
