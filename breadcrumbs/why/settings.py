"""The walk's step settings, read from their one home: the `why_*` vars of dbt_project.yml
(docs/why-algorithm.md), which metric_catalog (lag_days) and metric_health read in dbt."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from breadcrumbs.project import ProjectError, find_root

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class WalkSettings:
    """How far back a driver may lead a metric of each grain, and how far out it must be."""

    lag_days: dict[str, int]
    driver_z: float
    health_lookback_days: int  # metric_health's window, whose red periods the run judges


def read_settings(project_file: Path) -> WalkSettings:
    """The why_lag_days, why_driver_z and metric_health_lookback_days vars of a
    dbt_project.yml."""
    variables = (yaml.safe_load(project_file.read_text()) or {}).get("vars") or {}
    try:
        return WalkSettings(
            lag_days={str(k): int(v) for k, v in variables["why_lag_days"].items()},
            driver_z=float(variables["why_driver_z"]),
            health_lookback_days=int(variables["metric_health_lookback_days"]),
        )
    except (KeyError, AttributeError, TypeError, ValueError) as error:
        raise ProjectError(
            f"{project_file}: vars why_lag_days ({{day: 2, week: 7, month: 62}}), why_driver_z "
            f"(2.5) and metric_health_lookback_days (91) are the walk's settings; fix or restore "
            f"them ({error!r})"
        ) from error


@cache
def walk_settings() -> WalkSettings:
    """The project's settings: the dbt_project.yml beside the package, else the one above cwd."""
    project_file = PACKAGE_ROOT / "dbt_project.yml"
    if not project_file.is_file():
        project_file = find_root() / "dbt_project.yml"
    return read_settings(project_file)
