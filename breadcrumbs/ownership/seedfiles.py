"""Turn an ownership map into the seed CSVs, keeping what the user filled in, and never
replacing a seed the user edited unless told to (`force`).

A seed may be replaced when it is missing, already holds the new content, still holds the demo
organisation's copy (what the simulator writes for scenarios/default.yaml), or is exactly what
`breadcrumbs ownership` wrote last (its SHA-256 is kept in `.ownership.json` beside the seeds).
Anything else is the user's: its values are carried over (engineers, costs, SLAs, targets, plan
dependencies of services that still exist) and it is only replaced with `force`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from breadcrumbs.ownership.model import Ownership, OwnershipError

MANIFEST = ".ownership.json"
HEADERS = {
    "teams.csv": ["team_id", "engineers", "monthly_cost_usd"],
    "services.csv": ["service_id", "team_id", "repo_full_name", "pagerduty_service_id"],
    "repos.csv": ["repo_full_name", "path_prefix", "service_id"],
    "plans.csv": ["plan_id", "price_cents", "currency", "sla_availability"],
    "plan_services.csv": ["plan_id", "service_id"],
    "slo_targets.csv": ["service_id", "slo", "target", "threshold_ms"],
}


@dataclass
class SeedPlan:
    """What would be written: file name -> new text (None: left alone), the state of each
    existing file, and notes for the user."""

    texts: dict[str, str | None]
    states: dict[str, str]  # missing | same | ours | demo | edited
    rows: dict[str, int]
    notes: list[str] = field(default_factory=list)


def render(name: str, rows: list[list[str]]) -> str:
    """CSV text (header first, `\\n` line ends), as the simulator writes seeds."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADERS[name], *rows])
    return buffer.getvalue()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def demo_texts(root: Path) -> dict[str, str]:
    """The demo organisation's seeds (scenarios/default.yaml), rendered; {} without it."""
    scenario_file = root / "scenarios" / "default.yaml"
    if not scenario_file.is_file():
        return {}
    from breadcrumbs.simulator.org import build_org
    from breadcrumbs.simulator.scenario import load_scenario
    from breadcrumbs.simulator.seeds import render_csv, seed_tables

    org = build_org(load_scenario(scenario_file))
    tables = seed_tables(SimpleNamespace(teams=org.teams, services=org.services,
                                         plans=org.plans))
    return {name: render_csv(rows) for name, rows in tables.items()}


def read_rows(text: str | None) -> list[dict[str, str]]:
    """The rows of a CSV text as dicts (empty for None)."""
    if not text:
        return []
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def previous_manifest(out: Path) -> dict[str, str]:
    """File name -> SHA-256 of what `breadcrumbs ownership` wrote last into `out`."""
    try:
        files = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def existing_states(out: Path, demo: dict[str, str]) -> tuple[dict[str, str | None],
                                                               dict[str, str]]:
    """Current text and state (missing / ours / demo / edited) of each seed file."""
    written = previous_manifest(out)
    texts: dict[str, str | None] = {}
    states: dict[str, str] = {}
    for name in HEADERS:
        path = out / name
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        texts[name] = text
        if text is None:
            states[name] = "missing"
        elif written.get(name) == digest(text):
            states[name] = "ours"
        elif demo.get(name) == text:
            states[name] = "demo"
        else:
            states[name] = "edited"
    return texts, states


