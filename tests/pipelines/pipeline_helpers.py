"""Assertions shared by the pipeline tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

CHILD_TABLES = {
    "raw_github": {"pull_requests__labels", "commits__parents", "pull_request_commits__parents",
                   "issues__labels"},
    # `labels` of a job (runner labels, required by GitHub's description)
    "raw_ci": {"workflow_runs__pull_requests", "workflow_jobs__labels"},
    # the incident's current `acknowledgements` (the example incident is acknowledged)
    "raw_incidents": {"incidents__acknowledgements"},
    "raw_revenue": {"subscriptions__items__data", "invoices__lines__data"},
}


def tables(warehouse: Path) -> dict[str, set[str]]:
    """Tables per raw_<source> schema (dlt's own tables and merge staging schemas left out)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw_%' and table_schema not like '%_staging' "
            "and table_name not like '_dlt_%'").fetchall()
    found: dict[str, set[str]] = {}
    for schema, table in rows:
        found.setdefault(schema, set()).add(table)
    return found


def row_counts(warehouse: Path, names: list[str]) -> dict[str, int]:
    """Rows in each `schema.table`."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: con.execute(f"select count(*) from {name}").fetchone()[0]
                for name in names}


def expected_tables(raw_counts: dict[str, int]) -> dict[str, set[str]]:
    """Root tables from World.raw_counts() plus the child tables dlt creates."""
    expected: dict[str, set[str]] = {}
    for name in raw_counts:
        schema, table = name.split(".")
        expected.setdefault(schema, set()).add(table)
    for schema, children in CHILD_TABLES.items():
        expected[schema] |= children
    return expected
