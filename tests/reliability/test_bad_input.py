"""Bad input: a malformed record stops its source with an error naming the source, the record
and the field (every source's choice, README "Reliability and security"); schema drift lands
new fields as columns, and a renamed field that staging reads fails the dbt build by name."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import DbtError, run_dbt
from breadcrumbs.ingest import ingest
from breadcrumbs.project import resolve_paths
from breadcrumbs.simulator.api import prometheus
from breadcrumbs.simulator.server import serve
from breadcrumbs.simulator.world import World
from pipelines.common import RetryPolicy, SourceMalformedError
from tests.fixtures.small_world import small_world
from tests.reliability.rel_helpers import ROOT, raw_hashes


def bad_release(world: World, _patch: pytest.MonkeyPatch) -> str:
    record = world.repos["acme/search"].releases[1]
    record["published_at"] = 1772323200
    return f"record {record['id']}: field 'published_at'"


def bad_run(world: World, _patch: pytest.MonkeyPatch) -> str:
    record = world.repos["acme/checkout"].workflow_runs[2]
    record["run_attempt"] = "2x"
    return f"record {record['id']}: field 'run_attempt'"


def bad_incident(world: World, _patch: pytest.MonkeyPatch) -> str:
    record = world.incidents[3]
    record["incident_number"] = "four"
    return f"record {record['id']}: field 'incident_number'"


def bad_invoice(world: World, _patch: pytest.MonkeyPatch) -> str:
    record = world.invoices[5]
    record["total"] = "19.99"
    return f"record {record['id']}: field 'total'"


def bad_sample(world: World, patch: pytest.MonkeyPatch) -> str:
    for each in world.series:  # twelve new hours (older ones were loaded: incremental)
        last = each.points[-1][0]
        each.points.extend((last + 3600 * h, 1.0) for h in range(1, 13))
    series = world.series[1]
    marker = 12345.678
    series.points[-3] = (series.points[-3][0], marker)
    plain = prometheus.format_value
    patch.setattr(prometheus, "format_value",
                  lambda value: "n/a" if value == marker else plain(value))
    return "series {service=checkout}: point"


@pytest.mark.parametrize(("source", "spoil", "where"), [
    ("github", bad_release, "GET /repos/acme/search/releases"),
    ("ci", bad_run, "GET /repos/acme/checkout/actions/runs"),
    ("incidents", bad_incident, "GET /incidents"),
    ("revenue", bad_invoice, "GET /v1/invoices"),
    ("signals", bad_sample, "GET /api/v1/query_range"),
])
def test_a_malformed_record_stops_its_source_naming_record_and_field(
        point_at, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, spoil,
        where: str) -> None:
    world = small_world()
    warehouse = tmp_path / "wh.duckdb"
    with serve(world) as server:  # a first clean load: it must survive the bad one
        point_at(server, world)
        ingest(warehouse, sources=[source], retry=RetryPolicy(sleep=lambda _s: None))
    landed = raw_hashes(warehouse)
    spoilt = small_world()
    expected = spoil(spoilt, monkeypatch)
    with serve(spoilt) as server:
        point_at(server, spoilt)
        with pytest.raises(SourceMalformedError) as raised:
            ingest(warehouse, sources=[source], retry=RetryPolicy(sleep=lambda _s: None))
    message = str(raised.value)
    assert message.startswith(f"{source}: malformed response from {where}"), message
    assert expected in message, message
    assert raw_hashes(warehouse) == landed  # no partial load, no silent loss


def test_schema_drift_new_fields_land_and_a_renamed_field_fails_dbt(point_at,
                                                                    tmp_path: Path) -> None:
    world = small_world(api_faults=[{"source": "ci", "kind": "schema_drift"}])
    for release in world.repos["acme/checkout"].releases:  # v2 of the API renames tag_name
        release["tag"] = release.pop("tag_name")
    warehouse = tmp_path / "drift" / "wh.duckdb"
    with serve(world) as server:
        point_at(server, world)
        ingest(warehouse, sources=["github", "ci"], retry=RetryPolicy(sleep=lambda _s: None))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = {f"{t}.{c}" for t, c in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema in ('raw_ci', 'raw_github')").fetchall()}
    assert {"workflow_runs.x_drift_added__since", "workflow_runs.name_v2",
            "releases.tag"} <= columns  # new fields land as new columns
    paths = resolve_paths(str(warehouse), root=ROOT)
    with pytest.raises(DbtError) as raised:
        run_dbt(["build", "--select", "stg_github__releases"], paths)
    message = str(raised.value)
    assert "not_null_stg_github__releases_tag_name" in message, message
