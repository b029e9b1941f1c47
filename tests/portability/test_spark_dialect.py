"""macros/spark_dialect.sql redefines dbt-core's `statement` for every adapter (it cannot be
dispatched) and dbt-spark's seed loader. Apart from the Spark type translation they must stay
the installed dbt's macros: an upgrade of dbt that changes them fails here, not in a build."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from tests.paths import ROOT

OURS = (ROOT / "macros" / "spark_dialect.sql").read_text()


def installed(package: str, relative: str) -> str:
    """A macro file shipped with an installed dbt package (dbt.include.<package>)."""
    spec = importlib.util.find_spec(f"dbt.include.{package}")
    assert spec is not None and spec.submodule_search_locations, (
        f"dbt.include.{package} is not installed: `make setup` installs dbt-spark (dev extra)")
    return (Path(next(iter(spec.submodule_search_locations))) / relative).read_text()


def macro(text: str, name: str) -> str:
    """The body of `{% macro name(...) %}` ... `{% endmacro %}`, comments and whitespace
    removed."""
    found = re.search(r"{%-?\s*macro\s+" + re.escape(name) + r"\(.*?{%-?\s*endmacro\s*-?%}",
                      text, re.S)
    assert found, f"no macro {name}"
    body = re.sub(r"{#.*?#}", "", found.group(0), flags=re.S)
    return re.sub(r"\s+", "", body.replace("-%}", "%}").replace("{%-", "{%"))


def test_statement_is_dbt_cores_plus_the_spark_translation() -> None:
    ours = macro(OURS, "statement")
    translation = macro(
        "{% macro statement(x) %}"
        "{%- if language == 'sql' and target.type in ('spark', 'databricks') -%}"
        "{%- set compiled_code = spark_dialect(compiled_code) -%}"
        "{%- endif -%}{% endmacro %}", "statement").removeprefix("{%macrostatement(x)%}")
    translation = translation.removesuffix("{%endmacro%}")
    assert translation in ours
    dbt_core = macro(installed("global_project", "macros/etc/statement.sql"), "statement")
    assert ours.replace(translation, "") == dbt_core


def test_seed_loader_is_dbt_sparks_with_translated_types() -> None:
    ours = macro(OURS, "spark__load_csv_rows")
    dbt_spark = macro(installed("spark", "macros/materializations/seed.sql"),
                      "spark__load_csv_rows")
    untranslated = ours.replace(
        "spark_dialect(column_override.get(col_name,inferred_type))",
        "column_override.get(col_name,inferred_type)")
    assert untranslated != ours
    assert untranslated == dbt_spark
