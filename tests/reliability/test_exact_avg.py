"""`exact_avg` (macros/exact_avg.sql) does not depend on the order rows are added in, where a
plain avg() of doubles does: the reason two builds of the same data were not byte-identical
(DuckDB's parallel aggregation adds rows in any order)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

# a sum of doubles that loses the 1.0 when it follows 1e16, and keeps it otherwise
ORDERS = ([1e16, 1.0, -1e16, 1.0], [1e16, -1e16, 1.0, 1.0], [1.0, 1.0, 1e16, -1e16])


@pytest.fixture(scope="module")
def means_sql(dbt_renderer) -> str:
    return dbt_renderer.render(
        "select avg(x) as plain, {{ exact_avg('x') }} as exact, "
        "{{ exact_avg('case when x > 0 then x end') }} as only_positive from ordered_rows")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "t.duckdb"))
    connection.execute("set threads = 1")  # rows are added in table order
    yield connection
    connection.close()


def means(con: duckdb.DuckDBPyConnection, sql: str, values: list[float]) -> tuple:
    con.execute("create or replace table ordered_rows as "
                "select unnest(?::double[]) as x", [values])
    return con.execute(sql).fetchone()


def test_plain_avg_depends_on_order_and_exact_avg_does_not(con, means_sql: str) -> None:
    results = [means(con, means_sql, values) for values in ORDERS]
    assert len({plain for plain, _, _ in results}) > 1  # the hazard is real here
    assert {exact for _, exact, _ in results} == {0.5}
    assert {positive for _, _, positive in results} == {(1e16 + 2) / 3}


def test_exact_avg_ignores_nulls_and_is_null_without_values(con, means_sql: str) -> None:
    assert means(con, means_sql, [-1.0, -3.0])[1:] == (-2.0, None)
