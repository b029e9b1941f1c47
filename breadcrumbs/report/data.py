"""What the report shows, read from the warehouse: per metric its headline entity and status in
the latest complete period, a sparkline series, its drivers, and a trail when it is red."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breadcrumbs.why.catalog import load_catalog, load_ownership
from breadcrumbs.why.model import Entity, Explanation
from breadcrumbs.why.walk import Walker
from breadcrumbs.why.warehouse import Warehouse

SPARK_POINTS = 30
LAYERS = ("raw_signal", "delivery", "service", "business_outcome")
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
    red_entities: list[str]
    drivers: list[tuple[str, str]]
    series: list[float] = field(default_factory=list)
    trail: Explanation | None = None
    value_lens: str | None = None
    currency: str = ""  # the warehouse currency (money metrics are in it)


STATUS_RANK = "case status when 'red' then 2 when 'amber' then 1 else 0 end"


def load_cards(wh: Warehouse) -> list[MetricCard]:
    """A card per metric of the catalog."""
    catalog = load_catalog(wh)
    walker = Walker(wh=wh, catalog=catalog, ownership=load_ownership(wh))
    info = {r["metric_id"]: r for r in wh.rows(f"select * from {wh.table('metric_catalog')}")}
    cards = []
    for metric_id, metric in sorted(catalog.items()):
        row = info[metric_id]
        latest = wh.rows(
            f"""
            with latest as (
                select max(period_start) as period_start
                from {wh.table('metric_status')}
                where metric_id = ? and is_complete and grain = ?
            )

            select status.entity_type, status.entity_id, status.period_start, status.value,
                status.baseline_median, status.status
            from {wh.table('metric_status')} as status
            inner join latest on status.period_start = latest.period_start
            where status.metric_id = ? and status.grain = ?
            order by {STATUS_RANK} desc, coalesce(status.adverse_z_score, 0) desc,
                status.entity_type = 'org' desc, status.entity_id
            """,
            [metric_id, metric.grain, metric_id, metric.grain],
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
            status=head["status"] if head else "green",
            red_entities=[r["entity_id"] for r in latest if r["status"] == "red"],
            drivers=[(d, edge) for d, edge, _ in metric.drivers],
            value_lens=row.get("value_lens"),
            currency=metric.currency,
        )
        if entity is not None:
            series = wh.rows(
                f"""
                select value from (
                    select period_start, value
                    from {wh.table('metric_values')}
                    where metric_id = ? and entity_type = ? and entity_id = ? and grain = ?
                    order by period_start desc
                    limit {SPARK_POINTS}
                ) as recent
                order by period_start
                """,
                [metric_id, entity.entity_type, entity.entity_id, metric.grain],
            )
            card.series = [float(r["value"]) for r in series]
        if card.status == "red" and entity is not None and card.period_start is not None:
            node = walker.node(metric_id, entity, card.period_start)
            if node is not None:
                card.trail = walker.walk(node)
        cards.append(card)
    return cards
