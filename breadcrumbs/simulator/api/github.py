"""GitHub REST v3 and GitHub Actions, served from a World's repos (Link-header pagination)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from breadcrumbs.simulator.api import github_shapes as shapes
from breadcrumbs.simulator.api.common import BadRequest, Request, Response, dig, int_arg, parse_time
from breadcrumbs.simulator.world import RepoActivity, World

# The REST API versions whose shapes this simulator serves (GitHub's default when a request
# names none is 2022-11-28); GitHub answers 400 for a version it does not support.
API_VERSION = "2022-11-28"
SUPPORTED_VERSIONS = (API_VERSION,)
DETAIL_ONLY_KEYS = ("merged", "merged_by", "commits", "additions", "deletions", "changed_files")
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
REPO_PATH = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)(?P<rest>/.*)?$")
ROUTES = (
    (re.compile(r"^/pulls$"), "pulls"),
    (re.compile(r"^/pulls/(\d+)$"), "pull"),
    (re.compile(r"^/pulls/(\d+)/reviews$"), "reviews"),
    (re.compile(r"^/pulls/(\d+)/commits$"), "pull_commits"),
    (re.compile(r"^/commits$"), "commits"),
    (re.compile(r"^/deployments$"), "deployments"),
    (re.compile(r"^/deployments/(\d+)/statuses$"), "statuses"),
    (re.compile(r"^/releases$"), "releases"),
    (re.compile(r"^/issues$"), "issues"),
    (re.compile(r"^/milestones$"), "milestones"),
    (re.compile(r"^/actions/runs$"), "runs"),
    (re.compile(r"^/actions/runs/(\d+)/jobs$"), "jobs"),
)


def source_of(path: str) -> str:
    """Which Breadcrumbs source a GitHub path belongs to: `ci` for Actions, else `github`."""
    return "ci" if "/actions/" in path else "github"


def not_found() -> Response:
    return Response(404, NOT_FOUND)


def paginate(req: Request, items: list, wrap: str | None = None,
             shape: Callable[[list], list] | None = None) -> Response:
    """One page of `items` by per_page/page with GitHub's Link header (and total_count
    wrapper); `shape` turns the page's records into GitHub's full shapes."""
    per_page = min(max(int_arg(req, "per_page", 30), 1), 100)
    page = max(int_arg(req, "page", 1), 1)
    last = max(1, math.ceil(len(items) / per_page))
    chunk = items[(page - 1) * per_page: page * per_page]
    if shape is not None:
        chunk = shape(chunk)
    links = []
    if page < last:
        links.append(f'<{req.url_with(page=str(page + 1))}>; rel="next"')
        links.append(f'<{req.url_with(page=str(last))}>; rel="last"')
    if page > 1:
        links.append(f'<{req.url_with(page=str(1))}>; rel="first"')
        links.append(f'<{req.url_with(page=str(min(page - 1, last)))}>; rel="prev"')
    headers = [("Link", ", ".join(links))] if links else []
    body: object = {"total_count": len(items), wrap: chunk} if wrap else chunk
    return Response(200, body, headers)


def in_window(when: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    """True when `when` lies in [since, until] (open ends allowed)."""
    if when is None:
        return since is None and until is None
    return (since is None or when >= since) and (until is None or when <= until)


def _upper(text: str) -> datetime | None:
    """An inclusive upper bound: a bare date means the end of that day."""
    bound = parse_time(text)
    if bound is not None and len(text.strip()) == 10:
        bound += timedelta(days=1) - timedelta(microseconds=1)
    return bound


def created_filter(expr: str | None) -> Callable[[datetime | None], bool]:
    """GitHub's `created` qualifier (`>=D`, `>D`, `<=D`, `<D`, `A..B`, `D`) as a predicate."""
    low: datetime | None = None
    high: datetime | None = None
    if not expr:
        pass
    elif ".." in expr:
        low_text, high_text = expr.split("..", 1)
        low = None if low_text in ("", "*") else parse_time(low_text)
        high = None if high_text in ("", "*") else _upper(high_text)
    elif expr.startswith(">="):
        low = parse_time(expr[2:])
    elif expr.startswith(">"):
        low = _upper(expr[1:]) + timedelta(microseconds=1)
    elif expr.startswith("<="):
        high = _upper(expr[2:])
    elif expr.startswith("<"):
        high = parse_time(expr[1:]) - timedelta(microseconds=1)
    else:
        low, high = parse_time(expr), _upper(expr)
    if not expr:
        return lambda _when: True
    return lambda when: when is not None and in_window(when, low, high)


