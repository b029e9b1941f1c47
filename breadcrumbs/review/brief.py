"""The weekly handoff brief (DESIGN.md §8b), read from the warehouse alone: what moved for a
team's metrics and services in a week and why (the `why` walk), the metrics that fail the two
tests in practice (metric_health), inactionable alerts, and the team's most critical services
(service_criticality)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breadcrumbs.why.catalog import Ownership, load_catalog, load_ownership
from breadcrumbs.why.model import Entity, Explanation, Metric, Node
from breadcrumbs.why.periods import period_start
from breadcrumbs.why.scan import is_complete_period, latest_complete_period
from breadcrumbs.why.walk import Walker
from breadcrumbs.why.warehouse import Warehouse, WarehouseError

MAX_TRAILS = 3  # red metrics walked to a root cause
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
            f"where status = 'red' and period_start <= ? and period_end >= ? and {scope}",
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
    """Red and amber metrics of the team's entities whose period overlaps the week: the worst
    period per metric and entity. Plan rows only for business outcomes (what the team's
    services put at stake)."""
    scope, params = _scope(team, services, plans, prefix="status.")
    rows = wh.rows(
        f"""
        select status.metric_id, status.entity_type, status.entity_id, status.period_start,
            status.grain, status.value, status.baseline_median, status.z_score,
            coalesce(status.adverse_z_score, 0) as adverse_z, status.status, catalog.layer
        from {wh.table('metric_status')} as status
        inner join {wh.table('metric_catalog')} as catalog
            on status.metric_id = catalog.metric_id and status.grain = catalog.grain
        where status.status in ('red', 'amber')
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


def _trails(walker: Walker, moved: list[Moved]) -> list[Explanation]:
    """The `why` trail of the most anomalous red metrics, one per distinct root cause."""
    trails: list[Explanation] = []
    roots: set[tuple[str, str]] = set()
    for item in [m for m in moved if m.status == "red"]:
        if len(trails) >= MAX_TRAILS:
            break
        node: Node | None = walker.node(item.metric.metric_id, item.entity, item.period_start)
        if node is None:
            continue
        trail = walker.walk(node)
        root = trail.root
        key = (root.metric.metric_id, root.entity.entity_id) if root else ("", "")
        if root is not None and key in roots:
            continue
        roots.add(key)
        trails.append(trail)
    return trails


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
        moved=moved, trails=_trails(walker, moved),
        code_red=health["code_red"], red_unexplained=health["red_unexplained"],
        retire=health["retire"], no_owner=health["no_owner"],
        alerts_week=alerts_week, alerts_window=alerts_window, critical=critical,
    )
