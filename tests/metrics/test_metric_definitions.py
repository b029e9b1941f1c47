"""One definition per metric id (issue 22, docs/metric-definitions.md), checked on the default
demo warehouse against independent recomputations: lead time and MTTR from the raw tables
(raw_github, raw_incidents and the seeds, with SQL written here, not the models' macros), the
DORA 2024 failure rule against the simulator's ground truth, and both NRRs from the MRR
movements."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def con(default_warehouse: Path):
    connection = duckdb.connect(str(default_warehouse), read_only=True)
    connection.execute("set TimeZone = 'UTC'")
    yield connection
    connection.close()


def metric(con, metric_id: str, entity_type: str) -> dict[tuple[str, dt.date], float]:
    return {(entity, start): value for entity, start, value in con.execute(
        "select entity_id, period_start, value from metrics.metric_values "
        "where metric_id = ? and entity_type = ?", [metric_id, entity_type]).fetchall()}


def assert_same(got: dict, expected: dict, what: str) -> None:
    assert got.keys() == expected.keys(), (what, sorted(got.keys() ^ expected.keys())[:5])
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9), (what, key, got[key], value)


# --------------------------------------------------------------------------- lead time

# A change ships with the first successful production deployment of its repo CREATED after it
# was merged (the simulator and any "deploy main" pipeline deploy the head of main at creation);
# its lead time is first authored commit → that deployment's success status, in whole minutes
# rounded up. Bots (user type Bot) are not changes of the team. Changes merged before a repo's
# first deployment have no known deployment (its change set is unknown).
RAW_LEAD_TIMES = """
with
final_status as (
    select deployment_id, state, cast(created_at as timestamp) as status_at,
        row_number() over (partition by deployment_id order by created_at desc, id desc) as rank
    from raw_github.deployment_statuses
    where state <> 'inactive'
),
production_successes as (
    select deployments.repo_full_name, cast(deployments.created_at as timestamp) as created_at,
        final_status.status_at as finished_at
    from raw_github.deployments
    inner join final_status on final_status.deployment_id = deployments.id and final_status.rank = 1
    where final_status.state = 'success' and deployments.environment = 'production'
),
changes as (
    select repo_full_name, number, cast(merged_at as timestamp) as merged_at
    from raw_github.pull_requests
    where merged_at is not null and coalesce(user__type, '') <> 'Bot'
),
first_commits as (
    select repo_full_name, pull_request_number,
        min(cast(commit__author__date as timestamp)) as first_at
    from raw_github.pull_request_commits
    group by repo_full_name, pull_request_number
),
first_deployments as (
    select repo_full_name, min(created_at) as first_created_at
    from production_successes
    group by repo_full_name
),
shipped as (
    select changes.repo_full_name, changes.number,
        min(production_successes.finished_at) as deployed_at
    from changes
    -- the first deployment of a repo has no known change set: what it shipped is unknown
    inner join first_deployments
        on first_deployments.repo_full_name = changes.repo_full_name
        and changes.merged_at > first_deployments.first_created_at
    inner join production_successes
        on production_successes.repo_full_name = changes.repo_full_name
        and production_successes.created_at > changes.merged_at
    group by changes.repo_full_name, changes.number
)
select services.team_id, cast(date_trunc('week', shipped.deployed_at) as date) as week_start,
    ceil(epoch(shipped.deployed_at - first_commits.first_at) / 60.0) / 60.0 as lead_time_hours
from shipped
inner join first_commits
    on first_commits.repo_full_name = shipped.repo_full_name
    and first_commits.pull_request_number = shipped.number
