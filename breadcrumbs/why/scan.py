"""The walk's reads of metric_status and metric_values: nodes, the run a node is part of,
anomalous drivers in a window, co-movement, and the Adtributor-style dimension scan. A metric's
own periods come from the series store (breadcrumbs/why/store.py); the rest is SQL, every
CLI-supplied value a bound parameter."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from breadcrumbs.warehouse import Entity, Metric, Warehouse
from breadcrumbs.why.exposure import poisson_z
from breadcrumbs.why.model import CountTest, Node, Term
from breadcrumbs.why.periods import period_start
from breadcrumbs.why.store import EARLIEST, StatusRow, StatusStore

ADDITIVE_UNITS = {"count", "currency", "minutes"}
# the longest a period of each grain lasts, in days (how far back its rows can start)
PERIOD_DAYS = {"day": 1, "week": 7, "month": 31}


def entity_types(wh: Warehouse, metric_id: str) -> list[str]:
    """Entity types a metric has values for."""
    rows = wh.rows(
        f"select distinct entity_type from {wh.table('metric_values')} where metric_id = ?",
        [metric_id],
    )
    return sorted(row["entity_type"] for row in rows)


def find_entity(wh: Warehouse, metric_id: str, text: str | None) -> Entity | None:
    """The entity `text` names for a metric (`org`, an id, or `type:id`); None when unknown."""
    if text is None or text == "org":
        kind, key = "org", "org"
    elif ":" in text:
        kind, key = text.split(":", 1)
    else:
        kind, key = "", text
    rows = wh.rows(
        f"select distinct entity_type, entity_id from {wh.table('metric_values')} "
        "where metric_id = ? and entity_id = ? and (? = '' or entity_type = ?) "
        "order by entity_type",
        [metric_id, key, kind, kind],
    )
    return Entity(rows[0]["entity_type"], rows[0]["entity_id"]) if rows else None


def worst_entity(wh: Warehouse, metric_id: str) -> Entity | None:
    """The entity with the worst adverse z-score in the latest complete period."""
    rows = wh.rows(
        f"""
        select entity_type, entity_id
        from {wh.table('metric_status')}
        where metric_id = ? and is_complete
        order by period_start desc, coalesce(adverse_z_score, 0) desc, entity_id
        limit 1
        """,
        [metric_id],
    )
    return Entity(rows[0]["entity_type"], rows[0]["entity_id"]) if rows else None


def latest_complete_period(wh: Warehouse, metric_id: str | None = None,
                           entity: Entity | None = None,
                           grain: str | None = None) -> dt.date | None:
    """Start of the latest complete period with a value: of a metric (for an entity, at a
    grain), or of any metric at `grain` when no metric is given. Complete is metric_status's
    `is_complete` (the data covers the period, and a windowed metric's window, from its first
    to its last day: docs/periods-and-status.md). The one definition of "the latest complete
    period": `why`, `review` and the report all default to it."""
    conditions, params = ["is_complete"], []
    if metric_id is not None:
        conditions.append("metric_id = ?")
        params.append(metric_id)
    if entity is not None:
        conditions += ["entity_type = ?", "entity_id = ?"]
        params += [entity.entity_type, entity.entity_id]
    if grain is not None:
        conditions.append("grain = ?")
        params.append(grain)
    rows = wh.rows(
        f"select max(period_start) as period_start from {wh.table('metric_status')} "
        f"where {' and '.join(conditions)}",
        params,
    )
    return rows[0]["period_start"] if rows else None


def is_complete_period(wh: Warehouse, start: dt.date, grain: str) -> bool:
    """Whether metric_status holds the period of `grain` starting at `start` as complete."""
    rows = wh.rows(
        f"select count(*) as n from {wh.table('metric_status')} "
        "where grain = ? and period_start = ? and is_complete",
        [grain, start],
    )
    return bool(rows and rows[0]["n"])


def grain_of(store: StatusStore, metric: Metric, entity: Entity,
             since: dt.date = EARLIEST) -> str:
    """The grain the metric has for the entity (the catalog's when several; else the first by
    name), among its periods from `since` on."""
    grains = sorted(store.get(metric.metric_id, entity, since).by_grain)
    return metric.grain if metric.grain in grains or not grains else grains[0]


