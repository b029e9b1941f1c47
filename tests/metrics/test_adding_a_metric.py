"""docs/adding-a-metric.md is true: its three example blocks (the SQL, the catalog entry, the doc
block) applied to a copy of the project, plus `make catalog-docs`' generator, make a new metric
that the build puts in metric_values, metric_status and metric_catalog, whose doc block carries its
catalog table, that `why` explains with the evidence its catalog names, and that the report
draws. No other file of the project is edited by hand. Built on a copy of the default demo
warehouse: only the new model and the metric tables are run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb

from breadcrumbs.catalog_docs import MARKER, update
from breadcrumbs.report.data import load_cards
from breadcrumbs.warehouse import open_warehouse
from breadcrumbs.why.walk import explain
from tests.metrics.conftest import ROOT, dbt_bin, dbt_env

GUIDE = ROOT / "docs" / "adding-a-metric.md"
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/dbt",
                 "analyses", "snapshots")
METRIC = "successful_deployments"
RUN = [f"m_{METRIC}", "metric_values", "metric_status", "metric_catalog", "metric_edges"]


def guide_blocks() -> list[tuple[str, str]]:
    """(path, text) of every fenced block of the guide that names its file."""
    return [(path, text) for path, text in
            re.findall(r"```\w+ file=(\S+)\n(.*?)```", GUIDE.read_text(), flags=re.S)]


def project_with_the_example(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.is_file():
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / part)
    blocks = guide_blocks()
    assert [path for path, _ in blocks] == [
        f"models/metrics/delivery/m_{METRIC}.sql",
        "models/metrics/delivery/_delivery__metrics.yml",
        "models/metrics/delivery/_delivery__metrics_docs.md",
    ], "the guide's example touches three places: the SQL, the catalog entry, the doc block"
    for path, text in blocks:
        target = project / path
        if target.exists():
            target.write_text(target.read_text().rstrip("\n") + "\n" + text)
        else:
            target.write_text(text)
    generated = {path.relative_to(project).as_posix() for path in update(project)}
    assert generated == {"models/metrics/metric_values.sql",
                         "models/metrics/delivery/_delivery__metrics_docs.md"}, generated
    assert f"ref('m_{METRIC}')" in (project / "models/metrics/metric_values.sql").read_text()
    return project


def test_the_guides_example_metric_reaches_every_table_why_and_the_report(
    tmp_path: Path, default_warehouse: Path
) -> None:
    project = project_with_the_example(tmp_path)
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(default_warehouse, warehouse)
    env = dbt_env(str(warehouse))
    env["BREADCRUMBS_SEEDS"] = "seeds"
    proc = subprocess.run(
        [dbt_bin(), "run", "--select", *RUN, "--full-refresh", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table in ("metric_values", "metric_status", "metric_catalog"):
            count = con.execute(f"select count(*) from metrics.{table} where metric_id = ?",
                                [METRIC]).fetchone()[0]
            assert count > 0, f"{METRIC} is not in {table}"
        evidence_kind, = con.execute(
            "select evidence from metrics.metric_catalog where metric_id = ?", [METRIC]
        ).fetchone()
        edges = con.execute(
            "select driver_metric_id from metrics.metric_edges where metric_id = ? order by 1",
            [METRIC]).fetchall()
    finally:
        con.close()
    assert evidence_kind == "deployments"
    docs = (project / "models/metrics/delivery/_delivery__metrics_docs.md").read_text()
    block = docs.split(f"{{% docs metric_{METRIC} %}}", 1)[1].split("{% enddocs %}", 1)[0]
    assert MARKER in block and "| Label | Successful deployments |" in block
    assert edges == [("deployments",), ("failed_deployments",)]

    answer = explain(warehouse, METRIC).as_json()
    assert answer["metric"] == METRIC
    assert any(item["kind"] == "deployment" for item in answer["evidence"]), answer["evidence"]

    wh = open_warehouse(warehouse)
    try:
        cards = {card.metric_id: card for card in load_cards(wh)}
    finally:
        wh.close()
    assert cards[METRIC].label == "Successful deployments"
    assert cards[METRIC].status in ("green", "amber", "red")
