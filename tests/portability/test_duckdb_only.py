"""Portability guard: no DuckDB-only function, syntax or type in the models, except inside a
dispatched macro's engine branch (`{% macro duckdb__... %}` in macros/; `default__` branches
are checked: they run on every engine without its own). The list lives in
tests/portability/duckdb_only.py; `make test-postgres` is the real guard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.paths import ROOT
from tests.portability.duckdb_only import FUNCTIONS, SYNTAX, TYPES

SQL_FILES = sorted([*ROOT.glob("models/**/*.sql"), *ROOT.glob("macros/**/*.sql"),
                    *ROOT.glob("tests/dbt/**/*.sql")])
YAML_FILES = sorted([*ROOT.glob("models/**/*.yml"), *ROOT.glob("seeds/**/*.yml")])

# an engine's own branch of a dispatched macro may use that engine's functions
ADAPTERS = ("duckdb", "postgres", "spark", "databricks", "snowflake", "bigquery", "redshift")
DISPATCHED_BRANCH = re.compile(r"{%-?\s*macro\s+(" + "|".join(ADAPTERS)
                               + r")__.*?{%-?\s*endmacro\s*-?%}", re.S)
FUNCTION_CALL = re.compile(r"(?<![.\w])(" + "|".join(sorted(FUNCTIONS, key=len, reverse=True))
                           + r")\s*\(")
CAST_TYPE = re.compile(r"\bas\s+(" + "|".join(TYPES) + r")\b(?!\s+precision)")
YAML_TYPE = re.compile(r"^\s*(" + "|".join(TYPES) + r")\b(?!\s+precision)")


def portable_text(sql: str) -> str:
    """The SQL a reader would check: adapter branches of dispatched macros, Jinja comments and
    expressions, SQL comments and string literals removed; lower-cased."""
    sql = DISPATCHED_BRANCH.sub(" ", sql)
    sql = re.sub(r"{#.*?#}", " ", sql, flags=re.S)
    sql = re.sub(r"{{.*?}}", " x ", sql, flags=re.S)  # a macro call: checked where defined
    sql = re.sub(r"{%.*?%}", " ", sql, flags=re.S)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    return sql.lower()


def problems_in_sql(sql: str) -> list[str]:
    """Every DuckDB-only use in one SQL text, with its portable replacement."""
    text = portable_text(sql)
    found = [f"{m.group(1)}(): use {FUNCTIONS[m.group(1)]}" for m in FUNCTION_CALL.finditer(text)]
    found += [f"`{m.group(0).strip()}`: use {fix}" for pattern, fix in SYNTAX.items()
              for m in re.finditer(pattern, text)]
    found += [f"type {m.group(1)}: use {TYPES[m.group(1)]}" for m in CAST_TYPE.finditer(text)]
    return found


def yaml_types(node: object) -> list[str]:
    """Every `data_type` and seed `column_types` value in a YAML document."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data_type" and isinstance(value, str):
                found.append(value)
            elif key in ("column_types", "+column_types") and isinstance(value, dict):
                found.extend(str(v) for v in value.values())
            else:
                found.extend(yaml_types(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(yaml_types(item))
    return found


def test_the_guard_catches_duckdb_only_sql() -> None:
    bad = """
    select median(x) as m, try_cast(y as integer) as y, z::date as d, count_if(ok) as n,
        cast(w as double) as w
    from t qualify row_number() over () = 1
    """
    found = " | ".join(problems_in_sql(bad))
    for expected in ("median()", "try_cast()", "`::`", "count_if()", "type double", "qualify"):
        assert expected in found


def test_the_guard_catches_a_quotient_of_decimal_literals() -> None:
    """Spark's DECIMAL literal division (issue 27: a cube root taken as `power(x, 1.0 / 3.0)`
    moved Spark's count_z_score by 3.5e-06 relative); a double times a literal is fine."""
    assert problems_in_sql("select power(x, 1.0 / 3.0) as r from t")
    assert problems_in_sql("select (1.0/3.0) * x as r from t")
    assert problems_in_sql("select x * 2.0 / 3.0 as r, power(x, cast(1 as double precision) "
                           "/ cast(3 as double precision)) as q from t") == []


def test_the_guard_allows_portable_sql_and_duckdb_branches() -> None:
    good = """
    {% macro duckdb__f(x) %} try_cast({{ x }} as double) {% endmacro %}
    select {{ dbt.datediff('a', 'b', 'second') }} as s, cast(v as double precision) as v,
        'median(x)::int' as label  -- median(x) in a comment
    from t
    """
    assert problems_in_sql(good) == []


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_duckdb_only_sql(path: Path) -> None:
    found = problems_in_sql(path.read_text())
    assert not found, f"{path.relative_to(ROOT)} is not portable:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_contract_types_are_portable(path: Path) -> None:
    types = yaml_types(yaml.safe_load(path.read_text()))
    bad = sorted({t for t in types if YAML_TYPE.match(t.lower())})
    assert not bad, (f"{path.relative_to(ROOT)}: data types not valid on PostgreSQL: "
                     + ", ".join(f"{t} (use {TYPES[YAML_TYPE.match(t.lower()).group(1)]})"
                                 for t in bad))


POSTGRES_IDENTIFIER_MAX = 63  # PostgreSQL truncates or refuses longer names (NAMEDATALEN - 1)


def test_names_that_become_relations_fit_postgresql() -> None:
    """dbt creates a relation named after every model, seed, snapshot and unit test; PostgreSQL
    refuses a unit test whose name is longer than 63 characters ("Relation name … is longer
    than 63 characters") and silently truncates a model's."""
    too_long = []
    for path in YAML_FILES:
        document = yaml.safe_load(path.read_text()) or {}
        for kind in ("models", "seeds", "snapshots", "unit_tests"):
            for entry in document.get(kind) or []:
                name = entry.get("name", "")
                if len(name) > POSTGRES_IDENTIFIER_MAX:
                    too_long.append(f"{path.relative_to(ROOT)}: {kind} {name} ({len(name)})")
    too_long += [f"{path.relative_to(ROOT)} ({len(path.stem)})" for path in SQL_FILES
                 if path.parts[-3:-1] != ("tests", "dbt") and "models" in path.parts
                 and len(path.stem) > POSTGRES_IDENTIFIER_MAX]
    assert too_long == [], "rename (PostgreSQL's limit is 63 characters):\n" + "\n".join(too_long)
