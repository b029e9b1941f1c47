"""`breadcrumbs ownership` from Backstage catalog files: exact seed rows, errors, protection."""

from __future__ import annotations

import csv
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from breadcrumbs.cli import main
from breadcrumbs.ownership import write_ownership
from breadcrumbs.ownership.model import OwnershipError
from tests.paths import ROOT

CATALOG = ROOT / "tests" / "fixtures" / "backstage"

TEAMS = [["team_id", "engineers", "monthly_cost_usd"],
         ["growth", "", ""], ["payments", "3", ""], ["platform", "2", ""], ["sre", "", ""]]
SERVICES = [["service_id", "team_id", "repo_full_name", "pagerduty_service_id"],
            ["billing-api", "payments", "acme/billing-api", "PP3RJWQ"],
            ["checkout", "payments", "acme/checkout", "PFWXRJQ"],
            ["search", "platform", "acme/search", ""],
            ["storefront-web", "growth", "acme/web", "PWEB001"]]
REPOS = [["repo_full_name", "path_prefix", "service_id"],
         ["acme/billing-api", "", "billing-api"], ["acme/checkout", "", "checkout"],
         ["acme/search", "", "search"], ["acme/web", "apps/storefront", "storefront-web"]]


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(autouse=True)
def no_catalog_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OWNERSHIP__CATALOG_LOCATIONS", raising=False)


