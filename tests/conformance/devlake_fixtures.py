"""Load DevLake's DORA fixture CSVs into small DuckDB tables shaped like the inputs of
Breadcrumbs' delivery macros (macros/delivery_rules.sql), and run a rendered query on them.

DevLake's concepts map onto the macros' column contracts as follows: a DevLake `project` plays
the part of Breadcrumbs' service scope (repo_full_name / service_id), pull request comments
are reviews, `cicd_deployment_commits` rows are deployments (`result = 'SUCCESS'` is success,
`environment = 'PRODUCTION'` is production) and `commits_diffs` gives each deployment's commit
range (Breadcrumbs walks the commit graph instead; that walk has its own dbt unit tests).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import duckdb


def ts(value: str | None) -> datetime | None:
    """A fixture time as naive UTC: '2022-1-11 4:51:47' or '2023-04-10T06:51:47.000+00:00'."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if "T" in value:
        parsed = datetime.fromisoformat(value)
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def blank_to_none(value: str | None) -> str | None:
    """DevLake writes missing values as empty cells."""
    return None if value is None or value == "" else value


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a fixture CSV as dicts (all strings)."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def project_of(mapping: list[dict[str, str]], table: str, row_id: str) -> str | None:
    """The project a scope (repos/cicd_scopes/boards row) belongs to, or None if unmapped."""
    for row in mapping:
        if row["table"] == table and row["row_id"] == row_id:
            return row["project_name"]
    return None


def create_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str],
                 rows: list[dict]) -> None:
    """Create `name` with typed `columns` and insert `rows` (dicts keyed by column)."""
    con.execute(f"create table {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(f"insert into {name} values ({placeholders})",
                        [[row.get(c) for c in columns] for row in rows])


DEPLOYMENT_COLUMNS = {
    "deployment_id": "varchar", "cicd_deployment_id": "varchar", "cicd_scope_id": "varchar",
    "repo_url": "varchar", "environment": "varchar", "commit_sha": "varchar",
    "is_successful": "boolean", "is_production": "boolean", "started_at": "timestamp",
    "finished_at": "timestamp", "service_id": "varchar", "repo_full_name": "varchar",
}


def deployment_rows(rows: list[dict[str, str]], mapping: list[dict[str, str]],
                    service_of_scope=None) -> list[dict]:
    """DevLake `cicd_deployment_commits` rows in the macros' deployment shape. The service
    scope is the project of the cicd scope unless `service_of_scope` maps scopes itself."""
    out = []
    for row in rows:
        scope = row["cicd_scope_id"]
        service = (service_of_scope(scope) if service_of_scope
                   else project_of(mapping, "cicd_scopes", scope))
        out.append({
            "deployment_id": row["id"], "cicd_deployment_id": row["cicd_deployment_id"],
            "cicd_scope_id": scope, "repo_url": row["repo_url"],
            "environment": row["environment"], "commit_sha": row["commit_sha"],
            "is_successful": row["result"] == "SUCCESS",
            "is_production": row["environment"] == "PRODUCTION",
            "started_at": ts(row["started_date"]), "finished_at": ts(row["finished_date"]),
            "service_id": service, "repo_full_name": service,
        })
    return out


def query(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    """Rows of `sql` as dicts."""
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
