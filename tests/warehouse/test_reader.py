"""The warehouse reader (breadcrumbs/warehouse/): `?` placeholders on PostgreSQL, the engine
chosen from the dbt profile's target, and clear errors for a target it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from breadcrumbs.warehouse import WarehouseError, open_warehouse
from breadcrumbs.warehouse.duckdb_reader import DuckDBWarehouse
from breadcrumbs.warehouse.postgres_reader import qmark_to_format
from breadcrumbs.warehouse.profile import target_output


def test_placeholders_become_psycopg2_format_outside_quotes() -> None:
    sql = "select '?', \"a?b\" from t where x = ? and y like 'a%' and z = ? and w % 2 = 0"
    assert qmark_to_format(sql) == (
        "select '?', \"a?b\" from t where x = %s and y like 'a%%' and z = %s and w %% 2 = 0")


def test_the_default_target_is_the_duckdb_file_the_cli_resolved(monkeypatch) -> None:
    monkeypatch.delenv("BREADCRUMBS_TARGET", raising=False)
    assert target_output(None, Path("/x/wh.duckdb")) == {
        "name": "duckdb", "type": "duckdb", "path": "/x/wh.duckdb"}


def test_the_postgres_target_comes_from_the_profile_and_its_environment(monkeypatch) -> None:
    monkeypatch.setenv("BREADCRUMBS_TARGET", "postgres")
    monkeypatch.setenv("BREADCRUMBS_PG_HOST", "db.internal")
    monkeypatch.setenv("BREADCRUMBS_PG_PORT", "6543")
    monkeypatch.delenv("BREADCRUMBS_PG_DBNAME", raising=False)
    output = target_output(None, Path("ignored.duckdb"))
    assert (output["name"], output["type"], output["host"], output["port"], output["dbname"]) \
        == ("postgres", "postgres", "db.internal", 6543, "breadcrumbs")


def test_an_unknown_target_names_the_ones_there_are(monkeypatch) -> None:
    monkeypatch.setenv("BREADCRUMBS_TARGET", "snowflake")
    with pytest.raises(WarehouseError, match="no target 'snowflake': use one of duckdb, "
                                             "postgres, spark"):
        open_warehouse(Path("ignored.duckdb"))


def test_a_target_without_a_reader_says_which_engines_are_read(monkeypatch) -> None:
    monkeypatch.setenv("BREADCRUMBS_TARGET", "spark")
    with pytest.raises(WarehouseError, match="spark warehouse: why, report and review read "
                                             "DuckDB and PostgreSQL"):
        open_warehouse(Path("ignored.duckdb"))


def test_a_missing_duckdb_file_says_to_build_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("BREADCRUMBS_TARGET", raising=False)
    with pytest.raises(WarehouseError, match="does not exist .run `breadcrumbs demo` first"):
        open_warehouse(tmp_path / "none.duckdb")


def test_a_warehouse_without_the_metrics_layer_names_what_is_missing(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "half.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema metrics; create table metrics.metric_values (x int)")
    con.close()
    with pytest.raises(WarehouseError, match="has no metric_status, metric_catalog, "
                                             "metric_edges .build models/metrics with dbt"):
        open_warehouse(path, target="duckdb")


def test_duckdb_rows_are_dicts_and_tables_are_located(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    for name in ("metric_values", "metric_status", "metric_catalog", "metric_edges"):
        con.execute(f"create schema if not exists metrics; create table metrics.{name} (x int)")
    con.execute("insert into metrics.metric_values values (1), (2)")
    con.close()
    wh = open_warehouse(path, target="duckdb")
    try:
        assert isinstance(wh, DuckDBWarehouse) and wh.engine == "duckdb"
        assert wh.table("metric_values") == '"metrics"."metric_values"'
        assert not wh.has("fct_incidents")
        assert wh.rows(f"select x from {wh.table('metric_values')} where x > ? order by x",
                       [0]) == [{"x": 1}, {"x": 2}]
    finally:
        wh.close()


def test_a_copy_in_a_schema_sorted_first_does_not_hide_the_built_table(tmp_path: Path) -> None:
    """A table is read from the schema dbt builds its layer in (`metrics`, `marts`, `seeds`):
    a scratch copy in `a_dev` or `bench_hand` (sorted before them) is not read; a table found
    only elsewhere is still located there."""
    import duckdb

    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema metrics; create schema bench_hand; create schema a_dev")
    for name in ("metric_values", "metric_status", "metric_catalog", "metric_edges"):
        con.execute(f"create table metrics.{name} (x int)")
    con.execute("create table bench_hand.metric_values (x int)")
    con.execute("create table a_dev.fct_incidents (x int)")
    con.execute("create table a_dev.teams (x int); create schema seeds; "
                "create table seeds.teams (x int)")
    con.close()
    wh = open_warehouse(path, target="duckdb")
    try:
        assert wh.table("metric_values") == '"metrics"."metric_values"'
        assert wh.table("teams") == '"seeds"."teams"'
        assert wh.table("fct_incidents") == '"a_dev"."fct_incidents"'  # found only there
    finally:
        wh.close()


def test_duckdb_bulk_insert_writes_what_the_multi_row_inserts_write():
    """DuckDBWarehouse.insert_rows (one Arrow table) against Warehouse.insert_rows (bound
    parameters): same rows, nulls, dates, an int in a double column, and no rows at all."""
    import datetime

    import duckdb

    from breadcrumbs.warehouse.reader import Warehouse

    con = duckdb.connect()
    con.execute("create table t (a varchar, d date, z double, b boolean)")
    wh = DuckDBWarehouse(con)
    rows = [("x", datetime.date(2026, 1, 1), 1, True), (None, None, None, None),
            ("y", None, 2.5, False)]
    written = []
    for insert in (wh.insert_rows, lambda *args: Warehouse.insert_rows(wh, *args)):
        con.execute("delete from t")
        insert("t", ["a", "d", "z", "b"], rows)
        insert("t", ["a", "d", "z", "b"], [])
        written.append(con.execute("select * from t order by all").fetchall())
    assert written[0] == written[1] and len(written[0]) == 3
