"""Authorization headers per API, with reprs that never show the token."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Auth:
    """An Authorization header value and the config name of the secret behind it."""

    secret: str  # config name, e.g. "sources.github.access_token"
    header: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Auth(secret={self.secret!r}, header='***')"

    def __bool__(self) -> bool:
        return bool(self.header)


def bearer(token: str | None, secret: str) -> Auth:
    """`Authorization: Bearer <token>` (GitHub, Stripe, Prometheus behind a proxy)."""
    return Auth(secret, f"Bearer {token}" if token else "")


def pagerduty_token(token: str | None, secret: str) -> Auth:
    """PagerDuty REST v2: `Authorization: Token token=<token>`."""
    return Auth(secret, f"Token token={token}" if token else "")


def basic_key(key: str | None, secret: str) -> Auth:
    """HTTP basic auth with the key as user name (Stripe's alternative)."""
    if not key:
        return Auth(secret, "")
    return Auth(secret, "Basic " + base64.b64encode(f"{key}:".encode()).decode())
