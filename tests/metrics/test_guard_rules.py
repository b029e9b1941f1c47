"""Every rule of the metric catalog's guard (macros/metrics_guard.sql), driven through the real
macros: broken variants of the fixture project tests/metrics/fixtures/catalog go through one
`dbt run-operation guard_cases` (one parse for all cases), and each must yield exactly its
problems, one message naming the metric and the field. The guard is the rules' one home; there is
no Python copy of them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from breadcrumbs.why.evidence import FINDERS
from tests.metrics.conftest import ROOT, dbt_bin, dbt_env

FIXTURE = Path(__file__).parent / "fixtures" / "catalog"
REQUIRED = ("layer", "owner", "audience", "decision", "decided_by", "direction", "thresholds",
            "counterbalance")


def _patch(metric: str, field: str, value: Any = None) -> dict[str, Any]:
    return {"metric": metric, "field": field, "value": value}


# name -> (patches, clones, expected problems in the guard's order)
CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, str]], list[str]]] = {
    "valid": ([], [], []),
    **{f"missing_{field}": ([_patch("b", field)], [], [f"metric b (m_b): missing {field}"])
       for field in REQUIRED},
    "empty_owner_and_thresholds": (
        [_patch("b", "owner", ""), _patch("b", "thresholds", {})], [],
        ["metric b (m_b): missing owner", "metric b (m_b): missing thresholds"],
    ),
    "unknown_layer": (
        [_patch("b", "layer", "platform")], [],
        ["metric b (m_b): layer platform is not raw_signal, service, delivery or "
         "business_outcome"],
    ),
    "unknown_audience": (
        [_patch("b", "audience", "board")], [],
        ["metric b (m_b): audience board is not operational or business"],
    ),
    "unknown_direction": (
        [_patch("b", "direction", "up")], [],
        ["metric b (m_b): direction up is not higher_is_better or lower_is_better"],
    ),
    "business_outcome_without_value_lens": (
        [_patch("c", "value_lens")], [],
        ["metric c (m_c): missing value_lens (protects, enables or reduces_cost)"],
    ),
    "unknown_value_lens": (
        [_patch("b", "value_lens", "grows")], [],
        ["metric b (m_b): value_lens grows is not protects, enables or reduces_cost"],
    ),
    "missing_evidence": (
        [_patch("b", "evidence")], [],
        [f"metric b (m_b): missing evidence ({', '.join(FINDERS)}, or none with "
         "evidence_reason)"],
    ),
    "unknown_evidence": (  # the guard accepts exactly the kinds `why` can find
        [_patch("b", "evidence", "tickets")], [],
        [f"metric b (m_b): evidence tickets is not {', '.join(FINDERS)} or none"],
    ),
    "evidence_none_without_reason": (
        [_patch("c", "evidence_reason")], [],
        ["metric c (m_c): evidence none needs evidence_reason (why the metric has no mart rows "
         "to show)"],
    ),
    **{f"evidence_{kind}": ([_patch("b", "evidence", kind)], [], []) for kind in FINDERS},
    "thresholds_without_red": (
        [_patch("a", "thresholds", {"amber": 1})], [],
        ["metric a (m_a): thresholds need {amber, red} or {baseline_weeks, red_z}",
         "metric a (m_a): absolute thresholds amber and red must both be numbers (got amber 1, "
         "red None)"],
    ),
    "absolute_thresholds_and_a_baseline": (  # any value past them red; the baseline gives z
        [_patch("a", "thresholds", {"amber": 0, "red": 0, "baseline_weeks": 8})], [], [],
    ),
    "thresholds_against_lower_is_better": (
        [_patch("a", "thresholds", {"amber": 0.3, "red": 0.15})], [],
        ["metric a (m_a): lower_is_better needs amber <= red (got amber 0.3, red 0.15)"],
    ),
    "thresholds_against_higher_is_better": (
        [_patch("c", "thresholds", {"amber": 0.9, "red": 0.99})], [],
        ["metric c (m_c): higher_is_better needs amber >= red (got amber 0.9, red 0.99)"],
    ),
    "thresholds_not_numbers": (
        [_patch("a", "thresholds", {"amber": 0.99, "red": "low"})], [],
        ["metric a (m_a): absolute thresholds amber and red must both be numbers (got amber "
         "0.99, red low)"],
    ),
    "baseline_weeks_out_of_range": (
        [_patch("b", "thresholds", {"baseline_weeks": 0, "red_z": 3})], [],
        ["metric b (m_b): thresholds.baseline_weeks must be a whole number of weeks from 1 to "
         "104 (got 0)"],
    ),
    "red_z_not_positive": (
        [_patch("b", "thresholds", {"baseline_weeks": 8, "red_z": -1})], [],
        ["metric b (m_b): thresholds.red_z must be a positive number (got -1)"],
    ),
    "unknown_coverage": (
        [_patch("b", "coverage", "forever")], [],
        ["metric b (m_b): coverage forever is not load_window or full_history"],
    ),
    "window_days_not_days": (
        [_patch("b", "window_days", 0)], [],
        ["metric b (m_b): window_days must be a whole number of days >= 1 or slo_window_days "
         "(got 0)"],
    ),
    "window_days_of_the_slo": ([_patch("b", "window_days", "slo_window_days")], [], []),
    "thresholds_without_red_z": (
        [_patch("b", "thresholds", {"baseline_weeks": 8})], [],
        ["metric b (m_b): thresholds need {amber, red} or {baseline_weeks, red_z}"],
    ),
    "counterbalance_not_a_metric": (
        [_patch("b", "counterbalance", "nope")], [],
        ["metric b (m_b): counterbalance nope is not a metric"],
    ),
    "customer_movement_counted": (
        [_patch("b", "evidence", "customers"), _patch("b", "customer_movement", "churned")], [], [],
    ),
    "customer_movement_unknown": (
        [_patch("b", "evidence", "customers"), _patch("b", "customer_movement", "left")], [],
        ["metric b (m_b): customer_movement left is not churned, expansion or contraction"],
    ),
    "customer_movement_without_customers": (
        [_patch("b", "customer_movement", "expansion")], [],
        ["metric b (m_b): customer_movement needs evidence customers (the customers who moved "
         "are its evidence)"],
    ),
    "rolls_up_to_not_a_metric": (
        [_patch("c", "rolls_up_to", "nope")], [],
        ["metric c (m_c): rolls_up_to nope is not a metric"],
    ),
    "leaf_without_reason": (
        [_patch("a", "leaf_reason")], [],
        ["metric a (m_a): missing drivers (a leaf metric needs leaf_reason)"],
    ),
    "driver_with_unknown_edge": (
        [_patch("b", "drivers", [{"metric": "a", "edge": "hunch"}])], [],
        ["metric b (m_b): driver a has edge hunch (formula or causal)"],
    ),
    "driver_does_not_exist": (
        [_patch("b", "drivers", [{"metric": "a", "edge": "causal"},
                                 {"metric": "nope", "edge": "formula"}])], [],
        ["metric b (m_b): driver nope does not exist"],
    ),
    "driver_not_a_dependency": (
        [_patch("a", "drivers", [{"metric": "d", "edge": "causal"}])], [],
        ["metric a (m_a): driver d is not a dependency in the manifest (ref it, or add "
         "-- depends_on: {{ ref('m_d') }})"],
    ),
    "drivers_form_a_cycle": (
        [_patch("a", "drivers", [{"metric": "c", "edge": "causal"}])], [],
        ["metric a (m_a): driver c is not a dependency in the manifest (ref it, or add "
         "-- depends_on: {{ ref('m_c') }})",
         "metric a (m_a): drivers form a cycle",
         "metric b (m_b): drivers form a cycle",
         "metric c (m_c): drivers form a cycle"],
    ),
    "metric_missing_from_metric_values": (
        [], [{"metric": "d", "as": "e"}],
        ["metric e (m_e): missing from metric_values (run make catalog-docs: it writes "
         "-- depends_on: {{ ref('m_e') }} into models/metrics/metric_values.sql)"],
    ),
}


def fixture_project(tmp_path: Path, fixture: Path = FIXTURE) -> Path:
    """A temporary copy of a fixture project with the project's own metrics_*.sql macros."""
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project)
    (project / "macros").mkdir(exist_ok=True)
    for macro in (ROOT / "macros").glob("metrics_*.sql"):
        shutil.copy(macro, project / "macros" / macro.name)
    return project


