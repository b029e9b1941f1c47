"""Each fault kind moves the series it should, and only those: a scenario with the fault
against the same scenario and seed without it."""

from __future__ import annotations

import statistics
from datetime import datetime

import pytest
from sim_helpers import mean, points, scenario_with, window

from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.world import World

START, END = "2026-03-16", "2026-03-23"  # the fault window used below (BASE: 2026-03-02 +42d)
SERVICES = ("checkout", "billing-api", "gateway")


def fault(kind: str, target_key: str, target: str, magnitude: float = 0.45, **extra) -> dict:
    return {"kind": kind, target_key: target, "start": START, "days": 7,
            "magnitude": magnitude, **extra}


def with_fault(*faults: dict) -> World:
    return generate(scenario_with(*faults))


def team_prs(world: World, repos: tuple[str, ...], start: str = START, end: str = END):
    return [p for name, r in world.repos.items() if name.split("/")[1] in repos
            for p in r.pulls if start <= p["created_at"][:10] < end]


def pickup_hours(world: World, repos: tuple[str, ...]) -> float:
    hours = []
    for name, repo in world.repos.items():
        if name.split("/")[1] not in repos:
            continue
        for pr in repo.pulls:
            if not START <= pr["created_at"][:10] < END:
                continue
            first = [r["submitted_at"] for r in repo.reviews[pr["number"]]
                     if r["user"]["login"] != pr["user"]["login"]]
            if first:
                delta = _ts(min(first)) - _ts(pr["created_at"])
                hours.append(delta / 3600)
    return statistics.median(hours)


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def signals_equal(a: World, b: World, service: str) -> bool:
    return all(points(a, m, service) == points(b, m, service)
               for m in ("cpu", "latency_p95", "errors", "requests"))


def test_cpu_saturation_raises_cpu_latency_errors_of_that_service_only(base_world):
    world = with_fault(fault("cpu_saturation", "service", "checkout"))
    for metric in ("cpu", "latency_p95", "errors"):
        hit = mean(window(points(world, metric, "checkout"), START, END))
        before = mean(window(points(base_world, metric, "checkout"), START, END))
        assert hit > before * 1.3, metric
    assert window(points(world, "requests", "checkout"), START, END) == window(
        points(base_world, "requests", "checkout"), START, END)
    assert window(points(world, "cpu", "checkout"), "2026-03-02", START) == window(
        points(base_world, "cpu", "checkout"), "2026-03-02", START)
    for other in ("billing-api", "gateway"):
        assert signals_equal(world, base_world, other)
    checkout_incidents = [i for i in world.incidents if i["service"]["summary"] == "checkout"
                          and START <= i["created_at"][:10] < END]
    assert checkout_incidents


def test_traffic_surge_raises_requests_and_cpu_of_that_service_only(base_world):
    world = with_fault(fault("traffic_surge", "service", "gateway"))
    for metric, factor in (("requests", 1.3), ("cpu", 1.3)):
        hit = mean(window(points(world, metric, "gateway"), START, END))
        before = mean(window(points(base_world, metric, "gateway"), START, END))
        assert hit > before * factor, metric
    for other in ("checkout", "billing-api"):
        assert signals_equal(world, base_world, other)


def test_bad_deploy_ships_a_defect_then_an_incident_and_a_hotfix(base_world):
    world = with_fault(fault("bad_deploy", "service", "billing-api"))
    defects = [d for d in world.truth["deployments"]["billing-api"]["defective_deployments"]
               if d["fault"]]
    assert len(defects) == 1 and START <= defects[0]["created_at"][:10] < END
    repo = world.repos["acme/billing-api"]
    defect = next(d for d in repo.deployments if d["id"] == defects[0]["deployment_id"])
    hotfixes = [d for d in repo.deployments if d["description"].startswith("hotfix:")
                and d["created_at"] > defect["created_at"]]
    fix = hotfixes[-1]  # deployments are newest first: the first hotfix after the defect
    assert 0 < _ts(fix["created_at"]) - _ts(defect["created_at"]) < 24 * 3600
    incidents = [i for i in world.incidents if i["service"]["summary"] == "billing-api"
                 and defect["created_at"] < i["created_at"] < fix["updated_at"]]
    assert incidents
    errors = window(points(world, "errors", "billing-api"), START, END)
    assert sum(errors) > 2 * sum(window(points(base_world, "errors", "billing-api"), START, END))
    for other in ("checkout", "gateway"):
        assert signals_equal(world, base_world, other)
        assert world.repos[f"acme/{other}"].deployments == \
            base_world.repos[f"acme/{other}"].deployments


