"""Fixtures for the pipeline tests: the sources pointed at the simulator (its `world` and
`server` fixtures are in tests/conftest.py), a temp warehouse, fake sleep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from breadcrumbs.ingest import simulator_env
from breadcrumbs.simulator.server import SimulatorServer
from breadcrumbs.simulator.world import World
from pipelines.common import RetryPolicy


@pytest.fixture(autouse=True)
def _no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")


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
