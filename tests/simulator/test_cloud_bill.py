"""The simulated cloud bill agrees with the org: compute follows provisioned capacity (the
fleet behind `cpu`), storage and network follow traffic, commitments are amortised, shared
cost stays untagged, a month is restated; the provisioning faults move cost and CPU the
opposite ways, and nothing else of the world."""

from __future__ import annotations

import gzip
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sim_helpers import mean, points, scenario_with, window

from breadcrumbs.simulator.cloud_cost import CONTRACT_DISCOUNT
from breadcrumbs.simulator.focus_export import CORRECTION, export_files, write_exports
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.world import World

START, END = "2026-03-16", "2026-03-23"  # fault window (BASE starts 2026-03-02, 42 days)


def fault(kind: str, target: str, magnitude: float) -> dict:
    return {"kind": kind, "service": target, "start": START, "days": 7, "magnitude": magnitude}


@pytest.fixture(scope="module")
def over_world() -> World:
    return generate(scenario_with(fault("over_provisioning", "checkout", 0.6)))


@pytest.fixture(scope="module")
def under_world() -> World:
    return generate(scenario_with(fault("under_provisioning", "checkout", 0.8)))


@pytest.fixture(scope="module")
def surge_world() -> World:
    return generate(scenario_with(fault("traffic_surge", "checkout", 1.0)))


def tagged(world: World, service: str, category: str | None = None,
           start: str = START, end: str = END) -> list[dict]:
    return [r for r in world.cloud_cost
            if (r["Tags"] or {}).get("service") == service
            and (category is None or r["ServiceCategory"] == category)
            and start <= r["ChargePeriodStart"][:10] < end]


def cost(rows: list[dict], column: str = "EffectiveCost") -> float:
    return sum(float(r[column]) for r in rows)


def fleet_hours(world: World, service: str, day: str) -> int:
    lo = int(datetime.fromisoformat(day + "T00:00:00+00:00").timestamp())
    series = next(s for s in world.capacity if s.labels["service"] == service)
    return sum(n for t, n in series.points if lo < t <= lo + 86400)


def test_compute_is_instance_hours_of_the_fleet_behind_cpu(base_world: World) -> None:
    """Per service and day, the fleet rows' instance-hours are the capacity series' hours,
    at one price per instance-hour; CPU is demand over that capacity."""
    by_day: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in base_world.cloud_cost:
        if (row["Tags"] or {}).get("service") and row["ServiceCategory"] == "Compute" \
                and not row["ResourceId"].endswith("-burst"):
            by_day[(row["Tags"]["service"], row["ChargePeriodStart"][:10])].append(row)
    assert len(by_day) == 3 * 42
    rates = defaultdict(set)
    for (service, day), rows in by_day.items():
        assert sum(float(r["ConsumedQuantity"]) for r in rows) == fleet_hours(base_world,
                                                                             service, day)
        rates[service].add(round(cost(rows) / fleet_hours(base_world, service, day), 6))
    assert all(len(r) == 1 for r in rates.values()), "one effective rate per instance-hour"
    for service in ("checkout", "billing-api", "gateway"):
        cpu = [v for _, v in points(base_world, "cpu", service)]
        requests = [v for _, v in points(base_world, "requests", service)]
        # utilisation noise is 5 % x noise (0.1): cpu / (requests / capacity) stays near 1
        fleet = next(s for s in base_world.capacity if s.labels["service"] == service)
        assert len({n for _, n in fleet.points}) == 1, "no provisioning fault: constant fleet"
        ratios = sorted(c / r for c, r in zip(cpu, requests, strict=True) if 0.02 < c < 0.99)
        per_request = ratios[len(ratios) // 2]
        assert all(abs(x / per_request - 1) < 0.03 for x in ratios)


def test_commitments_are_amortised_and_list_is_at_least_billed(base_world: World) -> None:
    rows = base_world.cloud_cost
    assert all(float(r["ListCost"]) >= float(r["BilledCost"]) for r in rows)
    covered = [r for r in rows if r["PricingCategory"] == "Committed"
               and r["CommitmentDiscountStatus"] == "Used"]
    assert covered and all(float(r["BilledCost"]) == 0 < float(r["EffectiveCost"])
                           < float(r["ListCost"]) for r in covered)
    fees = [r for r in rows if r["ChargeCategory"] == "Purchase"]
    assert len(fees) == 42 and all(float(r["EffectiveCost"]) == 0 < float(r["BilledCost"])
                                   and r["Tags"] is None for r in fees)
    # a fully used plan: its fee (billed) is what the covered usage carries (effective)
    assert cost(fees, "BilledCost") == pytest.approx(cost(covered), rel=1e-6)
    on_demand = [r for r in rows if r["ServiceCategory"] == "Compute"
                 and r["PricingCategory"] == "Standard"]
    assert all(float(r["BilledCost"]) == pytest.approx(
        float(r["ListCost"]) * (1 - CONTRACT_DISCOUNT), rel=1e-6) for r in on_demand)


def test_shared_cost_is_untagged_so_allocation_is_incomplete(base_world: World) -> None:
    total = cost(base_world.cloud_cost)
    untagged = [r for r in base_world.cloud_cost if not r["Tags"]
                or "service" not in r["Tags"]]
    names = {r["ServiceName"] for r in untagged if float(r["EffectiveCost"]) > 0}
    assert names == {"Amazon Virtual Private Cloud", "AWS Support (Business)"}
    share = 1 - cost(untagged) / total
    assert 0.85 < share < 0.99


def test_storage_and_network_follow_requests(base_world: World) -> None:
    for category in ("Storage", "Networking"):
        per_request = []
        for day in range(42):
            date = (datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=day)).date().isoformat()
            rows = tagged(base_world, "gateway", category, date,
                          (datetime.fromisoformat(date) + timedelta(days=1)).date().isoformat())
            requests = sum(window(points(base_world, "requests", "gateway"), date,
                                  (datetime.fromisoformat(date)
                                   + timedelta(days=1)).date().isoformat()))
            per_request.append(cost(rows) / requests)
        assert max(per_request) == pytest.approx(min(per_request), rel=1e-6)


