"""`why`, `review` and the report read PostgreSQL as they read DuckDB: the tables they use,
copied from the default demo warehouse into a throwaway PostgreSQL server (the harness of
`make test-postgres`), give the same walks, briefs and report as the DuckDB file, through the
profile's postgres target (BREADCRUMBS_TARGET=postgres and its BREADCRUMBS_PG_* settings).

The dbt build on PostgreSQL is checked table by table against DuckDB by `make test-postgres`;
this checks the reader on those tables. Runs in `make test-postgres` (`pytest -m postgres`):
it needs the postgres extra (psycopg2) and the PostgreSQL server binaries."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from breadcrumbs.warehouse import TABLES, open_warehouse

pytestmark = pytest.mark.postgres

# DuckDB column types of the tables the surfaces read -> PostgreSQL
TYPES = {"BIGINT": "bigint", "INTEGER": "integer", "BOOLEAN": "boolean", "DATE": "date",
         "DOUBLE": "double precision", "TIMESTAMP": "timestamp", "VARCHAR": "text",
         "TIMESTAMP WITH TIME ZONE": "timestamptz", "HUGEINT": "numeric(38, 0)"}


def pg_type(duck_type: str) -> str:
    if duck_type.startswith("DECIMAL"):
        return duck_type.replace("DECIMAL", "numeric")
    assert duck_type in TYPES, f"no PostgreSQL type for {duck_type}: add it to TYPES"
    return TYPES[duck_type]


def same(a, b) -> bool:
    """Equal, doubles within 1e-9 relative (the engines sum and correlate in other orders:
    harness/portability/compare.py's tolerance)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def copy_tables(duck_path: Path, conn) -> int:
    """Every table of TABLES, in its schema, from the DuckDB file to the server."""
    import duckdb
    from psycopg2.extras import execute_values

    duck = duckdb.connect(str(duck_path), read_only=True)
    copied = 0
    try:
        found = duck.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_name in (" + ", ".join("?" for _ in TABLES) + ")", list(TABLES),
        ).fetchall()
        with conn.cursor() as cur:
            for schema, table in found:
                columns = duck.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table]).fetchall()
                cur.execute(f'create schema if not exists "{schema}"')
                cur.execute(f'create table "{schema}"."{table}" ('
                            + ", ".join(f'"{name}" {pg_type(kind)}' for name, kind in columns)
                            + ")")
                rows = duck.execute(f'select * from "{schema}"."{table}"').fetchall()
                if rows:
                    execute_values(cur, f'insert into "{schema}"."{table}" values %s', rows,
                                   page_size=2000)
                copied += 1
        conn.commit()
    finally:
        duck.close()
    return copied


@pytest.fixture(scope="module")
def postgres_env(default_warehouse: Path) -> Iterator[dict[str, str]]:
    """A throwaway server holding the default demo's surface tables; the profile's
    postgres target settings for it. Its folder is world-readable (as root the server runs as
    the `postgres` user, which cannot enter pytest's private temp folders)."""
    import shutil
    import tempfile

    import psycopg2

    from harness.portability.postgres import USER, find_pg_bin, throwaway_cluster

    bin_dir = find_pg_bin()
    assert bin_dir is not None, ("no pg_ctl/initdb on PATH or in /usr/lib/postgresql/*/bin: "
                                 "install the PostgreSQL server (apt-get install postgresql)")
    workdir = Path(tempfile.mkdtemp(prefix="breadcrumbs-pg-test-"))
    workdir.chmod(0o755)
    with throwaway_cluster(workdir, bin_dir) as server:
        env = server.env
        conn = psycopg2.connect(host="127.0.0.1", port=server.port, user=USER,
                                dbname=env["BREADCRUMBS_PG_DBNAME"], sslmode="disable")
        try:
            assert copy_tables(default_warehouse, conn) == len(TABLES)
        finally:
            conn.close()
        yield {**env, "BREADCRUMBS_TARGET": "postgres"}
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def on_postgres(postgres_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)


def test_the_profile_target_opens_the_server(default_warehouse: Path, on_postgres) -> None:
    wh = open_warehouse(default_warehouse)
    try:
        assert wh.engine == "postgres"
        assert set(wh.names) == set(TABLES)
        counts = wh.rows(f"select count(*) as n from {wh.table('metric_values')} "
                         "where metric_id = ?", ["mrr"])
        assert counts[0]["n"] > 0
    finally:
        wh.close()


def _on_both(default_warehouse: Path, postgres_env: dict[str, str], monkeypatch, answer):
    """`answer()` on DuckDB, then on PostgreSQL."""
    monkeypatch.delenv("BREADCRUMBS_TARGET", raising=False)
    on_duckdb = answer()
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    return on_duckdb, answer()


def test_why_walks_every_metric_the_same(default_warehouse: Path, postgres_env, monkeypatch):
    """Every metric of the catalog at org level (default period), and the walks of
    docs/why-algorithm.md's examples, answer the same `why --json` on both engines."""
    from breadcrumbs.warehouse import load_catalog
    from breadcrumbs.why import explain
    from breadcrumbs.why.walk import WhyError

    wh = open_warehouse(default_warehouse, target="duckdb")
    try:
        metric_ids = sorted(load_catalog(wh))
    finally:
        wh.close()
    asked = [(metric_id, None, None) for metric_id in metric_ids] + [
        ("churned_mrr", None, "2026-09-01"), ("engineering_cost_per_feature", "payments", None)]

    def answers() -> dict:
        out = {}
        for metric_id, entity, period in asked:
            try:
                out[(metric_id, entity, period)] = explain(
                    default_warehouse, metric_id, entity=entity, period=period).as_json()
            except WhyError as exc:  # e.g. an org-less metric: the same error on both
                out[(metric_id, entity, period)] = f"error: {exc}"
        return out

    on_duckdb, on_postgres = _on_both(default_warehouse, postgres_env, monkeypatch, answers)
    assert sum(not isinstance(v, str) for v in on_duckdb.values()) >= len(metric_ids) // 2
    for key, expected in on_duckdb.items():
        if not same(expected, on_postgres[key]):
            import difflib
            import json

            lines = [json.dumps(x, indent=1, default=str, sort_keys=True).splitlines()
                     for x in (expected, on_postgres[key])]
            diff = "\n".join(difflib.unified_diff(*lines, "duckdb", "postgres", lineterm=""))
            raise AssertionError(f"why {key} differs on PostgreSQL:\n{diff}")


def test_review_writes_the_same_brief(default_warehouse: Path, postgres_env, monkeypatch):
    from breadcrumbs.review import review, to_markdown

    def briefs() -> list[str]:
        return [to_markdown(review(default_warehouse, team=team))
                for team in ("payments", "platform", "growth")] + [
            to_markdown(review(default_warehouse, team="payments", week="2026-08-19"))]

    on_duckdb, on_postgres = _on_both(default_warehouse, postgres_env, monkeypatch, briefs)
    assert "payments" in on_duckdb[-1]
    assert on_postgres == on_duckdb


def test_the_report_is_the_same(default_warehouse: Path, postgres_env, monkeypatch,
                                tmp_path: Path) -> None:
    from breadcrumbs.report import write_report

    def report() -> str:
        out = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.html"
        return write_report(default_warehouse, out).read_text(encoding="utf-8")

    on_duckdb, on_postgres = _on_both(default_warehouse, postgres_env, monkeypatch, report)
    assert "Protects revenue" in on_duckdb
    assert on_postgres == on_duckdb
