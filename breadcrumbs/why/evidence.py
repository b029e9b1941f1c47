"""Evidence from the marts for a node of the trail: incidents, deployments, CI runs, pull
requests, customers, days of revenue at risk, work items, features, cloud cost. Ids and links,
at most a handful. Which kind a metric gets is its catalog's `evidence` field (docs/metrics.md),
checked by the guard (macros/metrics_guard.sql) against the kinds of FINDERS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from breadcrumbs.warehouse import Ownership, Warehouse
from breadcrumbs.why import wording
from breadcrumbs.why.model import Evidence, Node
from breadcrumbs.why.periods import period_end

LIMIT = 5


def _window(node: Node) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(node.period_start, dt.time())
    end = dt.datetime.combine(period_end(node.period_start, node.grain), dt.time()) + dt.timedelta(
        days=1
    )
    return start, end


def _scope(node: Node, ownership: Ownership) -> tuple[str, list[str]]:
    """Column and ids that restrict a mart to the node's entity (service or team)."""
    kind, key = node.entity.entity_type, node.entity.entity_id
    if kind == "service":
        return "service_id", [key]
    if kind == "team":
        return "team_id", [key]
    if kind == "plan":
        return "service_id", ownership.services_of_plan(key)
    return "", []


def _where(column: str, ids: list[str]) -> tuple[str, list[object]]:
    if not column:
        return "", []
    if not ids:
        return " and false", []
    return f" and {column} in ({', '.join('?' for _ in ids)})", list(ids)


def _signal(node: Node) -> list[Evidence]:
    if node.baseline is None:
        return []
    return [Evidence(
        kind="metric",
        id=f"{node.metric.metric_id}/{node.entity.entity_id}/{node.period_start.isoformat()}",
        at=node.period_start.isoformat(),
        detail=f"{node.metric.label} {wording.node_number(node, node.value)} vs baseline "
               f"{wording.node_number(node, node.baseline)}, {wording.unusual(node)} "
               f"({node.status})",
    )]


def _scoped_rows(
    wh: Warehouse,
    node: Node,
    ownership: Ownership,
    table: str,
    columns: str,
    time_column: str,
    *,
    condition: str = "",
    order_by: str | None = None,
    lead: dt.timedelta = dt.timedelta(0),
) -> list[dict]:
    """Rows of a mart in the node's window (starting `lead` earlier) and entity scope; none
    when the mart does not exist. Every value from outside is a bound parameter."""
    if not wh.has(table):
        return []
    start, end = _window(node)
    clause, params = _where(*_scope(node, ownership))
    return wh.rows(
        f"""
        select {columns}
        from {wh.table(table)}
        where {condition}{time_column} >= ? and {time_column} < ?{clause}
        order by {order_by or time_column}
        limit {LIMIT}
        """,
        [start - lead, end, *params],
    )


