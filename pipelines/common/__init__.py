"""Shared HTTP plumbing for the dlt sources: client with retries, auth, paginators, errors."""

from pipelines.common.auth import Auth, basic_key, bearer, pagerduty_token
from pipelines.common.client import ApiClient
from pipelines.common.errors import (
    SourceAuthError,
    SourceConfigError,
    SourceError,
    SourceHTTPError,
    SourceMalformedError,
)
from pipelines.common.paginators import github_pages, offset_pages, stripe_pages
from pipelines.common.retry import RetryPolicy

__all__ = [
    "ApiClient", "Auth", "RetryPolicy", "SourceAuthError", "SourceConfigError", "SourceError",
    "SourceHTTPError", "SourceMalformedError", "basic_key", "bearer", "github_pages",
    "offset_pages", "pagerduty_token", "stripe_pages",
]
