"""One latest complete period (docs/periods-and-status.md): `why`, `review` and the report all
default to metric_status's latest `is_complete` period, through scan.latest_complete_period. A
hand-built warehouse: data up to Sunday 22 November, so the week of 16 November is complete,
the week of 23 November and the month of November are not (their status is `incomplete`), and
the cost per feature's red November is not what anyone is shown by default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breadcrumbs.review.brief import ReviewError, resolve_week
from breadcrumbs.warehouse import Warehouse, open_warehouse
from breadcrumbs.why import explain
from breadcrumbs.why.scan import is_complete_period, latest_complete_period
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse

WEEKS = [dt.date(2026, 10, 5) + dt.timedelta(days=7 * k) for k in range(8)]  # to Nov 23
OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def _warehouse(path: Path) -> Path:
    catalog = [
        Catalog("cost_per_feature", "Cost per feature", "currency", "lower_is_better", "month",
                "team"),
        Catalog("at_risk", "MRR at risk", "currency", "lower_is_better", "week", "plan"),
    ]
    status = [
        Status("cost_per_feature", "team", "t", dt.date(2026, 9, 1), dt.date(2026, 9, 30),
               20000.0, 20000.0, 0.0, "green"),
        Status("cost_per_feature", "team", "t", OCTOBER, dt.date(2026, 10, 31), 22500.0,
               20000.0, 0.5, "green"),
        # 22 days of November, no release yet: far above its baseline, but not complete
        Status("cost_per_feature", "team", "t", NOVEMBER, dt.date(2026, 11, 30), 90000.0,
               21000.0, 9.0, "incomplete"),
    ]
    for week in WEEKS:
        open_week = week == WEEKS[-1]
        status.append(Status("at_risk", "plan", "p", week, week + dt.timedelta(days=6),
                             100.0 if open_week else 0.0, 0.0, 100.0 if open_week else 0.0,
                             "incomplete" if open_week else "green"))
    edges = [("cost_per_feature", "at_risk", "causal", "positive")]
    return handbuilt_warehouse(path, catalog, edges, status)


@pytest.fixture
def wh(tmp_path: Path):
    warehouse: Warehouse = open_warehouse(_warehouse(tmp_path / "wh.duckdb"))
    yield warehouse
    warehouse.close()


def test_the_latest_complete_period_skips_incomplete_ones(wh: Warehouse) -> None:
    assert latest_complete_period(wh, grain="week") == dt.date(2026, 11, 16)
    assert latest_complete_period(wh, grain="month") == OCTOBER
    assert latest_complete_period(wh, "cost_per_feature") == OCTOBER
    assert latest_complete_period(wh, "at_risk", grain="month") is None
    assert is_complete_period(wh, dt.date(2026, 11, 16), "week")
    assert not is_complete_period(wh, dt.date(2026, 11, 23), "week")
    assert not is_complete_period(wh, NOVEMBER, "month")


def test_review_defaults_to_the_same_week(wh: Warehouse) -> None:
    first, last = dt.date(2026, 10, 5), dt.date(2026, 11, 24)
    assert resolve_week(None, first, last, latest_complete_period(wh, grain="week")) \
        == dt.date(2026, 11, 16)
    with pytest.raises(ReviewError, match="holds no complete week"):
        resolve_week(None, first, last, None)


def test_why_defaults_to_the_latest_complete_month(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "wh.duckdb")
    answer = explain(path, "cost_per_feature", entity="t").as_json()
    assert answer["period"] == OCTOBER.isoformat()
    assert answer["status"] == "green"
    # asked for explicitly, the open month is shown as it stands: incomplete, never red
    asked = explain(path, "cost_per_feature", entity="t", period="2026-11-10").as_json()
    assert asked["period"] == NOVEMBER.isoformat() and asked["status"] == "incomplete"
