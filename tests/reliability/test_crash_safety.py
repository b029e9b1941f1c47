"""Idempotence and crash safety: `kill -9` during ingest, dbt build and publish, then a re-run,
gives the marts of a clean run; the published file is absent, the old one or the new one.

One chain of subprocesses shares one warehouse (kill/wh.duckdb); the clean reference build
(clean/wh.duckdb) runs in the background meanwhile. Every wait is a bounded poll."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.dbt import dbt_env
from breadcrumbs.ingest import pipelines_dir, simulator_env
from breadcrumbs.project import Paths, resolve_paths
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.server import serve
from tests.reliability.rel_helpers import (
    ROOT,
    SCENARIO,
    alive,
    children,
    cli_env,
    files_newer_than,
    kill9,
    mart_hashes,
    raw_hashes,
    read_until,
    run,
    start,
    table_hashes,
    wait_for,
    wait_while_running,
)

STAGE_TIMEOUT = 600


@dataclass
class Chain:
    """What the kill chain observed, for the tests to assert on."""

    paths: Paths
    orphans_left: list[int] = field(default_factory=list)
    killed_at: list[str] = field(default_factory=list)
    demo_marts: dict[str, str] = field(default_factory=dict)
    exact_demo_marts: dict[str, str] = field(default_factory=dict)
    published_after_kill: list[dict[str, str] | None] = field(default_factory=list)
    published_reference: dict[str, str] = field(default_factory=dict)
    stale_temporaries: list[str] = field(default_factory=list)
    rerun_raw: dict[str, str] = field(default_factory=dict)
    rerun_marts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def published_content(path: Path) -> dict[str, str] | None:
    """Content hashes of a published file, None when it does not exist, or the error of a
    file that does not open (half written)."""
    if not path.exists():
        return None
    try:
        return table_hashes(path, ("marts", "metrics", "seeds"),
                            lambda column: column == "loaded_at", exact=False)
    except duckdb.Error as error:
        return {"unreadable": str(error)}


def file_state(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime, stat.st_size


def demo_args(paths: Paths) -> list[str]:
    return ["demo", "--scenario", str(SCENARIO), "--warehouse", str(paths.warehouse),
            "--no-docs"]


def kill_demo_during_ingest(paths: Paths, chain: Chain) -> None:
    proc = start(demo_args(paths))
    read_until(proc, "ci: loading", STAGE_TIMEOUT)  # github landed, ci on its way
    kill9(proc)
    chain.killed_at.append("demo: ingest (ci loading)")


def kill_demo_during_dbt(paths: Paths, chain: Chain) -> None:
    proc = start(demo_args(paths))
    read_until(proc, "==> dbt build", STAGE_TIMEOUT)
    since = time.time()
    wait_while_running(proc, lambda: files_newer_than(paths.target_dir / "run", since) >= 15,
                       STAGE_TIMEOUT, "dbt built 15 models")
    orphans = kill9(proc)
    chain.killed_at.append("demo: dbt build (15 models in)")
    try:  # dbt must die with the demo, or it keeps writing the warehouse behind the re-run
        wait_for(lambda: not any(alive(pid) for pid in orphans), 10, "dbt to exit")
    except AssertionError:
        chain.orphans_left = [pid for pid in orphans if alive(pid)]
        for pid in chain.orphans_left:
            os.kill(pid, signal.SIGKILL)


def kill_demo_during_publish(paths: Paths, chain: Chain) -> None:
    proc = start(demo_args(paths))
    read_until(proc, "==> publish the BI snapshot", STAGE_TIMEOUT)
    temporaries = paths.published.parent.glob
    wait_for(lambda: any(temporaries(f".{paths.published.name}.tmp-*")) or proc.poll() is not
             None, 60, "publish to start writing")
    if proc.poll() is None:
        kill9(proc)
        chain.killed_at.append("demo: publish (temporary file written)")
    else:
        chain.notes.append("publish finished before the kill")
    chain.published_after_kill.append(published_content(paths.published))


def kill_publish(paths: Paths, chain: Chain, min_bytes: int) -> None:
    """`breadcrumbs publish` killed once its temporary file holds `min_bytes`."""
    before = file_state(paths.published)
    proc = start(["publish", "--warehouse", str(paths.warehouse)])

    def written() -> bool:  # the temporary file, or the published file itself, is written
        sizes = [p.stat().st_size for p in
                 paths.published.parent.glob(f".{paths.published.name}.tmp-*")]
        now = file_state(paths.published)
        return (bool(sizes) and max(sizes) >= min_bytes
                or (now != before and now is not None and now[1] >= min_bytes)
                or proc.poll() is not None)
    wait_for(written, 60, f"publish to write {min_bytes} bytes")
    if proc.poll() is None:
        kill9(proc)
        chain.killed_at.append(f"publish: temporary at >= {min_bytes} bytes")
    chain.published_after_kill.append(published_content(paths.published))


def kill_ingest_and_dbt_without_reset(paths: Paths, chain: Chain) -> None:
    """`breadcrumbs ingest` and `dbt build` on the existing warehouse: killed, re-run."""
    world = generate(load_scenario(SCENARIO))
    with serve(world) as server:
        env = cli_env(**simulator_env(server, world))
        proc = start(["ingest", "--warehouse", str(paths.warehouse)], env)
        read_until(proc, "ci: loading", STAGE_TIMEOUT)
        kill9(proc)
        chain.killed_at.append("ingest: ci loading (no reset)")
        done = run(["ingest", "--warehouse", str(paths.warehouse)], env, STAGE_TIMEOUT)
        assert done.returncode == 0, done.stdout + done.stderr
    chain.rerun_raw = raw_hashes(paths.warehouse)
    env = dbt_env(paths, seeds_dir=paths.seeds_dir)
    env["PYTHONUNBUFFERED"] = "1"
    since = time.time()
    proc = start(["build", "--project-dir", str(ROOT)], env, executable="dbt")
    wait_while_running(proc, lambda: files_newer_than(paths.target_dir / "run", since) >= 25,
                       STAGE_TIMEOUT, "dbt rebuilt 25 models")
    kill9(proc)
    chain.killed_at.append("dbt build: 25 models in (no reset)")
    done = run(["build", "--project-dir", str(ROOT)], env, STAGE_TIMEOUT, executable="dbt")
    assert done.returncode == 0, done.stdout[-4000:]
    chain.rerun_marts = mart_hashes(paths.warehouse)


FAKE_DBT = """#!/bin/sh
echo started
exec sleep 120
"""


@pytest.mark.timeout(60)
def test_dbt_dies_with_a_killed_breadcrumbs(tmp_path: Path) -> None:
    """run_dbt's child must not outlive `kill -9` of its parent (it would keep writing the
    warehouse and the target folder behind the re-run)."""
    fake = tmp_path / "dbt"
    fake.write_text(FAKE_DBT)
    fake.chmod(0o755)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import breadcrumbs.dbt as d\n"
        "from breadcrumbs.project import resolve_paths\n"
        f"d.dbt_executable = lambda: {str(fake)!r}\n"
        "print('parent', flush=True)\n"
        f"d.run_dbt(['build'], resolve_paths({str(tmp_path / 'wh.duckdb')!r}))\n")
    proc = start(["-c", script], cli_env(), executable="python")
    read_until(proc, "parent", 30)

    def dbt_running() -> bool:
        return any(b"sleep" in Path(f"/proc/{pid}/cmdline").read_bytes()
                   for pid in children(proc.pid) if alive(pid))
    wait_for(dbt_running, 30, "the fake dbt to start")
    orphans = kill9(proc)
    assert orphans
    try:
        wait_for(lambda: not any(alive(pid) for pid in orphans), 10, "dbt to die with its parent")
    finally:
        for pid in orphans:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def chain(rel_base: Path) -> Iterator[Chain]:
    """Session-scoped like `clean`, and requested before it, so both build at once."""
    paths = resolve_paths(str(rel_base / "kill" / "wh.duckdb"), root=ROOT)
    observed = Chain(paths)
    kill_demo_during_ingest(paths, observed)
    kill_demo_during_dbt(paths, observed)
    kill_demo_during_publish(paths, observed)
    observed.demo_marts = mart_hashes(paths.warehouse)
    observed.exact_demo_marts = mart_hashes(paths.warehouse, exact=True)
    done = run(["publish", "--warehouse", str(paths.warehouse)])
    assert done.returncode == 0, done.stderr
    observed.published_reference = published_content(paths.published) or {}
    for size in (1, 4_000_000):
        kill_publish(paths, observed, size)
    done = run(["publish", "--warehouse", str(paths.warehouse)])
    assert done.returncode == 0, done.stderr
    observed.stale_temporaries = sorted(p.name for p in paths.published.parent.iterdir()
                                        if ".tmp-" in p.name)
    kill_ingest_and_dbt_without_reset(paths, observed)
    yield observed


@pytest.mark.slow
@pytest.mark.system
def test_same_scenario_twice_gives_identical_marts(chain: Chain, clean) -> None:
    assert clean.marts and len(clean.marts) > 40
    assert chain.demo_marts == clean.marts


@pytest.mark.slow
@pytest.mark.system
def test_marts_are_byte_identical(chain: Chain, clean) -> None:
    """No rounding: double means are summed as decimals (macro exact_avg), so DuckDB's
    parallel aggregation order cannot change the last bit between two builds."""
    assert chain.exact_demo_marts == clean.exact_marts


@pytest.mark.slow
@pytest.mark.system
def test_kill9_during_demo_then_rerun_gives_clean_marts(chain: Chain, clean) -> None:
    assert [k for k in chain.killed_at if k.startswith("demo:")][:2] == [
        "demo: ingest (ci loading)", "demo: dbt build (15 models in)"]
    assert chain.orphans_left == [], "dbt outlived the killed demo"
    assert chain.demo_marts == clean.marts


@pytest.mark.slow
@pytest.mark.system
def test_published_file_is_absent_old_or_new_never_half(chain: Chain, clean) -> None:
    reference = published_content(clean.paths.published)
    assert reference and chain.published_reference == reference
    assert len(chain.published_after_kill) == 3
    assert len([k for k in chain.killed_at if k.startswith("publish:")]) == 2
    for seen in chain.published_after_kill:
        assert seen is None or seen == reference
    assert chain.published_after_kill[1:] == [reference, reference]  # the old file survived
    assert chain.stale_temporaries == []  # the next publish cleans up after a killed one


@pytest.mark.slow
@pytest.mark.system
def test_kill9_during_ingest_and_dbt_without_reset(chain: Chain, clean) -> None:
    assert "ingest: ci loading (no reset)" in chain.killed_at
    assert chain.rerun_raw == raw_hashes(clean.paths.warehouse)
    assert chain.rerun_marts == clean.marts


@pytest.mark.slow
@pytest.mark.system
def test_kill9_during_run_then_rerun(chain: Chain, clean, tmp_path: Path) -> None:
    assert run(["run", "--help"]).returncode == 0, "`breadcrumbs run` is a CLI verb"
    paths = resolve_paths(str(tmp_path / "wh.duckdb"), root=ROOT)
    shutil.copy(chain.paths.warehouse, paths.warehouse)
    shutil.copytree(pipelines_dir(chain.paths.warehouse), pipelines_dir(paths.warehouse))
    world = generate(load_scenario(SCENARIO))
    args = ["run", "--warehouse", str(paths.warehouse)]
    with serve(world) as server:
        env = cli_env(**simulator_env(server, world),
                      BREADCRUMBS_SEEDS=str(chain.paths.seeds_dir.relative_to(ROOT)))
        proc = start(args, env)
        read_until(proc, "ci: loading", STAGE_TIMEOUT)
        kill9(proc)  # during ingest: leaves a stale run lock behind
        proc = start(args, env)
        read_until(proc, "==> dbt build", STAGE_TIMEOUT)
        since = time.time()
        wait_while_running(proc, lambda: files_newer_than(paths.target_dir / "run", since)
                           >= 15, STAGE_TIMEOUT, "dbt built 15 models")
        orphans = kill9(proc)
        wait_for(lambda: not any(alive(pid) for pid in orphans), 10, "dbt to exit with run")
        done = run(args, env, STAGE_TIMEOUT)
    output = done.stdout + done.stderr
    assert done.returncode == 0 or "published, but sources are stale" in output, output[-3000:]
    assert mart_hashes(paths.warehouse) == clean.marts
    assert published_content(paths.published) == published_content(clean.paths.published)


@pytest.mark.slow
@pytest.mark.system
def test_no_negative_zero_is_published(chain: Chain, clean) -> None:
    found: list[str] = []
    with duckdb.connect(str(clean.paths.published), read_only=True) as con:
        for schema, table, column in con.execute(
                "select schema_name, table_name, column_name from duckdb_columns() "
                "where data_type in ('DOUBLE', 'FLOAT')").fetchall():
            negative = con.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" = 0 '
                f'and cast("{column}" as varchar) like \'-%\'').fetchone()[0]
            if negative:
                found.append(f"{schema}.{table}.{column}: {negative} rows")
    assert found == []
