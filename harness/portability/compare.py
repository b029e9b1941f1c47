"""Compare the tables two engines built from the same scenario (`make test-postgres`,
`make test-spark`): the DuckDB build is the reference.

Tolerance: exact for everything but floating point (counts, decimals, text, booleans, dates,
timestamps); doubles agree within a relative 1e-9 (absolute 1e-9 near zero), because engines
sum and average in different orders. Columns are matched by name (Spark moves partition
columns to the end of a table); the largest double difference is reported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

COMPARED_SCHEMAS = ("marts", "metrics")
# landed and staged relations compared as well (the cloud cost source's typed landing, its
# decimals and the JSON tag extraction differ most between engines), without the columns
# each engine's load stamps for itself
LOAD_STAMPS = ("loaded_at", "load_id")
EXTRA_RELATIONS = {("raw_cloud_cost", "charges"): ("_dlt_load_id", "_dlt_id"),
                   ("staging", "stg_cloud_cost__charges"): LOAD_STAMPS}
# tables whose rows the scheduled run writes after dbt: the `why` walk's step
# (breadcrumbs/why/verdicts.py), which reads DuckDB and PostgreSQL, not Spark
RUN_WRITTEN = {("metrics", "why_step_verdicts")}
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
    max_abs_diff: float = 0.0  # largest |left - right| over the doubles of matched rows
    max_rel_diff: float = 0.0  # largest |left - right| / max(|left|, |right|)

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


def align(columns: list[str], table: tuple[list[str], Rows]) -> tuple[list[str], Rows] | None:
    """`table` with its columns in the order of `columns` (matched case-insensitively), or
    None when the two do not have the same column names."""
    names, rows = table
    position = {c.lower(): i for i, c in enumerate(names)}
    if sorted(position) != sorted(c.lower() for c in columns) or len(position) != len(names):
        return None
    order = [position[c.lower()] for c in columns]
    if order == list(range(len(names))):
        return names, rows
    return [names[i] for i in order], [tuple(row[i] for i in order) for row in rows]


def float_gap(left: object, right: object) -> tuple[float, float]:
    """(absolute, relative) difference of two doubles; 0 when either is null or NaN."""
    if not isinstance(left, float | int) or not isinstance(right, float | int):
        return 0.0, 0.0
    a, b = float(left), float(right)
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return 0.0, 0.0
    gap = abs(a - b)
    scale = max(abs(a), abs(b))
    return gap, (gap / scale if scale else 0.0)


def compare_table(name: str, left: tuple[list[str], Rows], right: tuple[list[str], Rows],
                  limit: int = 5) -> TableDiff:
    """Compare one table's columns (by name) and rows (as multisets) from two engines."""
    left_columns, left_rows = left
    aligned = align(left_columns, right)
    diff = TableDiff(name, (len(left_rows), len(right[1])))
    if aligned is None:
        diff.problems.append(f"columns differ: {left_columns} vs {right[0]}")
        return diff
    right_rows = aligned[1]
    if len(left_rows) != len(right_rows):
        diff.problems.append(f"row counts differ: {len(left_rows)} vs {len(right_rows)}")
    lefts = sorted((tuple(normalize(v) for v in r) for r in left_rows), key=sort_key)
    rights = sorted((tuple(normalize(v) for v in r) for r in right_rows), key=sort_key)
    floats = [i for i, row in enumerate(zip(*lefts, strict=True))
              if any(isinstance(v, float) for v in row)] if lefts else []
    for a, b in zip(lefts, rights, strict=False):
        for i in floats:
            gap, rel = float_gap(a[i], b[i])
            diff.max_abs_diff = max(diff.max_abs_diff, gap)
            diff.max_rel_diff = max(diff.max_rel_diff, rel)
        bad = [c for c, x, y in zip(left_columns, a, b, strict=True) if not same(x, y)]
        if bad:
            shown = {c: (a[i], b[i]) for i, c in enumerate(left_columns) if c in bad}
            diff.problems.append(f"row {dict(zip(left_columns, a, strict=True))}: "
                                 f"differs in {shown}")
            if len(diff.problems) >= limit:
                break
    return diff


