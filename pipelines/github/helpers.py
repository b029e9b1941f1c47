"""GitHub calls: the client, configured repo names, PR list + detail fetches, paged lists."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.common import ApiClient, RetryPolicy, SourceConfigError, bearer, github_pages
from pipelines.common.validate import page_check, record_check
from pipelines.github.settings import ACCEPT, API_VERSION, PULL_REQUEST_COLUMNS, VERSION_HEADER


def github_client(source: str, base_url: str, token: str, secret: str,
                  retry: RetryPolicy | None, api_version: str = API_VERSION) -> ApiClient:
    """A client for api.github.com (or the simulator) with a bearer token, pinned to
    `api_version` (sent as X-GitHub-Api-Version)."""
    return ApiClient(source, base_url, bearer(token, secret), policy=retry, accept=ACCEPT,
                     headers={VERSION_HEADER: api_version})


def repo_names(source: str, repos: list[str] | str | None) -> list[str]:
    """The configured `owner/name` list, checked."""
    if isinstance(repos, str):
        repos = [r.strip() for r in repos.split(",") if r.strip()]
    names = list(repos or [])
    bad = [r for r in names if r.count("/") != 1 or not all(r.split("/"))]
    if not names or bad:
        raise SourceConfigError(source, f"set sources.{source}.repos to a list of \"owner/name\" "
                                        f"(got {bad or names!r})")
    return names


def pull_requests_since(client: ApiClient, repo: str, cursor: str | None) -> Iterator[dict]:
    """PRs updated at or after `cursor`, newest update first, in their detail shape."""
    for page in github_pages(client, f"/repos/{repo}/pulls",
                             {"state": "all", "sort": "updated", "direction": "desc"},
                             check=page_check(PULL_REQUEST_COLUMNS)):
        for listed in page:
            if cursor and (listed.get("updated_at") or "") < cursor:
                return
            detail, _ = client.get_json(f"/repos/{repo}/pulls/{listed['number']}",
                                        check=record_check(PULL_REQUEST_COLUMNS))
            yield {**detail, "repo_full_name": repo}


def all_pages(client: ApiClient, path: str, columns: dict[str, dict],
              params: dict | None = None) -> Iterator[dict]:
    """Every record of a paginated GitHub list, checked against the table's column types."""
    for page in github_pages(client, path, params, check=page_check(columns)):
        yield from page

