"""Hourly service signals from a causal chain: traffic -> cpu -> latency -> errors.

CPU utilisation is demand over provisioned capacity: each service runs a fleet of instances
(`instances`, from its own "capacity" stream) of a fixed throughput; `over_provisioning` and
`under_provisioning` faults scale the fleet, so CPU moves inversely. Without those faults the
fleet is constant through the first year and every value is what it was before fleets existed.

Traffic grows 20 % a year, linearly within a year and compounding across years. On each
anniversary of the scenario's start the capacity plan grows the fleet by the traffic growth so
far (`planned_fleet`), so every year's utilisation follows the first year's path: a history of
four years does not end with saturated services that a one-year history never sees.

Each service draws from its own random stream in a fixed pattern (the same number of draws
every hour), so faults change values but never shift the draws of any series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from breadcrumbs.simulator.rng import DAY, HOUR, rng_for, to_dt, unix
from breadcrumbs.simulator.scenario import Fault, Scenario
from breadcrumbs.simulator.world import Series

KNEE_CPU = 0.7  # latency above the level reached at this utilisation starts producing errors
FAULT_RAMP_HOURS = 6
BLIP_DAILY_RATE = 1 / 50  # small background disturbances per service and day
TRAFFIC_GROWTH = 0.2  # a year: linear within a year, compounding across years
YEAR_HOURS = 365 * 24


@dataclass(frozen=True)
class ErrorInjection:
    """Extra error rate on a service over [start, end) unix seconds (a defect, a blip)."""

    start: int
    end: int
    error_rate: float
    cause: str  # "defect:<deployment id>" | "blip"


@dataclass
class ServiceSignals:
    service: str
    ts: list[int]
    requests: list[int]
    errors: list[int]
    cpu: list[float]
    latency: list[float]  # p95 seconds
    injections: list[ErrorInjection] = field(default_factory=list)
    instances: list[int] = field(default_factory=list)  # provisioned fleet per hour
    capacity: list[float] = field(default_factory=list)  # requests/hour the fleet serves at 100 %

    def error_rate(self, h: int) -> float:
        """Errors per request in hour `h`."""
        return self.errors[h] / self.requests[h] if self.requests[h] else 0.0

    def daily_availability(self) -> list[float]:
        """Availability (1 - errors/requests) per simulated day."""
        out = []
        for d in range(len(self.ts) // 24):
            req = sum(self.requests[d * 24:(d + 1) * 24])
            err = sum(self.errors[d * 24:(d + 1) * 24])
            out.append(1.0 - err / req if req else 1.0)
        return out

    def weekly_availability(self) -> list[float]:
        """Availability of each simulated day's 7-day block (day 0-6, 7-13, ...)."""
        daily_req = [sum(self.requests[d * 24:(d + 1) * 24]) for d in range(len(self.ts) // 24)]
        daily_err = [sum(self.errors[d * 24:(d + 1) * 24]) for d in range(len(self.ts) // 24)]
        out = []
        for d in range(len(daily_req)):
            block = slice(d - d % 7, d - d % 7 + 7)
            req, err = sum(daily_req[block]), sum(daily_err[block])
            out.append(1.0 - err / req if req else 1.0)
        return out

    def series(self) -> list[Series]:
        """The four Prometheus series of this service, as the `[1h]` range queries of the
        signals source return them: `increase`/`rate` evaluated at t covers the hour before t,
        so the hour starting at `ts[h]` is stamped at its end, `ts[h] + HOUR`."""
        labels = {"service": self.service}
        stamps = [t + HOUR for t in self.ts]
        return [
            Series("cpu", dict(labels), [(t, round(v, 4)) for t, v in zip(stamps, self.cpu,
                                                                          strict=True)]),
            Series("latency_p95", dict(labels),
                   [(t, round(v, 4)) for t, v in zip(stamps, self.latency, strict=True)]),
            Series("errors", dict(labels), list(zip(stamps, self.errors, strict=True))),
            Series("requests", dict(labels), list(zip(stamps, self.requests, strict=True))),
        ]


def blips(scenario: Scenario, service: str) -> list[ErrorInjection]:
    """Small background disturbances (a dependency hiccup, a bad config push)."""
    rng = rng_for(scenario.seed, "blips", service)
    start = unix(to_dt(scenario.start))
    out = []
    for d in range(scenario.days):
        hit, hour, hours, rate = rng.random(), rng.randrange(24), rng.randint(2, 4), rng.random()
        if hit < BLIP_DAILY_RATE:
            t0 = start + d * DAY + hour * HOUR
            out.append(ErrorInjection(t0, t0 + hours * HOUR, 0.011 + 0.012 * rate, "blip"))
    return out


def _fault_factor(faults: list[Fault], day0: date, h: int) -> float:
    """Sum of magnitudes of the faults active in hour `h`, ramped in over a few hours."""
    total = 0.0
    for fault in faults:
        first = (fault.start - day0).days * 24
        last = (fault.end - day0).days * 24
        if first <= h < last:
            total += fault.magnitude * min(1.0, (h - first + 1) / FAULT_RAMP_HOURS)
    return total


def base_instances(scenario: Scenario, service: str) -> int:
    """The service's normal fleet size (its own stream: no other series shifts)."""
    return rng_for(scenario.seed, "capacity", service).randint(4, 12)


def traffic_growth(h: int) -> float:
    """Traffic of hour `h` relative to the start: +20 % a year, linear within each year of
    the scenario and compounding across them (the first year is `1 + 0.2 * days / 365`)."""
    year, hour = divmod(h, YEAR_HOURS)
    return (1.0 + TRAFFIC_GROWTH) ** year * (1.0 + TRAFFIC_GROWTH * (hour / 24) / 365)


def planned_fleet(base: int, h: int) -> int:
    """The fleet the capacity plan provisions for the year of hour `h`: the normal fleet in
    the first year, then on each anniversary of the start enough whole instances for the
    traffic growth so far (rounded up), so utilisation starts every year where it started the
    first."""
    year = h // YEAR_HOURS
    return base if year == 0 else math.ceil(base * (1.0 + TRAFFIC_GROWTH) ** year - 1e-9)


def fleet_size(base: int, over: list[Fault], under: list[Fault], day0: date, h: int) -> int:
    """Instances provisioned in hour `h`: the base fleet scaled up by `over_provisioning`
    (+magnitude) and down by `under_provisioning` (-magnitude), ramped in; at least one."""
    if not over and not under:
        return base
    factor = 1.0 + _fault_factor(over, day0, h) - _fault_factor(under, day0, h)
    return max(1, round(base * factor))


def simulate_service(scenario: Scenario, service: str,
                     injections: list[ErrorInjection]) -> ServiceSignals:
    """Hourly requests, cpu, p95 latency and errors of one service."""
    rng = rng_for(scenario.seed, "signals", service)
    profile = rng_for(scenario.seed, "service-profile", service)
    base_latency = profile.uniform(60, 140) / 1000.0  # same draw as org.build_org
    base_rps_hour = rng.uniform(4_000, 30_000)
    capacity = base_rps_hour / rng.uniform(0.36, 0.42)
    base_error = rng.uniform(0.00006, 0.00018)
    knee_latency = base_latency / (1.0 - KNEE_CPU)
    noise = scenario.noise
    surges = scenario.faults_of("traffic_surge", service)
    saturations = scenario.faults_of("cpu_saturation", service)
    over = scenario.faults_of("over_provisioning", service)
    under = scenario.faults_of("under_provisioning", service)
    base_fleet = base_instances(scenario, service)
    instances, capacities = [], []
    start = unix(to_dt(scenario.start))
    hours = scenario.days * 24
    ts, requests, errors, cpu, latency = [], [], [], [], []
    day_factor = 1.0
    for h in range(hours):
        t = start + h * HOUR
        g_day, g_traffic, g_cpu, g_lat, g_err = (rng.gauss(0, 1) for _ in range(5))
        if h % 24 == 0:
            day_factor = max(0.6, 1.0 + 0.5 * noise * g_day)
        hour_of_day = h % 24
        weekday = (scenario.start.weekday() + h // 24) % 7
        diurnal = 1.0 + 0.45 * math.cos(2 * math.pi * (hour_of_day - 15) / 24)
        weekly = 0.72 if weekday >= 5 else 1.0
        growth = traffic_growth(h)
        traffic = (base_rps_hour * diurnal * weekly * growth * day_factor
                   * max(0.5, 1.0 + 0.3 * noise * g_traffic)
                   * (1.0 + _fault_factor(surges, scenario.start, h)))
        fleet = fleet_size(planned_fleet(base_fleet, h), over, under, scenario.start, h)
        # the same float as before fleets existed when the fleet is its normal size
        fleet_capacity = capacity if fleet == base_fleet else capacity * fleet / base_fleet
        utilisation = traffic / fleet_capacity * (1.0 + _fault_factor(saturations,
                                                                     scenario.start, h))
        utilisation = min(0.99, max(0.02, utilisation * (1.0 + 0.05 * noise * g_cpu)))
        p95 = base_latency / (1.0 - utilisation) * max(0.7, 1.0 + 0.3 * noise * g_lat)
        rate = base_error + 0.04 * max(0.0, p95 / knee_latency - 1.0) ** 1.2
        for inj in injections:
            if inj.start < t + HOUR and t < inj.end:
                overlap = (min(inj.end, t + HOUR) - max(inj.start, t)) / HOUR
                rate += inj.error_rate * overlap
                p95 *= 1.0 + 0.5 * overlap * min(1.0, inj.error_rate * 10)
        rate = min(0.3, rate)
        n = max(1, round(traffic))
        mean_errors = n * rate
        n_err = min(n, max(0, round(mean_errors + math.sqrt(mean_errors) * g_err)))
        ts.append(t)
        requests.append(n)
        errors.append(n_err)
        cpu.append(utilisation)
        latency.append(p95)
        instances.append(fleet)
        capacities.append(fleet_capacity)
    return ServiceSignals(service, ts, requests, errors, cpu, latency, list(injections),
                          instances, capacities)
