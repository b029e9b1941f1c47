"""The warehouse reader on DuckDB: one file, opened read-only (or to write why_step_verdicts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from breadcrumbs.warehouse.reader import Warehouse, WarehouseError


class DuckDBWarehouse(Warehouse):
    """A read-only DuckDB connection (DuckDB binds `?` placeholders itself)."""

    engine = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, names: dict[str, str] | None = None,
                 label: str = "") -> None:
        super().__init__(names, label)
        self.con = con

    @classmethod
    def connect(cls, path: Path, write: bool = False) -> DuckDBWarehouse:
        """Open `path`, read-only unless `write`."""
        if not path.exists():
            raise WarehouseError(f"warehouse {path} does not exist (run `breadcrumbs demo` first)")
        return cls(duckdb.connect(str(path), read_only=not write), label=str(path))

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or [])
        columns = [column[0] for column in cursor.description or []]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def stream(self, sql: str, params: list[Any] | None = None,
               size: int = 10_000) -> Iterator[dict[str, Any]]:
        cursor = self.con.execute(sql, params or [])
        columns = [column[0] for column in cursor.description or []]
        while batch := cursor.fetchmany(size):
            for row in batch:
                yield dict(zip(columns, row, strict=True))

    def insert_rows(self, table: str, columns: list[str], rows: list[tuple],
                    chunk: int = 1000) -> None:
        """As Warehouse.insert_rows, with the rows passed as one Arrow table when pyarrow is
        installed: DuckDB binds every Python parameter with an `import pandas` that fails anew
        when pandas is not installed, so 28,600 verdicts of 12 values took about a minute as
        multi-row inserts."""
        try:
            import pyarrow as pa
        except ImportError:
            super().insert_rows(table, columns, rows, chunk)
            return
        data = pa.table({column: pa.array([row[i] for row in rows])
                         for i, column in enumerate(columns)})
        self.con.register("breadcrumbs_insert_rows", data)
        try:
            self.execute(f"insert into {table} ({', '.join(columns)}) "
                         f"select {', '.join(columns)} from breadcrumbs_insert_rows")
        finally:
            self.con.unregister("breadcrumbs_insert_rows")

    def close(self) -> None:
        self.con.close()
