"""Traffic grows every year and the capacity plan keeps up: a four-year history ends the way a
one-year history does (the benchmark compares 1x and 4x the history of the same org)."""

from __future__ import annotations

import math

from breadcrumbs.simulator.signals import (
    YEAR_HOURS,
    base_instances,
    planned_fleet,
    simulate_service,
    traffic_growth,
)
from tests.simulator.sim_helpers import scenario_with

SERVICE = "checkout"


def _last_quarter(values: list[float]) -> float:
    tail = values[-91 * 24:]
    return sum(tail) / len(tail)


def test_growth_is_linear_within_a_year_and_compounds_across_years():
    assert traffic_growth(0) == 1.0
    assert traffic_growth(182 * 24) == 1.0 + 0.2 * 182 / 365
    assert math.isclose(traffic_growth(YEAR_HOURS), 1.2)
    assert math.isclose(traffic_growth(3 * YEAR_HOURS + 182 * 24), 1.2 ** 3 * (1 + 0.2 * 182 / 365))


def test_the_plan_adds_whole_instances_on_each_anniversary():
    assert [planned_fleet(5, h) for h in (0, YEAR_HOURS - 1)] == [5, 5]
    assert [planned_fleet(5, k * YEAR_HOURS) for k in (1, 2, 3)] == [6, 8, 9]  # 6.0, 7.2, 8.64


def test_the_first_year_is_the_same_whatever_the_history():
    """A four-year history's first year is a one-year history from the same start."""
    scenario = scenario_with(days=365, start="2022-11-04")
    first = simulate_service(scenario, SERVICE, [])
    four = simulate_service(scenario_with(days=4 * 365, start="2022-11-04"), SERVICE, [])
    assert four.cpu[:YEAR_HOURS] == first.cpu
    assert four.errors[:YEAR_HOURS] == first.errors
    assert set(four.instances[:YEAR_HOURS]) == {base_instances(scenario, SERVICE)}


def test_four_years_end_like_one_year():
    """The last quarter of a four-year history: CPU and error rate of the one-year history's
    last quarter (without the plan, CPU is 1.5 times higher and errors a hundred times)."""
    one = simulate_service(scenario_with(days=365, start="2025-11-03"), SERVICE, [])
    four = simulate_service(scenario_with(days=4 * 365, start="2022-11-04"), SERVICE, [])
    cpu_one, cpu_four = _last_quarter(one.cpu), _last_quarter(four.cpu)
    assert abs(cpu_four / cpu_one - 1) < 0.1, (cpu_one, cpu_four)
    rate_one = sum(one.errors[-91 * 24:]) / sum(one.requests[-91 * 24:])
    rate_four = sum(four.errors[-91 * 24:]) / sum(four.requests[-91 * 24:])
    assert rate_four < 2 * rate_one, (rate_one, rate_four)
    # the traffic did grow: 1.2 ** 3 times the first year's level, at the same point of the year
    growth = _last_quarter(four.requests) / _last_quarter(one.requests)
    assert 1.5 < growth < 2.0, growth
