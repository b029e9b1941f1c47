"""Where things are: the project root, the warehouse, the published file, the seeds."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WAREHOUSE = "warehouse/breadcrumbs.duckdb"
DEFAULT_PUBLISHED = "warehouse/breadcrumbs_published.duckdb"


class ProjectError(RuntimeError):
    """A problem with the project layout or configuration, with the fix in the message."""


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards from `start` (default: cwd) holding dbt_project.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "dbt_project.yml").is_file():
            return folder
    raise ProjectError(
        f"no dbt_project.yml in {here} or above: run breadcrumbs from the project folder "
        "(the clone of the breadcrumbs repository)"
    )


@dataclass(frozen=True)
class Paths:
    """Resolved locations for one run; relative settings are taken from the project root."""

    root: Path
    warehouse: Path
    published: Path

    @property
    def state_dir(self) -> Path:
        """Beside the warehouse: the demo's generated seeds and marker, the run lock."""
        return self.warehouse.parent / f".{self.warehouse.stem}"

    @property
    def is_default(self) -> bool:
        return self.warehouse == self.root / DEFAULT_WAREHOUSE

    @property
    def run_id(self) -> str:
        """A short stable name for this warehouse, to keep per-warehouse build files apart."""
        digest = hashlib.sha1(str(self.warehouse).encode()).hexdigest()[:8]
        return f"{self.warehouse.stem}-{digest}"

    @property
    def seeds_dir(self) -> Path:
        """Where the demo writes its scenario's seeds: inside the project (dbt needs a seed
        path relative to the project root, or it writes compiled SQL over the CSVs)."""
        return self.root / "build" / "seeds" / self.run_id

    @property
    def target_dir(self) -> Path:
        """dbt's target folder: `target/` for the default warehouse, else one per warehouse,
        so that builds of different warehouses never share manifests or partial parses."""
        if self.is_default:
            return self.root / "target"
        return self.root / "build" / "targets" / self.run_id

    @property
    def docs_dir(self) -> Path:
        return self.target_dir


def resolve_paths(warehouse: str | None = None, root: Path | None = None,
                  published: str | None = None) -> Paths:
    """Paths from arguments, then BREADCRUMBS_WAREHOUSE / BREADCRUMBS_PUBLISHED, then defaults.

    The published snapshot is, in order: `published`; BREADCRUMBS_PUBLISHED (also when the
    warehouse is given as an argument, so a scheduled run with `--warehouse` refreshes the file
    the BI tools read); beside an explicitly given warehouse (`<name>_published.duckdb`); the
    default."""
    root = root or find_root()
    wh = Path(warehouse or os.environ.get("BREADCRUMBS_WAREHOUSE") or DEFAULT_WAREHOUSE)
    wh = wh if wh.is_absolute() else root / wh
    chosen = published or os.environ.get("BREADCRUMBS_PUBLISHED")
    if chosen:
        target = Path(chosen)
    elif warehouse:
        target = wh.parent / f"{wh.stem}_published{wh.suffix}"
    else:
        target = Path(DEFAULT_PUBLISHED)
    target = target if target.is_absolute() else root / target
    return Paths(root=root, warehouse=wh, published=target)
