"""The walk's step over a batch of red periods (breadcrumbs/why/verdicts.py) is the step `why`
takes from each of them: a batch preloads the recent periods of every series and reads older
ones only when a rule reaches back past them (breadcrumbs/why/store.py), and its verdicts are
the first steps of walks run one by one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from breadcrumbs.warehouse import Entity, load_catalog, load_ownership, open_warehouse
from breadcrumbs.why import scan, verdicts
from breadcrumbs.why.settings import walk_settings
from breadcrumbs.why.walk import Walker
from tests.why.handbuilt import Catalog, Status, handbuilt_warehouse

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=k) for k in range(32)]
RUN = 20  # lead time is red from this week on; pickup time only in this week


def _first_steps(path: Path, since: dt.date) -> tuple[list[verdicts.Verdict], list[tuple]]:
    """The batch's verdicts, and the first step of a walk from each period with a walker of its
    own (no preload): (edge, metric, entity type, entity id), or empty when nothing qualified."""
    wh = open_warehouse(path)
    try:
        judged = list(verdicts.judge(wh, since))
        # one walker for all, reading each series when a walk first needs it
        walker = Walker(wh=wh, catalog=load_catalog(wh), ownership=load_ownership(wh),
                        with_evidence=False)
        walked = []
        for verdict in judged:
            node = walker.node(verdict.metric_id,
                               Entity(verdict.entity_type, verdict.entity_id),
                               verdict.period_start)
            assert node is not None
            steps = walker.walk(node).steps
            walked.append((steps[0].edge, steps[0].node.metric.metric_id,
                           steps[0].node.entity.entity_type, steps[0].node.entity.entity_id)
                          if steps else ("", "", "", ""))
        return judged, walked
    finally:
        wh.close()


def test_the_batch_takes_the_step_each_walk_takes(default_warehouse: Path) -> None:
    """Every red complete period of the default demo's last 91 days, judged in one batch, gets
    the step a walk from it alone takes first; both kinds occur (the check is not vacuous)."""
    wh = open_warehouse(default_warehouse)
    try:
        end = scan.latest_complete_period(wh, grain="day")
        # at the catalog's grain, as metric_health judges them
        red = wh.rows(
            f"select count(*) as n from {wh.table('metric_status')} as status "
            f"inner join {wh.table('metric_catalog')} as catalog "
            "on status.metric_id = catalog.metric_id and status.grain = catalog.grain "
            "where status = 'red' and is_complete and period_start >= ?",
            [end - dt.timedelta(days=90)])[0]["n"]
    finally:
        wh.close()
    judged, walked = _first_steps(default_warehouse, end - dt.timedelta(days=90))
    assert len(judged) == red
    batch = [(v.step_edge if v.step_edge != "leaf" else "", v.step_metric_id,
              v.step_entity_type, v.step_entity_id) for v in judged]
    assert batch == walked
    kinds = {v.step_edge for v in judged}
    assert {"", "formula", "causal"} <= kinds


def _long_run(path: Path) -> Path:
    """Weekly lead time and pickup time of one team: 20 ordinary weeks moving together, then
    lead time red for 12 weeks in a row, started by pickup time's red week at the run's start."""
    catalog = [
        Catalog("lead", "Lead time", "hours", "lower_is_better", "week", "team"),
        Catalog("pickup", "Pickup time", "hours", "lower_is_better", "week", "team"),
    ]
    edges = [("lead", "pickup", "causal", "positive")]
    status = []
    for k, week in enumerate(WEEKS):
        wobble = (-1.0, 0.5, 1.0, -0.5)[k % 4]
        lead_z = 5.0 if k >= RUN else wobble
        pickup_z = 6.0 if k == RUN else wobble
        status += [
            Status("lead", "team", "t1", week, week + dt.timedelta(days=6), 40 + 4 * lead_z, 40,
                   lead_z, "red" if k >= RUN else "green"),
            Status("pickup", "team", "t1", week, week + dt.timedelta(days=6),
                   10 + 2 * pickup_z, 10, pickup_z, "red" if k == RUN else "green"),
        ]
    return handbuilt_warehouse(path, catalog, edges, status)


def test_a_run_older_than_the_preload_is_read_back_to_its_onset(tmp_path: Path) -> None:
    """The last week of a 12-week run is judged in a batch that preloads about five weeks: the
    run's onset lies before them, and the step still finds pickup time's red week at the start
    of the run (the cause comes first), as a walk that reads everything does."""
    path = _long_run(tmp_path / "wh.duckdb")
    judged, walked = _first_steps(path, WEEKS[-1])
    assert [(v.period_start, v.step_edge, v.step_metric_id) for v in judged] == [
        (WEEKS[-1], "causal", "pickup")]
    assert walked == [("causal", "pickup", "team", "t1")]
    wh = open_warehouse(path)
    try:
        walker = Walker(wh=wh, catalog=load_catalog(wh), ownership=load_ownership(wh))
        walker.store.preload(WEEKS[-1] - dt.timedelta(weeks=5))
        node = walker.node("lead", Entity("team", "t1"), WEEKS[-1])
        assert node is not None
        assert scan.onset(walker.store, node, 1.0, 2.5) == WEEKS[RUN]
    finally:
        wh.close()


def test_metric_health_counts_what_the_walk_found(default_warehouse: Path,
                                                  tmp_path: Path) -> None:
    """The demo's run wrote the step's verdicts: metric_health's red-but-unexplained periods,
    per metric and entity, are the periods from which the walk's step finds nothing, none is
    left unjudged. A status row that changes after the run (a build the step has not followed)
    is unjudged, not explained, until the step runs again; the step replaces the rows."""
    wh = open_warehouse(default_warehouse)
    try:
        since = verdicts.window_start(wh, walk_settings().health_lookback_days)
        assert since is not None
        found: dict[tuple[str, str, str], int] = {}
        for verdict in verdicts.judge(wh, since):
            key = (verdict.metric_id, verdict.entity_type, verdict.entity_id)
            found[key] = found.get(key, 0) + (not verdict.explained)
        health = {(r["metric_id"], r["entity_type"], r["entity_id"]): r for r in wh.rows(
            f"select * from {wh.table('metric_health')}")}
    finally:
        wh.close()
    assert sum(found.values()) > 0
    assert {key: row["red_unexplained_periods"] for key, row in health.items()
            if row["red_periods"]} == found
    assert all(row["red_unjudged_periods"] == 0 for row in health.values())

    copy = tmp_path / default_warehouse.name  # the views name the file's catalog
    shutil.copy(default_warehouse, copy)
    metric, entity_type, entity_id = next(key for key, n in found.items() if n)
    with duckdb.connect(str(copy)) as con:
        con.execute("update metrics.metric_status set z_score = z_score + 0.5, "
                    "count_z_score = count_z_score + 0.5 where status = 'red' and "
                    "metric_id = ? and entity_type = ? and entity_id = ?",
                    [metric, entity_type, entity_id])

    def unjudged() -> int:
        with duckdb.connect(str(copy), read_only=True) as con:
            row = con.execute("select red_unjudged_periods from "
                              "metrics.metric_health where metric_id = ? and entity_type = ? "
                              "and entity_id = ?", [metric, entity_type, entity_id]).fetchone()
            return row[0]

    assert unjudged() > 0
    first = verdicts.refresh(copy)
    second = verdicts.refresh(copy)
    assert unjudged() == 0
    assert first.verdicts == second.verdicts > 0
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("select count(*) from metrics.why_step_verdicts").fetchone()[0] \
            == second.verdicts


def test_a_target_why_does_not_read_is_skipped_with_the_reason(tmp_path: Path) -> None:
    """On the profile's Spark target (read through Spark itself, not the warehouse package) the
    run's step judges nothing and says why, instead of failing the run after its build."""
    refreshed = verdicts.refresh(tmp_path / "none.duckdb", "spark")
    assert refreshed.verdicts == 0
    assert "spark" in refreshed.skipped and "red_unjudged_periods" in refreshed.skipped
