"""Reliability fixtures: a clean demo build (with docs) started once per session in the
background, while the in-process fault tests run; the kill tests share it as their reference."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.paths import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from breadcrumbs.ingest import simulator_env  # noqa: E402
from breadcrumbs.project import Paths, resolve_paths  # noqa: E402
from tests.reliability.rel_helpers import SCENARIO, cli_env, mart_hashes, start  # noqa: E402

DEMO_TIMEOUT = 900


@dataclass
class Build:
    """A `breadcrumbs demo` running in a subprocess; `finish()` waits for it."""

    paths: Paths
    proc: subprocess.Popen[str] | None
    output: str = ""
    marts: dict[str, str] = field(default_factory=dict)
    exact_marts: dict[str, str] = field(default_factory=dict)

    def finish(self) -> Build:
        if self.proc is not None:
            self.output, _ = self.proc.communicate(timeout=DEMO_TIMEOUT)
            code = self.proc.returncode
            self.proc = None
            assert code == 0, f"the clean demo failed (exit {code}):\n{self.output[-4000:]}"
            self.marts = mart_hashes(self.paths.warehouse)
            self.exact_marts = mart_hashes(self.paths.warehouse, exact=True)
        return self


@pytest.fixture(scope="session")
def rel_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's folder for reliability warehouses."""
    return tmp_path_factory.mktemp("reliability")


_STARTED: list[Build] = []


def start_clean_demo(base: Path) -> Build:
    """The small scenario's demo, docs included, into `clean/wh.duckdb` (every warehouse here
    is named wh.duckdb: dbt-duckdb names a view's catalog after the file stem)."""
    paths = resolve_paths(str(base / "clean" / "wh.duckdb"), root=ROOT)
    proc = start(["demo", "--scenario", str(SCENARIO), "--warehouse", str(paths.warehouse)],
                 cli_env())
    return Build(paths, proc)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Start the clean demo as soon as a selected test needs it, so it builds while the
    in-process tests run (2 cores: one builds, one tests). Not under pytest-xdist: every worker
    collects every test, so each would start a build; there the worker that runs the `clean`
    tests (one xdist group, tests/conftest.py) builds it on first use, while the other works."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if _STARTED or not any("clean" in getattr(item, "fixturenames", ()) for item in items):
        return
    base = config._tmp_path_factory.mktemp("reliability")  # type: ignore[attr-defined]
    _STARTED.append(start_clean_demo(base))


@pytest.fixture(scope="session")
def clean(rel_base: Path) -> Iterator[Build]:
    """The finished clean demo build (started at collection time when possible)."""
    build = _STARTED[0] if _STARTED else start_clean_demo(rel_base)
    try:
        yield build.finish()
    finally:
        if build.proc is not None:
            build.proc.kill()
            build.proc.communicate(timeout=30)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Never leave the background demo running."""
    for build in _STARTED:
        if build.proc is not None and build.proc.poll() is None:
            build.proc.kill()
            build.proc.communicate(timeout=30)


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch):
    """Point every source's config (env) at a running simulator."""
    def apply(running, served) -> None:
        for name, value in simulator_env(running, served).items():
            monkeypatch.setenv(name, value)
    return apply


@pytest.fixture
def sleeps() -> list[float]:
    """Retry waits recorded instead of slept."""
    return []
