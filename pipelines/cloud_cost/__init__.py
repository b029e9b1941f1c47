"""FOCUS cost-and-usage exports (CSV, CSV.GZ, Parquet) from a folder or object store, read by
dlt's filesystem source: one row per charge row into `raw_cloud_cost.charges`.

Incremental by file (a file is read again only when its modification time changed) and by
billing period (a delete-insert merge on billing period, provider and billing account: a
re-delivered period replaces that period's rows). docs/sources/cloud_cost.md."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dlt
from dlt.common.storages.fsspec_filesystem import FileItemDict
from dlt.sources import DltResource
from dlt.sources.filesystem import filesystem

from pipelines.cloud_cost import helpers
from pipelines.cloud_cost import settings as s
from pipelines.common import RetryPolicy, SourceConfigError


@dlt.source(name="cloud_cost")
def cloud_cost(bucket_url: str = dlt.config.value, file_glob: str = s.DEFAULT_FILE_GLOB,
               credentials: Any = None,
               retry: RetryPolicy | None = None) -> DltResource:
    """The FOCUS charge rows of every new or changed export file below `bucket_url`.

    `credentials`: for s3/gs/az, `sources.cloud_cost.credentials` as dlt's filesystem
    credentials read it (a table of aws_access_key_id, ...); none for a local folder. Typed
    loosely on purpose: a FileSystemCredentials hint would make them required for a folder.
    `retry` is accepted like every source's and unused: files are read, not requested."""
    del retry
    if not isinstance(bucket_url, str) or not bucket_url.strip():
        raise SourceConfigError("cloud_cost", "sources.cloud_cost.bucket_url must be a folder "
                                              "or s3://, gs://, az:// URL (env "
                                              "SOURCES__CLOUD_COST__BUCKET_URL)")
    listing = filesystem(bucket_url=bucket_url.strip(), file_glob=file_glob,
                         **({"credentials": credentials} if credentials else {}))
    return charges(listing)


@dlt.resource(name=s.TABLE, columns=s.CHARGE_COLUMNS, merge_key=list(s.RESTATEMENT_KEY),
              write_disposition={"disposition": "merge", "strategy": "delete-insert"})
def charges(listing: DltResource) -> Iterator[list[dict[str, Any]]]:
    """Rows of the files that are new or changed since the last load, plus the unchanged
    files that share a billing period with them (the period is rebuilt whole)."""
    known: dict[str, dict[str, Any]] = dlt.current.resource_state().setdefault("files", {})
    files = {item["relative_path"]: item for page in listing
             for item in (page if isinstance(page, list) else [page])
             if helpers.is_export(item["relative_path"])}
    to_read = sorted(path for path, item in files.items()
                     if known.get(path, {}).get("modified") != _stamp(item))
    rows: dict[str, list[dict[str, Any]]] = {}
    touched: set[str] = set()
    while to_read:
        for path in to_read:
            rows[path] = _read(files[path])
            touched.update(helpers.restatement_key(row) for row in rows[path])
        to_read = sorted(path for path, seen in known.items()
                         if path in files and path not in rows
                         and touched.intersection(seen.get("keys", [])))
    for path in sorted(rows):
        if rows[path]:
            yield rows[path]
        known[path] = {"modified": _stamp(files[path]),
                       "keys": sorted({helpers.restatement_key(row) for row in rows[path]})}


def _stamp(item: FileItemDict) -> str:
    modified = item["modification_date"]
    return modified.isoformat() if isinstance(modified, datetime) else str(modified)


def _read(item: FileItemDict) -> list[dict[str, Any]]:
    modified = item["modification_date"]
    with item.open(mode="rb", compression="disable") as handle:
        return helpers.read_file(item["relative_path"], handle,
                                 helpers.to_timestamp(modified))
