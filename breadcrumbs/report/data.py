"""What the report shows, read from the warehouse: per metric its headline entity and status in
the latest complete period, a sparkline series, its drivers, and, for a red business outcome,
its trail (the `why` walk)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breadcrumbs.warehouse import Entity, Warehouse, load_catalog, load_ownership
from breadcrumbs.why.model import Explanation
from breadcrumbs.why.scan import latest_complete_period
from breadcrumbs.why.walk import Walker

SPARK_POINTS = 30
# engineering's three roles (docs/metrics.md)
VALUE_LENSES = ("protects", "enables", "reduces_cost")


@dataclass
class MetricCard:
    """One node of the tree."""

    metric_id: str
    label: str
    layer: str
    unit: str
    direction: str
    decision: str
    owner: str
    counterbalance: str
    entity: Entity | None
    period_start: dt.date | None
    value: float | None
    baseline: float | None
    status: str
    red: list[Entity]  # every entity red in that period
    drivers: list[tuple[str, str]]
    series: list[float] = field(default_factory=list)
    trail: Explanation | None = None
    value_lens: str | None = None
    currency: str = ""  # the warehouse currency (money metrics are in it)
    grain: str = "day"
    leaf_reason: str = ""


STATUS_RANK = "case status when 'red' then 2 when 'amber' then 1 else 0 end"


def load_cards(wh: Warehouse) -> list[MetricCard]:
    """A card per metric of the catalog."""
    catalog = load_catalog(wh)
    walker = Walker(wh=wh, catalog=catalog, ownership=load_ownership(wh))
    info = {r["metric_id"]: r for r in wh.rows(f"select * from {wh.table('metric_catalog')}")}
    cards = []
    for metric_id, metric in sorted(catalog.items()):
        row = info[metric_id]
        period = latest_complete_period(wh, metric_id, grain=metric.grain)
        latest = [] if period is None else wh.rows(
            f"""
            select status.entity_type, status.entity_id, status.period_start, status.value,
                status.baseline_median, status.status
            from {wh.table('metric_status')} as status
            where status.metric_id = ? and status.grain = ? and status.period_start = ?
                and status.is_complete
            order by {STATUS_RANK} desc,
                coalesce(status.count_z_score * ?, status.adverse_z_score, 0) desc,
                status.entity_type = 'org' desc, status.entity_id
            """,
            [metric_id, metric.grain, period,
             -1.0 if metric.direction == "higher_is_better" else 1.0],
        )
        head = latest[0] if latest else None
        entity = Entity(head["entity_type"], head["entity_id"]) if head else None
        card = MetricCard(
            metric_id=metric_id,
            label=metric.label,
            layer=row["layer"],
            unit=metric.unit,
            direction=metric.direction,
            decision=row["decision"] or "",
            owner=row["owner"] or "",
            counterbalance=row["counterbalance"] or "",
            entity=entity,
            period_start=head["period_start"] if head else None,
            value=head["value"] if head else None,
            baseline=head["baseline_median"] if head else None,
            status=head["status"] if head else "incomplete",  # no complete period yet
            red=[Entity(r["entity_type"], r["entity_id"]) for r in latest if r["status"] == "red"],
            drivers=[(d, edge) for d, edge, _ in metric.drivers],
            value_lens=row.get("value_lens"),
            currency=metric.currency,
            grain=metric.grain,
            leaf_reason=row.get("leaf_reason") or "",
        )
        if entity is not None:
            series = wh.rows(
                f"""
                select value from (
                    select period_start, value
                    from {wh.table('metric_values')}
                    where metric_id = ? and entity_type = ? and entity_id = ? and grain = ?
                        and period_start <= ?
                    order by period_start desc
                    limit {SPARK_POINTS}
                ) as recent
                order by period_start
                """,
                [metric_id, entity.entity_type, entity.entity_id, metric.grain, period],
            )
            card.series = [float(r["value"]) for r in series]
        if (card.status == "red" and card.layer == "business_outcome" and entity is not None
                and card.period_start is not None):
            node = walker.node(metric_id, entity, card.period_start)
            if node is not None:
                card.trail = walker.walk(node)
        cards.append(card)
    return cards


def load_currency(wh: Warehouse) -> str:
    """The currency of the revenue marts (one by contract: tests/dbt/assert_single_currency);
    empty when the warehouse has no revenue."""
    if not wh.has("fct_mrr_movements"):
        return ""
    rows = wh.rows(f"select currency, count(*) as line_count "
                   f"from {wh.table('fct_mrr_movements')} group by currency "
                   "order by line_count desc, currency limit 1")
    return str(rows[0]["currency"]) if rows else ""
