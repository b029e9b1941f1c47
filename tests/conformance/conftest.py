"""Fixtures for the DevLake conformance tests: the fixture folder and the dbt renderer."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# vendored in the repository with their licence (tests/fixtures/devlake/README.md)
DORA = REPO_ROOT / "tests" / "fixtures" / "devlake" / "dora" / "e2e"


@pytest.fixture(scope="session")
def dora_dir() -> Path:
    """DevLake's DORA e2e fixtures (vendored: their absence is a failure, never a skip)."""
    assert DORA.is_dir(), f"DevLake fixtures missing at {DORA}: restore tests/fixtures/devlake"
    return DORA


@pytest.fixture(scope="session")
def renderer(dora_dir, dbt_renderer):
    """Renders Jinja SQL with the project's macros (the session's one parsed project)."""
    return dbt_renderer
