"""A starter ownership map from what the sources can see, for the user to edit.

One request per source, through the source's own client and settings:
- GitHub: the configured `sources.github.repos` (or `sources.ci.repos`); without them, the
  repositories the token can read (`GET /user/repos`, first 100, most recently pushed first).
- PagerDuty: `GET /services` (first 100, with their teams).
- Stripe: `GET /v1/products?active=true&expand[]=data.default_price` (first 100).

Each repo becomes a service named after the repo; its PagerDuty service is the one whose name
is the repo's name (case and punctuation aside), and its team the first team of that PagerDuty
service, else `unassigned`. Each product with a recurring price becomes a plan named like the
revenue models name it: price `lookup_key`, else price or product `metadata.plan`, else the
product id; its monthly list price is the price's amount per month.
"""

from __future__ import annotations

import re
from typing import Any

from breadcrumbs.connections import SourceConfig, api_client, version_headers
from breadcrumbs.ownership.model import (
    Ownership,
    OwnershipError,
    PlanRow,
    RepoRow,
    ServiceRow,
    TeamRow,
)
from pipelines.common import RetryPolicy, SourceError

UNASSIGNED = "unassigned"
PAGE = 100
MONTHS_PER = {"month": 1.0, "year": 12.0, "week": 12 / 52, "day": 12 / 365}


def slug(text: str) -> str:
    """Lower case, runs of anything but letters and digits as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def get(config: SourceConfig, path: str, params: dict[str, str]) -> Any:
    """One GET through the source's client, with the version it pins (two retries)."""
    client = api_client(config, RetryPolicy(max_retries=2))
    client.session.headers.update(version_headers(config.name))
    try:
        data, _response = client.get_json(path, params)
    except SourceError as exc:
        raise OwnershipError(f"{exc} (run `breadcrumbs doctor` for the fix)") from None
    return data


def visible_repos(github: SourceConfig, ci: SourceConfig, notes: list[str]) -> list[str]:
    """The configured repos, else the first 100 the GitHub token can read."""
    if github.repos or ci.repos:
        return list(dict.fromkeys([*github.repos, *ci.repos]))
    config = github if github.token else ci
    if not config.token:
        raise OwnershipError("ownership: no catalog and no GitHub repos — set "
                             "ownership.catalog_locations (Backstage catalog-info.yaml files) or "
                             "sources.github.repos and sources.github.access_token")
    listed = get(config, "/user/repos", {"per_page": str(PAGE), "sort": "pushed"})
    if not isinstance(listed, list):
        raise OwnershipError(f"{config.name}: GET /user/repos did not answer a list — check "
                             f"sources.{config.name}.base_url")
    names = [r["full_name"] for r in listed if isinstance(r, dict) and not r.get("archived")
             and isinstance(r.get("full_name"), str)]
    notes.append(f"{config.name}: sources.github.repos is not set: used the {len(names)} "
                 "repos the token can read; put the ones to load in sources.github.repos")
    return names


def pagerduty_services(config: SourceConfig, notes: list[str]) -> list[dict]:
    """The first 100 PagerDuty services."""
    data = get(config, "/services", {"limit": str(PAGE), "offset": "0"})
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, list):
        raise OwnershipError("incidents: GET /services did not answer PagerDuty's services "
                             "object — check sources.incidents.base_url")
    if data.get("more"):
        notes.append(f"incidents: more than {PAGE} PagerDuty services; matched the first "
                     f"{PAGE} — add the others to services.csv by hand")
    return [s for s in services if isinstance(s, dict) and s.get("id")]


