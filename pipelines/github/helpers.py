"""GitHub calls: repo names, list/detail fetches, and the context columns the API omits."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.common import ApiClient, RetryPolicy, SourceConfigError, bearer, github_pages
from pipelines.github.settings import ACCEPT


def github_client(source: str, base_url: str, token: str, secret: str,
                  retry: RetryPolicy | None) -> ApiClient:
    """A client for api.github.com (or the simulator) with a bearer token."""
    return ApiClient(source, base_url, bearer(token, secret), policy=retry, accept=ACCEPT)


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
                             {"state": "all", "sort": "updated", "direction": "desc"}):
        for listed in page:
            if cursor and (listed.get("updated_at") or "") < cursor:
                return
            detail, _ = client.get_json(f"/repos/{repo}/pulls/{listed['number']}")
            yield {**detail, "repo_full_name": repo}


def all_pages(client: ApiClient, path: str, params: dict | None = None,
              key: str | None = None) -> Iterator[dict]:
    """Every record of a paginated GitHub list."""
    for page in github_pages(client, path, params, key):
        yield from page

