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
from breadcrumbs.why.wording import stop_text
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse


def _root(answer: dict) -> tuple[str, str] | None:
    """The root cause's metric and entity (the object carries its numbers too)."""
    root = answer["root_cause"]
    return None if root is None else (root["metric"], root["entity"])

APRIL = dt.date(2026, 4, 1)


def _warehouse(path: Path, churn_count_z: float | None, nrr_z: float = -1.2,
               risk: bool = False) -> Path:
    catalog = [
        Catalog("net_revenue_retention", "Net revenue retention", "ratio", "higher_is_better",
                "month", "plan", threshold_amber=1.0, threshold_red=0.97),
        Catalog("churned_mrr", "Churned MRR", "currency", "lower_is_better", "month", "plan",
                customer_movement="churned"),
    ]
    edges = [("net_revenue_retention", "churned_mrr", "formula", "negative")]
    if risk:
        # a red causal driver of churned MRR with no history of moving with it
        catalog.append(Catalog("revenue_at_risk", "Revenue at risk", "currency",
                               "lower_is_better", "month", "plan"))
        edges.append(("churned_mrr", "revenue_at_risk", "causal", "positive"))
    # NRR red by its threshold but only -1.2 z from its own baseline (unless told otherwise);
    # churned MRR: one large customer, beyond any robust z of money (median 0), with the count
    # test's verdict beside it
    end = dt.date(2026, 4, 30)
    status = [
        Status("net_revenue_retention", "plan", "team", APRIL, end, 0.951, 1.0, nrr_z, "red",
               adverse_z=-nrr_z),
        Status("churned_mrr", "plan", "team", APRIL, end, 4179.0, 0.0, 4179.0, "red",
               count_z=churn_count_z),
    ]
    if risk:
        status.append(Status("revenue_at_risk", "plan", "team", APRIL, end, 90000.0, 0.0, 9.5,
                             "red"))
    return handbuilt_warehouse(path, catalog, edges, status)


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
    assert _root(data) == ("churned_mrr", "team")
    assert [(s["metric"], s["edge"]) for s in data["path"]] == [("churned_mrr", "formula")]


def test_without_a_count_test_the_robust_z_is_used(tmp_path: Path) -> None:
    # no count test (too little history): the walk falls back on the robust z of the money
    warehouse = _warehouse(tmp_path / "old.duckdb", churn_count_z=None)
    data = explain(warehouse, "net_revenue_retention", entity="team",
                   period="2026-04-01").as_json()
    assert _root(data) == ("churned_mrr", "team")


def test_a_far_move_made_of_ordinary_counts_has_nothing_to_trace(tmp_path: Path) -> None:
    # NRR z -7.2 (its baseline is months at exactly 100 %), yet 2 of 58 customers left where
    # the plan's rate expects 1.2: count z 1.5, an ordinary month of who left
    warehouse = _warehouse(tmp_path / "lumpy.duckdb", churn_count_z=1.5, nrr_z=-7.2)
    answer = explain(warehouse, "net_revenue_retention", entity="team", period="2026-04-01")
    data = answer.as_json()
    assert data["root_cause"] is None
    assert data["path"] == []
    assert answer.note == "counts"


def test_a_far_move_without_count_tests_is_its_own_root(tmp_path: Path) -> None:
    # the same NRR move, but churned MRR has no count test and its robust z is within noise:
    # nothing says the move is ordinary, so NRR itself is where the trail ends
    warehouse = _warehouse(tmp_path / "unknown.duckdb", churn_count_z=None, nrr_z=-7.2)
    con = duckdb.connect(str(warehouse))
    con.execute("update metrics.metric_status set z_score = 1.5 where metric_id = 'churned_mrr'")
    con.close()
    data = explain(warehouse, "net_revenue_retention", entity="team",
                   period="2026-04-01").as_json()
    assert _root(data) == ("net_revenue_retention", "team")


def test_no_root_cause_says_which_condition_stopped_the_walk(tmp_path: Path) -> None:
    # churned MRR red by its money (robust z 4,179), ordinary by its count test (z 1.5), and a
    # red causal driver (z 9.5) that never moved with it: the walk stops, and says why, naming
    # the red driver it did not follow instead of "nothing upstream is anomalous"
    warehouse = _warehouse(tmp_path / "risk.duckdb", churn_count_z=1.5, risk=True)
    answer = explain(warehouse, "churned_mrr", entity="team", period="2026-04-01")
    assert answer.root is None and answer.stop == "threshold"
    text = stop_text(answer)
    assert text.startswith("Churned MRR is red by the money that moved (more than 99× its usual "
                           "spread above its baseline), but by its count test")
    assert "nothing upstream is anomalous" not in text
    assert ("Revenue at risk on plan team (month 2026-04, red, 9.5× its usual spread above its "
            "baseline): not followed, it moves with this metric too loosely to account for "
            "more than 0% of its move") in text
    data = answer.as_json()
    assert data["stop"] == {"reason": "threshold", "text": text}
    assert data["z"] == 4179.0 and data["count_test"]["z"] == 1.5


def test_the_counts_stop_names_the_count_test(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "lumpy.duckdb", churn_count_z=1.5, nrr_z=-7.2)
    answer = explain(warehouse, "net_revenue_retention", entity="team", period="2026-04-01")
    text = stop_text(answer)
    assert text.startswith("the move is made of customers who left, expanded or contracted, "
                           "each count within its usual rate")
    assert "as rare as 1.5× the usual spread" in text
