"""A small JSON-over-HTTP client for one source: base URL checks, auth, bounded retries."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from pipelines.common.auth import Auth
from pipelines.common.errors import (
    SourceAuthError,
    SourceConfigError,
    SourceHTTPError,
    SourceMalformedError,
)
from pipelines.common.retry import RetryPolicy, is_rate_limited, should_retry

log = logging.getLogger("breadcrumbs.pipelines")
USER_AGENT = "breadcrumbs-dlt/0.1"


def is_loopback_host(host: str | None) -> bool:
    """True for localhost and loopback addresses."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(source: str, base_url: str, auth: Auth) -> str:
    """The base URL without a trailing slash; refuses non-http(s) and tokens over plain http."""
    parts = urlsplit(base_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceConfigError(source, f"base_url must be an http(s) URL, got {base_url!r} "
                                        f"(set sources.{source}.base_url)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SourceConfigError(source, "base_url must not carry a query, fragment or "
                                        f"credentials (set sources.{source}.base_url)")
    if parts.scheme == "http" and auth and not is_loopback_host(parts.hostname):
        raise SourceConfigError(source, f"refusing to send {auth.secret} over plain http to "
                                        f"{parts.hostname}; use an https base_url")
    return base_url.rstrip("/")


def error_detail(response: requests.Response) -> str:
    """The API's own error message, shortened (never request headers)."""
    try:
        body = response.json()
    except ValueError:
        return (response.reason or "").strip() or "no details"
    if isinstance(body, dict):
        error = body.get("error")
        for candidate in (body.get("message"), error.get("message") if isinstance(
                error, dict) else error):
            if isinstance(candidate, str) and candidate:
                return candidate[:200]
    return response.reason or "no details"


class ApiClient:
    """GET JSON from one API with retries on 429/5xx/connection errors and clear errors."""

    def __init__(self, source: str, base_url: str, auth: Auth, *,
                 policy: RetryPolicy | None = None, accept: str = "application/json",
                 headers: dict[str, str] | None = None,
                 timeout: tuple[float, float] = (10.0, 120.0),
                 session: requests.Session | None = None) -> None:
        self.source = source
        self.auth = auth
        self.base_url = check_base_url(source, base_url, auth)
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self.session = session or requests.Session()
        # the API version the source was written for rides on every request (Accept for
        # PagerDuty, X-GitHub-Api-Version for GitHub), so the account serves exactly its shapes
        self.session.headers.update({"Accept": accept, "User-Agent": USER_AGENT,
                                     **(headers or {})})
        self._origin = urlsplit(self.base_url)
        if not auth:
            raise SourceConfigError(source, f"no credentials: set {auth.secret}")

    def __repr__(self) -> str:
        return f"ApiClient(source={self.source!r}, base_url={self.base_url!r})"

    def url(self, target: str) -> str:
        """Absolute URL for a path (relative to base_url) or a same-origin absolute URL."""
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            if (parts.scheme, parts.netloc) != (self._origin.scheme, self._origin.netloc):
                raise SourceHTTPError(self.source, self.endpoint(target), None,
                                      f"refusing to follow a link to another host "
                                      f"({parts.netloc})")
            return target
        return self.base_url + "/" + target.lstrip("/")

    def endpoint(self, url: str, with_query: bool = False) -> str:
        """`GET /path` relative to base_url, for messages."""
        parts = urlsplit(url)
        path = parts.path
        base_path = self._origin.path.rstrip("/")
        if base_path and path.startswith(base_path):
            path = path[len(base_path):] or "/"
        query = f"?{parts.query}" if with_query and parts.query else ""
        return f"GET {path}{query}"

    def get_json(self, target: str, params: dict[str, Any] | None = None,
                 check: Callable[[Any], str | None] | None = None
                 ) -> tuple[Any, requests.Response]:
        """GET and decode JSON, retrying transient failures; returns (data, response).

        `check(data)` may name a problem with the body (a wrong-typed field): the request is
        retried like a truncated body, and the problem is raised once retries run out."""
        url = self.url(target)
        endpoint = self.endpoint(url)
        attempts = self.policy.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout,
                                            headers={"Authorization": self.auth.header})
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise SourceHTTPError(self.source, endpoint, None,
                                          f"{type(exc).__name__} after {attempts} attempts "
                                          "(is the API reachable?)") from None
                self._wait(self.policy.backoff(attempt), endpoint, type(exc).__name__, attempt)
                continue
            status, headers = response.status_code, response.headers
            if status == 401 or (status == 403 and not is_rate_limited(status, headers)):
                raise SourceAuthError(self.source, f"{status} {response.reason or ''}".strip(),
                                      endpoint, self.auth.secret)
            if should_retry(status, headers):
                if last:
                    raise SourceHTTPError(self.source, endpoint, status,
                                          f"{error_detail(response)} (gave up after "
                                          f"{attempts} attempts)")
                wait = self.policy.server_wait(status, headers)
                self._wait(self.policy.backoff(attempt) if wait is None else wait,
                           endpoint, f"HTTP {status}", attempt)
                continue
            if status >= 400:
                raise SourceHTTPError(self.source, endpoint, status, error_detail(response))
            try:
                data = response.json()
            except ValueError as exc:
                problem = f"invalid JSON ({exc})"
            else:
                problem = check(data) if check else None
                if problem is None:
                    return data, response
            if last:
                raise SourceMalformedError(self.source, self.endpoint(response.url, True),
                                           f"{problem} (after {attempts} attempts)")
            self._wait(self.policy.backoff(attempt), endpoint, problem, attempt)
        raise AssertionError("unreachable")

    def _wait(self, seconds: float, endpoint: str, why: str, attempt: int) -> None:
        log.warning("%s: %s for %s; retrying in %.1f s (retry %d of %d)", self.source, why,
                    endpoint, seconds, attempt + 1, self.policy.max_retries)
        self.policy.sleep(seconds)
