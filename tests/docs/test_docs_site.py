"""The static dbt docs site (`make docs`) renders offline in headless Chromium and explains:
the landing page starts from business outcomes, `m_mrr` shows its drivers as parents, a
metric's page shows its catalog entry as a table with a link that opens the lineage graph on
its driver tree (only metric models), and the dashboards are exposures with an owner."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from breadcrumbs.catalog_docs import lineage_link, lineage_selector, load_catalog
from breadcrumbs.dbt import run_dbt
from breadcrumbs.project import resolve_paths
from tests.paths import ROOT

MRR_PARENTS = {"fct_mrr_monthly", "fct_mrr_monthly_org", "m_new_mrr", "m_expansion_mrr",
               "m_contraction_mrr", "m_churned_mrr", "m_reactivation_mrr"}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def chromium() -> str:
    """The headless browser; `make chromium` (a dependency of `make pytest`) installs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: run `make chromium` (apt-get install chromium)"
    return found


@pytest.fixture(scope="module")
def docs_site(small_warehouse: Path) -> Path:
    """`dbt docs generate --static` for the small demo warehouse."""
    paths = resolve_paths(str(small_warehouse), root=ROOT)
    run_dbt(["docs", "generate", "--static"], paths, seeds_dir=paths.seeds_dir)
    site = paths.docs_dir / "static_index.html"
    assert site.exists()
    return site


def dom(site: Path, route: str) -> str:
    """The page's DOM after Angular rendered `route`, without the embedded manifest scripts."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-dev-shm-usage", "--virtual-time-budget=20000", "--dump-dom",
         f"{site.as_uri()}#!/{route}"],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return re.sub(r"<script.*?</script>", "", proc.stdout, flags=re.S)


def render(site: Path, route: str) -> str:
    """The text of the page at `route`."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom(site, route)))


# reads the lineage graph (cytoscape keeps its instance on its container as _cyreg) once it
# has nodes, and writes the ids of the visible ones into <pre id="lineage-probe">
LINEAGE_PROBE = """<script>
(function poll(n) {
  var cy = null;
  document.querySelectorAll('*').forEach(function (e) {
    if (e._cyreg && e._cyreg.cy) cy = e._cyreg.cy;
  });
  if (cy && cy.nodes().length) {
    var pre = document.createElement('pre'); pre.id = 'lineage-probe';
    pre.textContent = JSON.stringify(cy.nodes().filter(function (x) { return x.visible(); })
      .map(function (x) { return x.id(); }));
    document.body.appendChild(pre); return;
  }
  if (n < 300) setTimeout(function () { poll(n + 1); }, 100);
})(0);
</script>"""


def upstream_metrics(metric_id: str) -> set[str]:
    """The metric and every metric upstream of it in the catalog YAML."""
    catalog = load_catalog(ROOT)
    seen, queue = {metric_id}, [metric_id]
    while queue:
        for driver in catalog[queue.pop()][1].get("drivers") or []:
            if driver["metric"] not in seen:
                seen.add(driver["metric"])
                queue.append(driver["metric"])
    return seen


def test_the_site_is_one_offline_file(docs_site: Path) -> None:
    html = docs_site.read_text()
    assert not re.search(r"<script[^>]+src=\"https?:", html)
    assert not re.search(r"<link[^>]+href=\"https?:", html)


def test_landing_page_starts_from_business_outcomes(docs_site: Path) -> None:
    text = render(docs_site, "overview")
    assert "from business outcomes back to the work" in text
    first = text.index("Business outcomes: what leadership decides on")
    assert first < text.index("Service health") < text.index("Delivery: how the teams ship")


def test_m_mrr_lineage_shows_its_drivers(docs_site: Path) -> None:
    text = render(docs_site, "model/model.breadcrumbs.m_mrr")
    depends = text[text.rindex("Depends On"):]
    depends = depends[:depends.index("Code")]
    assert set(depends.split()) >= MRR_PARENTS, depends


def test_leadership_dashboard_is_an_exposure_with_owner_and_metrics(docs_site: Path) -> None:
    text = render(docs_site, "exposure/exposure.breadcrumbs.leadership_dashboard")
    assert "Leadership dashboard" in text and "Revenue operations" in text
    assert "m_mrr" in text and "m_revenue_at_risk" in text


def test_metric_page_shows_its_catalog_entry_as_a_table(docs_site: Path) -> None:
    page = dom(docs_site, "model/model.breadcrumbs.m_churned_mrr")
    meta = load_catalog(ROOT)["churned_mrr"][1]
    tables = re.findall(r"<table.*?</table>", page, re.S)
    entry = next((t for t in tables if "Decided by" in t), None)
    assert entry, "the description holds the catalog entry as a table"
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", entry)))
    for field in ("decision", "decided_by", "owner", "counterbalance"):
        assert meta[field] in text, field
    assert "revenue_at_risk (causal, positive)" in text
    assert f'href="{html.escape(lineage_link("churned_mrr"))}"' in page
    assert lineage_selector("churned_mrr") in html.unescape(page)


def test_the_driver_tree_link_shows_only_the_metrics_upstream(
    docs_site: Path, tmp_path: Path
) -> None:
    probed = tmp_path / "static_index.html"
    site = docs_site.read_text()
    at = site.rindex("</body>")
    probed.write_text(site[:at] + LINEAGE_PROBE + site[at:])
    page = dom(probed, lineage_link("churned_mrr").removeprefix("#!/"))
    found = re.search(r'<pre id="lineage-probe">(.*?)</pre>', page, re.S)
    assert found, "the lineage graph did not open"
    shown = {node.removeprefix("model.breadcrumbs.m_")
             for node in json.loads(html.unescape(found.group(1)))}
    assert shown == upstream_metrics("churned_mrr")
