"""Stripe customers, subscriptions, invoices and SLA credit notes.

Each customer draws from its own stream. Churn uses a cumulative hazard against a fixed
exponential threshold, so a higher hazard (an SLO breach weeks earlier, a churn wave) can only
bring a churn forward: the fault and the control scenario stay comparable customer by customer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from breadcrumbs.simulator.org import Org
from breadcrumbs.simulator.rng import (
    DAY,
    add_months,
    from_unix,
    rng_for,
    to_dt,
    token,
    unix,
)
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ServiceSignals
from breadcrumbs.simulator.stripe_shapes import (
    credit_note,
    customer,
    invoice_line,
    price,
    product,
    subscription,
    subscription_item,
)
from breadcrumbs.simulator.stripe_shapes import invoice as invoice_object

HISTORY_DAYS = 270  # customers signed up before the simulated period (opening MRR)
BREACH_LAG_DAYS = (14, 56)  # churn hazard after an SLO breach: from 2 to 8 weeks later
BREACH_HAZARD = 4e-5  # extra daily churn hazard per breach-severity-day in the lag window
MAX_SEVERITY = 20.0
MIN_SLA_MONTH_DAYS = 20  # SLA credits only for months observed at least this long
ADJECTIVES = ("North", "Blue", "Bright", "Silver", "Green", "Rapid", "Quiet", "Bold", "Clear",
              "Prime", "Urban", "Golden", "Iron", "Lucky", "Summit", "Coastal", "Vivid",
              "Atlas", "Cedar", "Harbor", "Maple", "Nova", "Orbit", "Pioneer", "Red", "Solar",
              "Stone", "True", "Wild", "Zen", "Alpine", "Amber", "Crystal", "Delta", "Echo")
NOUNS = ("Wind", "Labs", "Works", "Foods", "Logistics", "Health", "Media", "Retail", "Bank",
         "Studio", "Systems", "Travel", "Goods", "Energy", "Analytics", "Outdoors", "Pharma",
         "Robotics", "Finance", "Textiles", "Games", "Learning", "Motors", "Apparel", "Realty",
         "Legal", "Farms", "Coffee", "Dental", "Fitness")


@dataclass
class Sub:
    id: str
    customer: str
    plan: str
    created: int
    trial_end: int | None
    quantity_by_period: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (period start, period end, quantity, unit amount)
    canceled_at: int | None = None
    ended_at: int | None = None
    cancel_at_period_end: bool = False
    cause: str | None = None  # why it ended: trial | baseline | sla_breach | churn_wave
    # the simulator's record of every change of MRR, with its cause (ground truth for tests,
    # never served): {at, movement: expansion|contraction, cause: baseline|sla_breach|price_change}
    movements: list[dict] = field(default_factory=list)


class _Market:
    """Per-plan daily hazards and prices derived from the scenario and the service signals."""

    def __init__(self, scenario: Scenario, org: Org, signals: dict[str, ServiceSignals]):
        self.scenario = scenario
        self.start = scenario.start
        plans = sorted(org.plans, key=lambda p: (p.price_cents, p.id))
        self.rank = {p.id: i for i, p in enumerate(plans)}
        self.plans = {p.id: p for p in org.plans}
        days = scenario.days
        severity: dict[str, list[float]] = {}
        for service in org.services:
            # a breach is judged on the week (a short blip within budget does not count);
            # severity = error budget burnt beyond the week's budget, spread over its days
            avail = signals[service.id].weekly_availability()
            slo = service.slo_availability
            severity[service.id] = [min(MAX_SEVERITY, max(0.0, (slo - a) / (1 - slo) - 1.0))
                                    for a in avail]
        self.severity = severity
        self.breach = {}
        for plan in org.plans:
            daily = [sum(severity[s][d] for s in plan.services) for d in range(days)]
            lo, hi = BREACH_LAG_DAYS
            self.breach[plan.id] = [
                BREACH_HAZARD * sum(daily[max(0, d - hi):max(0, d - lo + 1)])
                for d in range(days + 1)]
        self.wave = {p.id: [0.0] * (days + 1) for p in org.plans}
        for fault in scenario.faults_of("churn_wave"):
            first = (fault.start - self.start).days
            for d in range(first, min(days, first + fault.days)):
                self.wave[fault.target][d] += 0.25 * fault.magnitude / fault.days
        self.price_changes = sorted(
            (unix(to_dt(f.start)), f.target, f.magnitude)
            for f in scenario.faults_of("price_change"))

    def base_hazard(self, plan: str) -> float:
        monthly = (0.02, 0.012, 0.006, 0.004)[min(3, self.rank[plan])]
        return monthly / 30

    def hazards(self, plan: str, day: date) -> tuple[float, float]:
        """(breach hazard, churn-wave hazard) on a day (zero outside the simulated period)."""
        d = (day - self.start).days
        if d < 0 or d > self.scenario.days:
            return 0.0, 0.0
        return self.breach[plan][d], self.wave[plan][d]

    def price(self, plan: str, at: int) -> tuple[int, str]:
        """(unit amount in cents, price id) of a plan for a period starting at `at`."""
        amount, price_id = self.plans[plan].price_cents, f"price_{plan}_monthly"
        for since, target, magnitude in self.price_changes:
            if target == plan and at >= since:
                amount = round(amount * (1 + magnitude))
                price_id = f"price_{plan}_monthly_{from_unix(since):%Y%m%d}"
        return amount, price_id


class _Catalog:
    """Stripe products (one per plan) and prices (one per plan and price change), made on
    first use. Every price carries the plan as its `lookup_key`."""

    def __init__(self, market: _Market, created: int) -> None:
        self.market = market
        self.created = created
        self.products = {
            plan: product("prod_" + token(14, market.scenario.seed, "product", plan),
                          plan.replace("_", " ").title(), created)
            for plan in sorted(market.plans)}
        self.prices: dict[str, dict] = {}

    def price(self, plan: str, at: int) -> dict:
        """The full price object (product expanded) a plan bills for a period from `at`."""
        amount, price_id = self.market.price(plan, at)
        if price_id not in self.prices:
            since = max((s for s, target, _ in self.market.price_changes
                         if target == plan and at >= s), default=self.created)
            self.prices[price_id] = price(price_id, self.products[plan], amount, since,
                                          lookup_key=plan)
        return self.prices[price_id]


def simulate_revenue(scenario: Scenario, org: Org, signals: dict[str, ServiceSignals],
                     end: int) -> tuple[list[dict], list[dict], list[dict], list[dict],
                                        list[dict], dict]:
    """Customers, subscriptions, invoices, credit notes, prices (newest first) and truth."""
    market = _Market(scenario, org, signals)
    names = _company_names(scenario)
    customers, subs = [], []
    plan_ids = sorted(market.plans, key=lambda p: market.rank[p])
    weights = [0.6 ** market.rank[p] for p in plan_ids]
    start = unix(to_dt(scenario.start))
    for i in range(scenario.customers):
        rng = rng_for(scenario.seed, "customer", str(i))
        u = [rng.random() for _ in range(14)]
        history = u[0] < 0.55
        created = (start - int(u[1] * HISTORY_DAYS * DAY) if history
                   else start + int(u[1] * (end - start - DAY)))
        plan = _pick(plan_ids, weights, u[2])
        customer_id = "cus_" + token(14, scenario.seed, "customer", i)
        name = names[i]
        customers.append(customer(
            customer_id, created, f"billing@{name.lower().replace(' ', '')}.example", name,
            {"segment": ("smb", "mid_market", "enterprise", "enterprise")[
                min(3, market.rank[plan])]}))
        seats = max(1, round(math.exp(math.log(3 * 2.2 ** market.rank[plan]) + 0.6 *
                                      (u[3] - 0.5) * 3)))
        period_rng = rng_for(scenario.seed, "customer-periods", str(i))
        sub_start = created + int(u[4] * 2 * DAY)
        trial = u[5] < 0.25
        threshold = -math.log(1 - u[6])
        sub = _subscribe(market, customer_id, plan, sub_start, trial, u[7] < 0.75, seats,
                         threshold, u[8] < 0.3, period_rng, end, f"{i}-0")
        if sub is None:
            continue
        subs.append(sub)
        if sub.ended_at is not None and sub.cause != "trial" and u[9] < 0.12:
            again = sub.ended_at + int((30 + 120 * u[10]) * DAY)
            if again < end:
                sub2 = _subscribe(market, customer_id, plan, again, False, True,
                                  max(1, round(seats * (0.7 + 0.6 * u[11]))),
                                  -math.log(1 - u[12]), u[13] < 0.3, period_rng, end, f"{i}-1")
                if sub2 is not None:
                    subs.append(sub2)
    catalog = _Catalog(market, start - HISTORY_DAYS * DAY - 30 * DAY)
    invoices, inv_by_sub = _invoices(scenario, subs, catalog)
    credit_notes = _credit_notes(scenario, org, signals, subs, inv_by_sub, end)
    sub_records = [_subscription_record(s, catalog, end) for s in subs]
    truth = {"churned": [{"subscription": s.id, "customer": s.customer, "plan": s.plan,
                          "canceled_at": s.canceled_at, "ended_at": s.ended_at or s.canceled_at,
                          "cause": s.cause}
                         for s in subs if s.canceled_at is not None],
             "mrr_changes": [{"subscription": s.id, "customer": s.customer, "plan": s.plan, **m}
                             for s in subs for m in s.movements],
             "slo_breach_days": {
                 service: [(scenario.start + timedelta(days=d)).isoformat()
                           for d, sev in enumerate(days) if sev > 0]
                 for service, days in sorted(market.severity.items())},
             "breach_hazard_days": {
                 plan: [(scenario.start + timedelta(days=d)).isoformat()
                        for d, hazard in enumerate(hazards) if hazard > 0]
                 for plan, hazards in sorted(market.breach.items())}}
    def newest(record: dict) -> tuple[int, str]:
        return record["created"], record["id"]

    return (sorted(customers, key=newest, reverse=True),
            sorted(sub_records, key=newest, reverse=True),
            sorted(invoices, key=newest, reverse=True),
            sorted(credit_notes, key=newest, reverse=True),
            sorted(catalog.prices.values(), key=newest, reverse=True), truth)


def _pick(items: list[str], weights: list[float], u: float) -> str:
    total, acc = sum(weights), 0.0
    for item, weight in zip(items, weights, strict=True):
        acc += weight / total
        if u < acc:
            return item
    return items[-1]


def _company_names(scenario: Scenario) -> list[str]:
    rng = rng_for(scenario.seed, "company-names")
    combos = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    rng.shuffle(combos)
    return [combos[i % len(combos)] + ("" if i < len(combos) else f" {i // len(combos) + 1}")
            for i in range(scenario.customers)]


def _subscribe(market: _Market, customer: str, plan: str, at: int, trial: bool,
               converts: bool, seats: int, threshold: float, at_period_end: bool,
               period_rng, end: int, key: str) -> Sub | None:
    """One subscription's life: trial, monthly periods, seat changes, churn."""
    if at >= end:
        return None
    sub = Sub("sub_" + token(14, market.scenario.seed, "subscription", key), customer, plan, at,
              at + 14 * DAY if trial else None)
    anchor = sub.trial_end or at
    if trial and not converts:
        if sub.trial_end < end:
            sub.canceled_at = sub.ended_at = sub.trial_end
            sub.cause = "trial"
        return sub
    hazard, quantity, base = 0.0, seats, market.base_hazard(plan)
    parts = {"baseline": 0.0, "sla_breach": 0.0, "churn_wave": 0.0}  # the record only
    for k in range(10_000):
        p_start = unix(add_months(from_unix(anchor), k))
        p_end = unix(add_months(from_unix(anchor), k + 1))
        if p_start >= end:
            break
        u_move, u_size = period_rng.random(), period_rng.random()
        if k > 0:
            breach, _ = market.hazards(plan, from_unix(p_start).date())
            if u_move < 0.035:
                quantity += max(1, round(quantity * (0.1 + 0.4 * u_size)))
                sub.movements.append({"at": p_start, "movement": "expansion",
                                      "cause": "baseline"})
            elif u_move < 0.055 + min(0.15, breach * 60):
                before = quantity
                quantity = max(1, quantity - max(1, round(quantity * (0.1 + 0.3 * u_size))))
                # below 0.055 the plan's usual contraction; above it, only the breach's
                if quantity != before:  # one seat cannot shrink
                    sub.movements.append({"at": p_start, "movement": "contraction", "cause":
                                          "baseline" if u_move < 0.055 else "sla_breach"})
        amount, _ = market.price(plan, p_start)
        if sub.quantity_by_period and amount != sub.quantity_by_period[-1][3]:
            sub.movements.append({"at": p_start, "cause": "price_change", "movement":
                                  "expansion" if amount > sub.quantity_by_period[-1][3]
                                  else "contraction"})
        sub.quantity_by_period.append((p_start, p_end, quantity, amount))
        day = from_unix(max(p_start, at)).date()
        stop = from_unix(min(p_end, end)).date()
        while day < stop:
            breach, wave = market.hazards(plan, day)
            hazard += base + breach + wave
            parts["baseline"] += base
            parts["sla_breach"] += breach
            parts["churn_wave"] += wave
            if hazard >= threshold:
                churn_at = unix(to_dt(day)) + int((9 + 8 * u_size) * 3600)
                churn_at = max(churn_at, p_start + 3600)
                if churn_at >= end:
                    return sub
                sub.canceled_at = churn_at
                sub.cancel_at_period_end = at_period_end
                sub.ended_at = p_end if at_period_end else churn_at
                sub.cause = _churn_cause(parts, threshold)
                return sub
            day += timedelta(days=1)
    return sub


