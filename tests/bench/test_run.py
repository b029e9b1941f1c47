"""benchmarks/run.py on a tiny scaled org: every stage runs (dbt build, handwritten SQL equal
to the marts, incremental day, why) and latest.json has the documented keys. No timing is
asserted: only that the numbers are there and consistent."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.run import RESULT_KEYS, TARGETS, main


def test_run_writes_the_result_schema(tiny_base, tiny_scenario: Path, tmp_path: Path) -> None:
    _plan, _world, base = tiny_base
    out = tmp_path / "latest.json"
    assert main(["--scenario", str(tiny_scenario), "--workdir", str(tmp_path / "work"),
                 "--base-warehouse", str(base), "--skip", "demo", "--out", str(out)]) == 0
    result = json.loads(out.read_text())

    assert set(RESULT_KEYS) <= set(result)
    assert result["raw_rows"] > 0 and result["ingest_rows_per_s"] > 0
    assert result["http_ingest_rows_per_s"] is None  # the base was given, not ingested here
    for key in ("dbt_full_build_s", "handwritten_sql_s", "incremental_build_s", "why_s",
                "peak_rss_mb"):
        assert isinstance(result[key], float | int) and result[key] > 0, key
    assert result["demo_warm_s"] is None
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
                                      "ingest_rows_per_s", "why_s", "demo_warm_s"}
    assert result["targets"]["demo_warm_s"]["met"] is None
    assert result["targets"]["peak_rss_mb"]["met"] == (result["peak_rss_mb"]
                                                       <= TARGETS["peak_rss_mb_max"])
    assert result["dbt_profile"]["slowest"]