def without_columns(fetch: Fetch, dropped: Sequence[str]) -> Fetch:
    """`fetch` with the named columns left out (case-insensitively)."""
    def fetch_kept(schema: str, table: str) -> tuple[list[str], Rows]:
        names, rows = fetch(schema, table)
        keep = [i for i, n in enumerate(names) if n.lower() not in {d.lower() for d in dropped}]
        return [names[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]
    return fetch_kept


def compare_extra_relations(left: Fetch, right: Fetch) -> list[TableDiff]:
    """Compare EXTRA_RELATIONS (landed and staged tables outside COMPARED_SCHEMAS)."""
    return [compare_table(f"{schema}.{table}", without_columns(left, dropped)(schema, table),
                          without_columns(right, dropped)(schema, table))
            for (schema, table), dropped in EXTRA_RELATIONS.items()]


def compare_tables(tables: Iterable[tuple[str, str]], left: Fetch, right: Fetch) -> list[TableDiff]:
    """Compare every (schema, table) fetched from both engines."""
    return [compare_table(f"{schema}.{table}", left(schema, table), right(schema, table))
            for schema, table in tables]


def fetch_duckdb(path: Path, schemas: Sequence[str] = COMPARED_SCHEMAS):
    """(fetch, tables, connection) of the DuckDB reference, read-only: fetch(schema, table)
    -> (columns, rows); tables() -> the base tables of `schemas`, tables(views=True) -> their
    views too (the metric models are views on DuckDB and tables on Spark)."""
    import duckdb

    conn = duckdb.connect(str(path), read_only=True)
    conn.execute("set TimeZone = 'UTC'")

    def fetch(schema: str, table: str) -> tuple[list[str], Rows]:
        cur = conn.execute(f'select * from "{schema}"."{table}"')
        return [d[0] for d in cur.description], cur.fetchall()

    def tables(views: bool = False) -> set[tuple[str, str]]:
        kinds = ["BASE TABLE", "VIEW"] if views else ["BASE TABLE"]
        rows = conn.execute("select table_schema, table_name from information_schema.tables "
                            "where table_schema in ? and table_type in ?",
                            [list(schemas), kinds]).fetchall()
        return set(rows)

    return fetch, tables, conn


def summary(diffs: list[TableDiff]) -> str:
    """One line per table, then the problems of those that differ."""
    lines = []
    for diff in diffs:
        state = "same" if diff.ok else "DIFFERS"
        gap = f"  max double diff {diff.max_rel_diff:.1e} rel" if diff.max_abs_diff else ""
        lines.append(f"    {diff.table:<55} {diff.rows[0]:>7} rows  {state}{gap}")
        lines.extend(f"        {problem}" for problem in diff.problems)
    return "\n".join(lines)


def verdict(engine: str, diffs: list[TableDiff], reference_tables: set[tuple[str, str]],
            engine_tables: set[tuple[str, str]]) -> tuple[bool, str]:
    """(passed, report) of an engine's tables against the DuckDB reference: every table on
    both sides, none differing, metric_values among them."""
    problems = [d for d in diffs if not d.ok]
    only = sorted(f"{s}.{t} only on {where}" for where, names in
                  (("duckdb", reference_tables - engine_tables),
                   (engine, engine_tables - reference_tables)) for s, t in names)
    lines = [summary(diffs), *(f"    {line}" for line in only)]
    values = next((d for d in diffs if d.table.endswith(".metric_values")), None)
    if values is None:
        lines.append("    metrics.metric_values was not compared")
    worst = max(diffs, key=lambda d: d.max_rel_diff, default=None)
    rows = sum(d.rows[0] for d in diffs)
    if problems or only or values is None:
        lines.append(f"FAIL: {len(problems)} of {len(diffs)} tables differ from DuckDB"
                     + (f", {len(only)} missing on one side" if only else ""))
        return False, "\n".join(lines)
    lines.append(
        f"OK: {len(diffs)} tables ({rows} rows) match DuckDB on {engine}, metric_values "
        f"{values.rows[0]} rows (max double difference {values.max_abs_diff:.2e} absolute, "
        f"{values.max_rel_diff:.2e} relative; tolerance {REL_TOL:g} relative); largest "
        f"relative difference in any table {worst.max_rel_diff if worst else 0:.2e}"
        f"{' (' + worst.table + ')' if worst and worst.max_rel_diff else ''}")
    return True, "\n".join(lines)
