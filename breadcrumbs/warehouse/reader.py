"""Access to the warehouse tables `why`, `report` and `review` use (never simulator files), on
whichever engine the dbt profile's target builds on: read-only, but for the one table the
scheduled run writes (why_step_verdicts, `replace_rows`).

The interface is small: `Warehouse.rows(sql, params)` runs a query with `?` placeholders and
returns rows as dicts; `table(name)` is the quoted `schema.table` of a known table (whatever
schema names dbt gave it). DuckDB (`duckdb_reader.py`) and PostgreSQL (`postgres_reader.py`)
implement it; `open_warehouse` picks one from the profile's target (profile.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TABLES = {
    "metric_values": "metric",
    "metric_status": "metric",
    "metric_catalog": "metric",
    "metric_edges": "metric",
    "metric_count_tests": "metric",
    "services": "seed",
    "plan_services": "seed",
    "teams": "seed",
    "plans": "seed",
    "metric_health": "metric",
    "why_step_verdicts": "metric",
    "service_criticality": "mart",
    "fct_incident_actionability": "mart",
    "fct_incidents": "mart",
    "fct_deployments": "mart",
    "fct_ci_runs": "mart",
    "fct_pull_requests": "mart",
    "fct_mrr_movements": "mart",
    "fct_revenue_at_risk_daily": "mart",
    "fct_revenue_at_risk_service_daily": "mart",
    "fct_service_signals_hourly": "mart",
    "fct_cloud_cost_daily": "mart",
    "fct_work_items": "mart",
    "fct_feature_adoption": "mart",
}
# without these there is nothing to explain or report
REQUIRED = ("metric_values", "metric_status", "metric_catalog", "metric_edges")
# the schema dbt builds each layer in (macros/generate_schema_name.sql names them by layer)
LAYER_SCHEMAS = {"metric": "metrics", "seed": "seeds", "mart": "marts"}


class WarehouseError(RuntimeError):
    """The warehouse lacks what `why` needs (not built, or built without the metrics layer)."""


class Warehouse(ABC):
    """A read-only connection and the qualified names of the tables the surfaces read."""

    engine: str = ""

    def __init__(self, names: dict[str, str] | None = None, label: str = "") -> None:
        self.names: dict[str, str] = names or {}
        self.label = label  # where it is, for messages (a file, or host:port/database)

    def table(self, name: str) -> str:
        """Quoted `schema.table` of a known table."""
        return self.names[name]

    def has(self, name: str) -> bool:
        """The warehouse holds the table."""
        return name in self.names

    @abstractmethod
    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run SQL with `?` placeholders bound to `params`; rows as dicts."""

    def stream(self, sql: str, params: list[Any] | None = None,
               size: int = 10_000) -> Iterator[dict[str, Any]]:
        """Like `rows`, but a batch of `size` rows at a time (a large read's memory is the
        caller's, not a list of every row)."""
        yield from self.rows(sql, params)

    @abstractmethod
    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        """Run a statement that returns nothing (a warehouse opened with `write=True`)."""

    def replace_rows(self, name: str, columns: list[str], rows: list[tuple],
                     chunk: int = 1000) -> None:
        """Replace every row of the known table `name` with `rows`, in one transaction (a
        reader sees the old rows or the new, never none), written by `insert_rows`."""
        table = self.table(name)
        self.execute("begin")
        try:
            self.execute(f"delete from {table}")
            self.insert_rows(table, columns, rows, chunk)
        except Exception:
            self.execute("rollback")
            raise
        self.execute("commit")

    def insert_rows(self, table: str, columns: list[str], rows: list[tuple],
                    chunk: int = 1000) -> None:
        """Insert `rows` into `table` (a qualified name) as multi-row inserts of `chunk` rows;
        an engine with a faster bulk path overrides it."""
        column_list = ", ".join(columns)
        row_marks = "(" + ", ".join("?" for _ in columns) + ")"
        for first in range(0, len(rows), chunk):
            batch = rows[first:first + chunk]
            self.execute(
                f"insert into {table} ({column_list}) values "
                + ", ".join(row_marks for _ in batch),
                [value for row in batch for value in row],
            )

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def locate(self) -> None:
        """Find the tables of TABLES, each in the schema dbt builds its layer in
        (LAYER_SCHEMAS), else in the first schema in name order holding it (a project that
        names its schemas otherwise), so a copy in another schema (a dev or scratch schema)
        never hides the built table; fail with the fix when the metrics layer is not there."""
        found = self.rows(
            "select table_schema, table_name from information_schema.tables "
            "where table_name in (" + ", ".join("?" for _ in TABLES) + ") "
            "order by table_schema, table_name",
            list(TABLES),
        )
        for row in sorted(found, key=lambda r: r["table_schema"]
                          != LAYER_SCHEMAS[TABLES[r["table_name"]]]):  # stable: then by name
            self.names.setdefault(row["table_name"],
                                  f'"{row["table_schema"]}"."{row["table_name"]}"')
        missing = [t for t in REQUIRED if t not in self.names]
        if missing:
            self.close()
            raise WarehouseError(
                f"warehouse {self.label} has no {', '.join(missing)} "
                "(build models/metrics with dbt)"
            )


def open_warehouse(path: Path, target: str | None = None, write: bool = False) -> Warehouse:
    """The warehouse of the dbt profile's target (`target`, else BREADCRUMBS_TARGET, else
    duckdb: the file at `path`), its tables located; read-only unless `write` (the scheduled
    run's step writing why_step_verdicts, the one table the package writes)."""
    from breadcrumbs.warehouse.profile import target_output

    output = target_output(target, path)
    kind = output.get("type")
    if kind == "duckdb":
        from breadcrumbs.warehouse.duckdb_reader import DuckDBWarehouse

        wh: Warehouse = DuckDBWarehouse.connect(path, write=write)
    elif kind == "postgres":
        from breadcrumbs.warehouse.postgres_reader import PostgresWarehouse

        wh = PostgresWarehouse.connect(output, write=write)
    else:
        raise WarehouseError(
            f"the profile's target {output['name']!r} is a {kind} warehouse: why, report and "
            "review read DuckDB and PostgreSQL (set BREADCRUMBS_TARGET=duckdb or postgres)"
        )
    wh.locate()
    return wh