inner join seeds.repos on repos.repo_full_name = shipped.repo_full_name
inner join seeds.services on services.service_id = repos.service_id
where shipped.deployed_at >= first_commits.first_at
"""


def test_lead_time_is_the_dora_median_recomputed_from_raw_github(con) -> None:
    by_team: dict[tuple[str, dt.date], list[float]] = defaultdict(list)
    by_org: dict[tuple[str, dt.date], list[float]] = defaultdict(list)
    for team, week, hours in con.execute(RAW_LEAD_TIMES).fetchall():
        by_team[(team, week)].append(hours)
        by_org[("org", week)].append(hours)
    assert len(by_org) > 20
    assert_same(metric(con, "change_lead_time_hours", "team"),
                {k: statistics.median(v) for k, v in by_team.items()}, "team lead time")
    assert_same(metric(con, "change_lead_time_hours", "org"),
                {k: statistics.median(v) for k, v in by_org.items()}, "org lead time")


def test_lead_time_is_not_the_sum_of_its_stages(con) -> None:
    """The old definition (sum of the four stage medians) is gone: somewhere they differ."""
    stages = ["coding_time_hours", "pickup_time_hours", "review_time_hours", "deploy_time_hours"]
    parts = [metric(con, s, "org") for s in stages]
    lead = metric(con, "change_lead_time_hours", "org")
    sums = {k: sum(p[k] for p in parts) for k in lead if all(k in p for p in parts)}
    assert sums and any(abs(sums[k] - lead[k]) > 1 for k in sums)


# --------------------------------------------------------------------------- MTTR

RAW_INCIDENTS = """
select services.service_id, services.team_id,
    cast(date_trunc('week', cast(incidents.created_at as timestamp)) as date) as week_start,
    epoch(cast(incidents.resolved_at as timestamp) - cast(incidents.created_at as timestamp)) / 60.0
        as minutes
