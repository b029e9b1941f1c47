"""Scheduled runs test the large append-only tables only where new rows landed
(macros/data_tests_on_new_rows.sql, breadcrumbs/run.py `scheduled_build`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import breadcrumbs.run as scheduled
from breadcrumbs.dbt import DbtError, run_dbt
from breadcrumbs.ingest import newest_load_id
from breadcrumbs.project import Paths, resolve_paths
from tests.paths import ROOT

pytestmark = pytest.mark.system  # builds its own warehouses: make test-system

SAMPLES_KEY_TEST = "stg_signals__samples,test_name:unique_combination_of_columns"
HOURS_KEY_TEST = "int_signals__service_hours,test_name:unique_combination_of_columns"


@pytest.fixture
def scratch(small_warehouse: Path, tmp_path: Path) -> Paths:
    """A private copy of the small demo warehouse and its seeds."""
    source = resolve_paths(str(small_warehouse), root=ROOT)
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    shutil.copyfile(small_warehouse, paths.warehouse)
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)
    shutil.copytree(source.seeds_dir, paths.seeds_dir)
    yield paths
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)


def execute(warehouse: Path, sql: str, params: list | None = None) -> None:
    """Run one statement on the warehouse (what a source or a faulty build would have written)."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def land_duplicate_sample(warehouse: Path, load_id: str) -> None:
    """Land again the first sample (same metric, series and time) under `load_id`."""
    execute(warehouse, "insert into raw_signals.samples select * replace (? as _dlt_load_id) "
            "from raw_signals.samples order by ts limit 1", [load_id])


def land_next_sample(warehouse: Path, load_id: str) -> None:
    """Land the newest sample again an hour later under `load_id` (the next hour's data)."""
    execute(warehouse, "insert into raw_signals.samples select * replace "
            "(ts + interval 1 hour as ts, ? as _dlt_load_id) from raw_signals.samples "
            "order by ts desc limit 1", [load_id])


def duplicate_service_hour(warehouse: Path, when: str) -> None:
    """Insert a second row for one service hour of int_signals__service_hours: the first hour
    (`first`), or the first hour a scheduled run rebuilds (`window`: midnight 72 hours before
    the latest hour, incremental_window_start)."""
    hour = {"first": "(select min(hour_at) from intermediate.int_signals__service_hours)",
            "window": "(select date_trunc('day', max(hour_at) - interval 72 hour) "
                      "from intermediate.int_signals__service_hours)"}[when]
    execute(warehouse, "insert into intermediate.int_signals__service_hours "
            f"select * from intermediate.int_signals__service_hours where hour_at = {hour} "
            "limit 1")


def key_test(paths: Paths, loaded_after: str | None, select: str = SAMPLES_KEY_TEST) -> str:
    """Run a key test (by default the samples'); 'pass' or 'fail'."""
    env = {scheduled.TESTS_LOADED_AFTER: loaded_after} if loaded_after else None
    try:
        run_dbt(["test", "--select", select], paths, seeds_dir=paths.seeds_dir,
                extra_env=env)
    except DbtError as error:
        assert "FAIL 1" in str(error) or "Got 1 result" in str(error), str(error)
        return "fail"
    return "pass"


def test_a_duplicate_landed_after_the_green_build_is_caught(scratch: Paths) -> None:
    green = newest_load_id(scratch.warehouse)
    assert key_test(scratch, green) == "pass"
    # the duplicate pairs a year-old sample with a row landed now: the window starts at the
    # new row's time, so both rows are in it
    land_duplicate_sample(scratch.warehouse, f"{float(green) + 86400:.6f}")
    assert key_test(scratch, green) == "fail"


def compiled_test(paths: Paths, prefix: str) -> str:
    """The SQL the last dbt invocation ran for the test whose name starts with `prefix`."""
    results = json.loads((paths.target_dir / "run_results.json").read_text())["results"]
    return next(r["compiled_code"] for r in results
                if r["unique_id"].split(".")[2].startswith(prefix))


