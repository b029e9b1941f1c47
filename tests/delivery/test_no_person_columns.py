"""No published table has a person-level column (docs/architecture.md: per team and org, never
per person): every column of every table in `marts`, `metrics` and `seeds` of the published
snapshot, and the delivery marts' declared columns and grains in the dbt manifest (their
contracts make the declared columns the real ones). A column fails when it names a person
(login, email, author, user, reviewer, ...) or carries a key, since hashed people identifiers
are `*_key` columns in staging; a count of people (`responder_count`) is team-level."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DELIVERY_MARTS = "models/marts/delivery/"

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


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    """The parsed project (dbt parse into a private target folder)."""
    from dbt.cli.main import dbtRunner

    work = tmp_path_factory.mktemp("dbt-parse")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ["BREADCRUMBS_WAREHOUSE"] = str(work / "parse.duckdb")
    result = dbtRunner().invoke([
        "parse", "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--quiet",
    ])
    assert result.success, f"dbt parse failed: {result.exception}"
    return result.result


@pytest.fixture(scope="module")
def delivery_marts(manifest):
    """Model nodes under models/marts/delivery."""
    marts = [node for node in manifest.nodes.values()
             if node.resource_type == "model"
             and node.original_file_path.replace(os.sep, "/").startswith(DELIVERY_MARTS)]
    assert len(marts) >= 6, [m.name for m in marts]
    return marts


def test_no_delivery_mart_has_a_person_column(delivery_marts):
    """Every column of every delivery mart is team-level."""
    offenders = {(mart.name, column): reason
                 for mart in delivery_marts for column in mart.columns
                 if (reason := person_column_reason(column))}
    assert not offenders, f"person-level columns in delivery marts: {offenders}"


def test_no_delivery_mart_has_a_person_grain(delivery_marts, manifest):
    """Grains (meta.grain and unique_combination_of_columns tests) are not people."""
    for mart in delivery_marts:
        grain = str(mart.config.meta.get("grain", ""))
        assert grain, f"{mart.name} declares no meta.grain"
        assert not PERSON_WORDS.intersection(re.split(r"\W+", grain.lower())), (mart.name, grain)
    mart_ids = {mart.unique_id for mart in delivery_marts}
    checked = 0
    for node in manifest.nodes.values():
        metadata = getattr(node, "test_metadata", None)
        if (node.resource_type != "test" or metadata is None
                or metadata.name != "unique_combination_of_columns"
                or not mart_ids.intersection(node.depends_on.nodes)):
            continue
        kwargs = metadata.kwargs.get("arguments") or metadata.kwargs
        for column in kwargs["combination_of_columns"]:
            assert person_column_reason(column) is None, (node.name, column)
            checked += 1
    assert checked >= 2, "the team-week and pull-request grain tests were not found"


def test_delivery_marts_have_enforced_contracts(delivery_marts):
    """Contracts make the manifest's columns the real ones: every mart enforces one, and every
    column is typed and described."""
    for mart in delivery_marts:
        assert mart.config.contract.enforced, mart.name
        assert mart.description, mart.name
        for column in mart.columns.values():
            assert column.data_type, (mart.name, column.name)
            assert column.description, (mart.name, column.name)


def test_no_published_table_has_a_person_column(default_warehouse: Path) -> None:
    """Every table analysts and BI tools can read: marts, metrics and seeds of the snapshot."""
    import duckdb

    from breadcrumbs.project import resolve_paths

    published = resolve_paths(str(default_warehouse), root=REPO_ROOT).published
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
    offenders = {f"{schema}.{table}.{column}": reason for schema, table, column in columns
                 if (reason := person_column_reason(column))}
    assert not offenders, f"person-level columns in the published snapshot: {offenders}"
