"""`breadcrumbs run`: the scheduled job, one at a time per warehouse.

ingest (dlt incremental state) → `dbt build` (incremental models) → the walk's step from every
red period of metric_health's window (why_step_verdicts) → `dbt source freshness` → publish.
A lock file beside the warehouse keeps two runs from overlapping; a lock left by a process that
is gone is taken over. A run never creates a warehouse unless told to (`init`): a mistyped path
must not turn into an unannounced full backfill against the real APIs.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from breadcrumbs.dbt import DbtError, run_dbt
from breadcrumbs.ingest import SOURCES, ingest, landed_loads, newest_load_id
from breadcrumbs.project import Paths, ProjectError
from breadcrumbs.publish import publish
from breadcrumbs.why.verdicts import refresh as refresh_verdicts

# Scheduled builds run every model and data test but not dbt unit tests: those check the
# models' logic on fixture rows, not the data, so they belong to development and CI (`make
# test` runs them), as dbt recommends; on a large warehouse they are ~10 s of every run.
SCHEDULED_BUILD = ("build", "--exclude-resource-type", "unit_test")
# The newest dlt load id when a scheduled build last passed. The next build tests the large
# append-only tables only on rows that can have changed since (macros/data_tests_on_new_rows.sql);
# a failed build leaves it, so its rows are tested again by the next run.
GREEN_BUILD_FILE = "last-green-build.json"
TESTS_LOADED_AFTER = "BREADCRUMBS_TESTS_LOADED_AFTER"


class RunLocked(ProjectError):
    """Another run holds the warehouse's lock."""


class NoWarehouse(ProjectError):
    """The warehouse does not exist and the run was not told to create it."""


class StaleSources(ProjectError):
    """The run finished and published, but `dbt source freshness` found stale sources."""


@dataclass
class RunResult:
    raw_rows: dict[str, int]
    published: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    freshness: str = "pass"  # pass | warn | error
    backfilled: list[str] = field(default_factory=list)  # sources loaded from the start


