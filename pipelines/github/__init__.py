"""GitHub REST v3: pull requests (reviews, commits), commits, deployments (statuses), releases,
issues (work items: labels, milestone, closed_at) and milestones (due_on)."""

from __future__ import annotations

from collections.abc import Iterator

import dlt
from dlt.sources import DltResource

from pipelines.common import ApiClient, RetryPolicy, github_pages
from pipelines.common.records import as_records
from pipelines.common.records import with_context as ctx
from pipelines.common.unchanged import only_changed
from pipelines.common.validate import page_check
from pipelines.github import settings as s
from pipelines.github.helpers import all_pages, github_client, pull_requests_since, repo_names


@dlt.source(name="github")
def github(repos: list[str] = dlt.config.value, base_url: str = s.DEFAULT_BASE_URL,
           access_token: str = dlt.secrets.value,
           retry: RetryPolicy | None = None) -> list[DltResource]:
    """Pull requests with reviews and commits, default-branch commits, deployments, releases,
    issues and milestones."""
    client = github_client("github", base_url, access_token, s.SECRET, retry)
    names = repo_names("github", repos)
    pulls = pull_requests(client, names)
    deploys = deployments(client, names)
    return [pulls, pulls | pull_request_reviews(client), pulls | pull_request_commits(client),
            commits(client, names), deploys, deploys | deployment_statuses(client),
            releases(client, names), issues(client, names), milestones(client, names)]


@dlt.resource(name="pull_requests", primary_key=s.PULL_REQUEST_KEY, write_disposition="merge",
              columns=s.PULL_REQUEST_COLUMNS)
def pull_requests(client: ApiClient, repos: list[str],
                  updated_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
                      "updated_at", initial_value=None)) -> Iterator[dict]:
    """PRs (detail shape) updated since the cursor; the list is sorted by update, newest first."""
    for repo in repos:
        yield from pull_requests_since(client, repo, updated_at.start_value)


@dlt.transformer(name="pull_request_reviews", primary_key=s.REVIEW_KEY,
                 write_disposition="merge", columns=s.REVIEW_COLUMNS)
def pull_request_reviews(pulls: list[dict], client: ApiClient) -> Iterator[list[dict]]:
    """Reviews of each changed PR."""
    for pull in as_records(pulls):
        repo, number = pull["repo_full_name"], pull["number"]
        yield ctx(list(all_pages(client, f"/repos/{repo}/pulls/{number}/reviews",
                                 s.REVIEW_COLUMNS)),
                  repo_full_name=repo, pull_request_number=number)


@dlt.transformer(name="pull_request_commits", primary_key=s.PULL_REQUEST_COMMIT_KEY,
                 write_disposition="merge", columns=s.PULL_REQUEST_COMMIT_COLUMNS)
def pull_request_commits(pulls: list[dict], client: ApiClient) -> Iterator[list[dict]]:
    """Commits of each changed PR."""
    for pull in as_records(pulls):
        repo, number = pull["repo_full_name"], pull["number"]
        yield ctx(list(all_pages(client, f"/repos/{repo}/pulls/{number}/commits",
                                 s.PULL_REQUEST_COMMIT_COLUMNS)),
                  repo_full_name=repo, pull_request_number=number)


@dlt.resource(name="commits", primary_key=s.COMMIT_KEY, write_disposition="merge",
              columns=s.COMMIT_COLUMNS)
def commits(client: ApiClient, repos: list[str],
            committed_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
                "commit.committer.date", initial_value=None,
                # `commit.committer` is nullable in GitHub's description: keep such commits
                on_cursor_value_missing="include")) -> Iterator[list[dict]]:
    """Default-branch commits committed since the cursor (`since=`)."""
    params = {"since": committed_at.start_value} if committed_at.start_value else {}
    for repo in repos:
        for page in github_pages(client, f"/repos/{repo}/commits", params,
                                 check=page_check(s.COMMIT_COLUMNS)):
            yield ctx(page, repo_full_name=repo)


@dlt.resource(name="deployments", primary_key=s.DEPLOYMENT_KEY, write_disposition="merge",
              columns=s.DEPLOYMENT_COLUMNS)
def deployments(client: ApiClient, repos: list[str],
                updated_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
                    "updated_at", initial_value=None)) -> Iterator[list[dict]]:
    """Deployments of every environment; only those updated since the cursor are kept."""
    for repo in repos:
        for page in github_pages(client, f"/repos/{repo}/deployments",
                                 check=page_check(s.DEPLOYMENT_COLUMNS)):
            yield ctx(page, repo_full_name=repo)


@dlt.transformer(name="deployment_statuses", primary_key=s.DEPLOYMENT_STATUS_KEY,
                 write_disposition="merge", columns=s.DEPLOYMENT_STATUS_COLUMNS)
def deployment_statuses(deploys: list[dict], client: ApiClient) -> Iterator[list[dict]]:
    """Statuses of each changed deployment."""
    for deployment in as_records(deploys):
        repo, ident = deployment["repo_full_name"], deployment["id"]
        yield ctx(list(all_pages(client, f"/repos/{repo}/deployments/{ident}/statuses",
                                 s.DEPLOYMENT_STATUS_COLUMNS)),
                  repo_full_name=repo, deployment_id=ident)


@dlt.resource(name="releases", primary_key=s.RELEASE_KEY, write_disposition="merge",
              columns=s.RELEASE_COLUMNS)
def releases(client: ApiClient, repos: list[str]) -> Iterator[list[dict]]:
    """Every release (a small list, reread in full; only new and changed ones land)."""
    yield from only_changed(
        ctx(page, repo_full_name=repo) for repo in repos
        for page in github_pages(client, f"/repos/{repo}/releases",
                                 check=page_check(s.RELEASE_COLUMNS)))


@dlt.resource(name="issues", primary_key=s.ISSUE_KEY, write_disposition="merge",
              columns=s.ISSUE_COLUMNS)
def issues(client: ApiClient, repos: list[str],
           updated_at: dlt.sources.incremental[str] = dlt.sources.incremental(  # noqa: B008
               "updated_at", initial_value=None)) -> Iterator[list[dict]]:
    """Issues updated since the cursor (`since=`), open and closed. GitHub lists pull requests
    here too (with a `pull_request` key); they are skipped: the `pull_requests` resource has
    them, and a PR closes an issue through `Closes #N` in its body."""
    params = {"state": "all", "sort": "updated", "direction": "asc"}
    if updated_at.start_value:
        params["since"] = updated_at.start_value
    for repo in repos:
        for page in github_pages(client, f"/repos/{repo}/issues", params,
                                 check=page_check(s.ISSUE_COLUMNS)):
            yield ctx([i for i in page if "pull_request" not in i], repo_full_name=repo)


@dlt.resource(name="milestones", primary_key=s.MILESTONE_KEY, write_disposition="merge",
              columns=s.MILESTONE_COLUMNS)
def milestones(client: ApiClient, repos: list[str]) -> Iterator[list[dict]]:
    """Every milestone, open and closed (a small list, reread in full; only new and changed
    ones land)."""
    yield from only_changed(
        ctx(page, repo_full_name=repo) for repo in repos
        for page in github_pages(client, f"/repos/{repo}/milestones", {"state": "all"},
                                 check=page_check(s.MILESTONE_COLUMNS)))
