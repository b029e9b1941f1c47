"""DevLake DORA conformance: Breadcrumbs' delivery rules, run over DevLake's own e2e fixtures,
must reproduce DevLake's expected outputs row by row where the two systems' rules agree, and
differ exactly where Breadcrumbs deliberately differs (incidents scoped to the service they
hit, not the whole project).

Each test builds tiny DuckDB tables from the fixture CSVs (tests/conformance/devlake.py),
renders a query that calls the same macros the dbt models call (macros/delivery_rules.sql)
through dbt, runs it and compares every row and column. Counts of matched rows are asserted
(and printed with `pytest -s`).
"""

from __future__ import annotations

import duckdb
import pytest
from devlake_fixtures import (
    DEPLOYMENT_COLUMNS,
    blank_to_none,
    create_table,
    deployment_rows,
    project_of,
    query,
    read_csv,
    ts,
)

# --------------------------------------------------------------------------- prev success

PREVIOUS_SUCCESS_SQL = """
select
    deployments.deployment_id,
    previous_success.previous_success_deployment_id
from deployments
left join (
    {{ delivery_previous_success_deployments(
        'deployments', ['cicd_scope_id', 'repo_url', 'environment']
    ) }}
) as previous_success
    on deployments.deployment_id = previous_success.deployment_id
"""


def test_previous_success_deployment_matches_devlake(dora_dir, renderer):
    """All 16 deployments get DevLake's previous successful deployment (or none)."""
    folder = dora_dir / "prev_success_deployment_commit"
    before = read_csv(folder / "cicd_deployment_commits_before.csv")
    after = {row["id"]: blank_to_none(row["prev_success_deployment_commit_id"])
             for row in read_csv(folder / "cicd_deployment_commits_after.csv")}
    mapping = read_csv(folder / "project_mapping.csv")
    con = duckdb.connect()
    create_table(con, "deployments", DEPLOYMENT_COLUMNS, deployment_rows(before, mapping))

    got = {row["deployment_id"]: row["previous_success_deployment_id"]
           for row in query(con, renderer.render(PREVIOUS_SUCCESS_SQL))}

    assert len(after) == 16
    mismatches = {k: (got.get(k), v) for k, v in after.items() if got.get(k) != v}
    assert not mismatches, f"(breadcrumbs, devlake) differ: {mismatches}"
    matched = sum(got.get(k) == v for k, v in after.items())
    print(f"prev_success_deployment_commit: {matched}/16 rows match DevLake")
    assert matched == 16


# --------------------------------------------------------------------------- lead time

CHANGE_LEAD_TIME_SQL = """
with

previous_success as (
    {{ delivery_previous_success_deployments(
        'deployments', ['cicd_scope_id', 'repo_url', 'environment']
    ) }}
),

deployment_commits as (
    select
        deployments.deployment_id,
        deployments.repo_full_name,
        commits_diffs.commit_sha
    from deployments
    inner join previous_success
        on deployments.deployment_id = previous_success.deployment_id
    inner join deployments as previous_deployments
        on previous_success.previous_success_deployment_id = previous_deployments.deployment_id
    inner join commits_diffs
        on
            deployments.commit_sha = commits_diffs.new_commit_sha
            and previous_deployments.commit_sha = commits_diffs.old_commit_sha
),

merged_pull_requests as (
    select pull_request_id, repo_full_name, merge_commit_sha
    from pull_requests
    where merged_at is not null
),

first_commits as (
    {{ delivery_first_commits('pull_request_commits') }}
),

first_reviews as (
    {{ delivery_first_reviews('pull_requests', 'reviews') }}
),

first_review_times as (
    {{ delivery_first_review_times('pull_requests', 'reviews', [('first_review_at', none)]) }}
),

shipped as (
    {{ delivery_pull_request_deployments(
        'merged_pull_requests', 'deployment_commits', 'deployments'
    ) }}
),

joined as (
    select
        pull_requests.pull_request_id,
        pull_requests.repo_full_name,
        first_commits.first_commit_sha,
        first_commits.first_commit_authored_at,
        first_reviews.review_id as first_review_id,
        first_review_times.first_review_at,
        pull_requests.created_at,
        pull_requests.merged_at,
        shipped.deployment_id,
        shipped.deployed_at
    from pull_requests
    left join first_commits on pull_requests.pull_request_id = first_commits.pull_request_id
    left join first_reviews on pull_requests.pull_request_id = first_reviews.pull_request_id
    left join first_review_times
        on pull_requests.pull_request_id = first_review_times.pull_request_id
    left join shipped on pull_requests.pull_request_id = shipped.pull_request_id
)

select
    joined.pull_request_id,
    joined.repo_full_name,
    joined.first_commit_sha,
    joined.first_commit_authored_at,
    joined.first_review_id,
    joined.first_review_at,
    joined.created_at,
    joined.merged_at,
    joined.deployment_id,
    joined.deployed_at,
    {{ delivery_pull_request_time_columns('joined') }}
from joined
where joined.merged_at is not null
"""

