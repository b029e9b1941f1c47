"""Evidence at the grain of the effect: before the walk blames a service-level driver for a
month of customer movements (churned, contracted or expanded MRR, logo churn), it asks whether
the customers who moved were exposed to that driver's move, and whether the exposed moved more
than their plans' own rates explain (docs/why-algorithm.md, "Evidence at the grain of the
effect").

Exposed: a customer paying during an SLO breach (fct_revenue_at_risk_service_daily: a service in
breach on a day, for each plan that depends on it) of a service their plan depends on, in the
window the walk searched the driver in. The test compares, plan by plan, the exposed customers
who moved in the month with the plan's own baseline (the pooled months of metric_count_tests):
under "exposure changes nothing", the exposed movers of a plan are a binomial draw from the
plan's baseline movers plus them, in proportion to customers at risk; the plans' draws are
summed exactly. The step is taken only when that one-sided tail is as rare as the walk's driver
z (why_driver_z) and the exposed moved at a higher rate than the unexposed. Small counts cannot
pass: one leaver of a plan that loses one customer every few months is not evidence."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from statistics import NormalDist

from breadcrumbs.warehouse import Warehouse
from breadcrumbs.why.model import Node
from breadcrumbs.why.periods import period_end

TABLES = ("fct_mrr_movements", "fct_revenue_at_risk_service_daily", "metric_count_tests")


@dataclass
class PlanCohort:
    """One plan's customers at risk in the month, split by exposure, and its baseline."""

    plan: str
    exposed: int  # customers at risk (paying at the month's start) who were exposed
    exposed_moved: int
    unexposed: int
    unexposed_moved: int
    baseline_at_risk: int  # customer-months in the plan's baseline window (metric_count_tests)
    baseline_moved: int

    @property
    def rate(self) -> float:
        """The plan's own rate (Jeffreys' posterior mean, as metric_count_tests)."""
        return (self.baseline_moved + 0.5) / (self.baseline_at_risk + 1.0)


@dataclass
class Exposure:
    """The cohort comparison behind (or against) a causal step from customer movements to a
    service-level driver: who was exposed, who moved, and what the plans' rates expect."""

    movement: str  # churned | contraction | expansion
    month: dt.date
    window: tuple[dt.date, dt.date]  # breach days searched (the driver's window)
    services: list[str]  # services in SLO breach in the window
    plans: list[str]  # plans depending on them (in the node's scope)
    cohorts: list[PlanCohort] = field(default_factory=list)
    p_value: float = 1.0  # one-sided: exposed movers at least this many under "no effect"
    z: float = 0.0  # the same tail as a normal z
    passed: bool = False

    @property
    def exposed(self) -> int:
        return sum(c.exposed for c in self.cohorts)

    @property
    def exposed_moved(self) -> int:
        return sum(c.exposed_moved for c in self.cohorts)

    @property
    def expected_exposed(self) -> float:
        return sum(c.exposed * c.rate for c in self.cohorts)

    @property
    def unexposed_moved(self) -> int:
        return sum(c.unexposed_moved for c in self.cohorts)

    @property
    def expected_unexposed(self) -> float:
        return sum(c.unexposed * c.rate for c in self.cohorts)

    @property
    def moved(self) -> int:
        return self.exposed_moved + self.unexposed_moved

    def as_dict(self) -> dict:
        """The JSON object (docs/why.md: `exposure`)."""
        return {
            "movement": self.movement,
            "month": self.month.isoformat(),
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "services": self.services,
            "plans": self.plans,
            "moved": self.moved,
            "exposed": self.exposed,
            "exposed_moved": self.exposed_moved,
            "expected_exposed_moved": round(self.expected_exposed, 4),
            "unexposed_moved": self.unexposed_moved,
            "expected_unexposed_moved": round(self.expected_unexposed, 4),
            "p_value": self.p_value,
            "z": round(self.z, 4),
            "passed": self.passed,
        }


def applies(node: Node) -> bool:
    """Whether the node is a month of customer movements for the org or a plan."""
    return (node.metric.customer_movement is not None  # the catalog's customer_movement
            and node.entity.entity_type in ("org", "plan"))