def _retry_share(world: World, repo: str) -> float:
    runs = [r for r in world.repos[f"acme/{repo}"].workflow_runs
            if START <= r["created_at"][:10] < END]
    return sum(r["run_attempt"] > 1 and r["conclusion"] == "success" for r in runs) / len(runs)


@pytest.mark.parametrize("key,value", [("repo", "acme/gateway"), ("service", "gateway")])
def test_flaky_tests_raise_reruns_on_that_repo_only(base_world, key, value):
    world = with_fault(fault("flaky_tests", key, value))
    assert _retry_share(world, "gateway") > _retry_share(base_world, "gateway") + 0.15
    for other in ("checkout", "billing-api"):
        assert world.repos[f"acme/{other}"].workflow_runs == \
            base_world.repos[f"acme/{other}"].workflow_runs


def test_review_bottleneck_slows_pickup_of_that_team_only(base_world):
    world = with_fault(fault("review_bottleneck", "team", "payments", magnitude=1.5))
    payments = ("checkout", "billing-api")
    assert pickup_hours(world, payments) > 1.5 * pickup_hours(base_world, payments)
    assert world.repos["acme/gateway"].pulls == base_world.repos["acme/gateway"].pulls
    assert world.repos["acme/gateway"].reviews == base_world.repos["acme/gateway"].reviews


def test_large_prs_grow_pr_sizes_of_that_team_only(base_world):
    world = with_fault(fault("large_prs", "team", "platform", magnitude=1.0))

    def size(w: World) -> float:
        return statistics.median(p["additions"] + p["deletions"]
                                 for p in team_prs(w, ("gateway",)) if p["user"]["type"] == "User")
    assert size(world) > 1.6 * size(base_world)
    for other in ("checkout", "billing-api"):
        assert world.repos[f"acme/{other}"].pulls == base_world.repos[f"acme/{other}"].pulls


def _canceled(world: World, plan: str) -> int:
    return sum(1 for s in world.subscriptions
               if s["metadata"]["plan"] == plan and s["canceled_at"] is not None
               and s["trial_end"] != s["canceled_at"])


def test_churn_wave_raises_cancellations_on_that_plan_only(base_world):
    world = with_fault(fault("churn_wave", "plan", "team", magnitude=1.0))
    assert _canceled(world, "team") >= _canceled(base_world, "team") + 4
    for other in ("starter", "enterprise"):
        assert [s for s in world.subscriptions if s["metadata"]["plan"] == other] == \
            [s for s in base_world.subscriptions if s["metadata"]["plan"] == other]


def _invoiced(world: World, plan: str, since: str, until: str = "2100-01-01"):
    lo, hi = (int(datetime.fromisoformat(d + "T00:00:00+00:00").timestamp())
              for d in (since, until))
    lookup = {p["id"]: p["lookup_key"] for p in world.prices}  # pricing names the price id
    return sorted((i["parent"]["subscription_details"]["subscription"], i["created"],
                   int(i["lines"]["data"][0]["pricing"]["unit_amount_decimal"]), i["total"])
                  for i in world.invoices
                  if lookup[i["lines"]["data"][0]["pricing"]["price_details"]["price"]] == plan
                  and lo <= i["created"] < hi)


@pytest.mark.parametrize("magnitude", [-0.2, 0.3])
def test_price_change_moves_invoice_amounts_on_that_plan_only(base_world, magnitude):
    world = with_fault(fault("price_change", "plan", "starter", magnitude=magnitude))
    changed = _invoiced(world, "starter", START)
    assert changed and {unit for _, _, unit, _ in changed} == {round(4900 * (1 + magnitude))}
    before = sum(t for *_, t in _invoiced(base_world, "starter", START))
    after = sum(t for *_, t in changed)
    assert (after > before) == (magnitude > 0)
    assert _invoiced(world, "starter", "2025-01-01", START) == _invoiced(
        base_world, "starter", "2025-01-01", START)
    for other in ("team", "enterprise"):
        assert _invoiced(world, other, "2025-01-01") == _invoiced(base_world, other,
                                                                   "2025-01-01")
