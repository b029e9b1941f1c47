"""Delivery per team: PRs, reviews, commits, CI runs, deployments and releases as records."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime

from breadcrumbs.simulator.ci import (
    BASE_FLAKY,
    FLAKY_PER_MAGNITUDE,
    Run,
    job_records,
    run_record,
    simulate_run,
)
from breadcrumbs.simulator.deploys import Deploy, plan_deploys
from breadcrumbs.simulator.org import BOT_DEPENDABOT, BOT_DEPLOY, Org, Person
from breadcrumbs.simulator.prs import (
    LABELS,
    PullDraft,
    active,
    draft_team_prs,
    live_pr,
    team_load,
)
from breadcrumbs.simulator.rng import iso, rng_for, sha40, stable_int
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ErrorInjection
from breadcrumbs.simulator.world import RepoActivity

WEB_FLOW = {"login": "web-flow", "id": 19864447, "type": "User"}


@dataclass
class RepoOutcome:
    activity: RepoActivity
    injections: list[ErrorInjection]
    deploys: list[Deploy]
    truth: dict = field(default_factory=dict)


def simulate_delivery(scenario: Scenario, org: Org, end: int) -> dict[str, RepoOutcome]:
    """Every repo's activity, the defects it ships (as error injections) and truth."""
    out: dict[str, RepoOutcome] = {}
    for team in org.teams:
        people = org.people[team.id]
        drafts = draft_team_prs(scenario, team.id, team.services, people)
        loads = team_load(drafts, team.engineers)
        rngs = {r: (rng_for(scenario.seed, "review", r), rng_for(scenario.seed, "ci", r))
                for r in team.services}
        for pr, load in zip(drafts, loads, strict=True):
            review_rng, ci_rng = rngs[pr.repo]
            live_pr(scenario, pr, people, load, review_rng, ci_rng, end)
        for repo in team.services:
            prs = [p for p in drafts if p.repo == repo]
            deploys, hotfixes, injections = plan_deploys(scenario, repo, prs, people, end)
            index = [s.id for s in org.services].index(repo)
            builder = _RepoBuilder(scenario, org.service(repo).repo_full_name, repo, index, end)
            activity = builder.build(prs + hotfixes, deploys)
            truth = {"defective_deployments": [
                {"deployment_id": d.id, "created_at": iso(d.created), "fault": d.fault}
                for d in deploys if d.defective],
                "hotfix_deployments": [d.id for d in deploys if d.fixes is not None]}
            out[repo] = RepoOutcome(activity, injections, deploys, truth)
    return out


