"""`breadcrumbs ownership`: write the ownership seeds from Backstage catalog files, or a starter
set from what the sources can see (see catalog.py, starter.py, seedfiles.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dlt

from breadcrumbs.connections import SOURCES, source_config
from breadcrumbs.ownership.catalog import read_catalog
from breadcrumbs.ownership.model import Ownership, OwnershipError
from breadcrumbs.ownership.seedfiles import plan_seeds, write_seeds
from breadcrumbs.ownership.starter import read_sources

CONFIG_KEY = "ownership.catalog_locations"

__all__ = ["CONFIG_KEY", "OwnershipError", "OwnershipResult", "catalog_locations",
           "write_ownership"]


@dataclass
class OwnershipResult:
    """Where the map came from, what happened to each seed file and the notes to act on."""

    origin: str
    actions: list[tuple[str, str]]
    rows: dict[str, int]
    notes: list[str]


def catalog_locations(given: list[str] | None) -> list[str]:
    """`--catalog` values, else `ownership.catalog_locations` (a list, a JSON list or one
    string) from dlt's config (.dlt/config.toml, env OWNERSHIP__CATALOG_LOCATIONS)."""
    if given:
        return list(given)
    value = dlt.config.get(CONFIG_KEY)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            try:
                value = json.loads(text)
            except ValueError:
                raise OwnershipError(f"{CONFIG_KEY} is not a JSON list: {text[:80]} — write "
                                     'it as ["catalog-info.yaml", "https://..."]') from None
        else:
            value = [text]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OwnershipError(f"{CONFIG_KEY} must be a list of paths or URLs")
    return [v for v in value if v.strip()]


def write_ownership(root: Path, out: Path, catalog: list[str] | None = None,
                    force: bool = False) -> OwnershipResult:
    """Read the catalog (or the sources) and write the seeds into `out`."""
    locations = catalog_locations(catalog)
    if locations:
        ownership: Ownership = read_catalog(locations, root)
        origin = f"Backstage catalog ({len(locations)} location(s))"
    else:
        configs = {name: source_config(name) for name in SOURCES}
        ownership = read_sources(configs)
        seen = [name for name in ("github", "incidents", "revenue") if configs[name].configured]
        origin = f"starter set from {', '.join(seen) or 'the configured repos'}"
    plan = plan_seeds(ownership, out, root)
    actions = write_seeds(plan, out, force)
    return OwnershipResult(origin, actions, plan.rows, plan.notes)
