"""`why` on a metric still within its noise: docs/why-algorithm.md gives "no root cause" to a
metric that is green *with nothing anomalous*. When the metric has drifted its adverse way (one
robust z or more) and a causal driver is red and far out (|z| ≥ 3), the walk starts from that
driver (CI waits creeping up while the flaky rate is red); otherwise there is nothing to trace. A
hand-built warehouse: only the tables `why` reads, ten weeks of a team's CI wait and its flaky
share that move together, then the asked week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.why import explain
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse


def _root(answer: dict) -> tuple[str, str] | None:
    """The root cause's metric and entity (the object carries its numbers too)."""
    root = answer["root_cause"]
    return None if root is None else (root["metric"], root["entity"])

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * k) for k in range(11)]
ASKED = WEEKS[-1]


def _warehouse(path: Path, wait_z: float, flaky_z: float, flaky_status: str) -> Path:
    catalog = [
        Catalog("wait_minutes", "CI wait", "minutes", "lower_is_better", "week", "team"),
        Catalog("flaky_share", "Flaky share", "ratio", "lower_is_better", "week", "team"),
    ]
    edges = [("wait_minutes", "flaky_share", "causal", "positive")]
    # history: the flaky share wobbles and the wait follows it (co-movement near 1)
    wobble = [0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 0.2, -0.2, 0.8, None]
    status = []
    for week, w in zip(WEEKS, wobble, strict=True):
        end = week + dt.timedelta(days=6)
        flaky, wait = (flaky_z, wait_z) if w is None else (w, w)
        status += [
            Status("flaky_share", "team", "t1", week, end, 0.04 + 0.01 * flaky, 0.04, flaky,
                   flaky_status if w is None else "green"),
            Status("wait_minutes", "team", "t1", week, end, 15.0 + 0.5 * wait, 15.0, wait,
                   "green"),
        ]
    return handbuilt_warehouse(path, catalog, edges, status)


def _ask(path: Path) -> dict:
    return explain(path, "wait_minutes", entity="t1", period=ASKED.isoformat()).as_json()


def test_a_drifting_metric_with_a_red_driver_is_traced_to_it(tmp_path: Path) -> None:
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0, flaky_status="red")
    assert explain(path, "wait_minutes", entity="t1", period=ASKED.isoformat()).note == "leading"
    answer = _ask(path)
    assert answer["status"] == "green"
    assert _root(answer) == ("flaky_share", "t1")
    assert [(s["metric"], s["edge"]) for s in answer["path"]] == [("flaky_share", "causal")]


@pytest.mark.parametrize(
    ("wait_z", "flaky_z", "flaky_status"),
    [
        (0.5, 10.0, "red"),  # the metric has not drifted: nothing to explain
        (-1.8, -10.0, "red"),  # it drifted the good way (shorter waits)
        (1.8, 2.8, "amber"),  # the driver is only amber: within what noise does
    ],
)
def test_otherwise_a_metric_within_its_noise_has_no_root_cause(
    tmp_path: Path, wait_z: float, flaky_z: float, flaky_status: str
) -> None:
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", wait_z, flaky_z, flaky_status))
    assert answer["root_cause"] is None
    assert answer["path"] == []


def test_a_driver_red_only_in_the_lag_before_is_not_a_leading_signal(tmp_path: Path) -> None:
    """The driver was red the week before (inside the weekly lag a red metric's drivers are
    searched in) and is quiet in the asked week: a metric within its noise is not blamed on a
    driver that moved somewhere in the lag window (issue 28: coincidence)."""
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=0.0, flaky_status="green")
    con = duckdb.connect(str(path))
    con.execute("update metrics.metric_status set z_score = 10, count_z_score = null, "
                "value = 0.14, status = 'red' where metric_id = 'flaky_share' "
                "and period_start = ?", [WEEKS[-2]])
    con.close()
    answer = _ask(path)
    assert answer["root_cause"] is None and answer["path"] == []
    assert answer["stop"]["reason"] == "quiet"


def _set_flaky(path: Path, week: dt.date, z: float) -> None:
    con = duckdb.connect(str(path))
    con.execute("update metrics.metric_status set z_score = ?, value = 0.04 + 0.01 * ?, "
                "status = 'red' where metric_id = 'flaky_share' and period_start = ?",
                [z, z, week])
    con.close()


def test_a_driver_within_its_own_heavy_tailed_noise_is_no_leading_signal(
        tmp_path: Path) -> None:
    """Issue 28, control-35: weekly medians of a few dozen pull requests reach 5-35 robust z
    in ordinary weeks. The flaky share went 12 z out in an earlier week (the week of
    2026-02-02, nothing followed it); 10 z in the asked week is within its own noise, so the
    CI wait within its noise is not blamed on it, and `unfollowed` says how far it went."""
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0, flaky_status="red")
    _set_flaky(path, WEEKS[4], 12.0)
    answer = _ask(path)
    assert answer["root_cause"] is None and answer["path"] == []
    assert answer["stop"]["reason"] == "quiet"
    assert [(u["metric"], u["reason"], u["own_noise"]) for u in answer["unfollowed"]] == [
        ("flaky_share", "own_noise", {"z": 12.0, "period": WEEKS[4].isoformat()})]
    assert "within its own noise" in answer["stop"]["text"]


def test_a_driver_beyond_anything_its_earlier_periods_reached_leads(tmp_path: Path) -> None:
    """The same with the earlier week at 6 z: 10 z is more than 1.5 times farther than the
    flaky share ever went (9 z), a leading signal. Its own run does not count as its noise: 11 z
    the week before the asked one (the flaky suite's first week) is the same run, not an
    ordinary week."""
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0, flaky_status="red")
    _set_flaky(path, WEEKS[4], 6.0)
    _set_flaky(path, WEEKS[-2], 11.0)
    answer = _ask(path)
    assert _root(answer) == ("flaky_share", "t1")


def test_a_driver_just_past_its_earlier_reach_is_still_noise(tmp_path: Path) -> None:
    """Beating the largest of ten earlier weeks happens one week in eleven by chance: the flaky
    share at 10 z after an ordinary week at 7.5 z (10 < 1.5 × 7.5) is no leading signal
    (flaky_tests-26: coding time at 3.0 z after 2.2 z, lead time 1.9 z)."""
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0, flaky_status="red")
    _set_flaky(path, WEEKS[4], 7.5)
    answer = _ask(path)
    assert answer["root_cause"] is None
    assert [(u["metric"], u["reason"]) for u in answer["unfollowed"]] == [
        ("flaky_share", "own_noise")]


def test_a_run_is_judged_by_its_peak(tmp_path: Path) -> None:
    """review_bottleneck-26: pickup time 9.8 z in the bottleneck's first weeks, 6.2 z in its
    third, after an ordinary week at 6.0 z. The run's peak (12 z here) is beyond 1.5 times
    its earlier reach (7.5 z), so its weaker last week (10 z) still leads."""
    path = _warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0, flaky_status="red")
    _set_flaky(path, WEEKS[4], 7.5)
    _set_flaky(path, WEEKS[-2], 12.0)
    assert _root(_ask(path)) == ("flaky_share", "t1")
