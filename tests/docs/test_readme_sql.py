"""The README's analyst quickstart runs as written: every statement of its ```sql blocks,
against the published snapshot of the default demo, returns rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.project import resolve_paths
from tests.paths import ROOT


def readme_statements() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    code = [re.sub(r"--[^\n]*", "", block) for block in blocks]  # comments may hold a `;`
    return [s.strip() for block in code for s in block.split(";") if s.strip()]


def test_the_readme_has_analyst_queries() -> None:
    assert len(readme_statements()) >= 3


@pytest.mark.parametrize("statement", readme_statements(), ids=lambda s: " ".join(s.split())[:60])
def test_readme_query_runs_on_the_published_snapshot(statement: str,
                                                     default_warehouse: Path) -> None:
    published = resolve_paths(str(default_warehouse), root=ROOT).published
    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute(statement).fetchall()
    finally:
        con.close()
    assert rows, f"no rows: {statement}"
