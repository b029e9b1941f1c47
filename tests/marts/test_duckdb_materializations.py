"""The project's table and view materializations on DuckDB (macros/duckdb_materializations.sql),
on a throwaway three-model project that uses the project's macro file: each model is one
statement in a transaction, so a failed build keeps the previous relation whole; a relation
that changes type is replaced; the YAML's descriptions become the comments; nothing is left
behind (no `__dbt_tmp` or `__dbt_backup`); what the materializations do not support is refused
with a message naming the model and the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.metrics.conftest import dbt_bin
from tests.paths import ROOT

PROJECT = """
name: lean
version: "1.0"
config-version: 2
profile: lean
macro-paths: [macros]
model-paths: [models]
models:
  lean:
    +persist_docs: {relation: true, columns: true}
"""

PROFILE = """
lean:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('LEAN_WAREHOUSE') }}"
      threads: 1
"""

MODELS_YML = """
models:
  - name: facts
    description: One row per thing.
    config: {contract: {enforced: true}}
    columns:
      - {name: thing_id, description: The thing., data_type: integer,
         constraints: [{type: not_null}]}
      - {name: size, description: "Its size, in 'units'.", data_type: integer}
  - name: facts_view
    description: The facts again, as a view.
    columns:
      - {name: thing_id, description: "The thing, again."}
  - name: plain
    description: A table without a contract.
    columns:
      - {name: n, description: A number.}
"""


def write_project(folder: Path, models_yml: str = MODELS_YML, *,
                  facts_sql: str = "select {{ var('n', 3) }}::integer as thing_id, "
                                   "10::integer as size") -> Path:
    (folder / "macros").mkdir(parents=True, exist_ok=True)
    (folder / "models").mkdir(exist_ok=True)
    shutil.copy(ROOT / "macros" / "duckdb_materializations.sql", folder / "macros")
    (folder / "dbt_project.yml").write_text(PROJECT)
    (folder / "profiles.yml").write_text(PROFILE)
    (folder / "models" / "_models.yml").write_text(models_yml)
    (folder / "models" / "facts.sql").write_text(
        "{{ config(materialized=var('facts', 'table')) }}\n" + facts_sql + "\n")
    (folder / "models" / "facts_view.sql").write_text(
        "{{ config(materialized=var('facts_view', 'view')) }}\n"
        "select thing_id from {{ ref('facts') }}\n")
    (folder / "models" / "plain.sql").write_text(
        "{{ config(materialized='table') }}\nselect 1 as n\n")
    return folder


def dbt_run(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEAN_WAREHOUSE": str(warehouse),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    return subprocess.run(
        [dbt_bin(), "run", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs"), *args],
        cwd=project, env=env, capture_output=True, text=True, check=False)


def relations(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    """name -> (type, comment) of the project's relations."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name, 'table', comment from duckdb_tables() "
            "union all select view_name, 'view', comment from duckdb_views() "
            "where not internal and schema_name = 'main'").fetchall()
    return {name: (kind, comment) for name, kind, comment in rows}


def column_comments(warehouse: Path, table: str) -> dict[str, str | None]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute(
            "select column_name, comment from duckdb_columns() where table_name = ? "
            "order by column_index", [table]).fetchall())


def things(warehouse: Path, relation: str = "facts") -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from {relation}").fetchall()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("lean")
    project = write_project(folder / "project")
    warehouse = folder / "lean.duckdb"
    proc = dbt_run(project, warehouse)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return project, warehouse


@pytest.fixture
def built(first_build: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the first build's project (with its partial parse) and warehouse."""
    project, warehouse = first_build
    shutil.copytree(project, tmp_path / "project")
    shutil.copy(warehouse, tmp_path / "lean.duckdb")
    return tmp_path / "project", tmp_path / "lean.duckdb"


def test_models_are_built_with_their_comments_and_nothing_left_behind(built) -> None:
    project, warehouse = built
    assert relations(warehouse) == {
        "facts": ("table", "One row per thing."),
        "facts_view": ("view", "The facts again, as a view."),
        "plain": ("table", "A table without a contract."),
    }
    assert column_comments(warehouse, "facts") == {"thing_id": "The thing.",
                                                   "size": "Its size, in 'units'."}
    assert column_comments(warehouse, "facts_view") == {"thing_id": "The thing, again."}
    assert column_comments(warehouse, "plain") == {"n": "A number."}
    # a second run replaces each relation in place: same names, new rows, comments kept
    proc = dbt_run(project, warehouse, "--vars", "{n: 4}")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert set(relations(warehouse)) == {"facts", "facts_view", "plain"}
    assert things(warehouse) == [(4, 10)] and things(warehouse, "facts_view") == [(4,)]
    assert column_comments(warehouse, "facts")["size"] == "Its size, in 'units'."


def test_a_relation_that_changes_type_is_replaced(built) -> None:
    project, warehouse = built
    proc = dbt_run(project, warehouse, "--vars", "{facts: view, facts_view: table}")
    assert proc.returncode == 0, proc.stdout[-4000:]
    kinds = {name: kind for name, (kind, _) in relations(warehouse).items()}
    assert kinds == {"facts": "view", "facts_view": "table", "plain": "table"}
    assert things(warehouse, "facts_view") == [(3,)]
    proc = dbt_run(project, warehouse)  # and back
    assert proc.returncode == 0, proc.stdout[-4000:]
    kinds = {name: kind for name, (kind, _) in relations(warehouse).items()}
    assert kinds == {"facts": "table", "facts_view": "view", "plain": "table"}


def test_a_failed_build_keeps_the_previous_table(built) -> None:
    project, warehouse = built
    # a null in a not-null column: the insert fails after the old table was dropped
    write_project(project, facts_sql="select null::integer as thing_id, 10::integer as size")
    proc = dbt_run(project, warehouse, "--select", "facts")
    assert proc.returncode != 0
    assert "NOT NULL constraint failed" in proc.stdout, proc.stdout[-4000:]
    assert things(warehouse) == [(3, 10)]
    assert column_comments(warehouse, "facts")["thing_id"] == "The thing."


def test_a_documented_column_the_model_lacks_fails_the_build(built) -> None:
    project, warehouse = built
    write_project(project, MODELS_YML.replace("name: n, description: A number.",
                                              "name: m, description: A number."))
    proc = dbt_run(project, warehouse, "--select", "plain")
    assert proc.returncode != 0
    assert 'does not have a column with name "m"' in proc.stdout, proc.stdout[-4000:]
    assert things(warehouse, "plain") == [(1,)]  # the previous table, whole


def test_a_foreign_key_is_refused_with_the_fix(tmp_path: Path) -> None:
    models = MODELS_YML.replace(
        "- {name: n, description: A number.}",
        "- {name: n, description: A number., data_type: integer, constraints: "
        "[{type: foreign_key, to: ref('facts'), to_columns: [thing_id]}]}").replace(
        "description: A table without a contract.",
        "description: A table without a contract.\n    config: {contract: {enforced: true}}")
    project = write_project(tmp_path / "project", models)
    proc = dbt_run(project, tmp_path / "lean.duckdb", "--select", "plain")
    assert proc.returncode != 0
    assert "plain: a foreign-key constraint" in proc.stdout, proc.stdout[-4000:]
    assert "`relationships` data test" in proc.stdout
