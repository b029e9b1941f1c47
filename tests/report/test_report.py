"""`breadcrumbs report` in real headless Chromium: the page renders offline, the tree has one
node per metric with its edges drawn, and a red node shows its breadcrumb trail. A screenshot is
kept in tests/artifacts/report.png."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.cli import main

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium on PATH: `make chromium` (apt-get install -y chromium)")


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture(scope="module")
def report(default_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "index.html"
    assert main(["report", "--out", str(out), "--warehouse", str(default_warehouse)]) == 0
    return out


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no network at view time"


def test_report_renders_in_chromium(
    report: Path, default_warehouse: Path, tmp_path: Path
) -> None:
    dom = _browser(tmp_path, "--virtual-time-budget=5000", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr
    html = dom.stdout
    con = duckdb.connect(str(default_warehouse), read_only=True)
    try:
        metrics = [r[0] for r in con.execute(
            "select metric_id from metrics.metric_catalog order by metric_id").fetchall()]
    finally:
        con.close()
    nodes = re.findall(r'data-metric="([a-z0-9_]+)"', html)
    assert sorted(nodes) == metrics, "one node per metric"
    assert html.count('class="edge"') >= 40, "the script drew the driver edges"
    red_nodes = re.findall(
        r'<div class="node status-red"[^>]*data-metric="([a-z0-9_]+)".*?</details>', html, re.S
    )
    assert red_nodes, "some metric is red in the default scenario"
    churn = re.search(r'data-metric="churned_mrr".*?</details>', html, re.S)
    assert churn and 'class="trail"' in churn.group(0)
    assert "root cause: CPU utilisation on service checkout" in churn.group(0)
    assert not re.search(r"\b\d(\.\d+)?[eE][+-]\d+\b", churn.group(0)), "no scientific notation"

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    done = _browser(tmp_path, "--window-size=1600,2400", "--virtual-time-budget=5000",
                    f"--screenshot={shot}", report.as_uri())
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