from raw_incidents.incidents
inner join seeds.services on services.pagerduty_service_id = incidents.service__id
"""


def test_mttr_is_the_median_of_resolved_incidents_recomputed_from_raw(con) -> None:
    rows = con.execute(RAW_INCIDENTS).fetchall()
    resolved = [r for r in rows if r[3] is not None]
    assert resolved
    for entity_type, key in (("service", 0), ("team", 1), ("org", None)):
        groups: dict[tuple[str, dt.date], list[float]] = defaultdict(list)
        for row in resolved:
            groups[(row[key] if key is not None else "org", row[2])].append(row[3])
        assert_same(metric(con, "mttr_minutes", entity_type),
                    {k: statistics.median(v) for k, v in groups.items()}, f"{entity_type} MTTR")


def test_open_incidents_are_open_incident_time_not_zero_minutes(con) -> None:
    open_raw = con.execute(
        "select count(*) from raw_incidents.incidents where resolved_at is null").fetchone()[0]
    open_count, open_minutes = con.execute(
        "select sum(open_incident_count), sum(open_incident_minutes) "
        "from marts.fct_incidents_weekly").fetchone()
    assert open_count == open_raw
    assert (open_minutes > 0) == (open_raw > 0)


# --------------------------------------------------------------------------- failed deployments

def _fault(kind: str, service: str) -> tuple[dt.datetime, dt.datetime]:
    scenario = yaml.safe_load((ROOT / "scenarios" / "default.yaml").read_text())
    fault = next(f for f in scenario["faults"] if f["kind"] == kind and f["service"] == service)
    start = dt.datetime.combine(fault["start"], dt.time())
    return start, start + dt.timedelta(days=fault["days"])


def test_the_cpu_saturation_fails_no_deployment(con) -> None:
    """checkout's CPU saturation (a capacity fault, from Aug 17) pages on checkout for days; the
    deployments made meanwhile were linked to those incidents (DevLake's rule failed them, and
    payments' change failure rate was 60 % that week) but did not cause them."""
    start, end = _fault("cpu_saturation", "checkout")
    links = con.execute("""
        select incident_id, deployment_id, cause_started_at, is_cause_before_deployment,
            fails_deployment
        from marts.fct_incident_deployment_links
        where service_id = 'checkout' and incident_created_at >= ? and incident_created_at < ?
    """, [start, end]).fetchall()
    linked = [link for link in links if link[1] is not None]
    assert len(linked) >= 3, links
    for _incident, _deployment, cause, before, fails in linked:
        assert cause is not None and cause < start + dt.timedelta(hours=12)
        assert before and not fails
    failed_by_incident = con.execute("""
        select count(*) from marts.fct_deployments
        where team_id = 'payments' and finished_at >= ? and finished_at < ?
            and failure_cause in ('incident', 'incident_and_fix')
    """, [start, end]).fetchone()[0]
    assert failed_by_incident == 0
    week = (start - dt.timedelta(days=start.weekday())).date()
    assert metric(con, "change_failure_rate", "team")[("payments", week)] == 0


@pytest.fixture(scope="module")
def truth() -> dict:
    from breadcrumbs.simulator.generate import generate
    from breadcrumbs.simulator.scenario import load_scenario

    return generate(load_scenario(ROOT / "scenarios" / "default.yaml")).truth["deployments"]


def test_injected_bad_deploys_still_fail(con, truth) -> None:
    defective = {str(d["deployment_id"]): d["fault"] for t in truth.values()
                 for d in t["defective_deployments"]}
    assert any(defective.values()), "the scenario's bad_deploy fault shipped"
    failed = {r[0] for r in con.execute(
        "select deployment_id from marts.fct_deployments where is_failed").fetchall()}
    assert set(defective) <= failed, set(defective) - failed


def test_every_failed_deployment_needed_remediation(con) -> None:
    """A fix (rollback, revert or hotfix) or an incident within 24 h that was not under way."""
    rows = con.execute("""
        select deployments.deployment_id, deployments.fixed_by_deployment_id,
            min(links.minutes_since_deployment) as first_incident_minutes,
            bool_or(links.is_cause_before_deployment) as any_under_way
        from marts.fct_deployments as deployments
        left join marts.fct_incident_deployment_links as links
            on links.deployment_id = deployments.deployment_id and links.fails_deployment
        where deployments.is_failed
        group by deployments.deployment_id, deployments.fixed_by_deployment_id
    """).fetchall()
    assert rows
    for deployment, fixed_by, minutes, under_way in rows:
        assert fixed_by is not None or (minutes is not None and minutes <= 24 * 60), deployment
        assert not under_way, deployment


# --------------------------------------------------------------------------- NRR

def _customer_months(con) -> dict[str, dict[dt.date, tuple[str, float]]]:
    months: dict[str, dict[dt.date, tuple[str, float]]] = defaultdict(dict)
    for customer, plan, month, mrr in con.execute(
            "select customer_id, plan_id, month_start, mrr_amount from marts.fct_mrr_movements"
    ).fetchall():
        months[customer][month] = (plan, float(mrr))
    return months


def _months_back(month: dt.date, lag: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - lag
    return dt.date(index // 12, index % 12 + 1, 1)


def _cohort_nrr(customers, lag: int) -> dict[tuple[str, dt.date], float]:
    """The one NRR definition, independently: the customers paying `lag` months back, on the
    plan they were on then (and the org), measured on what they pay in the month (0 if gone)."""
    all_months = sorted({m for c in customers.values() for m in c})
    start: dict[tuple[str, dt.date], float] = defaultdict(float)
    today: dict[tuple[str, dt.date], float] = defaultdict(float)
    for history in customers.values():
        for month in all_months:
            back = _months_back(month, lag)
            if back in history and history[back][1] > 0:
                plan, then = history[back]
                now = history.get(month, ("", 0.0))[1]
                for entity in (plan, "org"):
                    start[(entity, month)] += then
                    today[(entity, month)] += now
    return {k: today[k] / v for k, v in start.items() if v > 0}


def test_nrr_12m_recomputed_from_the_mrr_movements(con) -> None:
    expected = _cohort_nrr(_customer_months(con), 12)
    got = metric(con, "net_revenue_retention_12m", "plan") | metric(
        con, "net_revenue_retention_12m", "org")
    assert_same(got, expected, "12-month NRR")
    # the figure: 89.9 % for October 2026 (monthly NRR 93.1 %)
    assert round(got[("org", dt.date(2026, 10, 1))], 3) == 0.899
    assert round(metric(con, "net_revenue_retention", "org")[("org", dt.date(2026, 10, 1))],
                 3) == 0.931


def test_monthly_nrr_is_the_same_cohort_definition_at_lag_1(con) -> None:
    """Issue 23: one definition; the monthly NRR is the 12-month one with a 1-month lag, in the
    metric and in fct_mrr_monthly (the plan-switch case is the dbt unit tests': the default demo
    has no customer who switches plans)."""
    customers = _customer_months(con)
    expected = _cohort_nrr(customers, 1)
    got = {key: value for key, value in (
        metric(con, "net_revenue_retention", "plan") | metric(con, "net_revenue_retention", "org")
    ).items() if value is not None}
    assert_same(got, expected, "monthly NRR")
    in_mrr_monthly = {(plan, month): value for plan, month, value in con.execute(
        "select plan_id, month_start, net_revenue_retention from marts.fct_mrr_monthly "
        "where net_revenue_retention is not null").fetchall()}
    assert in_mrr_monthly, "fct_mrr_monthly has NRR values"
    for key, value in in_mrr_monthly.items():
        assert value == pytest.approx(expected[key], rel=1e-9), ("fct_mrr_monthly", key)
