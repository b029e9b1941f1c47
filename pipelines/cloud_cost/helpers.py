"""Read one FOCUS export file (CSV, CSV.GZ, Parquet) into validated raw rows.

Every value of a relied-on column is parsed here (numbers, date-times, currency, tags), so a
bad file fails whole, before anything of it lands, with the file, the row and the fix."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import IO, Any

from pipelines.cloud_cost import settings as s
from pipelines.common import SourceError

SOURCE = "cloud_cost"
_QUANTUM = Decimal(1).scaleb(-s.DECIMAL_PLACES)
_MAX_DECIMAL = Decimal(10) ** (38 - s.DECIMAL_PLACES)


class FocusFileError(SourceError):
    """A FOCUS file cannot be landed; the message names the file, the row and the fix."""

    def __init__(self, path: str, detail: str, row: int | None = None) -> None:
        where = f"{path} row {row}" if row is not None else path
        super().__init__(SOURCE, f"{where}: {detail}")
        self.path = path
        self.row = row


FIX = "fix the export (or move the file out of the bucket) and run again"


def is_export(path: str) -> bool:
    """True for the files the source reads (CSV, CSV.GZ, Parquet)."""
    return path.lower().endswith(s.SUFFIXES)


def read_file(path: str, handle: IO[bytes], modified: datetime) -> list[dict[str, Any]]:
    """Every row of one export file as a raw row; FocusFileError on the first bad one."""
    columns, records = read_records(path, handle)
    plan = plan_of(header_of(path, columns), columns)
    return [convert(path, number, record, plan, modified) for number, record in records]


def read_records(path: str,
                 handle: IO[bytes]) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The file's column names, and its (row number, record) pairs (1 = first data row)."""
    if path.lower().endswith(".parquet"):
        return _parquet_records(path, handle)
    gzipped = path.lower().endswith(".gz")
    raw: IO[bytes] = gzip.GzipFile(fileobj=handle) if gzipped else handle
    what = "gzip-compressed UTF-8 CSV" if gzipped else "UTF-8 CSV"
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="").read()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise FocusFileError(path, f"cannot be read as {what} ({type(exc).__name__}: "
                                   f"{str(exc)[:120]}) — {FIX}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise FocusFileError(path, f"cannot be read as {what} ({exc}) — {FIX}") from None
    return columns, _csv_records(path, reader)


def _csv_records(path: str, reader: csv.DictReader) -> Iterator[tuple[int, dict[str, Any]]]:
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 - used after the loop
            if None in record:
                raise FocusFileError(path, f"has more cells than the header has columns — "
                                           f"{FIX}", number)
            yield number, record
    except csv.Error as exc:
        raise FocusFileError(path, f"is not valid CSV ({exc}) — {FIX}", number + 1) from None


def _parquet_records(path: str, handle: IO[bytes]
                     ) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    import pyarrow.parquet as pq  # dlt[parquet]; only needed for Parquet exports

    try:
        table = pq.read_table(handle)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise FocusFileError(path, f"cannot be read as Parquet ({type(exc).__name__}: "
                                   f"{str(exc)[:200]}) — {FIX}") from None
    return list(table.column_names), enumerate(table.to_pylist(), start=1)


def header_of(path: str, columns: Iterable[str]) -> dict[str, str]:
    """FOCUS column -> the file's column for every known column present; refuses a file that
    lacks a required one."""
    present = list(columns)
    found = {name: name for name in present if name in s.FOCUS_COLUMNS}
    for alias, focus in s.ALIASES.items():
        if focus not in found and alias in present:
            found[focus] = alias
    missing = [name for name in s.REQUIRED if name not in found]
    if missing:
        raise FocusFileError(path, f"missing required FOCUS column(s) {', '.join(missing)} — "
                                   "export FOCUS 1.0 or later with every mandatory column "
                                   "(docs/sources/cloud_cost.md)")
    return found


def is_null(value: Any) -> bool:
    """An absent value: None, an empty cell, or the literal NULL."""
    if value is None:
        return True
    return type(value) is str and (value in s.NULL_TEXTS or value.strip() in s.NULL_TEXTS)


def to_decimal(value: Any) -> Decimal:
    """A number as decimal(38, 9); ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError("a boolean")
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise ValueError("not a number") from None
    if not number.is_finite() or abs(number) >= _MAX_DECIMAL:
        raise ValueError("not a finite number below 10^29")
    return number.quantize(_QUANTUM)


def to_timestamp(value: Any) -> datetime:
    """An ISO 8601 date-time as an aware UTC datetime (no offset: UTC, as FOCUS requires)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    else:
        raise ValueError("not a date-time")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_tags(value: Any) -> str:
    """FOCUS `Tags` as JSON object text: from JSON text, a Parquet map (pairs) or struct."""
    if isinstance(value, str):
        parsed = json.loads(value)
    elif isinstance(value, list):
        parsed = dict(value)
    else:
        parsed = value
    if not isinstance(parsed, dict):
        raise ValueError("not a JSON object")
    return json.dumps({str(k): v for k, v in parsed.items() if v is not None},
                      sort_keys=True, default=str)


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Plan:
    """How to read a file's columns, worked out once per file: (file column, raw column,
    parser, what the parser expects, value required) per relied-on column; the other
    columns, kept as text."""

    columns: tuple[tuple[str, str, Callable[[Any], Any], str, bool], ...]
    extra: tuple[str, ...]


_PARSERS: dict[str, tuple[Callable[[Any], Any], str]] = {}


def plan_of(header: dict[str, str], columns: Iterable[str]) -> Plan:
    """The Plan of a file whose relied-on columns are `header` (FOCUS name -> file column)."""
    mapped = set(header.values())
    return Plan(
        tuple((column, s.FOCUS_COLUMNS[focus][0], *_PARSERS[s.FOCUS_COLUMNS[focus][1]],
               focus in s.REQUIRED_VALUES) for focus, column in header.items()),
        tuple(c for c in columns if c not in mapped and c not in s.ALIASES))


def convert(path: str, number: int, record: dict[str, Any], plan: Plan,
            modified: datetime) -> dict[str, Any]:
    """One raw row: the relied-on columns parsed, every other column kept as text."""
    row: dict[str, Any] = {}
    for column, raw_name, parse, what, required in plan.columns:
        value = record.get(column)
        if is_null(value):
            if required:
                raise FocusFileError(path, f"{column} is empty (FOCUS requires a value) — {FIX}",
                                     number)
            row[raw_name] = None
            continue
        try:
            row[raw_name] = parse(value)
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise FocusFileError(path, f"{column} {str(value)[:60]!r} is not {what} ({exc}) — "
                                       f"{FIX}", number) from None
    currency = row["billing_currency"].upper()
    if currency not in s.ISO_4217:
        raise FocusFileError(path, f"BillingCurrency {row['billing_currency']!r} is not an ISO "
                                   f"4217 currency code (e.g. USD, EUR) — {FIX}", number)
    row["billing_currency"] = currency
    for column in plan.extra:
        value = record.get(column)
        row[column] = None if is_null(value) else _text(value)
    row["source_file"] = path
    row["source_row"] = number
    row["file_modified_at"] = modified
    return row


@lru_cache(maxsize=8192)
def _cached_timestamp(value: Any) -> datetime:
    return to_timestamp(value)


def _clean_text(value: Any) -> str:
    return _text(value).strip()


_PARSERS.update({"decimal": (to_decimal, "a number"),
                 "timestamp": (_cached_timestamp, "an ISO 8601 date-time"),
                 "json": (to_tags, "a JSON object of tags"), "text": (_clean_text, "text")})


def restatement_key(row: dict[str, Any]) -> str:
    """The billing period, provider and account a row belongs to, as one string."""
    return "|".join(row[c].isoformat() if isinstance(row[c], datetime) else str(row[c])
                    for c in s.RESTATEMENT_KEY)
