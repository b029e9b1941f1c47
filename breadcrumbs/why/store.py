"""metric_status as the walk reads it: one metric's series for one entity, read from the
warehouse once and then looked up in memory.

Every rule of the walk's step that reads a metric's own periods (its node, the run it is part
of, a driver's most out-of-line period in a window, the share of a window a period carries)
reads them here, so the step costs lookups instead of a query each. `breadcrumbs why` loads the
series it touches one query at a time; a batch (the verdicts `metric_health` reads,
breadcrumbs/why/verdicts.py) preloads the recent periods of every series in one query. The
same code answers both: one implementation of the step, whatever the batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from breadcrumbs.warehouse import Entity, Warehouse

# entity ids of one query's `in (...)` list (PostgreSQL binds at most 65,535 parameters)
CHUNK = 500
EARLIEST = dt.date.min


class StatusRow(NamedTuple):
    """One period of metric_status, as the walk reads it."""

    period_start: dt.date
    period_end: dt.date
    value: float
    baseline: float | None
    # the z-score the walk judges a metric by: its count test where it has one (customers who
    # moved against the entity's own rate, metric_count_tests), else the robust z
    z: float | None
    robust_z: float | None  # metric_status.z_score
    status: str
    basis: str
    counted: bool
    is_complete: bool


SeriesKey = tuple[str, str, str]  # metric_id, entity_type, entity_id

COLUMNS = """
    metric_id, entity_type, entity_id, grain, period_start, period_end, value, baseline_median,
    coalesce(count_z_score, z_score) as walk_z, z_score, status, status_basis,
    count_z_score is not null as counted, is_complete
"""


@dataclass
class Series:
    """One metric's periods for one entity, by grain, oldest first, loaded from `since` on."""

    since: dt.date
    by_grain: dict[str, list[StatusRow]] = field(default_factory=dict)
    index: dict[tuple[str, dt.date], StatusRow] = field(default_factory=dict)

    def add(self, grain: str, row: StatusRow) -> None:
        self.by_grain.setdefault(grain, []).append(row)
        self.index[(grain, row.period_start)] = row


@dataclass
class StatusStore:
    """The metric_status series the walk has read, by (metric, entity type, entity id)."""

    wh: Warehouse
    series: dict[SeriesKey, Series] = field(default_factory=dict)
    # every series is loaded from this date on (a batch's preload): a series missing from
    # `series` then has no rows that recent
    preloaded: dt.date | None = None

    def get(self, metric_id: str, entity: Entity, since: dt.date = EARLIEST) -> Series:
        """The series with every period starting on or after `since` (loaded if needed)."""
        self.load([(metric_id, entity.entity_type, entity.entity_id)], since)
        key = (metric_id, entity.entity_type, entity.entity_id)
        return self.series.get(key) or Series(since=since)

    def load(self, keys: list[SeriesKey], since: dt.date = EARLIEST) -> None:
        """Read the series of `keys` not yet held from `since` on: whole series, one query per
        metric and entity type (per CHUNK entities)."""
        missing = list(dict.fromkeys(key for key in keys if not self._holds(key, since)))
        # one query per metric and entity type (a filter on the key's columns, which DuckDB
        # prunes by; a tuple `in` list scans the table)
        groups: dict[tuple[str, str], list[str]] = {}
        for metric_id, entity_type, entity_id in missing:
            groups.setdefault((metric_id, entity_type), []).append(entity_id)
            self.series[(metric_id, entity_type, entity_id)] = Series(since=EARLIEST)
        for (metric_id, entity_type), ids in groups.items():
            for first in range(0, len(ids), CHUNK):
                chunk = ids[first:first + CHUNK]
                marks = ", ".join("?" for _ in chunk)
                self._read(f"metric_id = ? and entity_type = ? and entity_id in ({marks})",
                           [metric_id, entity_type, *chunk])

    def preload(self, since: dt.date) -> None:
        """Read every series from `since` on in one query (a batch's recent periods)."""
        self.series = {}
        self._read("period_start >= ?", [since])
        for series in self.series.values():
            series.since = since
        self.preloaded = since

    def _holds(self, key: SeriesKey, since: dt.date) -> bool:
        held = self.series.get(key)
        if held is not None:
            return held.since <= since
        # after a preload, a series without rows since its start has none in the window asked
        return self.preloaded is not None and self.preloaded <= since

    def _read(self, where: str, params: list[object]) -> None:
        rows = self.wh.stream(
            f"select {COLUMNS} from {self.wh.table('metric_status')} where {where} "
            "order by metric_id, entity_type, entity_id, grain, period_start",
            params,
        )
        names: dict[str, str] = {}  # one string object per status and basis, not one per row
        for r in rows:
            key = (r["metric_id"], r["entity_type"], r["entity_id"])
            series = self.series.get(key)
            if series is None:
                series = self.series[key] = Series(since=EARLIEST)
            series.add(r["grain"], StatusRow(
                period_start=r["period_start"],
                period_end=r["period_end"],
                value=float(r["value"]),
                baseline=None if r["baseline_median"] is None else float(r["baseline_median"]),
                z=None if r["walk_z"] is None else float(r["walk_z"]),
                robust_z=None if r["z_score"] is None else float(r["z_score"]),
                status=names.setdefault(r["status"], r["status"]),
                basis=names.setdefault(r["status_basis"] or "baseline",
                                       r["status_basis"] or "baseline"),
                counted=bool(r["counted"]),
                is_complete=bool(r["is_complete"]),
            ))
