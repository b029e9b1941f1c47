"""`not_null` of contracted tables is a contract constraint, not a data test node
(macros/not_null_constraints.sql, docs/performance.md "Fixed cost"): the manifest declares the
constraints and no duplicate `not_null` test, and the DuckDB warehouse refuses a null in them."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

TABLES = ("table", "incremental")


def constrained(manifest: dict) -> dict[tuple[str, str], list[str]]:
    """(schema, table) of each contracted table model -> its not-null constrained columns."""
    out: dict[tuple[str, str], list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["contract"]["enforced"]:
            continue
        columns = [name for name, column in node["columns"].items()
                   if any(c["type"] == "not_null" for c in column.get("constraints", []))]
        if columns:
            assert node["config"]["materialized"] in TABLES, (
                f"{node['name']}: a not_null constraint on a {node['config']['materialized']} "
                "is not enforced; use a not_null data test")
            out[(node["schema"], node["alias"])] = columns
    return out


def test_contracted_tables_use_constraints_not_test_nodes(manifest: dict) -> None:
    tables = constrained(manifest)
    assert sum(len(c) for c in tables.values()) > 100, "the marts' keys lost their constraints"
    duplicated = []
    for node in manifest["nodes"].values():
        if (node["resource_type"] == "test"
                and (node.get("test_metadata") or {}).get("name") == "not_null"):
            for parent in node["depends_on"]["nodes"]:
                model = manifest["nodes"].get(parent, {})
                if (model.get("contract", {}).get("enforced")
                        and model["config"]["materialized"] in TABLES):
                    duplicated.append(f"{model['name']}.{node['column_name']}")
    assert not duplicated, ("not_null tests on contracted tables (declare `constraints: "
                            f"[{{type: not_null}}]` instead): {duplicated}")


def test_duckdb_refuses_nulls_in_constrained_columns(manifest: dict, small_warehouse: Path,
                                                     tmp_path: Path) -> None:
    tables = constrained(manifest)
    copy = tmp_path / "wh.duckdb"
    shutil.copy(small_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        nullable = {(s, t, c) for s, t, c in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where is_nullable").fetchall()}
        missing = [f"{s}.{t}.{c}" for (s, t), cols in tables.items() for c in cols
                   if (s, t, c) in nullable]
        assert not missing, f"built without NOT NULL: {missing}"
        (schema, table), columns = sorted(tables.items())[0]
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            con.execute(f'insert into "{schema}"."{table}" ("{columns[0]}") values (null)')
