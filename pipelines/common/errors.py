"""Errors a source raises: each names the source, the endpoint and what to do, never a token."""

from __future__ import annotations


class SourceError(Exception):
    """A source failed; the message is complete and safe to print."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class SourceConfigError(SourceError):
    """The configuration cannot work (bad base_url, missing setting)."""


class SourceAuthError(SourceError):
    """The API refused the credentials (401, or a 403 that is not a rate limit)."""

    def __init__(self, source: str, status: str, endpoint: str, secret: str) -> None:
        env = "SOURCES__" + "__".join(part.upper() for part in secret.split(".")[1:])
        super().__init__(source, f"the API answered {status} for {endpoint} — set {secret} "
                                 f"(env {env})")
        self.status = status
        self.endpoint = endpoint
        self.secret = secret


class SourceHTTPError(SourceError):
    """A request failed for good: a non-retryable status, or retries exhausted."""

    def __init__(self, source: str, endpoint: str, status: int | None, detail: str) -> None:
        shown = f"HTTP {status}" if status is not None else "no response"
        super().__init__(source, f"{endpoint} failed with {shown}: {detail}")
        self.endpoint = endpoint
        self.status = status


class SourceMalformedError(SourceError):
    """The API answered something that is not the JSON shape the source expects."""

    def __init__(self, source: str, where: str, detail: str) -> None:
        super().__init__(source, f"malformed response from {where}: {detail}")
        self.where = where
