"""A windowed metric (an error budget over 28 days) is walked to the bad day of its driver that
burned it, even on a service whose budget had never moved before (a first outage: the history
holds no co-movement to go by). The budget is the sum of its driver's days in the window, so the
share of the window's shortfall that the bad day carries is its part (docs/why-algorithm.md).
A hand-built warehouse: 40 quiet days, one outage, then the budget stays exhausted for the 27
days left of its window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breadcrumbs.why import explain
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse

DAYS = [dt.date(2026, 3, 1) + dt.timedelta(days=k) for k in range(68)]
OUTAGE = DAYS[40]


def _warehouse(path: Path, outage_depth: float) -> Path:
    catalog = [
        Catalog("budget", "Error budget remaining", "ratio", "higher_is_better", "day", "service",
                driver_lag_days=28),
        Catalog("availability", "Availability", "ratio", "higher_is_better", "day", "service"),
    ]
    edges = [("budget", "availability", "causal", "positive")]
    status = []
    for k, day in enumerate(DAYS):
        # availability wobbles a little every day (the budget does not follow: it is full), and
        # after the outage it is better than usual (the fix shipped) while the budget stays
        # burnt: over the history the two move against each other
        wobble = (-1.0, 0.5, 1.0, -0.5)[k % 4] + (1.5 if day > OUTAGE else 0.0)
        avail_z = -outage_depth if day == OUTAGE else wobble
        avail_status = "red" if day == OUTAGE else "green"
        burnt = day >= OUTAGE
        status += [
            Status("availability", "service", "s1", day, day, 0.9995 + 0.0001 * avail_z, 0.9995,
                   avail_z, avail_status),
            Status("budget", "service", "s1", day, day, -0.5 if burnt else 1.0, 1.0,
                   -8.0 if burnt else 0.0, "red" if burnt else "green"),
        ]
    return handbuilt_warehouse(path, catalog, edges, status)


def test_an_exhausted_budget_is_traced_to_the_day_that_burned_it(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "wh.duckdb", outage_depth=40.0)
    answer = explain(path, "budget", entity="s1", period=DAYS[-1].isoformat()).as_json()
    assert [(s["metric"], s["period"]) for s in answer["path"]] == [
        ("availability", OUTAGE.isoformat())]
    # the outage day's shortfall (40 z of 0.0001) against the window's: 28 days before it
    # hold 7 days 1 z short and 7 days 0.5 z short
    assert answer["path"][0]["strength"] == pytest.approx(0.004 / (0.004 + 7 * 0.00015))
