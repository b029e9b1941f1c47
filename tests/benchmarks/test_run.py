"""benchmarks/run.py on a tiny scaled org: every stage runs (dbt build, handwritten SQL equal
to the marts and the dbt build of its models, incremental day, why, the same org with twice
the history) and latest.json has the documented keys. No timing is asserted: only that the
numbers are there and consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.run import (
    LARGE_HISTORY_ROWS,
    RESULT_KEYS,
    TARGETS,
    check_targets,
    main,
    memory_limit_for,
)
from breadcrumbs.dbt import MEMORY_LIMIT_ENV


@pytest.mark.system  # runs the benchmark on a tiny org: make test-system
def test_run_writes_the_result_schema(tiny_base, tiny_scenario: Path, tmp_path: Path) -> None:
    _plan, _world, base = tiny_base
    out = tmp_path / "latest.json"
    assert main(["--scenario", str(tiny_scenario), "--workdir", str(tmp_path / "work"),
                 "--base-warehouse", str(base), "--histories", "1", "2",
                 "--skip", "fixed_cost", "demo",
                 "--out", str(out)]) == 0
    result = json.loads(out.read_text())

    assert set(RESULT_KEYS) <= set(result)
    assert result["raw_rows"] > 0 and result["ingest_rows_per_s"] > 0
    assert result["http_ingest_rows_per_s"] is None  # the base was given, not ingested here
    for key in ("dbt_full_build_s", "handwritten_sql_s", "incremental_build_s", "why_s",
                "peak_rss_mb"):
        assert isinstance(result[key], float | int) and result[key] > 0, key
    assert result["demo_warm_s"] is None and result["dbt_fixed_cost_s"] is None
    assert result["dbt_fixed_cost_models_s"] is None
    assert result["incremental_rows"] > 0
    assert result["scale"]["teams"] == 4 and result["scale"]["copies"] == 2
    assert result["machine"]["cores"] >= 1 and result["machine"]["versions"]["duckdb"]
    assert len(result["load_average"]["start"]) == 3

    check = result["handwritten_check"]["tables"]
    assert set(check) == {"slo_daily", "mrr_movements", "metric_values", "dora_team_weekly"}
    for table, info in check.items():
        assert info["mismatched_rows"] == 0, table
        assert info["handwritten_rows"] == info["dbt_rows"], table
    assert check["slo_daily"]["dbt_rows"] > 0 and check["metric_values"]["dbt_rows"] > 0
    assert check["dora_team_weekly"]["dbt_rows"] > 0

    assert set(result["targets"]) == {"dbt_vs_handwritten", "peak_rss_mb", "incremental_vs_full",
                                      "ingest_rows_per_s", "why_s", "demo_warm_s",
                                      "daily_run_history", "full_build_per_mrow",
                                      "peak_rss_mb_at_longest_history", "dbt_fixed_cost_s",
                                      "handwritten_models"}
    runs = result["history_runs"]
    assert set(runs) == {"1", "2"}
    assert runs["1"]["raw_rows"] == result["raw_rows"]
    assert runs["2"]["raw_rows"] > runs["1"]["raw_rows"]  # twice the days
    for run in runs.values():
        assert run["full_build_s"] > 0 and run["daily_run_s"] > 0 and run["daily_new_rows"] > 0
        # two held-out days: the run right after the backfill, then a morning like any other
        assert run["daily_run_after_backfill_s"] > 0 and run["daily_after_backfill_new_rows"] > 0
        assert run["daily_run_after_backfill_cpu_s"] > 0
        assert run["full_build_cpu_s"] > 0 and run["daily_run_cpu_s"] > 0
        assert run["full_build_s_per_mrow"] == round(
            run["full_build_s"] / (run["raw_rows"] / 1e6), 4)
        assert run["memory_limit"] == "default"  # a tiny org: the profile's limit
    # the longer history's own builds, node by node (1x has dbt_profile and incremental_profile)
    assert runs["2"]["full_build_profile"]["nodes_by_type"]["model"] > 0
    assert runs["2"]["daily_run_profile"]["slowest"]
    assert runs["2"]["daily_run_after_backfill_profile"]["slowest"]
    assert result["incremental_after_backfill_profile"]["slowest"]
    assert result["incremental_build_after_backfill_s"] == runs["1"]["daily_run_after_backfill_s"]
    assert result["incremental_build_s"] == runs["1"]["daily_run_s"]
    assert result["stages"]["history_2x_verdicts"]["verdicts"] == runs["2"]["daily_verdicts"]
    for name in ("daily_run_history", "full_build_per_mrow", "peak_rss_mb_at_longest_history"):
        assert result["targets"][name]["history"] == 2 and result["targets"][name]["value"] > 0
    assert result["targets"]["daily_run_history"]["value"] == round(
        runs["2"]["daily_run_s"] / runs["1"]["daily_run_s"], 3)
    assert result["targets"]["daily_run_history"]["after_backfill"] == round(
        runs["2"]["daily_run_after_backfill_s"] / runs["1"]["daily_run_after_backfill_s"], 3)
    assert result["dbt_handwritten_models_s"] > 0
    assert result["stages"]["dbt_handwritten_models"]["models"] > 0
    assert result["targets"]["handwritten_models"]["value"] == round(
        result["dbt_handwritten_models_s"] / result["handwritten_sql_s"], 3)
    assert result["targets"]["dbt_fixed_cost_s"]["met"] is None  # skipped
    assert result["targets"]["demo_warm_s"]["met"] is None
    assert result["targets"]["peak_rss_mb"]["met"] == (result["peak_rss_mb"]
                                                       <= TARGETS["peak_rss_mb_max"])
    assert result["dbt_profile"]["slowest"]
    assert result["dbt_profile"]["nodes_by_type"]["model"] > 0
    assert result["dbt_profile"]["nodes_by_type"]["test"] > 0
    assert result["targets"]["dbt_vs_handwritten"]["floor"] is None  # fixed cost skipped
    assert result["targets"]["dbt_vs_handwritten"]["floor_without_data_tests"] is None


def test_targets_state_the_floor_dbts_fixed_cost_sets() -> None:
    result = {"dbt_full_build_s": 150.0, "handwritten_sql_s": 12.0, "incremental_build_s": 90.0,
              "dbt_fixed_cost_s": 30.0, "dbt_fixed_cost_models_s": 18.0, "peak_rss_mb": 3800.0,
              "ingest_rows_per_s": 500_000, "why_s": 0.6, "demo_warm_s": 2.0}
    targets = check_targets(result)
    assert targets["dbt_vs_handwritten"] == {"value": 12.5, "target": "<= 2.0", "met": False,
                                             "floor": 2.5, "floor_without_data_tests": 1.5}
    assert targets["incremental_vs_full"] == {"value": 0.6, "target": "<= 0.1", "met": False,
                                              "floor": 0.2, "floor_without_data_tests": 0.12}
    assert targets["why_s"] == {"value": 0.6, "target": "< 5.0", "met": True}


def test_a_large_history_gets_a_larger_duckdb_memory_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    assert memory_limit_for(56_422_800) is None  # 1x: the profile's 2.5 GB
    assert memory_limit_for(LARGE_HISTORY_ROWS) is None
    assert memory_limit_for(221_823_700) == "4GB"  # 4x: out of memory at 2.5 GB
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "6GB")
    assert memory_limit_for(221_823_700) is None  # the caller's limit is kept
