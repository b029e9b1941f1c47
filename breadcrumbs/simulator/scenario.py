"""Scenario files: parse and strictly validate the YAML format of docs/scenario-format.md."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

SOURCES = ("github", "ci", "incidents", "revenue", "signals")
DEFAULT_TOKEN = "sim-token"
API_FAULT_KINDS = ("rate_limit", "server_error", "malformed", "schema_drift")
# fault kind -> the key naming its target
FAULT_TARGETS = {
    "traffic_surge": "service",
    "cpu_saturation": "service",
    "over_provisioning": "service",
    "under_provisioning": "service",
    "bad_deploy": "service",
    "flaky_tests": "repo",
    "review_bottleneck": "team",
    "large_prs": "team",
    "churn_wave": "plan",
    "price_change": "plan",
}
TEAM_NAMES = ("payments", "platform", "growth", "identity", "data", "mobile", "infra", "search")
SERVICE_SUFFIXES = ("api", "worker", "web", "jobs", "store", "events")
TOP_KEYS = {"seed", "start", "days", "org", "customers", "noise", "faults", "api_faults",
            "owner", "auth", "scale", "name"}
SCALE_KEYS = {"teams", "services_per_team", "days", "customers"}


class ScenarioError(ValueError):
    """A scenario file is invalid; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class TeamSpec:
    id: str
    engineers: int
    services: tuple[str, ...]


@dataclass(frozen=True)
class PlanSpec:
    id: str
    price_cents: int  # monthly price per seat
    services: tuple[str, ...]
    sla: float | None


@dataclass(frozen=True)
class Fault:
    kind: str
    target: str  # a service, repo (service id), team or plan id, per FAULT_TARGETS
    start: date
    days: int
    magnitude: float

    @property
    def end(self) -> date:
        """First day after the fault window."""
        return self.start + timedelta(days=self.days)


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    start: date
    days: int
    owner: str
    teams: tuple[TeamSpec, ...]
    customers: int
    plans: tuple[PlanSpec, ...]
    noise: float
    faults: tuple[Fault, ...]
    api_faults: tuple[dict, ...] = ()
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def services(self) -> tuple[str, ...]:
        """Every service id, in team order."""
        return tuple(s for t in self.teams for s in t.services)

    def service_team(self) -> dict[str, str]:
        """Service id -> owning team id."""
        return {s: t.id for t in self.teams for s in t.services}

    def faults_of(self, kind: str, target: str | None = None) -> list[Fault]:
        """Faults of one kind, optionally only those on `target`."""
        return [f for f in self.faults
                if f.kind == kind and (target is None or f.target == target)]

    def without_faults(self, *kinds: str) -> Scenario:
        """The same scenario with the faults of `kinds` (all when empty) removed."""
        kept = tuple(f for f in self.faults if kinds and f.kind not in kinds)
        return _replace(self, faults=kept)

    def with_seed(self, seed: int) -> Scenario:
        """The same scenario with another seed."""
        return _replace(self, seed=seed)

    @classmethod
    def from_dict(cls, data: Any, name: str = "scenario", source: str = "<dict>") -> Scenario:
        """Validate a parsed scenario mapping; errors name `source` and the key path."""
        return _Parser(source).scenario(data, name)


def _replace(scenario: Scenario, **changes: Any) -> Scenario:
    return replace(scenario, **changes)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML ({exc})") from exc
    return Scenario.from_dict(data, name=path.stem, source=str(path))


