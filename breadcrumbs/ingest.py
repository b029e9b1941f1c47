"""Run the dlt pipelines: one per source, into `raw_<source>` of the DuckDB warehouse.

The same code loads from real APIs and from the simulator; only `sources.<source>.base_url`
and the secrets differ. `simulator_env(server, world)` gives the environment that points every
source at a running simulator. `ingest(..., destination=...)` loads into another dlt
destination instead (PostgreSQL, or the filesystem destination's Parquet lake for Spark).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dlt
import duckdb
from dlt.common.configuration.exceptions import (
    ConfigFieldMissingException,
    ConfigValueCannotBeCoercedException,
)
from dlt.extract import DltResource, DltSource

from pipelines.ci import ci
from pipelines.cloud_cost import cloud_cost
from pipelines.common import RetryPolicy, SourceError
from pipelines.github import github
from pipelines.incidents import incidents
from pipelines.revenue import revenue
from pipelines.signals import signals

if TYPE_CHECKING:
    from breadcrumbs.simulator.server import SimulatorServer
    from breadcrumbs.simulator.world import World

SOURCES = ("github", "ci", "incidents", "revenue", "signals", "cloud_cost")
# the sources that call an HTTP API (base_url and a secret); cloud_cost reads files
# (sources.cloud_cost.bucket_url: a folder or an s3/gs/az URL)
API_SOURCES = ("github", "ci", "incidents", "revenue", "signals")
FACTORIES = {"github": github, "ci": ci, "incidents": incidents, "revenue": revenue,
             "signals": signals, "cloud_cost": cloud_cost}
SECRETS = {"github": "access_token", "ci": "access_token", "incidents": "api_token",
           "revenue": "api_key", "signals": "bearer_token"}
DEFAULT_TOKEN = "sim-token"
LOADER_FILE_FORMAT = "jsonl"  # DuckDB loads JSON lines far faster than INSERT statements
# per destination type; others use dlt's default. PostgreSQL: COPY from CSV; the filesystem
# destination: Parquet files, the lakehouse layout Spark reads.
LOADER_FILE_FORMATS = {"duckdb": LOADER_FILE_FORMAT, "postgres": "csv", "filesystem": "parquet"}


class IngestError(Exception):
    """A pipeline failed; the message names the source and is safe to print."""


def pipelines_dir(warehouse_path: Path) -> Path:
    """Where dlt keeps pipeline state for a warehouse: beside the file."""
    return warehouse_path.with_name(warehouse_path.stem + ".dlt")


def ingest(warehouse_path: str | os.PathLike[str],
           sources: list[str] | tuple[str, ...] | None = None,
           progress: Callable[[str], None] | None = None, *,
           retry: RetryPolicy | None = None,
           destination: Any = None) -> dict[str, int]:
    """Load the sources into the warehouse; rows loaded per `raw_<source>.<table>`.

    `destination` (a dlt destination, or its name with credentials from dlt's config) loads
    somewhere else than the DuckDB file; `warehouse_path` then only places dlt's pipeline
    state (beside it)."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    names = list(sources or SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise IngestError(f"unknown source(s) {', '.join(unknown)}; choose from "
                          f"{', '.join(SOURCES)}")
    warehouse = Path(warehouse_path)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, int] = {}
    for name in names:
        started = time.monotonic()
        if progress:
            progress(f"{name}: loading")
        counts = run_source(name, warehouse, retry, destination)
        loaded.update(counts)
        if progress:
            progress(f"{name}: {sum(counts.values())} rows in {time.monotonic() - started:.1f} s")
    return loaded


def run_source(name: str, warehouse: Path, retry: RetryPolicy | None,
               destination: Any = None) -> dict[str, int]:
    """One source's pipeline run; rows per table (dlt's own tables left out)."""
    pipeline = dlt.pipeline(pipeline_name=f"breadcrumbs_{name}",
                            destination=destination or dlt.destinations.duckdb(str(warehouse)),
                            dataset_name=f"raw_{name}",
                            pipelines_dir=str(pipelines_dir(warehouse)))
    file_format = LOADER_FILE_FORMATS.get(pipeline.destination.destination_type.split(".")[-1])
    try:
        source = FACTORIES[name](retry=retry)
        with quiet_null_object_warnings():
            pipeline.run(source, loader_file_format=file_format)
            counts = pipeline.last_trace.last_normalize_info.row_counts
            missing = missing_tables(pipeline, source)
            if missing:
                pipeline.run(empty_tables(source.name, missing),
                             loader_file_format="insert_values")
    except Exception as exc:  # noqa: BLE001 - turned into one clear, token-free message
        raise friendly_error(name, exc) from None
    return {f"raw_{name}.{table}": rows for table, rows in sorted(counts.items())
            if not table.startswith("_dlt")}


