"""End-to-end loads from the simulator: exact tables, exact counts, idempotent re-runs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from breadcrumbs.ingest import SOURCES, ingest, pipelines_dir
from breadcrumbs.simulator.server import SimulatorServer
from breadcrumbs.simulator.world import World
from pipelines.common import RetryPolicy
from tests.fixtures.small_world import small_world
from tests.pipelines.pipeline_helpers import expected_tables, row_counts, tables


def test_full_load_lands_exact_tables_and_counts(sim_env: SimulatorServer, world: World,
                                                 warehouse: Path, retry: RetryPolicy) -> None:
    loaded = ingest(warehouse, retry=retry)
    expected = world.raw_counts()
    assert tables(warehouse) == expected_tables(expected)
    assert row_counts(warehouse, list(expected)) == expected
    assert {k: v for k, v in loaded.items() if k in expected} == expected
    assert pipelines_dir(warehouse).is_dir()
    assert {p.name for p in pipelines_dir(warehouse).iterdir()} >= {
        f"breadcrumbs_{s}" for s in SOURCES}


def test_second_run_adds_no_duplicates_and_fetches_less(sim_env: SimulatorServer, world: World,
                                                        warehouse: Path,
                                                        retry: RetryPolicy) -> None:
    ingest(warehouse, retry=retry)
    first = sim_env.path_counts()
    sim_env.clear_log()
    ingest(warehouse, retry=retry)
    second = sim_env.path_counts()
    expected = world.raw_counts()
    assert row_counts(warehouse, list(expected)) == expected
    assert sum(second.values()) < sum(first.values())
    # PR details, reviews and commits are not re-read for unchanged PRs
    details = [p for p in second if "/pulls/" in p]
    assert details == [] or len(details) < len([p for p in first if "/pulls/" in p])
    # signals resume after the last point: nothing new to fetch, nothing landed twice
    assert second["/prometheus/api/v1/query_range"] <= first["/prometheus/api/v1/query_range"]


def test_only_the_sources_asked_for(sim_env: SimulatorServer, warehouse: Path,
                                    retry: RetryPolicy) -> None:
    loaded = ingest(warehouse, sources=["revenue"], retry=retry)
    assert {name.split(".")[0] for name in loaded} == {"raw_revenue"}
    assert set(tables(warehouse)) == {"raw_revenue"}


def test_many_pages(point_at, warehouse: Path, retry: RetryPolicy) -> None:
    world = small_world(pulls=105, incidents=230, customers=120, hours=24)
    with SimulatorServer(world, "127.0.0.1", 0) as server:
        point_at(server, world)
        ingest(warehouse, sources=["github", "incidents", "revenue"], retry=retry)
        counts = server.path_counts()
    expected = {k: v for k, v in world.raw_counts().items()
                if k.startswith(("raw_github.", "raw_incidents.", "raw_revenue."))}
    assert row_counts(warehouse, list(expected)) == expected
    assert counts["/github/repos/acme/checkout/pulls"] == 2  # 105 PRs, 100 a page
    assert counts["/pagerduty/incidents"] == 3  # 230 incidents, 100 a page
    assert counts["/stripe/v1/invoices"] == 3  # 240 invoices, 100 a page


def test_progress_reports_each_source(sim_env: SimulatorServer, warehouse: Path,
                                      retry: RetryPolicy) -> None:
    messages: list[str] = []
    ingest(warehouse, sources=["incidents", "signals"], progress=messages.append, retry=retry)
    assert messages[0] == "incidents: loading"
    assert messages[-1].startswith("signals: 576 rows")


def test_empty_lists_still_create_their_tables_with_every_column(point_at, warehouse: Path,
                                                                 retry: RetryPolicy) -> None:
    world = small_world()
    world.credit_notes.clear()
    for activity in world.repos.values():
        activity.deployments.clear()
        activity.deployment_statuses.clear()
    for price in world.prices:
        price["lookup_key"] = None  # most accounts' prices have none
    with SimulatorServer(world, "127.0.0.1", 0) as server:
        point_at(server, world)
        ingest(warehouse, sources=["github", "revenue"], retry=retry)
    expected = {k: v for k, v in world.raw_counts().items()
                if k.startswith(("raw_github.", "raw_revenue."))}
    assert row_counts(warehouse, list(expected)) == expected
    assert expected["raw_revenue.credit_notes"] == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        def columns(table: str) -> dict[str, str]:
            schema, name = table.split(".")
            return dict(con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ?", [schema, name]).fetchall())
        assert columns("raw_revenue.credit_notes")["metadata__kind"] == "VARCHAR"
        assert columns("raw_github.deployment_statuses")["deployment_id"] == "BIGINT"
        subs = columns("raw_revenue.subscriptions")
        assert subs["canceled_at"] == "BIGINT"
        assert columns("raw_revenue.prices")["lookup_key"] == "VARCHAR"
        assert columns("raw_github.pull_requests")["merged_at"] == "TIMESTAMP WITH TIME ZONE"
