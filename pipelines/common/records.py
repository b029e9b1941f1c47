"""Small record helpers shared by the sources."""

from __future__ import annotations


def as_records(items: list[dict] | dict) -> list[dict]:
    """A transformer's input as a list: parents may yield one record or a page."""
    return items if isinstance(items, list) else [items]


def with_context(records: list[dict], **context: object) -> list[dict]:
    """Records with the context columns the API does not repeat (repo, parent number)."""
    return [{**record, **context} for record in records]
