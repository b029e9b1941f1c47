"""`breadcrumbs doctor`: one request per configured source, one line each, the fix if it fails.

Each check builds the source's own client (same base URL rules, auth scheme and Accept header
as `breadcrumbs ingest`), sends the API version the source pins, and reads the answer the way
the real API gives it: 401 (token), 403/404 (scopes, permissions, repository access), 400 (an
API version the server does not accept), the version the server answered with. No line ever
carries a token: every message goes through `connections.redact`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dlt
import requests

from breadcrumbs.connections import (
    SETTINGS,
    SOURCES,
    SourceConfig,
    api_client,
    redact,
    source_config,
    version_headers,
)
from pipelines.common import RetryPolicy, SourceError
from pipelines.common.client import error_detail

TIMEOUT = (5.0, 20.0)
TOKEN_HELP = {
    "github": "a fine-grained token with read access to Metadata, Contents, Pull requests, "
              "Deployments and Issues of the repos (classic: `repo` scope)",
    "ci": "a fine-grained token with read access to Actions and Metadata of the repos "
          "(classic: `repo` scope)",
    "incidents": "a PagerDuty read-only REST API key (Integrations → API Access Keys)",
    "revenue": "a Stripe restricted key with Read on Customers, Subscriptions, Invoices, "
               "Credit notes, Products and Prices",
    "signals": "the bearer token of the proxy in front of Prometheus",
}
PROBES = {
    "github": ("pull requests of {repo}", "/repos/{repo}/pulls",
               {"state": "all", "per_page": "1"}),
    "ci": ("workflow runs of {repo}", "/repos/{repo}/actions/runs", {"per_page": "1"}),
    "incidents": ("incidents", "/incidents", {"limit": "1"}),
    "revenue": ("customers", "/v1/customers", {"limit": "1"}),
    "signals": ("build info", "/api/v1/status/buildinfo", None),
}


@dataclass(frozen=True)
class Check:
    """The outcome of one source's check: `status` is ok, fail or skip."""

    source: str
    status: str
    message: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def line(self) -> str:
        return f"{self.source:<10} {self.status.upper():<5} {self.message}"


def doctor(sources: list[str] | None = None) -> list[Check]:
    """Check the given sources (default: all six) as configured; one Check each."""
    return [check_cloud_cost() if name == "cloud_cost" else check_source(source_config(name))
            for name in sources or (*SOURCES, "cloud_cost")]


def check_cloud_cost() -> Check:
    """The FOCUS exports: list `sources.cloud_cost.bucket_url` the way the source does and
    count the export files (CSV, CSV.GZ, Parquet) it would read."""
    from dlt.sources.filesystem import filesystem

    from pipelines.cloud_cost.helpers import is_export

    url = dlt.config.get("sources.cloud_cost.bucket_url")
    if not url:
        return Check("cloud_cost", "skip", "not configured (set sources.cloud_cost.bucket_url, "
                                           "env SOURCES__CLOUD_COST__BUCKET_URL, to check it)")
    url = str(url).strip()
    glob = dlt.config.get("sources.cloud_cost.file_glob") or "**/*"
    if "://" not in url or url.startswith("file://"):
        folder = Path(url.removeprefix("file://"))
        if not folder.is_dir():
            return Check("cloud_cost", "fail", f"{folder} is not a folder — set "
                                               "sources.cloud_cost.bucket_url to the folder "
                                               "the FOCUS exports are delivered to")
    try:
        files = [item["relative_path"] for page in filesystem(bucket_url=url, file_glob=glob)
                 for item in (page if isinstance(page, list) else [page])
                 if is_export(item["relative_path"])]
    except Exception as exc:  # noqa: BLE001 - credentials, network, unknown protocol
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        return Check("cloud_cost", "fail", redact(
            f"cannot list {url} ({type(exc).__name__}: {detail}) — check "
            "sources.cloud_cost.bucket_url and sources.cloud_cost.credentials", []))
    if not files:
        return Check("cloud_cost", "ok", f"{url} is reachable but holds no FOCUS export yet "
                                         "(*.csv, *.csv.gz, *.parquet)")
    return Check("cloud_cost", "ok", f"{len(files)} FOCUS export file(s) under {url}")


def check_source(config: SourceConfig) -> Check:
    """One request to one source, read into ok / fail (with the fix) / skip."""
    if not config.configured:
        return Check(config.name, "skip", f"not configured (set {config.secret}, env "
                                          f"{config.secret_env}, to check it)")
    try:
        return _probe(config)
    except SourceError as exc:  # the client refused the configuration (base_url, no token)
        return Check(config.name, "fail", redact(str(exc).removeprefix(f"{config.name}: "),
                                                 [config.token]))
    except Exception as exc:  # noqa: BLE001 - anything else is one redacted line too
        return Check(config.name, "fail", redact(f"unexpected {type(exc).__name__}: {exc}",
                                                 [config.token]))


