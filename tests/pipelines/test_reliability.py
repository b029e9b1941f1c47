"""Retries, rate limits, exhausted retries and bad credentials, against the simulator."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.ingest import ingest, pipelines_dir
from breadcrumbs.simulator.server import serve
from pipelines.common import RetryPolicy, SourceAuthError, SourceHTTPError, SourceMalformedError
from tests.fixtures.small_world import small_world
from tests.pipelines.pipeline_helpers import row_counts


def faulty(*faults: dict):
    return small_world(api_faults=list(faults))


def source_counts(world, source: str) -> dict[str, int]:
    return {k: v for k, v in world.raw_counts().items() if k.startswith(f"raw_{source}.")}


def test_429_retry_after_is_waited_out(point_at, warehouse: Path, sleeps: list[float],
                                       retry: RetryPolicy) -> None:
    world = faulty({"source": "revenue", "kind": "rate_limit", "rate": 1.0, "retry_after": 7})
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=["revenue"], retry=retry)
        statuses = [r.status for r in server.request_log]
    assert statuses.count(429) == 2 * statuses.count(200)  # every request: 429, 429, 200
    assert sleeps and set(sleeps) == {7.0}
    expected = source_counts(world, "revenue")
    assert row_counts(warehouse, list(expected)) == expected


def test_github_403_rate_limit_reset_is_waited_out(point_at, warehouse: Path,
                                                   sleeps: list[float],
                                                   retry: RetryPolicy) -> None:
    world = faulty({"source": "github", "kind": "rate_limit", "rate": 0.5, "retry_after": 5})
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=["github"], retry=retry)
        statuses = [r.status for r in server.request_log]
    assert 403 in statuses and 429 in statuses
    assert len(sleeps) == statuses.count(403) + statuses.count(429)
    assert all(3.0 <= wait <= 6.0 for wait in sleeps)  # reset = now + 5 s, or Retry-After 5
    expected = source_counts(world, "github")
    assert row_counts(warehouse, list(expected)) == expected


def test_server_errors_are_retried(point_at, warehouse: Path, sleeps: list[float],
                                   retry: RetryPolicy) -> None:
    world = faulty({"source": "incidents", "kind": "server_error", "rate": 1.0},
                   {"source": "ci", "kind": "server_error", "rate": 0.3})
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=["incidents", "ci"], retry=retry)
        statuses = {r.status for r in server.request_log}
    assert statuses & {500, 502, 503}
    assert sleeps and all(0 < s <= 60 for s in sleeps)  # backoff, no Retry-After
    expected = {**source_counts(world, "incidents"), **source_counts(world, "ci")}
    assert row_counts(warehouse, list(expected)) == expected


def test_malformed_bodies_are_retried(point_at, warehouse: Path, retry: RetryPolicy,
                                      caplog: pytest.LogCaptureFixture) -> None:
    sources = ["incidents", "revenue", "signals", "ci"]
    world = faulty(*({"source": s, "kind": "malformed", "rate": 1.0, "max_failures": 1}
                     for s in sources))
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=sources, retry=retry)
    expected = {k: v for s in sources for k, v in source_counts(world, s).items()}
    assert row_counts(warehouse, list(expected)) == expected
    assert "invalid JSON" in caplog.text  # truncated bodies
    assert "expected bigint" in caplog.text or "expected timestamp" in caplog.text  # wrong types


def test_schema_drift_lands_without_loss_of_rows(point_at, warehouse: Path,
                                                 retry: RetryPolicy) -> None:
    world = faulty({"source": "ci", "kind": "schema_drift"})
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=["ci"], retry=retry)
    expected = source_counts(world, "ci")
    assert row_counts(warehouse, list(expected)) == expected
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = {name for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw_ci' "
            "and table_name = 'workflow_runs'").fetchall()}
        assert {"x_drift_added__since", "name_v2", "head_branch", "name"} <= runs
        assert con.execute("select count(*) from raw_ci.workflow_runs "
                           "where head_branch is not null").fetchone()[0] == 0


def test_exhausted_retries_name_the_endpoint_and_keep_landed_data(
        sim_env, point_at, warehouse: Path, sleeps: list[float]) -> None:
    ingest(warehouse, sources=["revenue"], retry=RetryPolicy(sleep=sleeps.append))
    before = source_counts(small_world(), "revenue")
    world = faulty({"source": "revenue", "kind": "server_error", "rate": 1.0,
                    "max_failures": 100})
    with serve(world) as broken:
        point_at(broken, world)
        with pytest.raises(SourceHTTPError) as raised:
            ingest(warehouse, sources=["revenue"],
                   retry=RetryPolicy(max_retries=2, sleep=sleeps.append))
    message = str(raised.value)
    assert message.startswith("revenue: GET /v1/customers failed with HTTP 50")
    assert "gave up after 3 attempts" in message
    assert row_counts(warehouse, list(before)) == before
    point_at(sim_env, small_world())  # the API is back: the next run completes
    ingest(warehouse, sources=["revenue"], retry=RetryPolicy(sleep=sleeps.append))
    assert row_counts(warehouse, list(before)) == before


def test_exhausted_malformed_names_the_url(point_at, warehouse: Path, retry: RetryPolicy) -> None:
    world = faulty({"source": "incidents", "kind": "malformed", "rate": 1.0, "max_failures": 100})
    with serve(world) as server:
        point_at(server, world)
        with pytest.raises(SourceMalformedError) as raised:
            ingest(warehouse, sources=["incidents"], retry=retry)
    assert str(raised.value).startswith("incidents: malformed response from GET /incidents?")


@pytest.mark.parametrize(("source", "secret"), [
    ("github", "access_token"), ("ci", "access_token"), ("incidents", "api_token"),
    ("revenue", "api_key"), ("signals", "bearer_token")])
def test_wrong_token_names_the_secret_and_never_the_token(
        sim_env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        warehouse: Path, retry: RetryPolicy, source: str, secret: str) -> None:
    wrong = f"wrong-{source}-tok3n-value"
    monkeypatch.setenv(f"SOURCES__{source.upper()}__{secret.upper()}", wrong)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceAuthError) as raised:
        ingest(warehouse, sources=[source], retry=retry)
    message = str(raised.value)
    assert message.startswith(f"{source}: the API answered 401 Unauthorized for GET /")
    assert f"set sources.{source}.{secret} (env SOURCES__{source.upper()}__{secret.upper()})" \
        in message
    assert wrong not in message and wrong not in repr(raised.value)
    assert wrong not in caplog.text
    for path in pipelines_dir(warehouse).rglob("*"):
        if path.is_file():
            assert wrong.encode() not in path.read_bytes(), path


def test_tokens_are_not_written_to_the_pipelines_dir(sim_env, world, warehouse: Path,
                                                     retry: RetryPolicy) -> None:
    ingest(warehouse, retry=retry)
    files = [p for p in pipelines_dir(warehouse).rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for token in world.tokens.values():
            assert token.encode() not in data, path