def lock_path(paths: Paths) -> Path:
    """`<warehouse>.lock`, beside the warehouse file."""
    return paths.warehouse.with_name(paths.warehouse.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(lock: Path) -> tuple[int | None, str]:
    """The pid and start time written in a lock file (None when unreadable)."""
    try:
        pid_text, _, started = lock.read_text().partition(" ")
        return int(pid_text), started.strip()
    except (OSError, ValueError):
        return None, ""


@contextmanager
def run_lock(paths: Paths) -> Iterator[Path]:
    """Hold the warehouse's run lock; RunLocked when a live process holds it."""
    lock = lock_path(paths)
    lock.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{os.getpid()} {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}\n"
    for _attempt in range(3):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pid, started = _holder(lock)
            if pid is not None and pid != os.getpid() and _alive(pid):
                raise RunLocked(
                    f"another `breadcrumbs run` (pid {pid}, started {started}) is running on "
                    f"{paths.warehouse}; this run exits (the lock {lock} is taken over "
                    "automatically once that process has ended)") from None
            if pid is None and time.time() - _mtime(lock) < 5:
                time.sleep(0.2)  # being written by a run that just started: read it again
                continue
            lock.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(stamp)
        break
    else:
        raise RunLocked(f"could not take the run lock {lock}: it was re-created by another run "
                        "three times in a row; this run exits")
    try:
        yield lock
    finally:
        if _holder(lock)[0] == os.getpid():
            lock.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def seeds_for(paths: Paths) -> Path | None:
    """The seeds a demo warehouse was built with, else None (BREADCRUMBS_SEEDS or seeds/)."""
    return paths.seeds_dir if paths.seeds_dir.is_dir() else None


def scheduled_build(paths: Paths, seeds_dir: Path | None = None, full_refresh: bool = False,
                    echo: bool = False) -> str:
    """`dbt build` as a scheduled run does it: no unit tests; data tests on append-only tables
    scoped to what landed since the last green build (all rows with `full_refresh`, or when no
    build has passed yet); records this build's newest load id when it passes."""
    marker = paths.state_dir / GREEN_BUILD_FILE
    newest = newest_load_id(paths.warehouse)
    previous = "" if full_refresh else _green_load_id(marker)
    output = run_dbt([*SCHEDULED_BUILD, *(["--full-refresh"] if full_refresh else [])], paths,
                     seeds_dir=seeds_dir, echo=echo,
                     extra_env={TESTS_LOADED_AFTER: previous} if previous else None)
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_name(f".{marker.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps({"load_id": newest}) + "\n")
    os.replace(tmp, marker)
    return output


def _green_load_id(marker: Path) -> str:
    """The load id the last green build recorded; '' when none (or unreadable: test all)."""
    try:
        load_id = str(json.loads(marker.read_text())["load_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return load_id if re.fullmatch(r"[0-9]+(\.[0-9]+)?", load_id) else ""


def backfilled_sources(paths: Paths, sources: list[str] | None = None) -> list[str]:
    """The sources this run loads from the beginning: none of their data is in the warehouse
    yet (every source, for a new warehouse)."""
    landed = {schema for schema, _count, _last in landed_loads(paths.warehouse)}
    return [name for name in (sources or SOURCES) if f"raw_{name}" not in landed]


def check_warehouse(paths: Paths, init: bool) -> None:
    """NoWarehouse when the warehouse file is missing and `init` was not given."""
    if init or paths.warehouse.exists():
        return
    raise NoWarehouse(
        f"no warehouse at {paths.warehouse}: check --warehouse / BREADCRUMBS_WAREHOUSE, or pass "
        "--init to create it (a full backfill of every source from the start of its history)")


def run(
    paths: Paths,
    sources: list[str] | None = None,
    full_refresh: bool = False,
    say: Callable[[str], None] = print,
    echo_dbt: bool = False,
    init: bool = False,
) -> RunResult:
    """One scheduled run under the lock; StaleSources after publishing when a source is stale.
    NoWarehouse (before anything is touched) when the warehouse is missing and `init` is not
    set. `echo_dbt` shows dbt's own per-model progress (on a terminal)."""
    check_warehouse(paths, init)
    timings: dict[str, float] = {}

    def stage(name: str) -> Callable[[], None]:
        started = time.perf_counter()
        say(f"==> {name}")
        return lambda: timings.__setitem__(name, round(time.perf_counter() - started, 2))

    seeds = seeds_for(paths)
    with run_lock(paths):
        backfill = backfilled_sources(paths, sources)
        if backfill and len(backfill) == len(sources or SOURCES):
            done = stage("ingest: FULL BACKFILL (nothing landed yet; every source from the start)")
        elif backfill:
            done = stage(f"ingest (incremental; FULL BACKFILL of {', '.join(backfill)}: nothing "
                         "of it landed yet)")
        else:
            done = stage("ingest (incremental, dlt state beside the warehouse)")
        raw_rows = ingest(paths.warehouse, sources=sources, progress=lambda m: say(f"    {m}"))
        done()

        done = stage("dbt build" + (" --full-refresh" if full_refresh else " (incremental)"))
        scheduled_build(paths, seeds, full_refresh=full_refresh, echo=echo_dbt)
        done()

        done = stage("the walk's step from every red period (why_step_verdicts, metric_health)")
        refreshed = refresh_verdicts(paths.warehouse)
        say(f"    {refreshed.summary()}")
        done()

        done = stage("dbt source freshness")
        freshness, stale = "pass", ""
        try:
            output = run_dbt(["source", "freshness"], paths, seeds_dir=seeds)
            if " WARN " in output:
                freshness = "warn"
                say("    some sources are late (warn_after): see the dbt log")
        except DbtError as error:
            freshness, stale = "error", str(error)
        done()

        done = stage("publish the BI snapshot")
        published = publish(paths.warehouse, paths.published)
        done()
    result = RunResult(raw_rows, published, timings, freshness, backfill)
    if stale:
        raise StaleSources(f"published, but sources are stale (error_after): {stale}")
    return result
