"""What is configured for each source (dlt config, secrets, environment) and its API client.

`doctor` and `ownership` read the same settings the pipelines read (`sources.<source>.base_url`,
the source's secret, `repos` for GitHub and CI) and build their clients with the sources' own
client factories, so they talk to an API exactly the way `breadcrumbs ingest` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import dlt

from pipelines.ci import settings as ci_settings
from pipelines.common import ApiClient, RetryPolicy, bearer
from pipelines.github import settings as github_settings
from pipelines.github.helpers import github_client
from pipelines.incidents import settings as incidents_settings
from pipelines.incidents.helpers import pagerduty_client
from pipelines.revenue import settings as revenue_settings
from pipelines.revenue.helpers import stripe_client
from pipelines.signals import settings as signals_settings

SOURCES = ("github", "ci", "incidents", "revenue", "signals")
SETTINGS = {"github": github_settings, "ci": ci_settings, "incidents": incidents_settings,
            "revenue": revenue_settings, "signals": signals_settings}
SECRET_FIELDS = {"github": "access_token", "ci": "access_token", "incidents": "api_token",
                 "revenue": "api_key", "signals": "bearer_token"}
REPO_SOURCES = ("github", "ci")
# Secrets that look like these are masked wherever they appear in a message.
TOKEN_SHAPES = re.compile(r"\b(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9*]{4,}"
                          r"|gh[pousr]_[A-Za-z0-9]{8,}|github_pat_[A-Za-z0-9_]{8,})")


@dataclass(frozen=True)
class SourceConfig:
    """One source's settings as the pipelines would read them (the token never in repr)."""

    name: str
    base_url: str
    token: str | None = field(repr=False)
    repos: tuple[str, ...] = ()
    repos_error: str | None = None  # `repos` is set but unreadable

    @property
    def secret(self) -> str:
        """The config name of the secret, e.g. `sources.github.access_token`."""
        return f"sources.{self.name}.{SECRET_FIELDS[self.name]}"

    @property
    def secret_env(self) -> str:
        """The environment variable of the secret."""
        return f"SOURCES__{self.name.upper()}__{SECRET_FIELDS[self.name].upper()}"

    @property
    def configured(self) -> bool:
        """True when the user set this source up: its secret, (GitHub, CI) its repos, or a
        base_url other than the API's public one."""
        moved = self.base_url.rstrip("/") != SETTINGS[self.name].DEFAULT_BASE_URL
        return bool(self.token) or bool(self.repos) or bool(self.repos_error) or moved


def parse_repos(value: object) -> tuple[str, ...]:
    """`owner/name` entries of a `repos` setting (a list, a JSON list or a comma list)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise ValueError(f"not a JSON list ({exc.msg})") from None
        else:
            value = [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, Iterable) or isinstance(value, dict):
        raise ValueError(f"expected a list of \"owner/name\", got {type(value).__name__}")
    names = tuple(str(item).strip() for item in value)
    bad = [n for n in names if n.count("/") != 1 or not all(n.split("/"))]
    if bad:
        raise ValueError(f"expected \"owner/name\" entries, got {', '.join(map(repr, bad))}")
    return names


def source_config(name: str) -> SourceConfig:
    """The settings of one source from dlt's config providers (env, .dlt/*.toml)."""
    base_url = dlt.config.get(f"sources.{name}.base_url") or SETTINGS[name].DEFAULT_BASE_URL
    token = dlt.secrets.get(f"sources.{name}.{SECRET_FIELDS[name]}")
    repos: tuple[str, ...] = ()
    problem = None
    if name in REPO_SOURCES:
        try:
            repos = parse_repos(dlt.config.get(f"sources.{name}.repos"))
        except ValueError as exc:
            problem = f"sources.{name}.repos: {exc}"
    return SourceConfig(name, str(base_url), str(token) if token else None, repos, problem)


def api_client(config: SourceConfig, retry: RetryPolicy | None = None) -> ApiClient:
    """The client the source itself would build (same auth scheme, Accept, base URL checks)."""
    settings = SETTINGS[config.name]
    if config.name in REPO_SOURCES:
        return github_client(config.name, config.base_url, config.token or "", settings.SECRET,
                             retry)
    if config.name == "incidents":
        return pagerduty_client(config.base_url, config.token or "", settings.SECRET, retry)
    if config.name == "revenue":
        return stripe_client(config.base_url, config.token or "", settings.SECRET, retry,
                             settings.STRIPE_VERSION)
    return ApiClient("signals", config.base_url, bearer(config.token, settings.SECRET),
                     policy=retry)


def version_headers(name: str) -> dict[str, str]:
    """The API version header the source pins (settings.py is its one home)."""
    if name in REPO_SOURCES:
        return {"X-GitHub-Api-Version": SETTINGS[name].API_VERSION}
    if name == "revenue":
        return {"Stripe-Version": revenue_settings.STRIPE_VERSION}
    return {}  # PagerDuty's version is in the client's Accept; Prometheus has one API


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every given secret (and anything shaped like an API key) masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return TOKEN_SHAPES.sub("***", text)
