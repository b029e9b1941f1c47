"""The metric catalog and the ownership graph, read from the warehouse: the catalog's metrics,
the entities of metric_values, and who owns which service."""

from __future__ import annotations

from dataclasses import dataclass

from breadcrumbs.warehouse.reader import Warehouse, WarehouseError


@dataclass(frozen=True)
class Metric:
    """A metric_catalog row and its drivers."""

    metric_id: str
    label: str
    unit: str
    direction: str
    grain: str
    red_z: float
    threshold_amber: float | None
    threshold_red: float | None
    drivers: tuple[tuple[str, str, str], ...]  # (driver_id, edge, sign)
    driver_lag_days: int | None = None  # window metrics: how far back drivers may lead
    lag_days: int = 0  # metric_catalog.lag_days: how far back the walk looks for a leading driver
    entity_type: str | None = None  # the catalog's entity: where the metric's decision is made
    rolls_up_to: str | None = None  # a finer-grained metric: the metric a root here is reported as
    currency: str = ""  # the warehouse currency (plans seed, e.g. "usd"): money metrics are in it
    evidence: str | None = None  # the catalog's evidence kind (why/evidence.py FINDERS) or "none"
    customer_movement: str | None = None  # churned / expansion / contraction: counted customers
    leaf_reason: str | None = None  # a metric without drivers: why (a raw signal, a source fact)


@dataclass(frozen=True)
class Entity:
    """An entity of metric_values: org, team, service or plan."""

    entity_type: str
    entity_id: str

    def __str__(self) -> str:
        return self.entity_id


def load_catalog(wh: Warehouse) -> dict[str, Metric]:
    """metric_catalog joined with metric_edges, keyed by metric id."""
    edges: dict[str, list[tuple[str, str, str]]] = {}
    for row in wh.rows(
        f"select metric_id, driver_metric_id, edge, coalesce(sign, 'positive') as sign "
        f"from {wh.table('metric_edges')} order by metric_id, edge desc, driver_metric_id"
    ):
        edges.setdefault(row["metric_id"], []).append(
            (row["driver_metric_id"], row["edge"], row["sign"])
        )
    currency = warehouse_currency(wh)
    catalog: dict[str, Metric] = {}
    for row in wh.rows(f"select * from {wh.table('metric_catalog')}"):
        if row.get("lag_days") is None:
            raise WarehouseError(
                f"metric_catalog has no lag_days for {row['metric_id']}: the warehouse was built "
                "before the walk's settings moved to dbt_project.yml; rebuild it (breadcrumbs run)"
            )
        catalog[row["metric_id"]] = Metric(
            metric_id=row["metric_id"],
            label=row["label"] or row["metric_id"],
            unit=row["unit"] or "",
            direction=row["direction"] or "lower_is_better",
            grain=row["grain"] or "day",
            red_z=float(row["red_z"] or 3.0),
            threshold_amber=row["threshold_amber"],
            threshold_red=row["threshold_red"],
            drivers=tuple(edges.get(row["metric_id"], [])),
            driver_lag_days=row.get("driver_lag_days"),
            lag_days=int(row["lag_days"]),
            entity_type=row.get("entity_type"),
            rolls_up_to=row.get("rolls_up_to"),
            currency=currency,
            evidence=row.get("evidence"),
            customer_movement=row.get("customer_movement"),
            leaf_reason=row.get("leaf_reason"),
        )
    return catalog


def warehouse_currency(wh: Warehouse) -> str:
    """The one currency of the plans seed (money metrics are in it); "" when there is no plans
    seed or it mixes currencies (then money is shown without a symbol)."""
    if not wh.has("plans"):
        return ""
    rows = wh.rows(f"select distinct lower(currency) as currency from {wh.table('plans')} "
                   "where currency is not null")
    return rows[0]["currency"] if len(rows) == 1 else ""


@dataclass
class Ownership:
    """services.csv and plan_services.csv: service → team, plan → services."""

    team_of: dict[str, str]
    plans_of: dict[str, list[str]]

    def services_of_team(self, team: str) -> list[str]:
        return sorted(s for s, t in self.team_of.items() if t == team)

    def services_of_plan(self, plan: str) -> list[str]:
        return sorted(s for s, plans in self.plans_of.items() if plan in plans)

    def related(self, entity: Entity, entity_type: str) -> list[Entity]:
        """Entities of `entity_type` linked to `entity` through ownership."""
        kind, key = entity.entity_type, entity.entity_id
        if kind == entity_type:
            return [entity]
        services: list[str]
        if kind == "service":
            services = [key]
        elif kind == "team":
            services = self.services_of_team(key)
        elif kind == "plan":
            services = self.services_of_plan(key)
        else:
            return []
        if entity_type == "service":
            ids = services
        elif entity_type == "team":
            ids = sorted({self.team_of[s] for s in services if s in self.team_of})
        elif entity_type == "plan":
            ids = sorted({p for s in services for p in self.plans_of.get(s, [])})
        else:
            ids = []
        return [Entity(entity_type, i) for i in ids]


def load_ownership(wh: Warehouse) -> Ownership:
    """Ownership seeds from the warehouse (empty when the seeds are not there)."""
    team_of: dict[str, str] = {}
    plans_of: dict[str, list[str]] = {}
    if wh.has("services"):
        for row in wh.rows(f"select service_id, team_id from {wh.table('services')}"):
            team_of[row["service_id"]] = row["team_id"]
    if wh.has("plan_services"):
        for row in wh.rows(f"select plan_id, service_id from {wh.table('plan_services')}"):
            plans_of.setdefault(row["service_id"], []).append(row["plan_id"])
    return Ownership(team_of=team_of, plans_of=plans_of)
