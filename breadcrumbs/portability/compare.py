"""Compare the tables two engines built from the same scenario.

Tolerance: exact for everything but floating point (counts, decimals, text, booleans, dates,
timestamps); doubles agree within a relative 1e-9 (absolute 1e-9 near zero), because engines
sum and average in different orders.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

REL_TOL = 1e-9
ABS_TOL = 1e-9

Rows = list[tuple]
Fetch = Callable[[str, str], tuple[list[str], Rows]]  # (schema, table) -> columns, rows


@dataclass
class TableDiff:
    """What differs in one table; empty lists mean the table matches."""

    table: str
    rows: tuple[int, int] = (0, 0)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def normalize(value: object) -> object:
    """A value comparable across drivers: timestamps naive UTC, floats as float."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def sort_key(row: Sequence[object]) -> tuple:
    """Order rows by their exact columns first (floats last, rounded), nulls first."""
    exact = tuple((v is None, "" if v is None else
                   str(v.normalize()) if isinstance(v, Decimal) else str(v)) for v in row
                  if not isinstance(v, float))
    floats = tuple((v is None, 0.0 if v is None or math.isnan(v) else round(v, 6)) for v in row
                   if isinstance(v, float))
    return exact + floats


def same(left: object, right: object) -> bool:
    """Equal under the tolerance above."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        a, b = float(left), float(right)  # type: ignore[arg-type]
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(str(left)) == Decimal(str(right))
    return left == right


def compare_table(name: str, left: tuple[list[str], Rows], right: tuple[list[str], Rows],
                  limit: int = 5) -> TableDiff:
    """Compare one table's columns and rows (as multisets) from two engines."""
    (left_columns, left_rows), (right_columns, right_rows) = left, right
    diff = TableDiff(name, (len(left_rows), len(right_rows)))
    if [c.lower() for c in left_columns] != [c.lower() for c in right_columns]:
        diff.problems.append(f"columns differ: {left_columns} vs {right_columns}")
        return diff
    if len(left_rows) != len(right_rows):
        diff.problems.append(f"row counts differ: {len(left_rows)} vs {len(right_rows)}")
    lefts = sorted((tuple(normalize(v) for v in r) for r in left_rows), key=sort_key)
    rights = sorted((tuple(normalize(v) for v in r) for r in right_rows), key=sort_key)
    for a, b in zip(lefts, rights, strict=False):
        bad = [c for c, x, y in zip(left_columns, a, b, strict=True) if not same(x, y)]
        if bad:
            shown = {c: (a[i], b[i]) for i, c in enumerate(left_columns) if c in bad}
            diff.problems.append(f"row {dict(zip(left_columns, a, strict=True))}: "
                                 f"differs in {shown}")
            if len(diff.problems) >= limit:
                break
    return diff


def compare_tables(tables: Iterable[tuple[str, str]], left: Fetch, right: Fetch) -> list[TableDiff]:
    """Compare every (schema, table) fetched from both engines."""
    return [compare_table(f"{schema}.{table}", left(schema, table), right(schema, table))
            for schema, table in tables]


def summary(diffs: list[TableDiff]) -> str:
    """One line per table, then the problems of those that differ."""
    lines = []
    for diff in diffs:
        state = "same" if diff.ok else "DIFFERS"
        lines.append(f"    {diff.table:<55} {diff.rows[0]:>7} rows  {state}")
        lines.extend(f"        {problem}" for problem in diff.problems)
    return "\n".join(lines)
