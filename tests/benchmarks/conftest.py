"""A tiny scaled organisation: its template org landed over HTTP once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TINY = """\
seed: 5
start: 2026-03-02
days: 14
owner: acme
scale: {teams: 4, services_per_team: 1, days: 14, customers: 24}
org: {teams: 2, services_per_team: 1, engineers: 3}
customers:
  count: 12
  plans:
    starter: {price: 49, services: 1}
    enterprise: {price: 1500, services: all, sla: 0.999}
noise: 0.1
faults:
  - {kind: cpu_saturation, service: payments-api, start: 2026-03-05, days: 2, magnitude: 0.45}
"""


@pytest.fixture(scope="session")
def tiny_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "tiny.yaml"
    path.write_text(TINY)
    return path


@pytest.fixture(scope="session")
def tiny_base(tiny_scenario: Path, tmp_path_factory: pytest.TempPathFactory):
    """(plan, base World, base warehouse landed by the real dlt sources over HTTP)."""
    from harness.scale import base_world, ingest_base, plan_scale

    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    plan = plan_scale(tiny_scenario)
    world = base_world(plan)
    warehouse = tmp_path_factory.mktemp("bench_base") / "base.duckdb"
    ingest_base(world, warehouse)
    return plan, world, warehouse
