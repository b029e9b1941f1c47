"""Staging builds on the example warehouse: columns as documented, no people, UTC, described."""

from __future__ import annotations

import hashlib
import json
import re

import duckdb
import pytest

from tests.fixtures.example_warehouse import EXAMPLE_PEOPLE
from tests.staging.helpers import SALT, dbt

pytestmark = pytest.mark.slow

# raw people columns that must never appear in staging (the hashed `*_key` replace them)
PERSON_COLUMN = re.compile(r"(^|_)(login|email|author_name|committer_name|user_name)$")


def staging_models(manifest: dict) -> dict[str, dict]:
    """Staging model nodes by name."""
    return {node["name"]: node for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["original_file_path"].startswith("models/staging/")}


def relation_columns(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    """Column name -> DuckDB type of staging.<name>."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'staging' and table_name = ? order by ordinal_position", [name],
    ).fetchall()
    return dict(rows)


@pytest.fixture
def con(staging_build):
    connection = duckdb.connect(str(staging_build.warehouse), read_only=True)
    # views are evaluated in the reader's session: staging must read UTC from any time zone
    connection.execute("set TimeZone = 'America/New_York'")
    yield connection
    connection.close()


def test_build_ran_models_tests_and_unit_tests(staging_build):
    kinds = {}
    for result in staging_build.run_results["results"]:
        kind = result["unique_id"].split(".")[0]
        kinds.setdefault(kind, []).append(result["status"])
        assert result["status"] in ("success", "pass"), result["unique_id"]
    assert len(kinds["model"]) == len(staging_models(staging_build.manifest)) >= 22
    assert len(kinds["seed"]) == 6
    assert len(kinds["unit_test"]) >= 5
    assert len(kinds["test"]) >= 200


def test_every_staging_model_exists_with_its_documented_columns(staging_build, con):
    for name, node in staging_models(staging_build.manifest).items():
        assert re.fullmatch(r"stg_(github|ci|incidents|revenue|signals|cloud_cost)__[a-z_]+s",
                            name), name
        actual = list(relation_columns(con, name))
        assert actual, f"staging.{name} was not built"
        assert actual == list(node["columns"]), f"{name}: built {actual}, documented " \
                                                f"{list(node['columns'])}"


def test_every_staging_model_and_column_is_described(staging_build):
    manifest = staging_build.manifest
    for name, node in staging_models(manifest).items():
        assert node["description"].strip(), f"{name} has no description"
        assert node["columns"], f"{name} documents no columns"
        for column, spec in node["columns"].items():
            assert spec["description"].strip(), f"{name}.{column} has no description"
    for source in manifest["sources"].values():
        assert source["description"].strip(), f"source {source['unique_id']} undescribed"


def test_no_person_identifier_reaches_staging(staging_build, con):
    people = [p.lower() for p in EXAMPLE_PEOPLE]
    for name in staging_models(staging_build.manifest):
        columns = relation_columns(con, name)
        assert not [c for c in columns if PERSON_COLUMN.search(c)], name
        text_columns = [c for c, t in columns.items() if t == "VARCHAR"]
        for column in text_columns:
            values = con.execute(f'select distinct lower("{column}") from staging.{name} '
                                 f'where "{column}" is not null').fetchall()
            leaked = [(v, p) for (v,) in values for p in people if p in v]
            assert not leaked, f"staging.{name}.{column} shows {leaked}"


def test_people_hash_with_the_salt_and_match_across_sources(con):
    expected = hashlib.md5(f"{SALT}dev-ana".encode()).hexdigest()
    pr_author = con.execute("select author_key from staging.stg_github__pull_requests "
                            "where pull_request_number = 42").fetchone()[0]
    commit_author = con.execute("select author_key from staging.stg_github__commits "
                                "where commit_sha like '1a2b%'").fetchone()[0]
    run_actor = con.execute("select actor_key from staging.stg_ci__workflow_runs "
                            "where workflow_run_id = 6000001").fetchone()[0]
    assert pr_author == commit_author == run_actor == expected
    bots = dict(con.execute("select pull_request_number, is_bot "
                            "from staging.stg_github__pull_requests").fetchall())
    assert bots == {42: False, 7: True}
    assert con.execute("select count(*) from staging.stg_github__commits "
                       "where author_key is null and git_author_email_key is not null"
                       ).fetchone()[0] == 1


def test_timestamps_are_utc_without_time_zone(staging_build, con):
    for name in staging_models(staging_build.manifest):
        for column, data_type in relation_columns(con, name).items():
            if column.endswith("_at"):
                assert data_type == "TIMESTAMP", f"{name}.{column} is {data_type}"
    created = con.execute("select strftime(created_at, '%Y-%m-%d %H:%M:%S') "
                          "from staging.stg_revenue__subscriptions "
                          "where subscription_id = 'sub_0001'").fetchone()[0]
    assert created == "2026-01-05 10:00:00"  # Stripe 1767607200
    opened = con.execute("select strftime(created_at, '%Y-%m-%d %H:%M:%S') "
                         "from staging.stg_github__pull_requests "
                         "where pull_request_number = 42").fetchone()[0]
    assert opened == "2026-03-02 09:15:00"  # GitHub "2026-03-02T09:15:00Z"


def test_child_tables_link_to_their_parents(con):
    rows = con.execute("""
        select s.subscription_id, count(*)
        from staging.stg_revenue__subscription_items as i
        inner join staging.stg_revenue__subscriptions as s
            on i.subscription_row_key = s.subscription_row_key
        group by s.subscription_id order by 1
    """).fetchall()
    assert rows == [("sub_0001", 1), ("sub_0002", 2)]
    labels = con.execute("""
        select p.pull_request_number, l.label_name
        from staging.stg_github__pull_request_labels as l
        inner join staging.stg_github__pull_requests as p
            on l.pull_request_row_key = p.pull_request_row_key
        order by 1, l.label_position
    """).fetchall()
    assert labels == [(7, "dependencies"), (7, "bug"), (42, "feature")]


def test_source_freshness_passes_on_a_fresh_load(staging_build):
    proc = dbt(["source", "freshness", *staging_build.dbt_args], staging_build.env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    results = json.loads((staging_build.target / "sources.json").read_text())["results"]
    assert {r["status"] for r in results} == {"pass"}
    checked = {r["unique_id"].split(".", 2)[2] for r in results}
    assert "raw_github.pull_requests" in checked
    assert "raw_revenue.subscriptions__items__data" not in checked  # child: parent carries it
