"""The metric catalog in the manifest: every required metric exists, passes the two tests (the
real guard, macros/metrics_guard.sql; its rules are tested in test_guard_rules.py), sits in its
layer's folder, and the driver tree follows the causal model (docs/scenario-format.md, §7)."""

from __future__ import annotations

import subprocess
from typing import Any

from breadcrumbs.why.evidence import FINDERS
from tests.metrics.conftest import metric_nodes

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


def test_every_metric_passes_the_two_tests(
    guarded_parse: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    proc, _ = guarded_parse
    assert proc.returncode == 0, proc.stdout + proc.stderr


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


def test_every_metric_key_is_tested_by_metric_values_once(manifest: dict[str, Any]) -> None:
    """The metric models' key (entity_type, entity_id, period_start, grain) is tested by
    metric_values' uniqueness test with metric_id (its rows are theirs, each with its own
    metric_id), not again per metric model (docs/metrics.md)."""
    key_tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"
                 and n.get("test_metadata", {}).get("name") == "unique_combination_of_columns"]
    keys = [t["test_metadata"]["kwargs"]["combination_of_columns"] for t in key_tests
            if t.get("attached_node") == "model.breadcrumbs.metric_values"]
    assert keys == [["metric_id", "entity_type", "entity_id", "period_start", "grain"]]
    models = {n["unique_id"] for n in metric_nodes(manifest).values()}
    assert [t["name"] for t in key_tests if t.get("attached_node") in models] == []


def test_every_business_outcome_declares_a_value_lens(manifest: dict[str, Any]) -> None:
    for metric_id, node in metric_nodes(manifest).items():
        meta = _meta(node)
        if meta["layer"] == "business_outcome":
            assert meta.get("value_lens") in ("protects", "enables", "reduces_cost"), metric_id


def test_revenue_at_risk_is_absolute_and_windowed(manifest: dict[str, Any]) -> None:
    """Any MRR at risk from an exhausted error budget is red (docs/periods-and-status.md): the
    catalog holds absolute thresholds at 0, and the metric reads the SLO window."""
    meta = _meta(metric_nodes(manifest)["revenue_at_risk"])
    assert meta["thresholds"]["amber"] == 0 and meta["thresholds"]["red"] == 0
    assert meta["direction"] == "lower_is_better"
    assert meta["window_days"] == "slo_window_days"
    assert _meta(metric_nodes(manifest)["error_budget_remaining"])["window_days"] \
        == "slo_window_days"


def test_every_metric_resolves_to_an_evidence_kind(manifest: dict[str, Any]) -> None:
    """`why` shows evidence for every metric, or its catalog says why not (docs/metrics.md)."""
    for metric_id, node in metric_nodes(manifest).items():
        meta = _meta(node)
        if meta["evidence"] == "none":
            assert meta.get("evidence_reason"), metric_id
        else:
            assert meta["evidence"] in FINDERS, f"{metric_id}: evidence {meta['evidence']}"
