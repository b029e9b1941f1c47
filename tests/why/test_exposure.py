"""Evidence at the grain of the effect (breadcrumbs/why/exposure.py, docs/why-algorithm.md): a
month of customers leaving is blamed on an SLO breach only when the customers who left were
exposed to it (on a plan depending on the breached service, paying during the breach) and the
exposed left more than their plan's own rate explains, by an exact test whose numbers are worked
by hand below; otherwise `why` says the leaving is ordinary and names the exposure it checked."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from breadcrumbs.why import explain
from breadcrumbs.why.exposure import Exposure, PlanCohort, exposed_tail, judge, tail_z
from tests.why.handbuilt import Catalog, Status, add_customer_marts, handbuilt_warehouse
from tests.why.test_why_schema import VALIDATOR

MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]  # January to June, June asked
ASKED = MONTHS[-1]


def _cohort(exposed: int, exposed_moved: int, baseline_at_risk: int, baseline_moved: int,
            unexposed: int = 0, unexposed_moved: int = 0, plan: str = "team") -> PlanCohort:
    return PlanCohort(plan, exposed, exposed_moved, unexposed, unexposed_moved,
                      baseline_at_risk, baseline_moved)


def test_one_leaver_is_no_evidence() -> None:
    # 90 exposed, baseline 2 leavers in 450 customer-months; 1 exposed leaver: of the 3 leavers
    # each is exposed with probability 90 / 540 = 1/6, P(X >= 1) = 1 - (5/6)^3
    assert exposed_tail([_cohort(90, 1, 450, 2)]) == pytest.approx(1 - (5 / 6) ** 3)


def test_five_exposed_leavers_where_the_plan_loses_two_in_five_months_are() -> None:
    # 7 leavers, P(X >= 5) for Binomial(7, 1/6) = (21 * 25 + 7 * 5 + 1) / 6^7 = 561 / 279936
    tail = exposed_tail([_cohort(90, 5, 450, 2)])
    assert tail == pytest.approx(561 / 279936)
    found = Exposure("churned", ASKED, (MONTHS[3], ASKED), ["checkout"], ["team"],
                     [_cohort(90, 5, 450, 2)])
    judge(found, 2.5)
    assert found.passed and found.z == pytest.approx(2.878, abs=0.01)


def test_plans_are_summed_exactly() -> None:
    # plan a: 1 leaver, exposed with probability 10 / 20; plan b: 1 leaver, 10 / 40: both 1/8
    cohorts = [_cohort(10, 1, 10, 0, plan="a"), _cohort(10, 1, 30, 0, plan="b")]
    assert exposed_tail(cohorts) == pytest.approx(0.5 * 0.25)


def test_the_exposed_must_leave_more_than_the_unexposed() -> None:
    found = Exposure("churned", ASKED, (MONTHS[3], ASKED), ["checkout"], ["team"],
                     [_cohort(90, 5, 450, 2, unexposed=30, unexposed_moved=20)])
    judge(found, 2.5)
    assert found.z > 2.5 and not found.passed


def _warehouse(path: Path, exposed_leavers: int, breach: dt.date | None) -> Path:
    """Plan team: churned MRR red in June (count z 3.5) and revenue at risk red in its first
    week; 60 customers paid through May, 5 more started in May (at risk in June, paying during
    a breach only if it was in May); 5 leave in June, `exposed_leavers` of the 60 among them."""
    catalog = [
        Catalog("churned_mrr", "Churned MRR", "currency", "lower_is_better", "month", "plan",
                customer_movement="churned"),
        Catalog("revenue_at_risk", "Revenue at risk", "currency", "lower_is_better", "week",
                "plan"),
    ]
    edges = [("churned_mrr", "revenue_at_risk", "causal", "positive")]
    wobble = [0.0, 1.0, -1.0, 0.5, -0.5]
    status = []
    for month, w in zip(MONTHS, [*wobble, None], strict=True):
        churn_z, risk_z = (3.5, 10.0) if w is None else (w, w)
        status += [
            Status("churned_mrr", "plan", "team", month, month.replace(day=28),
                   1000 + 300 * churn_z, 1000.0, churn_z, "red" if w is None else "green",
                   count_z=churn_z),
            Status("revenue_at_risk", "plan", "team", month, month + dt.timedelta(days=6),
                   1000 + 300 * risk_z, 1000.0, risk_z, "red" if w is None else "green"),
        ]
    handbuilt_warehouse(path, catalog, edges, status)
    movements = []
    for i in range(65):
        customer = f"cus_{i}"
        since = MONTHS[4] if i >= 60 else MONTHS[0]
        for month in MONTHS[:-1]:
            if month >= since:
                movements.append((customer, "team", month, 100.0, 100.0, "retained"))
        leaves = i < exposed_leavers or 60 <= i < 60 + 5 - exposed_leavers
        movements.append((customer, "team", ASKED, 100.0, 0.0 if leaves else 100.0,
                          "churned" if leaves else "retained"))
    breaches = [("team", "checkout", breach)] if breach else []
    count_tests = [("churned_mrr", "team", ASKED, 65, 5, 300, 2)]
    return add_customer_marts(path, movements, breaches, count_tests)


def _ask(path: Path) -> dict:
    answer = explain(path, "churned_mrr", entity="team", period=ASKED.isoformat()).as_json()
    VALIDATOR.validate(answer)  # docs/why.schema.json: `exposure` and `unfollowed`
    return answer


def test_leavers_exposed_to_a_breach_are_traced_to_it(tmp_path: Path) -> None:
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", exposed_leavers=5,
                             breach=dt.date(2026, 4, 20)))
    assert [(s["metric"], s["edge"]) for s in answer["path"]] == [("revenue_at_risk", "causal")]
    exposure = answer["path"][0]["exposure"]
    # 60 exposed (paying in April), 5 of them left; 7 leavers with the baseline's 2, each
    # exposed with probability 60 / 360 = 1/6: P(X >= 5) = 561 / 279936
    assert exposure["exposed"] == 60 and exposure["exposed_moved"] == 5
    assert exposure["p_value"] == pytest.approx(561 / 279936)
    assert exposure["passed"] is True and exposure["services"] == ["checkout"]


def test_leavers_who_were_not_exposed_are_ordinary(tmp_path: Path) -> None:
    # the breach was in April; 4 of the 5 leavers started paying in May
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", exposed_leavers=1,
                             breach=dt.date(2026, 4, 20)))
    assert answer["path"] == []
    assert answer["root_cause"]["metric"] == "churned_mrr"
    (skip,) = answer["unfollowed"]
    assert skip["metric"] == "revenue_at_risk" and skip["reason"] == "exposure"
    assert skip["exposure"]["exposed_moved"] == 1 and skip["exposure"]["unexposed_moved"] == 4
    assert skip["exposure"]["p_value"] == pytest.approx(1 - (5 / 6) ** 3)
    assert "1 (of 60 exposed) were on plans depending on checkout" in answer["stop"]["text"]
    assert "their moving is ordinary" in answer["stop"]["text"]


def test_without_a_breach_nobody_was_exposed(tmp_path: Path) -> None:
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", exposed_leavers=5, breach=None))
    assert answer["path"] == []
    (skip,) = answer["unfollowed"]
    assert skip["reason"] == "exposure" and skip["exposure"]["services"] == []
    assert "no service any plan depends on was in SLO breach" in answer["stop"]["text"]
    assert math.isclose(skip["exposure"]["p_value"], 1.0)


def test_tail_z_of_a_vanishing_tail_is_the_cap_not_an_error():
    """A tail below 1.1e-16 (1 - p rounds to 1.0) stopped the walk on the 4x benchmark org."""
    assert tail_z(0.0) == tail_z(1e-300) == 10.0
    assert 9.2 < tail_z(1e-20) < 9.3
    assert abs(tail_z(0.0013498980316301) - 3.0) < 1e-9
    assert tail_z(0.5) == 0.0 and str(tail_z(0.5)) == "0.0"
    assert tail_z(1.0) < -7.9
