"""A feature's per-customer usage counters are exported for a year after its release: the
number of series, and so a day's samples, does not grow with the length of the history."""

from __future__ import annotations

from breadcrumbs.simulator.rng import DAY, to_dt, unix
from breadcrumbs.simulator.usage import TRACKED_DAYS, _customer_counter
from breadcrumbs.simulator.workitems import Feature
from tests.simulator.sim_helpers import scenario_with


def _points(days: int) -> tuple[list[tuple[int, float]], int]:
    scenario = scenario_with(days=days, start="2022-11-07")
    start = unix(to_dt(scenario.start))
    release = start + 3 * DAY
    feature = Feature(repo="checkout", number=1, key="acme/checkout#1", opened=start,
                      due_on=None, closed=release - DAY, closing_pr_merged=release - DAY)
    return _customer_counter(scenario, feature, "cus_1", "enterprise", 3, appeal=1.0,
                             begin=release, until=start + days * DAY, first_day=3,
                             health=[1.0] * days, start=start, release=release), release


def test_a_counter_stops_a_year_after_the_release():
    points, release = _points(4 * 365)
    assert points, "an appealing feature is adopted"
    assert points[-1][0] < release + TRACKED_DAYS * DAY
    assert points[-1][0] >= release + (TRACKED_DAYS - 7) * DAY  # weekly until then
    # the first year is the same whatever the history
    one_year, _ = _points(365)
    assert points[:len(one_year)] == one_year
