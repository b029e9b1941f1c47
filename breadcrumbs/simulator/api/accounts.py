"""What a client setting up a real account asks the APIs first: versions and catalogues.

- API versions: GitHub answers 400 to an `X-GitHub-Api-Version` it does not support and names
  the version it used in `X-GitHub-Api-Version-Selected`; Stripe answers 400 to an unknown
  `Stripe-Version` and names the version of every answer in its `Stripe-Version` header. The
  simulator serves exactly the versions the sources pin (pipelines/*/settings.py), so any other
  version is refused (a real account would serve an older known version in its older shape).
- Catalogues `breadcrumbs ownership` and `breadcrumbs doctor` read: GitHub `GET /user/repos`,
  PagerDuty `GET /services` (with `teams`), Stripe `GET /v1/products`
  (`expand[]=data.default_price`), Prometheus `GET /api/v1/status/buildinfo`.
"""

from __future__ import annotations

from breadcrumbs.simulator.api.common import Request, Response, int_arg
from breadcrumbs.simulator.api.github import paginate
from breadcrumbs.simulator.api.pagerduty import page
from breadcrumbs.simulator.rng import pd_id, token
from breadcrumbs.simulator.world import World
from pipelines.ci.settings import API_VERSION as CI_API_VERSION
from pipelines.github.settings import API_VERSION as GITHUB_API_VERSION
from pipelines.revenue.settings import STRIPE_VERSION

GITHUB_VERSIONS = frozenset({GITHUB_API_VERSION, CI_API_VERSION})
PROMETHEUS_BUILD = {"version": "2.53.0", "revision": "4c35b9250afefede41c5f5acd76191f90f625898",
                    "branch": "HEAD", "buildUser": "root@7b7c2c2d4a3b",
                    "buildDate": "20240618-15:23:56", "goVersion": "go1.22.4"}


def version_answer(prefix: str, headers: dict[str, str]) -> Response | None:
    """The API's own 400 for a version it does not serve, else None."""
    if prefix == "/github":
        asked = headers.get("x-github-api-version")
        if asked is not None and asked not in GITHUB_VERSIONS:
            return Response(400, {
                "message": f"Unsupported 'X-GitHub-Api-Version' header value: {asked}. "
                           f"Supported versions: {', '.join(sorted(GITHUB_VERSIONS))}",
                "documentation_url": "https://docs.github.com/rest/about-the-rest-api/"
                                     "api-versions"})
    if prefix == "/stripe":
        asked = headers.get("stripe-version")
        if asked is not None and asked != STRIPE_VERSION:
            return Response(400, {"error": {"message": f"Invalid Stripe API version: {asked}",
                                            "type": "invalid_request_error",
                                            "param": "Stripe-Version"}})
    return None


def version_headers(prefix: str, headers: dict[str, str]) -> list[tuple[str, str]]:
    """The headers naming the version an answer was given in."""
    if prefix == "/github":
        return [("X-GitHub-Api-Version-Selected",
                 headers.get("x-github-api-version") or GITHUB_API_VERSION)]
    if prefix == "/stripe":
        return [("Stripe-Version", headers.get("stripe-version") or STRIPE_VERSION)]
    return []


def catalogue_answer(world: World, req: Request) -> Response | None:
    """PagerDuty services, Stripe products, Prometheus build info; None for other paths."""
    if req.method != "GET":
        return None
    if req.prefix == "/github" and req.path == "/user/repos":
        return paginate(req, github_repos(world))
    if req.prefix == "/pagerduty" and req.path == "/services":
        return page(req, pagerduty_services(world), "services")
    if req.prefix == "/stripe" and req.path == "/v1/products":
        return stripe_products(world, req)
    if req.prefix == "/prometheus" and req.path == "/api/v1/status/buildinfo":
        return Response(200, {"status": "success", "data": dict(PROMETHEUS_BUILD)})
    return None