class _Parser:
    """Walks the mapping, raising ScenarioError with '<source>: <key path> ...'."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: {key} {message}")

    def mapping(self, value: Any, key: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping, got {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise self.fail(key, f"has unknown key '{unknown[0]}' "
                                 f"(allowed: {', '.join(sorted(allowed))})")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(key, f"is missing the key '{missing[0]}' (add it)")
        return value

    def integer(self, value: Any, key: str, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, got {value!r}")
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            raise self.fail(key, f"must be {bound}, got {value}")
        return value

    def number(self, value: Any, key: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return float(value)

    def day(self, value: Any, key: str) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(key, f"must be a date like 2026-01-05, got {value!r}")

    def ident(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value or not all(
                c.isalnum() or c in "-_" for c in value) or value != value.lower():
            raise self.fail(key, f"must be a lower-case id (letters, digits, '-', '_'), "
                                 f"got {value!r}")
        return value

    def known(self, value: Any, key: str, what: str, known: list[str]) -> str:
        if value not in known:
            raise self.fail(key, f"{value!r} is not a {what} (known: {', '.join(known)})")
        return value

    # -------------------------------------------------------------------- sections
    def scenario(self, data: Any, name: str) -> Scenario:
        data = self.mapping(data, "scenario", TOP_KEYS,
                            {"seed", "start", "days", "org", "customers"})
        scale = self.scale(data.get("scale"))
        seed = self.integer(data["seed"], "seed", 0)
        start = self.day(data["start"], "start")
        days = self.integer(scale.get("days", data["days"]), "days", 1, 3660)
        teams = self.org(data["org"], scale)
        services = [s for t in teams for s in t.services]
        count, plans = self.customers(data["customers"], services, scale)
        noise = self.number(data.get("noise", 0.1), "noise", 0.0, 1.0)
        owner = data.get("owner", "acme")
        if not isinstance(owner, str) or not owner:
            raise self.fail("owner", f"must be a GitHub owner name, got {owner!r}")
        faults = tuple(self.fault(f, f"faults[{i}]", teams, plans, start, days)
                       for i, f in enumerate(self.listing(data.get("faults"), "faults")))
        api_faults = tuple(self.api_fault(f, f"api_faults[{i}]")
                           for i, f in enumerate(self.listing(data.get("api_faults"),
                                                              "api_faults")))
        return Scenario(name=str(data.get("name", name)), seed=seed, start=start, days=days,
                        owner=owner, teams=teams, customers=count, plans=plans, noise=noise,
                        faults=faults, api_faults=api_faults, tokens=self.auth(data.get("auth")))

    def listing(self, value: Any, key: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, got {type(value).__name__}")
        return value

    def scale(self, value: Any) -> dict:
        if value is None:
            return {}
        value = self.mapping(value, "scale", SCALE_KEYS, set())
        for key, item in value.items():
            self.integer(item, f"scale.{key}", 1)
        return value

    def org(self, value: Any, scale: dict) -> tuple[TeamSpec, ...]:
        value = self.mapping(value, "org", {"teams", "services_per_team", "engineers"},
                             {"teams"})
        teams = value["teams"]
        if "teams" in scale or "services_per_team" in scale or isinstance(teams, int):
            n_teams = scale.get("teams", teams if isinstance(teams, int) else len(teams))
            per_team = scale.get("services_per_team", value.get("services_per_team", 2))
            engineers = value.get("engineers", 6)
            self.integer(n_teams, "org.teams", 1, 500)
            self.integer(per_team, "org.services_per_team", 1, 50)
            self.integer(engineers, "org.engineers", 1, 200)
            return generated_org(n_teams, per_team, engineers)
        if not isinstance(teams, list) or not teams:
            raise self.fail("org.teams", "must be a non-empty list of "
                                         "{id, engineers, services} or a number of teams")
        if set(value) - {"teams"}:
            raise self.fail("org", "takes only 'teams' in the explicit form "
                                   "(services_per_team is for `teams: N`)")
        specs: list[TeamSpec] = []
        seen: set[str] = set()
        for i, team in enumerate(teams):
            key = f"org.teams[{i}]"
            team = self.mapping(team, key, {"id", "engineers", "services"},
                                {"id", "engineers", "services"})
            team_id = self.ident(team["id"], f"{key}.id")
            engineers = self.integer(team["engineers"], f"{key}.engineers", 1, 200)
            services = team["services"]
            if not isinstance(services, list) or not services:
                raise self.fail(f"{key}.services", "must be a non-empty list of service ids")
            ids = tuple(self.ident(s, f"{key}.services[{j}]") for j, s in enumerate(services))
            for j, ident in enumerate((team_id, *ids)):
                where = f"{key}.id" if j == 0 else f"{key}.services[{j - 1}]"
                if ident in seen:
                    raise self.fail(where, f"'{ident}' is used twice (team and service ids "
                                           "must be unique)")
                seen.add(ident)
            specs.append(TeamSpec(team_id, engineers, ids))
        return tuple(specs)

    def customers(self, value: Any, services: list[str],
                  scale: dict) -> tuple[int, tuple[PlanSpec, ...]]:
        value = self.mapping(value, "customers", {"count", "plans"}, {"count", "plans"})
        count = self.integer(scale.get("customers", value["count"]), "customers.count", 1)
        plans_raw = value["plans"]
        if not isinstance(plans_raw, dict) or not plans_raw:
            raise self.fail("customers.plans", "must be a mapping of plan id -> "
                                               "{price, services, sla?}")
        plans = []
        for plan_id, plan in plans_raw.items():
            key = f"customers.plans.{plan_id}"
            self.ident(plan_id, key)
            plan = self.mapping(plan, key, {"price", "services", "sla"}, {"price", "services"})
            price = self.number(plan["price"], f"{key}.price", 0.01, 1_000_000)
            plan_services = self.plan_services(plan["services"], f"{key}.services", services)
            sla = plan.get("sla")
            if sla is not None:
                sla = self.number(sla, f"{key}.sla", 0.5, 0.99999)
            plans.append(PlanSpec(plan_id, round(price * 100), plan_services, sla))
        return count, tuple(plans)

    def plan_services(self, value: Any, key: str, services: list[str]) -> tuple[str, ...]:
        if value == "all":
            return tuple(services)
        if isinstance(value, int) and not isinstance(value, bool):
            self.integer(value, key, 1, len(services))
            return tuple(services[:value])
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a list of service ids, 'all', or a number N "
                                 "(the first N services)")
        return tuple(self.known(s, f"{key}[{i}]", "service", services)
                     for i, s in enumerate(value))

    def fault(self, value: Any, key: str, teams: tuple[TeamSpec, ...],
              plans: tuple[PlanSpec, ...], start: date, days: int) -> Fault:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping {kind, <target>, start, days, magnitude}")
        kind = self.known(value.get("kind"), f"{key}.kind", "fault kind", list(FAULT_TARGETS))
        target_key = FAULT_TARGETS[kind]
        allowed = {"kind", target_key, "start", "days", "magnitude"}
        if kind == "flaky_tests":
            allowed.add("service")
            if "service" in value and "repo" not in value:
                target_key = "service"
        self.mapping(value, key, allowed, {"kind", target_key, "start", "days", "magnitude"})
        services = [s for t in teams for s in t.services]
        choices = {"service": services, "repo": services, "team": [t.id for t in teams],
                   "plan": [p.id for p in plans]}[target_key]
        target = value[target_key]
        if target_key == "repo" and isinstance(target, str) and "/" in target:
            target = target.split("/", 1)[1]
        self.known(target, f"{key}.{target_key}", target_key, choices)
        fault_start = self.day(value["start"], f"{key}.start")
        fault_days = self.integer(value["days"], f"{key}.days", 1)
        if not start <= fault_start < start + timedelta(days=days):
            raise self.fail(f"{key}.start", f"{fault_start} is outside the simulated period "
                                            f"{start} .. {start + timedelta(days=days - 1)}")
        low = -0.9 if kind == "price_change" else 0.0
        # a capacity cut of 100 % would leave no fleet at all
        high = 0.9 if kind == "under_provisioning" else 10.0
        magnitude = self.number(value["magnitude"], f"{key}.magnitude", low, high)
        return Fault(kind, target, fault_start, fault_days, magnitude)

    def api_fault(self, value: Any, key: str) -> dict:
        if not isinstance(value, dict) or "kind" not in value or "source" not in value:
            raise self.fail(key, "must be a mapping {source, kind, rate?} "
                                 "(e.g. {source: github, kind: rate_limit, rate: 0.2})")
        self.known(value["kind"], f"{key}.kind", "API fault kind", list(API_FAULT_KINDS))
        self.known(value["source"], f"{key}.source", "source", list(SOURCES))
        if "rate" in value:
            self.number(value["rate"], f"{key}.rate", 0.0, 1.0)
        return dict(value)

    def auth(self, value: Any) -> dict[str, str]:
        tokens = dict.fromkeys(SOURCES, DEFAULT_TOKEN)
        if value is None:
            return tokens
        value = self.mapping(value, "auth", set(SOURCES), set())
        for source, tok in value.items():
            if not isinstance(tok, str) or not tok:
                raise self.fail(f"auth.{source}", "must be a non-empty token string")
            tokens[source] = tok
        return tokens


def generated_org(n_teams: int, services_per_team: int, engineers: int) -> tuple[TeamSpec, ...]:
    """Stable team and service names for the numeric `org` form."""
    teams = []
    for i in range(n_teams):
        team_id = TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"team-{i + 1:03d}"
        services = tuple(
            f"{team_id}-{SERVICE_SUFFIXES[j]}" if j < len(SERVICE_SUFFIXES)
            else f"{team_id}-svc{j + 1}" for j in range(services_per_team))
        teams.append(TeamSpec(team_id, engineers, services))
    return tuple(teams)
