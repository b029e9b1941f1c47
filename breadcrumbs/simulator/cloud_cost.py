"""The organisation's cloud bill, as FOCUS 1.2 rows per day (AWS-shaped, one payer account,
one member account per team, one shared account).

Per service and day (tagged `service` and `team`):
- compute: the service's fleet (`ServiceSignals.instances`, the capacity whose CPU the signals
  serve) x hours, partly covered by the org's compute savings plan (billed 0, effective cost
  amortised) and the rest on demand; plus autoscaled burst capacity in the hours demand
  exceeds the fleet's scale-out target (traffic surges);
- storage and network: proportional to the day's requests.
Untagged, shared: the NAT gateways (fixed hours plus processed bytes, following total
traffic), the savings plan's recurring fee (billed, effective 0) and its unused part (effective
cost nobody consumed), and the support plan (a share of the day's usage).
Draws come from the "cloud-cost" stream of each service: no other series shifts.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from breadcrumbs.simulator.org import Org
from breadcrumbs.simulator.rng import rng_for, stable_int, to_dt
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ServiceSignals, base_instances

PROVIDER = "AWS"
PUBLISHER = "Amazon Web Services, Inc."
REGION = ("us-east-1", "US East (N. Virginia)")
CURRENCY = "USD"
CONTRACT_DISCOUNT = 0.05  # the enterprise agreement: contracted price = list x 0.95
AUTOSCALE_TARGET = 0.8  # demand over fleet capacity above this adds burst instances
SUPPORT_SHARE = 0.05  # the support plan: 5 % of the day's usage (effective cost)
NAT_GATEWAYS = 3
NAT_HOURLY = 0.045
NAT_PER_GB = 0.045
NETWORK_PER_GB = 0.09
STORAGE_PER_GB_MONTH = 0.023
INSTANCE_TYPES = (("m6i.xlarge", 0.192), ("c6i.xlarge", 0.17), ("m6i.2xlarge", 0.384),
                  ("r6i.xlarge", 0.252))
SAVINGS_PLAN_TYPE = "Compute Savings Plan"
# the one FOCUS column set every row carries, in the order the files write them
COLUMNS = (
    "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart",
    "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "ProviderName", "PublisherName",
    "InvoiceIssuerName", "SubAccountId", "SubAccountName", "RegionId", "RegionName",
    "AvailabilityZone", "ServiceCategory", "ServiceName", "ResourceId", "ResourceName",
    "ResourceType", "SkuId", "SkuPriceId", "PricingCategory", "PricingQuantity", "PricingUnit",
    "ListUnitPrice", "ContractedUnitPrice", "ConsumedQuantity", "ConsumedUnit", "BilledCost",
    "EffectiveCost", "ListCost", "ContractedCost", "CommitmentDiscountId",
    "CommitmentDiscountType", "CommitmentDiscountCategory", "CommitmentDiscountName",
    "CommitmentDiscountStatus", "Tags",
)


@dataclass(frozen=True)
class ServicePricing:
    """A service's fleet economics (its own random stream)."""

    instance_type: str
    on_demand: float  # list $ per instance-hour
    savings_plan: float  # $ per instance-hour under the savings plan
    committed: int  # instances the savings plan covers every hour
    storage_gb_per_m: float  # GB written per million requests (kept 30 days)
    network_gb_per_m: float  # GB sent per million requests


def pricing(scenario: Scenario, service: str, base_fleet: int) -> ServicePricing:
    """Draw the service's instance type, savings-plan coverage and data volumes."""
    rng = rng_for(scenario.seed, "cloud-cost", service)
    instance_type, on_demand = INSTANCE_TYPES[rng.randrange(len(INSTANCE_TYPES))]
    savings_plan = on_demand * rng.uniform(0.60, 0.72)
    committed = max(1, math.floor(base_fleet * rng.uniform(0.5, 0.8)))
    return ServicePricing(instance_type, on_demand, savings_plan, committed,
                          rng.uniform(100.0, 300.0), rng.uniform(100.0, 300.0))


def payer_id(scenario: Scenario) -> str:
    """The 12-digit payer (billing) account of the organisation."""
    return str(stable_int(10**11, 10**12, scenario.seed, "aws-payer", scenario.owner))


def _account(scenario: Scenario, name: str) -> tuple[str, str]:
    return (str(stable_int(10**11, 10**12, scenario.seed, "aws-account", name)),
            f"{scenario.owner}-{name}")


def _money(value: float) -> str:
    return f"{value:.9f}"


def _qty(value: float) -> str:
    return f"{value:.6f}"


