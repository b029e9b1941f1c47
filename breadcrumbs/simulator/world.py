"""The generated organisation and its activity: what the simulator serves.

`generate.generate(scenario)` builds a `World`; `server.serve(world, ...)` serves it as the
real API shapes (see tests/fixtures/api_examples.py); `seeds.write_seeds(world, dir)` writes
the ownership and target seeds for dbt. Records are plain dicts in API shape, already in the
order the real API returns them (GitHub lists newest first, Stripe newest first, PagerDuty
oldest first).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Team:
    id: str
    engineers: int
    services: tuple[str, ...]
    monthly_cost_usd: int  # fully loaded team cost per month (engineers x a unit cost)


@dataclass(frozen=True)
class Service:
    id: str  # also the repo name and the Prometheus `service` label
    team_id: str
    repo_full_name: str  # "{owner}/{id}"
    pagerduty_service_id: str  # "PSVC…", what PagerDuty incidents reference
    slo_availability: float  # e.g. 0.999
    slo_latency_p95_ms: float  # latency objective: p95 below this


@dataclass(frozen=True)
class Plan:
    id: str
    price_cents: int  # monthly list price per seat, in cents
    services: tuple[str, ...]  # services the plan's customers depend on
    sla: float | None  # contractual availability, e.g. 0.999, or None


@dataclass
class RepoActivity:
    """Everything GitHub and GitHub Actions serve for one repo."""

    pulls: list[dict] = field(default_factory=list)  # detail shape, newest created first
    reviews: dict[int, list[dict]] = field(default_factory=dict)  # PR number -> reviews
    pull_commits: dict[int, list[dict]] = field(default_factory=dict)  # PR number -> commits
    commits: list[dict] = field(default_factory=list)  # default branch, newest first
    deployments: list[dict] = field(default_factory=list)  # newest first
    deployment_statuses: dict[int, list[dict]] = field(default_factory=dict)  # id -> statuses
    releases: list[dict] = field(default_factory=list)  # newest first
    workflow_runs: list[dict] = field(default_factory=list)  # newest first
    workflow_jobs: dict[int, list[dict]] = field(default_factory=dict)  # run id -> jobs
    issues: list[dict] = field(default_factory=list)  # issues only (no PRs), newest first
    milestones: list[dict] = field(default_factory=list)  # by number (due_on ascending)


@dataclass
class Series:
    """One Prometheus time series: labels and hourly points (unix seconds, value)."""

    metric: str
    labels: dict[str, str]
    points: list[tuple[int, float]]


@dataclass
class World:
    name: str
    seed: int
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive: the simulator's "now"
    owner: str  # GitHub owner of every repo
    teams: list[Team]
    services: list[Service]
    plans: list[Plan]
    repos: dict[str, RepoActivity]  # repo full name -> activity
    incidents: list[dict]  # PagerDuty shape, oldest first
    log_entries: dict[str, list[dict]]  # incident id -> log entries, oldest first
    customers: list[dict]  # Stripe shapes, newest first
    subscriptions: list[dict]
    invoices: list[dict]
    credit_notes: list[dict]
    series: list[Series]  # cpu, latency_p95, errors, requests per service (+ feature_usage)
    tokens: dict[str, str]  # source -> the one accepted token
    api_faults: list[dict] = field(default_factory=list)  # scenario `api_faults`, verbatim
    truth: dict = field(default_factory=dict)  # ground truth: simulator tests only
    prices: list[dict] = field(default_factory=list)  # Stripe prices, product expanded
    # FOCUS rows per day (cloud_cost.CloudBill: made when iterated; a list in hand-built test
    # worlds), before restatement; focus_export.py writes the files
    cloud_cost: Collection[dict] = field(default_factory=list)
    # provisioned instances per service and hour (the capacity behind `cpu`): ground truth
    capacity: list[Series] = field(default_factory=list)

    def raw_counts(self) -> dict[str, int]:
        """Rows each raw table should hold after a full load (what the pipelines must land)."""
        repos = self.repos.values()
        return {
            "raw_github.pull_requests": sum(len(r.pulls) for r in repos),
            "raw_github.pull_request_reviews": sum(
                len(v) for r in repos for v in r.reviews.values()),
            "raw_github.pull_request_commits": sum(
                len(v) for r in repos for v in r.pull_commits.values()),
            "raw_github.commits": sum(len(r.commits) for r in repos),
            "raw_github.deployments": sum(len(r.deployments) for r in repos),
            "raw_github.deployment_statuses": sum(
                len(v) for r in repos for v in r.deployment_statuses.values()),
            "raw_github.releases": sum(len(r.releases) for r in repos),
            "raw_github.issues": sum(len(r.issues) for r in repos),
            "raw_github.milestones": sum(len(r.milestones) for r in repos),
            "raw_ci.workflow_runs": sum(len(r.workflow_runs) for r in repos),
            "raw_ci.workflow_jobs": sum(
                len(v) for r in repos for v in r.workflow_jobs.values()),
            "raw_incidents.incidents": len(self.incidents),
            "raw_incidents.log_entries": sum(len(v) for v in self.log_entries.values()),
            "raw_revenue.customers": len(self.customers),
            "raw_revenue.subscriptions": len(self.subscriptions),
            "raw_revenue.invoices": len(self.invoices),
            "raw_revenue.credit_notes": len(self.credit_notes),
            "raw_revenue.prices": len(self.prices),
            "raw_signals.samples": sum(len(s.points) for s in self.series),
            "raw_cloud_cost.charges": len(self.cloud_cost),
        }
