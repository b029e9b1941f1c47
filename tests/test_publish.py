"""The BI snapshot: copied by schema, comments kept, written by atomic rename."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from breadcrumbs import publish as publish_module
from breadcrumbs.publish import publish


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema raw_github; create schema seeds")
    con.execute("create table marts.fct_x as select range as x_id from range(5)")
    con.execute("comment on table marts.fct_x is 'one row per x'")
    con.execute("comment on column marts.fct_x.x_id is 'the x'")
    con.execute("create view marts.v_x as select x_id * 2 as y from marts.fct_x")
    con.execute("create table raw_github.pull_requests as select 'dev-ana' as login")
    con.execute("create table seeds.teams as select 'payments' as team_id")
    con.close()
    return path


def test_publish_copies_published_schemas_only(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "pub" / "published.duckdb"
    counts = publish(warehouse, target)
    assert counts == {"marts.fct_x": 5, "marts.v_x": 5, "seeds.teams": 1}
    con = duckdb.connect(str(target), read_only=True)
    schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
    assert schemas == {"marts", "seeds"}  # raw data (with logins) is never published
    assert con.execute("select comment from duckdb_tables() where table_name = 'fct_x'"
                       ).fetchone() == ("one row per x",)
    assert con.execute("select comment from duckdb_columns() where column_name = 'x_id' "
                       "and table_name = 'fct_x'").fetchone() == ("the x",)
    con.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["published.duckdb"]


def test_failed_publish_keeps_the_previous_snapshot(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "published.duckdb"
    publish(warehouse, target)
    before = target.read_bytes()

    def broken(identifier: str) -> str:
        if identifier == "v_x":
            raise RuntimeError("disk full")
        return '"' + identifier + '"'

    monkeypatch.setattr(publish_module, "_quote", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(warehouse, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "published" in p.name) == [
        "published.duckdb"
    ]


def test_publish_without_warehouse_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="breadcrumbs demo"):
        publish(tmp_path / "missing.duckdb", tmp_path / "p.duckdb")


def test_the_projects_views_publish_from_a_warehouse_of_any_name(
    default_warehouse: Path, tmp_path: Path
) -> None:
    """publish attaches the warehouse under its own alias: a view naming the warehouse's
    database (`"breadcrumbs"."marts"...`) would find no such catalog there. The demo's
    warehouses are called `wh.duckdb`, which is also that alias, so the copy gets a name of
    its own (the default `breadcrumbs.duckdb`)."""
    renamed = tmp_path / "breadcrumbs.duckdb"
    renamed.write_bytes(default_warehouse.read_bytes())
    con = duckdb.connect(str(renamed), read_only=True)
    views = con.execute(
        "select schema_name || '.' || view_name from duckdb_views() "
        "where not internal and schema_name in ('marts', 'metrics', 'seeds')").fetchall()
    expected = {name: con.execute(f"select count(*) from {name}").fetchone()[0]
                for (name,) in views}
    con.close()
    assert "metrics.m_mrr" in expected and expected["metrics.m_mrr"] > 0, expected
    counts = publish(renamed, tmp_path / "published.duckdb")
    assert {name: counts[name] for name in expected} == expected
