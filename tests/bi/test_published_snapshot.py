"""The published snapshot for BI tools, read by DuckDB 1.1 (what BI tools embed).

Readers hold the published file, never the working warehouse: a `dbt build` on the warehouse
and a new `publish` both go ahead while an old-DuckDB reader has the snapshot open, and that
reader keeps seeing the snapshot it opened.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import dbt_env, dbt_executable
from breadcrumbs.publish import publish

from .conftest import Scratch

READER = Path(__file__).with_name("old_reader.py")
MART_QUERY = "select count(*), sum(request_count) from marts.fct_slo_daily"

pytestmark = [pytest.mark.slow, pytest.mark.system, pytest.mark.timeout(900)]


class OldReader:
    """A DuckDB 1.1 process holding `path` open read-only; `query` sends one SQL line."""

    def __init__(self, python: Path, path: Path) -> None:
        self.proc = subprocess.Popen([str(python), str(READER), str(path)], text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        first = self.proc.stdout.readline()
        if not first.startswith("ready"):
            raise AssertionError(f"reader did not open {path}: {first}{self.proc.stderr.read()}")
        self.version = first.split()[1]

    def query(self, sql: str) -> list:
        self.proc.stdin.write(sql.replace("\n", " ") + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        assert "error" not in answer, answer["error"]
        return answer["rows"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def current(path: Path, sql: str) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [list(row) for row in con.execute(sql).fetchall()]
    finally:
        con.close()


def test_old_duckdb_reads_the_snapshot_while_dbt_builds(
    duckdb11: Path, scratch_warehouse: Scratch, tmp_path: Path
) -> None:
    paths = scratch_warehouse.paths
    expected = current(paths.published, MART_QUERY)
    output_file = tmp_path / "dbt-build.out"
    with output_file.open("w") as output:
        build = subprocess.Popen(
            [dbt_executable(), "build", "--project-dir", str(paths.root)], cwd=paths.root,
            env=dbt_env(paths, scratch_warehouse.seeds_dir), stdout=output,
            stderr=subprocess.STDOUT, text=True)
    reads_during_build = 0
    try:
        # wait until dbt holds the working file (its first model has run), then read
        log = paths.target_dir / "logs" / "dbt.log"
        deadline = time.monotonic() + 300
        while build.poll() is None and time.monotonic() < deadline:
            if log.exists() and " OK created " in log.read_text(errors="replace")[-200_000:]:
                break
            time.sleep(0.2)
        while build.poll() is None:
            reader = OldReader(duckdb11, paths.published)
            assert reader.version.startswith("1.1.")
            rows = reader.query(MART_QUERY)
            reader.close()
            if build.poll() is None:
                reads_during_build += 1
            assert [list(r) for r in rows] == expected
    finally:
        build.wait(timeout=900)
    assert build.returncode == 0, output_file.read_text()[-3000:]
    assert reads_during_build > 0, "dbt build finished before a read could overlap it"


def test_publish_replaces_the_file_under_an_open_reader(
    duckdb11: Path, scratch_warehouse: Scratch
) -> None:
    paths = scratch_warehouse.paths
    publish(paths.warehouse, paths.published)
    before = current(paths.published, MART_QUERY)
    reader = OldReader(duckdb11, paths.published)
    try:
        assert [list(r) for r in reader.query(MART_QUERY)] == before
        con = duckdb.connect(str(paths.warehouse))
        con.execute("delete from marts.fct_slo_daily where service_id = 'checkout'")
        con.close()

        started = time.monotonic()
        publish(paths.warehouse, paths.published)  # rename over the file the reader holds
        assert time.monotonic() - started < 120

        after = current(paths.published, MART_QUERY)
        assert after[0][0] < before[0][0], "the new snapshot has the deleted rows"
        # the reader still sees the snapshot it opened, whole and consistent
        assert [list(r) for r in reader.query(MART_QUERY)] == before
        assert reader.query("select count(*) from marts.fct_slo_daily "
                            "where service_id = 'checkout'")[0][0] > 0
        # and a reader opening now sees the new one, in DuckDB 1.1 too
        fresh = OldReader(duckdb11, paths.published)
        assert [list(r) for r in fresh.query(MART_QUERY)] == after
        fresh.close()
    finally:
        reader.close()
    leftovers = [p.name for p in paths.published.parent.iterdir() if ".tmp-" in p.name]
    assert leftovers == []


def test_snapshot_has_marts_seeds_and_column_comments(scratch_warehouse: Scratch) -> None:
    published = scratch_warehouse.paths.published
    con = duckdb.connect(str(published), read_only=True)
    try:
        schemas = {r[0] for r in con.execute("select distinct schema_name from duckdb_tables()"
                                             ).fetchall()}
        assert {"marts", "seeds"} <= schemas
        assert not any(s.startswith("raw_") or s == "staging" for s in schemas)
        undocumented = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where schema_name in ('marts', 'metrics', 'seeds') "
            "and (comment is null or comment = '')").fetchall()
        assert undocumented == []  # persist_docs reaches the BI tools' catalog, seeds included
        bare_tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where comment is null or comment = ''").fetchall()
        assert bare_tables == []
        assert con.execute("select count(*) from duckdb_tables() where schema_name = 'marts' "
                           "and comment is not null").fetchone()[0] > 10
    finally:
        con.close()
