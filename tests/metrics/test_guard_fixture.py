"""The dbt guard (on-run-start `metrics_guard`, and `metrics_select` per model) refuses a metric
without a decision: a tiny fixture project must fail naming the metric and the field, and pass
once the decision is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.metrics.conftest import ROOT, dbt_bin, dbt_env

FIXTURE = Path(__file__).parent / "fixtures" / "missing_decision"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "missing_decision"
    shutil.copytree(FIXTURE, project)
    (project / "macros").mkdir(exist_ok=True)
    for macro in (ROOT / "macros").glob("metrics_*.sql"):
        shutil.copy(macro, project / "macros" / macro.name)
    return project


def _dbt_run(project: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dbt_env()
    env["FIXTURE_WAREHOUSE"] = str(tmp_path / "fixture.duckdb")
    return subprocess.run(
        [dbt_bin(), "run", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
         "--no-partial-parse"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )


def test_guard_fails_a_metric_without_decision(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _dbt_run(project, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "metric b (m_b): missing decision" in output


def test_guard_passes_once_the_decision_is_written(tmp_path: Path) -> None:
    project = _project(tmp_path)
    schema = project / "models" / "_metrics.yml"
    schema.write_text(schema.read_text().replace(
        "          decided_by: the lead of team B",
        "          decision: Page team B when B is red.\n"
        "          decided_by: the lead of team B",
    ))
    result = _dbt_run(project, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def _with_decision(project: Path) -> Path:
    schema = project / "models" / "_metrics.yml"
    schema.write_text(schema.read_text().replace(
        "          decided_by: the lead of team B",
        "          decision: Page team B when B is red.\n"
        "          decided_by: the lead of team B",
    ))
    return schema


def test_guard_fails_a_business_outcome_without_value_lens(tmp_path: Path) -> None:
    project = _project(tmp_path)
    schema = _with_decision(project)
    schema.write_text(schema.read_text().replace("layer: service", "layer: business_outcome"))
    result = _dbt_run(project, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "metric b (m_b): missing value_lens (protects, enables or reduces_cost)" in output


def test_guard_refuses_an_unknown_value_lens_and_passes_a_known_one(tmp_path: Path) -> None:
    project = _project(tmp_path)
    schema = _with_decision(project)
    text = schema.read_text().replace(
        "          layer: service",
        "          layer: business_outcome\n          value_lens: makes_money",
    )
    schema.write_text(text)
    result = _dbt_run(project, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "metric b (m_b): value_lens makes_money is not protects, enables or reduces_cost" \
        in output
    schema.write_text(text.replace("value_lens: makes_money", "value_lens: protects"))
    result = _dbt_run(project, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_guard_refuses_absolute_thresholds_against_the_direction(tmp_path: Path) -> None:
    project = _project(tmp_path)
    schema = _with_decision(project)
    text = schema.read_text()
    schema.write_text(text.replace("thresholds: {amber: 1, red: 2}",
                                   "thresholds: {amber: 2, red: 1}"))
    result = _dbt_run(project, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "metric a (m_a): lower_is_better needs amber <= red (got amber 2, red 1)" in output
    schema.write_text(text.replace("thresholds: {amber: 1, red: 2}",
                                   "thresholds: {amber: 0, red: 0}\n          window_days: 7"))
    result = _dbt_run(project, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
