"""Where things are: the project root, the warehouse, the published file, the seeds."""

from __future__ import annotations

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
        """Beside the warehouse: dlt pipeline state, generated seeds, run lock."""
        return self.warehouse.parent / f".{self.warehouse.stem}"

    @property
    def seeds_dir(self) -> Path:
        return self.state_dir / "seeds"

    @property
    def dlt_dir(self) -> Path:
        return self.state_dir / "dlt"

    @property
    def docs_dir(self) -> Path:
        return self.root / "target"


def resolve_paths(warehouse: str | None = None, root: Path | None = None) -> Paths:
    """Paths from arguments, then BREADCRUMBS_WAREHOUSE / BREADCRUMBS_PUBLISHED, then defaults."""
    root = root or find_root()
    wh = Path(warehouse or os.environ.get("BREADCRUMBS_WAREHOUSE") or DEFAULT_WAREHOUSE)
    wh = wh if wh.is_absolute() else root / wh
    if warehouse:
        published = wh.parent / f"{wh.stem}_published{wh.suffix}"
    else:
        published = Path(os.environ.get("BREADCRUMBS_PUBLISHED") or DEFAULT_PUBLISHED)
        published = published if published.is_absolute() else root / published
    return Paths(root=root, warehouse=wh, published=published)
