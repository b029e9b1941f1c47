"""Large organisations for benchmarks (docs/scenario-format.md `scale`), fast enough to reach
10^7 rows.

The causal `World` simulates a few thousand records per second, so a 1,000-service year would
take many minutes. A scaled scenario is built in three vectorised steps instead:

1. **Base**: the scenario's own `org` (a few teams, the *template*) is simulated causally by
   `generate()` for `scale.days + DAYS_HELD_OUT` days, with `scale.customers / copies`
   customers, and served over HTTP to the real dlt sources (`ingest_base`): the raw tables,
   their flattened columns, child tables and dlt columns are exactly what the pipelines land.
2. **Tile**: `Tiler` reads the base raw tables once as Arrow and yields `copies` renamed
   copies of each (pyarrow compute only): copy *k* carries the teams and services of the
   scaled org (`scale.teams` teams of `scale.services_per_team` services, the stable names of
   `generated_org`), integer ids offset by `k * ID_OFFSET`, PagerDuty and Stripe ids and
   dlt row ids suffixed with the copy, so every key stays unique and every link (runs → jobs,
   incidents → log entries, customers → subscriptions → invoices, parent → child rows) holds.
3. **Load**: `load_arrow` writes the copies through dlt's Arrow path into DuckDB (one
   pipeline per source, `raw_<source>` datasets, `_dlt_load_id` set by dlt).

The last two simulated days of the append-only sources (signal samples, CI runs with their
jobs) are held out of the history (`part="history"`) and loaded one at a time by `part="day1"`
and `part="day2"`: the benchmark's daily runs, the first right after the full build of the
whole history (landed as one load), the second as every later morning. `write_scaled_seeds`
writes the ownership seeds of the scaled org. Copies repeat the base's activity pattern (with
their own names and ids): good for measuring volume, not for studying variety. The in-memory
World is left untouched.
"""

from __future__ import annotations

import csv
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from breadcrumbs.simulator.scenario import Scenario, ScenarioError, load_scenario
from breadcrumbs.simulator.seeds import render_csv, seed_tables

if TYPE_CHECKING:
    import pyarrow as pa

    from breadcrumbs.simulator.world import World

ID_OFFSET = 10**10  # base ids stay below this (simulator ids are < 8e9)
INCIDENT_NUMBER_OFFSET = 10**6
# integer ids that must be unique across copies, per dataset
INT_IDS = {"raw_github": ("id", "deployment_id"), "raw_ci": ("id", "run_id"),
           "raw_incidents": ("incident_number",)}
# string ids (PagerDuty, Stripe) that get the copy suffix, per dataset
STR_IDS = {"raw_incidents": ("id", "service__id", "incident__id"),
           "raw_revenue": ("id", "customer", "subscription", "invoice",
                           "parent__subscription_details__subscription",
                           "parent__subscription_item_details__subscription",
                           "parent__subscription_item_details__subscription_item",
                           "pricing__price_details__price", "price__id")}
DLT_IDS = ("_dlt_id", "_dlt_parent_id", "_dlt_root_id")
DATASETS = ("raw_github", "raw_ci", "raw_incidents", "raw_revenue", "raw_signals")
# append-only tables whose last days are held out of the history (the incremental days)
HELD_OUT = {("raw_signals", "samples"): "ts", ("raw_ci", "workflow_runs"): "created_at"}
DAYS_HELD_OUT = 2
DAY_PARTS = tuple(f"day{k}" for k in range(1, DAYS_HELD_OUT + 1))  # in landing order


@dataclass(frozen=True)
class ScalePlan:
    """A scaled scenario: the target org (names), the causal base, and how many copies."""

    target: Scenario  # the scaled org: every team and service name, the period
    base: Scenario  # the template org, simulated for target.days + DAYS_HELD_OUT days
    copies: int

    @property
    def cutoff(self) -> datetime:
        """Start of the first held-out day (UTC): the end of the history part."""
        start = datetime(self.base.start.year, self.base.start.month, self.base.start.day,
                         tzinfo=UTC)
        return start + timedelta(days=self.target.days)

    def team_map(self, copy: int) -> dict[str, str]:
        """Base team id -> the scaled org's team id for one copy."""
        width = len(self.base.teams)
        return {team.id: self.target.teams[copy * width + j].id
                for j, team in enumerate(self.base.teams)}

    def service_map(self, copy: int) -> dict[str, str]:
        """Base service id -> the scaled org's service id for one copy."""
        width = len(self.base.teams)
        out = {}
        for j, team in enumerate(self.base.teams):
            scaled = self.target.teams[copy * width + j]
            out.update(zip(team.services, scaled.services, strict=True))
        return out


