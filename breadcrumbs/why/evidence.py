"""Evidence from the marts for a node of the trail: incidents, deployments, CI runs, pull
requests, customers, days of revenue at risk. Ids and links, at most a handful per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from breadcrumbs.why.catalog import Ownership
from breadcrumbs.why.model import Evidence, Node, z_text
from breadcrumbs.why.periods import period_end
from breadcrumbs.why.warehouse import Warehouse

LIMIT = 5

INCIDENT_METRICS = {
    "cpu_utilization", "latency_p95_ms", "error_count", "error_rate", "availability",
    "error_budget_remaining", "incident_count", "incident_minutes", "mttr_minutes",
    "customer_reported_incidents", "request_count",
}
DEPLOYMENT_METRICS = {
    "change_failure_rate", "service_change_failure_rate", "failed_deployments",
    "deployment_rework_rate",
    "failed_deployment_recovery_time_hours",
}
CI_METRICS = {"ci_flaky_rate", "ci_duration_minutes", "ci_success_rate", "deploy_time_hours"}
PR_METRICS = {
    "pr_size_lines", "pickup_time_hours", "review_time_hours", "coding_time_hours",
    "first_review_time_hours", "review_coverage", "change_lead_time_hours",
}
CUSTOMER_METRICS = {
    "churned_mrr", "contraction_mrr", "logo_churn_rate", "net_revenue_retention",
    "net_revenue_retention_12m", "mrr",
    "expansion_mrr", "new_mrr", "reactivation_mrr",
}
RISK_METRICS = {"revenue_at_risk", "sla_adherence", "sla_credits"}


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
    z = f", z {z_text(node.z)}" if node.z is not None else ""
    return [Evidence(
        kind="metric",
        id=f"{node.metric.metric_id}/{node.entity.entity_id}/{node.period_start.isoformat()}",
        at=node.period_start.isoformat(),
        detail=f"{node.metric.label} {node.value:,.4g} vs baseline {node.baseline:,.4g}{z} "
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


def _deployments(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
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
        detail=f"{movement} on plan {r['plan_id']}: MRR {float(r['previous_mrr_amount']):,.0f} → "
               f"{float(r['mrr_amount'] or 0):,.0f}",
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
    return [Evidence(
        kind="revenue_at_risk",
        id=f"{r['plan_id']}/{r['signal_date']}",
        at=str(r["signal_date"]),
        detail=f"{r['customers_at_risk']} customers on {r['plan_id']} "
               f"({float(r['mrr_at_risk']):,.0f} MRR) exposed to "
               f"{r['breached_service_count']} service(s) in SLO breach",
    ) for r in rows]


def collect(wh: Warehouse, node: Node, ownership: Ownership) -> list[Evidence]:
    """The node's own numbers and the mart rows behind them."""
    metric = node.metric.metric_id
    finders: list[Callable[[Warehouse, Node, Ownership], list[Evidence]]] = []
    if metric in INCIDENT_METRICS:
        finders.append(_incidents)
    if metric in DEPLOYMENT_METRICS:
        finders.append(_deployments)
    if metric in CI_METRICS:
        finders.append(_ci_runs)
    if metric in PR_METRICS:
        finders.append(_pull_requests)
    if metric in CUSTOMER_METRICS:
        finders.append(_customers)
    if metric in RISK_METRICS:
        finders.append(_risk_days)
    found = _signal(node)
    for finder in finders:
        found.extend(finder(wh, node, ownership))
    return found