# DevLake column -> (Breadcrumbs column, parser of the expected cell)
PR_METRIC_COLUMNS = {
    "project_name": ("repo_full_name", blank_to_none),
    "first_commit_sha": ("first_commit_sha", blank_to_none),
    "pr_coding_time": ("coding_minutes", lambda v: None if v == "" else int(v)),
    "first_review_id": ("first_review_id", blank_to_none),
    "pr_pickup_time": ("pickup_minutes", lambda v: None if v == "" else int(v)),
    "pr_review_time": ("review_minutes", lambda v: None if v == "" else int(v)),
    "deployment_commit_id": ("deployment_id", blank_to_none),
    "pr_deploy_time": ("deploy_minutes", lambda v: None if v == "" else int(v)),
    "pr_cycle_time": ("cycle_minutes", lambda v: None if v == "" else int(v)),
    "first_commit_authored_date": ("first_commit_authored_at", ts),
    "first_comment_date": ("first_review_at", ts),
    "pr_created_date": ("created_at", ts),
    "pr_merged_date": ("merged_at", ts),
    "pr_deployed_date": ("deployed_at", ts),
}


def load_change_lead_time(con: duckdb.DuckDBPyConnection, folder) -> None:
    """DevLake's change_lead_time inputs as the macros' input tables (project = scope)."""
    mapping = read_csv(folder / "project_mapping.csv")
    prs = [{
        "pull_request_id": r["id"],
        "repo_full_name": project_of(mapping, "repos", r["base_repo_id"]),
        "author_key": blank_to_none(r["author_id"]),
        "merge_commit_sha": blank_to_none(r["merge_commit_sha"]),
        "created_at": ts(r["created_date"]), "merged_at": ts(r["merged_date"]),
    } for r in read_csv(folder / "pull_requests.csv")]
    create_table(con, "pull_requests", {
        "pull_request_id": "varchar", "repo_full_name": "varchar", "author_key": "varchar",
        "merge_commit_sha": "varchar", "created_at": "timestamp", "merged_at": "timestamp",
    }, prs)
    create_table(con, "pull_request_commits", {
        "pull_request_id": "varchar", "commit_sha": "varchar", "authored_at": "timestamp",
    }, [{"pull_request_id": r["pull_request_id"], "commit_sha": r["commit_sha"],
         "authored_at": ts(r["commit_authored_date"])}
        for r in read_csv(folder / "pull_request_commits.csv")])
    create_table(con, "reviews", {
        "pull_request_id": "varchar", "review_id": "varchar", "reviewer_key": "varchar",
        "is_bot": "boolean", "state": "varchar", "submitted_at": "timestamp",
    }, [{"pull_request_id": r["pull_request_id"], "review_id": r["id"],
         "reviewer_key": blank_to_none(r["account_id"]), "is_bot": False,
         "state": "COMMENTED", "submitted_at": ts(r["created_date"])}
        for r in read_csv(folder / "pull_request_comments.csv")])
    create_table(con, "deployments", DEPLOYMENT_COLUMNS,
                 deployment_rows(read_csv(folder / "cicd_deployment_commits.csv"), mapping))
    create_table(con, "commits_diffs", {
        "old_commit_sha": "varchar", "new_commit_sha": "varchar", "commit_sha": "varchar",
    }, [{k: blank_to_none(v) for k, v in r.items()}
        for r in read_csv(folder / "commits_diffs.csv")])