class _Day:
    """Builds the FOCUS rows of one day."""

    def __init__(self, scenario: Scenario, day: datetime) -> None:
        self.scenario = scenario
        self.day = day
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        stamp = "%Y-%m-%dT%H:%M:%SZ"
        self.common = {
            "BillingAccountId": payer_id(scenario),
            "BillingAccountName": f"{scenario.owner}-payer",
            "BillingCurrency": CURRENCY,
            "BillingPeriodStart": first.strftime(stamp),
            "BillingPeriodEnd": following.strftime(stamp),
            "ChargePeriodStart": day.strftime(stamp),
            "ChargePeriodEnd": (day + timedelta(days=1)).strftime(stamp),
            "ProviderName": PROVIDER, "PublisherName": PUBLISHER,
            "InvoiceIssuerName": PUBLISHER,
        }
        self.rows: list[dict] = []

    def add(self, *, account: tuple[str, str] | None, category: str, service_name: str,
            charge_category: str, frequency: str, description: str, resource: tuple | None,
            sku: str, pricing_category: str | None, quantity: float | None, unit: str | None,
            list_price: float | None, billed: float, effective: float, list_cost: float,
            contracted: float, tags: dict | None, commitment: dict | None = None,
            region: bool = True) -> None:
        row = dict.fromkeys(COLUMNS)
        row.update(self.common)
        contracted_price = None if list_price is None else list_price * (1 - CONTRACT_DISCOUNT)
        row.update({
            "ChargeCategory": charge_category, "ChargeDescription": description,
            "ChargeFrequency": frequency,
            "SubAccountId": account[0] if account else None,
            "SubAccountName": account[1] if account else None,
            "RegionId": REGION[0] if region else None, "RegionName": REGION[1] if region else None,
            "ServiceCategory": category, "ServiceName": service_name,
            "ResourceId": resource[0] if resource else None,
            "ResourceName": resource[1] if resource else None,
            "ResourceType": resource[2] if resource else None,
            "SkuId": sku, "SkuPriceId": f"{sku}.{pricing_category or 'fee'}",
            "PricingCategory": pricing_category,
            "PricingQuantity": None if quantity is None else _qty(quantity),
            "PricingUnit": unit,
            "ListUnitPrice": None if list_price is None else _money(list_price),
            "ContractedUnitPrice": None if contracted_price is None else _money(contracted_price),
            "ConsumedQuantity": None if quantity is None else _qty(quantity),
            "ConsumedUnit": unit,
            "BilledCost": _money(billed), "EffectiveCost": _money(effective),
            "ListCost": _money(list_cost), "ContractedCost": _money(contracted),
            "Tags": tags,
        })
        if commitment:
            row.update(commitment)
        self.rows.append(row)


@dataclass(frozen=True)
class ServiceDay:
    """What a service used in a day: the compact input its FOCUS rows are made from."""

    fleet_hours: int  # instance-hours of the fleet (the capacity behind `cpu`)
    covered: int  # of which the savings plan covered
    unused: float  # $ of the plan's commitment for this service nobody used
    burst: int  # autoscaled burst instance-hours (demand above the scale-out target)
    requests_m: float  # requests, millions


def service_days(scenario: Scenario, service: str, sig: ServiceSignals,
                 price: ServicePricing) -> tuple[ServiceDay, ...]:
    """A service's usage per simulated day, from its hourly fleet and demand."""
    under = scenario.faults_of("under_provisioning", service)
    start = scenario.start
    out = []
    for d in range(scenario.days):
        hours = range(d * 24, (d + 1) * 24)
        day = start + timedelta(days=d)
        cut = any(f.start <= day < f.end for f in under)  # the autoscaler is capped too
        burst = 0 if cut else sum(
            math.ceil(sig.instances[h] * (sig.requests[h] / sig.capacity[h]
                                          / AUTOSCALE_TARGET - 1.0))
            for h in hours if sig.requests[h] / sig.capacity[h] > AUTOSCALE_TARGET)
        out.append(ServiceDay(
            fleet_hours=sum(sig.instances[h] for h in hours),
            covered=sum(min(sig.instances[h], price.committed) for h in hours),
            unused=sum(max(0, price.committed - sig.instances[h]) for h in hours)
            * price.savings_plan,
            burst=burst, requests_m=sum(sig.requests[h] for h in hours) / 1e6))
    return tuple(out)


def simulate_cloud_cost(scenario: Scenario, org: Org,
                        signals: dict[str, ServiceSignals]) -> CloudBill:
    """The organisation's bill: FOCUS rows per day, made on demand from daily usage."""
    prices = {s.id: pricing(scenario, s.id, base_instances(scenario, s.id))
              for s in org.services}
    return CloudBill(scenario, tuple((s.id, org.team_of(s.id).id) for s in org.services),
                     prices, {s.id: service_days(scenario, s.id, signals[s.id], prices[s.id])
                              for s in org.services}, scenario.days)


