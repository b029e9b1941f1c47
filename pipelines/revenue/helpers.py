"""Stripe calls: the client and the full or created-since lists."""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.common import ApiClient, RetryPolicy, bearer, stripe_pages
from pipelines.common.validate import page_check


def stripe_client(base_url: str, api_key: str, secret: str, retry: RetryPolicy | None,
                  version: str) -> ApiClient:
    """A client for api.stripe.com (or the simulator) with the secret key as bearer token,
    pinned to one API version (`Stripe-Version`), whatever the account's default."""
    client = ApiClient("revenue", base_url, bearer(api_key, secret), policy=retry)
    client.session.headers["Stripe-Version"] = version
    return client


def listing(client: ApiClient, kind: str, columns: dict[str, dict],
            params: dict | None = None) -> Iterator[list[dict]]:
    """Pages of `/v1/<kind>`, newest first, 100 a page, checked against the column types."""
    yield from stripe_pages(client, f"/v1/{kind}", params, check=page_check(columns, "data"))


def expand_params(paths: tuple[str, ...]) -> dict[str, list[str]]:
    """`expand[]=...` query parameters (requests repeats a key given a list)."""
    return {"expand[]": list(paths)} if paths else {}
