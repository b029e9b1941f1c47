"""Cloud cost on the default demo (docs/metric-definitions.md#cloud-cost): allocation loses and
spreads nothing (every FOCUS cost reaches a service or the `unallocated` entity), the metrics
add up to the mart, the plans' gross margins add up to the org's but for the cost no plan
carries, and the checkout CPU saturation (scenarios/default.yaml, 2026-08-17 for 5 days) shows
in efficiency: busier CPUs, less idle cost."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

SATURATION_WEEK = "2026-08-17"  # Monday; the fault runs 08-17 .. 08-21


@pytest.fixture(scope="module")
def con(default_warehouse: Path):
    with duckdb.connect(str(default_warehouse), read_only=True) as connection:
        yield connection


def _value(con, metric: str, entity: str, period: str, grain: str = "week") -> float:
    row = con.execute(
        "select value from metrics.metric_values where metric_id = ? and entity_id = ? "
        "and period_start = ? and grain = ?", [metric, entity, period, grain]).fetchone()
    assert row is not None, (metric, entity, period, grain)
    return float(row[0])


def test_allocation_keeps_every_cost(con) -> None:
    """Σ effective, billed and list cost of the charges = Σ of the mart, per day; the
    unallocated entity holds the untagged cost and no team."""
    raw = con.execute(
        "select sum(effective_cost), sum(billed_cost), sum(list_cost), count(*) "
        "from staging.stg_cloud_cost__charges").fetchone()
    mart = con.execute(
        "select sum(effective_cost), sum(billed_cost), sum(list_cost) "
        "from marts.fct_cloud_cost_daily").fetchone()
    assert raw[3] > 0, "the demo lands FOCUS rows"
    for landed, allocated in zip(raw[:3], mart, strict=True):
        assert abs(float(landed) - float(allocated)) < 1e-4 * max(1.0, abs(float(landed)))
    untagged = con.execute(
        "select count(*), count(team_id) from marts.fct_cloud_cost_daily "
        "where service_id = 'unallocated'").fetchone()
    assert untagged[0] > 0 and untagged[1] == 0
    unknown = con.execute(
        "select count(*) from marts.fct_cloud_cost_daily where is_allocated "
        "and service_id not in (select service_id from seeds.services)").fetchone()[0]
    assert unknown == 0


def test_cloud_cost_adds_up_and_coverage_is_its_complement(con) -> None:
    week = con.execute(
        "select max(period_start) from metrics.metric_values "
        "where metric_id = 'cloud_cost' and grain = 'week'").fetchone()[0]
    org = _value(con, "cloud_cost", "org", str(week))
    services = con.execute(
        "select sum(value) from metrics.metric_values where metric_id = 'cloud_cost' "
        "and entity_type = 'service' and grain = 'week' and period_start = ?", [week]
    ).fetchone()[0]
    mart = con.execute(
        "select sum(effective_cost) from marts.fct_cloud_cost_daily "
        "where cost_date >= ? and cost_date < ? + interval 7 day", [week, week]).fetchone()[0]
    assert org == pytest.approx(float(services)) == pytest.approx(float(mart))
    unallocated = _value(con, "cloud_cost", "unallocated", str(week))
    coverage = _value(con, "cost_allocation_coverage", "org", str(week))
    assert 0 < unallocated < org
    assert coverage == pytest.approx(1 - unallocated / org)


def test_gross_margin_plans_and_org(con) -> None:
    """Σ plan margins − org margin = the month's cost no plan carries (unallocated, and
    services no paying plan depends on)."""
    rows = con.execute(
        """
        select month_start, sum(gross_margin), sum(cloud_cost), sum(mrr_amount)
        from marts.fct_gross_margin_monthly where is_complete group by month_start
        """).fetchall()
    assert rows
    for month, margin, cost, mrr in rows:
        org = _value(con, "gross_margin", "org", str(month), "month")
        total_cost = float(con.execute(
            "select sum(effective_cost) from marts.fct_cloud_cost_daily "
            "where date_trunc('month', cost_date) = ?", [month]).fetchone()[0])
        assert org == pytest.approx(float(mrr) - total_cost)
        assert float(margin) - org == pytest.approx(total_cost - float(cost))
        assert float(cost) < total_cost


def test_cpu_saturation_shows_as_less_idle_cost(con) -> None:
    """The checkout saturation makes the same fleet busier: idle cost share falls far below its
    baseline in the fault's week, while the cost itself does not move with it."""
    row = con.execute(
        "select value, baseline_median, z_score from metrics.metric_status "
        "where metric_id = 'idle_cost_share' and entity_id = 'checkout' and grain = 'week' "
        "and period_start = ?", [SATURATION_WEEK]).fetchone()
    assert row is not None
    value, baseline, z = row
    assert value < baseline and z <= -3, row