def missing_tables(pipeline: dlt.Pipeline, source: DltSource) -> list[dict]:
    """Table schemas (from the resources' hints) of tables the warehouse does not have yet:
    an API list that was empty so far still needs its table for the staging models."""
    declared = [resource.compute_table_schema() for resource in source.resources.values()]
    with pipeline.sql_client() as client:
        rows = client.execute_sql("select table_name from information_schema.tables "
                                  "where table_schema = %s", pipeline.dataset_name)
    present = {row[0] for row in rows or []}
    return [table for table in declared if table["name"] not in present]


def empty_tables(source_name: str, tables: list[dict]) -> DltSource:
    """A source named like the real one that only materializes the given tables, empty."""
    @dlt.source(name=source_name)
    def materialize() -> list[DltResource]:
        return [dlt.resource([dlt.mark.materialize_table_schema()], name=table["name"],
                             columns=table.get("columns"),
                             write_disposition=table.get("write_disposition", "merge"))
                for table in tables]
    return materialize()


class _NullObjectFilter(logging.Filter):
    """Drops dlt's notice about all-null nested objects (`merged_by`, `discount`): their
    flattened columns are declared as hints, so nothing is lost."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "did not receive any data during this load" not in record.getMessage()


@contextmanager
def quiet_null_object_warnings() -> Iterator[None]:
    """Silence that one dlt warning while a pipeline runs."""
    log = logging.getLogger("dlt")
    quiet = _NullObjectFilter()
    log.addFilter(quiet)
    try:
        yield
    finally:
        log.removeFilter(quiet)


def friendly_error(name: str, exc: BaseException) -> Exception:
    """The SourceError inside dlt's wrappers, or a short IngestError naming the source."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, SourceError):
            return seen
        if isinstance(seen, ConfigFieldMissingException):
            fields = ", ".join(f"sources.{name}.{field}" for field in seen.fields)
            env = ", ".join(f"SOURCES__{name.upper()}__{field.upper()}" for field in seen.fields)
            return IngestError(f"{name}: missing configuration {fields} (env {env})")
        if isinstance(seen, ConfigValueCannotBeCoercedException):
            field = seen.field_name
            return IngestError(f"{name}: sources.{name}.{field} cannot be read as "
                               f"{getattr(seen.hint, '__name__', seen.hint)} (env SOURCES__"
                               f"{name.upper()}__{field.upper()}; lists are JSON, e.g. "
                               '["acme/checkout"])')
        seen = seen.__cause__ or seen.__context__
    return IngestError(f"{name}: the pipeline failed: {type(exc).__name__}: "
                       f"{str(exc).splitlines()[0][:300] if str(exc) else ''}")


def simulator_env(server: SimulatorServer, world: World) -> dict[str, str]:
    """Environment variables that point every source at a running simulator (cloud_cost at
    the folder of FOCUS files it delivered, `server.bucket`)."""
    repos = json.dumps(sorted(world.repos))
    start = world.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    end = world.end.strftime("%Y-%m-%dT%H:%M:%SZ")
    env = {"RUNTIME__DLTHUB_TELEMETRY": "false",
           "SOURCES__GITHUB__REPOS": repos, "SOURCES__CI__REPOS": repos,
           "SOURCES__INCIDENTS__START": start, "SOURCES__INCIDENTS__END": end,
           "SOURCES__SIGNALS__START": start, "SOURCES__SIGNALS__END": end,
           "SOURCES__CLOUD_COST__BUCKET_URL": str(server.bucket)}
    for source in API_SOURCES:
        env[f"SOURCES__{source.upper()}__BASE_URL"] = server.base_urls[source]
        env[f"SOURCES__{source.upper()}__{SECRETS[source].upper()}"] = world.tokens.get(
            source, DEFAULT_TOKEN)
    return env


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """os.environ updated with `values` inside the block (e.g. `simulator_env`), restored
    after."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def landed_loads(warehouse: Path) -> list[list[str]]:
    """[schema, number of loads, last load id] for every dlt-loaded schema of the warehouse:
    changes whenever anything lands data in it."""
    if not warehouse.exists():
        return []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        schemas = [r[0] for r in con.execute(
            "select schema_name from duckdb_tables() where table_name = '_dlt_loads' "
            "order by 1").fetchall()]
        return [[schema, *map(str, con.execute(
            f'select count(*), coalesce(max(load_id), \'\') from "{schema}"._dlt_loads'
        ).fetchone())] for schema in schemas]
    finally:
        con.close()


def newest_load_id(warehouse: Path) -> str:
    """The latest dlt load id of any source in the warehouse ('' when none landed)."""
    return max((last for _schema, _count, last in landed_loads(warehouse)), default="")