def plan_seeds(ownership: Ownership, out: Path, root: Path) -> SeedPlan:
    """The new seed texts for `ownership`, carrying over the user's values in `out`."""
    current, states = existing_states(out, demo_texts(root))
    # the demo organisation's values are not the user's: they are not carried over
    kept = {name: read_rows(text) if states[name] in ("ours", "edited") else []
            for name, text in current.items()}
    notes = list(ownership.notes)
    tables: dict[str, list[list[str]] | None] = {}

    old_teams = {row.get("team_id"): row for row in kept["teams.csv"]}
    team_rows, to_fill = [], []
    for team in ownership.teams:
        old = old_teams.get(team.team_id, {})
        engineers = str(team.engineers) if team.engineers is not None else \
            (old.get("engineers") or "")
        cost = str(team.monthly_cost_usd) if team.monthly_cost_usd is not None else \
            (old.get("monthly_cost_usd") or "")
        if not engineers:
            to_fill.append(team.team_id)
        team_rows.append([team.team_id, engineers, cost])
    if to_fill:
        notes.append(f"teams.csv: fill in engineers (and monthly_cost_usd) for "
                     f"{', '.join(to_fill)} — dbt's not_null test on engineers fails until then")
    tables["teams.csv"] = team_rows
    tables["services.csv"] = [[s.service_id, s.team_id, s.repo_full_name,
                               s.pagerduty_service_id or ""] for s in ownership.services]
    tables["repos.csv"] = [[r.repo_full_name, r.path_prefix, r.service_id]
                           for r in ownership.repos]

    if ownership.plans is not None:
        old_plans = {row.get("plan_id"): row for row in kept["plans.csv"]}
        tables["plans.csv"] = [[p.plan_id, str(p.price_cents), p.currency,
                                f"{p.sla_availability:g}" if p.sla_availability is not None
                                else old_plans.get(p.plan_id, {}).get("sla_availability") or ""]
                               for p in ownership.plans]
        plan_ids = {p.plan_id for p in ownership.plans}
    else:
        tables["plans.csv"] = None
        plan_ids = {row.get("plan_id") for row in read_rows(current["plans.csv"])}
        if current["plans.csv"] is None:
            notes.append("plans.csv: missing — write your Stripe plans into it, or run "
                         "`breadcrumbs ownership` without a catalog once sources.revenue is set")

    service_ids = {s.service_id for s in ownership.services}
    links = kept["plan_services.csv"]
    kept_links = [[r["plan_id"], r["service_id"]] for r in links
                  if r.get("plan_id") in plan_ids and r.get("service_id") in service_ids]
    dropped(notes, "plan_services.csv", len(links) - len(kept_links))
    tables["plan_services.csv"] = sorted(kept_links)
    targets = kept["slo_targets.csv"]
    kept_targets = [[r.get("service_id", ""), r.get("slo", ""), r.get("target", ""),
                     r.get("threshold_ms", "")] for r in targets
                    if r.get("service_id") in service_ids]
    dropped(notes, "slo_targets.csv", len(targets) - len(kept_targets))
    tables["slo_targets.csv"] = sorted(kept_targets)
    without = sorted(service_ids - {row[0] for row in kept_targets})
    if without:
        notes.append(f"slo_targets.csv: add objectives (availability, latency) for "
                     f"{', '.join(without)}")
    if not kept_links:
        notes.append("plan_services.csv: list which services each plan's customers depend on "
                     "(revenue at risk follows these rows)")

    texts = {name: None if rows is None else render(name, rows) for name, rows in tables.items()}
    states = {name: "same" if texts[name] is not None and texts[name] == current[name]
              else state for name, state in states.items()}
    return SeedPlan(texts, states, {name: len(rows) for name, rows in tables.items()
                                    if rows is not None}, notes)


def dropped(notes: list[str], name: str, count: int) -> None:
    if count:
        notes.append(f"{name}: dropped {count} row(s) naming services or plans that are no "
                     "longer listed")


def write_seeds(plan: SeedPlan, out: Path, force: bool) -> list[tuple[str, str]]:
    """Write the planned texts (atomically, each) and the manifest; (file, action) pairs.

    Refuses, writing nothing, when a file the user edited would change and `force` is off."""
    blocked = [name for name, text in plan.texts.items()
               if text is not None and plan.states[name] == "edited"]
    if blocked and not force:
        shown = ", ".join(str(out / name) for name in blocked)
        raise OwnershipError(f"{shown}: edited since breadcrumbs wrote them — nothing written; "
                             "run again with --force to replace them (their engineers, costs, "
                             "SLAs and targets are carried over), or --out DIR to write "
                             "elsewhere")
    out.mkdir(parents=True, exist_ok=True)
    actions = []
    manifest = {name: sha for name, sha in previous_manifest(out).items()
                if plan.texts.get(name) is None}  # files left alone keep their entry
    for name, text in plan.texts.items():
        if text is None:
            actions.append((name, "kept" if plan.states[name] != "missing" else "missing"))
            continue
        manifest[name] = digest(text)
        if plan.states[name] == "same":
            actions.append((name, "unchanged"))
            continue
        path = out / name
        temporary = path.with_name(f".{name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        actions.append((name, "replaced" if plan.states[name] == "edited" else "wrote"))
    (out / MANIFEST).write_text(json.dumps({"written_by": "breadcrumbs ownership",
                                            "files": manifest}, indent=2) + "\n",
                                encoding="utf-8")
    return actions
