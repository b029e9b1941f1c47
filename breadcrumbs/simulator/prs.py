"""Pull requests of a team: arrival, size, coding, pickup, review, CI and merge timing.

Draws happen in a fixed pattern per slot and per PR, so faults (bigger PRs, slower pickup,
flakier tests) change values without shifting any other draw.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from statistics import NormalDist

from breadcrumbs.simulator.ci import BASE_FLAKY, FLAKY_PER_MAGNITUDE, Run, simulate_run
from breadcrumbs.simulator.org import BOT_DEPENDABOT, Person
from breadcrumbs.simulator.rng import DAY, HOUR, rng_for, sha40, to_dt, unix
from breadcrumbs.simulator.scenario import Fault, Scenario

VERBS = ("Add", "Fix", "Refactor", "Cache", "Speed up", "Validate", "Log", "Retry", "Remove",
         "Split", "Document", "Harden")
OBJECTS = ("cart total", "invoice export", "rate limiter", "session store", "search index",
           "webhook handler", "retry policy", "feature flag", "DB pool", "price lookup",
           "email template", "auth middleware", "pagination", "metrics exporter", "timeouts")
_NORMAL = NormalDist()
LABELS = {"feature": 7001, "bug": 7002, "chore": 7003, "dependencies": 7004}


@dataclass
class Review:
    reviewer: Person
    state: str
    at: int


@dataclass
class PullDraft:
    key: str  # stable identity (numbers are assigned per repo later)
    repo: str  # service id
    author: Person | None  # None: dependabot
    created: int
    size: int
    title: str
    label: str
    coding_hours: float
    commit_times: list[int] = field(default_factory=list)  # PR commits, oldest first
    reviews: list[Review] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    merged: int | None = None
    closed: int | None = None
    merged_by: Person | None = None
    strategy: str = "squash"  # squash | merge | rebase
    hotfix_for: int | None = None  # deployment id this PR fixes

    @property
    def user(self) -> dict:
        return self.author.user() if self.author else dict(BOT_DEPENDABOT)

    @property
    def branch(self) -> str:
        who = self.author.login.split("-")[0] if self.author else "dependabot"
        slug = "-".join(self.title.lower().replace("(", "").replace(")", "").split()[:4])
        return f"{who}/{slug}"

    def commit_sha(self, i: int) -> str:
        return sha40(self.repo, "pr-commit", self.key, i)

    def head_sha_at(self, t: int) -> str:
        """The PR head at time `t` (the last commit authored before it)."""
        index = max([i for i, c in enumerate(self.commit_times) if c <= t] or [0])
        return self.commit_sha(index)

    def main_shas(self) -> list[str]:
        """Commits this PR adds to main when merged (one unless rebased)."""
        if self.strategy == "rebase":
            return [sha40(self.repo, "rebase", self.key, i) for i in range(len(self.commit_times))]
        return [sha40(self.repo, "merge", self.key)]


def active(faults: list[Fault], t: int) -> float:
    """Sum of magnitudes of the faults whose window contains unix time `t`."""
    return sum(f.magnitude for f in faults
               if unix(to_dt(f.start)) <= t < unix(to_dt(f.end)))


def business_time(t: int, u: float) -> int:
    """`t` moved to the next working window (Mon-Fri 08-19 UTC), keeping it if inside."""
    for _ in range(8):
        day_start = t - t % DAY
        weekday = (t // DAY + 3) % 7  # 1970-01-01 was a Thursday
        hour = (t % DAY) / HOUR
        if weekday < 5 and 8 <= hour < 19:
            return t
        if weekday < 5 and hour < 8:
            return day_start + 8 * HOUR + int(u * 2 * HOUR)
        t = day_start + DAY + 8 * HOUR + int(u * 2 * HOUR)
    return t


def draft_team_prs(scenario: Scenario, team_id: str, repos: tuple[str, ...],
                   people: list[Person]) -> list[PullDraft]:
    """PRs the team opens, with sizes (large_prs applied); lifecycle comes later."""
    rng = rng_for(scenario.seed, "pr-arrivals", team_id)
    large = scenario.faults_of("large_prs", team_id)
    start = unix(to_dt(scenario.start))
    drafts = []
    for d in range(scenario.days):
        weekday = (scenario.start.weekday() + d) % 7
        for person in people:
            for slot in range(2):
                u, hour, minute, repo_u, size_g, code_g, title_u, label_u = (
                    rng.random() for _ in range(8))
                chance = (0.5 if slot == 0 else 0.12) if weekday < 5 else 0.03
                if u >= chance:
                    continue
                created = start + d * DAY + int((8.5 + 9.5 * hour) * HOUR) + int(minute * 3000)
                size = math.exp(4.3 + 0.95 * _probit(size_g))
                size *= 1.0 + active(large, created)
                title = (f"{VERBS[int(title_u * len(VERBS))]} "
                         f"{OBJECTS[int(title_u * 997) % len(OBJECTS)]}")
                label = ("bug" if label_u < 0.3 else "chore" if label_u < 0.45 else "feature")
                drafts.append(PullDraft(
                    key=f"{person.login}-{d}-{slot}", repo=repos[int(repo_u * len(repos))],
                    author=person, created=created, size=max(2, int(size)), title=title,
                    label=label, coding_hours=math.exp(1.6 + 0.9 * _probit(code_g)) *
                    (size / 80) ** 0.3))
    for repo in repos:
        bot = rng_for(scenario.seed, "dependabot", repo)
        for d in range(0, scenario.days):
            u, size_u = bot.random(), bot.random()
            if (scenario.start.weekday() + d) % 7 == 0 and u < 0.5:
                drafts.append(PullDraft(
                    key=f"dependabot-{d}", repo=repo, author=None,
                    created=start + d * DAY + 6 * HOUR + int(size_u * 1800),
                    size=2 + int(size_u * 40), title="Bump a dependency",
                    label="dependencies", coding_hours=0.0))
    drafts.sort(key=lambda p: (p.created, p.key))
    return drafts


def _probit(u: float) -> float:
    """Standard normal quantile of u (turns a fixed uniform draw into a gaussian value)."""
    return _NORMAL.inv_cdf(min(max(u, 1e-9), 1 - 1e-9))


def team_load(drafts: list[PullDraft], engineers: int) -> list[float]:
    """PRs the team opened in the 3 days before each draft, per engineer."""
    out, lo = [], 0
    for i, pr in enumerate(drafts):
        while drafts[lo].created < pr.created - 3 * DAY:
            lo += 1
        out.append((i - lo) / max(1, engineers))
    return out


def live_pr(scenario: Scenario, pr: PullDraft, people: list[Person], load: float,
            rng: random.Random, ci_rng: random.Random, end: int) -> None:
    """Commits, CI runs, reviews and merge/close of one PR (fixed draws per PR)."""
    u = [rng.random() for _ in range(14)]
    team = pr.author.team_id if pr.author else people[0].team_id
    bottleneck = active(scenario.faults_of("review_bottleneck", team), pr.created)
    flaky_p = BASE_FLAKY + FLAKY_PER_MAGNITUDE * active(
        scenario.faults_of("flaky_tests", pr.repo), pr.created)
    # commits: authored over the coding time before the PR opened
    n_commits = 1 + min(6, int(pr.size / 90 * u[0] * 2))
    first = pr.created - int(pr.coding_hours * HOUR) - 60
    pr.commit_times = sorted(first + int((pr.created - 60 - first) * (i / max(1, n_commits - 1)))
                             for i in range(n_commits))
    branch = pr.branch
    run = simulate_run(ci_rng, pr.created + 30, flaky_p, pr.head_sha_at(pr.created), branch,
                       "pull_request", pr.user, pr.key)
    pr.runs.append(run)
    reviewers = [p for p in people if p is not pr.author]
    # pickup: first review by a teammate, slower when the team is loaded or bottlenecked
    pickup_h = (math.exp(0.9 + 0.9 * _probit(u[1])) * (0.6 + 0.2 * load)
                * (1.0 + bottleneck))
    if pr.author is None:
        pickup_h *= 2.0
    review_h = math.exp(0.3 + 0.8 * _probit(u[2])) * (pr.size / 100) ** 0.45
    ready = run.done
    if not run.success:  # a real failure: the author pushes a fix and CI runs again
        fix_at = run.done + int((0.5 + 3 * u[3]) * HOUR)
        pr.commit_times.append(fix_at)
        run2 = simulate_run(ci_rng, fix_at + 30, flaky_p, pr.commit_sha(len(pr.commit_times) - 1),
                            branch, "pull_request", pr.user, pr.key)
        pr.runs.append(run2)
        ready = run2.done
    never_reviewed = u[4] < 0.03 or not reviewers
    no_approval = u[5] < 0.04
    closed_unmerged = u[6] < 0.07
    abandoned = u[7] < 0.015
    if not never_reviewed:
        reviewer = reviewers[int(u[8] * len(reviewers))]
        first_at = business_time(pr.created + int(pickup_h * HOUR), u[9])
        immediate = u[10] < (0.55 if pr.size < 150 else 0.25)
        if immediate and not no_approval:
            pr.reviews.append(Review(reviewer, "APPROVED", first_at))
        else:
            pr.reviews.append(Review(reviewer, "CHANGES_REQUESTED" if u[11] < 0.6
                                     else "COMMENTED", first_at))
            if pr.reviews[0].state == "CHANGES_REQUESTED":
                fix_at = first_at + int((0.3 + review_h * 0.5) * HOUR)
                pr.commit_times.append(fix_at)
                run3 = simulate_run(ci_rng, fix_at + 30, flaky_p,
                                    pr.commit_sha(len(pr.commit_times) - 1), branch,
                                    "pull_request", pr.user, pr.key)
                pr.runs.append(run3)
                ready = max(ready, run3.done)
            if not no_approval:
                pr.reviews.append(Review(reviewer, "APPROVED", business_time(
                    first_at + int(review_h * HOUR), u[12])))
        if pr.size > 400 and len(reviewers) > 1 and not no_approval:
            second = reviewers[(int(u[8] * len(reviewers)) + 1) % len(reviewers)]
            pr.reviews.append(Review(second, "APPROVED", pr.reviews[-1].at + int(
                u[13] * 2 * HOUR)))
    last_review = max((r.at for r in pr.reviews), default=pr.created)
    done = max(ready, last_review, pr.commit_times[-1]) + int((0.1 + 2 * u[13]) * HOUR)
    if abandoned:
        done = end + DAY
    if closed_unmerged:  # abandoned after a while: nothing happens on it after closing
        pr.closed = pr.created + int((1 + 5 * u[3]) * DAY)
        pr.reviews = [r for r in pr.reviews if r.at < pr.closed]
        pr.commit_times = [c for c in pr.commit_times if c < pr.closed]
        pr.runs = [r for r in pr.runs if r.done < pr.closed]
    else:
        pr.merged = pr.closed = done
        pr.merged_by = pr.reviews[-1].reviewer if pr.reviews else pr.author or people[0]
        pr.strategy = "squash" if u[11] < 0.8 else ("merge" if u[11] < 0.95 else "rebase")
    _clip_to(pr, end)


def _clip_to(pr: PullDraft, end: int) -> None:
    """Drop everything at or after the simulator's 'now'."""
    pr.reviews = [r for r in pr.reviews if r.at < end]
    pr.commit_times = [c for c in pr.commit_times if c < end] or pr.commit_times[:1]
    pr.runs = [r for r in pr.runs if r.done < end]
    if pr.closed is not None and pr.closed >= end:
        pr.closed = pr.merged = None
        pr.merged_by = None