def test_change_lead_time_matches_devlake(dora_dir, renderer):
    """All 6 merged PRs: every time column of project_pr_metrics.csv, cell by cell."""
    folder = dora_dir / "change_lead_time"
    con = duckdb.connect()
    load_change_lead_time(con, folder)
    got = {row["pull_request_id"]: row
           for row in query(con, renderer.render(CHANGE_LEAD_TIME_SQL))}
    expected = read_csv(folder / "project_pr_metrics.csv")

    assert len(expected) == 6
    assert sorted(got) == sorted(row["id"] for row in expected), "same merged PRs (pr6 is open)"
    mismatches, matched_rows, matched_cells = [], 0, 0
    for row in expected:
        ours = got[row["id"]]
        row_ok = True
        for devlake_column, (column, parse) in PR_METRIC_COLUMNS.items():
            want = parse(row[devlake_column])
            if ours[column] == want:
                matched_cells += 1
            else:
                row_ok = False
                mismatches.append((row["id"], devlake_column, ours[column], want))
        matched_rows += row_ok
    assert not mismatches, f"(pr, column, breadcrumbs, devlake): {mismatches}"
    print(f"change_lead_time: {matched_rows}/6 PRs, {matched_cells}/{6 * len(PR_METRIC_COLUMNS)}"
          " cells match DevLake")
    assert matched_rows == 6


def test_cycle_time_edge_cases_in_devlake_fixture(dora_dir, renderer):
    """The fixture's edge cases, named: negative spans are null, the author's own comment is
    not a review, the first deployment has no range, staging and failed deploys don't count."""
    con = duckdb.connect()
    load_change_lead_time(con, dora_dir / "change_lead_time")
    got = {r["pull_request_id"]: r for r in query(con, renderer.render(CHANGE_LEAD_TIME_SQL))}
    assert got["pr0"]["first_review_id"] is None          # only the author commented
    assert got["pr0"]["deployment_id"] is None            # shipped by a first deployment
    assert got["pr2"]["coding_minutes"] is None           # first commit after the PR opened
    assert got["pr3"]["pickup_minutes"] is None           # comment before the PR opened
    assert got["pr3"]["deploy_minutes"] is None           # deployed before merged
    assert got["pr4"]["review_minutes"] is None           # reviewed after merge
    assert got["pr4"]["deployment_id"] is None            # only reached STAGING
    assert got["pr5"]["deployment_id"] is None            # its deployment FAILED
    assert got["pr2"]["pickup_minutes"] == 1              # 2 seconds round up to a minute


# --------------------------------------------------------------------------- incidents

INCIDENT_LINKS_SQL = """
select
    links.incident_id,
    links.deployment_id,
    deployments.cicd_deployment_id,
    deployments.service_id,
    links.minutes_since_deployment
from (
    {{ delivery_incident_deployment_links('incidents', 'deployments') }}
) as links
left join deployments
    on links.deployment_id = deployments.deployment_id
"""