def load_node(store: StatusStore, metric: Metric, entity: Entity, day: dt.date) -> Node | None:
    """The metric's status row for the entity and the period containing `day` (with its count
    test, for the customer movements)."""
    # the earliest period that can contain `day` starts at most a month before it
    since = day - dt.timedelta(days=PERIOD_DAYS["month"])
    grain = grain_of(store, metric, entity, since)
    row = store.get(metric.metric_id, entity, since).index.get((grain, period_start(day, grain)))
    if row is None:
        return None
    node = Node(
        metric=metric,
        entity=entity,
        period_start=row.period_start,
        grain=grain,
        value=row.value,
        baseline=row.baseline,
        z=row.z,
        status=row.status,
        counted=row.counted,
        robust_z=row.robust_z,
        basis=row.basis,
    )
    if node.counted:
        node.count = count_test(store.wh, node)
    return node


def count_test(wh: Warehouse, node: Node) -> CountTest | None:
    """metric_count_tests' row for a count-tested node (None when the table is not there)."""
    if not wh.has("metric_count_tests"):
        return None
    rows = wh.rows(
        f"""
        select movement, moved_customers, expected_moved_customers, customers_at_risk
        from {wh.table('metric_count_tests')}
        where metric_id = ? and entity_type = ? and entity_id = ? and grain = ?
            and period_start = ?
        """,
        [node.metric.metric_id, node.entity.entity_type, node.entity.entity_id, node.grain,
         node.period_start],
    )
    if not rows or rows[0]["expected_moved_customers"] is None:
        return None
    row = rows[0]
    return CountTest(movement=row["movement"], moved=int(row["moved_customers"] or 0),
                     expected=float(row["expected_moved_customers"]),
                     at_risk=int(row["customers_at_risk"] or 0))


def onset(store: StatusStore, node: Node, direction: float, min_score: float,
          max_periods: int = 28) -> dt.date:
    """Start of the run of consecutive periods, ending at the node's, in which the metric was
    at least `min_score` z-scores out in `direction` (the node's own period when it or the
    period before it was not; at most `max_periods` back)."""
    if (node.z or 0.0) * direction < min_score:
        return node.period_start
    deepest = node.period_start - dt.timedelta(days=PERIOD_DAYS[node.grain] * max_periods)
    # the periods already read first; earlier ones only when the run reaches back past them
    series = store.get(node.metric.metric_id, node.entity, node.period_start)
    first, exhausted = _run_start(series.by_grain.get(node.grain, []), node, direction,
                                  min_score, max_periods)
    if exhausted and series.since > deepest:
        series = store.get(node.metric.metric_id, node.entity, deepest)
        first, _ = _run_start(series.by_grain.get(node.grain, []), node, direction,
                              min_score, max_periods)
    return first


def _run_start(rows: list[StatusRow], node: Node, direction: float, min_score: float,
               max_periods: int) -> tuple[dt.date, bool]:
    """The run's first period among `rows`, and whether the run went on to the first of them
    (so earlier periods may continue it)."""
    first = node.period_start
    before = [row for row in rows if row.period_start < node.period_start][-max_periods:]
    for row in reversed(before):
        if row.z is None or row.z * direction < min_score:
            return first, False
        if _next_period(row.period_start, node.grain) != first:
            return first, False  # a gap: no row for the period in between
        first = row.period_start
    return first, True


def own_noise(store: StatusStore, node: Node, direction: float, min_score: float
              ) -> tuple[tuple[float, dt.date] | None, float]:
    """How far the metric's ordinary periods reach, and how far its current run went: the
    farthest it went `direction` (z-score, and the period) in its complete periods before the
    run of periods at least `min_score` out that ends at the node's (None without earlier
    periods), and the farthest it went in that run, up to the node's period. Weekly medians of
    a few dozen pull requests against an eight-week median and MAD reach 5-35 z in ordinary
    weeks; a move is out of the metric's own noise only beyond that."""
    first = onset(store, node, direction, min_score)
    rows = [
        row for row in store.get(node.metric.metric_id, node.entity).by_grain.get(node.grain, [])
        if row.period_start <= node.period_start and row.is_complete and row.z is not None
    ]
    earlier_rows = [row for row in rows if row.period_start < first]
    earlier = None
    if earlier_rows:
        # the farthest out; of equals, the earliest
        best = min(earlier_rows, key=lambda row: (-(row.z or 0.0) * direction, row.period_start))
        earlier = ((best.z or 0.0) * direction, best.period_start)
    peak = max([(row.z or 0.0) * direction for row in rows if row.period_start >= first]
               + [(node.z or 0.0) * direction])
    return earlier, peak