class _RepoBuilder:
    """Turns drafts and deploys of one repo into API records with ids and numbers."""

    def __init__(self, scenario: Scenario, full_name: str, repo: str, index: int, end: int):
        self.scenario, self.full_name, self.repo, self.end = scenario, full_name, repo, end
        self.base = index * 10_000_000
        self.api = f"https://api.github.com/repos/{full_name}"

    def build(self, prs: list[PullDraft], deploys: list[Deploy]) -> RepoActivity:
        act = RepoActivity()
        prs = sorted(prs, key=lambda p: (p.created, p.key))
        first_number = stable_int(100, 900, "first-pr-number", self.full_name)
        numbers = {p.key: first_number + i for i, p in enumerate(prs)}
        main = self._main_commits(prs, numbers)
        main_times = [c[0] for c in main]
        for i, deploy in enumerate(deploys):
            deploy.id = 3_000_000_000 + self.base + i + 1
        runs: list[tuple[Run, int | None]] = []
        review_seq = 0
        for pr in prs:
            number = numbers[pr.key]
            head_index = bisect.bisect_right(main_times, pr.created) - 1
            base_sha = main[head_index][1]["sha"] if head_index >= 0 else self._root_sha()
            act.pull_commits[number] = self._pr_commits(pr, base_sha)
            reviews = []
            for review in sorted(pr.reviews, key=lambda r: r.at):
                review_seq += 1
                reviews.append({
                    "id": 2_000_000_000 + self.base + review_seq,
                    "user": review.reviewer.user(),
                    "body": "LGTM" if review.state == "APPROVED" else
                    ("Please add a test for this." if review.state == "CHANGES_REQUESTED"
                     else "A question inline."),
                    "state": review.state,
                    "submitted_at": iso(review.at),
                    "commit_id": pr.head_sha_at(review.at),
                    "pull_request_url": f"{self.api}/pulls/{number}",
                })
            act.reviews[number] = reviews
            act.pulls.append(self._pull(pr, number, base_sha))
            runs.extend((r, number) for r in pr.runs)
        runs.extend((r, None) for r in self._push_runs(prs))
        self._ci(act, runs)
        act.commits = [c for _, c in reversed(main)] + [self._root_commit()]
        self._deployments(act, deploys)
        act.pulls.sort(key=lambda p: (p["created_at"], p["number"]), reverse=True)
        return act

    # ------------------------------------------------------------------ commits
    def _root_sha(self) -> str:
        return sha40(self.repo, "initial")

    def _root_commit(self) -> dict:
        at = iso(datetime(self.scenario.start.year - 1, 1, 4, 9, tzinfo=UTC))
        who = {"name": "Repo Bot", "email": "bot@example.com", "date": at}
        return {"sha": self._root_sha(),
                "commit": {"author": who, "committer": dict(who), "message": "Initial commit"},
                "author": dict(BOT_DEPLOY), "committer": dict(BOT_DEPLOY), "parents": []}

    def _person(self, person: Person | None) -> tuple[dict, dict]:
        if person is None:
            return ({"name": "dependabot[bot]",
                     "email": "49699333+dependabot[bot]@users.noreply.github.com"},
                    dict(BOT_DEPENDABOT))
        return {"name": person.name, "email": person.email}, person.user()

    def _commit(self, sha: str, parents: list[str], author: Person | None, authored: int,
                committer: Person | None | str, committed: int, message: str) -> dict:
        git_author, gh_author = self._person(author)
        if committer == "web-flow":
            git_committer, gh_committer = ({"name": "GitHub", "email": "noreply@github.com"},
                                           dict(WEB_FLOW))
        else:
            git_committer, gh_committer = self._person(committer)  # type: ignore[arg-type]
        return {
            "sha": sha,
            "commit": {"author": {**git_author, "date": iso(authored)},
                       "committer": {**git_committer, "date": iso(committed)},
                       "message": message},
            "author": gh_author,
            "committer": gh_committer,
            "parents": [{"sha": p} for p in parents],
        }

    def _pr_commits(self, pr: PullDraft, base_sha: str) -> list[dict]:
        out, parent = [], base_sha
        for i, at in enumerate(pr.commit_times):
            sha = pr.commit_sha(i)
            message = pr.title if i == 0 else "Address review comments"
            out.append(self._commit(sha, [parent], pr.author, at, pr.author, at, message))
            parent = sha
        return out

    def _main_commits(self, prs: list[PullDraft],
                      numbers: dict[str, int]) -> list[tuple[int, dict]]:
        """(committed at, record) on the default branch, oldest first."""
        merged = sorted((p for p in prs if p.merged is not None), key=lambda p: (p.merged, p.key))
        out, parent = [], self._root_sha()
        for pr in merged:
            shas, n = pr.main_shas(), numbers[pr.key]
            if pr.strategy == "squash":
                message = f"{pr.title} (#{n})"
                records = [self._commit(shas[0], [parent], pr.author, pr.commit_times[0],
                                        "web-flow", pr.merged, message)]
            elif pr.strategy == "merge":
                head = pr.commit_sha(len(pr.commit_times) - 1)
                records = [self._commit(shas[0], [parent, head], pr.merged_by, pr.merged,
                                        "web-flow", pr.merged,
                                        f"Merge pull request #{n} from "
                                        f"{self.scenario.owner}/{pr.branch}")]
            else:
                records, p = [], parent
                for i, sha in enumerate(shas):
                    records.append(self._commit(sha, [p], pr.author, pr.commit_times[i],
                                                pr.merged_by, pr.merged,
                                                pr.title if i == 0 else "Address review comments"))
                    p = sha
            out.extend((pr.merged, record) for record in records)
            parent = shas[-1]
        return out

    # ------------------------------------------------------------------ pulls
    def _pull(self, pr: PullDraft, number: int, base_sha: str) -> dict:
        merged = pr.merged is not None
        additions = max(1, int(pr.size * 0.68))
        updated = max([pr.created, pr.closed or 0, *(r.at for r in pr.reviews),
                       *pr.commit_times])
        head = pr.commit_sha(len(pr.commit_times) - 1)
        return {
            "url": f"{self.api}/pulls/{number}",
            "id": 1_000_000_000 + self.base + number,
            "number": number,
            "state": "closed" if pr.closed is not None else "open",
            "title": pr.title,
            "user": pr.user,
            "body": "" if pr.author is None else f"{pr.title}. Tested locally.",
            "labels": [{"id": LABELS[pr.label], "name": pr.label}],
            "draft": False,
            "created_at": iso(pr.created),
            "updated_at": iso(updated),
            "closed_at": iso(pr.closed) if pr.closed is not None else None,
            "merged_at": iso(pr.merged) if merged else None,
            "merge_commit_sha": pr.main_shas()[-1] if merged else None,
            "head": {"ref": pr.branch, "sha": head},
            "base": {"ref": "main", "sha": base_sha, "repo": {"full_name": self.full_name}},
            "merged": merged,
            "merged_by": pr.merged_by.user() if merged and pr.merged_by else None,
            "commits": len(pr.commit_times),
            "additions": additions,
            "deletions": pr.size - additions,
            "changed_files": 1 + pr.size // 40,
        }

    # ------------------------------------------------------------------ CI
    def _push_runs(self, prs: list[PullDraft]) -> list[Run]:
        rng = rng_for(self.scenario.seed, "ci-main", self.repo)
        flaky = self.scenario.faults_of("flaky_tests", self.repo)
        runs = []
        for pr in sorted((p for p in prs if p.merged is not None), key=lambda p: (p.merged, p.key)):
            p = BASE_FLAKY + FLAKY_PER_MAGNITUDE * active(flaky, pr.merged)
            actor = pr.merged_by.user() if pr.merged_by else pr.user
            run = simulate_run(rng, pr.merged + 5, p, pr.main_shas()[-1], "main", "push",
                               actor, None)
            if run.done < self.end:
                runs.append(run)
        return runs

    def _ci(self, act: RepoActivity, runs: list[tuple[Run, int | None]]) -> None:
        runs = sorted(runs, key=lambda r: (r[0].created, r[0].head_sha))
        job_id = 7_000_000_000 + self.base * 10
        first_run_number = stable_int(1000, 5000, "first-run-number", self.full_name)
        for i, (run, number) in enumerate(runs):
            run_id = 6_000_000_000 + self.base + i + 1
            act.workflow_runs.append(run_record(run, run_id, first_run_number + i,
                                                self.full_name, number))
            jobs = job_records(run, run_id, job_id)
            job_id += len(jobs)
            act.workflow_jobs[run_id] = jobs
        act.workflow_runs.reverse()

    # ------------------------------------------------------------------ deployments
    def _deployments(self, act: RepoActivity, deploys: list[Deploy]) -> None:
        status_seq, seen_weeks = 0, set()
        for deploy in deploys:
            url = f"{self.api}/deployments/{deploy.id}"
            act.deployments.append({
                "url": url, "id": deploy.id, "sha": deploy.sha, "ref": "main", "task": "deploy",
                "environment": "production", "production_environment": True,
                "description": deploy.description, "creator": dict(BOT_DEPLOY),
                "created_at": iso(deploy.created), "updated_at": iso(deploy.finished),
            })
            statuses = []
            for state, at in (("in_progress", deploy.created + 60),
                              (deploy.state, deploy.finished)):
                status_seq += 1
                statuses.append({
                    "id": 4_000_000_000 + self.base + status_seq, "state": state,
                    "environment": "production",
                    "description": "" if state != "failure" else "rollout failed health checks",
                    "creator": dict(BOT_DEPLOY), "created_at": iso(at), "updated_at": iso(at),
                    "deployment_url": url,
                })
            act.deployment_statuses[deploy.id] = list(reversed(statuses))
            week = datetime.fromtimestamp(deploy.created, tz=UTC).isocalendar()[:2]
            if deploy.state == "success" and week not in seen_weeks:
                seen_weeks.add(week)
                day = datetime.fromtimestamp(deploy.created, tz=UTC).strftime("%Y.%m.%d")
                act.releases.append({
                    "id": 5_000_000_000 + self.base + len(act.releases) + 1,
                    "tag_name": f"v{day}", "target_commitish": deploy.sha,
                    "name": f"{self.repo} {day}", "draft": False, "prerelease": False,
                    "author": dict(BOT_DEPLOY), "created_at": iso(deploy.created - 120),
                    "published_at": iso(deploy.created),
                })
        act.deployments.reverse()
        act.releases.reverse()
