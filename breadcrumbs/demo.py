"""`breadcrumbs demo`: simulate, serve, ingest over HTTP, dbt build, docs, publish."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from breadcrumbs.dbt import run_dbt
from breadcrumbs.ingest import environment, ingest, pipelines_dir, simulator_env
from breadcrumbs.project import Paths, ProjectError
from breadcrumbs.publish import publish
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds
from breadcrumbs.simulator.server import serve

DEMO_MARKER = "demo-warehouse"


@dataclass
class DemoResult:
    paths: Paths
    raw_rows: dict[str, int]
    published: dict[str, int]
    docs: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def _reset_demo_warehouse(paths: Paths) -> None:
    """Start the demo from an empty warehouse, refusing to delete one the demo didn't make."""
    marker = paths.state_dir / DEMO_MARKER
    if paths.warehouse.exists() and not marker.exists():
        raise ProjectError(
            f"{paths.warehouse} exists and was not made by `breadcrumbs demo`: refusing to "
            "replace it. Pass --warehouse with another path, or move the file away."
        )
    for path in (paths.warehouse, paths.warehouse.with_name(paths.warehouse.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(paths.state_dir, ignore_errors=True)
    shutil.rmtree(pipelines_dir(paths.warehouse), ignore_errors=True)
    shutil.rmtree(paths.seeds_dir, ignore_errors=True)
    paths.state_dir.mkdir(parents=True)
    marker.write_text("created by breadcrumbs demo; safe to delete with the warehouse\n")


def run_demo(
    paths: Paths,
    scenario_file: Path,
    docs: bool = True,
    say: Callable[[str], None] = print,
    dbt_args: Sequence[str] = ("build",),
) -> DemoResult:
    """Run every stage of the demo, reporting progress through `say`. `dbt_args` replaces
    `build` (e.g. a build without data tests for the `why` accuracy suite)."""
    timings: dict[str, float] = {}

    def stage(name: str) -> Callable[[], None]:
        started = time.perf_counter()
        say(f"==> {name}")
        return lambda: timings.__setitem__(name, round(time.perf_counter() - started, 2))

    done = stage(f"simulate {scenario_file.name}")
    scenario = load_scenario(scenario_file)
    world = generate(scenario)
    _reset_demo_warehouse(paths)
    write_seeds(world, paths.seeds_dir)
    done()
    say(f"    {len(world.teams)} teams, {len(world.services)} services, "
        f"{len(world.customers)} customers, {world.start:%Y-%m-%d} → {world.end:%Y-%m-%d}")

    done = stage("ingest over HTTP from the simulator on 127.0.0.1 (dlt)")
    with serve(world) as server, environment(simulator_env(server, world)):
        raw_rows = ingest(paths.warehouse, progress=say)
    done()

    done = stage(f"dbt {' '.join(dbt_args)}")
    run_dbt(list(dbt_args), paths, seeds_dir=paths.seeds_dir)
    done()

    docs_path = None
    if docs:
        done = stage("dbt docs generate")
        run_dbt(["docs", "generate", "--static"], paths, seeds_dir=paths.seeds_dir)
        docs_path = paths.docs_dir / "static_index.html"
        done()

    done = stage("publish the BI snapshot")
    published = publish(paths.warehouse, paths.published)
    done()
    return DemoResult(paths, raw_rows, published, docs_path, timings)
