"""A scheduled run a day later: only the new day is fetched, and the marts equal a rebuild.

The simulator serves the small scenario as of one day before its end; a first `run` loads that
(a full load), the clock moves on by a day, and a second `run` loads incrementally. The marts
must equal those of the demo warehouse, which loaded everything at once.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.ingest import ingest, simulator_env
from breadcrumbs.project import resolve_paths
from breadcrumbs.run import run
from breadcrumbs.simulator.as_of import visible_world
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds
from breadcrumbs.simulator.server import serve
from tests.paths import ROOT

REVIEWS = re.compile(r"^/github/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/reviews$")
JOBS = re.compile(r"^/github/repos/(?P<repo>[^/]+/[^/]+)/actions/runs/(?P<id>\d+)/jobs$")

pytestmark = [pytest.mark.slow, pytest.mark.system, pytest.mark.timeout(1800)]


def point_at(server, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in simulator_env(server, server.visible).items():
        monkeypatch.setenv(key, value)


def test_a_run_a_day_later_fetches_the_new_day_and_matches_a_full_rebuild(
    small_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    world = generate(load_scenario(ROOT / "scenarios" / "small.yaml"))
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    write_seeds(world, paths.seeds_dir)
    yesterday = world.end - timedelta(days=1)
    before = visible_world(world, yesterday)
    try:
        with serve(world, as_of=yesterday) as server:
            point_at(server, monkeypatch)
            first = run(paths, say=lambda _m: None, init=True)  # a new warehouse
            first_requests = len(server.request_log)
            server.clear_log()

            server.as_of = None  # a day later: the whole scenario
            point_at(server, monkeypatch)
            second = run(paths, say=lambda _m: None)
            log = list(server.request_log)
            # nothing changed since: what the sources re-read (windows, full lists) is unchanged
            # and lands nothing, so a run reports only rows that changed
            third = ingest(paths.warehouse)
    finally:
        shutil.rmtree(paths.seeds_dir, ignore_errors=True)

    assert first.freshness != "error" and second.freshness != "error"
    # only new data is fetched: a fraction of the first load's requests ...
    assert 0 < len(log) < first_requests / 4, (len(log), first_requests)
    # ... details only for PRs and CI runs that are new or changed since yesterday ...
    new_pulls = {(repo, p["number"]) for repo, activity in world.repos.items()
                 for p in activity.pulls} - {
        (repo, p["number"]) for repo, activity in before.repos.items() for p in activity.pulls}
    asked = {(m["repo"], int(m["number"])) for r in log if (m := REVIEWS.match(r.path))}
    assert new_pulls and asked == new_pulls
    old_runs = {r["id"] for activity in before.repos.values() for r in activity.workflow_runs
                if r["created_at"] < (yesterday - timedelta(days=8)).strftime("%Y-%m-%dT%H")}
    jobs_asked = {int(m["id"]) for r in log if (m := JOBS.match(r.path))}
    assert jobs_asked and not jobs_asked & old_runs
    # ... and signals only from where the last run stopped
    starts = [float(re.search(r"[?&]start=([^&]+)", r.target)[1]) for r in log
              if r.path.endswith("/api/v1/query_range")]
    assert starts and min(starts) >= yesterday.timestamp() - 3600
    samples = "raw_signals.samples"
    assert second.raw_rows.get(samples, 0) < first.raw_rows[samples] / 10
    relanded = {table: rows for table, rows in third.items()
                if rows and not table.startswith("raw_signals.")}
    assert relanded == {}, relanded

    # the second build tested the signal samples from the new day on, not the whole history
    compiled = next((paths.target_dir / "compiled").rglob(
        "not_null_stg_signals__samples_series.sql")).read_text()
    assert "where load_id > '" in compiled, compiled
    # ... and the incremental models' window and newest load read were constants in their SQL
    # (a scalar subquery in the filter makes DuckDB read every row of the history)
    for model, constant in (("int_signals__service_hours", "hour_at >= cast('"),
                            # the features' first uses: the source's first load after the
                            # built one (loads_landed_after_built)
                            ("int_signals__feature_first_uses", "load_id >= '")):
        compiled = next((paths.target_dir / "compiled").rglob(f"{model}.sql")).read_text()
        assert constant in compiled and "select greatest(" not in compiled, compiled
    # ... and the hourly pivot's window is also on the landed instant, which DuckDB can skip by
    compiled = next((paths.target_dir / "compiled").rglob("int_signals__service_hours.sql"))
    assert "sampled_at_tz > (cast('" in compiled.read_text(), compiled.read_text()
    # the CI chain finds what landed by the raw load id too, so the older loads are skipped
    for model in ("int_delivery__ci_runs", "int_delivery__ci_jobs"):
        compiled = next((paths.target_dir / "compiled").rglob(f"{model}.sql")).read_text()
        assert "load_id >= cast('" in compiled, compiled
    # the end of the signal data reads only the loads holding the latest samples ...
    compiled = next((paths.target_dir / "compiled").rglob("int_signals__last_sample.sql"))
    assert "where load_id >= '" in compiled.read_text(), compiled.read_text()

    con = duckdb.connect(str(paths.warehouse), read_only=True)  # its catalog is `wh`
    try:
        # ... and is still the latest sample of them all
        assert con.execute("select data_end_at from intermediate.int_signals__last_sample"
                           ).fetchall() == con.execute(
            "select max(sampled_at) from staging.stg_signals__samples").fetchall()
        con.execute(f"attach '{small_warehouse}' as ref (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'ref' "
            "and schema_name in ('marts', 'metrics') order by 1, 2").fetchall()
        assert len(tables) > 10
        differences = {}
        for schema, table in tables:
            ours = con.execute(f"select count(*) from wh.{schema}.{table}").fetchone()[0]
            diff = table_diff(con, table, schema)
            if diff != (0, 0):
                differences[f"{schema}.{table}"] = (ours, *diff)
        assert differences == {}, f"table: (rows, only incremental, only full) {differences}"
    finally:
        con.close()


def table_diff(con: duckdb.DuckDBPyConnection, table: str,
               schema: str = "marts") -> tuple[int, int]:
    """Rows only in the incremental warehouse (`wh`), rows only in the full rebuild (`ref`).

    Doubles are compared to 9 decimals: an average of the same values summed in another order
    (rows sit in another physical order after delete+insert) can differ in the last bit.
    """
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'ref' "
        "and schema_name = ? and table_name = ? order by column_index", [schema, table]).fetchall()
    select = ", ".join(f"round({name}, 9)" if kind in ("DOUBLE", "FLOAT") else name
                       for name, kind in columns)
    ours = f"select {select} from wh.{schema}.{table}"
    ref = f"select {select} from ref.{schema}.{table}"
    only_ours = con.execute(f"select count(*) from ({ours} except all {ref})").fetchone()[0]
    only_ref = con.execute(f"select count(*) from ({ref} except all {ours})").fetchone()[0]
    return only_ours, only_ref
