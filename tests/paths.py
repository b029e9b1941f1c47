"""The one paths helper of the tests: where the repository and its folders are, whatever folder
a test file sits in (`from tests.paths import ROOT`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository (dbt_project.yml)
SCENARIOS = ROOT / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures"
MODELS = ROOT / "models"
DOCS = ROOT / "docs"