def services_from(repos: list[str], pd_services: list[dict],
                  notes: list[str]) -> tuple[list[ServiceRow], list[RepoRow]]:
    """One service per repo, matched to a PagerDuty service by name."""
    by_name: dict[str, dict] = {}
    for service in pd_services:
        by_name.setdefault(slug(str(service.get("name") or service.get("summary") or "")),
                           service)
    names = [repo.split("/")[1] for repo in repos]
    services, rows, matched = [], [], set()
    for repo, name in zip(repos, names, strict=True):
        service_id = slug(repo) if names.count(name) > 1 else name
        pd = by_name.get(slug(name))
        team = UNASSIGNED
        if pd is not None:
            matched.add(pd["id"])
            teams = [t for t in pd.get("teams") or [] if isinstance(t, dict) and t.get("summary")]
            team = slug(str(teams[0]["summary"])) if teams else UNASSIGNED
        services.append(ServiceRow(service_id, team, repo, pd["id"] if pd else None))
        rows.append(RepoRow(repo, "", service_id))
    for service in pd_services:
        if service["id"] not in matched:
            notes.append(f"incidents: PagerDuty service {service.get('name')!r} "
                         f"({service['id']}) matches no repo by name — set its id in "
                         "services.csv by hand if a repo's service is it")
    unassigned = [s.service_id for s in services if s.team_id == UNASSIGNED]
    if unassigned:
        notes.append(f"services.csv: no team known for {', '.join(unassigned)} (team "
                     f"{UNASSIGNED!r}) — set their team_id")
    return sorted(services, key=lambda s: s.service_id), sorted(
        rows, key=lambda r: (r.repo_full_name, r.path_prefix))


def plan_of(product: dict, notes: list[str]) -> PlanRow | None:
    """A product's plan row from its recurring default price, or None (with a note)."""
    price = product.get("default_price")
    recurring = price.get("recurring") if isinstance(price, dict) else None
    amount = price.get("unit_amount") if isinstance(price, dict) else None
    interval = recurring.get("interval") if isinstance(recurring, dict) else None
    if not isinstance(amount, int) or interval not in MONTHS_PER:
        notes.append(f"revenue: product {product.get('name')!r} ({product.get('id')}) has no "
                     "recurring per-unit default price — add its plan to plans.csv by hand")
        return None
    count = recurring.get("interval_count") or 1
    metadata = price.get("metadata") or {}
    product_metadata = product.get("metadata") or {}
    plan_id = (price.get("lookup_key") or metadata.get("plan") or product_metadata.get("plan")
               or product["id"])
    monthly = round(amount / (MONTHS_PER[interval] * count))
    return PlanRow(str(plan_id), monthly, str(price.get("currency") or "usd").lower())


def stripe_plans(config: SourceConfig, notes: list[str]) -> list[PlanRow]:
    """One plan per active product with a recurring default price (first 100 products)."""
    data = get(config, "/v1/products", {"active": "true", "limit": str(PAGE),
                                        "expand[]": "data.default_price"})
    products = data.get("data") if isinstance(data, dict) else None
    if not isinstance(products, list):
        raise OwnershipError("revenue: GET /v1/products did not answer a Stripe list — check "
                             "sources.revenue.base_url")
    if data.get("has_more"):
        notes.append(f"revenue: more than {PAGE} products; listed the first {PAGE}")
    plans: dict[str, PlanRow] = {}
    for product in products:
        plan = plan_of(product, notes) if isinstance(product, dict) else None
        if plan is not None and plan.plan_id in plans:
            notes.append(f"revenue: product {product.get('id')} names plan {plan.plan_id!r} "
                         "again; kept the first")
        elif plan is not None:
            plans[plan.plan_id] = plan
    return sorted(plans.values(), key=lambda p: p.plan_id)


def read_sources(configs: dict[str, SourceConfig]) -> Ownership:
    """The starter ownership map from the configured sources."""
    notes: list[str] = []
    repos = visible_repos(configs["github"], configs["ci"], notes)
    if not repos:
        raise OwnershipError("github: the token sees no repositories — set sources.github.repos")
    incidents = configs["incidents"]
    pd_services = pagerduty_services(incidents, notes) if incidents.configured else []
    if not incidents.configured:
        notes.append("incidents: not configured — pagerduty_service_id left empty")
    services, repo_rows = services_from(repos, pd_services, notes)
    revenue = configs["revenue"]
    plans = stripe_plans(revenue, notes) if revenue.configured else None
    if plans is None:
        notes.append("revenue: not configured — plans.csv left as it is")
    teams = [TeamRow(team_id) for team_id in sorted({s.team_id for s in services})]
    return Ownership(teams=teams, services=services, repos=repo_rows, plans=plans, notes=notes)