def test_the_samples_key_test_reads_only_the_loads_its_window_can_hold(scratch: Paths) -> None:
    """landed_since_last_green_build(sampled_at, ts): the window's rows are found through the
    raw `ts`, so the test skips every load older than the oldest one holding a row at or after
    the earliest new sample (DuckDB prunes by load id, not through the view's expression)."""
    green = newest_load_id(scratch.warehouse)
    next_load, later = f"{float(green) + 86400:.6f}", f"{float(green) + 2 * 86400:.6f}"
    land_next_sample(scratch.warehouse, next_load)  # the next hour, in a load of its own
    assert key_test(scratch, green) == "pass"
    sql = compiled_test(scratch, "unique_combination_of_columns_stg_signals__samples")
    assert f"load_id >= '{next_load}' and not coalesce(sampled_at < cast('" in sql, sql
    # a new row duplicating that sample is in the window and in a load it reads
    execute(scratch.warehouse, "insert into raw_signals.samples select * replace "
            "(? as _dlt_load_id) from raw_signals.samples where _dlt_load_id = ?",
            [later, next_load])
    assert key_test(scratch, next_load) == "fail"
    assert f"load_id >= '{next_load}' and" in compiled_test(
        scratch, "unique_combination_of_columns_stg_signals__samples")
    execute(scratch.warehouse, "delete from raw_signals.samples where _dlt_load_id = ?", [later])
    # a duplicate of a year-old sample: the bound goes back to that sample's own load
    land_duplicate_sample(scratch.warehouse, f"{float(green) + 3 * 86400:.6f}")
    assert key_test(scratch, later) == "fail"
    sql = compiled_test(scratch, "unique_combination_of_columns_stg_signals__samples")
    with duckdb.connect(str(scratch.warehouse), read_only=True) as con:
        first_load = con.execute("select min(_dlt_load_id) from raw_signals.samples").fetchone()[0]
    assert f"load_id >= '{first_load}'" in sql, sql


def test_a_duplicate_among_rows_tested_before_is_left_to_full_builds(scratch: Paths) -> None:
    green = newest_load_id(scratch.warehouse)
    land_duplicate_sample(scratch.warehouse, green)  # as if it had landed before that build
    assert key_test(scratch, green) == "pass"  # not re-tested by a scheduled run ...
    assert key_test(scratch, None) == "fail"  # ... but by every full test (make test, demo)


def test_the_hourly_chain_is_tested_from_the_first_hour_a_run_rebuilt(scratch: Paths) -> None:
    """rebuilt_since_last_green_build: the incremental hourly tables are tested from midnight
    96 hours before the earliest sample landed since the last green build, which covers the
    first hour any scheduled run since then rebuilt."""
    green = newest_load_id(scratch.warehouse)
    land_next_sample(scratch.warehouse, f"{float(green) + 3600:.6f}")
    duplicate_service_hour(scratch.warehouse, "first")  # months old: built from old samples
    assert key_test(scratch, green, HOURS_KEY_TEST) == "pass"  # tested by the green build ...
    assert key_test(scratch, None, HOURS_KEY_TEST) == "fail"  # ... and by every full test
    duplicate_service_hour(scratch.warehouse, "window")  # the first hour a run recomputes
    assert key_test(scratch, green, HOURS_KEY_TEST) == "fail"


def test_the_marker_moves_only_when_the_build_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    seen: list[dict[str, str] | None] = []
    newest = iter(["1700000000.5", "1700086400.25", "1700172800.75"])
    monkeypatch.setattr(scheduled, "newest_load_id", lambda _warehouse: next(newest))

    def passing(_args: list[str], *_rest: object, extra_env: dict | None = None,
                **_kwargs: object) -> str:
        seen.append(extra_env)
        return "ok"

    def failing(*args: object, **kwargs: object) -> str:
        passing(*args, **kwargs)
        raise DbtError("a data test failed")

    monkeypatch.setattr(scheduled, "run_dbt", passing)
    scheduled.scheduled_build(paths)  # first build: no marker, every row tested
    monkeypatch.setattr(scheduled, "run_dbt", failing)
    with pytest.raises(DbtError):
        scheduled.scheduled_build(paths)
    monkeypatch.setattr(scheduled, "run_dbt", passing)
    scheduled.scheduled_build(paths)
    marker = paths.state_dir / scheduled.GREEN_BUILD_FILE
    assert seen == [None, {scheduled.TESTS_LOADED_AFTER: "1700000000.5"},
                    {scheduled.TESTS_LOADED_AFTER: "1700000000.5"}]  # the failed run's rows too
    assert json.loads(marker.read_text()) == {"load_id": "1700172800.75"}
    marker.write_text('{"load_id": "1; drop table x"}')
    assert scheduled._green_load_id(marker) == ""  # unreadable marker: test every row


