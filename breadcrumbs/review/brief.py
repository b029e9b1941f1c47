"""The weekly handoff brief (docs/weekly-review.md), read from the warehouse alone: what moved for a
team's metrics and services in a week and why (the `why` walk), the metrics that fail the two
tests in practice (metric_health), inactionable alerts, and the team's most critical services
(service_criticality)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breadcrumbs.warehouse import (
    Entity,
    Metric,
    Ownership,
    Warehouse,
    WarehouseError,
    load_catalog,
    load_ownership,
    warehouse_currency,
)
from breadcrumbs.why.model import Explanation, Node
from breadcrumbs.why.periods import period_start
from breadcrumbs.why.scan import is_complete_period, latest_complete_period
from breadcrumbs.why.walk import Walker

MAX_TRAILS = 3  # trails shown (each one event: its symptoms grouped)
MAX_WALKS = 12  # red metrics walked to a root cause, most important first
NEEDED = ("metric_health", "service_criticality", "fct_incident_actionability", "services")
STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}
# what the business feels first, then down the tree to what the systems showed
LAYER_ORDER = {"business_outcome": 0, "service": 1, "delivery": 2, "raw_signal": 3}


class ReviewError(ValueError):
    """Bad input: unknown team, or a week outside the data (the message says what exists)."""


@dataclass
class Moved:
    """A metric of the team that was red or amber in the week (its worst period there)."""

    metric: Metric
    entity: Entity
    period_start: dt.date
    grain: str
    value: float
    baseline: float | None
    z: float | None
    adverse_z: float
    status: str
    layer: str


@dataclass
class Brief:
    """Everything the brief says; rendered as Markdown (CLI) or HTML (report)."""

    team: str
    services: list[str]
    plans: list[str]
    week_start: dt.date
    week_end: dt.date
    data_end: dt.date
    is_complete_week: bool
    health_start: dt.date | None
    health_end: dt.date | None
    moved: list[Moved] = field(default_factory=list)
    trails: list[Explanation] = field(default_factory=list)
    code_red: list[dict] = field(default_factory=list)
    red_unexplained: list[dict] = field(default_factory=list)
    retire: list[dict] = field(default_factory=list)
    no_owner: list[dict] = field(default_factory=list)
    alerts_week: list[dict] = field(default_factory=list)
    alerts_window: dict = field(default_factory=dict)
    critical: list[dict] = field(default_factory=list)
    # trails grouped by event: `trails` are their representatives (the longest trail of each)
    events: list[Event] = field(default_factory=list)
    currency: str = ""


@dataclass
class Event:
    """Red symptoms that share a root cause and time: one trail, the other symptoms named.
    Two walks are one event when they share a root (metric, entity), a node of the trail
    (metric, entity, period) or a piece of evidence (the same incident or deployment)."""

    trail: Explanation
    symptoms: list[Node] = field(default_factory=list)  # the other red metrics it explains


def _team_entities(team: str, ownership: Ownership) -> tuple[list[str], list[str]]:
    services = ownership.services_of_team(team)
    plans = sorted({p for s in services for p in ownership.plans_of.get(s, [])})
    return services, plans


def _in_list(column: str, ids: list[str]) -> tuple[str, list[object]]:
    if not ids:
        return "false", []
    return f"{column} in ({', '.join('?' for _ in ids)})", list(ids)


def _scope(team: str, services: list[str], plans: list[str], with_org: bool = False,
           prefix: str = "") -> tuple[str, list[object]]:
    """SQL condition on (entity_type, entity_id): the team, its services, the plans that use
    them (and the org)."""
    kind, key = f"{prefix}entity_type", f"{prefix}entity_id"
    svc, svc_params = _in_list(key, services)
    pln, pln_params = _in_list(key, plans)
    org = f" or {kind} = 'org'" if with_org else ""
    return (
        f"(({kind} = 'team' and {key} = ?) or ({kind} = 'service' and {svc}) "
        f"or ({kind} = 'plan' and {pln}){org})",
        [team, *svc_params, *pln_params],
    )


def data_bounds(wh: Warehouse) -> tuple[dt.date, dt.date]:
    """First and last day of data (the daily metrics' range)."""
    row = wh.rows(
        f"select min(period_start) as first_day, max(period_start) as last_day "
        f"from {wh.table('metric_values')} where grain = 'day'"
    )[0]
    if row["last_day"] is None:
        raise WarehouseError("metric_values has no daily rows: build the metrics with dbt")
    return row["first_day"], row["last_day"]


def known_teams(wh: Warehouse, ownership: Ownership) -> list[str]:
    teams = set(ownership.team_of.values())
    if wh.has("teams"):
        teams |= {r["team_id"] for r in wh.rows(f"select team_id from {wh.table('teams')}")}
    return sorted(teams)


def resolve_week(text: str | None, first_day: dt.date, last_day: dt.date,
                 latest_complete_week: dt.date | None = None) -> dt.date:
    """Monday of the week containing `text`, or the latest complete week (metric_status's
    `is_complete`, scan.latest_complete_period: the one definition `why` and the report use)."""
    if text is None:
        if latest_complete_week is None:
            raise ReviewError(f"the data ({first_day} → {last_day}) holds no complete week")
        return latest_complete_week
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise ReviewError(f"--week {text!r} is not a date (YYYY-MM-DD)") from error
    monday = period_start(day, "week")
    if monday > last_day or monday + dt.timedelta(days=6) < first_day:
        raise ReviewError(
            f"--week {text}: the week of {monday} is outside the data "
            f"({first_day} → {last_day}); pick a date in that range"
        )
    return monday


def red_counts(wh: Warehouse, ownership: Ownership, teams: list[str],
               week: dt.date) -> dict[str, int]:
    """Distinct red metrics per team in the week (on the team or one of its services)."""
    end = week + dt.timedelta(days=6)
    counts = {}
    for team in teams:
        services, _ = _team_entities(team, ownership)
        scope, params = _scope(team, services, [])
        row = wh.rows(
            f"select count(distinct metric_id) as n from {wh.table('metric_status')} "
            f"where status = 'red' and is_complete and period_start <= ? and period_end >= ? "
            f"and {scope}",
            [end, week, *params],
        )[0]
        counts[team] = int(row["n"] or 0)
    return counts


def default_team(wh: Warehouse, ownership: Ownership, teams: list[str], week: dt.date) -> str:
    """The team with the most red metrics in the week (ties: alphabetical)."""
    counts = red_counts(wh, ownership, teams, week)
    return sorted(teams, key=lambda t: (-counts[t], t))[0]


def _moved(wh: Warehouse, catalog: dict[str, Metric], team: str, services: list[str],
           plans: list[str], week: dt.date) -> list[Moved]:
    """Red and amber metrics of the team's entities whose complete period overlaps the week
    (an open week or month is never coloured): the worst period per metric and entity. Plan
    rows only for business outcomes (what the team's services put at stake)."""
    scope, params = _scope(team, services, plans, prefix="status.")
    rows = wh.rows(
        f"""
        select status.metric_id, status.entity_type, status.entity_id, status.period_start,
            status.grain, status.value, status.baseline_median, status.z_score,
            coalesce(status.adverse_z_score, 0) as adverse_z, status.status, catalog.layer
        from {wh.table('metric_status')} as status
        inner join {wh.table('metric_catalog')} as catalog
            on status.metric_id = catalog.metric_id and status.grain = catalog.grain
        where status.status in ('red', 'amber') and status.is_complete
            and status.period_start <= ? and status.period_end >= ?
            and (status.entity_type <> 'plan' or catalog.layer = 'business_outcome')
            and {scope}
        order by status.metric_id, status.entity_type, status.entity_id,
            case status.status when 'red' then 0 else 1 end, adverse_z desc
        """,
        [week + dt.timedelta(days=6), week, *params],
    )
    worst: dict[tuple[str, str, str], Moved] = {}
    for r in rows:
        key = (r["metric_id"], r["entity_type"], r["entity_id"])
        if key in worst or r["metric_id"] not in catalog:
            continue
        worst[key] = Moved(
            metric=catalog[r["metric_id"]], entity=Entity(r["entity_type"], r["entity_id"]),
            period_start=r["period_start"], grain=r["grain"], value=float(r["value"]),
            baseline=None if r["baseline_median"] is None else float(r["baseline_median"]),
            z=None if r["z_score"] is None else float(r["z_score"]),
            adverse_z=float(r["adverse_z"]), status=r["status"], layer=r["layer"],
        )
    return sorted(worst.values(),
                  key=lambda m: (STATUS_ORDER[m.status], LAYER_ORDER.get(m.layer, 4),
                                 -min(m.adverse_z, 100.0), m.metric.metric_id,
                                 m.entity.entity_id))


def _events(walker: Walker, moved: list[Moved]) -> list[Event]:
    """The `why` trails of the most important red metrics, grouped into events: walks that
    share a root, a node or a piece of evidence are one event, told by its longest trail."""
    walks: list[Explanation] = []
    for item in [m for m in moved if m.status == "red"][:MAX_WALKS]:
        node: Node | None = walker.node(item.metric.metric_id, item.entity, item.period_start)
        if node is not None:
            walks.append(walker.walk(node))
    groups: list[list[Explanation]] = []
    for walk in walks:
        joined = [g for g in groups if any(_same_event(walk, other) for other in g)]
        merged = [walk] + [w for g in joined for w in g]
        groups = [g for g in groups if g not in joined] + [merged]
        # keep the groups in the order of their most important member
        groups.sort(key=lambda g: min(walks.index(w) for w in g))
    events = []
    for group in groups[:MAX_TRAILS]:
        ordered = sorted(group, key=walks.index)
        told = max(ordered, key=lambda w: (len(w.steps), w.root is not None))
        symptoms = [w.start.node for w in ordered if w is not told]
        events.append(Event(trail=told, symptoms=symptoms))
    return events


def _keys(walk: Explanation) -> tuple[set[tuple], set[tuple[str, str]]]:
    """A walk's nodes (metric, entity, period) and its evidence other than metric values."""
    nodes = {(n.metric.metric_id, n.entity, n.period_start)
             for n in [walk.start.node, *(s.node for s in walk.steps)]}
    evidence = {(e.kind, e.id) for s in [walk.start, *walk.steps] for e in s.evidence
                if e.kind != "metric"}
    return nodes, evidence


def _same_event(a: Explanation, b: Explanation) -> bool:
    if a.root is not None and b.root is not None and (
            a.root.metric.metric_id, a.root.entity) == (b.root.metric.metric_id, b.root.entity):
        return True
    nodes_a, evidence_a = _keys(a)
    nodes_b, evidence_b = _keys(b)
    return bool(nodes_a & nodes_b or evidence_a & evidence_b)


def _health(wh: Warehouse, team: str, services: list[str], plans: list[str]) -> dict:
    scope, params = _scope(team, services, plans, with_org=True)
    rows = wh.rows(
        f"select * from {wh.table('metric_health')} where {scope} "
        "order by metric_id, entity_type, entity_id",
        params,
    )
    own = [r for r in rows if r["entity_type"] in ("team", "service")]
    retire: dict[str, dict] = {}
    for r in own:
        if r["is_retire_candidate"]:
            retire.setdefault(r["metric_id"], r)
    return {
        "code_red": [r for r in rows if r["is_code_red"]],
        "red_unexplained": [r for r in own if r["is_red_unexplained"] and not r["is_code_red"]],
        "retire": list(retire.values()),
        "no_owner": [r for r in own if r["is_missing_decision_owner"]],
        "window": (rows[0]["lookback_start"], rows[0]["lookback_end"]) if rows else (None, None),
    }


def _alerts(wh: Warehouse, team: str, services: list[str], week: dt.date,
            window: tuple[dt.date | None, dt.date | None]) -> tuple[list[dict], dict]:
    svc, params = _in_list("service_id", services)
    table = wh.table("fct_incident_actionability")
    week_rows = wh.rows(
        f"select incident_id, incident_number, service_id, created_at, inactionable_reason, "
        f"incident_url from {table} where (team_id = ? or {svc}) and is_inactionable "
        "and created_date between ? and ? order by created_at",
        [team, *params, week, week + dt.timedelta(days=6)],
    )
    start, end = window
    counted = wh.rows(
        f"select count(*) as alerts, "
        f"sum(case when is_inactionable then 1 else 0 end) as inactionable "
        f"from {table} where (team_id = ? or {svc}) and created_date between ? and ?",
        [team, *params, start or dt.date.min, end or dt.date.max],
    )[0]
    counted["week_alerts"] = wh.rows(
        f"select count(*) as n from {table} where (team_id = ? or {svc}) "
        "and created_date between ? and ?",
        [team, *params, week, week + dt.timedelta(days=6)],
    )[0]["n"]
    totals = {k: int(counted[k] or 0) for k in ("alerts", "inactionable", "week_alerts")}
    return week_rows, totals


def build_brief(wh: Warehouse, team: str | None = None, week: str | None = None) -> Brief:
    """The brief for `team` (default: most red metrics) and the week containing `week`
    (default: the latest complete week)."""
    missing = [t for t in NEEDED if not wh.has(t)]
    if missing:
        raise WarehouseError(
            f"the warehouse has no {', '.join(missing)}: rebuild it with this version "
            "(`dbt build` or `breadcrumbs run`)"
        )
    catalog = load_catalog(wh)
    ownership = load_ownership(wh)
    teams = known_teams(wh, ownership)
    first_day, last_day = data_bounds(wh)
    monday = resolve_week(week, first_day, last_day,
                          latest_complete_period(wh, grain="week") if week is None else None)
    if team is None:
        team = default_team(wh, ownership, teams, monday)
    elif team not in teams:
        raise ReviewError(f"unknown team {team!r} (teams: {', '.join(teams)})")
    services, plans = _team_entities(team, ownership)
    walker = Walker(wh=wh, catalog=catalog, ownership=ownership)
    moved = _moved(wh, catalog, team, services, plans, monday)
    events = _events(walker, moved)
    health = _health(wh, team, services, plans)
    alerts_week, alerts_window = _alerts(wh, team, services, monday, health["window"])
    critical = wh.rows(
        f"select * from {wh.table('service_criticality')} where team_id = ? "
        "order by criticality_rank",
        [team],
    )
    return Brief(
        team=team, services=services, plans=plans, week_start=monday,
        week_end=monday + dt.timedelta(days=6), data_end=last_day,
        is_complete_week=is_complete_period(wh, monday, "week"),
        health_start=health["window"][0], health_end=health["window"][1],
        moved=moved, trails=[e.trail for e in events], events=events,
        currency=warehouse_currency(wh),
        code_red=health["code_red"], red_unexplained=health["red_unexplained"],
        retire=health["retire"], no_owner=health["no_owner"],
        alerts_week=alerts_week, alerts_window=alerts_window, critical=critical,
    )