@dataclass(frozen=True)
class CloudBill:
    """The FOCUS rows of every day, oldest first (values before any restatement), made when
    iterated: a few numbers per service and day are kept, not forty columns per row (a
    1,000-service year is 1.5 million rows). `until(as_of)` is the bill of complete days."""

    scenario: Scenario
    services: tuple[tuple[str, str], ...]  # (service, owning team)
    prices: dict[str, ServicePricing]
    usage: dict[str, tuple[ServiceDay, ...]]
    days: int  # days billed (complete days)

    def __iter__(self) -> Iterator[dict]:
        for d in range(self.days):
            yield from self.day_rows(d)

    def __len__(self) -> int:
        rows = 0
        for d in range(self.days):
            days = [self.usage[service][d] for service, _team in self.services]
            rows += sum((u.covered > 0) + (u.fleet_hours > u.covered) + (u.burst > 0) + 2
                        for u in days)
            rows += 3 + (sum(u.unused for u in days) > 0)
        return rows

    def until(self, as_of: datetime) -> CloudBill:
        """The bill as delivered at `as_of`: only the days that ended by then."""
        complete = int((as_of - to_dt(self.scenario.start)).total_seconds() // 86400)
        return replace(self, days=max(0, min(self.days, complete)))

    def day_rows(self, d: int) -> list[dict]:
        """The FOCUS rows of simulated day `d`."""
        scenario = self.scenario
        payer = payer_id(scenario)
        plan_id = (f"arn:aws:savingsplans::{payer}:savingsplan/"
                   f"{stable_int(10**15, 10**16, scenario.seed, 'savings-plan'):x}")
        commitment_ref = {"CommitmentDiscountId": plan_id,
                          "CommitmentDiscountType": SAVINGS_PLAN_TYPE,
                          "CommitmentDiscountCategory": "Spend",
                          "CommitmentDiscountName": f"{scenario.owner} compute savings plan"}
        shared = _account(scenario, "shared")
        # the savings plan commits, per hour, to each service's committed instances
        hourly_commitment = sum(p.committed * p.savings_plan for p in self.prices.values())
        day = _Day(scenario, to_dt(scenario.start) + timedelta(days=d))
        unused = 0.0
        usage_effective = 0.0
        network_gb_total = 0.0
        for service_id, team_id in self.services:
            price, used = self.prices[service_id], self.usage[service_id][d]
            account = _account(scenario, team_id)
            tags = {"service": service_id, "team": team_id, "env": "prod"}
            covered, burst = used.covered, used.burst
            unused += used.unused
            on_demand = used.fleet_hours - covered
            requests_m = used.requests_m
            asg = (f"arn:aws:autoscaling:{REGION[0]}:{account[0]}:autoScalingGroup:"
                   f"{service_id}-fleet", f"{service_id}-fleet", "Auto Scaling Group")
            sku = f"EC2-{price.instance_type}"
            contracted_rate = price.on_demand * (1 - CONTRACT_DISCOUNT)
            compute = dict(account=account, category="Compute",
                           service_name="Amazon Elastic Compute Cloud", charge_category="Usage",
                           frequency="Usage-Based", resource=asg, sku=sku, unit="Hours",
                           list_price=price.on_demand, tags=tags)
            if covered:
                effective = covered * price.savings_plan
                usage_effective += effective
                day.add(**compute, description=f"{price.instance_type} instance-hours covered "
                                               "by the compute savings plan",
                        pricing_category="Committed", quantity=covered, billed=0.0,
                        effective=effective, list_cost=covered * price.on_demand,
                        contracted=covered * contracted_rate,
                        commitment={**commitment_ref, "CommitmentDiscountStatus": "Used"})
            if on_demand:
                cost = on_demand * contracted_rate
                usage_effective += cost
                day.add(**compute, description=f"{price.instance_type} on-demand "
                                               "instance-hours",
                        pricing_category="Standard", quantity=on_demand, billed=cost,
                        effective=cost, list_cost=on_demand * price.on_demand,
                        contracted=cost)
            if burst:
                cost = burst * contracted_rate
                usage_effective += cost
                day.add(**{**compute, "resource": (asg[0] + "-burst", f"{service_id}-burst",
                                                   "Auto Scaling Group")},
                        description=f"{price.instance_type} autoscaled burst instance-hours",
                        pricing_category="Standard", quantity=burst, billed=cost,
                        effective=cost, list_cost=burst * price.on_demand, contracted=cost)
            # written data is kept 30 days: the GB-months accrued per day equal the GB written
            storage_gb = requests_m * price.storage_gb_per_m
            cost = storage_gb * STORAGE_PER_GB_MONTH * (1 - CONTRACT_DISCOUNT)
            usage_effective += cost
            day.add(account=account, category="Storage",
                    service_name="Amazon Simple Storage Service", charge_category="Usage",
                    frequency="Usage-Based", description="Standard storage, GB-month accrued "
                                                         "per day",
                    resource=(f"arn:aws:s3:::{scenario.owner}-{service_id}-data",
                              f"{scenario.owner}-{service_id}-data", "Bucket"),
                    sku="S3-TimedStorage", pricing_category="Standard",
                    quantity=storage_gb, unit="GB-Mo",
                    list_price=STORAGE_PER_GB_MONTH, billed=cost, effective=cost,
                    list_cost=storage_gb * STORAGE_PER_GB_MONTH, contracted=cost,
                    tags=tags)
            network_gb = requests_m * price.network_gb_per_m
            network_gb_total += network_gb
            cost = network_gb * NETWORK_PER_GB * (1 - CONTRACT_DISCOUNT)
            usage_effective += cost
            day.add(account=account, category="Networking", service_name="AWS Data Transfer",
                    charge_category="Usage", frequency="Usage-Based",
                    description="Data transfer out to the internet",
                    resource=(f"arn:aws:elasticloadbalancing:{REGION[0]}:{account[0]}:"
                              f"loadbalancer/app/{service_id}", f"{service_id}-alb",
                              "Load Balancer"),
                    sku="DataTransfer-Out-Bytes", pricing_category="Standard",
                    quantity=network_gb, unit="GB", list_price=NETWORK_PER_GB, billed=cost,
                    effective=cost, list_cost=network_gb * NETWORK_PER_GB, contracted=cost,
                    tags=tags)
        nat_hours = NAT_GATEWAYS * 24
        nat_gb = network_gb_total * 0.2
        nat_list = nat_hours * NAT_HOURLY + nat_gb * NAT_PER_GB
        nat = nat_list * (1 - CONTRACT_DISCOUNT)
        usage_effective += nat
        day.add(account=shared, category="Networking",
                service_name="Amazon Virtual Private Cloud", charge_category="Usage",
                frequency="Usage-Based", description="NAT gateway hours and data processed "
                                                     "(shared networking)",
                resource=(f"arn:aws:ec2:{REGION[0]}:{shared[0]}:natgateway/shared",
                          "shared-nat", "NAT Gateway"),
                sku="VPC-NatGateway", pricing_category="Standard", quantity=nat_hours,
                unit="Hours", list_price=NAT_HOURLY, billed=nat, effective=nat,
                list_cost=nat_list, contracted=nat, tags={"env": "prod"})
        fee = hourly_commitment * 24
        day.add(account=None, category="Compute", service_name="Savings Plans for AWS Compute",
                charge_category="Purchase", frequency="Recurring",
                description="Compute savings plan, recurring hourly commitment",
                resource=(plan_id, f"{scenario.owner} compute savings plan", "Savings Plan"),
                sku="ComputeSavingsPlans", pricing_category=None, quantity=None, unit=None,
                list_price=None, billed=fee, effective=0.0, list_cost=fee, contracted=fee,
                tags=None, commitment=commitment_ref, region=False)
        if unused > 0:
            usage_effective += unused
            day.add(account=None, category="Compute",
                    service_name="Savings Plans for AWS Compute", charge_category="Usage",
                    frequency="Usage-Based", description="Unused savings plan commitment",
                    resource=(plan_id, f"{scenario.owner} compute savings plan",
                              "Savings Plan"),
                    sku="ComputeSavingsPlans", pricing_category="Committed", quantity=None,
                    unit=None, list_price=None, billed=0.0, effective=unused, list_cost=0.0,
                    contracted=0.0, tags=None,
                    commitment={**commitment_ref, "CommitmentDiscountStatus": "Unused"},
                    region=False)
        support = usage_effective * SUPPORT_SHARE
        day.add(account=None, category="Other", service_name="AWS Support (Business)",
                charge_category="Usage", frequency="Recurring",
                description="Business support, accrued daily as a share of usage",
                resource=None, sku="AWSSupportBusiness", pricing_category="Standard",
                quantity=None, unit=None, list_price=None, billed=support, effective=support,
                list_cost=support, contracted=support, tags=None, region=False)
        return day.rows
