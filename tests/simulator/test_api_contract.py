"""Every generated record has exactly the keys, nesting and value types of its example in
tests/fixtures/api_examples.py (a value may be None where the API makes it nullable)."""

from __future__ import annotations

import importlib.util

import pytest

from breadcrumbs.simulator.api.github import pull_as_issue
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.world import World
from tests.paths import ROOT

_SPEC = importlib.util.spec_from_file_location("api_examples",
                                               ROOT / "tests" / "fixtures" / "api_examples.py")
ex = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(ex)

# fields whose example value is None but which carry a value when set
NULLABLE_OBJECTS = {"discount"}


def shape_errors(record: object, example: object, path: str) -> list[str]:
    """Where `record` differs from `example` in keys, nesting or value type."""
    if example is None or record is None:
        if example is None and isinstance(record, dict | list) and \
                path.rsplit(".", 1)[-1] not in NULLABLE_OBJECTS:
            return [f"{path}: example is null, record is {type(record).__name__}"]
        return []
    if isinstance(example, dict):
        if not isinstance(record, dict):
            return [f"{path}: expected an object, got {type(record).__name__}"]
        if set(record) != set(example):
            return [f"{path}: keys differ: extra {sorted(set(record) - set(example))}, "
                    f"missing {sorted(set(example) - set(record))}"]
        return [e for k in example for e in shape_errors(record[k], example[k], f"{path}.{k}")]
    if isinstance(example, list):
        if not isinstance(record, list):
            return [f"{path}: expected a list, got {type(record).__name__}"]
        if not example:
            return []
        return [e for i, item in enumerate(record)
                for e in shape_errors(item, example[0], f"{path}[{i}]")]
    if isinstance(example, bool) or isinstance(record, bool):
        ok = isinstance(example, bool) and isinstance(record, bool)
    elif isinstance(example, int):
        ok = isinstance(record, int)
    elif isinstance(example, float):
        ok = isinstance(record, int | float)
    else:
        ok = isinstance(record, type(example))
    return [] if ok else [f"{path}: expected {type(example).__name__}, got {record!r}"]


@pytest.fixture(scope="module")
def world() -> World:
    return generate(load_scenario(ROOT / "scenarios" / "default.yaml"))


def kinds(world: World) -> dict[str, tuple[list, dict]]:
    repos = list(world.repos.values())
    return {
        "pull_request": ([p for r in repos for p in r.pulls], ex.GITHUB_PULL_REQUEST),
        "review": ([x for r in repos for v in r.reviews.values() for x in v],
                   ex.GITHUB_PULL_REQUEST_REVIEW),
        "pull_request_commit": ([x for r in repos for v in r.pull_commits.values() for x in v],
                                ex.GITHUB_COMMIT),
        "commit": ([c for r in repos for c in r.commits], ex.GITHUB_COMMIT),
        "deployment": ([d for r in repos for d in r.deployments], ex.GITHUB_DEPLOYMENT),
        "deployment_status": ([x for r in repos for v in r.deployment_statuses.values()
                               for x in v], ex.GITHUB_DEPLOYMENT_STATUS),
        "release": ([x for r in repos for x in r.releases], ex.GITHUB_RELEASE),
        "issue": ([x for r in repos for x in r.issues], ex.GITHUB_ISSUE),
        "pull_request_issue": ([pull_as_issue(p) for r in repos for p in r.pulls],
                               {**ex.GITHUB_ISSUE, **ex.GITHUB_ISSUE_PULL_REQUEST}),
        "milestone": ([x for r in repos for x in r.milestones], ex.GITHUB_MILESTONE),
        "workflow_run": ([x for r in repos for x in r.workflow_runs], ex.GITHUB_WORKFLOW_RUN),
        "workflow_job": ([x for r in repos for v in r.workflow_jobs.values() for x in v],
                         ex.GITHUB_WORKFLOW_JOB),
        "incident": (world.incidents, ex.PAGERDUTY_INCIDENT),
        "log_entry": ([e for v in world.log_entries.values() for e in v],
                      ex.PAGERDUTY_LOG_ENTRY),
        "customer": (world.customers, ex.STRIPE_CUSTOMER),
        "subscription": (world.subscriptions, ex.STRIPE_SUBSCRIPTION),
        "invoice": (world.invoices, ex.STRIPE_INVOICE),
        "credit_note": (world.credit_notes, ex.STRIPE_CREDIT_NOTE),
        "price": (world.prices, ex.STRIPE_PRICE),
    }


