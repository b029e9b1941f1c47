"""The semantic layer: `mf query` (dbt-metricflow) answers the headline metrics of the demo.

MetricFlow reads `target/semantic_manifest.json` of the project folder it runs in (it ignores
DBT_TARGET_PATH), so the test runs it in a scratch copy of the project pointed at the small
demo warehouse, exactly as a user runs it in the clone for the default warehouse.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.project import resolve_paths
from tests.paths import ROOT

PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests/dbt")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def mf_project(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """A copy of the project, parsed, with the small demo's seeds and warehouse."""
    project = tmp_path_factory.mktemp("mf") / "project"
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, project / name)
    shutil.copytree(resolve_paths(str(small_warehouse), root=ROOT).seeds_dir,
                    project / "demo_seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env.update(BREADCRUMBS_WAREHOUSE=str(small_warehouse), BREADCRUMBS_SEEDS="demo_seeds",
               DBT_PROFILES_DIR=str(project), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "dbt"), "parse"], cwd=project, env=env, check=True,
                   capture_output=True)
    # the time spine is an ordinary model: `dbt build` makes it in the demo
    subprocess.run([str(bin_dir / "dbt"), "run", "--select", "metricflow_time_spine"],
                   cwd=project, env=env, check=True, capture_output=True)
    return project, env, bin_dir / "mf"


def mf_query(mf_project: tuple, *args: str) -> list[dict]:
    project, env, mf = mf_project
    out = project / "query.csv"
    proc = subprocess.run([str(mf), "query", *args, "--csv", str(out)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    return list(csv.DictReader(io.StringIO(out.read_text())))


def test_mrr_by_month_matches_the_mart(mf_project: tuple, small_warehouse: Path) -> None:
    rows = mf_query(mf_project, "--metrics", "mrr", "--group-by", "metric_time__month",
                    "--order", "metric_time__month")
    got = {r["metric_time__month"][:10]: Decimal(r["mrr"]) for r in rows if r["mrr"]}
    con = duckdb.connect(str(small_warehouse), read_only=True)
    expected = {str(month): amount for month, amount in con.execute(
        "select month_start, mrr_amount from marts.fct_mrr_monthly_org"
    ).fetchall()}
    con.close()
    assert got and got == expected


def test_dora_change_failure_rate_by_team(mf_project: tuple, small_warehouse: Path) -> None:
    rows = mf_query(mf_project, "--metrics", "deployments,failed_deployments,change_failure_rate",
                    "--group-by", "team_week__team_id")
    con = duckdb.connect(str(small_warehouse), read_only=True)
    expected = {team: (int(deploys), int(failed)) for team, deploys, failed in con.execute(
        "select team_id, sum(deployment_count), sum(failed_deployment_count) "
        "from marts.fct_delivery_team_weekly group by team_id").fetchall()}
    con.close()
    got = {r["team_week__team_id"]: r for r in rows}
    assert set(got) == set(expected)
    for team, (deploys, failed) in expected.items():
        assert int(float(got[team]["deployments"])) == deploys
        assert int(float(got[team]["failed_deployments"])) == failed
        if deploys:
            assert float(got[team]["change_failure_rate"]) == pytest.approx(failed / deploys)


def _breadcrumbs_mf(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`breadcrumbs mf ARGS` from the project root, as a user runs it."""
    bin_dir = Path(sys.executable).parent
    return subprocess.run([str(bin_dir / "breadcrumbs"), "mf", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def _monthly_mrr(warehouse: Path) -> dict[str, Decimal]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {str(month): amount for month, amount in con.execute(
            "select month_start, mrr_amount from marts.fct_mrr_monthly_org"
        ).fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("how", ["env", "flag"])
def test_breadcrumbs_mf_queries_a_warehouse_anywhere(small_warehouse: Path, how: str) -> None:
    """The small demo warehouse lives in a pytest tmp folder, its dbt target under
    build/targets/: `breadcrumbs mf` finds its semantic manifest with BREADCRUMBS_WAREHOUSE set
    or with --warehouse, and prints money in fixed point, never 1.2e+06."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "BREADCRUMBS_"))}
    env.update(DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    where: list[str] = []
    if how == "env":
        env["BREADCRUMBS_WAREHOUSE"] = str(small_warehouse)
    else:
        where = ["--warehouse", str(small_warehouse)]
    proc = _breadcrumbs_mf(env, *where, "query", "--metrics", "mrr,churned_mrr", "--group-by",
                           "metric_time__month", "--order", "metric_time__month")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not re.search(r"\de[+-]\d", proc.stdout), "scientific notation:\n" + proc.stdout
    printed = {m.group(1): Decimal(m.group(2)) for m in re.finditer(
        r"^(\d{4}-\d{2}-\d{2})T00:00:00\s+(\d+\.\d{2})\s", proc.stdout, re.M)}
    expected = _monthly_mrr(small_warehouse)
    assert printed and printed == {m: expected[m] for m in printed}
    assert set(printed) == {m for m, v in expected.items() if v is not None}


def test_breadcrumbs_mf_refuses_a_missing_warehouse(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "BREADCRUMBS_"))}
    proc = _breadcrumbs_mf(env, "--warehouse", str(tmp_path / "nope.duckdb"), "list", "metrics")
    assert proc.returncode == 1
    assert f"warehouse {tmp_path / 'nope.duckdb'} does not exist" in proc.stderr


# --------------------------------------------------------------------------- one definition
# Every metric id that exists both in metric_values (the m_* models) and in the semantic layer:
# the MetricFlow metric, its period dimension, and for each entity type of metric_values the
# group-by that gives the same entity (None: no group-by, the org row).
SHARED_METRICS = {
    "deployments": ("metric_time__week", {"team": "team_week__team_id", "org": None}),
    "failed_deployments": ("metric_time__week", {"team": "team_week__team_id", "org": None}),
    "change_failure_rate": ("metric_time__week", {"team": "team_week__team_id", "org": None}),
    "deployment_rework_rate": ("metric_time__week", {"team": "team_week__team_id", "org": None}),
    "change_lead_time_hours": ("metric_time__week", {"team": "change__team_id", "org": None}),
    "failed_deployment_recovery_time_hours": (
        "metric_time__week", {"team": "deployment__team_id", "org": None}),
    "incident_count": ("metric_time__week", {
        "service": "incident__service_id", "team": "incident__team_id", "org": None}),
    "mttr_minutes": ("metric_time__week", {
        "service": "incident__service_id", "team": "incident__team_id", "org": None}),
    "availability": ("metric_time__day", {"service": "service_day__service_id", "org": None}),
    "mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "new_mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "expansion_mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "contraction_mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "churned_mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "reactivation_mrr": ("metric_time__month", {"plan": "mrr_movement__plan_id", "org": None}),
    "revenue_at_risk": ("metric_time__week", {"plan": "plan_day__plan_id", "org": None}),
}


def _semantic_metric_names(project: Path) -> set[str]:
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text())
    return {metric["name"] for metric in manifest["metrics"]}


def test_every_shared_metric_is_compared(mf_project: tuple, small_warehouse: Path) -> None:
    """The list below is complete: a metric id in both layers that it misses fails here."""
    con = duckdb.connect(str(small_warehouse), read_only=True)
    metric_ids = {row[0] for row in con.execute(
        "select distinct metric_id from metrics.metric_catalog").fetchall()}
    con.close()
    shared = metric_ids & _semantic_metric_names(mf_project[0])
    assert shared == set(SHARED_METRICS), sorted(shared ^ set(SHARED_METRICS))


def _shared_queries() -> list[tuple[str, str, list[str]]]:
    """(metric id, entity type, group-by) of every comparison below."""
    return [(metric_id, entity_type, [period] + ([group_by] if group_by else []))
            for metric_id, (period, entities) in sorted(SHARED_METRICS.items())
            for entity_type, group_by in entities.items()]


@pytest.fixture(scope="module")
def mf_answers(mf_project: tuple) -> dict[tuple[str, str], list[dict]]:
    """Every query of the comparison answered by one MetricFlow engine (tests/bi/mf_batch.py:
    the objects `mf query` uses, started once instead of 38 times)."""
    project, env, _mf = mf_project
    queries = _shared_queries()
    (project / "requests.json").write_text(json.dumps(
        [{"metrics": [metric_id], "group_by": dims} for metric_id, _, dims in queries]))
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("mf_batch.py")),
                           "requests.json", "answers.json"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    answers = json.loads((project / "answers.json").read_text())
    assert len(answers) == len(queries)
    return {(metric_id, entity_type): rows
            for (metric_id, entity_type, _), rows in zip(queries, answers, strict=True)}