def customer_exposure(wh: Warehouse, node: Node, window: tuple[dt.date, dt.date],
                      min_z: float) -> Exposure | None:
    """The cohort comparison for a customer-movement node and the SLO breaches in `window`
    (None when the node is not a customer movement or the marts are not there)."""
    if not applies(node) or not all(wh.has(t) for t in TABLES):
        return None
    movement = node.metric.customer_movement
    month = node.period_start.replace(day=1)
    # a breach can only have moved a customer before the month ended
    first, last = window[0], min(window[1], period_end(month, "month"))
    scope, params = "", []
    if node.entity.entity_type == "plan":
        scope, params = " and plan_id = ?", [node.entity.entity_id]
    breaches = wh.rows(
        f"""
        select distinct plan_id, service_id, signal_date
        from {wh.table('fct_revenue_at_risk_service_daily')}
        where signal_date >= ? and signal_date <= ?{scope}
        """,
        [first, last, *params],
    )
    found = Exposure(movement=movement, month=month, window=(first, last),
                     services=sorted({r["service_id"] for r in breaches}),
                     plans=sorted({r["plan_id"] for r in breaches}))
    # customers at risk in the month (paying at its start), whether they moved, and whether
    # they paid in a month with a breach of a service their plan depends on
    rows = wh.rows(
        f"""
        with at_risk as (
            select customer_id, plan_id, movement
            from {wh.table('fct_mrr_movements')}
            where month_start = ? and previous_mrr_amount > 0{scope}
        ),

        breach_months as (
            select distinct
                plan_id,
                cast(date_trunc('month', signal_date) as date) as month_start
            from {wh.table('fct_revenue_at_risk_service_daily')}
            where signal_date >= ? and signal_date <= ?
        ),

        exposed as (
            select distinct paid.customer_id
            from {wh.table('fct_mrr_movements')} as paid
            inner join breach_months
                on paid.plan_id = breach_months.plan_id
                and paid.month_start = breach_months.month_start
            where paid.mrr_amount > 0
        )

        select
            at_risk.plan_id,
            exposed.customer_id is not null as is_exposed,
            count(*) as customers,
            sum(case when at_risk.movement = ? then 1 else 0 end) as moved
        from at_risk
        left join exposed on at_risk.customer_id = exposed.customer_id
        group by at_risk.plan_id, exposed.customer_id is not null
        order by at_risk.plan_id
        """,
        [month, *params, first, last, movement],
    )
    baselines = {
        r["entity_id"]: r for r in wh.rows(
            f"""
            select entity_id, baseline_customers_at_risk, baseline_moved_customers
            from {wh.table('metric_count_tests')}
            where metric_id = ? and entity_type = 'plan' and period_start = ?
            """,
            [node.metric.metric_id, month],
        )
    }
    cohorts: dict[str, PlanCohort] = {}
    for r in rows:
        base = baselines.get(r["plan_id"]) or {}
        cohort = cohorts.setdefault(r["plan_id"], PlanCohort(
            r["plan_id"], 0, 0, 0, 0, int(base.get("baseline_customers_at_risk") or 0),
            int(base.get("baseline_moved_customers") or 0)))
        if r["is_exposed"]:
            cohort.exposed, cohort.exposed_moved = int(r["customers"]), int(r["moved"])
        else:
            cohort.unexposed, cohort.unexposed_moved = int(r["customers"]), int(r["moved"])
    found.cohorts = [cohorts[p] for p in sorted(cohorts)]
    judge(found, min_z)
    return found


def judge(found: Exposure, min_z: float) -> None:
    """Set the test's tail, z and verdict on an Exposure whose cohorts are filled."""
    found.p_value = exposed_tail(found.cohorts)
    found.z = tail_z(found.p_value)
    exposed_ratio = found.exposed_moved / max(found.expected_exposed, 1e-9)
    unexposed_ratio = (found.unexposed_moved / found.expected_unexposed
                       if found.expected_unexposed > 0 else 0.0)
    found.passed = (found.exposed_moved > 0 and found.z >= min_z
                    and exposed_ratio > unexposed_ratio)