def pull_as_issue(pull: dict) -> dict:
    """A pull request as GET /issues lists it: the issue shape plus a `pull_request` key."""
    api = pull["url"].rsplit("/pulls/", 1)[0]
    return {
        "url": f"{api}/issues/{pull['number']}",
        "id": pull["id"] + 10_000_000_000,
        "number": pull["number"],
        "title": pull["title"],
        "user": pull["user"],
        "labels": pull["labels"],
        "state": pull["state"],
        "state_reason": None if pull["state"] == "open" else "completed",
        "milestone": None,
        "comments": 0,
        "created_at": pull["created_at"],
        "updated_at": pull["updated_at"],
        "closed_at": pull["closed_at"],
        "body": pull["body"],
        "type": None,
        "pull_request": {"url": pull["url"], "merged_at": pull["merged_at"],
                         "html_url": pull["url"].replace("api.github.com/repos", "github.com")
                         .replace("/pulls/", "/pull/"),
                         "diff_url": pull["url"].replace("api.github.com/repos", "github.com")
                         .replace("/pulls/", "/pull/") + ".diff",
                         "patch_url": pull["url"].replace("api.github.com/repos", "github.com")
                         .replace("/pulls/", "/pull/") + ".patch"},
    }


class GitHubApi:
    """Serves one World's repos; indexes are built once."""

    def __init__(self, world: World) -> None:
        self.repos: dict[str, RepoActivity] = world.repos
        self._pulls_by_number = {
            name: {p.get("number"): p for p in activity.pulls}
            for name, activity in world.repos.items()
        }
        self._deployment_ids = {
            name: {d.get("id") for d in activity.deployments}
            for name, activity in world.repos.items()
        }
        self._run_ids = {
            name: {r.get("id") for r in activity.workflow_runs}
            for name, activity in world.repos.items()
        }

    def handle(self, req: Request) -> Response:
        match = REPO_PATH.match(req.path)
        if req.method != "GET" or not match:
            return not_found()
        version = req.headers.get("x-github-api-version", API_VERSION)
        if version not in SUPPORTED_VERSIONS:
            return Response(400, {"message": f"API version {version} is not supported.",
                                  "documentation_url": "https://docs.github.com/rest/about-the-rest-api/api-versions"})
        full_name = f"{match['owner']}/{match['repo']}"
        activity = self.repos.get(full_name)
        if activity is None:
            return not_found()
        rest = match["rest"] or ""
        for pattern, name in ROUTES:
            found = pattern.match(rest)
            if found:
                try:
                    return getattr(self, f"_{name}")(req, full_name, activity, *found.groups())
                except BadRequest as exc:
                    return Response(422, {"message": str(exc),
                                          "documentation_url": "https://docs.github.com/rest"})
        return not_found()

    def _pulls(self, req: Request, _name: str, activity: RepoActivity) -> Response:
        state = req.arg("state", "open")
        pulls = [p for p in activity.pulls if state == "all" or p.get("state") == state]
        sort = req.arg("sort", "created")
        direction = req.arg("direction", "desc" if sort in ("created", "updated") else "asc")
        if sort == "updated":
            pulls = sorted(pulls, key=lambda p: p.get("updated_at") or "", reverse=True)
        if direction == "asc":
            pulls = pulls[::-1]
        listed = [{k: v for k, v in p.items() if k not in DETAIL_ONLY_KEYS} for p in pulls]
        return paginate(req, listed, shape=self._shape("pulls", _name))

    def _pull(self, _req: Request, name: str, _activity: RepoActivity, number: str) -> Response:
        pull = self._pulls_by_number[name].get(int(number))
        if pull is None:
            return not_found()
        return Response(200, shapes.pull_request(pull, name, detail=True))

    def _reviews(self, req: Request, name: str, activity: RepoActivity, number: str) -> Response:
        if int(number) not in self._pulls_by_number[name]:
            return not_found()
        return paginate(req, activity.reviews.get(int(number), []),
                        shape=self._shape("reviews", name))

    def _pull_commits(self, req: Request, name: str, activity: RepoActivity,
                      number: str) -> Response:
        if int(number) not in self._pulls_by_number[name]:
            return not_found()
        return paginate(req, activity.pull_commits.get(int(number), []),
                        shape=self._shape("commits", name))

    def _commits(self, req: Request, name: str, activity: RepoActivity) -> Response:
        since, until = parse_time(req.arg("since")), parse_time(req.arg("until"))
        commits = activity.commits
        if since or until:
            commits = [c for c in commits
                       if in_window(parse_time(dig(c, "commit.committer.date")), since, until)]
        return paginate(req, commits, shape=self._shape("commits", name))

    def _deployments(self, req: Request, name: str, activity: RepoActivity) -> Response:
        wanted = {k: req.arg(k) for k in ("environment", "sha", "ref", "task") if req.arg(k)}
        deployments = [d for d in activity.deployments
                       if all(d.get(k) == v for k, v in wanted.items())]
        return paginate(req, deployments, shape=self._shape("deployments", name))

    def _statuses(self, req: Request, name: str, activity: RepoActivity, ident: str) -> Response:
        if int(ident) not in self._deployment_ids[name]:
            return not_found()
        return paginate(req, activity.deployment_statuses.get(int(ident), []),
                        shape=self._shape("statuses", name))

    def _releases(self, req: Request, name: str, activity: RepoActivity) -> Response:
        return paginate(req, activity.releases, shape=self._shape("releases", name))

    def _issues(self, req: Request, name: str, activity: RepoActivity) -> Response:
        """Issues and pull requests (as issues, with a `pull_request` key), like GitHub."""
        state = req.arg("state", "open")
        if state not in ("open", "closed", "all"):
            raise BadRequest(f"state {state!r} is not one of open, closed, all")
        items = activity.issues + [pull_as_issue(p) for p in activity.pulls]
        items = [i for i in items if state == "all" or i.get("state") == state]
        since = parse_time(req.arg("since"))
        if since is not None:
            items = [i for i in items if (parse_time(i.get("updated_at")) or since) >= since]
        labels = [x for x in (req.arg("labels") or "").split(",") if x]
        if labels:
            items = [i for i in items
                     if set(labels) <= {label.get("name") for label in i.get("labels") or []}]
        sort = req.arg("sort", "created")
        if sort not in ("created", "updated", "comments"):
            raise BadRequest(f"sort {sort!r} is not one of created, updated, comments")
        field = "updated_at" if sort == "updated" else "created_at"
        items = sorted(items, key=lambda i: (i.get(field) or "", i.get("number") or 0),
                       reverse=req.arg("direction", "desc") != "asc")
        return paginate(req, items, shape=self._shape("issues", name))

    def _milestones(self, req: Request, name: str, activity: RepoActivity) -> Response:
        state = req.arg("state", "open")
        items = [m for m in activity.milestones if state == "all" or m.get("state") == state]
        if req.arg("sort", "due_on") == "due_on":
            items = sorted(items, key=lambda m: (m.get("due_on") or "9999", m.get("number") or 0))
        else:
            items = sorted(items, key=lambda m: m.get("number") or 0)
        if req.arg("direction", "asc") == "desc":
            items = items[::-1]
        return paginate(req, items, shape=self._shape("milestones", name))

    def _runs(self, req: Request, name: str, activity: RepoActivity) -> Response:
        created = created_filter(req.arg("created"))
        runs = [r for r in activity.workflow_runs if created(parse_time(r.get("created_at")))]
        fields = {"event": ("event",), "status": ("status", "conclusion"),
                  "head_sha": ("head_sha",), "branch": ("head_branch",)}
        for key, names in fields.items():
            value = req.arg(key)
            if value:
                runs = [r for r in runs if any(r.get(n) == value for n in names)]
        return paginate(req, runs, wrap="workflow_runs", shape=self._shape("runs", name))

    def _jobs(self, req: Request, name: str, activity: RepoActivity, run_id: str) -> Response:
        if int(run_id) not in self._run_ids[name]:
            return not_found()
        jobs = activity.workflow_jobs.get(int(run_id), [])
        if req.arg("filter", "latest") == "latest" and jobs:
            latest = max(j.get("run_attempt") or 1 for j in jobs)
            jobs = [j for j in jobs if (j.get("run_attempt") or 1) == latest]
        runs = {r.get("id"): r for r in activity.workflow_runs if r.get("id") == int(run_id)}
        return paginate(req, jobs, wrap="jobs", shape=self._shape("jobs", name, runs=runs))

    @staticmethod
    def _shape(kind: str, full_name: str, **extra: object) -> Callable[[list], list]:
        """The page's records in GitHub's full shape (github_shapes)."""
        return lambda records: shapes.with_fields(kind, records, full_name, **extra)
