"""Incidents (PagerDuty REST v2) source settings: tables, keys, column hints."""

from __future__ import annotations

from pipelines.common.hints import columns

DEFAULT_BASE_URL = "https://api.pagerduty.com"
SECRET = "sources.incidents.api_token"
# PagerDuty REST API v2, pinned through the versioned Accept header (docs/sources/incidents.md)
ACCEPT = "application/vnd.pagerduty+json;version=2"
DEFAULT_LOOKBACK_DAYS = 7  # re-read incidents created this far before the cursor (resolutions)

INCIDENT_KEY = ("id",)
INCIDENT_COLUMNS = columns({
    "id": "text", "type": "text", "incident_number": "bigint", "title": "text", "status": "text",
    "urgency": "text", "priority__id": "text", "priority__summary": "text", "service__id": "text",
    "service__summary": "text", "service__type": "text", "incident_type__name": "text",
    "created_at": "timestamp", "last_status_change_at": "timestamp", "resolved_at": "timestamp",
    "html_url": "text",
}, INCIDENT_KEY)

LOG_ENTRY_KEY = ("id",)
LOG_ENTRY_COLUMNS = columns({
    "id": "text", "type": "text", "created_at": "timestamp", "agent__id": "text",
    "agent__type": "text", "agent__summary": "text", "channel__type": "text",
    "incident__id": "text", "incident__type": "text", "summary": "text",
}, LOG_ENTRY_KEY)
