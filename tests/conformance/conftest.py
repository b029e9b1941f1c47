"""Fixtures for the DevLake conformance tests: the fixture folder and the dbt renderer."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
DORA = SHARED / "peers" / "devlake" / "dora" / "e2e"


@pytest.fixture(scope="session")
def dora_dir() -> Path:
    """DevLake's DORA e2e fixtures; the tests skip only when the folder is absent."""
    if not DORA.is_dir():
        pytest.skip(f"DevLake fixtures not found at {DORA} (../shared is absent)")
    return DORA


@pytest.fixture(scope="session")
def renderer(dora_dir, dbt_renderer):
    """Renders Jinja SQL with the project's macros (the session's one parsed project)."""
    return dbt_renderer
