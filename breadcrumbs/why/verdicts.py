"""The walk's first step over a batch of red periods: for each, whether `why` finds anything
upstream to follow, by the walk's own step (`Walker.next_step`) and nothing else.

The scheduled run (`breadcrumbs run`, `breadcrumbs demo`) writes the verdicts of
metric_health's window to why_step_verdicts after each build (`refresh`), and metric_health
counts "red but unexplained" from them, as `breadcrumbs why` decides it, with every rule of the
step: the dimension scan, formula inputs (a carrier at z >= 2), causal drivers in the lag window
from the run's onset, accounts-for, the customer-exposure test and the deployment-grain test
(docs/why-algorithm.md). A batch preloads the recent periods of every metric_status series in
one query (breadcrumbs/why/store.py), so a period costs lookups, not queries.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from breadcrumbs.warehouse import (
    Entity,
    Warehouse,
    WarehouseError,
    load_catalog,
    load_ownership,
    open_warehouse,
)
from breadcrumbs.warehouse.profile import target_output
from breadcrumbs.why.model import Step
from breadcrumbs.why.scan import PERIOD_DAYS
from breadcrumbs.why.settings import walk_settings
from breadcrumbs.why.walk import Walker

# a leaf metric is its own root cause when it is a raw signal or a source fact of the
# engineering data (metric_catalog.leaf_reason); one driven outside it (new sales) is not
OWN_ROOT_LEAVES = ("raw signal", "source fact")


@dataclass(frozen=True)
class Verdict:
    """One red period and what the walk's first step found from it."""

    metric_id: str
    entity_type: str
    entity_id: str
    grain: str
    period_start: dt.date
    status: str  # metric_status.status the step judged (red)
    z: float | None  # the walk's z of the period (count test for customer movements)
    explained: bool  # the step found a node to follow, or the metric is its own root cause
    step_edge: str  # formula | causal | leaf | "" (nothing found)
    step_metric_id: str
    step_entity_type: str
    step_entity_id: str


def red_periods(wh: Warehouse, since: dt.date) -> list[dict]:
    """The red complete periods of metric_status starting on or after `since`."""
    return wh.rows(
        f"""
        select metric_id, entity_type, entity_id, grain, period_start
        from {wh.table('metric_status')}
        where status = 'red' and is_complete and period_start >= ?
        order by metric_id, entity_type, entity_id, grain, period_start
        """,
        [since],
    )


def judge(wh: Warehouse, since: dt.date) -> Iterator[Verdict]:
    """The verdict of every red complete period starting on or after `since`."""
    catalog = load_catalog(wh)
    walker = Walker(wh=wh, catalog=catalog, ownership=load_ownership(wh), with_evidence=False)
    longest_lag = max((metric.lag_days for metric in catalog.values()), default=0)
    # how far before the first period the walk reads: the longest lag and a month (a driver's
    # period overlapping the window's start); older periods are read when a rule needs them
    walker.store.preload(since - dt.timedelta(days=longest_lag + PERIOD_DAYS["month"]))
    walker.preload_deployments()
    for row in red_periods(wh, since):
        metric = catalog.get(row["metric_id"])
        if metric is None:
            continue
        node = walker.node(metric.metric_id, Entity(row["entity_type"], row["entity_id"]),
                           row["period_start"])
        if node is None or node.grain != row["grain"]:
            continue
        found = None
        if not metric.drivers and (metric.leaf_reason or "").startswith(OWN_ROOT_LEAVES):
            edge = "leaf"
        else:
            here = Step(node=node, edge="start", share=1.0, score=0.0)
            found = walker.next_step(node, here, {(metric.metric_id, node.entity)})
            edge = found.edge if found is not None else ""
        yield Verdict(
            metric_id=metric.metric_id,
            entity_type=node.entity.entity_type,
            entity_id=node.entity.entity_id,
            grain=node.grain,
            period_start=node.period_start,
            status=node.status,
            z=node.z,
            explained=bool(edge),
            step_edge=edge,
            step_metric_id=found.node.metric.metric_id if found else "",
            step_entity_type=found.node.entity.entity_type if found else "",
            step_entity_id=found.node.entity.entity_id if found else "",
        )


# the engines the warehouse package reads (Spark's tables are read through Spark itself)
READABLE_ENGINES = ("duckdb", "postgres")
COLUMNS = ["metric_id", "entity_type", "entity_id", "grain", "period_start", "status", "z_score",
           "is_explained", "step_edge", "step_metric_id", "step_entity_type", "step_entity_id"]


@dataclass(frozen=True)
class Refreshed:
    """What a refresh wrote: the window's first day, the verdicts, how many found nothing."""

    since: dt.date | None
    verdicts: int
    unexplained: int
    seconds: float
    skipped: str = ""  # why nothing was judged (a target `why` does not read)

    def summary(self) -> str:
        """The stage's one line for `breadcrumbs run` and `breadcrumbs demo`."""
        if self.skipped:
            return f"skipped: {self.skipped}"
        return (f"{self.verdicts} red periods since {self.since}, {self.unexplained} with "
                "nothing to follow")


def window_start(wh: Warehouse, lookback_days: int) -> dt.date | None:
    """metric_health's first day: `lookback_days` ending on the last day of complete data."""
    rows = wh.rows(f"select max(period_end) as last_day from {wh.table('metric_status')} "
                   "where is_complete")
    last = rows[0]["last_day"] if rows else None
    return None if last is None else last - dt.timedelta(days=lookback_days - 1)


def refresh(path: Path, target: str | None = None) -> Refreshed:
    """Judge every red complete period of metric_health's window and replace the rows of
    why_step_verdicts with the verdicts (the warehouse at `path`, or the profile's `target`)."""
    started = time.perf_counter()
    engine = target_output(target, path).get("type")
    if engine not in READABLE_ENGINES:
        return Refreshed(None, 0, 0, 0.0, skipped=(
            f"the target is {engine}, which `why` does not read: metric_health counts its red "
            "periods as unjudged (red_unjudged_periods)"))
    wh = open_warehouse(path, target, write=True)
    try:
        if not wh.has("why_step_verdicts"):
            raise WarehouseError(
                f"warehouse {wh.label} has no why_step_verdicts: build models/metrics with dbt "
                "(`breadcrumbs run` does) before the walk's step writes its verdicts")
        since = window_start(wh, walk_settings().health_lookback_days)
        judged = list(judge(wh, since)) if since is not None else []
        wh.replace_rows("why_step_verdicts", COLUMNS, [
            (v.metric_id, v.entity_type, v.entity_id, v.grain, v.period_start, v.status, v.z,
             v.explained, v.step_edge, v.step_metric_id, v.step_entity_type, v.step_entity_id)
            for v in judged
        ])
    finally:
        wh.close()
    return Refreshed(since, len(judged), sum(not v.explained for v in judged),
                     round(time.perf_counter() - started, 2))
