"""The walk's step settings have one home, the `why_*` vars of dbt_project.yml: `why` (Python)
and metric_catalog (dbt) both read them, and changing them changes both. metric_health has no
step of its own: it reads the walk's verdicts (why_step_verdicts) over its window, whose length
(`metric_health_lookback_days`) both it and the run's step read from the same vars."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import yaml

from breadcrumbs.why import walk, wording
from breadcrumbs.why.settings import read_settings, walk_settings
from tests.metrics.conftest import ROOT, dbt_bin, dbt_env

CHANGED = {"why_lag_days": {"day": 3, "week": 9, "month": 40}, "why_driver_z": 2.75,
           "metric_health_lookback_days": 60}


def test_python_reads_the_vars_of_dbt_project(tmp_path: Path) -> None:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    settings = walk_settings()
    assert settings.lag_days == project["why_lag_days"]
    assert settings.driver_z == project["why_driver_z"]
    assert settings.health_lookback_days == project["metric_health_lookback_days"]
    assert walk.DRIVER_Z == wording.DRIVER_Z == settings.driver_z
    changed = tmp_path / "dbt_project.yml"
    changed.write_text((ROOT / "dbt_project.yml").read_text()
                       .replace("why_lag_days: {day: 2, week: 7, month: 62}",
                                "why_lag_days: {day: 3, week: 9, month: 40}")
                       .replace("why_driver_z: 2.5", "why_driver_z: 2.75")
                       .replace("metric_health_lookback_days: 91",
                                "metric_health_lookback_days: 60"))
    moved = read_settings(changed)
    assert (moved.lag_days, moved.driver_z, moved.health_lookback_days) == (
        CHANGED["why_lag_days"], CHANGED["why_driver_z"], CHANGED["metric_health_lookback_days"])


def test_dbt_models_read_the_same_vars(tmp_path: Path) -> None:
    """metric_catalog's lag_days and z follow the vars, compiled with changed vars (no number
    of the defaults is left); metric_health holds no threshold or lag of the walk (its step is
    the walk's verdicts) and its window follows the var the run's step reads."""
    target = tmp_path / "target"
    proc = subprocess.run(
        [dbt_bin(), "compile", "--select", "metric_catalog", "metric_health",
         "--vars", json.dumps(CHANGED), "--target-path", str(target), "--no-partial-parse",
         "--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--log-path",
         str(tmp_path / "logs")],
        cwd=ROOT, env=dbt_env(), capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    compiled = {p.stem: p.read_text() for p in target.rglob("*.sql")}
    health = re.sub(r"--[^\n]*", "", compiled["metric_health"])
    assert "why_step_verdicts" in health
    assert not re.search(r"2\.75|2\.5|lag_days", health)
    assert "-59 as bigint" in health and "-90" not in health
    lags = [int(n) for n in re.findall(r"cast\((\d+) as integer\) as lag_days",
                                       compiled["metric_catalog"])]
    # every grain's changed lag, and 28: error_budget_remaining's driver_lag_days (longer)
    assert set(lags) == {3, 9, 40, 28}, sorted(set(lags))
    assert compiled["metric_catalog"].count("cast(2.75 as double precision) as driver_z") \
        == len(lags)


def test_the_demo_catalog_carries_the_walks_lags(default_warehouse: Path) -> None:
    """Each metric's lag_days is its grain's lag or its driver_lag_days, whichever is longer,
    and driver_z is the walk's: the numbers `why` reads are the numbers metric_health used."""
    settings = walk_settings()
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        rows = con.execute(
            "select metric_id, grain, driver_lag_days, lag_days, driver_z "
            "from metrics.metric_catalog").fetchall()
    finally:
        con.close()
    assert len(rows) >= 47
    for metric_id, grain, driver_lag, lag, driver_z in rows:
        assert lag == max(settings.lag_days[grain], driver_lag or 0), metric_id
        assert driver_z == settings.driver_z, metric_id

