"""Check records against the declared column types, so a wrong-typed field is caught (and the
page re-read) instead of silently landing in a dlt variant column."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
PageCheck = Callable[[Any], "str | None"]


def type_ok(value: object, data_type: str) -> bool:
    """Whether a JSON value fits a dlt data type (None always fits)."""
    if value is None:
        return True
    if data_type == "text":
        return isinstance(value, str)
    if data_type == "bigint":
        return isinstance(value, int) and not isinstance(value, bool)
    if data_type == "double":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if data_type == "bool":
        return isinstance(value, bool)
    if data_type == "timestamp":
        return isinstance(value, str) and bool(ISO_TIME.match(value))
    return True


def field_value(record: dict, column: str) -> tuple[bool, object]:
    """(present, value) of a flattened `a__b` column in a nested record."""
    value: object = record
    for part in column.split("__"):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def record_problem(record: dict, columns: dict[str, dict]) -> str | None:
    """The first field whose type contradicts its hint, described with the record's id."""
    for name, hint in columns.items():
        present, value = field_value(record, name)
        if present and not type_ok(value, hint["data_type"]):
            ident = record.get("id", record.get("sha", "?"))
            return (f"record {ident}: field {name!r} is {type(value).__name__} "
                    f"{str(value)[:40]!r}, expected {hint['data_type']}")
    return None


def page_check(columns: dict[str, dict], key: str | None = None) -> PageCheck:
    """A check for a page body (a list, or a list under `key`) against column hints."""
    def check(data: Any) -> str | None:
        items = data.get(key) if key is not None and isinstance(data, dict) else data
        if not isinstance(items, list):
            return None  # the paginator reports shape errors
        for record in items:
            if isinstance(record, dict):
                problem = record_problem(record, columns)
                if problem:
                    return problem
        return None
    return check


def record_check(columns: dict[str, dict]) -> PageCheck:
    """A check for a single-record body (e.g. a GitHub PR detail)."""
    def check(data: Any) -> str | None:
        return record_problem(data, columns) if isinstance(data, dict) else None
    return check
