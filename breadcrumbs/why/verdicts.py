"""The walk's first step over a batch of red periods: for each, whether `why` finds anything
upstream to follow, by the walk's own step (`Walker.next_step`) and nothing else.

This is "red but unexplained" as `breadcrumbs why` decides it, with every rule of the step:
the dimension scan, formula inputs (a carrier at z >= 2), causal drivers in the lag window
from the run's onset, accounts-for, the customer-exposure test and the deployment-grain test
(docs/why-algorithm.md). A batch preloads the recent periods of every metric_status series in
one query (breadcrumbs/why/store.py), so a period costs lookups, not queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from breadcrumbs.warehouse import Entity, Warehouse, load_catalog, load_ownership
from breadcrumbs.why.model import Step
from breadcrumbs.why.walk import Walker

# a leaf metric is its own root cause when it is a raw signal or a source fact of the
# engineering data (metric_catalog.leaf_reason); one driven outside it (new sales) is not
OWN_ROOT_LEAVES = ("raw signal", "source fact")
# how far before a batch's first period the walk reads: the longest lag (62 days) and a month
# for a driver's period that overlaps the window's start; older periods are read on demand
PRELOAD_MARGIN_DAYS = 31


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
    walker.store.preload(since - dt.timedelta(days=longest_lag + PRELOAD_MARGIN_DAYS))
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
