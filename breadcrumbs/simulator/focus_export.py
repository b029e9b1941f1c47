"""The FOCUS export files a provider would have delivered by a moment: one gzip CSV per billing
month (`focus/billing_period=YYYY-MM/<owner>-focus-YYYY-MM.csv.gz`, AWS Data Exports' layout),
holding only complete days. The current month's file grows day by day; a month is restated
once, FINALIZE_DAYS after it ends (the invoice is final): the file is rewritten whole with
small metering corrections, as providers restate the previous month.

Files are written only when their bytes change, and stamped with the time the provider wrote
that version, so an unchanged file keeps its modification time (the source skips it) and a
rewritten one gets a later one.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from breadcrumbs.simulator.cloud_cost import COLUMNS
from breadcrumbs.simulator.world import World

FINALIZE_DAYS = 3  # a month's bill is final (and restated) this long after it ends
CORRECTED_SERVICE = "AWS Data Transfer"  # late metering: the restatement adds this share
CORRECTION = 0.004
COST_COLUMNS = ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
                "ConsumedQuantity", "PricingQuantity")


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def restated(row: dict) -> dict:
    """A row as the final (restated) version of its month has it."""
    if row["ServiceName"] != CORRECTED_SERVICE:
        return row
    fixed = dict(row)
    for column in COST_COLUMNS:
        if fixed[column] not in (None, ""):
            places = len(fixed[column].split(".")[1]) if "." in fixed[column] else 0
            fixed[column] = f"{float(fixed[column]) * (1 + CORRECTION):.{places}f}"
    return fixed


def months(world: World) -> Iterator[tuple[str, list[dict], datetime]]:
    """(relative path, rows, the time the provider wrote that version) of every file the
    provider has delivered by `world.end` (the world as visible at a moment), month by month:
    one month's rows in memory at a time."""
    month_rows: list[dict] = []
    for row in world.cloud_cost:
        if _parse(row["ChargePeriodEnd"]) > world.end:
            continue
        if month_rows and row["BillingPeriodStart"] != month_rows[0]["BillingPeriodStart"]:
            yield _delivered(world, month_rows)
            month_rows = []
        month_rows.append(row)
    if month_rows:
        yield _delivered(world, month_rows)


def _delivered(world: World, rows: list[dict]) -> tuple[str, list[dict], datetime]:
    period_end = _parse(rows[0]["BillingPeriodEnd"])
    month = _parse(rows[0]["BillingPeriodStart"]).strftime("%Y-%m")
    path = f"focus/billing_period={month}/{world.owner}-focus-{month}.csv.gz"
    final_at = period_end + timedelta(days=FINALIZE_DAYS)
    if world.end >= final_at:
        return path, [restated(r) for r in rows], final_at
    return path, rows, max(_parse(r["ChargePeriodEnd"]) for r in rows)


def export_files(world: World) -> dict[str, tuple[list[dict], datetime]]:
    """Relative path -> (rows, delivery time) of every file delivered by `world.end`."""
    return {path: (rows, delivered) for path, rows, delivered in months(world)}


def render(rows: list[dict]) -> bytes:
    """The gzip CSV bytes of a file (gzip header without a time: same rows, same bytes)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else
                         json.dumps(row[c], sort_keys=True) if isinstance(row[c], dict)
                         else row[c] for c in COLUMNS])
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)


def write_exports(world: World, folder: Path) -> list[Path]:
    """Write (or rewrite, when changed) the export files of `world` under `folder`; the paths
    written."""
    written = []
    for relative, rows, delivered in months(world):
        target = folder / relative
        body = render(rows)
        if target.exists() and target.read_bytes() == body:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        stamp = delivered.timestamp()
        os.utime(target, (stamp, stamp))
        written.append(target)
    return written