CI_RUNS_KEY_TEST = "fct_ci_runs,test_name:unique"
CI_CHAIN = ["int_delivery__ci_runs", "int_delivery__ci_jobs", "fct_ci_runs", "fct_ci_jobs"]


def rerun_oldest_ci_run(warehouse: Path, load_id: str) -> None:
    """Land the oldest workflow run again under `load_id`, re-run (attempt 2), as the CI
    source does when a months-old run is re-run."""
    execute(warehouse, "update raw_ci.workflow_runs set run_attempt = 2, _dlt_load_id = ? "
            "where id = (select id from raw_ci.workflow_runs order by created_at limit 1)",
            [load_id])


def duplicate_ci_run(warehouse: Path, which: str) -> None:
    """Insert a second row of one run of fct_ci_runs: the oldest (`oldest`, rebuilt after its
    re-run) or the newest (`newest`, a week no run since the green build changed)."""
    order = {"oldest": "created_at", "newest": "created_at desc"}[which]
    execute(warehouse, "insert into marts.fct_ci_runs select * from marts.fct_ci_runs "
            f"order by {order} limit 1")


def test_the_ci_chain_is_tested_on_the_weeks_a_run_rebuilt(scratch: Paths) -> None:
    """changed_since_last_green_build: the CI chain (incremental by change) is tested on the
    creation weeks holding a row loaded since the last green build; a re-run of a months-old
    run is rebuilt and tested in its week, and the untouched weeks are left to full tests."""
    green = newest_load_id(scratch.warehouse)
    rerun_oldest_ci_run(scratch.warehouse, f"{float(green) + 86400:.6f}")
    run_dbt(["build", "--select", *CI_CHAIN, "--exclude-resource-type", "unit_test"], scratch,
            seeds_dir=scratch.seeds_dir, extra_env={scheduled.TESTS_LOADED_AFTER: green})
    con = duckdb.connect(str(scratch.warehouse), read_only=True)
    try:
        attempt, = con.execute("select run_attempt from marts.fct_ci_runs "
                               "order by created_at limit 1").fetchone()
    finally:
        con.close()
    assert attempt == 2  # the months-old week was rebuilt
    duplicate_ci_run(scratch.warehouse, "newest")  # a week no load since the green build touched
    assert key_test(scratch, green, CI_RUNS_KEY_TEST) == "pass"  # tested by the green build ...
    assert key_test(scratch, None, CI_RUNS_KEY_TEST) == "fail"  # ... and by every full test
    duplicate_ci_run(scratch.warehouse, "oldest")  # the week the re-run rebuilt
    assert key_test(scratch, green, CI_RUNS_KEY_TEST) == "fail"


PRS = "stg_github__pull_requests"
PR_STATE_TEST = f"{PRS},test_name:accepted_values"
PR_KEY_TEST = f"{PRS},test_name:unique"
LABEL_NAME_TEST = "stg_github__pull_request_labels,test_name:not_null"
LABEL_PARENT_TEST = "stg_github__pull_request_labels,test_name:relationships"


def reland_pull_request(warehouse: Path, which: str, load_id: str, **changes: str) -> None:
    """Land the oldest or newest pull request again under `load_id` (dlt's merge rewrites
    the row with the new load id), with `changes` (column = SQL value)."""
    order = {"oldest": "created_at", "newest": "created_at desc"}[which]
    sets = "".join(f", {column} = {value}" for column, value in changes.items())
    execute(warehouse, f"update raw_github.pull_requests set _dlt_load_id = ?{sets} "
            f"where id = (select id from raw_github.pull_requests order by {order} limit 1)",
            [load_id])


