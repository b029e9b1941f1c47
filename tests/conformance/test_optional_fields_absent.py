"""Nothing optional breaks the build: the small scenario with every field GitHub's and
PagerDuty's descriptions mark optional removed, every nullable one null and every list empty
(so dlt drops the columns and creates no child tables), and with no releases, reviews,
deployment statuses, log entries or Prometheus series at all (so those tables never land),
served over loopback HTTP through the real sources; every response still validates against
the descriptions, and the whole `dbt build` (every source; Stripe as the scenario has it)
passes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import run_dbt
from breadcrumbs.project import resolve_paths
from breadcrumbs.simulator.api import github_shapes as shapes
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds
from breadcrumbs.simulator.world import World
from tests.conformance.api_descriptions import bare, component, errors, validator_for
from tests.conformance.capture import Captured, ingest_and_capture
from tests.paths import ROOT

pytestmark = pytest.mark.system  # builds its own warehouses: make test-system

GITHUB_KINDS = {  # RepoActivity list -> (github_shapes kind, component schema)
    "pulls": ("pulls", "pull-request"), "commits": ("commits", "commit"),
    "deployments": ("deployments", "deployment"), "issues": ("issues", "issue"),
    "milestones": ("milestones", "milestone"), "workflow_runs": ("runs", "workflow-run"),
}
GITHUB_CHILD_KINDS = {  # RepoActivity dict of lists -> (kind, schema)
    "pull_commits": ("commits", "commit"), "workflow_jobs": ("jobs", "job"),
}
INCIDENT_KEEP = ("id", "type", "incident_number", "title", "status", "created_at", "service")


def bare_world(world: World) -> World:
    """The world with every optional part absent (see the module docstring)."""
    for name, activity in world.repos.items():
        for attr, (kind, schema) in GITHUB_KINDS.items():
            full = shapes.with_fields(kind, getattr(activity, attr), name,
                                      runs={r["id"]: r for r in activity.workflow_runs})
            setattr(activity, attr, [bare("github", r, component("github", schema))
                                     for r in full])
        for attr, (kind, schema) in GITHUB_CHILD_KINDS.items():
            runs = {r["id"]: r for r in activity.workflow_runs}
            setattr(activity, attr, {
                key: [bare("github", r, component("github", schema))
                      for r in shapes.with_fields(kind, records, name, runs=runs)]
                for key, records in getattr(activity, attr).items()})
        activity.releases = []
        activity.reviews = {number: [] for number in activity.reviews}
        activity.deployment_statuses = {ident: [] for ident in activity.deployment_statuses}
    # PagerDuty's Incident schema requires nothing; a real incident always has these
    world.incidents = [{k: v for k, v in i.items() if k in INCIDENT_KEEP} | {
        "service": {"id": i["service"]["id"], "type": "service_reference"}}
        for i in world.incidents]
    world.log_entries = {}
    world.series = []
    return world


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Captured]]:
    world = bare_world(generate(load_scenario(ROOT / "scenarios" / "small.yaml")))
    paths = resolve_paths(str(tmp_path_factory.mktemp("bare") / "wh.duckdb"), root=ROOT)
    write_seeds(world, paths.seeds_dir)
    captured = ingest_and_capture(world, paths.warehouse,
                                  ["github", "ci", "incidents", "revenue", "signals"])
    run_dbt(["build"], paths, seeds_dir=paths.seeds_dir)
    return paths.warehouse, captured


def test_bare_responses_still_validate(built) -> None:
    _, captured = built
    checked = 0
    for item in captured:
        found = validator_for(item.target)
        if item.status != 200 or found is None:
            continue
        checked += 1
        problems = list(errors(found[1], item.body))
        assert not problems, f"{item.target}: {problems}"
    assert checked > 20


def test_optional_parts_were_really_absent(built) -> None:
    warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {f"{s}.{t}" for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables()").fetchall()}
        # dlt creates no child table for an empty list
        for never in ("raw_ci.workflow_runs__pull_requests", "raw_github.issues__labels",
                      "raw_github.pull_requests__labels", "raw_github.commits__parents",
                      "raw_github.pull_request_commits__parents",
                      "raw_incidents.incidents__acknowledgements"):
            assert never not in tables, never
        # a root table with column hints may be created empty, or not at all
        for empty in ("raw_github.releases", "raw_github.pull_request_reviews",
                      "raw_github.deployment_statuses", "raw_incidents.log_entries",
                      "raw_signals.samples"):
            if empty in tables:
                assert con.execute(f"select count(*) from {empty}").fetchone()[0] == 0, empty
        runs = con.execute("select count(*), count(run_attempt), count(name) "
                           "from raw_ci.workflow_runs").fetchone()
        assert runs[0] > 0 and runs[1:] == (0, 0)
        jobs = con.execute("select count(*), count(run_attempt) "
                           "from raw_ci.workflow_jobs").fetchone()
        assert jobs[0] > 0 and jobs[1] == 0
        assert con.execute("select count(*) from staging.stg_ci__workflow_run_pull_requests"
                           ).fetchone()[0] == 0
        assert con.execute(
            "select count(*), count(acknowledged_at) "
            "from intermediate.int_incidents__with_service_and_acknowledgement"
        ).fetchone()[1] == 0
        # runs without run_attempt are attempt 1 in the marts
        assert con.execute("select min(run_attempt), max(run_attempt) "
                           "from marts.fct_ci_runs").fetchone() == (1, 1)
    finally:
        con.close()
