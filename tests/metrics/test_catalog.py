"""The metric catalog in the manifest: every required metric exists, passes the two tests, sits
in its layer's folder, and the driver tree follows the causal model (docs/scenario-format.md,
§7)."""

from __future__ import annotations

import copy
from typing import Any

from tests.metrics.catalog_check import metric_nodes, problems

REQUIRED_IDS = [  # docs/metrics.md: a contract
    "request_count", "cpu_utilization", "latency_p95_ms", "error_rate", "availability",
    "error_budget_remaining", "incident_count", "incident_minutes", "mttr_minutes",
    "sla_adherence", "deployments", "deployment_frequency", "failed_deployments",
    "change_lead_time_hours", "coding_time_hours", "pickup_time_hours", "review_time_hours",
    "deploy_time_hours", "change_failure_rate", "failed_deployment_recovery_time_hours",
    "deployment_rework_rate", "pr_size_lines", "first_review_time_hours", "review_coverage",
    "ci_success_rate", "ci_flaky_rate", "ci_duration_minutes", "mrr", "new_mrr", "expansion_mrr",
    "contraction_mrr", "churned_mrr", "reactivation_mrr", "net_revenue_retention",
    "logo_churn_rate", "revenue_at_risk", "sla_credits", "customer_reported_incidents",
]

CAUSAL_CHAIN = [  # (metric, driver) edges the simulator's causal model implies
    ("cpu_utilization", "request_count"),
    ("latency_p95_ms", "cpu_utilization"),
    ("error_count", "latency_p95_ms"),
    ("error_rate", "error_count"),
    ("availability", "error_rate"),
    ("error_budget_remaining", "availability"),
    ("sla_adherence", "availability"),
    ("revenue_at_risk", "availability"),
    ("churned_mrr", "revenue_at_risk"),
    ("mrr", "churned_mrr"),
    ("net_revenue_retention", "churned_mrr"),
    ("incident_count", "change_failure_rate"),
    ("change_failure_rate", "failed_deployments"),
    ("change_failure_rate", "deployments"),
    ("change_failure_rate", "ci_flaky_rate"),
    ("failed_deployments", "pr_size_lines"),
    ("pickup_time_hours", "pr_size_lines"),
    ("review_time_hours", "pr_size_lines"),
    ("change_lead_time_hours", "coding_time_hours"),
    ("change_lead_time_hours", "pickup_time_hours"),
    ("change_lead_time_hours", "review_time_hours"),
    ("change_lead_time_hours", "deploy_time_hours"),
    ("ci_duration_minutes", "ci_flaky_rate"),
]


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    return node["config"]["meta"]["metric"]


def test_every_required_metric_has_a_model(manifest: dict[str, Any]) -> None:
    nodes = metric_nodes(manifest)
    missing = sorted(set(REQUIRED_IDS) - set(nodes))
    assert not missing, f"metrics without a model: {missing}"


def test_every_metric_passes_the_two_tests(manifest: dict[str, Any]) -> None:
    assert problems(manifest) == []


def test_metric_models_live_in_their_layer(manifest: dict[str, Any]) -> None:
    for metric_id, node in metric_nodes(manifest).items():
        layer = _meta(node)["layer"]
        assert node["original_file_path"] == f"models/metrics/{layer}/m_{metric_id}.sql"
        assert node["description"], f"{metric_id} is not documented"
        for column in ("metric_id", "entity_type", "entity_id", "period_start", "grain", "value"):
            assert node["columns"][column]["description"], f"{metric_id}.{column}"


def test_balanced_pairs_are_counterbalances(manifest: dict[str, Any]) -> None:
    nodes = metric_nodes(manifest)

    def balance(metric: str) -> str:
        return _meta(nodes[metric])["counterbalance"]

    assert balance("deployment_frequency") == "change_failure_rate"
    assert balance("change_failure_rate") == "deployment_frequency"
    assert balance("availability") == "latency_p95_ms"
    assert balance("latency_p95_ms") == "availability"
    assert balance("change_lead_time_hours") == "change_failure_rate"


def test_driver_tree_follows_the_causal_model(manifest: dict[str, Any]) -> None:
    nodes = metric_nodes(manifest)
    for metric, driver in CAUSAL_CHAIN:
        drivers = {d["metric"] for d in _meta(nodes[metric]).get("drivers") or []}
        assert driver in drivers, f"{metric} should be driven by {driver}"


def test_metric_values_unions_every_metric(manifest: dict[str, Any]) -> None:
    values = next(n for n in manifest["nodes"].values() if n["name"] == "metric_values")
    needed = {n["unique_id"] for n in metric_nodes(manifest).values()}
    assert needed <= set(values["depends_on"]["nodes"])