def _churn_cause(parts: dict[str, float], threshold: float) -> str:
    """Why a subscription ended on the day its cumulative hazard crossed its threshold, by
    counterfactual: `baseline` when the plan's usual hazard alone had crossed it by that day (the
    customer would have left anyway), else the extra hazard that brought the day forward most
    (`sla_breach`: an SLO breach of a service the plan depends on, 2-8 weeks earlier;
    `churn_wave`: the scenario's fault)."""
    if parts["baseline"] >= threshold:
        return "baseline"
    return "churn_wave" if parts["churn_wave"] >= parts["sla_breach"] else "sla_breach"


def _invoices(scenario: Scenario, subs: list[Sub],
              catalog: _Catalog) -> tuple[list[dict], dict[str, list[dict]]]:
    out, by_sub = [], {}
    for sub in subs:
        by_sub[sub.id] = []
        for n, (p_start, p_end, quantity, amount) in enumerate(sub.quantity_by_period):
            price_obj = catalog.price(sub.plan, p_start)
            invoice_id = "in_" + token(14, scenario.seed, "invoice", sub.id, n)
            line = invoice_line("il_" + token(14, scenario.seed, "line", sub.id, n),
                                invoice_id, sub.id, "si_" + sub.id[4:], price_obj, quantity,
                                amount * quantity, p_start, p_end)
            invoice = invoice_object(invoice_id, sub.customer, sub.id, p_start, p_start,
                                     p_end, [line])
            out.append(invoice)
            by_sub[sub.id].append(invoice)
    return out, by_sub


