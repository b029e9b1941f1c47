"""GitHub Actions runs: attempts, flaky re-runs and the jobs of every attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass

from breadcrumbs.simulator.rng import iso

JOBS = (("lint", 60, 150), ("test", 360, 840), ("build", 150, 300))  # name, min s, max s
BASE_FLAKY = 0.05  # chance that attempt 1 fails on a flaky test
FLAKY_PER_MAGNITUDE = 0.75  # flaky_tests magnitude 0.4 -> +30 points of flaky failures
REAL_FAILURE = 0.06


@dataclass
class Attempt:
    number: int
    start: int
    end: int
    failed_job: str | None  # the job that failed in this attempt, or None


@dataclass
class Run:
    head_sha: str
    head_branch: str
    event: str
    actor: dict
    pr_number_key: str | None  # key of the PR (numbers are assigned later)
    attempts: list[Attempt]
    job_durations: list[list[int]]  # per attempt, per job
    flaky: bool

    @property
    def created(self) -> int:
        return self.attempts[0].start

    @property
    def done(self) -> int:
        return self.attempts[-1].end

    @property
    def success(self) -> bool:
        return self.attempts[-1].failed_job is None


def simulate_run(rng: random.Random, at: int, flaky_p: float, head_sha: str, branch: str,
                 event: str, actor: dict, pr_key: str | None) -> Run:
    """One workflow run started at `at`; fixed draws: 12 per run."""
    u_real, u_rerun = rng.random(), rng.random()
    u_flaky = [rng.random() for _ in range(3)]
    durations = [[int(lo + (hi - lo) * rng.random()) for _, lo, hi in JOBS] for _ in range(2)]
    delays = [int(300 + 2400 * rng.random()) for _ in range(1)]
    queued = int(10 + 80 * rng.random())
    real_failure = u_real < REAL_FAILURE
    n_attempts, flaky = 1, False
    if real_failure:
        n_attempts = 2 if u_rerun < 0.3 else 1
    else:
        while n_attempts < 3 and u_flaky[n_attempts - 1] < flaky_p / n_attempts:
            n_attempts += 1
            flaky = True
    attempts, job_durations, t = [], [], at + queued
    for k in range(n_attempts):
        durs = [int(d * (1.0 + 0.1 * k)) for d in durations[min(k, 1)]]
        last = k == n_attempts - 1
        failed = None if (last and not real_failure) else "test"
        if failed:  # a failing test job stops the build job early
            durs[2] = 0
        attempts.append(Attempt(k + 1, t, t + sum(durs), failed))
        job_durations.append(durs)
        t = t + sum(durs) + delays[0] // (k + 1)
    return Run(head_sha, branch, event, actor, pr_key, attempts, job_durations, flaky)


def run_record(run: Run, run_id: int, run_number: int, repo_full_name: str,
               pr_number: int | None) -> dict:
    """The `/actions/runs` record of a run (its latest attempt)."""
    last = run.attempts[-1]
    return {
        "id": run_id,
        "name": "ci",
        "workflow_id": 77,
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "event": run.event,
        "status": "completed",
        "conclusion": "success" if run.success else "failure",
        "run_number": run_number,
        "run_attempt": last.number,
        "created_at": iso(run.created),
        "updated_at": iso(run.done),
        "run_started_at": iso(last.start),
        "actor": dict(run.actor),
        "repository": {"full_name": repo_full_name},
        "pull_requests": [] if pr_number is None else [{"number": pr_number}],
    }


def job_records(run: Run, run_id: int, first_job_id: int) -> list[dict]:
    """Jobs of every attempt (`filter=all`), in attempt and job order."""
    out, job_id = [], first_job_id
    for attempt, durs in zip(run.attempts, run.job_durations, strict=True):
        t = attempt.start
        for (name, _, _), dur in zip(JOBS, durs, strict=True):
            if dur == 0:
                continue
            failed = attempt.failed_job == name
            out.append({
                "id": job_id,
                "run_id": run_id,
                "run_attempt": attempt.number,
                "name": name,
                "head_sha": run.head_sha,
                "status": "completed",
                "conclusion": "failure" if failed else "success",
                "created_at": iso(attempt.start),
                "started_at": iso(t + 5),
                "completed_at": iso(t + dur),
            })
            job_id += 1
            t += dur
    return out
