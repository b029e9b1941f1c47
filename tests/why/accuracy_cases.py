"""The questions the accuracy suite asks and how it judges the answers, derived in code from each
scenario's injected fault and the simulator's own record (docs/why-algorithm.md, "Accuracy").

A fault case asks about a symptom downstream of the fault (lead time for review bottlenecks,
large pull requests and flaky tests; org net revenue retention for revenue faults; org revenue at
risk for a CPU or traffic fault that breached the service's SLO) and expects the fault's root
metric on its target (a price change by its sign: expansion when prices rose). A control (no
fault) asks five symptoms at a fixed period and at their worst period in the same weeks. Any root
cause that the simulator's record does not support is a false alarm. The record (`truth.json`
next to each scenario's warehouse) is read here, never by `why`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from breadcrumbs.simulator.scenario import Scenario
from tests.why.accuracy_record import lead_time_moved

LAG_DAYS = {"day": 2, "week": 7, "month": 62}  # the walk's lags (var why_lag_days)


@dataclass(frozen=True)
class Question:
    kind: str  # the fault kind, or control
    metric: str
    entity: str
    window: tuple[dt.date, dt.date]  # where the symptom's worst period is looked for
    fixed: dt.date  # the fixed period asked
    expect: tuple[tuple[str, str], ...] = ()  # (metric, entity) accepted as the root cause
    symptom: str = "direct"  # direct | downstream
    either_way: bool = False  # a price change: its worst period is the largest move either way
    needs: tuple[str, ...] = field(default=())  # record facts the question needs (see below)
    # the periods in which the record says the fault moved the symptom (lead time: the weeks
    # whose median the fault raised, tests/why/accuracy_record.py); None: every period of the
    # window. The worst period is looked for there; none at all: the fault did not move it
    moved: tuple[dt.date, ...] | None = None


def _days(first: dt.date, days: int) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(days=days - 1)


# the no-fault controls: the same symptoms and weeks the fault cases use
APRIL = dt.date(2026, 4, 1)
CONTROL_QUESTIONS = (  # (metric, entity, fixed period, window)
    ("latency_p95_ms", "gateway", APRIL.replace(day=16), _days(APRIL.replace(day=13), 7)),
    ("error_rate", "gateway", APRIL.replace(day=20), _days(APRIL.replace(day=18), 7)),
    ("change_lead_time_hours", "platform", APRIL.replace(day=15), _days(APRIL.replace(day=6), 21)),
    ("net_revenue_retention", "org", APRIL.replace(day=11), _days(APRIL, 61)),
    ("churned_mrr", "org", APRIL.replace(day=11), _days(APRIL, 61)),
    ("cloud_cost", "checkout", APRIL.replace(day=13), _days(APRIL.replace(day=6), 21)),
)


def questions(scenario: Scenario, truth: dict[str, Any]) -> list[Question]:
    """The questions of one accuracy scenario, from its fault (or the controls' when none)."""
    if not scenario.faults:
        return [Question("control", metric, entity, window, fixed)
                for metric, entity, fixed, window in CONTROL_QUESTIONS]
    fault = scenario.faults[0]
    team_of = scenario.service_team()
    target, kind = fault.target, fault.kind
    window = _days(fault.start, fault.days)
    out: list[Question] = []

    def ask(metric: str, entity: str, expect: list[tuple[str, str]], tail: int = 0,
            symptom: str = "direct") -> None:
        last = window[1] + dt.timedelta(tail)
        moved = None
        if metric == "change_lead_time_hours":  # a median of the week's deployed changes
            moved = tuple(sorted(week for (team, week) in lead_time_moved(scenario)
                                 if team == entity and week <= last
                                 and week + dt.timedelta(6) >= window[0]))
        out.append(Question(kind, metric, entity, (window[0], last), fault.start, tuple(expect),
                            symptom, kind == "price_change", moved=moved))

    if kind in ("traffic_surge", "cpu_saturation"):
        root = [("request_count" if kind == "traffic_surge" else "cpu_utilization", target)]
        ask("latency_p95_ms", target, root)
        breached = [d for d in truth["slo_breach_days"].get(target, [])
                    if window[0] <= dt.date.fromisoformat(d) <= window[1] + dt.timedelta(7)]
        if breached:  # the fault took the service out of its SLO: ask the business side
            ask("revenue_at_risk", "org", root + _earlier_burn(scenario, truth, target),
                tail=14, symptom="downstream")
        if kind == "traffic_surge":  # more requests, more autoscaled capacity and network
            ask("cloud_cost", target, root, symptom="downstream")
    elif kind == "over_provisioning":  # capacity up, traffic flat: the bill says it first
        ask("cloud_cost", target, [("capacity_hours", target)])
    elif kind == "under_provisioning":  # capacity cut: CPU, then latency
        ask("latency_p95_ms", target, [("capacity_hours", target)], symptom="downstream")
    elif kind == "bad_deploy":
        ask("error_rate", target,
            [("change_failure_rate", team_of[target]), ("service_change_failure_rate", target)])
    elif kind == "flaky_tests":
        team = team_of[target]
        ask("ci_duration_minutes", team, [("ci_flaky_rate", team), ("ci_flaky_rate", target)])
        ask("change_lead_time_hours", team, [("ci_flaky_rate", team), ("ci_flaky_rate", target)],
            tail=7, symptom="downstream")
    elif kind == "review_bottleneck":
        ask("change_lead_time_hours", target,
            [("pickup_time_hours", target), ("first_review_time_hours", target)], tail=7,
            symptom="downstream")
    elif kind == "large_prs":
        ask("review_time_hours", target, [("pr_size_lines", target)])
        ask("change_lead_time_hours", target, [("pr_size_lines", target)], tail=7,
            symptom="downstream")
    elif kind == "churn_wave":
        for symptom in ("net_revenue_retention", "churned_mrr"):
            ask(symptom, "org", [("churned_mrr", target), ("logo_churn_rate", target)],
                tail=30, symptom="downstream")
    elif kind == "price_change":
        moved = "expansion_mrr" if fault.magnitude > 0 else "contraction_mrr"
        ask("net_revenue_retention", "org", [(moved, target)], tail=30, symptom="downstream")
    return out


def _earlier_burn(scenario: Scenario, truth: dict[str, Any],
                  service: str) -> list[tuple[str, str]]:
    """When the service's SLO breach that the fault is part of began before the fault did, the
    error budget was already exhausted by what the record holds burned it in the 28 days
    before the breach began: a defective deployment of the service (its errors, its failed
    deployment, the team's change failure rate) is then a cause of the breach's revenue at
    risk too, and accepted as an answer (traffic_surge-21: a defect shipped on gateway on
    2026-04-02 put it in breach from 04-06, four days before the surge)."""
    fault = scenario.faults[0]
    days = sorted(dt.date.fromisoformat(d) for d in truth["slo_breach_days"].get(service, []))
    # the run of consecutive breach days that reaches the fault's first day
    run = [d for d in days if d <= fault.start]
    first = None
    for day in reversed(run):
        if first is not None and day != first - dt.timedelta(1):
            break
        first = day
    if first is None or first >= fault.start or (run and run[-1] < fault.start
                                                 - dt.timedelta(1)):
        return []
    defects = [d for d in truth["deployments"][service]["defective_deployments"]
               if first - dt.timedelta(28) <= _at(d["created_at"]) < first]
    if not defects:
        return []
    team = scenario.service_team()[service]
    return [("error_rate", service), ("error_count", service),
            ("service_change_failure_rate", service), ("change_failure_rate", team)]


# --------------------------------------------------------------------------- the record

DEFECT_ROOTS = {"change_failure_rate", "service_change_failure_rate", "failed_deployments",
                "deployment_rework_rate"}
ERROR_ROOTS = {"error_count", "error_rate", "availability", "error_budget_remaining",
               "incident_count", "incident_minutes", "mttr_minutes"}
FAULT_ROOTS = {  # root metric -> the fault kinds whose record supports it
    "request_count": {"traffic_surge"},
    "cpu_utilization": {"cpu_saturation", "traffic_surge", "under_provisioning"},
    "latency_p95_ms": {"cpu_saturation", "traffic_surge", "under_provisioning"},
    "capacity_hours": {"over_provisioning", "under_provisioning", "traffic_surge"},
    "cloud_cost": {"over_provisioning", "under_provisioning", "traffic_surge"},
    "idle_cost_share": {"over_provisioning", "under_provisioning"},
    "cost_per_1k_requests": {"over_provisioning", "under_provisioning", "traffic_surge"},
    "ci_flaky_rate": {"flaky_tests"},
    "ci_duration_minutes": {"flaky_tests"},
    "pr_size_lines": {"large_prs"},
    "review_time_hours": {"large_prs"},
    "coding_time_hours": {"large_prs"},
    "first_review_time_hours": {"review_bottleneck", "large_prs"},
    "pickup_time_hours": {"review_bottleneck", "large_prs"},
    # downstream of a delivery fault: a walk that stops there stops early, it invents nothing
    "deploy_time_hours": {"flaky_tests"},
    "ci_success_rate": {"flaky_tests"},
    "change_lead_time_hours": {"review_bottleneck", "large_prs", "flaky_tests"},
}
MONTH_MOVES = {"churned_mrr": "churned", "logo_churn_rate": "churned",
               "contraction_mrr": "contraction", "expansion_mrr": "expansion"}


def _period_end(start: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    return start


def _at(value: Any) -> dt.date:
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC).date()
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


def supported(root: dict[str, Any] | None, scenario: Scenario, truth: dict[str, Any],
              asked_end: dt.date | None = None) -> str:
    """Why the simulator's record supports a root cause (the fact, as a short text), or ""
    when it does not (a false alarm). The root's own period and the walk's lag before it are
    searched, up to the end of the asked period; entities are matched through the scenario's
    org and plans."""
    if root is None:
        return ""
    metric, entity, grain = root["metric"], root["entity"], root.get("grain", "day")
    first = dt.date.fromisoformat(root["period"]) - dt.timedelta(days=LAG_DAYS.get(grain, 2))
    last = max(_period_end(dt.date.fromisoformat(root["period"]), grain),
               asked_end or dt.date.min)
    team_of = scenario.service_team()
    services = {s for s in scenario.services
                if entity in (s, team_of[s], "org")
                or any(p.id == entity and s in p.services for p in scenario.plans)}
    if metric in DEFECT_ROOTS or metric in ERROR_ROOTS:
        for service in sorted(services):
            for deploy in truth["deployments"][service]["defective_deployments"]:
                if first <= _at(deploy["created_at"]) <= last:
                    return f"deployment {deploy['deployment_id']} of {service} shipped a defect"
    if metric in ERROR_ROOTS:
        for service in sorted(services):
            for injection in truth["error_injections"][service]:
                if _at(injection["start"]) <= last and _at(injection["end"]) >= first:
                    return f"errors injected on {service} ({injection['cause']})"
    if metric in FAULT_ROOTS or metric in ERROR_ROOTS:
        for fault in truth["faults"]:
            hit = fault["target"] in services or fault["target"] == entity
            start, end = _at(fault["start"]), _at(fault["end"])
            if hit and start <= last and end >= first and (
                    fault["kind"] in FAULT_ROOTS.get(metric, set())
                    or (metric in ERROR_ROOTS
                        and fault["kind"] in ("cpu_saturation", "traffic_surge",
                                              "under_provisioning"))):
                return f"{fault['kind']} on {fault['target']} from {fault['start']}"
    if metric in ("revenue_at_risk", "sla_adherence", "sla_credits", "availability",
                  "error_budget_remaining"):
        for service in sorted(services):
            days = [d for d in truth["slo_breach_days"].get(service, [])
                    if first <= dt.date.fromisoformat(d) <= last]
            if days:
                return f"{service} breached its SLO on {days[0]}"
    if metric in MONTH_MOVES:
        month = dt.date.fromisoformat(root["period"]).replace(day=1)
        plans = {p.id for p in scenario.plans} if entity == "org" else {entity}
        movement = MONTH_MOVES[metric]
        if movement == "churned":
            moves = [(c["ended_at"], c["cause"]) for c in truth["churned"]
                     if c["plan"] in plans]
        else:
            moves = [(m["at"], m["cause"]) for m in truth["mrr_changes"]
                     if m["plan"] in plans and m["movement"] == movement]
        causes = sorted({cause for at, cause in moves
                         if _at(at).replace(day=1) == month
                         and cause not in ("baseline", "trial")})
        if causes:
            return f"{movement} customers of {sorted(plans)} in {month:%Y-%m}: {causes}"
    return ""
