"""Real GitHub API responses (DevLake's panjf2000/ants fixtures) served through the
simulator's HTTP layer and loaded by the same GitHub and CI sources a real account uses;
counts and key fields compared with what DevLake extracted from them."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import pytest

from breadcrumbs.ingest import ingest, simulator_env
from breadcrumbs.simulator.server import serve
from breadcrumbs.simulator.world import RepoActivity, World
from tests.paths import FIXTURES

GITHUB_E2E = FIXTURES / "devlake" / "github" / "e2e"
REPO = "panjf2000/ants"


def _rows(folder: str, name: str) -> list[dict]:
    csv.field_size_limit(1 << 30)
    with (GITHUB_E2E / folder / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _payloads(name: str) -> list[tuple[dict | None, dict]]:
    """(input, data) of every raw API response row, deduplicated by the record's identity
    (DevLake collected the repo through two connections)."""
    seen: dict[str, tuple[dict | None, dict]] = {}
    for row in _rows("raw_tables", f"_raw_github_api_{name}"):
        data = json.loads(row["data"])
        given = json.loads(row["input"]) if row["input"] not in ("", "null") else None
        key = json.dumps([given.get("Number") if given else None, data.get("id", data.get("sha"))])
        seen.setdefault(key, (given, data))
    return list(seen.values())


def _world() -> World:
    activity = RepoActivity()
    activity.pulls = sorted((d for _, d in _payloads("pull_requests")),
                            key=lambda d: d["created_at"], reverse=True)
    reviews: dict[int, list[dict]] = defaultdict(list)
    for given, data in _payloads("pull_request_reviews"):
        reviews[given["Number"]].append(data)
    commits: dict[int, list[dict]] = defaultdict(list)
    for given, data in _payloads("pull_request_commits"):
        commits[given["Number"]].append(data)
    activity.reviews, activity.pull_commits = dict(reviews), dict(commits)
    activity.workflow_runs = sorted((d for _, d in _payloads("runs")),
                                    key=lambda d: d["created_at"], reverse=True)
    jobs: dict[int, list[dict]] = defaultdict(list)
    for given, data in _payloads("jobs"):
        jobs[given["ID"]].append(data)
    activity.workflow_jobs = dict(jobs)
    # DevLake collected /issues, which lists pull requests too (with a `pull_request` key)
    activity.issues = sorted((d for _, d in _payloads("issues")),
                             key=lambda d: (d["created_at"], d["number"]), reverse=True)
    return World(
        name="devlake-ants", seed=0, start=datetime(2018, 1, 1, tzinfo=UTC),
        end=datetime(2026, 11, 1, tzinfo=UTC), owner="panjf2000", teams=[], services=[],
        plans=[], repos={REPO: activity}, incidents=[], log_entries={}, customers=[],
        subscriptions=[], invoices=[], credit_notes=[], series=[],
        tokens={"github": "sim-token", "ci": "sim-token"},
    )


@pytest.fixture(scope="module")
def landed(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> Iterator[duckdb.DuckDBPyConnection]:
    assert GITHUB_E2E.is_dir(), f"DevLake fixtures missing at {GITHUB_E2E}"
    world = _world()
    warehouse = tmp_path_factory.mktemp("devlake-github") / "wh.duckdb"
    with serve(world) as server:
        for key, value in simulator_env(server, world).items():
            monkeypatch_module.setenv(key, value)
        ingest(warehouse, sources=["github", "ci"])
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_pull_requests_match_devlake(landed: duckdb.DuckDBPyConnection) -> None:
    expected = {int(r["github_id"]): r for r in _rows("snapshot_tables",
                                                        "_tool_github_pull_requests")}
    got = {row[0]: row for row in landed.execute(
        "select id, number, state, merge_commit_sha, strftime(created_at at time zone 'UTC', "
        "'%Y-%m-%dT%H:%M:%S') from raw_github.pull_requests").fetchall()}
    assert len(got) == len(expected) == 49
    for github_id, row in expected.items():
        assert got[github_id][1] == int(row["number"])
        assert got[github_id][2] == row["state"]
        assert got[github_id][3] == (row["merge_commit_sha"] or None)
        assert got[github_id][4] == row["github_created_at"][:19]


def test_reviews_and_pull_request_commits_match_devlake(
    landed: duckdb.DuckDBPyConnection,
) -> None:
    reviews = {int(r["github_id"]): r for r in _rows("snapshot_tables",
                                                       "_tool_github_pull_request_reviews")}
    got = dict(landed.execute(
        "select id, state from raw_github.pull_request_reviews").fetchall())
    assert len(got) == len(reviews) == 30
    assert got == {k: v["state"] for k, v in reviews.items()}
    commits = {r["commit_sha"] for r in _rows("snapshot_tables",
                                              "_tool_github_pull_request_commits")}
    landed_commits = landed.execute(
        "select count(*), count(distinct sha) from raw_github.pull_request_commits").fetchone()
    assert landed_commits[0] == 90
    assert {r[0] for r in landed.execute(
        "select sha from raw_github.pull_request_commits").fetchall()} == commits


def test_issues_load_without_the_pull_requests_github_lists_among_them(
    landed: duckdb.DuckDBPyConnection,
) -> None:
    payloads = [d for _, d in _payloads("issues")]
    issues = {d["id"]: d for d in payloads if "pull_request" not in d}
    assert len(issues) == 26 and any("pull_request" in d for d in payloads)
    got = {row[0]: row[1:] for row in landed.execute(
        "select id, number, state, milestone__due_on, strftime(closed_at at time zone 'UTC', "
        "'%Y-%m-%dT%H:%M:%SZ') from raw_github.issues").fetchall()}
    assert set(got) == set(issues)
    for ident, issue in issues.items():
        assert got[ident][:2] == (issue["number"], issue["state"])
        assert got[ident][3] == issue["closed_at"]
    labels = landed.execute("select count(*) from raw_github.issues__labels").fetchone()[0]
    assert labels == sum(len(i["labels"]) for i in issues.values())


def test_workflow_runs_match_devlake(landed: duckdb.DuckDBPyConnection) -> None:
    expected = {int(r["id"]): r for r in _rows("snapshot_tables", "_tool_github_runs")}
    got = {row[0]: row for row in landed.execute(
        "select id, run_number, conclusion, head_sha, run_attempt "
        "from raw_ci.workflow_runs").fetchall()}
    assert len(got) == len(expected) == 35
    for run_id, row in expected.items():
        # DevLake writes an empty string where the API said null (a run still in progress)
        number, conclusion, head_sha, attempt = got[run_id][1:]
        assert (number, conclusion or "", head_sha, attempt) == (
            int(row["run_number"]), row["conclusion"], row["head_sha"], int(row["run_attempt"])
        ), run_id


def test_fixture_jobs_belong_to_runs_outside_the_fixture(
    landed: duckdb.DuckDBPyConnection,
) -> None:
    """DevLake's 35 jobs belong to runs that are not in its 35 runs: the CI source asks for
    the jobs of the runs it loaded, so none land — the data's shape, not a loss."""
    job_runs = {int(r["run_id"]) for r in _rows("snapshot_tables", "_tool_github_jobs")}
    runs = {r[0] for r in landed.execute("select id from raw_ci.workflow_runs").fetchall()}
    assert job_runs and not job_runs & runs
    tables = {r[0] for r in landed.execute(
        "select table_name from duckdb_tables() where schema_name = 'raw_ci'").fetchall()}
    if "workflow_jobs" in tables:
        assert landed.execute("select count(*) from raw_ci.workflow_jobs").fetchone()[0] == 0
