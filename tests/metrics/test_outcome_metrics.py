"""The outcome metrics (docs/metrics.md) on the default demo: every team and plan has values in
every month, and the checkout CPU saturation (scenarios/default.yaml, 2026-08-17 for 5 days)
raises customer-reported bugs and lowers feature adoption on the plans that use checkout."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

OUTCOMES = ("delivery_predictability", "time_to_market_days", "feature_adoption",
            "customer_reported_bugs", "engineering_cost_per_feature", "toil_share",
            "revenue_protected")
DENSE_TEAM = ("customer_reported_bugs", "engineering_cost_per_feature", "toil_share")
CHECKOUT_PLANS = ("team", "enterprise")  # plans whose services include checkout


@pytest.fixture(scope="module")
def con(default_warehouse: Path):
    with duckdb.connect(str(default_warehouse), read_only=True) as connection:
        yield connection


def _months(con) -> list:
    return [r[0] for r in con.execute(
        "select distinct cast(date_trunc('month', signal_date) as date) from "
        "marts.fct_service_signals_daily order by 1").fetchall()]


def test_every_outcome_metric_has_values(con):
    got = dict(con.execute(
        "select metric_id, count(*) from metrics.metric_values group by metric_id").fetchall())
    assert all(got.get(m, 0) > 0 for m in OUTCOMES), {m: got.get(m) for m in OUTCOMES}


def test_team_outcomes_are_dense(con):
    months = _months(con)
    teams = [r[0] for r in con.execute("select team_id from seeds.teams").fetchall()]
    for metric in DENSE_TEAM:
        rows = set(con.execute(
            "select entity_id, period_start from metrics.metric_values "
            "where metric_id = ? and entity_type = 'team'", [metric]).fetchall())
        assert rows == {(t, m) for t in teams for m in months}, metric


def test_plan_outcomes_cover_every_plan(con):
    plans = {r[0] for r in con.execute("select plan_id from seeds.plans").fetchall()}
    for metric in ("feature_adoption", "revenue_protected"):
        got = {r[0] for r in con.execute(
            "select distinct entity_id from metrics.metric_values where metric_id = ? "
            "and entity_type = 'plan'", [metric]).fetchall()}
        assert got == plans, metric


def test_every_outcome_metric_declares_a_value_lens(manifest):
    lenses = {}
    for node in manifest["nodes"].values():
        meta = ((node.get("config") or {}).get("meta") or {}).get("metric") or {}
        if node.get("resource_type") == "model" and node["name"][2:] in OUTCOMES:
            lenses[node["name"][2:]] = meta.get("value_lens")
    assert set(lenses) == set(OUTCOMES)
    assert set(lenses.values()) == {"protects", "enables", "reduces_cost"}, lenses


def test_cpu_fault_raises_customer_reported_bugs_on_checkout(con):
    rows = dict(con.execute(
        "select period_start, value from metrics.metric_values where metric_id = "
        "'customer_reported_bugs' and entity_type = 'service' and entity_id = 'checkout'"
    ).fetchall())
    august = next(v for k, v in rows.items() if str(k) == "2026-08-01")
    others = [v for k, v in rows.items() if str(k) not in ("2026-08-01", "2026-05-01")]
    assert august > 2 * max(others), rows


def test_cpu_fault_lowers_adoption_of_checkout_features_on_affected_plans(con):
    """Checkout features released from three weeks before the fault to a week after it (while
    customers remember the outage) reach fewer team and enterprise customers in their first
    four weeks than checkout features released at other times."""
    def share(service: str, inside: bool) -> float:
        return con.execute(
            "select sum(adopted_customer_count) / sum(eligible_customer_count) from "
            "marts.fct_feature_adoption where service_id = ? and plan_id in ('team', "
            "'enterprise') and (released_at between '2026-07-27' and '2026-08-29') = ?",
            [service, inside]).fetchone()[0]

    hit, normal = share("checkout", True), share("checkout", False)
    assert hit is not None and normal is not None
    assert hit < 0.75 * normal, (hit, normal)