def exposed_tail(cohorts: list[PlanCohort]) -> float:
    """P(exposed movers >= observed) if exposure changed nothing: per plan, given the plan's
    exposed movers plus its baseline movers, each mover is exposed with probability
    exposed / (exposed + baseline customers at risk) (two Poisson counts at one rate); the
    plans' binomials are summed exactly. 1.0 when nobody exposed moved."""
    observed = sum(c.exposed_moved for c in cohorts)
    if observed == 0:
        return 1.0
    dist = [1.0]
    for c in cohorts:
        if c.exposed == 0:
            continue
        trials = c.exposed_moved + c.baseline_moved
        share = c.exposed / (c.exposed + c.baseline_at_risk)
        pmf = [math.comb(trials, k) * share ** k * (1 - share) ** (trials - k)
               for k in range(trials + 1)]
        out = [0.0] * (len(dist) + len(pmf) - 1)
        for i, a in enumerate(dist):
            for j, b in enumerate(pmf):
                out[i + j] += a * b
        dist = out
    return max(0.0, min(1.0, sum(dist[observed:])))


def tail_z(p_value: float) -> float:
    """A one-sided tail probability as a normal z (capped at ±10). Computed as -Φ⁻¹(p), not
    Φ⁻¹(1 - p): below 1.1e-16 `1 - p` rounds to 1.0, where Φ⁻¹ is undefined (a mover count far
    out of line, as the 4 × benchmark org produced, stopped the walk)."""
    p_value = min(max(p_value, 1e-300), 1.0 - 1e-15)
    return max(-10.0, min(10.0, -NormalDist().inv_cdf(p_value) + 0.0))  # no -0.0


# -- deployments → the service's errors --------------------------------------------------------

DEFECT_HOURS = 6  # a defect shows in the service's errors within hours of its deployment
DEPLOY_DRIVERS = {"change_failure_rate", "service_change_failure_rate"}
ERROR_METRICS = {"error_count", "error_rate"}


@dataclass
class DeployCheck:
    """Whether a failed deployment of the service was followed by its errors: the errors of the
    DEFECT_HOURS hours after it finished against the same hours before it (requests-weighted)."""

    service: str
    deployments: list[str]  # failed deployments of the service in the window
    best: str | None = None  # the one whose errors rose most
    before: int = 0  # errors in the hours before it
    after: int = 0
    expected_after: float = 0.0  # the hours before's error rate on the hours after's requests
    z: float = 0.0
    passed: bool = False

    def text(self) -> str:
        """The clause `why` prints when the check fails."""
        if not self.deployments:
            return (f"no deployment of {self.service} failed in the window, so its errors were "
                    "not exposed to one")
        return (f"the errors of {self.service} did not rise in the {DEFECT_HOURS} hours after "
                f"any of its failed deployments ({', '.join(self.deployments)}; at most "
                f"{self.after} errors after {self.best} where the hours before it expect "
                f"{self.expected_after:.0f}): the deployment did not start them")


@dataclass(frozen=True)
class FailedDeployment:
    """A failed deployment of a service, with the service's errors and requests in the
    DEFECT_HOURS hours before it finished and in the DEFECT_HOURS hours from then on."""

    deployment_id: str
    finished_at: dt.datetime
    errors_before: int
    requests_before: float
    errors_after: int
    requests_after: float