def incident_links(dora_dir, renderer, service_of_scope=None, service_of_incident=None,
                   sql=INCIDENT_LINKS_SQL, dbt_vars=None):
    """Run the link rule (or `sql` over the same tables) over the fixture; scopes map to
    projects unless overridden."""
    folder = dora_dir / "connect_incident_to_deployment"
    mapping = read_csv(folder / "raw_tables" / "project_mapping.csv")
    deployments = read_csv(folder / "prev_success_deployment_commit"
                           / "cicd_deployment_commits_after.csv")
    incidents = [{
        "incident_id": r["id"],
        "service_id": (service_of_incident(r) if service_of_incident
                       else project_of(mapping, r["table"], r["scope_id"])),
        "created_at": ts(r["created_date"]),
    } for r in read_csv(folder / "raw_tables" / "incidents.csv")]
    con = duckdb.connect()
    create_table(con, "incidents", {"incident_id": "varchar", "service_id": "varchar",
                                    "created_at": "timestamp"}, incidents)
    create_table(con, "deployments", DEPLOYMENT_COLUMNS,
                 deployment_rows(deployments, mapping, service_of_scope))
    return {r["incident_id"]: r for r in query(con, renderer.render(sql, dbt_vars))}


def test_incident_links_match_devlake_when_scoped_to_the_project(dora_dir, renderer):
    """With DevLake's scope (the project) every one of its 6 links is reproduced, and the
    incident on an unmapped repo (repo3) is unlinked, as in DevLake's output."""
    folder = dora_dir / "connect_incident_to_deployment"
    expected = read_csv(folder / "snapshot_tables"
                        / "project_incident_deployment_relationships.csv")
    got = incident_links(dora_dir, renderer)

    assert len(expected) == 6
    matched = 0
    for row in expected:
        ours = got[row["id"]]
        assert (ours["cicd_deployment_id"], ours["service_id"]) == (
            row["deployment_id"], row["project_name"]), row["id"]
        matched += 1
    linked = {k for k, v in got.items() if v["deployment_id"] is not None}
    assert linked == {row["id"] for row in expected}, "no links DevLake does not make"
    assert got["github:GithubIssue:1:1373792477"]["deployment_id"] is None  # repo3: no project
    print(f"connect_incident_to_deployment: {matched}/6 links match DevLake")


# Breadcrumbs' deliberate difference: an incident is linked to a deployment of the SERVICE
# it hit. Give each cicd scope its own service and each incident scope the service it hit:
SERVICE_OF_SCOPE = {"cicd1": "search", "cicd2": "checkout", "cicd3": "gateway"}
SERVICE_OF_INCIDENT_SCOPE = {"repo1": "checkout", "repo2": "search", "board1": "search"}


def test_incident_links_are_scoped_to_the_service_hit(dora_dir, renderer):
    """Same fixture, service scoping: where the project's latest deployment is of the service
    the incident hit, Breadcrumbs agrees with DevLake (3 rows); otherwise it links the
    latest deployment of that service instead (3 rows, asserted explicitly)."""
    folder = dora_dir / "connect_incident_to_deployment"
    expected = {r["id"]: r["deployment_id"] for r in read_csv(
        folder / "snapshot_tables" / "project_incident_deployment_relationships.csv")}
    got = incident_links(
        dora_dir, renderer, service_of_scope=SERVICE_OF_SCOPE.get,
        service_of_incident=lambda r: SERVICE_OF_INCIDENT_SCOPE.get(r["scope_id"]))

    agree = {"github:GithubIssue:1:1367714738", "github:GithubIssue:1:1370816458",
             "github:GithubIssue:1:1371320153"}  # repo1 -> checkout, pipeline7 is checkout's
    differ = {
        # repo2 -> search: DevLake blames checkout's pipeline7; search last shipped pipeline6
        "github:GithubIssue:1:1372381019": "pipeline6",
        "github:GithubIssue:1:1372644519": "pipeline6",
        # board1 -> search on 2022-09-15: DevLake blames checkout's pipeline2; search's last
        # successful production deployment before it was pipeline1
        "github:GithubIssue:1:1373792478": "pipeline1",
    }
    for incident in agree:
        assert got[incident]["cicd_deployment_id"] == expected[incident] == "pipeline7"
    for incident, deployment in differ.items():
        assert got[incident]["service_id"] == "search"
        assert got[incident]["cicd_deployment_id"] == deployment != expected[incident]
    assert got["github:GithubIssue:1:1373792477"]["deployment_id"] is None  # repo3: no service
    print(f"connect_incident_to_deployment (service scope): {len(agree)}/6 agree with DevLake, "
          f"{len(differ)} deliberately differ")


