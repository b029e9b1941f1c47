"""Build the whole simulated `World` from a scenario: org -> delivery -> signals -> incidents
-> revenue, each stage feeding the next (defects raise errors, errors page, breaches churn)."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from breadcrumbs.simulator.cloud_cost import simulate_cloud_cost
from breadcrumbs.simulator.delivery import simulate_delivery
from breadcrumbs.simulator.incidents import simulate_incidents
from breadcrumbs.simulator.org import build_org
from breadcrumbs.simulator.revenue import simulate_revenue
from breadcrumbs.simulator.rng import iso, to_dt, unix
from breadcrumbs.simulator.scenario import Scenario, load_scenario
from breadcrumbs.simulator.signals import blips, simulate_service
from breadcrumbs.simulator.usage import release_times, remembered_health, simulate_usage
from breadcrumbs.simulator.workitems import WorkItemBuilder, daily_health
from breadcrumbs.simulator.world import Series, World


def generate(scenario: Scenario) -> World:
    """The deterministic World of a scenario (same scenario and seed, same bytes)."""
    org = build_org(scenario)
    start = to_dt(scenario.start)
    end_dt = start + timedelta(days=scenario.days)
    end = unix(end_dt)
    delivery = simulate_delivery(scenario, org, end)
    signals = {}
    for service in org.services:
        injections = delivery[service.id].injections + blips(scenario, service.id)
        injections.sort(key=lambda i: (i.start, i.cause))
        signals[service.id] = simulate_service(scenario, service.id, injections)
    incidents, log_entries, incident_truth = simulate_incidents(scenario, org, signals, end)
    customers, subscriptions, invoices, credit_notes, prices, revenue_truth = simulate_revenue(
        scenario, org, signals, end)
    features, health = [], {}
    for service in org.services:
        days = daily_health(signals[service.id], service.slo_availability,
                            service.slo_latency_p95_ms)
        health[service.id] = remembered_health([burn for burn, _ in days])
        builder = WorkItemBuilder(scenario, service.repo_full_name, service.id, end)
        features.extend(builder.build(delivery[service.id].activity, days))
    released = release_times(features, {r: d.activity.releases for r, d in delivery.items()})
    usage, usage_truth = simulate_usage(scenario, org.plans, features, released, subscriptions,
                                        health, end)
    series = [s for service in org.services for s in signals[service.id].series()] + usage
    cloud_cost = simulate_cloud_cost(scenario, org, signals)
    capacity = [Series("instances", {"service": sid},
                       [(t + 3600, n) for t, n in zip(sig.ts, sig.instances, strict=True)])
                for sid, sig in signals.items()]
    truth = {
        "faults": [{"kind": f.kind, "target": f.target, "start": f.start.isoformat(),
                    "end": f.end.isoformat(), "magnitude": f.magnitude}
                   for f in scenario.faults],
        "deployments": {r: d.truth for r, d in sorted(delivery.items())},
        "error_injections": {
            s: [{"start": iso(i.start), "end": iso(i.end), "error_rate": round(i.error_rate, 4),
                 "cause": i.cause} for i in sig.injections]
            for s, sig in signals.items()},
        "daily_availability": {s: [round(a, 6) for a in sig.daily_availability()]
                               for s, sig in signals.items()},
        "incidents": incident_truth,
        "features": [{"key": f.key, "repo": f.repo, "opened": iso(f.opened),
                      "due_on": iso(f.due_on) if f.due_on is not None else None,
                      "closed": iso(f.closed) if f.closed is not None else None,
                      "released": iso(released[f.key]) if f.key in released else None}
                     for f in features],
        "feature_adoption_4w": usage_truth,
        **revenue_truth,
    }
    return World(
        name=scenario.name, seed=scenario.seed, start=start, end=end_dt, owner=scenario.owner,
        teams=org.teams, services=org.services, plans=org.plans,
        repos={org.service(r).repo_full_name: d.activity for r, d in delivery.items()},
        incidents=incidents, log_entries=log_entries, customers=customers,
        subscriptions=subscriptions, invoices=invoices, credit_notes=credit_notes,
        series=series, tokens=dict(scenario.tokens), api_faults=[dict(f) for f in
                                                                 scenario.api_faults],
        truth=truth, prices=prices, cloud_cost=cloud_cost, capacity=capacity)


def main(argv: list[str] | None = None) -> int:
    """`python -m breadcrumbs.simulator.generate SCENARIO`: generate and print row counts."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m breadcrumbs.simulator.generate SCENARIO.yaml", file=sys.stderr)
        return 2
    began = time.perf_counter()
    world = generate(load_scenario(args[0]))
    took = time.perf_counter() - began
    for table, count in world.raw_counts().items():
        print(f"{table:40s} {count:>9d}")
    print(f"generated in {took:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