def _next_period(start: dt.date, grain: str) -> dt.date:
    """Start of the period after the one starting at `start`."""
    if grain == "week":
        return start + dt.timedelta(days=7)
    if grain == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


@dataclass
class Hit:
    """A driver's most anomalous row for one entity inside a window."""

    entity: Entity
    period_start: dt.date
    score: float  # z-score in the direction that would explain the change


SEVERITY = {"red": 2, "amber": 1}


def window_hits(
    store: StatusStore,
    driver: Metric,
    entities: list[Entity],
    start: dt.date,
    end: dt.date,
    direction: float,
) -> list[Hit]:
    """Per entity, the driver's period overlapping [start, end] that is most out of line:
    red before amber before green (a status is comparable across entities and metrics, a
    robust z-score is not: a flat baseline makes any wobble huge), then the highest
    z × direction."""
    since = start - dt.timedelta(days=PERIOD_DAYS["month"])  # a period overlapping `start`
    store.load([(driver.metric_id, e.entity_type, e.entity_id) for e in entities], since)
    ranked: list[tuple[int, float, Hit]] = []
    for entity in dict.fromkeys(entities):
        series = store.get(driver.metric_id, entity, since)
        best: tuple[int, float, dt.date] | None = None
        for rows in series.by_grain.values():
            for row in rows:
                if row.z is None or row.period_start > end or row.period_end < start:
                    continue
                key = (SEVERITY.get(row.status, 0), row.z * direction, row.period_start)
                if best is None or (key[0], key[1], -key[2].toordinal()) > (
                        best[0], best[1], -best[2].toordinal()):
                    best = key
        if best is not None:
            ranked.append((best[0], best[1], Hit(entity, best[2], best[1])))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [hit for _, _, hit in ranked]


def window_share(store: StatusStore, driver: Metric, entity: Entity, start: dt.date,
                 end: dt.date, at: dt.date, direction: float) -> float:
    """The share of a driver's adverse departure from its baseline over [start, end] that its
    period starting at `at` carries (0 to 1; 0 when it did not depart): the exact part of a
    windowed metric's move (an error budget over 28 days) that one bad period of its driver
    burned. `direction` is the way the driver moved to explain the metric."""
    grain = grain_of(store, driver, entity, start)
    rows = store.get(driver.metric_id, entity, start).by_grain.get(grain, [])
    gaps = [
        (row.period_start, max(0.0, (row.value - row.baseline) * direction))
        for row in rows
        if start <= row.period_start <= end and row.baseline is not None
    ]
    total = sum(gap for _, gap in gaps)
    if not total:
        return 0.0
    at_gap = sum(gap for day, gap in gaps if day == at)
    return max(0.0, min(1.0, at_gap / total))


def comovement(
    wh: Warehouse, metric: Node, driver_id: str, driver_entity: Entity, sign: float
) -> float:
    """Historical correlation of the metric with its driver (same or previous period, driver
    averaged to the metric's grain), signed so that positive agrees with the edge's sign."""
    rows = wh.rows(
        f"""
        with child as (
            select period_start, value
            from {wh.table('metric_values')}
            where metric_id = ? and entity_type = ? and entity_id = ? and grain = ?
        ),

        driver_by_period as (
            select cast(date_trunc(?, period_start) as date) as period_start, avg(value) as value
            from {wh.table('metric_values')}
            where metric_id = ? and entity_type = ? and entity_id = ?
            group by 1
        ),

        driver as (
            select
                period_start,
                value,
                lead(period_start) over (order by period_start) as next_period_start
            from driver_by_period
        ),

        lagged as (
            select
                child.value as child_value,
                same.value as same_value,
                previous.value as previous_value
            from child
            left join driver as same on child.period_start = same.period_start
            left join driver as previous on child.period_start = previous.next_period_start
        )

        select
            corr(child_value, same_value) as same_corr,
            corr(child_value, previous_value) as lag_corr
        from lagged
        """,
        [
            metric.metric.metric_id, metric.entity.entity_type, metric.entity.entity_id,
            metric.grain, metric.grain, driver_id, driver_entity.entity_type,
            driver_entity.entity_id,
        ],
    )
    values = [
        sign * v for v in (rows[0]["same_corr"], rows[0]["lag_corr"])
        if v is not None and not math.isnan(v)
    ]
    return max(values) if values else 0.0


