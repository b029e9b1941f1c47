"""`breadcrumbs why` on the default scenario's warehouse (docs/why-algorithm.md): the churn on the
team plan walks back to the CPU spike on checkout with incident evidence; the growth team's
cloud cost in September walks to the over-provisioned catalog fleet; a green metric with
nothing anomalous has no root cause; CLI input is bound, never spliced into SQL."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from breadcrumbs.cli import main
from breadcrumbs.warehouse import Entity, load_catalog, load_ownership, open_warehouse
from breadcrumbs.why import explain
from breadcrumbs.why.walk import Walker


def _root(answer: dict) -> tuple[str, str] | None:
    """The root cause's metric and entity (the object carries its numbers too)."""
    root = answer["root_cause"]
    return None if root is None else (root["metric"], root["entity"])

pytestmark = pytest.mark.slow


def _why_json(warehouse: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["why", *args, "--json", "--warehouse", str(warehouse)]) == 0
    return json.loads(capsys.readouterr().out)


def test_team_plan_churn_walks_back_to_the_cpu_spike_on_checkout(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _why_json(default_warehouse, capsys, "churned_mrr", "--entity", "team",
                       "--period", "2026-09-15")
    assert answer["metric"] == "churned_mrr"
    assert answer["entity"] == "team"
    assert answer["period"] == "2026-09-01"
    assert answer["status"] == "red"
    assert answer["value"] > answer["baseline"]
    assert _root(answer) == ("cpu_utilization", "checkout")
    trail = [(step["metric"], step["entity"]) for step in answer["path"]]
    assert trail[0] == ("revenue_at_risk", "team")
    assert ("availability", "checkout") in trail
    assert ("latency_p95_ms", "checkout") in trail
    assert trail[-1] == ("cpu_utilization", "checkout")
    incidents = [e for e in answer["evidence"] if e["kind"] == "incident"]
    assert incidents and all("checkout" in e["detail"] for e in incidents)
    assert any("https://" in e["detail"] for e in incidents)
    customers = [e for e in answer["evidence"] if e["kind"] == "customer"]
    assert customers, "the churned customers are evidence"


def test_growth_cloud_cost_walks_to_the_over_provisioned_catalog_fleet(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default scenario over-provisions catalog for two weeks from 14 September (60 % more
    instances, traffic flat): the team's cloud cost is red and `why` names the capacity, not
    the traffic, with the cost lines as evidence."""
    answer = _why_json(default_warehouse, capsys, "cloud_cost", "--entity", "growth",
                       "--period", "2026-09-14")
    assert (answer["entity"], answer["period"], answer["status"]) == (
        "growth", "2026-09-14", "red")
    assert _root(answer) == ("capacity_hours", "catalog")
    trail = [(step["metric"], step["entity"]) for step in answer["path"]]
    assert trail == [("cloud_cost", "catalog"), ("capacity_hours", "catalog")]
    assert ("request_count", "catalog") not in trail
    assert any(e["kind"] == "cloud_cost" and "catalog" in e["detail"]
               for e in answer["evidence"])
    # the week before the fault is ordinary
    before = _why_json(default_warehouse, capsys, "cloud_cost", "--entity", "growth",
                       "--period", "2026-09-07")
    assert before["status"] != "red" and _root(before) is None


def test_bad_deploy_rolls_up_to_the_team_change_failure_rate(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # docs/scenario-format.md: a bad deployment is traced to the owning team's change failure
    # rate, with the deployment as evidence; found at the service and day of the errors,
    # reported where the team decides (its weekly rate), then walked on from there
    answer = _why_json(default_warehouse, capsys, "error_rate", "--entity", "notifications",
                       "--period", "2026-10-07")
    assert answer["status"] == "red"
    assert _root(answer) == ("change_failure_rate", "growth")
    trail = [(step["metric"], step["entity"], step["edge"]) for step in answer["path"]]
    assert ("service_change_failure_rate", "notifications", "causal") in trail
    assert trail[trail.index(("service_change_failure_rate", "notifications", "causal")) + 1] == (
        "change_failure_rate", "growth", "formula")
    deployments = [e for e in answer["evidence"] if e["kind"] == "deployment"]
    # the service's step names its failed deployment first; the team's step lists the week's
    assert deployments and "failed deployment of notifications" in deployments[0]["detail"]


def test_json_is_exactly_the_design_shape(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _why_json(default_warehouse, capsys, "churned_mrr", "--entity", "team",
                       "--period", "2026-09-01")
    # the founding fields first and unchanged; docs/why.md's added after them
    assert list(answer)[:9] == ["metric", "entity", "period", "status", "value", "baseline",
                                "path", "root_cause", "evidence"]
    assert answer["status"] in ("green", "amber", "red")
    assert {s["edge"] for s in answer["path"]} == {"formula", "causal"}
    for step in answer["path"]:
        assert list(step)[:5] == ["metric", "entity", "change", "share", "edge"]
        assert step["edge"] in ("formula", "causal")
        assert isinstance(step["change"], float)
        if step["edge"] == "formula":
            assert isinstance(step["share"], float) and step["strength"] is None
        else:
            assert step["share"] is None and isinstance(step["strength"], float)
    for item in answer["evidence"]:
        assert list(item) == ["kind", "id", "at", "detail"]
        assert all(isinstance(v, str) for v in item.values())
    dt.date.fromisoformat(answer["period"])


def test_green_metric_with_nothing_anomalous_has_no_root_cause(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _why_json(default_warehouse, capsys, "mrr")
    assert answer["entity"] == "org"
    assert answer["status"] == "green"
    assert answer["root_cause"] is None
    assert answer["path"] == []


def test_defaults_are_org_and_the_latest_complete_period(default_warehouse: Path) -> None:
    explanation = explain(default_warehouse, "deployments")
    node = explanation.start.node
    assert node.entity == Entity("org", "org")
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        last_day = con.execute(
            "select max(period_start) from metrics.metric_values where grain = 'day'"
        ).fetchone()[0]
    finally:
        con.close()
    assert node.period_start + dt.timedelta(days=6) <= last_day
    assert node.period_start + dt.timedelta(days=13) > last_day


def test_injection_in_cli_input_is_harmless(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect(str(default_warehouse), read_only=True)
    before = con.execute("select count(*) from metrics.metric_values").fetchone()[0]
    con.close()
    hostile = "x'; drop table metric_values; --"
    assert main(["why", "churned_mrr", "--entity", hostile,
                 "--warehouse", str(default_warehouse)]) == 1
    assert "has no entity" in capsys.readouterr().err
    assert main(["why", hostile, "--warehouse", str(default_warehouse)]) == 1
    assert main(["why", "churned_mrr", "--period", hostile,
                 "--warehouse", str(default_warehouse)]) == 1
    con = duckdb.connect(str(default_warehouse), read_only=True)
    after = con.execute("select count(*) from metrics.metric_values").fetchone()[0]
    con.close()
    assert after == before


def test_formula_decomposition_is_exact(default_warehouse: Path) -> None:
    wh = open_warehouse(default_warehouse)
    try:
        walker = Walker(wh=wh, catalog=load_catalog(wh), ownership=load_ownership(wh))
        # a ratio: log-deltas of numerator and denominator add up to the ratio's log-delta
        node = walker.node("error_rate", Entity("service", "checkout"), dt.date(2026, 8, 20))
        assert node is not None and node.baseline
        terms = walker.formula_terms(node)
        assert {t.label for t, _, _ in terms} == {"error_count", "request_count"}
        assert math.isclose(sum(t.share for t, _, _ in terms), 1.0, rel_tol=1e-9)
        # a signed sum (MRR's movements): the shares of the five terms add up to 1
        mrr = walker.node("mrr", Entity("org", "org"), dt.date(2026, 9, 1))
        assert mrr is not None and mrr.baseline
        movements = walker.formula_terms(mrr)
        assert len(movements) == 5
        assert math.isclose(sum(t.share for t, _, _ in movements), 1.0, rel_tol=1e-9)
        # lead time is the DORA median, not a sum of its stages: no formula terms, the stages
        # are causal drivers (docs/metric-definitions.md)
        lead = walker.node("change_lead_time_hours", Entity("org", "org"), dt.date(2026, 8, 17))
        assert lead is not None and walker.formula_terms(lead) == []
        assert {d for d, edge, _ in lead.metric.drivers if edge == "causal"} == {
            "coding_time_hours", "pickup_time_hours", "review_time_hours", "deploy_time_hours"}
    finally:
        wh.close()


def test_org_churn_is_located_by_the_dimension_scan(default_warehouse: Path) -> None:
    explanation = explain(default_warehouse, "churned_mrr", period="2026-09-01")
    first = explanation.steps[0]
    assert first.node.metric.metric_id == "churned_mrr"
    assert first.node.entity.entity_type == "plan"
    assert first.edge == "formula"
    assert explanation.start.dimension_scan, "the org node carries its dimension scan"
    assert explanation.root is not None


def test_human_output_is_a_breadcrumb_trail(
    default_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["why", "churned_mrr", "--entity", "team", "--period", "2026-09-01",
                 "--warehouse", str(default_warehouse)]) == 0
    out = capsys.readouterr().out
    assert "Root cause: CPU utilisation on service checkout, day 2026-08-" in out
    assert "\n  Incidents\n" in out and "\n  Customers\n" in out, "evidence grouped by kind"
    lines = out.splitlines()
    steps = [line for line in lines if "↳" in line]
    assert steps and all(re.search(r"(day|week of|month) \d{4}-\d{2}", s) and "baseline" in s
                         and "usual spread" in s for s in steps), "a step per line, in words"
    evidence = [line.strip() for line in lines if line.strip().startswith("· ")]
    assert len(evidence) == len(set(evidence)), "each evidence item once"
    assert not re.search(r"\b\d(\.\d+)?[eE][+-]\d+\b", out), "no scientific notation"
    assert "surprise" not in out and "co-movement" not in out, "internal statistics: --verbose"
    assert main(["why", "churned_mrr", "--verbose", "--warehouse", str(default_warehouse)]) == 0
    verbose = capsys.readouterr().out
    assert "surprise" in verbose and "co-movement" in verbose
    assert "org org" not in verbose and verbose.startswith("why Churned MRR, org, month ")
