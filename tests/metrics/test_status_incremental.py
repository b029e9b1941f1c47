"""metric_status's incremental run equals the full build it replaces, on the default demo.

The scheduled run recomputes the periods from the first of the month 35 days before the last
day built, and reads metric_values no further back than two baseline windows before that
(models/metrics/metric_status.sql): its first pass judges the periods inside the targets'
baselines, each against a baseline window of its own. The demo's six months of days reach
further back than that, so the run below leaves values out, and must still write every row as
the full build did. (Reading one window back is not enough: the first pass then judges the
baselines' own periods on a short history, and 205 rows of the demo change.) The run replaces
the periods it writes whole: a status left from an earlier run whose metric value is gone does
not survive it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from breadcrumbs.dbt import run_dbt
from breadcrumbs.project import resolve_paths
from tests.paths import ROOT

DAILY_BASELINE_DAYS = 7 * 8  # baseline_weeks 8 (the catalog's default) of a daily metric
LOOKBACK_DAYS = 35  # var metric_status_lookback_days


def test_an_incremental_run_of_metric_status_equals_the_full_build(
    default_warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "wh.duckdb"
    shutil.copy(default_warehouse, copy)
    built = resolve_paths(str(default_warehouse), root=ROOT)
    paths = resolve_paths(str(copy), root=ROOT)
    with duckdb.connect(str(copy)) as con:
        # a status whose metric value is gone (its period's inputs moved since the last run):
        # the run must not leave it behind
        con.execute(
            "insert into metrics.metric_status by name select * replace ('gone' as entity_id) "
            "from metrics.metric_status where grain = 'month' and period_start = "
            "(select max(period_start) from metrics.metric_status where grain = 'month') limit 1"
        )
        assert con.execute(
            "select count(*) from metrics.metric_status where entity_id = 'gone'"
        ).fetchone()[0] == 1
    run_dbt(["run", "--select", "metric_status"], paths, seeds_dir=built.seeds_dir)

    compiled = next((paths.target_dir / "run").rglob("metric_status.sql")).read_text()
    assert "cast(null as timestamp) as window_start_at" not in compiled  # the incremental path

    with duckdb.connect(str(copy), read_only=True) as con:
        first_day, last_day = con.execute(
            "select min(period_start), max(period_start) from metrics.metric_values "
            "where grain = 'day'"
        ).fetchone()
        window = (last_day - dt.timedelta(days=LOOKBACK_DAYS)).replace(day=1)
        # the run read less than the whole history
        assert first_day < window - dt.timedelta(days=2 * DAILY_BASELINE_DAYS)

        con.execute(f"attach '{default_warehouse}' as full_build (read_only)")
        columns = ", ".join(
            row[0] for row in con.execute(
                "select column_name from duckdb_columns() where database_name = 'full_build' "
                "and schema_name = 'metrics' and table_name = 'metric_status' "
                "order by column_index"
            ).fetchall()
        )
        only_new, only_full = (
            con.execute(
                f"select count(*) from (select {columns} from {a}.metrics.metric_status "
                f"except all select {columns} from {b}.metrics.metric_status)"
            ).fetchone()[0]
            for a, b in (("wh", "full_build"), ("full_build", "wh"))
        )
        total = con.execute("select count(*) from metrics.metric_status").fetchone()[0]
    assert total > 10_000
    assert (only_new, only_full) == (0, 0)
