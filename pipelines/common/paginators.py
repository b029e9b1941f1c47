"""The three pagination styles: GitHub Link headers, PagerDuty offset/more, Stripe cursors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pipelines.common.client import ApiClient
from pipelines.common.errors import SourceMalformedError


def items_of(client: ApiClient, data: Any, key: str | None, url: str) -> list[dict]:
    """The list of records in a page (the body itself, or under `key`), or a clear error."""
    items = data.get(key) if key is not None and isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        what = f"a list of objects under {key!r}" if key else "a JSON list of objects"
        raise SourceMalformedError(client.source, client.endpoint(url, with_query=True),
                                   f"expected {what}")
    return items


Check = Callable[[Any], "str | None"] | None


def github_pages(client: ApiClient, path: str, params: dict[str, Any] | None = None,
                 key: str | None = None, check: Check = None) -> Iterator[list[dict]]:
    """Pages of a GitHub list, following Link rel="next" (per_page=100 unless given)."""
    target: str | None = path
    query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
    while target:
        data, response = client.get_json(target, query, check)
        yield items_of(client, data, key, response.url)
        target = response.links.get("next", {}).get("url")
        query = None


def offset_pages(client: ApiClient, path: str, key: str, params: dict[str, Any] | None = None,
                 limit: int = 100, check: Check = None) -> Iterator[list[dict]]:
    """Pages of a PagerDuty list by offset/limit until `more` is false."""
    offset = 0
    while True:
        data, response = client.get_json(path, {**(params or {}), "offset": offset,
                                                "limit": limit}, check)
        items = items_of(client, data, key, response.url)
        yield items
        if not data.get("more") or not items:
            return
        offset += len(items)


def stripe_pages(client: ApiClient, path: str, params: dict[str, Any] | None = None,
                 limit: int = 100, check: Check = None) -> Iterator[list[dict]]:
    """Pages of a Stripe list by starting_after until `has_more` is false."""
    query = {**(params or {}), "limit": limit}
    while True:
        data, response = client.get_json(path, query, check)
        items = items_of(client, data, "data", response.url)
        yield items
        if not data.get("has_more") or not items:
            return
        last_id = items[-1].get("id")
        if not isinstance(last_id, str):
            raise SourceMalformedError(client.source, client.endpoint(response.url, True),
                                       "the last record has no string id to page from")
        query = {**query, "starting_after": last_id}
