"""Land only what changed: a source that re-reads records (a full list every run, or the last
days of a list whose records change after the cursor has passed them) passes each page through
`only_changed`, which drops the records whose content is the same as when this resource last
landed them.

The resource's dlt state keeps a content hash per record id, committed with the load like any
dlt state (a failed or killed run leaves the previous hashes). Ids that can no longer be re-read
are forgotten, so the state stays the size of what is re-read: with `keep="seen"` (a full list)
the ids not listed this time, with `keep="since"` (a window) the ids older than its start.
Unchanged records are then neither rewritten nor counted as new or changed by `breadcrumbs run`,
and the transformers behind them (jobs of a run, log entries of an incident) are not re-fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import dlt

STATE_KEY = "content_hashes"


def content_hash(record: dict[str, Any]) -> str:
    """md5 of the record's JSON with sorted keys: equal content, equal hash."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def only_changed(pages: Iterable[list[dict]], id_field: str = "id", *,
                 keep: Literal["seen", "since"] = "seen", time_field: str | None = None,
                 since: Any = None) -> Iterator[list[dict]]:
    """The pages with unchanged records left out (empty pages dropped). `keep="seen"`: the
    resource lists everything each run, so ids not listed this time are forgotten. `keep=
    "since"`: the resource lists a window; ids whose `time_field` is before `since` (the
    window's start: ISO text or epoch seconds) are forgotten, and, without `since` (the first,
    full read), none."""
    hashes: dict[str, list[Any]] = dlt.current.resource_state().setdefault(STATE_KEY, {})
    listed: set[str] = set()
    for page in pages:
        fresh = []
        for record in page:
            key = str(record[id_field])
            listed.add(key)
            digest = content_hash(record)
            if key in hashes and hashes[key][0] == digest:
                continue
            hashes[key] = [digest, record.get(time_field) if time_field else None]
            fresh.append(record)
        if fresh:
            yield fresh
    if keep == "seen":
        for key in [k for k in hashes if k not in listed]:
            del hashes[key]
    elif since is not None:
        for key in [k for k, (_, at) in hashes.items() if at is not None and _before(at, since)]:
            del hashes[key]


def _before(at: Any, since: Any) -> bool:
    """`at` is earlier than `since`; both epoch numbers or both ISO-8601 text (a date or a
    timestamp: text compares in time order)."""
    if isinstance(at, int | float) and isinstance(since, int | float):
        return at < since
    return str(at) < str(since)
