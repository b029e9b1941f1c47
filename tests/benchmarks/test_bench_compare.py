"""benchmarks/compare.py is NULL-safe: a NULL on one side and a value on the other is a
mismatch, for doubles as for every other type; doubles within the tolerance are equal."""

from __future__ import annotations

import duckdb
import pytest

from benchmarks.compare import compare_table


@pytest.mark.parametrize(("hand", "dbt", "mismatched"), [
    ("null", "null", 0),
    ("1.0", "1.0 + 1e-12", 0),
    ("null", "1.0", 1),
    ("1.0", "null", 1),
    ("1.0", "1.5", 1),
])
def test_double_columns(hand: str, dbt: str, mismatched: int) -> None:
    con = duckdb.connect()
    con.execute("create schema bench_hand")
    con.execute(f"create table bench_hand.t as select 1 as k, cast({hand} as double) as v, "
                "cast(null as varchar) as s")
    con.execute(f"create table d as select 1 as k, cast({dbt} as double) as v, "
                "cast(null as varchar) as s")
    assert compare_table(con, "t", "d", ("k",))["mismatched_rows"] == mismatched


def test_other_columns_and_missing_keys() -> None:
    con = duckdb.connect()
    con.execute("create schema bench_hand")
    con.execute("create table bench_hand.t as select * from (values (1, 'a'), (2, null), "
                "(3, 'c')) as v(k, s)")
    con.execute("create table d as select * from (values (1, 'a'), (2, 'b'), (4, 'c')) as v(k, s)")
    result = compare_table(con, "t", "d", ("k",))
    assert result["mismatched_rows"] == 3  # k=2 null vs 'b', k=3 only by hand, k=4 only in dbt
