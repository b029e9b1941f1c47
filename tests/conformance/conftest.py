"""Fixtures for the DevLake conformance tests: the fixture folder and the dbt renderer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import ROOT

# vendored in the repository with their licence (tests/fixtures/devlake/README.md)
DORA = ROOT / "tests" / "fixtures" / "devlake" / "dora" / "e2e"


@pytest.fixture(scope="session")
def dora_dir() -> Path:
    """DevLake's DORA e2e fixtures (vendored: their absence is a failure, never a skip)."""
    assert DORA.is_dir(), f"DevLake fixtures missing at {DORA}: restore tests/fixtures/devlake"
    return DORA


# The conformance tests run under DevLake's failure rule (dbt var `delivery_failure_rule`,
# docs/metric-definitions.md); the project's default is the DORA 2024 remediation rule.
DEVLAKE_VARS = {"delivery_failure_rule": "devlake"}


class RuleRenderer:
    """The session's renderer with dbt vars fixed (DevLake's failure rule unless told)."""

    def __init__(self, renderer, dbt_vars: dict) -> None:
        self._renderer = renderer
        self.dbt_vars = dbt_vars

    def render(self, jinja_sql: str, dbt_vars: dict | None = None) -> str:
        return self._renderer.render(jinja_sql, {**self.dbt_vars, **(dbt_vars or {})})


@pytest.fixture(scope="session")
def renderer(dora_dir, dbt_renderer):
    """Renders Jinja SQL with the project's macros (the session's one parsed project), with
    `delivery_failure_rule: devlake`."""
    return RuleRenderer(dbt_renderer, DEVLAKE_VARS)