def test_a_multi_document_catalog_gives_exact_seed_rows(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    result = write_ownership(ROOT, out, [str(CATALOG / "catalog-info.yaml")])
    assert rows(out / "teams.csv") == TEAMS
    assert rows(out / "services.csv") == SERVICES
    assert rows(out / "repos.csv") == REPOS
    assert rows(out / "plan_services.csv") == [["plan_id", "service_id"]]
    assert rows(out / "slo_targets.csv") == [["service_id", "slo", "target", "threshold_ms"]]
    assert not (out / "plans.csv").exists()  # a catalog says nothing about plans
    assert dict(result.actions)["plans.csv"] == "missing"
    notes = "\n".join(result.notes)
    assert "Component 'vendor-cdn' skipped: no github.com/project-slug" in notes
    assert "Component 'search' has no pagerduty.com/service-id" in notes
    assert "engineers" in notes and "growth, sre" in notes


def test_a_folder_location_reads_every_catalog_file_once(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    write_ownership(ROOT, out, [str(CATALOG)])  # the Location also points at more/
    assert rows(out / "services.csv") == SERVICES


def test_a_url_location_and_its_relative_targets_are_fetched(tmp_path: Path) -> None:
    handler = partial(SimpleHTTPRequestHandler, directory=str(CATALOG))
    handler.log_message = lambda *_args: None  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/catalog-info.yaml"
        write_ownership(ROOT, tmp_path / "seeds", [url])
        with pytest.raises(OwnershipError, match=r"/nope.yaml: HTTP 404"):
            write_ownership(ROOT, tmp_path / "other", [url.replace("catalog-info", "nope")])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert rows(tmp_path / "seeds" / "services.csv") == SERVICES


def test_the_config_setting_names_the_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("OWNERSHIP__CATALOG_LOCATIONS",
                       f'["{CATALOG / "catalog-info.yaml"}"]')
    assert main(["ownership", "--out", str(tmp_path / "seeds")]) == 0
    out = capsys.readouterr().out
    assert "Backstage catalog" in out and f"wrote     {tmp_path / 'seeds' / 'services.csv'}" \
        "  (4 rows)" in out
    assert rows(tmp_path / "seeds" / "services.csv") == SERVICES


BAD = {
    "syntax": ("kind: Component\nmetadata: {name: a\n", r"not valid YAML at line \d+"),
    "no_owner": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                 "  annotations: {github.com/project-slug: acme/a}\nspec: {type: service}\n",
                 r"Component 'a' has no spec.owner — set it"),
    "user_owner": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\n"
                   "spec: {owner: 'user:jdoe'}\n", r"Component 'a' is owned by 'user:jdoe'"),
    "bad_slug": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                 "  annotations: {github.com/project-slug: checkout}\nspec: {owner: team-a}\n",
                 r"Component 'a': annotation github.com/project-slug must be \"owner/name\""),
    "no_name": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {}\n"
                "spec: {owner: a}\n", r"Component \(document 1\) has no metadata.name"),
    "not_backstage": ("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
                      r"Service 'a' has apiVersion 'v1' — Backstage entities need"),
    "same_repo": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                  "  annotations: {github.com/project-slug: acme/mono}\nspec: {owner: t}\n"
                  "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                  "  name: b\n  annotations: {github.com/project-slug: acme/mono}\n"
                  "spec: {owner: t}\n",
                  r"Component 'b' and Component 'a' \(.*\) both map acme/mono — give each"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_catalog_is_one_line_naming_file_entity_and_fix(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    text, expected = BAD[case]
    catalog = tmp_path / "catalog-info.yaml"
    catalog.write_text(text, encoding="utf-8")
    out = tmp_path / "seeds"
    monkeypatch.chdir(ROOT)
    assert main(["ownership", "--catalog", str(catalog), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith(f"breadcrumbs ownership: {catalog}")
    assert __import__("re").search(expected, first), first
    assert "Traceback" not in err
    assert not out.exists()  # nothing written


def test_a_missing_catalog_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(OwnershipError, match="no such catalog file — fix ownership.catalog"):
        write_ownership(ROOT, tmp_path / "seeds", [str(tmp_path / "absent.yaml")])


def test_the_demo_seeds_are_replaced_but_edited_seeds_need_force(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", out)  # the demo organisation's copy, as cloned
    catalog = [str(CATALOG / "catalog-info.yaml")]
    actions = dict(write_ownership(ROOT, out, catalog).actions)
    assert actions["services.csv"] == "wrote" and actions["plans.csv"] == "kept"
    assert rows(out / "teams.csv") == TEAMS  # the demo's engineers are not carried over
    assert rows(out / "plan_services.csv") == [["plan_id", "service_id"]]

    # the user fills in engineers and costs: a re-run keeps them and changes nothing
    edited = "team_id,engineers,monthly_cost_usd\ngrowth,4,60000\npayments,3,45000\n" \
             "platform,2,30000\nsre,5,75000\n"
    (out / "teams.csv").write_text(edited, encoding="utf-8")
    assert dict(write_ownership(ROOT, out, catalog).actions)["teams.csv"] == "unchanged"

    # a hand edit the catalog contradicts is refused, with nothing written ...
    services = (out / "services.csv").read_text(encoding="utf-8")
    (out / "services.csv").write_text(services.replace("search,platform", "search,sre"),
                                      encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(OwnershipError, match=r"services.csv: edited since breadcrumbs wrote "
                                             r"them — nothing written; run again with --force"):
        write_ownership(ROOT, out, catalog)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # ... and replaced with --force, the user's team values carried over
    actions = dict(write_ownership(ROOT, out, catalog, force=True).actions)
    assert actions["services.csv"] == "replaced"
    assert rows(out / "services.csv") == SERVICES
    assert (out / "teams.csv").read_text(encoding="utf-8") == edited


def test_user_targets_of_services_still_listed_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    out.mkdir()
    (out / "slo_targets.csv").write_text(
        "service_id,slo,target,threshold_ms\ncheckout,availability,0.999,\n"
        "gone,availability,0.99,\n", encoding="utf-8")
    catalog = [str(CATALOG / "catalog-info.yaml")]
    with pytest.raises(OwnershipError, match="slo_targets.csv: edited"):
        write_ownership(ROOT, out, catalog)
    result = write_ownership(ROOT, out, catalog, force=True)
    assert rows(out / "slo_targets.csv") == [["service_id", "slo", "target", "threshold_ms"],
                                             ["checkout", "availability", "0.999", ""]]
    assert any("slo_targets.csv: dropped 1 row" in note for note in result.notes)
