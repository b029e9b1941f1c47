"""`why` judges churn by its count test (metric_status.count_z_score, from metric_count_tests), not
by the robust z of churned MRR: a plan whose net revenue retention is red by its fixed threshold
because one large customer left at the plan's usual churn rate has nothing to trace, while the
same money lost to three customers where the plan's rate expects 0.15 is traced to churned MRR;
and a plan whose NRR is far from its own baseline (months at exactly 100 %) because two customers
left at the usual rate has nothing to trace either. A hand-built warehouse: only the tables `why`
reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from breadcrumbs.why import explain

APRIL = dt.date(2026, 4, 1)


def _warehouse(path: Path, churn_count_z: float | None, nrr_z: float = -1.2) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        """
        create table metrics.metric_catalog as
        select * from (values
            ('net_revenue_retention', 'Net revenue retention', 'ratio', 'higher_is_better',
             'month', 3.0, 1.0, 0.97, 'plan'),
            ('churned_mrr', 'Churned MRR', 'currency', 'lower_is_better', 'month', 3.0,
             null, null, 'plan')
        ) as catalog(metric_id, label, unit, direction, grain, red_z, threshold_amber,
                     threshold_red, entity_type)
        """
    )
    con.execute(
        """
        create table metrics.metric_edges as
        select 'net_revenue_retention' as metric_id, 'churned_mrr' as driver_metric_id,
            'formula' as edge, 'negative' as sign
        """
    )
    # NRR red by its threshold but only -1.2 z from its own baseline; churned MRR: one large
    # customer, beyond any robust z of money (median 0), with the count test's verdict beside it
    status = [
        ("net_revenue_retention", 0.951, 1.0, nrr_z, None, "red"),
        ("churned_mrr", 4179.0, 0.0, 4179.0, churn_count_z, "red"),
    ]
    con.execute(
        """
        create table metrics.metric_status (
            metric_id varchar, entity_type varchar, entity_id varchar, period_start date,
            period_end date, grain varchar, value double, baseline_median double,
            z_score double, count_z_score double, adverse_z_score double, status varchar,
            is_complete boolean
        )
        """
    )
    for metric_id, value, baseline, z, count_z, colour in status:
        con.execute(
            "insert into metrics.metric_status values (?, 'plan', 'team', ?, ?, 'month', ?, ?, "
            "?, ?, ?, ?, true)",
            [metric_id, APRIL, dt.date(2026, 4, 30), value, baseline, z, count_z,
             -z if metric_id == "net_revenue_retention" else z, colour],
        )
    con.execute(
        """
        create table metrics.metric_values as
        select metric_id, entity_type, entity_id, period_start, grain, value
        from metrics.metric_status
        """
    )
    con.close()
    return path


def test_natural_churn_behind_a_red_threshold_has_nothing_to_trace(tmp_path: Path) -> None:
    # 1 of 52 customers left where the plan's own rate expects about one: count z -0.3
    warehouse = _warehouse(tmp_path / "calm.duckdb", churn_count_z=-0.3)
    answer = explain(warehouse, "net_revenue_retention", entity="team", period="2026-04-01")
    data = answer.as_json()
    assert data["status"] == "red"
    assert data["root_cause"] is None
    assert data["path"] == []


def test_a_churn_wave_is_traced_to_churned_mrr(tmp_path: Path) -> None:
    # 3 of 41 customers left where the plan's own rate expects 0.15: count z 3.3
    warehouse = _warehouse(tmp_path / "wave.duckdb", churn_count_z=3.3)
    data = explain(warehouse, "net_revenue_retention", entity="team",
                   period="2026-04-01").as_json()
    assert data["root_cause"] == {"metric": "churned_mrr", "entity": "team"}
    assert [(s["metric"], s["edge"]) for s in data["path"]] == [("churned_mrr", "formula")]


def test_without_a_count_test_the_robust_z_is_used(tmp_path: Path) -> None:
    # no count test (too little history): the walk falls back on the robust z of the money
    warehouse = _warehouse(tmp_path / "old.duckdb", churn_count_z=None)
    data = explain(warehouse, "net_revenue_retention", entity="team",
                   period="2026-04-01").as_json()
    assert data["root_cause"] == {"metric": "churned_mrr", "entity": "team"}


def test_a_far_move_made_of_ordinary_counts_has_nothing_to_trace(tmp_path: Path) -> None:
    # NRR z -7.2 (its baseline is months at exactly 100 %), yet 2 of 58 customers left where
    # the plan's rate expects 1.2: count z 1.5, an ordinary month of who left
    warehouse = _warehouse(tmp_path / "lumpy.duckdb", churn_count_z=1.5, nrr_z=-7.2)
    answer = explain(warehouse, "net_revenue_retention", entity="team", period="2026-04-01")
    data = answer.as_json()
    assert data["root_cause"] is None
    assert data["path"] == []
    assert answer.ordinary == "counts"


def test_a_far_move_without_count_tests_is_its_own_root(tmp_path: Path) -> None:
    # the same NRR move, but churned MRR has no count test and its robust z is within noise:
    # nothing says the move is ordinary, so NRR itself is where the trail ends
    warehouse = _warehouse(tmp_path / "unknown.duckdb", churn_count_z=None, nrr_z=-7.2)
    con = duckdb.connect(str(warehouse))
    con.execute("update metrics.metric_status set z_score = 1.5 where metric_id = 'churned_mrr'")
    con.close()
    data = explain(warehouse, "net_revenue_retention", entity="team",
                   period="2026-04-01").as_json()
    assert data["root_cause"] == {"metric": "net_revenue_retention", "entity": "team"}
