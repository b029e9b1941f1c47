"""`breadcrumbs run` cannot surprise: it never creates a warehouse unless told (`--init`), says
when a load is a full backfill, and refreshes the snapshot the BI tools read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from breadcrumbs.cli import main
from breadcrumbs.project import resolve_paths
from breadcrumbs.run import NoWarehouse, backfilled_sources, check_warehouse
from tests.paths import ROOT


def test_a_mistyped_warehouse_is_refused_before_anything_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    warehouse = tmp_path / "typo" / "breadcrums.duckdb"
    code = main(["run", "--warehouse", str(warehouse)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"no warehouse at {warehouse}" in err and "--init" in err
    assert not warehouse.parent.exists()  # no folder, no lock, no dlt state


def test_init_allows_a_new_warehouse(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "new.duckdb"), root=ROOT)
    with pytest.raises(NoWarehouse):
        check_warehouse(paths, init=False)
    check_warehouse(paths, init=True)  # no error


def test_backfill_is_named_per_source_with_nothing_landed(tmp_path: Path) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    assert backfilled_sources(paths) == ["github", "ci", "incidents", "revenue", "signals",
                                         "cloud_cost"]
    con = duckdb.connect(str(paths.warehouse))
    for schema in ("raw_github", "raw_revenue"):  # what dlt leaves after a load
        con.execute(f"create schema {schema}")
        con.execute(f"create table {schema}._dlt_loads (load_id varchar)")
        con.execute(f"insert into {schema}._dlt_loads values ('1764979200.1')")
    con.close()
    assert backfilled_sources(paths) == ["ci", "incidents", "signals", "cloud_cost"]
    assert backfilled_sources(paths, ["github"]) == []


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (("wh/a.duckdb", None), None, "wh/a_published.duckdb"),
        (("wh/a.duckdb", None), "bi/snapshot.duckdb", "bi/snapshot.duckdb"),
        (("wh/a.duckdb", "other/p.duckdb"), "bi/snapshot.duckdb", "other/p.duckdb"),
        ((None, None), None, "warehouse/breadcrumbs_published.duckdb"),
        ((None, None), "bi/snapshot.duckdb", "bi/snapshot.duckdb"),
    ],
)
def test_published_snapshot_precedence(
    args: tuple[str | None, str | None], env: str | None, expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--published, then BREADCRUMBS_PUBLISHED (also with --warehouse), then beside an explicit
    warehouse, then the default."""
    monkeypatch.delenv("BREADCRUMBS_WAREHOUSE", raising=False)
    if env:
        monkeypatch.setenv("BREADCRUMBS_PUBLISHED", env)
    else:
        monkeypatch.delenv("BREADCRUMBS_PUBLISHED", raising=False)
    warehouse, published = args
    paths = resolve_paths(warehouse, root=ROOT, published=published)
    assert paths.published == ROOT / expected
