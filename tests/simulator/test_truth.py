"""The simulator's record of why customers moved (world.truth: the accuracy suite's ground truth,
never served and never read by `why`) says what the served data shows, and its causes are
counterfactual: a churn recorded as the plan's usual rate happens on the same day without the
fault, one recorded as the fault's does not."""

from __future__ import annotations

from collections import defaultdict

from sim_helpers import scenario_with
from test_faults import fault, with_fault

from breadcrumbs.simulator.generate import generate

CAUSES = {"trial", "baseline", "sla_breach", "churn_wave"}


def _ended(world) -> dict[str, int]:
    return {s["id"]: s["canceled_at"] for s in world.subscriptions if s["canceled_at"]}


def test_every_cancellation_has_one_recorded_cause(default_world):
    churned = {c["subscription"]: c for c in default_world.truth["churned"]}
    assert set(churned) == set(_ended(default_world))
    assert {c["cause"] for c in churned.values()} <= CAUSES
    # the default scenario's CPU fault breached checkout's SLO: some customers left for it
    assert any(c["cause"] == "sla_breach" for c in churned.values())
    assert not any(c["cause"] == "churn_wave" for c in churned.values())


def test_churn_causes_are_counterfactual():
    world = with_fault(fault("churn_wave", "plan", "team", magnitude=1.0))
    control = generate(scenario_with())
    ended, ended_without = _ended(world), _ended(control)
    causes = {c["subscription"]: c["cause"] for c in world.truth["churned"]}
    assert "churn_wave" in causes.values()
    for sub, cause in causes.items():
        if cause == "baseline":  # the plan's usual hazard alone crossed that day
            assert ended_without.get(sub) == ended[sub], sub
        if cause == "churn_wave":  # without the wave, later or never
            assert ended_without.get(sub) is None or ended_without[sub] > ended[sub], sub


def test_every_change_of_a_subscriptions_bill_is_recorded(default_world):
    """Consecutive invoices of a subscription that bill a different amount have a recorded
    movement that way at the new period's start (seats: baseline or breach; price: fault)."""
    recorded = defaultdict(set)
    for move in default_world.truth["mrr_changes"]:
        assert move["cause"] in {"baseline", "sla_breach", "price_change"}
        recorded[(move["subscription"], move["at"])].add(move["movement"])
    invoices = defaultdict(list)
    for invoice in default_world.invoices:
        sub = invoice["parent"]["subscription_details"]["subscription"]
        invoices[sub].append((invoice["period_start"], invoice["total"]))
    changes = 0
    for sub, bills in invoices.items():
        bills.sort()
        for (_, before), (start, after) in zip(bills, bills[1:], strict=False):
            if after != before:
                changes += 1
                way = "expansion" if after > before else "contraction"
                assert way in recorded[(sub, start)], (sub, start, before, after)
    assert changes == len(default_world.truth["mrr_changes"])


def test_price_changes_are_recorded_as_such():
    world = with_fault(fault("price_change", "plan", "starter", magnitude=0.3))
    moves = [m for m in world.truth["mrr_changes"] if m["cause"] == "price_change"]
    assert moves and {m["plan"] for m in moves} == {"starter"}
    assert {m["movement"] for m in moves} == {"expansion"}
