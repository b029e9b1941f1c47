"""Serve a World, run the real sources against it over loopback HTTP, keep every response."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from breadcrumbs.ingest import ingest, simulator_env
from breadcrumbs.simulator.server import serve
from breadcrumbs.simulator.world import World


@dataclass(frozen=True)
class Captured:
    target: str  # path + query, with the source prefix
    status: int
    body: Any


@contextmanager
def env(values: dict[str, str]) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in values.items():
            patch.setenv(key, value)
        yield


def ingest_and_capture(world: World, warehouse: Path, sources: list[str],
                       extra_env: dict[str, str] | None = None) -> list[Captured]:
    """Load `sources` from `world` through the simulator; every answered request."""
    captured: list[Captured] = []
    with serve(world) as server:
        route = server.router.route

        def recording(method: str, target: str, headers: dict[str, str], root: str) -> Any:
            answer = route(method, target, headers, root)
            body = json.loads(answer.body) if answer.body else None
            captured.append(Captured(target, answer.status, body))
            return answer

        server.router.route = recording  # type: ignore[method-assign]
        with env({**simulator_env(server, world), "RUNTIME__DLTHUB_TELEMETRY": "false",
                  **(extra_env or {})}):
            ingest(warehouse, sources=sources)
    return captured
