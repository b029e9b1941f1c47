"""Marts a BI tool can sum without traps (issue 22 item 7), on the small demo warehouse: no
table holds a total next to its parts, revenue at risk per service adds up to the plan figure,
and the calendar-month delivery mart agrees with the deployments and pull requests it counts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(small_warehouse: Path):
    connection = duckdb.connect(str(small_warehouse), read_only=True)
    yield connection
    connection.close()


def test_plan_rows_sum_to_the_org_mart(con) -> None:
    assert con.execute("select count(*) from marts.fct_mrr_monthly where plan_id = 'all'"
                       ).fetchone()[0] == 0
    org = con.execute(
        "select month_start, mrr_amount, churned_mrr, active_customers, opening_customers "
        "from marts.fct_mrr_monthly_org order by month_start").fetchall()
    summed = con.execute(
        "select month_start, sum(mrr_amount), sum(churned_mrr), sum(active_customers), "
        "sum(opening_customers) from marts.fct_mrr_monthly group by month_start "
        "order by month_start").fetchall()
    assert org and summed == org
    # the rate is the ratio of the totals, not a sum or mean of plan rates
    bad = con.execute(
        "select count(*) from marts.fct_mrr_monthly_org where opening_customers > 0 and "
        "abs(logo_churn_rate - churned_customers / opening_customers) > 1e-12").fetchone()[0]
    assert bad == 0


def test_revenue_at_risk_per_service_adds_up_to_the_plan_day(con) -> None:
    rows = con.execute("select count(*) from marts.fct_revenue_at_risk_service_daily").fetchone()[0]
    assert rows > 0, "the small scenario has an SLO breach"
    mismatched = con.execute(
        """
        select count(*)
        from (
            select plan_id, signal_date, count(*) as services, sum(attributed_mrr_at_risk) as mrr,
                   max(plan_mrr_at_risk) as plan_mrr
            from marts.fct_revenue_at_risk_service_daily group by plan_id, signal_date
        ) as by_service
        full join marts.fct_revenue_at_risk_daily as plan_days using (plan_id, signal_date)
        where by_service.services is distinct from plan_days.breached_service_count
           or abs(by_service.mrr - plan_days.mrr_at_risk) > 0.005
           or by_service.plan_mrr is distinct from plan_days.mrr_at_risk
        """).fetchone()[0]
    assert mismatched == 0
    # every row is a day the service was in SLO breach (error budget exhausted), not merely
    # a day below target
    not_breached = con.execute(
        """
        select count(*)
        from marts.fct_revenue_at_risk_service_daily as risk
        left join marts.fct_slo_daily as slo using (service_id, signal_date)
        where not coalesce(slo.is_slo_breached and slo.error_budget_remaining < 0, false)
        """).fetchone()[0]
    assert not_breached == 0


def test_monthly_delivery_recomputed_from_deployments_and_pull_requests(con) -> None:
    mart = {(team, month): (deployments, failed, rate, lead_time) for team, month, deployments,
            failed, rate, lead_time in con.execute(
                "select team_id, month_start, deployment_count, failed_deployment_count, "
                "change_failure_rate, change_lead_time_hours "
                "from marts.fct_delivery_team_monthly").fetchall()}
    deployed = {(team, month): (n, failed) for team, month, n, failed in con.execute(
        """
        select team_id, cast(date_trunc('month', finished_at) as date), count(*),
               count(*) filter (where is_failed)
        from marts.fct_deployments
        where is_successful and finished_at is not null
          and team_id in (select team_id from seeds.teams)
        group by all
        """).fetchall()}
    lead = dict(((team, month), hours) for team, month, hours in con.execute(
        """
        select team_id, cast(date_trunc('month', deployed_at) as date),
               median(lead_time_minutes / 60.0)
        from marts.fct_pull_requests
        where deployed_at is not null and not is_bot_authored
          and team_id in (select team_id from seeds.teams)
        group by all
        """).fetchall())
    assert deployed and set(deployed) <= set(mart)
    for key, (deployments, failed, rate, lead_time) in mart.items():
        n, f = deployed.get(key, (0, 0))
        assert (deployments, failed) == (n, f), key
        assert rate == (pytest.approx(f / n) if n else None), key
        expected = lead.get(key)
        assert (lead_time is None) == (expected is None), key
        if expected is not None:
            assert lead_time == pytest.approx(expected), key
    # a month is complete only when the delivery data covers it from its first to its last day
    first_day, last_day = con.execute(
        """
        select min(day), max(day) from (
            select cast(finished_at as date) as day from marts.fct_deployments
            where is_successful and finished_at is not null
            union all
            select cast(deployed_at as date) from marts.fct_pull_requests
            where deployed_at is not null and not is_bot_authored
        )
        """).fetchone()
    for month, complete in con.execute(
            "select month_start, bool_and(is_complete) from marts.fct_delivery_team_monthly "
            "group by month_start").fetchall():
        month_end = con.execute("select cast(? + interval 1 month - interval 1 day as date)",
                                [month]).fetchone()[0]
        assert complete == (first_day <= month and last_day >= month_end), month