def dimension_scan(store: StatusStore, node: Node, entity_type: str, ids: list[str]
                   ) -> list[Term]:
    """Adtributor over one dimension: each child's explanatory power (its share of the
    change, additive metrics) and surprise (Jensen-Shannon term of expected vs actual share)."""
    if not ids:
        return []
    additive = node.metric.unit in ADDITIVE_UNITS
    metric_id = node.metric.metric_id
    store.load([(metric_id, entity_type, entity_id) for entity_id in ids], node.period_start)
    children = []  # (entity id, actual, expected)
    for entity_id in dict.fromkeys(ids):
        series = store.get(metric_id, Entity(entity_type, entity_id), node.period_start)
        row = series.index.get((node.grain, node.period_start))
        if row is not None:
            expected = row.baseline if row.baseline is not None else row.value
            children.append((entity_id, row.value, expected))
    actual_total = sum(actual for _, actual, _ in children)
    expected_total = sum(expected for _, _, expected in children)
    moved = actual_total - expected_total
    terms = []
    for entity_id, actual, expected in children:
        share = (actual - expected) / moved if additive and moved != 0 else 0.0
        p = expected / expected_total if expected_total > 0 else None
        q = actual / actual_total if actual_total > 0 else None
        surprise = None
        if p is not None and q is not None and p >= 0 and q >= 0 and p + q > 0:
            surprise = 0.5 * ((p * math.log(2 * p / (p + q)) if p > 0 else 0.0)
                              + (q * math.log(2 * q / (p + q)) if q > 0 else 0.0))
        terms.append(Term(
            label=f"{entity_type}:{entity_id}",
            change=actual - expected,
            share=share,
            surprise=surprise,
            unit=node.metric.unit,
            currency=node.metric.currency,
        ))
    key = (lambda t: t.share) if additive else (lambda t: abs(t.change))
    return sorted(terms, key=key, reverse=True)


def dimension_children(wh: Warehouse, node: Node, team_services: list[str]) -> dict[str, list[str]]:
    """Child entities to scan: for org every team, service and plan the metric has; for a team
    its services."""
    if node.entity.entity_type == "org":
        rows = wh.rows(
            f"""
            select entity_type, entity_id from {wh.table('metric_values')}
            where metric_id = ? and grain = ? and period_start = ? and entity_type <> 'org'
            order by entity_type, entity_id
            """,
            [node.metric.metric_id, node.grain, node.period_start],
        )
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row["entity_type"], []).append(row["entity_id"])
        return out
    if node.entity.entity_type == "team" and team_services:
        return {"service": team_services}
    return {}


def rate_count_z(wh: Warehouse, node: Node, periods: int = 8) -> float | None:
    """A rate of counts (failed deployments of deployments) judged as a count: the period's
    numerator against the denominator times the rate pooled over the `periods` periods before
    it (Jeffreys' prior, as metric_count_tests), as a one-sided Poisson tail in z units. A
    weekly change failure rate whose baseline median is 0 is thousands of robust z out at one
    failure although the team fails a deployment most weeks. None when the node is not a ratio
    of two count inputs or has no history."""
    inputs = [(d, sign) for d, edge, sign in node.metric.drivers if edge == "formula"]
    if node.metric.unit != "ratio" or len(inputs) != 2 or {s for _, s in inputs} != {
            "positive", "negative"}:
        return None
    num = next(d for d, s in inputs if s == "positive")
    den = next(d for d, s in inputs if s == "negative")
    rows = wh.rows(
        f"""
        select period_start, metric_id, value
        from {wh.table('metric_values')}
        where metric_id in (?, ?) and entity_type = ? and entity_id = ? and grain = ?
            and period_start <= ?
        order by period_start desc
        """,
        [num, den, node.entity.entity_type, node.entity.entity_id, node.grain,
         node.period_start],
    )
    by_period: dict[dt.date, dict[str, float]] = {}
    for r in rows:
        by_period.setdefault(r["period_start"], {})[r["metric_id"]] = float(r["value"] or 0.0)
    now = by_period.pop(node.period_start, {})
    history = sorted(by_period.items(), reverse=True)[:periods]
    if num not in now or den not in now or len(history) < 3:
        return None
    moved = sum(v.get(num, 0.0) for _, v in history)
    exposed = sum(v.get(den, 0.0) for _, v in history)
    rate = (moved + 0.5) / (exposed + 1.0)
    return poisson_z(int(round(now[num])), now[den] * rate)
