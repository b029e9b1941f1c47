"""Same scenario and seed, same bytes; another seed, other data; nothing at or after `end`."""

from __future__ import annotations

from sim_helpers import records, scenario_with

from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.rng import unix


def test_same_scenario_same_bytes(base_world):
    again = generate(scenario_with())
    assert records(again) == records(base_world)
    assert again.raw_counts() == base_world.raw_counts()


def test_other_seed_other_data(base_world):
    other = generate(scenario_with().with_seed(6))
    assert records(other) != records(base_world)


def test_nothing_is_timestamped_at_or_after_end(default_world):
    world = default_world
    end, end_iso = unix(world.end), world.end.strftime("%Y-%m-%dT%H:%M:%SZ")
    iso_values, unix_values = [], []
    for repo in world.repos.values():
        for pr in repo.pulls:
            iso_values += [pr["created_at"], pr["updated_at"], pr["closed_at"], pr["merged_at"]]
        iso_values += [r["submitted_at"] for v in repo.reviews.values() for r in v]
        iso_values += [c["commit"]["committer"]["date"] for c in repo.commits]
        iso_values += [c["commit"]["author"]["date"] for v in repo.pull_commits.values()
                       for c in v]
        iso_values += [d["updated_at"] for d in repo.deployments]
        iso_values += [s["created_at"] for v in repo.deployment_statuses.values() for s in v]
        iso_values += [r["published_at"] for r in repo.releases]
        iso_values += [r["updated_at"] for r in repo.workflow_runs]
        iso_values += [j["completed_at"] for v in repo.workflow_jobs.values() for j in v]
    iso_values += [i["last_status_change_at"] for i in world.incidents]
    iso_values += [e["created_at"] for v in world.log_entries.values() for e in v]
    assert max(v for v in iso_values if v) < end_iso
    unix_values += [c["created"] for c in world.customers]
    unix_values += [s["created"] for s in world.subscriptions]
    unix_values += [s["canceled_at"] or 0 for s in world.subscriptions]
    unix_values += [s["ended_at"] or 0 for s in world.subscriptions]
    unix_values += [i["created"] for i in world.invoices]
    unix_values += [c["created"] for c in world.credit_notes]
    assert max(unix_values) < end
    # a `[1h]` range query stamps an hour at its end: the last hour is stamped at `end`
    assert max(p[0] for s in world.series for p in s.points) <= end


def test_lists_are_in_api_order(default_world):
    for repo in default_world.repos.values():
        created = [p["created_at"] for p in repo.pulls]
        assert created == sorted(created, reverse=True)
        dates = [c["commit"]["committer"]["date"] for c in repo.commits]
        assert dates == sorted(dates, reverse=True)
        assert [r["id"] for r in repo.workflow_runs] == sorted(
            (r["id"] for r in repo.workflow_runs), reverse=True)
    opened = [i["created_at"] for i in default_world.incidents]
    assert opened == sorted(opened)
    for things in (default_world.customers, default_world.subscriptions,
                   default_world.invoices, default_world.credit_notes):
        assert [t["created"] for t in things] == sorted((t["created"] for t in things),
                                                        reverse=True)


def test_ids_are_unique(default_world):
    world = default_world
    groups = {
        "pulls": [p["id"] for r in world.repos.values() for p in r.pulls],
        "reviews": [x["id"] for r in world.repos.values() for v in r.reviews.values()
                    for x in v],
        "runs": [x["id"] for r in world.repos.values() for x in r.workflow_runs],
        "jobs": [x["id"] for r in world.repos.values() for v in r.workflow_jobs.values()
                 for x in v],
        "deployments": [x["id"] for r in world.repos.values() for x in r.deployments],
        "statuses": [x["id"] for r in world.repos.values()
                     for v in r.deployment_statuses.values() for x in v],
        "main commits": [(n, c["sha"]) for n, r in world.repos.items() for c in r.commits],
        "incidents": [i["id"] for i in world.incidents],
        "log entries": [e["id"] for v in world.log_entries.values() for e in v],
        "customers": [c["id"] for c in world.customers],
        "subscriptions": [s["id"] for s in world.subscriptions],
        "invoices": [i["id"] for i in world.invoices],
        "credit notes": [c["id"] for c in world.credit_notes],
    }
    for name, ids in groups.items():
        assert len(ids) == len(set(ids)), name


def test_a_tiny_org_still_generates():
    from breadcrumbs.simulator.scenario import Scenario

    tiny = Scenario.from_dict({
        "seed": 1, "start": "2026-01-03", "days": 2,
        "org": {"teams": [{"id": "solo", "engineers": 1, "services": ["app"]}]},
        "customers": {"count": 3, "plans": {"basic": {"price": 10, "services": ["app"]}}},
        "faults": [{"kind": "bad_deploy", "service": "app", "start": "2026-01-03", "days": 1,
                    "magnitude": 0.4}],
    })
    world = generate(tiny)
    assert world.raw_counts()["raw_signals.samples"] == 4 * 48
    assert all(not r.reviews.get(p["number"]) for r in world.repos.values() for p in r.pulls)


def test_world_carries_the_org_and_its_period(small_world):
    world = small_world
    assert world.name == "small" and world.owner == "acme"
    assert (world.end - world.start).days == 35
    assert [t.id for t in world.teams] == ["payments", "platform"]
    assert {s.repo_full_name for s in world.services} == set(world.repos)
    assert world.tokens["revenue"] == "sim-token"
    assert all(world.raw_counts().values())  # every raw table gets rows, credit notes too