def plan_scale(path: str | Path, copies: int | None = None, history: int = 1) -> ScalePlan:
    """Read a scenario with a `scale:` section; `copies` overrides the number of copies
    (scale.teams is then `copies` x the template's teams, for small test runs); `history`
    multiplies the simulated days (scale.days), starting that much earlier so that the period
    still ends on the same day: 4 gives four years of history for a one-year scenario."""
    path = Path(path)
    target = load_scenario(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scale = dict(data.pop("scale", None) or {})
    if not scale:
        raise ScenarioError(f"{path}: scale is missing (add `scale: {{teams: 200, "
                            "services_per_team: 5, days: 365, customers: 20000}`)")
    if history < 1:
        raise ScenarioError(f"{path}: history must be at least 1 (got {history})")
    if history > 1:
        days = target.days
        scale["days"] = data["days"] = days * history
        data["start"] = target.start - timedelta(days=days * (history - 1))
        target = Scenario.from_dict({**data, "scale": scale}, name=target.name, source=str(path))
    base = Scenario.from_dict(data, name=f"{target.name}-base", source=str(path))
    width = len(base.teams)
    per_team = len(base.teams[0].services)
    if any(len(t.services) != per_team for t in base.teams):
        raise ScenarioError(f"{path}: org must give every template team the same number of "
                            "services (use `teams: N, services_per_team: M`)")
    per_copy = max(1, round(target.customers / (len(target.teams) // width or 1)))
    if copies is not None:
        scale["teams"] = copies * width
        data_scaled = {**data, "scale": scale}
        target = Scenario.from_dict(data_scaled, name=target.name, source=str(path))
    if len(target.teams) % width:
        raise ScenarioError(f"{path}: scale.teams ({len(target.teams)}) must be a multiple of "
                            f"the template's {width} teams")
    if len(target.teams[0].services) != per_team:
        raise ScenarioError(f"{path}: scale.services_per_team must equal the template's "
                            f"services per team ({per_team})")
    n_copies = len(target.teams) // width
    base = replace(base, days=target.days + DAYS_HELD_OUT, customers=per_copy)
    return ScalePlan(target=replace(target, customers=per_copy * n_copies), base=base,
                     copies=n_copies)


def base_world(plan: ScalePlan) -> World:
    """The causal simulation of the template org (the only non-vectorised step)."""
    from breadcrumbs.simulator.generate import generate

    return generate(plan.base)


def ingest_base(world: World, warehouse: Path) -> tuple[int, float]:
    """Serve the base World on 127.0.0.1 and land it with the real dlt sources over HTTP;
    returns (rows landed, seconds)."""
    from breadcrumbs.simulator.load import ingest_simulated

    began = time.perf_counter()
    rows = ingest_simulated(world, warehouse)
    return sum(rows.values()), time.perf_counter() - began


class Tiler:
    """The base raw tables in memory (Arrow), and their renamed copies."""

    def __init__(self, plan: ScalePlan, base_warehouse: Path) -> None:
        import duckdb

        self.plan = plan
        self.tables: dict[tuple[str, str], pa.Table] = {}
        with duckdb.connect(str(base_warehouse), read_only=True) as con:
            rows = con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema in ({}) and table_name not like '\\_dlt%' escape '\\' "
                "order by 1, 2".format(", ".join(f"'{d}'" for d in DATASETS))).fetchall()
            for schema, table in rows:
                self.tables[(schema, table)] = con.execute(
                    f'select * from {schema}."{table}"').to_arrow_table()
        self.parts = self._split()
        names = sorted(plan.base.services, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names))
                                  + r")(?![\w-])")
        self.named = {key: self._named_columns(table) for key, table in self.tables.items()}

    def _split(self) -> dict[str, dict[tuple[str, str], pa.Table]]:
        """history / day1 / day2 parts: each held-out day of the HELD_OUT tables (and their
        children); every other table is all history."""
        import pyarrow as pa
        import pyarrow.compute as pc

        parts: dict[str, dict[tuple[str, str], pa.Table]] = {"history": dict(self.tables)}
        parts.update({name: {} for name in DAY_PARTS})
        stamp = pa.timestamp("us", tz="UTC")
        bounds = [pa.scalar(self.plan.cutoff + timedelta(days=k), type=stamp)
                  for k in range(DAYS_HELD_OUT)]
        for (schema, table), column in HELD_OUT.items():
            data = self.tables.get((schema, table))
            if data is None:
                continue
            when = data[column].cast(stamp)
            # the part of each row: 0 = history (a missing time too), k = day k (the last day
            # is open-ended)
            part = pc.cast(pc.greater_equal(when, bounds[0]), pa.int8())
            for bound in bounds[1:]:
                part = pc.add(part, pc.cast(pc.greater_equal(when, bound), pa.int8()))
            part = pc.fill_null(part, 0)
            for k, name in enumerate(("history", *DAY_PARTS)):
                rows = data.filter(pc.equal(part, k))
                parts[name][(schema, table)] = rows
                if (schema, table) == ("raw_ci", "workflow_runs"):
                    self._split_children(parts[name], rows)
        return parts

    def _split_children(self, part: dict[tuple[str, str], pa.Table], runs: pa.Table) -> None:
        """The CI runs' jobs and pull-request links that belong to `runs`."""
        import pyarrow.compute as pc

        for child, key, ids in (("workflow_jobs", "run_id", runs["id"]),
                                ("workflow_runs__pull_requests", "_dlt_parent_id",
                                 runs["_dlt_id"])):
            rows = self.tables.get(("raw_ci", child))
            if rows is not None:
                part[("raw_ci", child)] = rows.filter(pc.is_in(rows[key], value_set=ids))

    def _named_columns(self, table: pa.Table) -> list[str]:
        """String columns where a base service name occurs (repo names, series, titles...)."""
        import pyarrow as pa

        named = []
        for field in table.schema:
            if not pa.types.is_string(field.type) or field.name in DLT_IDS:
                continue
            values = table[field.name].unique().to_pylist()
            if any(v is not None and self.pattern.search(v) for v in values):
                named.append(field.name)
        return named

    def rows(self, part: str) -> int:
        """Rows of one part over all copies."""
        return self.plan.copies * sum(t.num_rows for t in self.parts[part].values())

    def copy(self, schema: str, table: str, part: str, k: int) -> pa.Table:
        """Copy `k` of one base table: names, ids and dlt row ids of the scaled org."""
        import pyarrow as pa
        import pyarrow.compute as pc

        data = self.parts[part][(schema, table)]
        services = self.plan.service_map(k)
        suffix = f"c{k:03d}"
        columns = []
        for field in data.schema:
            column = data[field.name]
            if field.name in self.named[(schema, table)]:
                column = _map_strings(column, lambda v: self.pattern.sub(
                    lambda m: services[m.group(0)], v))
            elif field.name in INT_IDS.get(schema, ()) and pa.types.is_integer(field.type):
                offset = INCIDENT_NUMBER_OFFSET if field.name == "incident_number" else ID_OFFSET
                column = pc.add(column, pa.scalar(k * offset, type=field.type))
            elif field.name in STR_IDS.get(schema, ()) or field.name in DLT_IDS:
                column = pc.binary_join_element_wise(column, pa.scalar(suffix), "")
            elif (schema, field.name) == ("raw_signals", "customer"):
                # the Stripe customer of a feature_usage series ('' on service series, the
                # absent label): suffixed like raw_revenue's ids, so usage still joins
                column = pc.if_else(pc.equal(column, ""), column,
                                    pc.binary_join_element_wise(column, pa.scalar(suffix), ""))
            if (schema, field.name) == ("raw_signals", "series"):  # its `customer` label too
                column = pc.replace_substring_regex(column, pattern="customer=([^,]+)",
                                                    replacement=rf"customer=\1{suffix}")
            columns.append(column)
        out = pa.Table.from_arrays(columns, schema=data.schema)
        return out.drop_columns(["_dlt_load_id"]) if "_dlt_load_id" in out.column_names else out


def _map_strings(column: pa.ChunkedArray, fn: Callable[[str], str]) -> pa.ChunkedArray:
    """Apply `fn` to each distinct value (dictionary-encoded: a handful of Python calls for
    millions of rows), nulls stay null."""
    import pyarrow as pa

    encoded = column.combine_chunks().dictionary_encode()
    mapped = pa.array([None if v is None else fn(v) for v in encoded.dictionary.to_pylist()],
                      type=pa.string())
    return pa.chunked_array([pa.DictionaryArray.from_arrays(encoded.indices, mapped)
                             .cast(pa.string())])


def load_arrow(tiler: Tiler, warehouse: Path, part: str = "history",
               progress: Callable[[str], None] | None = None) -> tuple[int, float]:
    """Write every copy of `part` through dlt's Arrow path into the DuckDB `warehouse`;
    returns (rows loaded, seconds)."""
    import dlt

    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID"] = "false"
    from breadcrumbs.ingest import pipelines_dir

    began = time.perf_counter()
    total = 0
    for dataset in DATASETS:
        keys = [key for key in tiler.parts[part] if key[0] == dataset]
        pipeline = dlt.pipeline(pipeline_name=f"bench_{dataset}",
                                destination=dlt.destinations.duckdb(str(warehouse)),
                                dataset_name=dataset,
                                pipelines_dir=str(pipelines_dir(warehouse)))
        # dlt gives root tables a `_dlt_load_id` and child tables none: two runs
        for children in (False, True):
            group = [key for key in keys
                     if ("_dlt_parent_id" in tiler.tables[key].column_names) == children]
            if not group:
                continue
            os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID"] = str(not children)
            resources = [dlt.resource(_copies(tiler, schema, table, part), name=table,
                                      write_disposition="append")
                         for schema, table in group]
            pipeline.run(resources, loader_file_format="parquet")
            counts = pipeline.last_trace.last_normalize_info.row_counts
            rows = sum(n for t, n in counts.items() if not t.startswith("_dlt"))
            total += rows
            if progress:
                progress(f"{dataset}{' (child tables)' if children else ''}: {rows} rows")
    return total, time.perf_counter() - began


def _copies(tiler: Tiler, schema: str, table: str, part: str) -> Iterator[Any]:
    """Every copy with rows; an empty table once (dlt still creates it, like the sources do
    for an API list that was empty so far)."""
    empty = tiler.parts[part][(schema, table)].num_rows == 0
    for k in range(tiler.plan.copies):
        data = tiler.copy(schema, table, part, k)
        if data.num_rows or (empty and k == 0):
            yield data


def scaled_seed_tables(plan: ScalePlan, world: World) -> dict[str, list[list[str]]]:
    """The ownership seeds of the scaled org (file name -> header + sorted rows)."""
    base = seed_tables(world)
    out: dict[str, list[list[str]]] = {}
    for name, rows in base.items():
        header, body = rows[0], rows[1:]
        if name == "plans.csv":
            out[name] = rows
            continue
        scaled: list[list[str]] = []
        for k in range(plan.copies):
            teams, services = plan.team_map(k), plan.service_map(k)
            for row in body:
                new = []
                for column, value in zip(header, row, strict=True):
                    if column == "team_id":
                        value = teams[value]
                    elif column == "service_id":
                        value = services[value]
                    elif column == "repo_full_name":
                        owner, repo = value.split("/", 1)
                        value = f"{owner}/{services[repo]}"
                    elif column == "pagerduty_service_id":
                        value = f"{value}c{k:03d}"
                    new.append(value)
                scaled.append(new)
        out[name] = [header, *sorted(scaled)]
    return out


def write_scaled_seeds(plan: ScalePlan, world: World, directory: Path) -> list[Path]:
    """Write the scaled org's seed CSVs into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in scaled_seed_tables(plan, world).items():
        path = directory / name
        path.write_bytes(render_csv(rows).encode("utf-8"))
        written.append(path)
    return written


def seed_row_count(directory: Path) -> int:
    """Data rows of every seed CSV in `directory`."""
    total = 0
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            total += max(0, sum(1 for _ in csv.reader(handle)) - 1)
    return total
