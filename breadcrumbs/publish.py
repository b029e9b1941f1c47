"""Write the BI snapshot: a copy of the published schemas, then an atomic rename.

BI tools embed older DuckDB (1.1+), so the snapshot is written in storage version v1.1.0.
Readers hold the published file, never the working warehouse, so they never block a build;
the rename means a reader sees either the previous snapshot or the new one, never half.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "metrics", "seeds")
STORAGE_VERSION = "v1.1.0"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _remove_stale_temporaries(published: Path) -> None:
    """Delete temporaries a killed publish left behind (their writer process is gone)."""
    for stale in published.parent.glob(f".{published.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so the rename is durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(warehouse: Path, published: Path, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS) -> dict:
    """Copy `schemas` of `warehouse` into `published` (tables, with comments); return counts."""
    if not warehouse.exists():
        raise FileNotFoundError(
            f"publish: no warehouse at {warehouse} (run `breadcrumbs demo` or `breadcrumbs run`)"
        )
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    if Path("/proc").is_dir():
        _remove_stale_temporaries(published)
    counts: dict[str, int] = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach {_literal(str(warehouse))} as wh (read_only)")
        con.execute(f"attach {_literal(str(tmp))} as pub (storage_version '{STORAGE_VERSION}')")
        relations = con.execute(
            """
            select schema_name, table_name, comment from duckdb_tables()
            where database_name = 'wh' and schema_name in (select unnest(?))
            union all
            select schema_name, view_name, comment from duckdb_views()
            where database_name = 'wh' and schema_name in (select unnest(?))
              and not internal
            order by 1, 2
            """,
            [list(schemas), list(schemas)],
        ).fetchall()
        for schema in sorted({r[0] for r in relations}):
            con.execute(f"create schema pub.{_quote(schema)}")
        for schema, name, comment in relations:
            target = f"pub.{_quote(schema)}.{_quote(name)}"
            source = f"wh.{_quote(schema)}.{_quote(name)}"
            con.execute(f"create table {target} as select * from {source}")
            if comment:
                con.execute(f"comment on table {target} is {_literal(comment)}")
            columns = con.execute(
                "select column_name, comment from duckdb_columns() "
                "where database_name = 'wh' and schema_name = ? "
                "and table_name = ? and comment is not null",
                [schema, name],
            ).fetchall()
            for column, column_comment in columns:
                con.execute(
                    f"comment on column {target}.{_quote(column)} is {_literal(column_comment)}"
                )
            counts[f"{schema}.{name}"] = con.execute(
                f"select count(*) from {target}"
            ).fetchone()[0]
        con.execute("detach pub")
        con.execute("detach wh")
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    _fsync(tmp)
    os.replace(tmp, published)
    _fsync(published.parent)
    return counts
