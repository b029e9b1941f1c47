"""Production deployments of one service: daily deploys of new merges, defects, hotfixes."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

from breadcrumbs.simulator.ci import simulate_run
from breadcrumbs.simulator.org import Person
from breadcrumbs.simulator.prs import PullDraft, Review, active
from breadcrumbs.simulator.rng import DAY, HOUR, rng_for, to_dt, unix
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ErrorInjection


@dataclass
class Deploy:
    sha: str
    created: int
    finished: int
    state: str  # success | failure | error
    description: str
    lines: int
    defective: bool = False
    fault: bool = False  # the defect was injected by a bad_deploy fault
    fixes: int | None = None  # index of the defective deploy a hotfix repairs
    id: int = 0


def plan_deploys(scenario: Scenario, repo: str, prs: list[PullDraft], people: list[Person],
                 end: int) -> tuple[list[Deploy], list[PullDraft], list[ErrorInjection]]:
    """Walk the days: deploy new merges, ship defects, respond with hotfix PRs and deploys."""
    rng = rng_for(scenario.seed, "deploys", repo)
    fix_rng = rng_for(scenario.seed, "hotfix", repo)
    start = unix(to_dt(scenario.start))
    merged = sorted((p for p in prs if p.merged is not None), key=lambda p: (p.merged, p.key))
    merge_times = [p.merged for p in merged]
    bad = list(scenario.faults_of("bad_deploy", repo))
    flaky = scenario.faults_of("flaky_tests", repo)
    deploys: list[Deploy] = []
    hotfixes: list[PullDraft] = []
    injections: list[ErrorInjection] = []
    deployed_upto, busy_until = 0, 0
    for d in range(scenario.days):
        u = [rng.random() for _ in range(10)]
        if (scenario.start.weekday() + d) % 7 >= 5:
            continue
        t = start + d * DAY + int((10 + 6 * u[0]) * HOUR) + int(u[1] * 3000)
        fault = next((f for f in bad if unix(to_dt(f.start)) <= t < unix(to_dt(f.end))), None)
        if t < busy_until or t >= end:
            continue
        upto = bisect.bisect_left(merge_times, t)
        new = merged[deployed_upto:upto]
        if not fault and (not new or u[2] < 0.1):
            continue
        if upto == 0:
            continue
        sha = merged[upto - 1].main_shas()[-1]
        lines = sum(p.size for p in new)
        duration = int((6 + 10 * u[5]) * 60)
        if u[4] < 0.03:  # the rollout itself fails; retried 40 min later
            state = "error" if u[4] < 0.005 else "failure"
            deploys.append(Deploy(sha, t, t + duration // 2, state, f"Deploy {repo}", lines))
            t += 40 * 60
        # bigger change sets and flaky (so less trusted) test suites ship more defects
        p_defect = 0.05 + 0.05 * min(2.0, lines / 800) + (0.06 if active(flaky, t) else 0.0)
        defective = fault is not None or u[3] < p_defect
        deploy = Deploy(sha, t, t + duration, "success", f"Deploy {repo}", lines, defective,
                        fault is not None)
        if deploy.finished >= end:
            break
        deploys.append(deploy)
        deployed_upto = upto
        if fault is not None:
            bad.remove(fault)
        if not defective:
            continue
        defect_index = len(deploys) - 1
        inj_start = deploy.finished + int(600 + 1800 * u[6])
        rate = 0.04 + 0.1 * fault.magnitude if fault else 0.012 + 0.015 * u[7]
        fix = _hotfix_pr(repo, defect_index, inj_start, people, fix_rng,
                         slow=fault is not None, end=end)
        inj_end = end
        if fix.merged is not None and fix.merged + 600 + duration < end:
            hot_t = fix.merged + 600
            deploys.append(Deploy(fix.main_shas()[-1], hot_t, hot_t + duration, "success",
                                  f"hotfix: fix regression in {repo}", 0,
                                  fixes=defect_index))
            inj_end = hot_t + duration
            deployed_upto = bisect.bisect_left(merge_times, hot_t)
        hotfixes.append(fix)
        injections.append(ErrorInjection(inj_start, inj_end, rate, f"defect:{defect_index}"))
        busy_until = inj_end + HOUR
    return deploys, hotfixes, injections


def _hotfix_pr(repo: str, defect_index: int, inj_start: int, people: list[Person],
               rng: random.Random, slow: bool, end: int) -> PullDraft:
    """A small fix PR opened once on-call has found the bad change (fixed draws: 6 + CI)."""
    u = [rng.random() for _ in range(6)]
    author = people[int(u[0] * len(people))]
    created = inj_start + int((2.2 + u[1]) * HOUR)
    pr = PullDraft(key=f"hotfix-{defect_index}", repo=repo, author=author, created=created,
                   size=5 + int(50 * u[2]), title=f"Fix regression in {repo}", label="bug",
                   coding_hours=0.3 + u[3])
    pr.commit_times = [created - int(pr.coding_hours * HOUR)]
    run = simulate_run(rng, created + 30, 0.05, pr.commit_sha(0), pr.branch, "pull_request",
                       pr.user, pr.key)
    pr.runs.append(run)
    reviewers = [p for p in people if p is not author] or [author]
    reviewer = reviewers[int(u[4] * len(reviewers))]
    approved = created + int((0.2 + 0.5 * u[5]) * HOUR)
    if reviewer is not author:
        pr.reviews.append(Review(reviewer, "APPROVED", approved))
    hours = (3 + 5 * u[2]) if slow else (0.5 + 1.5 * u[2])
    merged = max(created + int(hours * HOUR), run.done + 300, approved + 300)
    if merged < end:
        pr.merged = pr.closed = merged
        pr.merged_by = reviewer
    pr.reviews = [r for r in pr.reviews if r.at < end]
    pr.runs = [r for r in pr.runs if r.done < end]
    return pr
