"""`why` on a metric still within its noise: DESIGN.md §8 gives "no root cause" to a metric that
is green *with nothing anomalous*. When the metric has drifted its adverse way (one robust z or
more) and a causal driver is red and far out (|z| ≥ 3), the walk starts from that driver (CI
waits creeping up while the flaky rate is red); otherwise there is nothing to trace. A
hand-built warehouse: only the tables `why` reads, ten weeks of a team's CI wait and its flaky
share that move together, then the asked week."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.why import explain

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * k) for k in range(11)]
ASKED = WEEKS[-1]


def _warehouse(path: Path, wait_z: float, flaky_z: float, flaky_status: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.execute(
        """
        create table metrics.metric_catalog as
        select * from (values
            ('wait_minutes', 'CI wait', 'minutes', 'lower_is_better', 'week', 3.0, null, null,
             'team'),
            ('flaky_share', 'Flaky share', 'ratio', 'lower_is_better', 'week', 3.0, null, null,
             'team')
        ) as catalog(metric_id, label, unit, direction, grain, red_z, threshold_amber,
                     threshold_red, entity_type)
        """
    )
    con.execute(
        """
        create table metrics.metric_edges as
        select 'wait_minutes' as metric_id, 'flaky_share' as driver_metric_id,
            'causal' as edge, 'positive' as sign
        """
    )
    con.execute(
        """
        create table metrics.metric_status (
            metric_id varchar, entity_type varchar, entity_id varchar, period_start date,
            period_end date, grain varchar, value double, baseline_median double,
            z_score double, count_z_score double, adverse_z_score double, status varchar,
            is_complete boolean
        )
        """
    )
    # history: the flaky share wobbles and the wait follows it (co-movement near 1)
    wobble = [0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 0.2, -0.2, 0.8]
    rows = []
    for week, w in zip(WEEKS[:-1], wobble, strict=True):
        rows.append(("flaky_share", week, 0.04 + 0.01 * w, 0.04, w, "green"))
        rows.append(("wait_minutes", week, 15.0 + 0.5 * w, 15.0, w, "green"))
    rows.append(("flaky_share", ASKED, 0.04 + 0.01 * flaky_z, 0.04, flaky_z, flaky_status))
    rows.append(("wait_minutes", ASKED, 15.0 + 0.5 * wait_z, 15.0, wait_z, "green"))
    for metric_id, week, value, baseline, z, colour in rows:
        con.execute(
            "insert into metrics.metric_status values (?, 'team', 't1', ?, ?, 'week', ?, ?, ?, "
            "null, ?, ?, true)",
            [metric_id, week, week + dt.timedelta(days=6), value, baseline, z, z, colour],
        )
    con.execute(
        """
        create table metrics.metric_values as
        select metric_id, entity_type, entity_id, period_start, grain, value
        from metrics.metric_status
        """
    )
    con.close()
    return path


def _ask(path: Path) -> dict:
    return explain(path, "wait_minutes", entity="t1", period=ASKED.isoformat()).as_json()


def test_a_drifting_metric_with_a_red_driver_is_traced_to_it(tmp_path: Path) -> None:
    answer = _ask(_warehouse(tmp_path / "wh.duckdb", wait_z=1.8, flaky_z=10.0,
                             flaky_status="red"))
    assert answer["status"] == "green"
    assert answer["root_cause"] == {"metric": "flaky_share", "entity": "t1"}
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
