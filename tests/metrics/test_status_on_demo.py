"""Honest periods and baselines that remember outages on the default demo
(docs/periods-and-status.md): the data runs from Monday 25 May to Sunday 22 November 2026, so
May and November are incomplete for the metrics read from that window and never coloured; the
SLO window's metrics are incomplete for their first 27 days; and the notifications breach of
October (enterprise revenue at risk, weeks of 5 October to 2 November) is red like checkout's
August breach, no longer "normal" against a baseline that holds August."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

FIRST_DAY, LAST_DAY = dt.date(2026, 5, 25), dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def con(default_warehouse: Path):
    with duckdb.connect(str(default_warehouse), read_only=True) as connection:
        yield connection


def test_the_data_runs_from_may_25_to_november_22(con) -> None:
    assert con.execute("select min(period_start), max(period_start) from metrics.metric_values "
                       "where grain = 'day'").fetchone() == (FIRST_DAY, LAST_DAY)


def test_incomplete_periods_are_never_coloured(con) -> None:
    assert con.execute(
        "select count(*) from metrics.metric_status where is_complete = (status = 'incomplete')"
    ).fetchone()[0] == 0
    # every period ending after the last day, or starting before the first for the metrics
    # read from the load window, is incomplete
    assert con.execute(
        """
        select count(*) from metrics.metric_status as status
        inner join metrics.metric_catalog as catalog using (metric_id)
        where status.is_complete and (status.period_end > ? or (
            catalog.coverage = 'load_window' and status.period_start < ?))
        """, [LAST_DAY, FIRST_DAY]).fetchone()[0] == 0


def test_may_and_november_are_incomplete_and_october_complete(con) -> None:
    months = dict(con.execute(
        "select period_start, bool_and(is_complete) from metrics.metric_status "
        "where metric_id = 'engineering_cost_per_feature' group by 1").fetchall())
    assert months[dt.date(2026, 5, 1)] is False
    assert months[dt.date(2026, 6, 1)] is True and months[dt.date(2026, 10, 1)] is True
    assert months[dt.date(2026, 11, 1)] is False
    statuses = {r[0] for r in con.execute(
        "select distinct status from metrics.metric_status "
        "where metric_id = 'engineering_cost_per_feature' and period_start = '2026-11-01'"
    ).fetchall()}
    assert statuses == {"incomplete"}
    # Stripe is read in full: MRR is complete from its first month (August 2025, ten months
    # before the other sources' first day) to October (fct_mrr_monthly holds closed months)
    mrr = dict(con.execute(
        "select period_start, bool_and(is_complete) from metrics.metric_status "
        "where metric_id = 'mrr' group by 1").fetchall())
    assert min(mrr) < dt.date(2026, 5, 1) and all(mrr.values())


def test_the_slo_window_must_be_full(con) -> None:
    first = con.execute(
        "select min(period_start) from metrics.metric_status "
        "where metric_id = 'error_budget_remaining' and is_complete").fetchone()[0]
    assert first == FIRST_DAY + dt.timedelta(days=27)
    first_week = con.execute(
        "select min(period_start) from metrics.metric_status "
        "where metric_id = 'revenue_at_risk' and is_complete").fetchone()[0]
    assert first_week == dt.date(2026, 6, 22)


def test_the_october_breach_is_red_like_august(con) -> None:
    weeks = dict(con.execute(
        "select period_start, status from metrics.metric_status where metric_id = "
        "'revenue_at_risk' and entity_type = 'plan' and entity_id = 'enterprise'").fetchall())
    august = [dt.date(2026, 8, 17) + dt.timedelta(days=7 * k) for k in range(5)]
    october = [dt.date(2026, 10, 5) + dt.timedelta(days=7 * k) for k in range(5)]
    assert [weeks[w] for w in august] == ["red"] * 5
    assert [weeks[w] for w in october] == ["red"] * 5
    # any MRR at risk is red, and only that
    assert con.execute(
        "select count(*) from metrics.metric_status where metric_id = 'revenue_at_risk' "
        "and is_complete and (status = 'red') <> (value > 0)").fetchone()[0] == 0


def test_red_periods_leave_the_baselines(con) -> None:
    # checkout's August availability outage is left out of September's daily baselines
    left_out = con.execute(
        "select max(baseline_red_points) from metrics.metric_status where metric_id = "
        "'availability' and entity_id = 'checkout' and period_start between '2026-08-24' "
        "and '2026-09-30'").fetchone()[0]
    assert left_out >= 1