def dbt(project: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dbt_env()
    env["FIXTURE_WAREHOUSE"] = str(tmp_path / "fixture.duckdb")
    return subprocess.run(
        [dbt_bin(), *args, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
         "--no-partial-parse"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )


@pytest.fixture(scope="module")
def guard_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """{case: problems} from one run-operation of the real guard macros over every case."""
    tmp_path = tmp_path_factory.mktemp("guard-cases")
    project = fixture_project(tmp_path)
    cases = [{"name": name, "patches": patches, "clones": clones}
             for name, (patches, clones, _) in CASES.items()]
    result = dbt(project, tmp_path, "run-operation", "guard_cases",
                 "--args", json.dumps({"cases": cases}))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    line = next(line for line in output.splitlines() if "GUARD_CASES " in line)
    return json.loads(line.split("GUARD_CASES ", 1)[1])


@pytest.mark.parametrize("case", list(CASES))
def test_guard_names_exactly_the_problems(case: str, guard_results: dict[str, list[str]]) -> None:
    assert guard_results[case] == CASES[case][2]


def test_the_fixture_catalog_builds_and_a_broken_one_fails_the_run(tmp_path: Path) -> None:
    """The same macros as on-run-start guard of `dbt run`: the valid fixture builds, and a driver
    that is not a dependency stops the run naming the metric."""
    project = fixture_project(tmp_path)
    result = dbt(project, tmp_path, "run")
    assert result.returncode == 0, result.stdout + result.stderr
    schema = project / "models" / "_metrics.yml"
    schema.write_text(schema.read_text().replace(
        "          drivers: []\n          leaf_reason: raw signal",
        "          drivers:\n            - {metric: d, edge: causal}",
    ))
    result = dbt(project, tmp_path, "run")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "metric a (m_a): driver d is not a dependency in the manifest" in output