def _subscription_record(sub: Sub, catalog: _Catalog, end: int) -> dict:
    if sub.quantity_by_period:
        p_start, p_end, quantity, _ = sub.quantity_by_period[-1]
    else:  # a trial that never converted
        p_start, p_end = sub.created, sub.trial_end or sub.created
        quantity = 1
    price_obj = catalog.price(sub.plan, p_start)
    ended = sub.ended_at if sub.ended_at is not None and sub.ended_at < end else None
    if ended is not None:
        status = "canceled"
    elif sub.trial_end is not None and sub.trial_end >= end:
        status = "trialing"
    else:
        status = "active"
    item = subscription_item("si_" + sub.id[4:], sub.id, price_obj, quantity, sub.created,
                             p_start, p_end)
    return subscription(sub.id, sub.customer, status, sub.created, sub.trial_end or sub.created,
                        [item], {"plan": sub.plan},
                        cancel_at_period_end=sub.cancel_at_period_end and ended is None,
                        canceled_at=sub.canceled_at, ended_at=ended,
                        trial_start=sub.created if sub.trial_end else None,
                        trial_end=sub.trial_end)


def _credit_notes(scenario: Scenario, org: Org, signals: dict[str, ServiceSignals],
                  subs: list[Sub], inv_by_sub: dict[str, list[dict]], end: int) -> list[dict]:
    """SLA credits: plans with an SLA, months where a dependent service fell below it."""
    monthly: dict[tuple[str, str], float] = {}
    for service in org.services:
        sig = signals[service.id]
        totals: dict[str, list[int]] = {}
        for t, req, err in zip(sig.ts, sig.requests, sig.errors, strict=True):
            month = from_unix(t).strftime("%Y-%m")
            acc = totals.setdefault(month, [0, 0, 0])
            acc[0] += req
            acc[1] += err
            acc[2] += 1
        for month, (req, err, hours) in totals.items():
            if hours < MIN_SLA_MONTH_DAYS * 24:
                continue  # too little of the month was observed to judge the SLA
            monthly[(service.id, month)] = 1 - err / req if req else 1.0
    out = []
    for plan in org.plans:
        if plan.sla is None:
            continue
        months = sorted({m for (_, m) in monthly})
        for month in months:
            worst = min((monthly[(s, month)], s) for s in plan.services)
            if worst[0] >= plan.sla:
                continue
            year, mon = (int(x) for x in month.split("-"))
            issued = unix(add_months(to_dt(date(year, mon, 1)), 1)) + 2 * DAY + 10 * 3600
            if issued >= end:
                continue
            share = 0.10 if worst[0] >= plan.sla - 0.005 else 0.25
            for sub in subs:
                if sub.plan != plan.id:
                    continue
                invoice = next((i for i in reversed(inv_by_sub[sub.id])
                                if from_unix(i["created"]).strftime("%Y-%m") <= month
                                and i["period_end"] > unix(to_dt(date(year, mon, 1)))), None)
                if invoice is None or (sub.ended_at is not None
                                       and sub.ended_at < unix(to_dt(date(year, mon, 1)))):
                    continue
                out.append(credit_note(
                    "cn_" + token(14, scenario.seed, "credit", sub.id, month), sub.customer,
                    invoice["id"], round(invoice["total"] * share), issued,
                    (f"SLA credit: {worst[1]} availability {worst[0] * 100:.2f} % < "
                     f"{plan.sla * 100:.1f} % in {month}"),
                    {"kind": "sla_credit", "service": worst[1], "period": month}))
    return out
