"""The default scenario tells its story: checkout CPU saturation -> latency -> errors -> SLO
breach -> churned subscriptions weeks later; the other faults leave their marks too."""

from __future__ import annotations

from datetime import datetime

from sim_helpers import mean, points, window

START, END = "2026-08-17", "2026-08-22"  # scenarios/default.yaml cpu_saturation on checkout
BEFORE = ("2026-08-03", "2026-08-15")


def _unix(day: str) -> int:
    return int(datetime.fromisoformat(day + "T00:00:00+00:00").timestamp())


def test_cpu_spike_drives_latency_errors_and_an_slo_breach(default_world, default_control):
    world = default_world
    slo = next(s for s in world.services if s.id == "checkout").slo_availability
    for metric, factor in (("cpu", 1.3), ("latency_p95", 1.5), ("errors", 5.0)):
        hit = mean(window(points(world, metric, "checkout"), START, END))
        normal = mean(window(points(world, metric, "checkout"), *BEFORE))
        control = mean(window(points(default_control, metric, "checkout"), START, END))
        assert hit > factor * normal and hit > factor * control, metric
    requests = sum(window(points(world, "requests", "checkout"), START, END))
    errors = sum(window(points(world, "errors", "checkout"), START, END))
    assert 1 - errors / requests < slo - 0.005  # well below the 99.9 % objective
    normal_req = sum(window(points(world, "requests", "checkout"), *BEFORE))
    normal_err = sum(window(points(world, "errors", "checkout"), *BEFORE))
    assert 1 - normal_err / normal_req > slo + 0.0003  # comfortably above it normally
    paged = [i for i in world.incidents if i["service"]["summary"] == "checkout"
             and START <= i["created_at"][:10] <= END]
    assert len(paged) >= 2 and any(i["urgency"] == "high" for i in paged)


def test_breach_costs_subscriptions_weeks_later(default_world, default_control):
    plans = {p.id for p in default_world.plans if "checkout" in p.services}
    lo, hi = _unix("2026-08-31"), _unix("2026-10-19")  # 2 to 9 weeks after the breach

    def churned(world) -> int:
        return sum(1 for s in world.subscriptions
                   if s["metadata"]["plan"] in plans and s["canceled_at"] is not None
                   and lo <= s["canceled_at"] < hi)
    assert churned(default_world) >= churned(default_control) + 10
    early = [s for s in default_world.subscriptions if s["metadata"]["plan"] in plans
             and s["canceled_at"] is not None and _unix(START) <= s["canceled_at"] < lo]
    early_control = [s for s in default_control.subscriptions if s["metadata"]["plan"] in plans
                     and s["canceled_at"] is not None and _unix(START) <= s["canceled_at"] < lo]
    assert len(early) == len(early_control)  # no churn before the lag


def test_enterprise_gets_sla_credits_for_the_breach_month(default_world, default_control):
    credits = [c for c in default_world.credit_notes
               if c["metadata"] == {"kind": "sla_credit", "service": "checkout",
                                    "period": "2026-08"}]
    assert credits
    assert not [c for c in default_control.credit_notes if c["metadata"]["service"] == "checkout"
                and c["metadata"]["period"] == "2026-08"]


def test_bad_deploy_and_flaky_tests_leave_their_marks(default_world):
    defects = default_world.truth["deployments"]["notifications"]["defective_deployments"]
    assert [d for d in defects if d["fault"] and d["created_at"].startswith("2026-10-0")]
    runs = default_world.repos["acme/search"].workflow_runs
    in_window = [r for r in runs if "2026-07-06" <= r["created_at"][:10] < "2026-07-20"]
    outside = [r for r in runs if not "2026-07-06" <= r["created_at"][:10] < "2026-07-20"]

    def share(rs):
        return sum(r["run_attempt"] > 1 for r in rs) / len(rs)
    assert share(in_window) > share(outside) + 0.15


def test_world_is_moderately_sized(default_world):
    counts = default_world.raw_counts()
    assert 1000 <= counts["raw_github.pull_requests"] <= 2500
    service_points = sum(len(s.points) for s in default_world.series
                         if s.metric != "feature_usage")
    assert service_points == 6 * 4 * 182 * 24
    assert 20_000 <= counts["raw_signals.samples"] - service_points <= 120_000  # feature_usage
    assert 150 <= counts["raw_github.issues"] <= 800
    assert counts["raw_github.milestones"] == 6 * 8  # monthly, June to January, per repo
    assert 550 <= counts["raw_revenue.subscriptions"] <= 800


def _customer_bugs(world, repo: str, first: str, last: str) -> int:
    return sum(1 for i in world.repos[f"acme/{repo}"].issues
               if {"bug", "customer-reported"} <= {x["name"] for x in i["labels"]}
               and first <= i["created_at"][:10] <= last)


def test_cpu_fault_raises_customer_reported_bugs(default_world, default_control):
    hit = _customer_bugs(default_world, "checkout", START, END)
    control = _customer_bugs(default_control, "checkout", START, END)
    before = _customer_bugs(default_world, "checkout", *BEFORE) * 6 / 13  # same length
    assert hit > 3 * max(1.0, control) and hit > 3 * max(1.0, before)


def test_cpu_fault_lowers_adoption_of_checkout_features(default_world, default_control):
    """Features on checkout released from three weeks before the fault to a week after it are
    adopted by fewer team and enterprise customers in their first four weeks; the same
    customers, thresholds and features in the control world adopt more."""
    lo, hi = _unix("2026-07-27"), _unix("2026-08-29")
    truth, control = (w.truth["feature_adoption_4w"] for w in (default_world, default_control))
    hit = [k for k, v in truth.items() if k.startswith("acme/checkout#") and lo <= v["released"]
           <= hi]
    assert hit, "no checkout feature released around the fault"
    for plan in ("team", "enterprise"):
        adopted = sum(truth[k]["adopted_4w"][plan][0] for k in hit)
        adopted_control = sum(control[k]["adopted_4w"][plan][0] for k in hit)
        assert adopted < 0.8 * adopted_control, plan
    # features on services the fault did not touch are adopted alike
    other = [k for k, v in truth.items() if k.startswith("acme/gateway#") and k in control]
    assert sum(truth[k]["adopted_4w"]["starter"][0] for k in other) == \
        sum(control[k]["adopted_4w"]["starter"][0] for k in other)


def test_features_are_planned_closed_by_prs_and_some_are_late(default_world):
    features = default_world.truth["features"]
    closed = [f for f in features if f["closed"]]
    late = [f for f in closed if f["closed"] > f["due_on"]]
    assert len(features) >= 40 and 0.05 * len(closed) < len(late) < 0.6 * len(closed)
    assert any(f["closed"] is None for f in features)  # planned, never finished
    released = [f for f in features if f["released"]]
    assert released and all(f["released"] > f["closed"] for f in released)
    bodies = " ".join(p["body"] for r in default_world.repos.values() for p in r.pulls)
    for feature in released:
        number = feature["key"].rsplit("#", 1)[1]
        assert f"Closes #{number}" in bodies
