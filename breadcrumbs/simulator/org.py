"""The organisation: teams, services, plans and the people who work in them."""

from __future__ import annotations

from dataclasses import dataclass

from breadcrumbs.simulator.rng import pd_id, rng_for, stable_int
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.world import Plan, Service, Team

MONTHLY_COST_PER_ENGINEER_USD = 15_000
FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jade",
               "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami",
               "Tara", "Uma", "Victor", "Wen", "Xavi", "Yara", "Zane", "Ines", "Luca", "Mia",
               "Noah", "Olga", "Pablo", "Rhea", "Sven", "Theo", "Vera", "Yusuf", "Zoe")
LAST_NAMES = ("Silva", "Okafor", "Nguyen", "Muller", "Rossi", "Kim", "Novak", "Haddad", "Ito",
              "Larsen", "Costa", "Mensah", "Dubois", "Kowalski", "Singh", "Garcia", "Berg",
              "Tanaka", "Moreau", "Ahmed", "Fischer", "Reyes", "Popov", "Walsh")


@dataclass(frozen=True)
class Person:
    login: str
    id: int  # GitHub user id
    name: str
    email: str
    pagerduty_id: str
    team_id: str

    def user(self) -> dict:
        """GitHub simple-user reference."""
        return {"login": self.login, "id": self.id, "type": "User"}


BOT_DEPLOY = {"login": "deploy-bot", "id": 41898282, "type": "Bot"}
BOT_DEPENDABOT = {"login": "dependabot[bot]", "id": 49699333, "type": "Bot"}


@dataclass(frozen=True)
class Org:
    teams: list[Team]
    services: list[Service]
    plans: list[Plan]
    people: dict[str, list[Person]]  # team id -> engineers

    def service(self, service_id: str) -> Service:
        """The service with this id."""
        return next(s for s in self.services if s.id == service_id)

    def team_of(self, service_id: str) -> Team:
        """The team owning a service."""
        team_id = self.service(service_id).team_id
        return next(t for t in self.teams if t.id == team_id)


def build_org(scenario: Scenario) -> Org:
    """Teams, services (one repo each), plans and engineers of a scenario."""
    teams = [Team(t.id, t.engineers, t.services, t.engineers * MONTHLY_COST_PER_ENGINEER_USD)
             for t in scenario.teams]
    services = []
    for team in scenario.teams:
        for service_id in team.services:
            rng = rng_for(scenario.seed, "service-profile", service_id)
            base_latency_ms = rng.uniform(60, 140)
            services.append(Service(
                id=service_id,
                team_id=team.id,
                repo_full_name=f"{scenario.owner}/{service_id}",
                pagerduty_service_id=pd_id("service", service_id),
                slo_availability=0.999,
                # p95 at normal load sits near 2x the idle latency; objective ~4.5x idle
                slo_latency_p95_ms=float(50 * round(base_latency_ms * 4.5 / 50)),
            ))
    plans = [Plan(p.id, p.price_cents, p.services, p.sla) for p in scenario.plans]
    return Org(teams, services, plans, _people(scenario))


def _people(scenario: Scenario) -> dict[str, list[Person]]:
    used: set[str] = set()
    people: dict[str, list[Person]] = {}
    for team in scenario.teams:
        rng = rng_for(scenario.seed, "people", team.id)
        members = []
        for _ in range(team.engineers):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            login = f"{first.lower()}-{last.lower()}"
            suffix = 2
            while login in used:
                login = f"{first.lower()}-{last.lower()}{suffix}"
                suffix += 1
            used.add(login)
            members.append(Person(
                login=login,
                id=stable_int(1_000_000, 90_000_000, "github-user", login),
                name=f"{first} {last}",
                email=f"{login}@{scenario.owner}.example",
                pagerduty_id=pd_id("user", login),
                team_id=team.id,
            ))
        people[team.id] = members
    return people
