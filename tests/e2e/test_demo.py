"""The demo end to end on the small scenario: simulate, serve, ingest over HTTP, dbt build."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.cli import main
from tests.paths import ROOT

RAW_SCHEMAS = ("raw_github", "raw_ci", "raw_incidents", "raw_revenue", "raw_signals",
               "raw_cloud_cost")


def test_every_raw_schema_is_landed(small_warehouse: Path) -> None:
    con = duckdb.connect(str(small_warehouse), read_only=True)
    for schema in RAW_SCHEMAS:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = ? "
            "and table_name not like '_dlt%'", [schema]).fetchall()]
        assert tables, f"{schema} has no tables"
        rows = sum(con.execute(f'select count(*) from {schema}."{t}"').fetchone()[0]
                   for t in tables)
        assert rows > 0, f"{schema} is empty"
    con.close()


def test_staging_views_are_built_and_queryable(small_warehouse: Path) -> None:
    con = duckdb.connect(str(small_warehouse), read_only=True)
    views = [r[0] for r in con.execute(
        "select view_name from duckdb_views() where schema_name = 'staging'").fetchall()]
    assert len(views) >= 15
    for view in views:
        con.execute(f"select count(*) from staging.{view}").fetchone()
    assert con.execute("select count(*) from staging.stg_github__pull_requests").fetchone()[0] > 0
    con.close()


def test_published_snapshot_and_seeds_exist(small_warehouse: Path) -> None:
    published = small_warehouse.with_name(f"{small_warehouse.stem}_published.duckdb")
    assert published.exists()
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("select count(*) from seeds.services").fetchone()[0] > 0
    assert con.execute("select count(*) from marts.fct_slo_daily").fetchone()[0] > 0
    con.close()


def test_demo_refuses_to_replace_a_warehouse_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "prod.duckdb"
    duckdb.connect(str(precious)).close()
    before = precious.read_bytes()
    monkeypatch.chdir(ROOT)
    code = main(["demo", "--scenario", "scenarios/small.yaml", "--warehouse", str(precious)])
    assert code == 1
    err = capsys.readouterr().err
    assert "refusing to replace" in err and "Traceback" not in err
    assert precious.read_bytes() == before
    assert not os.path.exists(tmp_path / ".prod")