def test_incident_link_minutes_between(dora_dir, renderer):
    """Evidence: minutes from the deployment's finish to the incident, rounded up."""
    got = incident_links(dora_dir, renderer)
    # board1 incident 2022-09-15 01:56:16, deployment 3 finished 2022-09-14 06:51:47
    assert got["github:GithubIssue:1:1373792478"]["deployment_id"] == "3"
    assert got["github:GithubIssue:1:1373792478"]["minutes_since_deployment"] == 1145


# --------------------------------------------------------------------------- failures

# Which linked incidents count as their deployment's failure (the change failure rate's
# numerator). The fixture has no signals: no incident has a cause already under way.
FAILURE_SQL = """
select
    links.incident_id,
    links.deployment_id,
    links.minutes_since_deployment,
    {{ delivery_incident_fails_deployment('links') }} as fails_deployment
from (
    select
        raw_links.*,
        deployments.started_at as deployment_started_at,
        cast(null as timestamp) as cause_started_at
    from ({{ delivery_incident_deployment_links('incidents', 'deployments') }}) as raw_links
    left join deployments
        on raw_links.deployment_id = deployments.deployment_id
) as links
"""


def test_under_devlakes_rule_every_devlake_link_fails_its_deployment(dora_dir, renderer):
    """`delivery_failure_rule: devlake` (this suite's rule): each of DevLake's 6 incident links
    makes its deployment a failed one, whatever the time between; nothing else fails."""
    assert renderer.dbt_vars["delivery_failure_rule"] == "devlake"
    folder = dora_dir / "connect_incident_to_deployment"
    expected = {r["id"] for r in read_csv(folder / "snapshot_tables"
                                          / "project_incident_deployment_relationships.csv")}
    got = incident_links(dora_dir, renderer, sql=FAILURE_SQL)
    assert {k for k, v in got.items() if v["fails_deployment"]} == expected
    assert max(got[k]["minutes_since_deployment"] for k in expected) > 24 * 60


def test_the_default_rule_keeps_only_incidents_within_the_window(dora_dir, renderer):
    """The default (DORA 2024 remediation) rule on the same links: only incidents that started
    within `delivery_failure_window_hours` (24 h) of the deployment fail it; the window is a
    var (48 h widens it)."""
    got = incident_links(dora_dir, renderer, sql=FAILURE_SQL,
                         dbt_vars={"delivery_failure_rule": "remediation"})
    linked = {k: v["minutes_since_deployment"] for k, v in got.items()
              if v["deployment_id"] is not None}
    within = {k for k, m in linked.items() if m <= 24 * 60}
    assert within and within != set(linked), linked
    assert {k for k, v in got.items() if v["fails_deployment"]} == within
    wider = incident_links(dora_dir, renderer, sql=FAILURE_SQL, dbt_vars={
        "delivery_failure_rule": "remediation", "delivery_failure_window_hours": 48})
    assert {k for k, v in wider.items() if v["fails_deployment"]} == {
        k for k, m in linked.items() if m <= 48 * 60}


def test_an_unknown_failure_rule_stops_the_compile(dora_dir, renderer):
    """Only `remediation` and `devlake` compile (the macro raises a compiler error naming the
    var and both values; dbt's inline compile reports it as a parse error)."""
    assert "fails_deployment" in renderer.render(FAILURE_SQL, {"delivery_failure_rule": "devlake"})
    with pytest.raises(RuntimeError, match="could not compile"):
        renderer.render(FAILURE_SQL, {"delivery_failure_rule": "strict"})


@pytest.mark.parametrize("folder", ["change_lead_time", "connect_incident_to_deployment",
                                    "prev_success_deployment_commit"])
def test_fixture_folders_present(dora_dir, folder):
    """The three folders the conformance suite reads exist (a moved fixture fails loudly)."""
    assert (dora_dir / folder).is_dir()
