"""The ownership map `breadcrumbs ownership` writes: teams, services, repos (and plans)."""

from __future__ import annotations

from dataclasses import dataclass, field


class OwnershipError(ValueError):
    """A catalog or source that cannot give an ownership map; the message names the file or
    source, the entity and the fix."""


@dataclass(frozen=True)
class TeamRow:
    team_id: str
    engineers: int | None = None  # None: unknown (kept from the existing seed, or to fill)
    monthly_cost_usd: int | None = None


@dataclass(frozen=True)
class ServiceRow:
    service_id: str
    team_id: str
    repo_full_name: str
    pagerduty_service_id: str | None = None


@dataclass(frozen=True)
class RepoRow:
    repo_full_name: str
    path_prefix: str  # "" for the whole repo
    service_id: str


@dataclass(frozen=True)
class PlanRow:
    plan_id: str
    price_cents: int
    currency: str
    sla_availability: float | None = None


@dataclass
class Ownership:
    """What a catalog or the sources say; `plans` None when they say nothing about plans.
    `notes` are one-line remarks for the user (skipped entities, values to fill in)."""

    teams: list[TeamRow]
    services: list[ServiceRow]
    repos: list[RepoRow]
    plans: list[PlanRow] | None = None
    notes: list[str] = field(default_factory=list)
