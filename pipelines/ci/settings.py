"""CI (GitHub Actions) source settings: tables, keys, column hints."""

from __future__ import annotations

from pipelines.common.hints import columns, user

DEFAULT_BASE_URL = "https://api.github.com"
SECRET = "sources.ci.access_token"
# GitHub Actions is part of GitHub's REST API: the same pinned version (docs/sources/ci.md)
API_VERSION = "2022-11-28"
DEFAULT_LOOKBACK_DAYS = 2  # re-read runs created this far before the cursor (re-runs, status)

WORKFLOW_RUN_KEY = ("id",)
WORKFLOW_RUN_COLUMNS = columns({
    "id": "bigint", "name": "text", "workflow_id": "bigint", "head_branch": "text",
    "head_sha": "text", "event": "text", "status": "text", "conclusion": "text",
    "run_number": "bigint", "run_attempt": "bigint", "created_at": "timestamp",
    "updated_at": "timestamp", "run_started_at": "timestamp", **user("actor"),
    "repository__full_name": "text", "repo_full_name": "text",
}, WORKFLOW_RUN_KEY)

WORKFLOW_JOB_KEY = ("id",)
WORKFLOW_JOB_COLUMNS = columns({
    "id": "bigint", "run_id": "bigint", "run_attempt": "bigint", "name": "text",
    "head_sha": "text", "status": "text", "conclusion": "text", "created_at": "timestamp",
    "started_at": "timestamp", "completed_at": "timestamp", "repo_full_name": "text",
}, WORKFLOW_JOB_KEY)
