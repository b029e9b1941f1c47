"""Delivery marts on the small demo warehouse (built through the real pipelines): values, not
just "it ran". Ground truth from the simulator (which defects it shipped, which deployments
were hotfixes) is read here, in a test, never by the models."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from tests.paths import ROOT


@pytest.fixture(scope="module")
def con(small_warehouse: Path):
    connection = duckdb.connect(str(small_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def truth() -> dict:
    from breadcrumbs.simulator.generate import generate
    from breadcrumbs.simulator.scenario import load_scenario

    return generate(load_scenario(ROOT / "scenarios" / "small.yaml")).truth["deployments"]


def test_every_shipped_defect_is_a_failed_deployment_and_every_hotfix_is_rework(con, truth):
    defective = {str(d["deployment_id"]) for t in truth.values()
                 for d in t["defective_deployments"]}
    hotfixes = {str(d) for t in truth.values() for d in t["hotfix_deployments"]}
    assert defective and hotfixes
    failed = {r[0] for r in con.execute(
        "select deployment_id from marts.fct_deployments where is_failed").fetchall()}
    rework = {r[0] for r in con.execute(
        "select deployment_id from marts.fct_deployments where is_rework").fetchall()}
    assert defective <= failed, defective - failed
    assert rework == hotfixes


def test_team_weeks_are_dense_mondays_with_zero_counts(con):
    teams = con.execute("select count(*) from seeds.teams").fetchone()[0]
    weeks = [r[0] for r in con.execute(
        "select distinct week_start from marts.fct_delivery_team_weekly order by 1").fetchall()]
    rows = con.execute("select count(*) from marts.fct_delivery_team_weekly").fetchone()[0]
    assert rows == teams * len(weeks)
    assert all(w.weekday() == 0 for w in weeks)
    assert all(b - a == timedelta(days=7) for a, b in zip(weeks, weeks[1:], strict=False))
    nulls = con.execute("""
        select count(*) from marts.fct_delivery_team_weekly
        where deployment_count is null or merged_pull_request_count is null
            or ci_run_count is null or failed_deployment_count is null
    """).fetchone()[0]
    assert nulls == 0


def test_org_rollup_adds_up_the_teams(con):
    diff = con.execute("""
        select count(*)
        from marts.fct_delivery_org_weekly as org
        inner join (
            select week_start, sum(deployment_count) as deployments,
                sum(merged_pull_request_count) as merged, sum(ci_run_count) as runs
            from marts.fct_delivery_team_weekly group by week_start
        ) as teams using (week_start)
        where org.deployment_count <> teams.deployments or org.merged_pull_request_count
            <> teams.merged or org.ci_run_count <> teams.runs
    """).fetchone()[0]
    assert diff == 0


def test_one_weekly_mart_keyed_by_entity_and_its_former_names_are_its_rows(con):
    """fct_delivery_weekly holds the team and the org rows (docs/marts.md); the former team and
    org marts are exactly its rows, so analysts' queries on them keep their answers."""
    kinds = dict(con.execute(
        "select entity_type, count(*) from marts.fct_delivery_weekly group by 1").fetchall())
    assert set(kinds) == {"team", "org"} and kinds["team"] > kinds["org"] > 0
    assert con.execute(
        "select count(*) from marts.fct_delivery_weekly where entity_type = 'org' "
        "and entity_id <> 'org'").fetchone()[0] == 0
    for former, rows in (
        ("fct_delivery_team_weekly", "select * exclude (entity_type) "
                                     "from marts.fct_delivery_weekly where entity_type = 'team'"),
        ("fct_delivery_org_weekly", "select * exclude (entity_type, entity_id) "
                                    "from marts.fct_delivery_weekly where entity_type = 'org'"),
    ):
        for left, right in ((f"select * from marts.{former}", rows),
                            (rows, f"select * from marts.{former}")):
            extra = con.execute(f"select count(*) from ({left} except all {right})").fetchone()[0]
            assert extra == 0, former


def test_delivery_values_are_plausible(con):
    cfr, rework = con.execute("""
        select sum(failed_deployment_count) / sum(deployment_count),
            sum(rework_deployment_count) / sum(deployment_count)
        from marts.fct_delivery_org_weekly
    """).fetchone()
    assert 0.02 <= cfr <= 0.35 and 0 < rework <= cfr
    lead_hours = con.execute("""
        select median(lead_time_minutes) / 60 from marts.fct_pull_requests
        where lead_time_minutes is not null
    """).fetchone()[0]
    assert 1 <= lead_hours <= 24 * 7
    success, flaky = con.execute("""
        select avg(case when is_success then 1 else 0 end),
            avg(case when is_flaky then 1 else 0 end)
        from marts.fct_ci_runs where is_completed
    """).fetchone()
    assert 0.8 <= success <= 1 and 0 < flaky < 0.2


def test_cycle_time_is_the_sum_of_its_parts(con):
    """cycle = coding + (merged - opened) + deploy, and lead time ~ the same span measured
    from the first commit (each part rounded up separately: a few minutes apart at most)."""
    bad = con.execute("""
        select count(*) from marts.fct_pull_requests
        where coding_minutes is not null and deploy_minutes is not null
            and abs(lead_time_minutes - cycle_minutes) > 3
    """).fetchone()[0]
    assert bad == 0
    negative = con.execute("""
        select count(*) from marts.fct_pull_requests
        where least(coding_minutes, pickup_minutes, review_minutes, deploy_minutes) < 0
    """).fetchone()[0]
    assert negative == 0


def test_incidents_link_to_an_earlier_deployment_of_their_own_service(con):
    wrong = con.execute("""
        select count(*)
        from marts.fct_incident_deployment_links as links
        inner join marts.fct_deployments as deployments using (deployment_id)
        where deployments.service_id <> links.service_id
            or deployments.finished_at >= links.incident_created_at
            or not deployments.is_successful
    """).fetchone()[0]
    assert wrong == 0
    assert con.execute(
        "select count(*) from marts.fct_incident_deployment_links where is_linked"
    ).fetchone()[0] > 0
