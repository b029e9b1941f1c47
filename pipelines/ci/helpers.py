"""GitHub Actions calls: runs created since a date, jobs of every attempt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from pipelines.ci.settings import WORKFLOW_JOB_COLUMNS, WORKFLOW_RUN_COLUMNS
from pipelines.common import ApiClient, github_pages
from pipelines.common.validate import page_check


def created_since(cursor: str | None, lookback_days: int) -> dict[str, str]:
    """The `created=>=YYYY-MM-DD` filter for runs at or after the cursor minus the lookback."""
    if not cursor:
        return {}
    start = datetime.fromisoformat(cursor.replace("Z", "+00:00")).astimezone(UTC)
    return {"created": f">={(start - timedelta(days=lookback_days)).date().isoformat()}"}


def runs(client: ApiClient, repo: str, params: dict[str, str]) -> Iterator[list[dict]]:
    """Pages of workflow runs of a repo, with the repo column added."""
    for page in github_pages(client, f"/repos/{repo}/actions/runs", params, key="workflow_runs",
                             check=page_check(WORKFLOW_RUN_COLUMNS, "workflow_runs")):
        yield [{**run, "repo_full_name": repo} for run in page]


def jobs(client: ApiClient, repo: str, run_id: int) -> list[dict]:
    """Jobs of every attempt of one run, with the repo column added."""
    return [{**job, "repo_full_name": repo}
            for page in github_pages(client, f"/repos/{repo}/actions/runs/{run_id}/jobs",
                                     {"filter": "all"}, key="jobs",
                                     check=page_check(WORKFLOW_JOB_COLUMNS, "jobs"))
            for job in page]