def failed_deployments(wh: Warehouse, service: str | None = None
                       ) -> dict[str, list[FailedDeployment]] | None:
    """Every failed deployment of `service`, or of every service (one query for a batch of
    walks), by service and in deployment id order; None when the marts are not there."""
    if not wh.has("fct_deployments") or not wh.has("fct_service_signals_hourly"):
        return None
    # each deployment's hours by equality on the hour (the mart's hour_at is a whole hour):
    # the 2 * DEFECT_HOURS + 1 whole hours around its finish, then the exact range, so the
    # join stays linear in the history (a range join on the service alone pairs every failed
    # deployment with every hour of its service)
    offsets = ", ".join(f"({k})" for k in range(-DEFECT_HOURS, DEFECT_HOURS + 1))
    rows = wh.rows(
        f"""
        with failed as (
            select service_id, cast(deployment_id as varchar) as deployment_id, finished_at
            from {wh.table('fct_deployments')}
            where is_failed and finished_at is not null
                {"and service_id = ?" if service is not None else ""}
        ),

        candidate_hours as (
            select
                failed.service_id,
                failed.deployment_id,
                failed.finished_at,
                date_trunc('hour', failed.finished_at) + offsets.k * interval '1 hour'
                    as hour_at
            from failed
            cross join (values {offsets}) as offsets (k)
        )

        select
            candidate_hours.service_id,
            candidate_hours.deployment_id,
            candidate_hours.finished_at,
            sum(case when hours.hour_at < candidate_hours.finished_at
                then hours.error_count else 0 end) as errors_before,
            sum(case when hours.hour_at < candidate_hours.finished_at
                then hours.request_count else 0 end) as requests_before,
            sum(case when hours.hour_at >= candidate_hours.finished_at
                then hours.error_count else 0 end) as errors_after,
            sum(case when hours.hour_at >= candidate_hours.finished_at
                then hours.request_count else 0 end) as requests_after
        from candidate_hours
        left join {wh.table('fct_service_signals_hourly')} as hours
            on hours.service_id = candidate_hours.service_id
            and hours.hour_at = candidate_hours.hour_at
            and hours.hour_at >= candidate_hours.finished_at - interval '{DEFECT_HOURS} hours'
            and hours.hour_at < candidate_hours.finished_at + interval '{DEFECT_HOURS} hours'
        group by
            candidate_hours.service_id, candidate_hours.deployment_id,
            candidate_hours.finished_at
        order by
            candidate_hours.service_id, candidate_hours.deployment_id,
            candidate_hours.finished_at
        """,
        [service] if service is not None else [],
    )
    found: dict[str, list[FailedDeployment]] = {} if service is None else {service: []}
    for r in rows:
        found.setdefault(r["service_id"], []).append(FailedDeployment(
            deployment_id=r["deployment_id"],
            finished_at=r["finished_at"],
            errors_before=int(r["errors_before"] or 0),
            requests_before=float(r["requests_before"] or 0),
            errors_after=int(r["errors_after"] or 0),
            requests_after=float(r["requests_after"] or 0),
        ))
    return found


def checks_deployments(node: Node) -> bool:
    """Whether the deployment check applies to the node: a service's error metric."""
    return node.metric.metric_id in ERROR_METRICS and node.entity.entity_type == "service"


def deployment_check(node: Node, window: tuple[dt.date, dt.date], min_z: float,
                     deployments: list[FailedDeployment]) -> DeployCheck:
    """For a service's error metric and a deployment-failure driver: did the errors rise in the
    hours after one of the service's failed deployments (`deployments`, failed_deployments) that
    finished in the window?"""
    first = dt.datetime.combine(window[0], dt.time())
    last = dt.datetime.combine(window[1], dt.time()) + dt.timedelta(days=1)
    in_window = [d for d in deployments if first <= d.finished_at < last]
    check = DeployCheck(node.entity.entity_id, [d.deployment_id for d in in_window])
    for d in in_window:
        # the hours before's rate (half an error of prior when there were none) on the requests
        # after: one-sided Poisson tail of the errors after
        rate = (d.errors_before + 0.5) / max(d.requests_before, 1.0)
        expected = max(rate * d.requests_after, 1e-9)
        z = poisson_z(d.errors_after, expected)
        if check.best is None or z > check.z:
            check.best, check.before, check.after = d.deployment_id, d.errors_before, d.errors_after
            check.expected_after, check.z = expected, z
    check.passed = check.best is not None and check.z >= min_z
    return check


def poisson_z(observed: int, expected: float) -> float:
    """The one-sided Poisson tail P(X >= observed | expected) as a normal z, Wilson-Hilferty (the
    project's count test: macros/poisson_tail_z.sql), capped at ±10."""
    if observed <= 0:
        return max(-10.0, -math.sqrt(expected))
    z = 3.0 * math.sqrt(observed) * (1.0 - 1.0 / (9.0 * observed)
                                     - (expected / observed) ** (1.0 / 3.0))
    return max(-10.0, min(10.0, z))