def test_over_provisioning_raises_cost_and_lowers_cpu_only(base_world: World,
                                                           over_world: World) -> None:
    before, after = tagged(base_world, "checkout", "Compute"), tagged(over_world, "checkout",
                                                                      "Compute")
    assert cost(after) > 1.4 * cost(before)
    cpu_before = mean(window(points(base_world, "cpu", "checkout"), START, END))
    cpu_after = mean(window(points(over_world, "cpu", "checkout"), START, END))
    assert cpu_after < 0.7 * cpu_before
    assert points(over_world, "requests", "checkout") == points(base_world, "requests",
                                                                "checkout")
    for service in ("billing-api", "gateway"):
        for metric in ("cpu", "latency_p95", "errors", "requests"):
            assert points(over_world, metric, service) == points(base_world, metric, service)
    outside = [r for r in over_world.cloud_cost if not START <= r["ChargePeriodStart"][:10]
               < "2026-03-24" and r["ServiceName"] != "AWS Support (Business)"]
    assert outside == [r for r in base_world.cloud_cost if not START
                       <= r["ChargePeriodStart"][:10] < "2026-03-24"
                       and r["ServiceName"] != "AWS Support (Business)"]


def test_under_provisioning_cuts_cost_and_raises_cpu_latency_errors(base_world: World,
                                                                    under_world: World) -> None:
    assert cost(tagged(under_world, "checkout", "Compute")) \
        < 0.8 * cost(tagged(base_world, "checkout", "Compute"))
    for metric in ("cpu", "latency_p95", "errors"):
        assert mean(window(points(under_world, metric, "checkout"), START, END)) \
            > 1.2 * mean(window(points(base_world, metric, "checkout"), START, END)), metric
    # fewer instances than the savings plan covers: its unused part is billed to nobody
    unused = [r for r in under_world.cloud_cost if r["CommitmentDiscountStatus"] == "Unused"]
    assert unused and all(START <= r["ChargePeriodStart"][:10] < "2026-03-24" for r in unused)
    assert not [r for r in base_world.cloud_cost if r["CommitmentDiscountStatus"] == "Unused"]


def test_a_traffic_surge_raises_network_and_autoscaled_compute(base_world: World,
                                                               surge_world: World) -> None:
    assert cost(tagged(surge_world, "checkout", "Networking")) \
        > 1.5 * cost(tagged(base_world, "checkout", "Networking"))
    burst = [r for r in tagged(surge_world, "checkout", "Compute")
             if r["ResourceId"].endswith("-burst")]
    assert burst and not [r for r in tagged(base_world, "checkout", "Compute")
                          if r["ResourceId"].endswith("-burst")]


def test_exports_hold_complete_days_and_restate_the_previous_month(tmp_path: Path) -> None:
    world = generate(scenario_with())  # 2026-03-02 .. 2026-04-13
    from breadcrumbs.simulator.as_of import visible_world

    early = visible_world(world, datetime(2026, 4, 2, 15, tzinfo=UTC))
    files = export_files(early)
    march = "focus/billing_period=2026-03/acme-focus-2026-03.csv.gz"
    april = "focus/billing_period=2026-04/acme-focus-2026-04.csv.gz"
    assert set(files) == {march, april}
    assert {r["ChargePeriodStart"][:10] for r in files[april][0]} == {"2026-04-01"}
    preliminary = files[march][0]
    write_exports(early, tmp_path)
    stamp = (tmp_path / march).stat().st_mtime
    assert write_exports(early, tmp_path) == []  # unchanged: not rewritten
    final = export_files(visible_world(world, datetime(2026, 4, 5, tzinfo=UTC)))[march][0]
    assert len(final) == len(preliminary)
    changed = [(a, b) for a, b in zip(preliminary, final, strict=True) if a != b]
    assert changed and all(a["ServiceName"] == "AWS Data Transfer" for a, _ in changed)
    assert all(float(b["BilledCost"]) == pytest.approx(float(a["BilledCost"])
                                                       * (1 + CORRECTION), abs=1e-8)
               for a, b in changed)
    write_exports(visible_world(world, datetime(2026, 4, 5, tzinfo=UTC)), tmp_path)
    assert (tmp_path / march).stat().st_mtime > stamp
    with gzip.open(tmp_path / march, "rt") as handle:
        header = handle.readline().strip().split(",")
        first = handle.readline()
    assert header[:3] == ["BillingAccountId", "BillingAccountName", "BillingCurrency"]
    assert '""service"": ""checkout""' in first  # Tags: a JSON object in one CSV cell
