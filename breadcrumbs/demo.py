"""`breadcrumbs demo`: simulate, serve, ingest over HTTP, dbt build, docs, publish."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from breadcrumbs.dbt import run_dbt
from breadcrumbs.demo_state import (
    MANIFEST_DIR,
    DemoState,
    build_fingerprint,
    file_stamp,
    raw_fingerprint,
    verdicts_fingerprint,
)
from breadcrumbs.ingest import landed_loads, pipelines_dir
from breadcrumbs.project import Paths, ProjectError
from breadcrumbs.publish import publish
from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.load import ingest_simulated
from breadcrumbs.simulator.scenario import load_scenario
from breadcrumbs.simulator.seeds import write_seeds
from breadcrumbs.why.verdicts import refresh as refresh_verdicts

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
    fresh: bool = False,
) -> DemoResult:
    """Run every stage of the demo, reporting progress through `say`. `dbt_args` replaces
    `build` (e.g. a build without data tests for the `why` accuracy suite).

    A stage whose inputs are unchanged since the last demo into the same warehouse is skipped,
    and a project change rebuilds only the changed dbt nodes and their descendants
    (breadcrumbs/demo_state.py); `fresh` starts from scratch regardless."""
    timings: dict[str, float] = {}

    def stage(name: str) -> Callable[[], None]:
        started = time.perf_counter()
        say(f"==> {name}")
        return lambda: timings.__setitem__(name, round(time.perf_counter() - started, 2))

    def skip(name: str, why: str) -> None:
        say(f"==> {name}: {why}")
        timings[name] = 0.0

    raw_fp = raw_fingerprint(paths.root, scenario_file)
    state = _reusable_state(paths, raw_fp) if not fresh else None
    if state is not None:
        skip(f"simulate {scenario_file.name} and ingest",
             "scenario, simulator and pipelines unchanged since the last demo: reusing its "
             "landed raw data (`breadcrumbs demo --fresh` starts over)")
        say(f"    {state.summary}")
    else:
        done = stage(f"simulate {scenario_file.name}")
        scenario = load_scenario(scenario_file)
        world = generate(scenario)
        _reset_demo_warehouse(paths)
        write_seeds(world, paths.seeds_dir)
        done()
        state = DemoState(paths.state_dir)
        state.summary = (f"{len(world.teams)} teams, {len(world.services)} services, "
                         f"{len(world.customers)} customers, "
                         f"{world.start:%Y-%m-%d} → {world.end:%Y-%m-%d}")
        say(f"    {state.summary}")

        done = stage("ingest over HTTP from the simulator on 127.0.0.1 (dlt)")
        state.starting("raw")
        state.raw_rows = ingest_simulated(world, paths.warehouse, progress=say)
        state.landed = landed_loads(paths.warehouse)
        state.finished("raw", raw_fp)
        done()

    build_fp = build_fingerprint(paths.root, raw_fp, dbt_args)
    name = f"dbt {' '.join(dbt_args)}"
    if state.fresh("build", build_fp):
        skip(name, "models and raw data unchanged since the last build")
    else:
        args = list(dbt_args)
        previous = state.manifest_dir / "manifest.json"
        if previous.exists() and _saved_args(state) == args and "--select" not in args:
            # --full-refresh: an edited incremental model (a new column) is rebuilt, not
            # refused by on_schema_change; only the selected nodes are rebuilt either way
            args += ["--select", "state:modified+", "--state", str(state.manifest_dir),
                     "--full-refresh"]
            name += " (changed models and everything downstream of them)"
        done = stage(name)
        state.starting("build")
        run_dbt(args, paths, seeds_dir=paths.seeds_dir)
        _save_manifest(state, paths.target_dir / "manifest.json", list(dbt_args))
        state.finished("build", build_fp)
        done()

    verdicts_fp = verdicts_fingerprint(paths.root, build_fp)
    if state.fresh("verdicts", verdicts_fp):
        skip("the walk's step from every red period", "unchanged since the last build")
    else:
        done = stage("the walk's step from every red period (why_step_verdicts, metric_health)")
        state.starting("verdicts")
        refreshed = refresh_verdicts(paths.warehouse)
        say(f"    {refreshed.summary()}")
        state.finished("verdicts", verdicts_fp)
        done()

    docs_path = None
    if docs:
        docs_path = paths.docs_dir / "static_index.html"
        if state.fresh("docs", build_fp) and docs_path.exists():
            skip("dbt docs generate", "unchanged since the last build")
        else:
            done = stage("dbt docs generate")
            state.starting("docs")
            run_dbt(["docs", "generate", "--static"], paths, seeds_dir=paths.seeds_dir)
            state.finished("docs", build_fp)
            done()

    if (state.fresh("publish", build_fp) and state.published
            and file_stamp(paths.published) == state.published_stamp):
        skip("publish the BI snapshot", f"{paths.published.name} is up to date")
    else:
        done = stage("publish the BI snapshot")
        state.starting("publish")
        state.published = publish(paths.warehouse, paths.published)
        state.published_stamp = file_stamp(paths.published)
        state.finished("publish", build_fp)
        done()
    return DemoResult(paths, state.raw_rows, state.published, docs_path, timings)


def _reusable_state(paths: Paths, raw_fp: str) -> DemoState | None:
    """The last demo's state when its landed raw data can be reused as it is: same inputs,
    made by the demo, and nothing else has loaded data into the warehouse since."""
    if not (paths.state_dir / DEMO_MARKER).exists() or not paths.seeds_dir.is_dir():
        return None
    state = DemoState.load(paths.state_dir)
    if not state.fresh("raw", raw_fp) or landed_loads(paths.warehouse) != state.landed:
        return None
    return state


def _saved_args(state: DemoState) -> list[str] | None:
    try:
        return json.loads((state.manifest_dir / "args.json").read_text())
    except (OSError, ValueError):
        return None


def _save_manifest(state: DemoState, manifest: Path, dbt_args: list[str]) -> None:
    """Keep the manifest of this successful build for the next run's `state:modified+`."""
    tmp = state.state_dir / f".{MANIFEST_DIR}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copy2(manifest, tmp / "manifest.json")
    (tmp / "args.json").write_text(json.dumps(dbt_args))
    shutil.rmtree(state.manifest_dir, ignore_errors=True)
    tmp.rename(state.manifest_dir)
