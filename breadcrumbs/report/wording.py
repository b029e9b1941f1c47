"""Periods and entities as the report's sentences print them for people. Numbers come from
`breadcrumbs.why.wording.number`, the one formatting `why`, `review` and the report share."""

from __future__ import annotations

import datetime as dt

from breadcrumbs.warehouse import Entity
from breadcrumbs.why.wording import number

__all__ = ["entity", "in_sentence", "number", "period", "short_entity"]



def period(start: dt.date | None, grain: str) -> str:
    """A period for reading: "October 2026", "week of 7 Sep 2026", "17 Aug 2026"."""
    if start is None:
        return "no complete period"
    if grain == "month":
        return f"{start:%B %Y}"
    day = f"{start.day} {start:%b %Y}"
    return f"week of {day}" if grain == "week" else day


def short_period(start: dt.date | None, grain: str) -> str:
    """A period in a few characters, for a card: "Oct 2026", "wk of 7 Sep", "17 Aug 2026"."""
    if start is None:
        return "no complete period"
    if grain == "month":
        return f"{start:%b %Y}"
    return f"wk of {start.day} {start:%b}" if grain == "week" else f"{start.day} {start:%b %Y}"


def entity(item: Entity | None) -> str:
    """An entity for reading: "the Enterprise plan", "team growth", "service checkout"."""
    if item is None:
        return "no entity"
    if item.entity_type == "org":
        return "the whole organisation"
    if item.entity_type == "plan":
        return f"the {item.entity_id.capitalize()} plan"
    return f"{item.entity_type} {item.entity_id}"


def short_entity(item: Entity | None) -> str:
    """An entity in a few characters, for a box of the driver tree."""
    if item is None:
        return ""
    if item.entity_type == "org":
        return "org"
    if item.entity_type == "plan":
        return f"{item.entity_id.capitalize()} plan"
    return item.entity_id


def in_sentence(label: str) -> str:
    """A metric label inside a sentence: "Error rate" → "error rate", "CPU …" unchanged."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