def github_repos(world: World) -> list[dict]:
    """Repository objects of the world's repos, most recently pushed first (`sort=pushed`)."""
    repos = []
    for n, (full_name, activity) in enumerate(sorted(world.repos.items())):
        owner, name = full_name.split("/")
        pushed = max((date for c in activity.commits
                      if (date := ((c.get("commit") or {}).get("committer") or {}).get("date"))),
                     default=None)
        repos.append({
            "id": 500_000 + n, "node_id": "R_kgDO" + token(6, world.seed, "repo", full_name),
            "name": name, "full_name": full_name, "private": True,
            "owner": {"login": owner, "id": 90_000, "type": "Organization"},
            "html_url": f"https://github.com/{full_name}", "fork": False,
            "url": f"https://api.github.com/repos/{full_name}", "archived": False,
            "disabled": False, "default_branch": "main", "visibility": "private",
            "pushed_at": pushed, "permissions": {"admin": False, "maintain": False,
                                                 "push": False, "triage": False,
                                                 "pull": True},
        })
    return sorted(repos, key=lambda r: r["pushed_at"] or "", reverse=True)


def pagerduty_services(world: World) -> list[dict]:
    """PagerDuty service objects of the world's services, each with its owning team."""
    services = []
    for service in sorted(world.services, key=lambda s: s.id):
        team = pd_id("team", service.team_id)
        services.append({
            "id": service.pagerduty_service_id, "type": "service", "summary": service.id,
            "self": f"https://api.pagerduty.com/services/{service.pagerduty_service_id}",
            "html_url": f"https://acme.pagerduty.com/service-directory/"
                        f"{service.pagerduty_service_id}",
            "name": service.id, "description": f"{service.id} (simulated)",
            "auto_resolve_timeout": 14400, "acknowledgement_timeout": 600,
            "created_at": world.start.strftime("%Y-%m-%dT%H:%M:%SZ"), "status": "active",
            "last_incident_timestamp": None, "alert_creation": "create_alerts_and_incidents",
            "escalation_policy": {"id": pd_id("escalation", service.team_id),
                                  "type": "escalation_policy_reference",
                                  "summary": f"{service.team_id} on-call"},
            "teams": [{"id": team, "type": "team_reference", "summary": service.team_id,
                       "self": f"https://api.pagerduty.com/teams/{team}",
                       "html_url": f"https://acme.pagerduty.com/teams/{team}"}],
            "integrations": [], "incident_urgency_rule": {"type": "constant",
                                                          "urgency": "high"},
        })
    return services


def product_id(world: World, plan_id: str) -> str:
    """The Stripe product id of a plan."""
    return "prod_" + token(14, world.seed, "product", plan_id)


def stripe_products(world: World, req: Request) -> Response:
    """`GET /v1/products`: one product per plan, its monthly list price as default_price."""
    limit = int_arg(req, "limit", 10)
    if not 1 <= limit <= 100:
        return Response(400, {"error": {"message": "This value must be between 1 and 100.",
                                        "param": "limit", "type": "invalid_request_error"}})
    expand = {value for key, value in req.pairs if key in ("expand[]", "expand")}
    created = int(world.start.timestamp())
    products = []
    for plan in sorted(world.plans, key=lambda p: p.id):
        product = product_id(world, plan.id)
        price = {
            "id": f"price_{plan.id}_monthly", "object": "price", "active": True,
            "billing_scheme": "per_unit", "created": created, "currency": "usd",
            "custom_unit_amount": None, "livemode": False, "lookup_key": plan.id,
            "metadata": {}, "nickname": None, "product": product,
            "recurring": {"interval": "month", "interval_count": 1, "meter": None,
                          "trial_period_days": None, "usage_type": "licensed"},
            "tax_behavior": "unspecified", "tiers_mode": None, "transform_quantity": None,
            "type": "recurring", "unit_amount": plan.price_cents,
            "unit_amount_decimal": str(plan.price_cents),
        }
        products.append({
            "id": product, "object": "product", "active": True, "created": created,
            "default_price": price if "data.default_price" in expand else price["id"],
            "description": None, "images": [], "livemode": False, "marketing_features": [],
            "metadata": {"plan": plan.id}, "name": plan.id.title(),
            "package_dimensions": None, "shippable": None, "statement_descriptor": None,
            "tax_code": None, "unit_label": "seat", "updated": created, "url": None,
        })
    return Response(200, {"object": "list", "url": "/v1/products",
                          "has_more": len(products) > limit, "data": products[:limit]})
