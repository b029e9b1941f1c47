"""Numbers, periods and entities as the report prints them for people.

The report's only formatting, kept in this one module so that it can give way to the shared
"for people" formatting of `why` and `review` when that lands (issue 24, items 1 and 5).
"""

from __future__ import annotations

import datetime as dt

from breadcrumbs.why.model import Entity

CURRENCY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥"}
UNITS = {"ms": " ms", "minutes": " min", "hours": " h", "days": " days", "lines": " lines",
         "per_day": " a day"}


def number(value: float | None, unit: str, currency: str = "") -> str:
    """`value` for reading: thousands separators, M for millions, % for ratios, the unit or
    currency symbol; never scientific notation."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    size = abs(value)
    if unit == "ratio":
        percent = size * 100
        if percent == 0:
            return "0 %"
        decimals = 2 if percent < 1 or 99 <= percent < 100 else 1
        return f"{sign}{percent:,.{decimals}f} %"
    if size >= 1_000_000:
        text = f"{size / 1_000_000:,.2f} M"
    elif size >= 100 or size == int(size):
        text = f"{size:,.0f}"
    elif size >= 10:
        text = f"{size:,.1f}"
    else:
        text = f"{size:.2f}".rstrip("0").rstrip(".")
    if unit == "currency":
        symbol = CURRENCY_SYMBOLS.get(currency.lower(), f"{currency.upper()} " if currency else "")
        return f"{sign}{symbol}{text}"
    return f"{sign}{text}{UNITS.get(unit, '')}"


def period(start: dt.date | None, grain: str) -> str:
    """A period for reading: "October 2026", "week of 7 Sep 2026", "17 Aug 2026"."""
    if start is None:
        return "no complete period"
    if grain == "month":
        return f"{start:%B %Y}"
    day = f"{start.day} {start:%b %Y}"
    return f"week of {day}" if grain == "week" else day


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
