"""GitHub Actions: workflow runs (with `run_attempt`) and the jobs of every attempt."""

from __future__ import annotations

from collections.abc import Iterator

import dlt
from dlt.sources import DltResource

from pipelines.ci import helpers
from pipelines.ci import settings as s
from pipelines.common import ApiClient, RetryPolicy
from pipelines.common.records import as_records
from pipelines.common.unchanged import only_changed
from pipelines.github.helpers import github_client, repo_names


@dlt.source(name="ci")
def ci(repos: list[str] = dlt.config.value, base_url: str = s.DEFAULT_BASE_URL,
       access_token: str = dlt.secrets.value, lookback_days: int = s.DEFAULT_LOOKBACK_DAYS,
       retry: RetryPolicy | None = None) -> list[DltResource]:
    """Workflow runs created since the cursor (minus a lookback) and their jobs."""
    client = github_client("ci", base_url, access_token, s.SECRET, retry, s.API_VERSION)
    cursor = dlt.sources.incremental("created_at", initial_value=None, lag=lookback_days * 86400)
    runs = workflow_runs(client, repo_names("ci", repos), lookback_days, created_at=cursor)
    return [runs, runs | workflow_jobs(client)]


@dlt.resource(name="workflow_runs", primary_key=s.WORKFLOW_RUN_KEY, write_disposition="merge",
              columns=s.WORKFLOW_RUN_COLUMNS)
def workflow_runs(client: ApiClient, repos: list[str], lookback_days: int,
                  created_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
                      "created_at", initial_value=None)) -> Iterator[list[dict]]:
    """Runs created on or after the cursor's date minus `lookback_days` (re-runs update them)."""
    params = helpers.created_since(created_at.start_value, lookback_days)
    pages = (page for repo in repos for page in helpers.runs(client, repo, params))
    yield from only_changed(pages, keep="since", time_field="created_at",
                            since=params.get("created", "").removeprefix(">=") or None)


@dlt.transformer(name="workflow_jobs", primary_key=s.WORKFLOW_JOB_KEY, write_disposition="merge",
                 columns=s.WORKFLOW_JOB_COLUMNS)
def workflow_jobs(runs: list[dict], client: ApiClient) -> Iterator[list[dict]]:
    """Jobs of each new or changed run (`filter=all`: every attempt)."""
    for run in as_records(runs):
        yield helpers.jobs(client, run["repo_full_name"], run["id"])
