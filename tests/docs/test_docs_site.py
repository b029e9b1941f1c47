"""The static dbt docs site (`make docs`) renders offline in headless Chromium and explains:
the landing page starts from business outcomes, `m_mrr` shows its drivers as parents, and the
dashboards are exposures with an owner."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from breadcrumbs.dbt import run_dbt
from breadcrumbs.project import resolve_paths

ROOT = Path(__file__).resolve().parents[2]
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


def render(site: Path, route: str) -> str:
    """The page's DOM after Angular rendered `route`, without the embedded manifest scripts."""
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-dev-shm-usage", "--virtual-time-budget=20000", "--dump-dom",
         f"{site.as_uri()}#!/{route}"],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    without_scripts = re.sub(r"<script.*?</script>", "", proc.stdout, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_scripts))


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
