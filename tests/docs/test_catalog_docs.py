"""Each metric's doc block ends with its catalog entry as a table, generated from the YAML
(`make catalog-docs`, breadcrumbs/catalog_docs.py): the tables in the repository are the ones
the YAML gives, and a change to the YAML changes the table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from breadcrumbs.catalog_docs import MARKER, lineage_link, load_catalog, table, update
from tests.paths import ROOT


def test_every_metric_doc_block_holds_its_catalog_table() -> None:
    assert update(ROOT, write=False) == [], "run `make catalog-docs`: a table differs from YAML"
    catalog = load_catalog(ROOT)
    assert len(catalog) >= 40
    for metric_id, (docs, meta) in catalog.items():
        block = docs.read_text().split(f"{{% docs metric_{metric_id} %}}", 1)[1]
        block = block.split("{% enddocs %}", 1)[0]
        assert block.count(MARKER) == 1, metric_id
        assert f"| Decision | {meta['decision']} |" in block, metric_id
        assert lineage_link(metric_id) in block, metric_id


def test_the_lineage_link_selects_the_metric_models_upstream() -> None:
    assert lineage_link("churned_mrr") == (
        "#!/model/model.breadcrumbs.m_churned_mrr?g_v=1&g_i=%2Bm_churned_mrr%2Cpath%3Amodels"
        "%2Fmetrics")


def test_a_yaml_change_shows_in_the_table_and_fails_the_sync_check(tmp_path: Path) -> None:
    for name in ("dbt_project.yml", "models/metrics"):
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    spec = tmp_path / "models/metrics/business_outcome/_business_outcome__metrics.yml"
    old = "decided_by: CEO and CFO"
    assert old in spec.read_text()
    spec.write_text(spec.read_text().replace(old, "decided_by: The board", 1))
    assert [p.name for p in update(tmp_path, write=False)] == [
        "_business_outcome__metrics_docs.md"]
    update(tmp_path)
    assert "| Decided by | The board |" in (spec.parent / "_business_outcome__metrics_docs.md"
                                           ).read_text()
    assert update(tmp_path, write=False) == []


def test_a_metric_without_a_doc_block_is_named(tmp_path: Path) -> None:
    shutil.copy(ROOT / "dbt_project.yml", tmp_path / "dbt_project.yml")
    shutil.copytree(ROOT / "models/metrics", tmp_path / "models/metrics")
    docs = tmp_path / "models/metrics/raw_signal/_raw_signal__metrics_docs.md"
    text = docs.read_text()
    start = text.index("{% docs metric_error_rate %}")
    end = text.index("{% enddocs %}", start) + len("{% enddocs %}")
    docs.write_text(text[:start] + text[end:])
    with pytest.raises(ValueError, match="no doc block for error_rate"):
        update(tmp_path, write=False)


def test_table_escapes_pipes_and_names_a_leaf() -> None:
    text = table("x", {"label": "X", "decision": "a | b", "drivers": [], "leaf_reason": "why",
                       "thresholds": {"amber": 1, "red": 2}})
    assert "| Decision | a \\| b |" in text
    assert "| Drivers | none, a leaf: why |" in text
    assert "fixed thresholds: amber at 1, red at 2" in text