def _probe(config: SourceConfig) -> Check:
    name = config.name
    if config.repos_error:
        return Check(name, "fail", f"{config.repos_error} — set it to a list of \"owner/name\"")
    if name in ("github", "ci") and not config.repos:
        return Check(name, "fail", f"no repos: set sources.{name}.repos to a list of "
                                   "\"owner/name\" (env SOURCES__"
                                   f"{name.upper()}__REPOS='[\"owner/name\"]')")
    client = api_client(config, RetryPolicy(max_retries=0))
    session = client.session
    what, path, params = PROBES[name]
    repo = config.repos[0] if config.repos else ""
    what, path = what.format(repo=repo), path.format(repo=repo)
    headers = {"Authorization": client.auth.header, **version_headers(name)}
    host = urlsplit(client.base_url).netloc
    try:
        response = session.get(client.url(path), params=params, headers=headers,
                               timeout=TIMEOUT, allow_redirects=False)
        if name == "signals" and response.status_code == 404:  # not Prometheus ≥ 2.14
            what, path = "a one-point query", "/api/v1/query"
            response = session.get(client.url(path), params={"query": "1"},
                                   headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except (requests.ConnectionError, requests.Timeout) as exc:
        return Check(name, "fail", f"cannot reach {host} ({type(exc).__name__}) — check "
                                   f"sources.{name}.base_url ({client.base_url}) and the network")
    check = read_answer(config, response, what, path, client.base_url)
    return Check(check.source, check.status, redact(check.message, [config.token]))


def read_answer(config: SourceConfig, response: requests.Response, what: str, path: str,
                base_url: str) -> Check:
    """Turn the one answer into a Check, per API."""
    name, status, headers = config.name, response.status_code, response.headers
    fix_token = (f"set {config.secret} (env {config.secret_env}) to {TOKEN_HELP[name]}")
    detail = error_detail(response) if status >= 400 else ""
    if status == 401:
        return Check(name, "fail", f"the token was refused (401 on GET {path}: {detail}) — "
                                   f"{fix_token}")
    if status == 429 or (status == 403 and headers.get("X-RateLimit-Remaining") == "0"):
        wait = headers.get("Retry-After") or headers.get("X-RateLimit-Reset") or "?"
        return Check(name, "fail", f"rate limited ({status} on GET {path}; retry after/at "
                                   f"{wait}) — wait and run doctor again")
    if status == 403:
        return Check(name, "fail", forbidden(config, headers, what, path, detail, fix_token))
    if status == 404:
        return Check(name, "fail", not_found(config, response, what, path, base_url))
    if status == 400 and "version" in detail.lower():
        return Check(name, "fail", version_refused(config, detail))
    if 300 <= status < 400:
        return Check(name, "fail", f"GET {path} was redirected ({status} to "
                                   f"{headers.get('Location', '?')}) — set sources.{name}."
                                   "base_url to the API's root URL")
    if status >= 400:
        return Check(name, "fail", f"GET {path} answered {status}: {detail} — check sources."
                                   f"{name}.base_url ({base_url})")
    try:
        body = response.json()
    except ValueError:
        body = None
    shape = SHAPES[name](body)
    if shape is not None:
        return Check(name, "fail", f"GET {path} answered 200 but not {shape} — is "
                                   f"sources.{name}.base_url ({base_url}) the API's root?")
    return answered_ok(config, headers, body, what, base_url)


def forbidden(config: SourceConfig, headers: Any, what: str, path: str, detail: str,
              fix_token: str) -> str:
    """The fix for a 403: the missing scope or permission, as the API names it."""
    if config.name in ("github", "ci"):
        sso = headers.get("X-GitHub-SSO")
        if sso:
            return (f"the token is not authorized for the organisation's SAML SSO (403 on "
                    f"{what}) — authorize it: {sso.partition('url=')[2] or sso}")
        wanted = headers.get("X-Accepted-GitHub-Permissions")
        if wanted:
            return (f"the fine-grained token lacks a permission for {what} (403; GitHub "
                    f"accepts {wanted}) — grant it read access and include the repository")
        scopes = headers.get("X-OAuth-Scopes")
        if scopes is not None:
            return (f"the classic token's scopes ({scopes or 'none'}) do not allow {what} "
                    f"(403) — add the `repo` scope, or {fix_token}")
    if config.name == "revenue":
        return (f"the key may not read {what} (403: {detail}) — {fix_token}")
    if config.name == "incidents":
        return (f"the token may not read {what} (403: {detail}) — use a read-only API key "
                "with access to all services, or a user token of a user who can see them")
    return f"GET {path} was forbidden (403: {detail}) — {fix_token}"


def not_found(config: SourceConfig, response: requests.Response, what: str, path: str,
              base_url: str) -> str:
    """The fix for a 404: a repo the token cannot see, or a wrong base URL."""
    if config.name in ("github", "ci") and is_json(response):  # GitHub's own 404
        repo = config.repos[0]
        return (f"{repo} is not visible to this token (404 on {what}) — check the name in "
                f"sources.{config.name}.repos; a fine-grained token must list it under "
                f"Repository access, a classic token needs `repo` for private repos")
    return (f"GET {path} is not found at {base_url} (404) — set sources.{config.name}."
            f"base_url to the API's root (default {SETTINGS[config.name].DEFAULT_BASE_URL})")


def is_json(response: requests.Response) -> bool:
    try:
        response.json()
    except ValueError:
        return False
    return True


def version_refused(config: SourceConfig, detail: str) -> str:
    """The fix for a 400 about the API version the source pins."""
    if config.name in ("github", "ci"):
        sent = version_headers(config.name)["X-GitHub-Api-Version"]
        return (f"the server does not accept X-GitHub-Api-Version {sent} (400: {detail}) — "
                "GitHub Enterprise Server needs 3.9 or later; upgrade it or point "
                f"sources.{config.name}.base_url at api.github.com")
    if config.name == "revenue":
        sent = version_headers("revenue")["Stripe-Version"]
        return (f"Stripe does not accept Stripe-Version {sent} (400: {detail}) — this "
                "breadcrumbs needs that version: check the base_url is Stripe's API")
    return f"the API refused the request's version (400: {detail})"


def answered_ok(config: SourceConfig, headers: Any, body: Any, what: str,
                base_url: str) -> Check:
    """An ok line, or a fail when the server answered with another API version."""
    name = config.name
    if name in ("github", "ci"):
        pinned = version_headers(name)["X-GitHub-Api-Version"]
        selected = headers.get("X-GitHub-Api-Version-Selected")
        if selected and selected != pinned:
            return Check(name, "fail", f"GitHub answered with API version {selected}, not the "
                                       f"pinned {pinned} — check sources.{name}.base_url")
        scopes = headers.get("X-OAuth-Scopes")
        token = f"; classic token scopes: {scopes or 'none'}" if scopes is not None else ""
        return Check(name, "ok", f"{base_url}: {what} readable, X-GitHub-Api-Version "
                                 f"{pinned}{token}")
    if name == "revenue":
        pinned = version_headers("revenue")["Stripe-Version"]
        answered = headers.get("Stripe-Version")
        if answered and answered != pinned:
            return Check(name, "fail", f"Stripe answered with API version {answered}, not the "
                                       f"pinned {pinned} — check sources.revenue.base_url")
        key = config.token or ""
        mode = " (live mode)" if key.startswith(("sk_live_", "rk_live_")) else \
            " (test mode)" if key.startswith(("sk_test_", "rk_test_")) else ""
        return Check(name, "ok", f"{base_url}: {what} readable, Stripe-Version {pinned}{mode}")
    if name == "incidents":
        return Check(name, "ok", f"{base_url}: {what} readable, Accept "
                                 f"{SETTINGS[name].ACCEPT}")
    version = body.get("data", {}).get("version") if isinstance(body.get("data"), dict) \
        else None
    shown = f"Prometheus {version}" if version else "query API answering"
    return Check(name, "ok", f"{base_url}: {shown}")


def _github_list(body: Any) -> str | None:
    return None if isinstance(body, list) else "a JSON list of pull requests"


def _ci_runs(body: Any) -> str | None:
    ok = isinstance(body, dict) and isinstance(body.get("workflow_runs"), list)
    return None if ok else "GitHub's workflow runs object"


def _pagerduty(body: Any) -> str | None:
    ok = isinstance(body, dict) and isinstance(body.get("incidents"), list)
    return None if ok else "PagerDuty's incidents object"


def _stripe(body: Any) -> str | None:
    ok = isinstance(body, dict) and body.get("object") == "list"
    return None if ok else "a Stripe list object"


def _prometheus(body: Any) -> str | None:
    ok = isinstance(body, dict) and body.get("status") == "success"
    return None if ok else "a Prometheus API answer"


SHAPES: dict[str, Callable[[Any], str | None]] = {
    "github": _github_list, "ci": _ci_runs, "incidents": _pagerduty, "revenue": _stripe,
    "signals": _prometheus,
}
