"""Re-read records land only when they changed (pipelines/common/unchanged.py): a second run
over the same API answer loads nothing, a changed record loads alone, and the remembered hashes
stay the size of what can be re-read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlt
import pytest

from pipelines.common.unchanged import STATE_KEY, content_hash, only_changed


def _run(tmp_path: Path, name: str, resource: Any) -> tuple[int, dict]:
    """Load `resource` into a DuckDB file under tmp_path; rows loaded and the resource state."""
    pipeline = dlt.pipeline(pipeline_name=name, destination=dlt.destinations.duckdb(
        str(tmp_path / "wh.duckdb")), dataset_name="raw_test",
        pipelines_dir=str(tmp_path / "dlt"))
    pipeline.run(resource)
    counts = pipeline.last_trace.last_normalize_info.row_counts
    state = pipeline.state["sources"][pipeline.default_schema_name]["resources"]["things"]
    return counts.get("things", 0), state[STATE_KEY]


def full_list(records: list[dict]) -> Any:
    @dlt.resource(name="things", primary_key="id", write_disposition="merge")
    def things():
        yield from only_changed([records[:2], records[2:]])
    return things


def window_list(records: list[dict], since: str | None) -> Any:
    @dlt.resource(name="things", primary_key="id", write_disposition="merge")
    def things():
        listed = [r for r in records if since is None or r["created_at"] >= since]
        yield from only_changed([listed], keep="since", time_field="created_at", since=since)
    return things


def test_content_hash_ignores_key_order_and_sees_values() -> None:
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})


def test_a_full_list_lands_only_new_and_changed_records(tmp_path: Path) -> None:
    records = [{"id": i, "status": "open"} for i in range(1, 5)]
    assert _run(tmp_path, "full", full_list(records))[0] == 4
    loaded, state = _run(tmp_path, "full", full_list(records))
    assert loaded == 0 and set(state) == {"1", "2", "3", "4"}
    changed = [*records[:3], {"id": 4, "status": "paid"}, {"id": 5, "status": "open"}]
    loaded, state = _run(tmp_path, "full", full_list(changed))
    assert loaded == 2  # id 4 changed, id 5 new
    loaded, state = _run(tmp_path, "full", full_list(changed[1:]))  # id 1 gone from the list
    assert loaded == 0 and set(state) == {"2", "3", "4", "5"}  # and forgotten


def test_a_window_forgets_what_it_cannot_reread(tmp_path: Path) -> None:
    records = [{"id": i, "created_at": f"2026-11-{i:02d}T10:00:00Z", "status": "open"}
               for i in range(1, 8)]
    assert _run(tmp_path, "win", window_list(records, None))[0] == 7  # the first, full read
    loaded, state = _run(tmp_path, "win", window_list(records, "2026-11-05"))
    assert loaded == 0  # the re-read days 5-7 are unchanged
    assert set(state) == {"5", "6", "7"}  # days 1-4 can no longer be re-read
    resolved = [{**r, "status": "resolved"} if r["id"] == 6 else r for r in records]
    loaded, _ = _run(tmp_path, "win", window_list(resolved, "2026-11-05"))
    assert loaded == 1


@pytest.mark.parametrize(("at", "since", "before"), [
    ("2026-11-04T23:59:59Z", "2026-11-05", True), ("2026-11-05T00:00:00Z", "2026-11-05", False),
    (1_700_000_000, 1_700_000_001, True), (1_700_000_001, 1_700_000_001, False)])
def test_window_start_compares_text_and_epoch_seconds(at: Any, since: Any, before: bool) -> None:
    from pipelines.common.unchanged import _before

    assert _before(at, since) is before