def test_the_batch_answers_as_mf_query_does(mf_project: tuple,
                                            mf_answers: dict[tuple[str, str], list[dict]]) -> None:
    """The batch is a faithful stand-in for the command: one of its answers, asked again
    through `mf query`, gives the same rows."""
    period, entities = SHARED_METRICS["mttr_minutes"]
    group_by = entities["team"]
    by_cli = {(row[group_by], row[period][:10]): float(row["mttr_minutes"])
              for row in mf_query(mf_project, "--metrics", "mttr_minutes", "--group-by",
                                  f"{period},{group_by}")
              if row["mttr_minutes"] not in ("", None) and row[group_by] not in ("", None)}
    by_batch = {(row[group_by], row[period][:10]): float(row["mttr_minutes"])
                for row in mf_answers[("mttr_minutes", "team")]
                if row["mttr_minutes"] is not None and row[group_by] is not None}
    assert by_cli and by_cli == by_batch


@pytest.mark.parametrize("metric_id", sorted(SHARED_METRICS))
def test_mf_query_equals_metric_values(mf_answers: dict[tuple[str, str], list[dict]],
                                       small_warehouse: Path, metric_id: str) -> None:
    """Same mart columns, same statistic: MetricFlow gives metric_values' value for every
    entity and period, and every non-zero value of metric_values is in its answer."""
    period, entities = SHARED_METRICS[metric_id]
    con = duckdb.connect(str(small_warehouse), read_only=True)
    values = {entity_type: {(entity, str(start)): value for entity, start, value in con.execute(
        "select entity_id, period_start, value from metrics.metric_values "
        "where metric_id = ? and entity_type = ?", [metric_id, entity_type]).fetchall()}
        for entity_type in entities}
    con.close()
    compared = 0
    for entity_type, group_by in entities.items():
        got = {}
        for row in mf_answers[(metric_id, entity_type)]:
            if row[metric_id] is None or (group_by and row[group_by] is None):
                continue
            entity = row[group_by] if group_by else "org"
            got[(entity, row[period][:10])] = float(row[metric_id])
        expected = values[entity_type]
        for key, value in got.items():
            assert key in expected, (metric_id, entity_type, key, value)
            assert value == pytest.approx(expected[key], rel=1e-9, abs=1e-9), (
                metric_id, entity_type, key)
        missing = {k: v for k, v in expected.items() if k not in got and v != 0}
        assert not missing, (metric_id, entity_type, sorted(missing.items())[:5])
        compared += len(got)
    assert compared > 0, f"{metric_id}: mf answered nothing to compare"
