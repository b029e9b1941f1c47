"""Read-only access to the warehouse tables `why` and `report` use (never simulator files)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

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
    "service_criticality": "mart",
    "fct_incident_actionability": "mart",
    "fct_incidents": "mart",
    "fct_deployments": "mart",
    "fct_ci_runs": "mart",
    "fct_pull_requests": "mart",
    "fct_mrr_movements": "mart",
    "fct_revenue_at_risk_daily": "mart",
    "fct_revenue_at_risk_service_daily": "mart",
    "fct_work_items": "mart",
    "fct_feature_adoption": "mart",
    "fct_cloud_cost_daily": "mart",
}


class WarehouseError(RuntimeError):
    """The warehouse lacks what `why` needs (not built, or built without the metrics layer)."""


@dataclass
class Warehouse:
    """A read-only DuckDB connection and the qualified names of the tables `why` reads."""

    con: duckdb.DuckDBPyConnection
    names: dict[str, str]

    def table(self, name: str) -> str:
        """Quoted `schema.table` of a known table."""
        return self.names[name]

    def has(self, name: str) -> bool:
        """The warehouse holds the table."""
        return name in self.names

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run parameterised SQL; rows as dicts."""
        cursor = self.con.execute(sql, params or [])
        columns = [column[0] for column in cursor.description or []]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def open_warehouse(path: Path) -> Warehouse:
    """Open `path` read-only and locate the tables (whatever schema names dbt gave them)."""
    if not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist (run `breadcrumbs demo` first)")
    con = duckdb.connect(str(path), read_only=True)
    found = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_name in (" + ", ".join("?" for _ in TABLES) + ") "
        "order by table_schema",
        list(TABLES),
    ).fetchall()
    names: dict[str, str] = {}
    for schema, table in found:
        names.setdefault(table, f'"{schema}"."{table}"')
    missing = [t for t in ("metric_values", "metric_status", "metric_catalog", "metric_edges")
               if t not in names]
    if missing:
        con.close()
        raise WarehouseError(
            f"warehouse {path} has no {', '.join(missing)} (build models/metrics with dbt)"
        )
    return Warehouse(con=con, names=names)