def _mutated(manifest: dict[str, Any], metric: str) -> tuple[dict[str, Any], dict[str, Any]]:
    copied = copy.deepcopy(manifest)
    node = metric_nodes(copied)[metric]
    return copied, _meta(node)


def test_check_names_a_metric_without_decision(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "change_failure_rate")
    del meta["decision"]
    meta["owner"] = ""
    found = problems(copied)
    assert "metric change_failure_rate (m_change_failure_rate): missing decision" in found
    assert "metric change_failure_rate (m_change_failure_rate): missing owner" in found


def test_check_requires_drivers_or_a_leaf_reason(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "pr_size_lines")
    del meta["leaf_reason"]
    assert problems(copied) == [
        "metric pr_size_lines (m_pr_size_lines): missing drivers (a leaf metric needs leaf_reason)"
    ]


def test_check_refuses_a_driver_that_is_not_a_dependency(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "pr_size_lines")
    meta["drivers"] = [{"metric": "mrr", "edge": "causal"}, {"metric": "nope", "edge": "formula"}]
    found = problems(copied)
    assert "metric pr_size_lines (m_pr_size_lines): driver mrr is not a dependency in the " \
        "manifest" in found
    assert "metric pr_size_lines (m_pr_size_lines): driver nope does not exist" in found


def test_check_finds_a_driver_cycle(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "request_count")
    meta["drivers"] = [{"metric": "cpu_utilization", "edge": "causal"}]
    found = problems(copied)
    assert "metric request_count (m_request_count): drivers form a cycle" in found
    assert "metric cpu_utilization (m_cpu_utilization): drivers form a cycle" in found


def test_every_business_outcome_declares_a_value_lens(manifest: dict[str, Any]) -> None:
    for metric_id, node in metric_nodes(manifest).items():
        meta = _meta(node)
        if meta["layer"] == "business_outcome":
            assert meta.get("value_lens") in ("protects", "enables", "reduces_cost"), metric_id


def test_check_names_a_business_outcome_without_value_lens(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "revenue_at_risk")
    del meta["value_lens"]
    assert problems(copied) == [
        "metric revenue_at_risk (m_revenue_at_risk): missing value_lens "
        "(protects, enables or reduces_cost)"
    ]
    meta["value_lens"] = "grows"
    assert problems(copied) == [
        "metric revenue_at_risk (m_revenue_at_risk): value_lens grows is not protects, enables "
        "or reduces_cost"
    ]


def test_revenue_at_risk_is_absolute_and_windowed(manifest: dict[str, Any]) -> None:
    """Any MRR at risk from an exhausted error budget is red (docs/periods-and-status.md): the
    catalog holds absolute thresholds at 0, and the metric reads the SLO window."""
    meta = _meta(metric_nodes(manifest)["revenue_at_risk"])
    assert meta["thresholds"]["amber"] == 0 and meta["thresholds"]["red"] == 0
    assert meta["direction"] == "lower_is_better"
    assert meta["window_days"] == "slo_window_days"
    assert _meta(metric_nodes(manifest)["error_budget_remaining"])["window_days"] \
        == "slo_window_days"


def test_check_refuses_absolute_thresholds_against_the_direction(
        manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "change_failure_rate")  # lower is better
    meta["thresholds"] = {"amber": 0.3, "red": 0.15}
    assert problems(copied) == [
        "metric change_failure_rate (m_change_failure_rate): lower_is_better needs amber <= red "
        "(got amber 0.3, red 0.15)"
    ]
    copied, meta = _mutated(manifest, "availability")  # higher is better
    meta["thresholds"] = {"amber": 0.99, "red": "low"}
    assert problems(copied) == [
        "metric availability (m_availability): absolute thresholds amber and red must both be "
        "numbers (got amber 0.99, red low)"
    ]


def test_check_refuses_a_bad_baseline_or_window(manifest: dict[str, Any]) -> None:
    copied, meta = _mutated(manifest, "error_count")
    meta["thresholds"] = {"baseline_weeks": 0, "red_z": -1}
    meta["window_days"] = "a month"
    assert problems(copied) == [
        "metric error_count (m_error_count): thresholds.baseline_weeks must be a whole number "
        "of weeks from 1 to 104 (got 0)",
        "metric error_count (m_error_count): thresholds.red_z must be a positive number (got -1)",
        "metric error_count (m_error_count): window_days must be a whole number of days >= 1 "
        "or slo_window_days (got a month)",
    ]
