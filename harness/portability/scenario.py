"""Run a simulator scenario into a dlt destination and build it with dbt on a given target."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from breadcrumbs.dbt import run_dbt
from breadcrumbs.ingest import environment, pipelines_dir
from breadcrumbs.project import Paths, find_root
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.load import ingest_simulated
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds


@dataclass
class Timer:
    """Wall-clock seconds per stage, in the order they ran."""

    timings: dict[str, float]
    say: Callable[[str], None] = print

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.say(f"==> {name}")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - started, 1)


def run_paths(workdir: Path, name: str) -> Paths:
    """Paths for one engine's run under `workdir`: dlt state beside `<name>.duckdb` (a file only
    the duckdb run creates), dbt's target and the scenario's seeds in per-run folders of
    build/ (named after that path, so runs never share them)."""
    warehouse = workdir / name / f"{name}.duckdb"
    return Paths(root=find_root(Path(__file__).parent), warehouse=warehouse,
                 published=warehouse.with_name(f"{name}_published.duckdb"))


def simulate_and_ingest(scenario_file: Path, paths: Paths, destination: Any,
                        say: Callable[[str], None] = print,
                        days_before_end: int = 0) -> dict[str, int]:
    """Generate the scenario, write its seeds, serve it on 127.0.0.1 and load every source
    into `destination` through the dlt pipelines; rows per raw table. `days_before_end`
    serves the scenario as it stood that many days before its end (a run on an earlier day)."""
    world = generate(load_scenario(scenario_file))
    as_of = world.end - timedelta(days=days_before_end) if days_before_end else None
    shutil.rmtree(pipelines_dir(paths.warehouse), ignore_errors=True)
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    write_seeds(world, paths.seeds_dir)
    return ingest_simulated(world, paths.warehouse, progress=lambda line: say(f"    {line}"),
                            destination=destination, as_of=as_of)


def dbt_build(paths: Paths, target: str, env: dict[str, str] | None = None,
              args: tuple[str, ...] = ()) -> str:
    """`dbt build --target <target>` for the whole project; its output (DbtError on failure)."""
    with environment(env or {}):
        return run_dbt(["build", "--target", target, *args], paths, seeds_dir=paths.seeds_dir)


def start_duckdb_reference(scenario_file: Path, paths: Paths, log: Path) -> subprocess.Popen:
    """The DuckDB demo of the same scenario (the reference), as a background process."""
    for stale in (paths.warehouse, paths.state_dir):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(Path(sys.executable).parent / "breadcrumbs"), "demo", "--scenario",
               str(scenario_file), "--warehouse", str(paths.warehouse), "--no-docs"]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=paths.root, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "RUNTIME__DLTHUB_TELEMETRY": "false"})
