"""Fixtures for the pipeline tests: a simulator on a tiny World, a temp warehouse, fake sleep."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `tests.fixtures` is imported by its package path
    sys.path.insert(0, str(ROOT))

from breadcrumbs.ingest import simulator_env  # noqa: E402
from breadcrumbs.simulator.server import SimulatorServer, serve  # noqa: E402
from breadcrumbs.simulator.world import World  # noqa: E402
from pipelines.common import RetryPolicy  # noqa: E402
from tests.fixtures.small_world import small_world  # noqa: E402


@pytest.fixture(autouse=True)
def _no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


@pytest.fixture
def world() -> World:
    return small_world()


@pytest.fixture
def server(world: World) -> Iterator[SimulatorServer]:
    with serve(world) as running:
        yield running


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "breadcrumbs.duckdb"


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[SimulatorServer, World], None]:
    """Point every source's config (env) at a running simulator."""
    def apply(running: SimulatorServer, served: World) -> None:
        for name, value in simulator_env(running, served).items():
            monkeypatch.setenv(name, value)
    return apply


@pytest.fixture
def sim_env(server: SimulatorServer, world: World, point_at) -> SimulatorServer:
    point_at(server, world)
    return server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    """Retries that record their waits instead of sleeping."""
    return RetryPolicy(sleep=sleeps.append, jitter=lambda: 0.0)
