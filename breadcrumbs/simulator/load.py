"""The one recipe that lands a simulated organisation: serve its APIs on 127.0.0.1 and run the
real dlt sources against them over HTTP. Used by `breadcrumbs demo`, the portability harnesses
and the benchmark, so the simulator is always read the way a real account is.

The cloud bill is files, not an API: the server writes the FOCUS exports the provider would
have delivered by `as_of` (complete days only; the previous month restated once final) to its
`bucket` folder, and `simulator_env` points `sources.cloud_cost.bucket_url` at it, so the
same filesystem source lands `raw_cloud_cost` with the other sources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from breadcrumbs.ingest import environment, ingest, simulator_env
from breadcrumbs.simulator.server import serve
from breadcrumbs.simulator.world import World


def ingest_simulated(world: World, warehouse: Path, *,
                     progress: Callable[[str], None] | None = None,
                     destination: Any = None,
                     as_of: datetime | None = None) -> dict[str, int]:
    """Serve `world` (as it stood at `as_of`, default its end) and load every source into
    `warehouse` (or dlt `destination`); rows loaded per raw table."""
    with serve(world, as_of=as_of) as server, \
            environment(simulator_env(server, server.visible)):
        return ingest(warehouse, progress=progress, destination=destination)