KINDS = ["pull_request", "review", "pull_request_commit", "commit", "deployment",
         "deployment_status", "release", "issue", "pull_request_issue", "milestone",
         "workflow_run", "workflow_job", "incident",
         "log_entry", "customer", "subscription", "invoice", "credit_note", "price"]


@pytest.mark.parametrize("kind", KINDS)
def test_records_match_their_example(world, kind):
    records, example = kinds(world)[kind]
    assert records, f"the default scenario generates no {kind} records"
    errors = [e for i, r in enumerate(records) for e in shape_errors(r, example, f"{kind}[{i}]")]
    assert not errors, "\n".join(errors[:10])


def test_every_kind_is_checked(world):
    assert sorted(kinds(world)) == sorted(KINDS)


def test_series_are_prometheus_shaped(world):
    example = ex.PROMETHEUS_QUERY_RANGE["data"]["result"][0]
    metrics = {s.metric for s in world.series}
    assert metrics == {"cpu", "latency_p95", "errors", "requests", "feature_usage"}
    features = {f"{name}#{i['number']}" for name, repo in world.repos.items()
                for i in repo.issues if i["labels"][0]["name"] == "feature"}
    customers = {c["id"] for c in world.customers}
    for series in world.series:
        if series.metric == "feature_usage":
            assert set(series.labels) == {"feature", "customer"}
            assert series.labels["feature"] in features
            assert series.labels["customer"] in customers
            values = [v for _, v in series.points]
            assert values == sorted(values) and values[0] >= 1  # a counter from the first use
            assert all(ts % (7 * 86400) == 4 * 86400 for ts, _ in series.points)  # Mondays
            continue
        assert set(series.labels) == set(example["metric"]) - {"__name__"}
        assert series.labels["service"] in {s.id for s in world.services}
        for ts, value in series.points:
            assert isinstance(ts, int) and ts % 3600 == 0
            if series.metric in ("errors", "requests"):
                assert isinstance(value, int) and value >= 0
            else:
                assert isinstance(value, float) and value > 0


def test_references_resolve(world):
    services = {s.pagerduty_service_id for s in world.services}
    assert {i["service"]["id"] for i in world.incidents} <= services
    customers = {c["id"] for c in world.customers}
    subscriptions = {s["id"] for s in world.subscriptions}
    assert {s["customer"] for s in world.subscriptions} <= customers
    assert {i["parent"]["subscription_details"]["subscription"]
            for i in world.invoices} <= subscriptions
    prices = {p["id"] for p in world.prices}
    lines = [line for i in world.invoices for line in i["lines"]["data"]]
    assert {line["pricing"]["price_details"]["price"] for line in lines} <= prices
    assert {item["price"]["id"] for s in world.subscriptions
            for item in s["items"]["data"]} <= prices
    assert {c["invoice"] for c in world.credit_notes} <= {i["id"] for i in world.invoices}
    for repo in world.repos.values():
        assert set(repo.deployment_statuses) == {d["id"] for d in repo.deployments}
        assert set(repo.workflow_jobs) == {r["id"] for r in repo.workflow_runs}
        assert set(repo.reviews) == set(repo.pull_commits) == {p["number"] for p in repo.pulls}
        main = {c["sha"] for c in repo.commits}
        assert {d["sha"] for d in repo.deployments} <= main
        assert {p["merge_commit_sha"] for p in repo.pulls if p["merged"]} <= main
        numbers = {p["number"] for p in repo.pulls}
        assert not numbers & {i["number"] for i in repo.issues}  # one number space
        milestones = {m["number"] for m in repo.milestones}
        assert {i["milestone"]["number"] for i in repo.issues if i["milestone"]} <= milestones
