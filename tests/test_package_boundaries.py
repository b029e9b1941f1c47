"""The shipped packages (`breadcrumbs`, `pipelines`) never import the verification harnesses,
the benchmarks or the tests: those drive the product from outside."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

SHIPPED = sorted([*ROOT.glob("breadcrumbs/**/*.py"), *ROOT.glob("pipelines/**/*.py")])
OUTSIDE = ("harness", "benchmarks", "tests")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_the_boundary_check_sees_imports() -> None:
    assert "harness.scale" in imported_modules(ROOT / "benchmarks" / "run.py")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_code_does_not_import_harnesses(path: Path) -> None:
    wrong = [m for m in imported_modules(path) if m.split(".")[0] in OUTSIDE]
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}: move the code it needs into " \
                      "the package, or the caller out of it"