def _incidents(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    rows = _scoped_rows(
        wh, node, ownership, "fct_incidents",
        "incident_id, incident_url, service_id, urgency, created_at, "
        "time_to_resolve_minutes, is_customer_reported",
        "created_at", lead=dt.timedelta(days=1),
    )
    return [Evidence(
        kind="incident",
        id=str(r["incident_id"]),
        at=str(r["created_at"]),
        detail=f"{r['urgency']} urgency on {r['service_id']}, resolved in "
               f"{r['time_to_resolve_minutes'] or 0:.0f} min"
               + (", reported by a customer" if r["is_customer_reported"] else "")
               + (f" — {r['incident_url']}" if r["incident_url"] else ""),
    ) for r in rows]


def _failed_deployments(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    rows = _scoped_rows(
        wh, node, ownership, "fct_deployments",
        "deployment_id, service_id, repo_full_name, commit_sha, finished_at, failure_cause, "
        "linked_incident_count, fixed_by_deployment_id",
        "finished_at", condition="is_failed and ",
    )
    return [Evidence(
        kind="deployment",
        id=str(r["deployment_id"]),
        at=str(r["finished_at"]),
        detail=f"failed deployment of {r['service_id']} ({r['repo_full_name']}@"
               f"{str(r['commit_sha'] or '')[:7]}): {r['failure_cause'] or 'failed'}, "
               f"{r['linked_incident_count'] or 0} incident(s)"
               + (f", fixed by {r['fixed_by_deployment_id']}" if r["fixed_by_deployment_id"]
                  else ""),
    ) for r in rows]


def _deployments(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    rows = _scoped_rows(
        wh, node, ownership, "fct_deployments",
        "deployment_id, service_id, repo_full_name, commit_sha, finished_at, is_failed",
        "finished_at",
    )
    return [Evidence(
        kind="deployment",
        id=str(r["deployment_id"]),
        at=str(r["finished_at"]),
        detail=f"{'failed ' if r['is_failed'] else ''}deployment of {r['service_id']} "
               f"({r['repo_full_name']}@{str(r['commit_sha'] or '')[:7]})",
    ) for r in rows]


def _ci_runs(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    rows = _scoped_rows(
        wh, node, ownership, "fct_ci_runs",
        "workflow_run_id, repo_full_name, workflow_name, created_at, attempt_count, "
        "duration_minutes",
        "created_at", condition="is_flaky and ",
    )
    return [Evidence(
        kind="ci_run",
        id=str(r["workflow_run_id"]),
        at=str(r["created_at"]),
        detail=f"{r['repo_full_name']} {r['workflow_name']}: {r['attempt_count']} attempts, "
               f"{r['duration_minutes'] or 0:.0f} min — https://github.com/{r['repo_full_name']}"
               f"/actions/runs/{r['workflow_run_id']}",
    ) for r in rows]


def _pull_requests(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    rows = _scoped_rows(
        wh, node, ownership, "fct_pull_requests",
        "pull_request_id, repo_full_name, pull_request_number, merged_at, lines_changed, "
        "pickup_minutes, review_minutes",
        "merged_at",
        order_by="coalesce(pickup_minutes, 0) + coalesce(review_minutes, 0) desc, "
        "lines_changed desc",
    )
    return [Evidence(
        kind="pull_request",
        id=str(r["pull_request_id"]),
        at=str(r["merged_at"]),
        detail=f"{r['repo_full_name']}#{r['pull_request_number']}: {r['lines_changed']} lines, "
               f"pickup {(r['pickup_minutes'] or 0) / 60:.1f} h, review "
               f"{(r['review_minutes'] or 0) / 60:.1f} h — https://github.com/"
               f"{r['repo_full_name']}/pull/{r['pull_request_number']}",
    ) for r in rows]


def _customers(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    if not wh.has("fct_mrr_movements"):
        return []
    plan_clause, params = ("", [])
    if node.entity.entity_type == "plan":
        plan_clause, params = " and plan_id = ?", [node.entity.entity_id]
    movement = "contraction" if node.metric.metric_id == "contraction_mrr" else "churned"
    rows = wh.rows(
        f"""
        select customer_id, plan_id, month_start, previous_mrr_amount, mrr_amount
        from {wh.table('fct_mrr_movements')}
        where movement = ? and month_start = ?{plan_clause}
        order by previous_mrr_amount desc, customer_id
        limit {LIMIT}
        """,
        [movement, node.period_start.replace(day=1), *params],
    )
    return [Evidence(
        kind="customer",
        id=str(r["customer_id"]),
        at=str(r["month_start"]),
        detail=f"{movement} on plan {r['plan_id']}: MRR "
               f"{wording.money(float(r['previous_mrr_amount']), node.metric.currency)} → "
               f"{wording.money(float(r['mrr_amount'] or 0), node.metric.currency)}",
    ) for r in rows]


def _risk_days(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    if not wh.has("fct_revenue_at_risk_daily"):
        return []
    start, end = _window(node)
    plan_clause, params = ("", [])
    if node.entity.entity_type == "plan":
        plan_clause, params = " and plan_id = ?", [node.entity.entity_id]
    rows = wh.rows(
        f"""
        select plan_id, signal_date, breached_service_count, customers_at_risk, mrr_at_risk
        from {wh.table('fct_revenue_at_risk_daily')}
        where signal_date >= ? and signal_date < ?{plan_clause}
        order by mrr_at_risk desc, signal_date
        limit {LIMIT}
        """,
        [start.date(), end.date(), *params],
    )
    services = _breached_services(wh, rows)
    return [Evidence(
        kind="revenue_at_risk",
        id=f"{r['plan_id']}/{r['signal_date']}",
        at=str(r["signal_date"]),
        detail=f"{r['customers_at_risk']} customers on {r['plan_id']} "
               f"({wording.money(float(r['mrr_at_risk']), node.metric.currency)} MRR) exposed to "
               f"{r['breached_service_count']} service(s) in SLO breach"
               + (f" ({services[(r['plan_id'], r['signal_date'])]})"
                  if (r["plan_id"], r["signal_date"]) in services else ""),
    ) for r in rows]


def _breached_services(wh: Warehouse, rows: list[dict]) -> dict[tuple, str]:
    """The services in SLO breach behind each (plan, day) of `rows`, comma-separated."""
    if not rows or not wh.has("fct_revenue_at_risk_service_daily"):
        return {}
    found = wh.rows(
        f"""
        select plan_id, signal_date, string_agg(service_id, ', ' order by service_id) as services
        from {wh.table('fct_revenue_at_risk_service_daily')}
        where signal_date between ? and ?
        group by plan_id, signal_date
        """,
        [min(r["signal_date"] for r in rows), max(r["signal_date"] for r in rows)],
    )
    return {(r["plan_id"], r["signal_date"]): r["services"] for r in found}


def _work_item_evidence(rows: list[dict]) -> list[Evidence]:
    return [Evidence(
        kind="work_item",
        id=str(r["work_item_id"]),
        at=str(r["closed_at"] or r["created_at"]),
        detail=f"{r['work_item_type']}, {r['state']}"
               + (f", due {r['due_on']}" if r["due_on"] else "")
               + (", closed late" if r["is_closed_on_time"] is False else "")
               + (f", {float(r['time_to_market_days']):.1f} days to market"
                  if r["time_to_market_days"] is not None else "")
               + f" — https://github.com/{r['repo_full_name']}/issues/{r['issue_number']}",
    ) for r in rows]


WORK_ITEM_COLUMNS = (
    "work_item_id, repo_full_name, issue_number, work_item_type, state, due_on, created_at, "
    "closed_at, is_closed_on_time, time_to_market_days"
)


def _work_items(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """Work items closed in the window, the slowest to market first."""
    return _work_item_evidence(_scoped_rows(
        wh, node, ownership, "fct_work_items", WORK_ITEM_COLUMNS, "closed_at",
        order_by="coalesce(time_to_market_days, 0) desc, closed_at",
    ))


def _customer_bugs(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """Bugs customers reported in the window."""
    return _work_item_evidence(_scoped_rows(
        wh, node, ownership, "fct_work_items", WORK_ITEM_COLUMNS, "created_at",
        condition="is_bug and is_customer_reported and ",
    ))


def _features(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """Features measured in the month, the least adopted first."""
    if not wh.has("fct_feature_adoption"):
        return []
    plan_clause, params = ("", [])
    if node.entity.entity_type == "plan":
        plan_clause, params = " and plan_id = ?", [node.entity.entity_id]
    rows = wh.rows(
        f"""
        select feature_id, repo_full_name, issue_number, plan_id, service_id, measured_month,
            eligible_customer_count, adopted_customer_count, adoption_rate
        from {wh.table('fct_feature_adoption')}
        where measured_month = ?{plan_clause}
        order by adoption_rate, eligible_customer_count desc, feature_id, plan_id
        limit {LIMIT}
        """,
        [node.period_start.replace(day=1), *params],
    )
    return [Evidence(
        kind="feature",
        id=f"{r['feature_id']}/{r['plan_id']}",
        at=str(r["measured_month"]),
        detail=f"{r['repo_full_name']}#{r['issue_number']} on {r['service_id']}: "
               f"{r['adopted_customer_count']} of {r['eligible_customer_count']} customers on "
               f"plan {r['plan_id']} used it",
    ) for r in rows]


def _cloud_cost(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """Cloud cost of the window per service and FOCUS service category, the largest first,
    with the capacity and idle cost behind the compute lines (`unallocated` included at org)."""
    if not wh.has("fct_cloud_cost_daily"):
        return []
    start, end = _window(node)
    clause, params = _where(*_scope(node, ownership))
    rows = wh.rows(
        f"""
        select service_id, service_category, min(cost_date) as first_date,
            sum(effective_cost) as effective_cost, sum(billed_cost) as billed_cost,
            sum(list_cost) as list_cost, sum(capacity_hours) as capacity_hours,
            sum(idle_effective_cost) as idle_cost
        from {wh.table('fct_cloud_cost_daily')}
        where cost_date >= ? and cost_date < ?{clause}
        group by service_id, service_category
        order by sum(effective_cost) desc, service_id, service_category
        limit {LIMIT}
        """,
        [start.date(), end.date(), *params],
    )
    currency = node.metric.currency
    return [Evidence(
        kind="cloud_cost",
        id=f"{r['service_id']}/{r['service_category']}/{node.period_start.isoformat()}",
        at=str(r["first_date"]),
        detail=f"{r['service_id']} {r['service_category']}: "
               f"{wording.money(float(r['effective_cost'] or 0), currency)} effective "
               f"(billed {wording.money(float(r['billed_cost'] or 0), currency)}, list "
               f"{wording.money(float(r['list_cost'] or 0), currency)})"
               + (f", {wording.plain(float(r['capacity_hours']))} instance-hours"
                  if r["capacity_hours"] else "")
               + (f", {wording.money(float(r['idle_cost']), currency)} idle"
                  if r["idle_cost"] is not None else ""),
    ) for r in rows]


Finder = Callable[[Warehouse, Node, Ownership], list[Evidence]]

# the catalog's `evidence` kinds (docs/metrics.md); `none` (with evidence_reason) is the only
# other value the guard accepts
FINDERS: dict[str, Finder] = {
    "incidents": _incidents,
    "deployments": _deployments,
    "failed_deployments": _failed_deployments,
    "ci_runs": _ci_runs,
    "pull_requests": _pull_requests,
    "customers": _customers,
    "revenue_at_risk": _risk_days,
    "work_items": _work_items,
    "customer_bugs": _customer_bugs,
    "features": _features,
    "cloud_cost": _cloud_cost,
}


def collect(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """The node's own numbers and the mart rows of its catalog's evidence kind."""
    found = _signal(node)
    finder = FINDERS.get(node.metric.evidence or "")
    if finder is not None:
        found.extend(finder(wh, node, ownership))
    return found
