"""How `why`, `review` and the report say numbers, steps, tests and evidence
(breadcrumbs.why.wording), against hand-written expectations."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from breadcrumbs.warehouse import Entity, Metric
from breadcrumbs.why import wording
from breadcrumbs.why.model import CountTest, Evidence, Explanation, Node, Step, Term, Unfollowed

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (99630.0, "currency", "$99,630"),
    (2_431_000.0, "currency", "$2.43 M"),
    (2_249_143.0, "currency", "$2.25 M"),
    (-480_422.0, "currency", "-$480,422"),
    (12000.0, "currency", "$12,000"),
    (0.0, "currency", "$0"),
    (49.5, "currency", "$49.5"),
    (4416.0, "count", "4,416"),
    (21.5, "count", "21.5"),
    (4.0, "count", "4"),
    (1_234_567_890.0, "count", "1.23 B"),
    (301.4, "ms", "301 ms"),
    (191.0, "minutes", "191 min"),
    (3.25, "hours", "3.25 h"),
    (0.0204, "ratio", "2.04 %"),
    (0.000106, "ratio", "0.0106 %"),
    (0.98, "ratio", "98.0 %"),
    (0.9995, "ratio", "99.95 %"),
    (0.6, "ratio", "60.0 %"),
    (-1.07, "ratio", "-107.0 %"),
    (0.00000123, "", "0.00000123"),
    (None, "count", "–"),
])
def test_numbers_for_reading(value: float | None, unit: str, expected: str) -> None:
    assert wording.number(value, unit, "usd") == expected


def test_never_scientific_notation() -> None:
    for exponent in range(-9, 16):
        for mantissa in (1.0, 2.4321, 9.99):
            for unit in ("", "count", "currency", "ratio", "ms", "hours"):
                text = wording.number(mantissa * 10 ** exponent, unit, "usd")
                assert not SCIENTIFIC.search(text), text


@pytest.mark.parametrize(("value", "unit", "currency", "expected"), [
    (12000.0, "currency", "usd", "+$12,000"),
    (-480_422.0, "currency", "usd", "-$480,422"),
    (12000.0, "currency", "", "+12,000"),
    (12000.0, "currency", "chf", "+12,000 CHF"),
    (0.0198, "ratio", "", "+1.98 pp"),
    (-0.25, "ratio", "", "-25.0 pp"),
    (0.0, "count", "", "±0"),
])
def test_signed_changes(value: float, unit: str, currency: str, expected: str) -> None:
    assert wording.change(value, unit, currency) == expected


def test_entities_spelled_once() -> None:
    assert wording.entity("org", "org") == "org"
    assert wording.entity("plan", "enterprise") == "plan enterprise"
    assert wording.period("month", dt.date(2026, 9, 1)) == "month 2026-09"
    assert wording.period("week", dt.date(2026, 8, 17)) == "week of 2026-08-17"
    assert wording.period("day", dt.date(2026, 8, 20)) == "day 2026-08-20"


@pytest.mark.parametrize(("z", "expected"), [
    (4.1, "4.1× its usual spread above its baseline"),
    (-8.84, "8.8× its usual spread below its baseline"),
    (0.4, "within its usual spread"),
    (250.0, "more than 99× its usual spread above its baseline"),
    (None, "no baseline yet (fewer than 3 earlier periods)"),
])
def test_how_unusual_in_words(z: float | None, expected: str) -> None:
    assert wording.spread(z) == expected


def _metric(metric_id: str = "churned_mrr", label: str = "Churned MRR", unit: str = "currency",
            **extra: object) -> Metric:
    return Metric(metric_id=metric_id, label=label, unit=unit,
                  direction=str(extra.pop("direction", "lower_is_better")),
                  grain="month", red_z=3.0, threshold_amber=extra.pop("amber", None),  # type: ignore[arg-type]
                  threshold_red=extra.pop("red", None), drivers=(), currency="usd")  # type: ignore[arg-type]


def _churn_node() -> Node:
    # the money z sets the colour (12,000 against a 0 baseline), the count test judges the walk
    return Node(metric=_metric(), entity=Entity("plan", "enterprise"),
                period_start=dt.date(2026, 9, 1), grain="month", value=12000.0, baseline=0.0,
                z=3.1, status="red", counted=True, robust_z=1200.0, basis="baseline",
                count=CountTest("churned", moved=3, expected=0.41, at_risk=41))


def test_step_line_names_the_test_behind_the_colour() -> None:
    line = wording.step_line(_churn_node())
    assert line == (
        "Churned MRR, plan enterprise, month 2026-09: $12,000 (baseline $0) — more than 99× "
        "its usual spread above its baseline; count test: 3 of 41 customers left where 0.41 "
        "were expected at the usual rate — as rare as 3.1× the usual spread — RED")
    assert "z " not in line and "surprise" not in line, "raw statistics only when verbose"
    verbose = wording.step_line(_churn_node(), verbose=True)
    assert verbose.endswith("[churned_mrr, z >+99, count z +3.1, status by baseline]")


def test_threshold_status_says_its_threshold() -> None:
    node = Node(metric=_metric("change_failure_rate", "Change failure rate", "ratio",
                               amber=0.15, red=0.30),
                entity=Entity("team", "payments"), period_start=dt.date(2026, 8, 17),
                grain="week", value=0.6, baseline=0.0, z=120.0, status="red",
                robust_z=120.0, basis="thresholds")
    assert wording.step_line(node).endswith(
        "60.0 % (baseline 0 %) — more than 99× its usual spread above its baseline — RED "
        "(above its red threshold 30.0 %)")


def test_formula_shares_stay_between_0_and_100_percent() -> None:
    # net revenue retention fell: churn and contraction pushed it down, mrr's rise pulled
    # against it; raw shares of the net change are -245 % and the like
    terms = [Term("churned_mrr", 12000.0, 2.2, unit="currency", currency="usd"),
             Term("contraction_mrr", 3000.0, 0.25, unit="currency", currency="usd"),
             Term("mrr", 480422.0, -2.45, unit="currency", currency="usd")]
    assert wording.formula_text(terms) == (
        "churned_mrr +$12,000 (90%), contraction_mrr +$3,000 (10%); offset by mrr +$480,422")
    assert "-245" not in wording.formula_text(terms)
    assert "-2.45" in wording.formula_text(terms, verbose=True)


def test_dimension_scan_without_surprise_unless_verbose() -> None:
    terms = [Term("plan:enterprise", 12000.0, 0.8, surprise=0.303, unit="currency",
                  currency="usd"),
             Term("plan:team", 3000.0, 0.2, surprise=0.01, unit="currency", currency="usd")]
    assert wording.scan_text(terms) == "plan enterprise +$12,000 (80%), plan team +$3,000 (20%)"
    assert "surprise 0.303" in wording.scan_text(terms, verbose=True)


def _explanation(root: bool = True) -> Explanation:
    start = _churn_node()
    incident = Evidence("incident", "P1", "2026-08-20 10:00", "high urgency on checkout")
    other = Evidence("incident", "P2", "2026-08-21 10:00", "high urgency on checkout")
    customer = Evidence("customer", "cus_1", "2026-09-01", "churned on plan enterprise")
    metric = Evidence("metric", "churned_mrr/enterprise/2026-09-01", "2026-09-01", "…")
    cpu = Node(metric=_metric("cpu_utilization", "CPU utilisation", "ratio"),
               entity=Entity("service", "checkout"), period_start=dt.date(2026, 8, 20),
               grain="day", value=0.609, baseline=0.393, z=11.0, status="red", robust_z=11.0)
    errors = Node(metric=_metric("error_count", "Errors", "count"),
                  entity=Entity("service", "checkout"), period_start=dt.date(2026, 8, 20),
                  grain="day", value=4416.0, baseline=21.5, z=9.5, status="red", robust_z=9.5)
    steps = [Step(errors, "causal", 0.9, 9.0, evidence=[incident, other]),
             Step(cpu, "causal", 0.8, 8.0, evidence=[incident, other])]
    return Explanation(start=Step(start, "start", 1.0, 3.1, evidence=[metric, customer, customer]),
                       steps=steps, root=cpu if root else None,
                       stop="root" if root else "counts")


def test_evidence_once_per_kind_and_id_and_grouped() -> None:
    explanation = _explanation()
    assert [(e.kind, e.id) for e in wording.unique_evidence(
        [explanation.start, *explanation.steps])] == [
        ("metric", "churned_mrr/enterprise/2026-09-01"), ("customer", "cus_1"),
        ("incident", "P1"), ("incident", "P2")]
    groups = wording.evidence_groups(explanation)
    assert [(title, [e.id for e in items]) for title, items in groups] == [
        ("Incidents", ["P1", "P2"]), ("Customers", ["cus_1"])]
    data = explanation.as_json()
    keys = [(e["kind"], e["id"]) for e in data["evidence"]]
    assert len(keys) == len(set(keys)) == 4


def test_json_share_only_on_formula_edges() -> None:
    data = _explanation().as_json()
    for step in data["path"]:
        assert step["edge"] == "causal" and step["share"] is None
        assert 0 <= step["strength"] <= 1
        assert step["period"] and step["status"] == "red" and step["z"] is not None
    assert data["root_cause"]["period"] == "2026-08-20"
    assert data["count_test"] == {"z": 3.1, "movement": "churned", "moved": 3,
                                  "expected": 0.41, "at_risk": 41}
    assert data["z"] == 1200.0, "the z the status is set by, not the count test's"


def test_no_root_cause_names_the_condition_and_the_red_driver_not_followed() -> None:
    explanation = _explanation(root=False)
    explanation.steps = []
    risk = Node(metric=_metric("revenue_at_risk", "Revenue at risk"),
                entity=Entity("plan", "enterprise"), period_start=dt.date(2026, 8, 31),
                grain="week", value=2_249_143.0, baseline=0.0, z=9.5, status="red",
                robust_z=9.5)
    explanation.unfollowed = [Unfollowed(risk, "accounts", accounts=0.08, strength=0.1)]
    text = wording.stop_text(explanation)
    assert "nothing upstream is anomalous" not in text
    assert text.startswith("the move is made of customers who left, expanded or contracted, "
                           "each count within its usual rate (Churned MRR on plan enterprise: "
                           "count test: 3 of 41 customers left")
    assert ("Revenue at risk on plan enterprise (week of 2026-08-31, red, 9.5× its usual "
            "spread above its baseline): not followed, it moves with this metric too loosely "
            "to account for more than 8% of its move (a cause must account for 15 %)") in text


def test_trail_sentence_reads_as_one_line() -> None:
    sentence = wording.trail_sentence(_explanation())
    assert sentence == (
        "Churned MRR on plan enterprise (month 2026-09, $12,000) ← Errors on service checkout "
        "(day 2026-08-20, 4,416) ← CPU utilisation on service checkout (day 2026-08-20, "
        "60.9 %): root cause CPU utilisation on service checkout, day 2026-08-20.")
