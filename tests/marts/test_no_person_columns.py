"""No published table has a person-level column (docs/architecture.md: per team and org, never
per person): every column of every table in `marts`, `metrics` and `seeds` of the published
snapshot (and every mart and metric model of the project is in it), and every mart's and metric
model's declared columns and grains in the dbt manifest (the marts' contracts make the declared
columns the real ones). A column fails when it names a person
(login, email, author, user, reviewer, ...) or carries a key, since hashed people identifiers
are `*_key` columns in staging; a count of people (`responder_count`) is team-level."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.paths import ROOT

MARTS = "models/marts/"
METRICS = "models/metrics/"

PERSON_WORDS = {
    "login", "logins", "email", "emails", "author", "authors", "user", "users", "username",
    "actor", "creator", "committer", "reviewer", "reviewers", "assignee", "assignees",
    "agent", "person", "people", "responder", "responders", "engineer", "developer", "member",
}
AGGREGATE_WORDS = {"count", "counts", "share", "rate", "minutes", "hours"}
PERSON_NAME_COLUMNS = {"name", "full_name", "display_name", "first_name", "last_name",
                       "real_name", "user_name"}


def person_column_reason(column: str) -> str | None:
    """Why `column` would identify a person, or None when it does not."""
    name = column.lower()
    words = name.split("_")
    if words[-1] in AGGREGATE_WORDS:
        return None  # a count or share of people, not a person
    if name.endswith("_key") or name == "key":
        return "a `*_key` column (hashed people identifiers are keys)"
    hit = PERSON_WORDS.intersection(words)
    if hit:
        return f"names a person ({', '.join(sorted(hit))})"
    if name in PERSON_NAME_COLUMNS or "merged_by" in name or "hash" in words:
        return "a person's name or hash"
    return None


def test_person_column_check_itself():
    """The checker flags people and leaves team-level columns alone."""
    for bad in ("author_key", "reviewer_login", "email", "creator_type", "merged_by_key",
                "actor_key", "full_name", "user", "responder", "committer_name"):
        assert person_column_reason(bad), bad
    for ok in ("repo_full_name", "workflow_name", "is_bot_authored", "team_id",
               "first_commit_authored_at", "service_id", "deployment_id", "pr_size_lines",
               "responder_count", "engineer_hours"):
        assert person_column_reason(ok) is None, ok


def _models_under(manifest: dict, folder: str) -> list[dict]:
    """Model nodes of the parsed project (the session's `manifest`, tests/conftest.py) whose
    file is under `folder`."""
    return [node for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["original_file_path"].replace(os.sep, "/").startswith(folder)]


@pytest.fixture(scope="module")
def marts(manifest):
    """Model nodes of the mart layers (models/marts/<layer>/: raw_signal, service, delivery,
    business_outcome; MetricFlow's time spine beside them is a calendar, not a mart)."""
    found = [node for node in _models_under(manifest, MARTS)
             if node["original_file_path"].replace(os.sep, "/").count("/") >= 3]
    layers = {node["original_file_path"].replace(os.sep, "/").split("/")[2] for node in found}
    assert {"delivery", "service", "business_outcome"} <= layers, layers
    return found


@pytest.fixture(scope="module")
def metric_models(manifest):
    """Model nodes under models/metrics: the m_* models and the metric_* tables."""
    found = _models_under(manifest, METRICS)
    assert sum(node["name"].startswith("m_") for node in found) >= 30, [m["name"] for m in found]
    return found


def test_no_mart_or_metric_model_has_a_person_column(marts, metric_models):
    """Every declared column of every mart and metric model is team-level."""
    offenders = {(model["name"], column): reason
                 for model in [*marts, *metric_models] for column in model["columns"]
                 if (reason := person_column_reason(column))}
    assert not offenders, f"person-level columns in marts or metrics: {offenders}"


def test_no_mart_or_metric_model_has_a_person_grain(marts, metric_models, manifest):
    """Grains are not people: every declared meta.grain (the delivery marts'), and the columns
    of every `unique` and `unique_combination_of_columns` test on a mart or metric model."""
    declared = 0
    for mart in marts:
        grain = str((mart["config"].get("meta") or {}).get("grain", ""))
        declared += bool(grain)
        assert not PERSON_WORDS.intersection(re.split(r"\W+", grain.lower())), (mart["name"],
                                                                                grain)
    assert declared >= 6, "the delivery marts' meta.grain was not found"
    model_ids = {model["unique_id"] for model in [*marts, *metric_models]}
    checked: set[str] = set()
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata")
        if (node["resource_type"] != "test" or not metadata
                or metadata["name"] not in ("unique", "unique_combination_of_columns")
                or not model_ids.intersection(node["depends_on"]["nodes"])):
            continue
        kwargs = metadata["kwargs"].get("arguments") or metadata["kwargs"]
        columns = (kwargs.get("combination_of_columns") if metadata["name"] != "unique"
                   else [node.get("column_name") or kwargs.get("column_name")])
        for column in columns or []:
            assert person_column_reason(str(column)) is None, (node["name"], column)
        checked.add(node["name"])
    assert len(checked) >= 20, f"only {len(checked)} grain tests found on marts and metrics"


def test_marts_have_enforced_contracts(marts):
    """Contracts make the manifest's columns the real ones: every mart enforces one, and every
    column is typed and described."""
    for mart in marts:
        assert mart["config"]["contract"]["enforced"], mart["name"]
        assert mart["description"], mart["name"]
        for column in mart["columns"].values():
            assert column["data_type"], (mart["name"], column["name"])
            assert column["description"], (mart["name"], column["name"])


def test_no_published_table_has_a_person_column(default_warehouse: Path, marts,
                                               metric_models) -> None:
    """Every table analysts and BI tools can read: marts, metrics and seeds of the snapshot,
    which holds every mart and metric model of the project."""
    import duckdb

    from breadcrumbs.project import resolve_paths

    published = resolve_paths(str(default_warehouse), root=ROOT).published
    con = duckdb.connect(str(published), read_only=True)
    try:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where schema_name in ('marts', 'metrics', 'seeds')").fetchall()
    finally:
        con.close()
    tables = {(schema, table) for schema, table, _ in columns}
    assert {schema for schema, _ in tables} == {"marts", "metrics", "seeds"}
    assert len(tables) > 60
    published_names = {table for _, table in tables}
    unpublished = sorted(m["name"] for m in [*marts, *metric_models]
                         if m["config"]["materialized"] != "ephemeral"
                         and m["name"] not in published_names)
    assert not unpublished, f"marts or metric models not in the published snapshot: {unpublished}"
    offenders = {f"{schema}.{table}.{column}": reason for schema, table, column in columns
                 if (reason := person_column_reason(column))}
    assert not offenders, f"person-level columns in the published snapshot: {offenders}"
