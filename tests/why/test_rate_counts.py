"""A rate of counts judged as a count (breadcrumbs.why.scan.rate_count_z): a team's weekly change
failure rate, failed deployments of deployments, whose baseline median is 0 is thousands of
robust z out at one failure, although the team fails a deployment most weeks. When the walk
reaches it from a service's failed deployment (the `rolls_up_to` step), it goes on to the team's
own drivers (pull request size, flaky tests) only when the failures are unusual as a count
(bad_deploy-22: two failed of eight after 4 of 60 in the eight weeks before is 1.2 z, so the
injected bad deployment is not blamed on a week of larger pull requests). Hand-worked numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breadcrumbs.warehouse import Entity, load_catalog, open_warehouse
from breadcrumbs.why import scan
from breadcrumbs.why.store import StatusStore
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * k) for k in range(9)]
FAILED = [1, 0, 2, 0, 0, 0, 1, 0]  # 4 failures ...
DEPLOYS = [8, 7, 9, 6, 7, 8, 8, 7]  # ... of 60 deployments in the eight weeks before


def _warehouse(path: Path, failed: int, deploys: int) -> Path:
    catalog = [
        Catalog("change_failure_rate", "Change failure rate", "ratio", "lower_is_better",
                "week", "team"),
        Catalog("failed_deployments", "Failed deployments", "count", "lower_is_better", "week",
                "team"),
        Catalog("deployments", "Deployments", "count", "higher_is_better", "week", "team"),
    ]
    edges = [("change_failure_rate", "failed_deployments", "formula", "positive"),
             ("change_failure_rate", "deployments", "formula", "negative")]
    status = []
    for week, f, d in zip(WEEKS, [*FAILED, failed], [*DEPLOYS, deploys], strict=True):
        end = week + dt.timedelta(days=6)
        status += [
            Status("failed_deployments", "team", "t1", week, end, f, 0.0, 0.0, "green"),
            Status("deployments", "team", "t1", week, end, d, 7.5, 0.0, "green"),
            Status("change_failure_rate", "team", "t1", week, end, f / d, 0.0,
                   2500.0 if f else 0.0, "amber" if f else "green"),
        ]
    return handbuilt_warehouse(path, catalog, edges, status)


def _count_z(path: Path) -> float | None:
    wh = open_warehouse(path)
    try:
        node = scan.load_node(StatusStore(wh), load_catalog(wh)["change_failure_rate"],
                              Entity("team", "t1"), WEEKS[-1])
        assert node is not None
        return scan.rate_count_z(wh, node)
    finally:
        wh.close()


def test_two_failures_where_the_team_fails_one_most_weeks_are_ordinary(tmp_path: Path) -> None:
    # pooled rate (4 + 0.5) / (60 + 1) = 0.0738; expected 8 × 0.0738 = 0.590; Wilson-Hilferty
    # 3 √2 (1 − 1/18 − (0.590 / 2)^(1/3)) = 4.243 × (0.9444 − 0.6657) = 1.18
    assert _count_z(_warehouse(tmp_path / "wh.duckdb", 2, 8)) == pytest.approx(1.18, abs=0.01)


def test_five_failures_of_eight_are_unusual(tmp_path: Path) -> None:
    # expected 0.590; 3 √5 (1 − 1/45 − (0.590 / 5)^(1/3)) = 6.708 × (0.9778 − 0.4904) = 3.27
    assert _count_z(_warehouse(tmp_path / "wh.duckdb", 5, 8)) == pytest.approx(3.27, abs=0.01)