def test_staging_is_tested_on_the_rows_of_the_loads_since_the_green_build(scratch: Paths) -> None:
    """loads_since_last_green_build() (every staging test): a scheduled run tests the rows
    landed since the last green build, a key test every row of a key landed since, a child
    table the rows whose parent landed since; the rest is left to full tests."""
    green = newest_load_id(scratch.warehouse)
    later = f"{float(green) + 86400:.6f}"
    assert key_test(scratch, green, PR_STATE_TEST) == "pass"
    # a bad value in a row landed before the green build: that build's tests saw it
    reland_pull_request(scratch.warehouse, "oldest", green, state="'bogus'")
    assert key_test(scratch, green, PR_STATE_TEST) == "pass"
    assert key_test(scratch, None, PR_STATE_TEST) == "fail"
    # the same in a row landed since: tested
    reland_pull_request(scratch.warehouse, "newest", later, state="'bogus'")
    execute(scratch.warehouse, "update raw_github.pull_requests set state = 'closed' "
            "where state = 'bogus' and _dlt_load_id = ?", [green])
    assert key_test(scratch, green, PR_STATE_TEST) == "fail"
    # a new row with an old row's id: the key's rows are all tested, the old one included
    execute(scratch.warehouse, "insert into raw_github.pull_requests select * replace "
            "(? as _dlt_load_id, _dlt_id || '-again' as _dlt_id) from raw_github.pull_requests "
            "order by created_at limit 1", [later])
    assert key_test(scratch, green, PR_KEY_TEST) == "fail"
    # a child row (a label) without a name: tested when its pull request landed since
    execute(scratch.warehouse, "update raw_github.pull_requests__labels set name = null "
            "where _dlt_id = (select label._dlt_id from raw_github.pull_requests__labels label "
            "join raw_github.pull_requests pr on pr._dlt_id = label._dlt_parent_id "
            "where pr._dlt_load_id <= ? order by label._dlt_id limit 1)", [green])
    assert key_test(scratch, green, LABEL_NAME_TEST) == "pass"
    assert key_test(scratch, None, LABEL_NAME_TEST) == "fail"
    execute(scratch.warehouse, "update raw_github.pull_requests set _dlt_load_id = ? "
            "where _dlt_id in (select _dlt_parent_id from raw_github.pull_requests__labels "
            "where name is null)", [later])
    assert key_test(scratch, green, LABEL_NAME_TEST) == "fail"
    # an orphan label (no parent row to be in scope through): its relationship test reads
    # every row
    assert key_test(scratch, green, LABEL_PARENT_TEST) == "pass"
    execute(scratch.warehouse, "insert into raw_github.pull_requests__labels select * replace "
            "('missing' as _dlt_parent_id, _dlt_id || '-orphan' as _dlt_id) "
            "from raw_github.pull_requests__labels limit 1")
    assert key_test(scratch, green, LABEL_PARENT_TEST) == "fail"


USAGE_NOT_NULL_TEST = "stg_signals__feature_usage_samples,test_name:not_null"


def test_a_usage_sample_without_its_feature_is_caught_in_the_load_it_came_in(
    scratch: Paths,
) -> None:
    """The samples' not-null tests read the loads since the last green build (their load id),
    not the time window their key test needs."""
    green = newest_load_id(scratch.warehouse)
    execute(scratch.warehouse, "insert into raw_signals.samples select * replace "
            "('' as feature, ? as _dlt_load_id) from raw_signals.samples "
            "where metric = 'feature_usage' order by ts limit 1", [green])  # landed before
    assert key_test(scratch, green, USAGE_NOT_NULL_TEST) == "pass"
    assert key_test(scratch, None, USAGE_NOT_NULL_TEST) == "fail"
    execute(scratch.warehouse, "update raw_signals.samples set _dlt_load_id = ? "
            "where metric = 'feature_usage' and feature = ''",
            [f"{float(green) + 86400:.6f}"])  # landed again since the green build
    assert key_test(scratch, green, USAGE_NOT_NULL_TEST) == "fail"
