"""Work items per repo: monthly milestones, feature issues closed by PRs, customer bug reports.

Causal links (docs/raw_tables.md "Work items", §7 outcome metrics):
- a feature is an issue labelled `feature`, planned into the first monthly milestone whose
  `due_on` covers the team's estimate; it is closed by the merge of the PR whose body says
  `Closes #N`, so a slow PR (review bottleneck, flaky CI) makes it late; some features are
  planned but never built (they stay open, or are closed as `not_planned`);
- customer-reported bugs (labels `bug` + `customer-reported`) arrive each day at a rate that
  rises with the service's error-budget burn and slow hours (a CPU saturation, a bad deploy).

Each repo draws from its own streams in a fixed pattern (the same draws per PR, per milestone
and per day), so faults change values without shifting any other draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import NormalDist

from breadcrumbs.simulator.rng import DAY, HOUR, iso, rng_for, stable_int, to_dt, unix
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ServiceSignals
from breadcrumbs.simulator.world import RepoActivity

ISSUE_LABELS = {"feature": 7001, "bug": 7002, "customer-reported": 7005}
# GitHub's native issue types (an organisation's defaults: Task, Bug, Feature). Like an
# organisation that adopted them mid-way, every other issue carries one (`type`), the rest
# `type: null`; labels stay as they were, so both paths feed the same work-item counts.
ISSUE_TYPES = {
    "feature": {"id": 2101, "node_id": "IT_kwDOBreadcrumbs01", "name": "Feature",
                "description": "A request, idea, or new functionality", "color": "blue",
                "created_at": "2025-01-15T09:00:00Z", "updated_at": "2025-01-15T09:00:00Z",
                "is_enabled": True},
    "bug": {"id": 2102, "node_id": "IT_kwDOBreadcrumbs02", "name": "Bug",
            "description": "An unexpected problem or behavior", "color": "red",
            "created_at": "2025-01-15T09:00:00Z", "updated_at": "2025-01-15T09:00:00Z",
            "is_enabled": True},
}
SUPPORT_BOT = {"login": "support-sync[bot]", "id": 61000001, "type": "Bot"}
PLANNER_BOT = {"login": "roadmap-sync[bot]", "id": 61000002, "type": "Bot"}
FEATURE_EVERY_DAYS = 18.0  # one planned feature per repo about every 18 days
BACKLOG_FEATURE_P = 0.35  # per milestone: a planned feature nobody starts
BUG_BASE_PER_DAY = 0.10  # customer-reported bugs per repo and day when the service is healthy
BUG_PER_BURN = 0.35  # extra bugs per day per unit of error-budget burn above 1x
BUG_PER_SLOW_SHARE = 1.5  # extra bugs per day when every hour is over the latency objective
INTERNAL_BUG_PER_DAY = 0.05  # bugs found by the team itself (label `bug` only)
MAX_BUGS_PER_DAY = 12
_NORMAL = NormalDist()
BUG_TITLES = ("Checkout page shows an error", "Request timed out", "Export fails intermittently",
              "Page loads very slowly", "Got a 500 error", "Search results missing",
              "Webhook not delivered", "Invoice total looks wrong")


@dataclass(frozen=True)
class Feature:
    """A feature issue, as the ground truth the usage model and tests need."""

    repo: str  # service id
    number: int
    key: str  # "owner/repo#number": the `feature` label of its usage counters
    opened: int
    due_on: int | None
    closed: int | None
    closing_pr_merged: int | None


def daily_health(signals: ServiceSignals, slo: float,
                 latency_slo_ms: float) -> list[tuple[float, float]]:
    """(error-budget burn, share of hours over the latency objective) per simulated day."""
    out = []
    for d in range(len(signals.ts) // 24):
        hours = range(d * 24, (d + 1) * 24)
        req = sum(signals.requests[h] for h in hours)
        err = sum(signals.errors[h] for h in hours)
        burn = (err / req) / (1.0 - slo) if req else 0.0
        slow = sum(1 for h in hours if signals.latency[h] * 1000 > latency_slo_ms) / 24
        out.append((burn, slow))
    return out


def _month_end(year: int, month: int) -> datetime:
    first_next = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return first_next - timedelta(days=1)


def _poisson(mean: float, u: float) -> int:
    """Inverse-CDF Poisson draw from one uniform (fixed draws whatever the mean)."""
    k, p = 0, math.exp(-mean)
    acc = p
    while u > acc and k < MAX_BUGS_PER_DAY:
        k += 1
        p *= mean / k
        acc += p
    return k


class WorkItemBuilder:
    """Milestones and issues of one repo, linked to its PR records (bodies get `Closes #N`)."""

    def __init__(self, scenario: Scenario, full_name: str, repo: str, end: int):
        self.scenario, self.full_name, self.repo, self.end = scenario, full_name, repo, end
        self.start = unix(to_dt(scenario.start))
        self.api = f"https://api.github.com/repos/{full_name}"
        self.base = stable_int(0, 90, "issue-id-base", full_name) * 10_000_000

    def build(self, activity: RepoActivity, health: list[tuple[float, float]],
              ) -> list[Feature]:
        milestones = self._milestone_plan()
        pulls = sorted(activity.pulls, key=lambda p: (p["created_at"], p["number"]))
        next_number = max((p["number"] for p in pulls), default=0) + 1
        drafts: list[dict] = []  # issue drafts before numbering: created, kind, payload
        rng = rng_for(self.scenario.seed, "features", self.repo)
        feature_prs = [p for p in pulls if p["labels"] and p["labels"][0]["name"] == "feature"
                       and p["user"]["type"] == "User"]
        per_pr = min(1.0, (self.scenario.days / FEATURE_EVERY_DAYS) / max(1, len(feature_prs)))
        for pull in feature_prs:
            u_pick, u_lead, u_est = rng.random(), rng.random(), rng.random()
            if u_pick >= per_pr:
                continue
            created = unix(datetime.fromisoformat(pull["created_at"].replace("Z", "+00:00")))
            lead = (5 + 20 * u_lead) * DAY
            opened = int(created - lead)
            planned = opened + (lead + 1.5 * DAY) * math.exp(0.05 + 0.3 * _probit(u_est))
            drafts.append({"created": opened, "kind": "feature", "pull": pull,
                           "milestone": self._milestone_for(milestones, planned)})
        backlog = rng_for(self.scenario.seed, "feature-backlog", self.repo)
        for index, (_, due) in enumerate(milestones):
            u_make, u_open, u_close, u_drop = (backlog.random() for _ in range(4))
            if u_make >= BACKLOG_FEATURE_P:
                continue
            opened = due - int((20 + 25 * u_open) * DAY)
            if opened >= self.end:
                continue
            closed = due + int((3 + 17 * u_close) * DAY) if u_drop < 0.5 else None
            drafts.append({"created": opened, "kind": "backlog", "milestone": index,
                           "closed": closed if closed is not None and closed < self.end
                           else None})
        drafts.extend(self._bugs(health))
        drafts = [d for d in drafts if d["created"] < self.end]
        drafts.sort(key=lambda d: (d["created"], d["kind"]))
        numbers = {id(d): next_number + i for i, d in enumerate(drafts)}
        issues, features = [], []
        for draft in drafts:
            number = numbers[id(draft)]
            issue, feature = self._issue(draft, number, milestones)
            issues.append(issue)
            if feature is not None:
                features.append(feature)
        activity.milestones = self._milestones(milestones, issues)
        issues.sort(key=lambda i: (i["created_at"], i["number"]), reverse=True)
        activity.issues = issues
        return features

    # ------------------------------------------------------------------ milestones
    def _milestone_plan(self) -> list[tuple[str, int]]:
        """(title, due_on unix) of monthly milestones from the start month to after the end."""
        first = datetime.fromtimestamp(self.start, tz=UTC)
        last = datetime.fromtimestamp(self.end, tz=UTC) + timedelta(days=62)
        out, year, month = [], first.year, first.month
        while datetime(year, month, 1, tzinfo=UTC) <= last:
            due = _month_end(year, month).replace(hour=7)
            out.append((f"{year:04d}-{month:02d}", unix(due)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    @staticmethod
    def _milestone_for(milestones: list[tuple[str, int]], planned: float) -> int:
        for index, (_, due) in enumerate(milestones):
            if due >= planned:
                return index
        return len(milestones) - 1

    def _milestone_record(self, index: int, milestones: list[tuple[str, int]]) -> dict:
        title, due = milestones[index]
        created = max(self.start - 20 * DAY, due - 58 * DAY)
        closed = due + 3 * DAY if due + 3 * DAY < self.end else None
        return {
            "url": f"{self.api}/milestones/{index + 1}",
            "id": 8_000_000_000 + self.base + index + 1,
            "number": index + 1,
            "title": title,
            "description": f"{self.repo} work due by the end of {title}",
            "state": "closed" if closed is not None else "open",
            "open_issues": 0,
            "closed_issues": 0,
            "created_at": iso(created),
            "updated_at": iso(closed or created),
            "closed_at": iso(closed) if closed is not None else None,
            "due_on": iso(due),
        }

    def _milestones(self, milestones: list[tuple[str, int]], issues: list[dict]) -> list[dict]:
        out = []
        for index in range(len(milestones)):
            record = self._milestone_record(index, milestones)
            if datetime.fromisoformat(record["created_at"].replace("Z", "+00:00")).timestamp() \
                    >= self.end:
                continue
            mine = [i for i in issues if i["milestone"] and i["milestone"]["number"] == index + 1]
            record["open_issues"] = sum(1 for i in mine if i["state"] == "open")
            record["closed_issues"] = sum(1 for i in mine if i["state"] == "closed")
            record["updated_at"] = max([record["updated_at"], *(i["updated_at"] for i in mine)])
            out.append(record)
        return out

    # ------------------------------------------------------------------ bugs
    def _bugs(self, health: list[tuple[float, float]]) -> list[dict]:
        rng = rng_for(self.scenario.seed, "customer-bugs", self.repo)
        out = []
        for d, (burn, slow) in enumerate(health):
            previous = health[d - 1][0] if d > 0 else 0.0
            mean = (BUG_BASE_PER_DAY + BUG_PER_BURN * min(20.0, max(0.0, burn - 1.0))
                    + 0.5 * BUG_PER_BURN * min(20.0, max(0.0, previous - 1.0))
                    + BUG_PER_SLOW_SHARE * slow)
            u_count, u_internal = rng.random(), rng.random()
            slots = [(rng.random(), rng.random(), rng.random()) for _ in range(MAX_BUGS_PER_DAY)]
            count = _poisson(mean, u_count)
            internal = 1 if u_internal < INTERNAL_BUG_PER_DAY else 0
            # at most one bug per drawn slot: a Poisson count at its cap plus the internal bug
            # must not run past the slots (fixed draws per day keep other days unchanged)
            for k in range(min(count + internal, MAX_BUGS_PER_DAY)):
                u_hour, u_close, u_title = slots[k]
                created = self.start + d * DAY + int((7 + 14 * u_hour) * HOUR)
                closed = created + int(math.exp(0.4 + 0.9 * _probit(u_close)) * DAY)
                out.append({"created": created, "kind": "bug", "customer": k < count,
                            "title": BUG_TITLES[int(u_title * len(BUG_TITLES))],
                            "closed": closed if closed < self.end else None})
        return out

    # ------------------------------------------------------------------ issues
    def _issue(self, draft: dict, number: int,
               milestones: list[tuple[str, int]]) -> tuple[dict, Feature | None]:
        kind, created = draft["kind"], draft["created"]
        feature = None
        milestone = None
        if kind == "feature":
            pull = draft["pull"]
            milestone = draft["milestone"]
            merged = pull["merged_at"]
            closed = unix(datetime.fromisoformat(merged.replace("Z", "+00:00"))) \
                if merged else None
            reason = "completed"
            title = pull["title"]
            body = f"As a customer I want to {pull['title'].lower()} in {self.repo}."
            labels = ["feature"]
            user = pull["user"]
            pull["body"] = f"{pull['body']}\n\nCloses #{number}".lstrip()
        elif kind == "backlog":
            milestone = draft["milestone"]
            closed = draft["closed"]
            reason = "not_planned"
            title = f"Explore {milestones[milestone][0]} idea for {self.repo}"
            body = "Planned at the quarterly review."
            labels = ["feature"]
            user = PLANNER_BOT
        else:
            closed = draft["closed"]
            reason = "completed"
            title = draft["title"]
            body = ("Reported by a customer via the support desk." if draft["customer"]
                    else "Found by the team.")
            labels = ["bug", "customer-reported"] if draft["customer"] else ["bug"]
            user = SUPPORT_BOT
        due = milestones[milestone][1] if milestone is not None else None
        record = {
            "url": f"{self.api}/issues/{number}",
            "id": 9_000_000_000 + self.base + number,
            "number": number,
            "title": title,
            "user": dict(user),
            "labels": [{"id": ISSUE_LABELS[name], "name": name} for name in labels],
            "state": "closed" if closed is not None else "open",
            "state_reason": reason if closed is not None else None,
            "milestone": None if milestone is None else {
                "url": f"{self.api}/milestones/{milestone + 1}",
                "id": 8_000_000_000 + self.base + milestone + 1,
                "number": milestone + 1,
                "title": milestones[milestone][0],
                "due_on": iso(due),
            },
            "comments": 0,
            "created_at": iso(created),
            "updated_at": iso(closed if closed is not None else created),
            "closed_at": iso(closed) if closed is not None else None,
            "body": body,
            "type": dict(ISSUE_TYPES["bug" if kind == "bug" else "feature"])
            if number % 2 == 0 else None,
        }
        if kind in ("feature", "backlog"):
            merged_at = draft["pull"]["merged_at"] if kind == "feature" else None
            feature = Feature(
                repo=self.repo, number=number, key=f"{self.full_name}#{number}", opened=created,
                due_on=due, closed=closed,
                closing_pr_merged=unix(datetime.fromisoformat(merged_at.replace("Z", "+00:00")))
                if merged_at else None)
        return record, feature


def _probit(u: float) -> float:
    """Standard normal quantile of u."""
    return _NORMAL.inv_cdf(min(max(u, 1e-9), 1 - 1e-9))
