"""The full shapes GitHub REST 2022-11-28 sends, around the simulator's core records.

The World keeps only what Breadcrumbs reads (tests/fixtures/api_examples.py); GitHub sends
every field its description marks required. These builders add those fields, derived from
the record itself (URLs, node ids, owners), at serve time, so the responses validate against
GitHub's description (tests/conformance/test_api_descriptions.py). A field the record already
has, including an explicit null, is never replaced, and no optional field is added."""

from __future__ import annotations

from typing import Any

API = "https://api.github.com"
WEB = "https://github.com"
REPO_URLS = {  # minimal-repository: "<name>_url" -> path below the repo's API URL
    "archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}", "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}", "contributors_url": "/contributors",
    "deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
    "forks_url": "/forks", "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}", "git_tags_url": "/git/tags{/sha}", "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}", "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}", "keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}",
    "languages_url": "/languages", "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}", "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers", "subscription_url": "/subscription",
    "tags_url": "/tags", "teams_url": "/teams", "trees_url": "/git/trees{/sha}",
}


def node_id(kind: str, ident: object) -> str:
    """A stable GraphQL-style node id (`PR_kwDO…`)."""
    return f"{kind}_kwDO{sum(ord(c) * 31 ** i for i, c in enumerate(str(ident))) % 16**10:010X}"


def fill(record: dict, defaults: dict) -> dict:
    """`defaults` under `record`: the record's own keys (even null) win."""
    return {**defaults, **record}


def user(record: dict | None) -> dict | None:
    """A (nullable-)simple-user from `{login, id, type}`."""
    if record is None:
        return None
    login = record.get("login") or "ghost"
    url = f"{API}/users/{login}"
    return fill(record, {
        "login": login, "id": 0, "node_id": node_id("U", login),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{record.get('id', 0)}?v=4",
        "gravatar_id": "", "url": url, "html_url": f"{WEB}/{login}",
        "followers_url": f"{url}/followers", "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}", "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions", "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos", "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events", "type": "User", "site_admin": False,
    })


def repo_id(full_name: str) -> int:
    return 700_000_000 + sum(ord(c) * 131 ** i for i, c in enumerate(full_name)) % 100_000_000


def minimal_repository(full_name: str, record: dict | None = None) -> dict:
    """A minimal-repository (Actions runs) for `owner/name`."""
    owner, name = full_name.split("/", 1)
    url = f"{API}/repos/{full_name}"
    base = {"id": repo_id(full_name), "node_id": node_id("R", full_name), "name": name,
            "full_name": full_name, "private": True,
            "owner": user({"login": owner, "id": repo_id(owner), "type": "Organization"}),
            "html_url": f"{WEB}/{full_name}", "description": None, "fork": False, "url": url,
            **{key: url + path for key, path in REPO_URLS.items()}}
    return fill(record or {}, base)


def repository(full_name: str, record: dict | None = None) -> dict:
    """A full repository (PR head/base) for `owner/name`."""
    base = minimal_repository(full_name)
    return fill(record or {}, {
        **base, "clone_url": f"{WEB}/{full_name}.git", "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git", "svn_url": f"{WEB}/{full_name}",
        "mirror_url": None, "homepage": None, "language": "Python", "forks": 0, "forks_count": 0,
        "stargazers_count": 0, "watchers_count": 0, "watchers": 0, "size": 0,
        "default_branch": "main", "open_issues_count": 0, "open_issues": 0,
        "has_issues": True, "has_projects": False, "has_wiki": False, "has_pages": False,
        "has_downloads": True, "archived": False, "disabled": False,
        "pushed_at": "2026-01-01T00:00:00Z", "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z", "license": None,
    })


def _links(**hrefs: str) -> dict:
    return {name: {"href": href} for name, href in hrefs.items()}


def _ref(side: dict | None, full_name: str, owner_login: str) -> dict | None:
    """A PR head/base: label, ref, sha, user, repo."""
    if side is None:
        return None
    side_repo = side.get("repo", {})
    repo_name = side_repo.get("full_name", full_name) if isinstance(side_repo, dict) else full_name
    out = fill(side, {"label": f"{owner_login}:{side.get('ref', 'main')}",
                      "user": user({"login": owner_login, "type": "Organization"})})
    if "repo" not in side or isinstance(side.get("repo"), dict):
        out["repo"] = repository(repo_name, side.get("repo"))
    return out


def pull_request(record: dict, full_name: str, detail: bool) -> dict:
    """A pull-request-simple (list) or pull-request (detail)."""
    number = record.get("number")
    url = record.get("url") or f"{API}/repos/{full_name}/pulls/{number}"
    issue_url = f"{API}/repos/{full_name}/issues/{number}"
    owner = full_name.split("/", 1)[0]
    out = fill(record, {
        "node_id": node_id("PR", record.get("id")), "html_url": f"{WEB}/{full_name}/pull/{number}",
        "diff_url": f"{WEB}/{full_name}/pull/{number}.diff",
        "patch_url": f"{WEB}/{full_name}/pull/{number}.patch", "issue_url": issue_url,
        "commits_url": f"{url}/commits", "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{API}/repos/{full_name}/pulls/comments{{/number}}",
        "comments_url": f"{issue_url}/comments",
        "statuses_url": f"{API}/repos/{full_name}/statuses/{(record.get('head') or {}).get('sha')}",
        "locked": False, "labels": [], "milestone": None, "assignee": None,
        "author_association": "MEMBER", "auto_merge": None,
        "_links": _links(self=url, html=f"{WEB}/{full_name}/pull/{number}", issue=issue_url,
                         comments=f"{issue_url}/comments", review_comments=f"{url}/comments",
                         review_comment=f"{API}/repos/{full_name}/pulls/comments{{/number}}",
                         commits=f"{url}/commits",
                         statuses=f"{API}/repos/{full_name}/statuses/"
                                  f"{(record.get('head') or {}).get('sha')}"),
    })
    if detail:
        out = fill(out, {"mergeable": None, "mergeable_state": "unknown",
                         "comments": 0, "review_comments": 0, "maintainer_can_modify": False})
    for key in ("user", "merged_by"):
        if key in out:
            out[key] = user(out[key])
    for side in ("head", "base"):
        if side in out:
            out[side] = _ref(out[side], full_name, owner)
    out["labels"] = [label_(lbl, full_name) for lbl in out.get("labels") or []]
    return out


def label_(record: dict, full_name: str) -> dict:
    name = record.get("name", "")
    return fill(record, {"node_id": node_id("LA", record.get("id")),
                         "url": f"{API}/repos/{full_name}/labels/{name}",
                         "description": "", "color": "ededed", "default": False})


def review(record: dict, full_name: str) -> dict:
    pr_url = record.get("pull_request_url", "")
    number = pr_url.rsplit("/", 1)[-1]
    html = f"{WEB}/{full_name}/pull/{number}#pullrequestreview-{record.get('id')}"
    out = fill(record, {"node_id": node_id("PRR", record.get("id")), "html_url": html,
                        "author_association": "MEMBER",
                        "_links": _links(html=html, pull_request=pr_url)})
    if "user" in out:
        out["user"] = user(out["user"])
    return out


def _git_user(record: dict | None) -> dict | None:
    return None if record is None else dict(record)


def commit(record: dict, full_name: str) -> dict:
    sha = record.get("sha")
    url = f"{API}/repos/{full_name}/commits/{sha}"
    inner = record.get("commit")
    if isinstance(inner, dict):
        inner = fill(inner, {"url": f"{API}/repos/{full_name}/git/commits/{sha}",
                             "comment_count": 0,
                             "tree": {"sha": sha,
                                      "url": f"{API}/repos/{full_name}/git/trees/{sha}"}})
    out = fill(record, {"url": url, "node_id": node_id("C", sha),
                        "html_url": f"{WEB}/{full_name}/commit/{sha}",
                        "comments_url": f"{url}/comments", "author": None, "committer": None,
                        "parents": []})
    out["commit"] = inner
    out["author"], out["committer"] = user(out["author"]), user(out["committer"])
    out["parents"] = [fill(p, {"url": f"{API}/repos/{full_name}/commits/{p.get('sha')}",
                               "html_url": f"{WEB}/{full_name}/commit/{p.get('sha')}"})
                      for p in out["parents"] or []]
    return out


def deployment(record: dict, full_name: str) -> dict:
    url = record.get("url") or f"{API}/repos/{full_name}/deployments/{record.get('id')}"
    out = fill(record, {"node_id": node_id("DE", record.get("id")), "payload": {},
                        "description": None, "statuses_url": f"{url}/statuses",
                        "repository_url": f"{API}/repos/{full_name}", "url": url,
                        "creator": None})
    out["creator"] = user(out["creator"])
    return out


def deployment_status(record: dict, full_name: str) -> dict:
    deployment_url = record.get("deployment_url", "")
    out = fill(record, {"node_id": node_id("DES", record.get("id")), "description": "",
                        "target_url": "", "repository_url": f"{API}/repos/{full_name}",
                        "url": f"{deployment_url}/statuses/{record.get('id')}", "creator": None})
    out["creator"] = user(out["creator"])
    return out


def release(record: dict, full_name: str) -> dict:
    url = f"{API}/repos/{full_name}/releases/{record.get('id')}"
    tag = record.get("tag_name")
    out = fill(record, {"url": url, "assets_url": f"{url}/assets",
                        "upload_url": f"https://uploads.github.com/repos/{full_name}/releases/"
                                      f"{record.get('id')}/assets{{?name,label}}",
                        "html_url": f"{WEB}/{full_name}/releases/tag/{tag}",
                        "tarball_url": f"{API}/repos/{full_name}/tarball/{tag}",
                        "zipball_url": f"{API}/repos/{full_name}/zipball/{tag}",
                        "node_id": node_id("RE", record.get("id")), "assets": [],
                        "author": None})
    out["author"] = user(out["author"])
    return out


def milestone(record: dict | None, full_name: str) -> dict | None:
    if record is None:
        return None
    number = record.get("number")
    out = fill(record, {
        "url": f"{API}/repos/{full_name}/milestones/{number}",
        "html_url": f"{WEB}/{full_name}/milestone/{number}",
        "labels_url": f"{API}/repos/{full_name}/milestones/{number}/labels",
        "node_id": node_id("MI", record.get("id")), "description": None, "state": "open",
        "open_issues": 0, "closed_issues": 0, "closed_at": None, "due_on": None,
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        "creator": {"login": "roadmap-sync[bot]", "id": 61000002, "type": "Bot"}})
    out["creator"] = user(out["creator"])
    return out


def issue(record: dict, full_name: str) -> dict:
    number = record.get("number")
    url = record.get("url") or f"{API}/repos/{full_name}/issues/{number}"
    out = fill(record, {
        "url": url, "repository_url": f"{API}/repos/{full_name}",
        "labels_url": f"{url}/labels{{/name}}", "comments_url": f"{url}/comments",
        "events_url": f"{url}/events", "html_url": f"{WEB}/{full_name}/issues/{number}",
        "node_id": node_id("I", record.get("id")), "locked": False, "labels": [],
        "assignee": None, "milestone": None, "closed_at": None, "comments": 0})
    out["user"] = user(out.get("user"))
    out["milestone"] = milestone(out["milestone"], full_name)
    out["labels"] = [label_(lbl, full_name) if isinstance(lbl, dict) else lbl
                     for lbl in out["labels"] or []]
    return out


def workflow_run(record: dict, full_name: str) -> dict:
    run_id = record.get("id")
    url = f"{API}/repos/{full_name}/actions/runs/{run_id}"
    workflow = record.get("workflow_id")
    out = fill(record, {
        "node_id": node_id("WFR", run_id), "display_title": record.get("name") or "",
        "path": f".github/workflows/{(record.get('name') or 'ci').lower()}.yml",
        "url": url, "html_url": f"{WEB}/{full_name}/actions/runs/{run_id}",
        "jobs_url": f"{url}/jobs", "logs_url": f"{url}/logs",
        "check_suite_url": f"{API}/repos/{full_name}/check-suites/{run_id}",
        "cancel_url": f"{url}/cancel", "rerun_url": f"{url}/rerun",
        "artifacts_url": f"{url}/artifacts",
        "workflow_url": f"{API}/repos/{full_name}/actions/workflows/{workflow}",
        "pull_requests": [], "head_commit": None,
        "head_repository": None, "repository": None})
    repo_record = out["repository"] if isinstance(out["repository"], dict) else None
    out["repository"] = minimal_repository(full_name, repo_record)
    if out["head_repository"] is None and "head_repository" not in record:
        out["head_repository"] = minimal_repository(full_name)
    elif isinstance(out["head_repository"], dict):
        out["head_repository"] = minimal_repository(
            out["head_repository"].get("full_name", full_name), out["head_repository"])
    for key in ("actor", "triggering_actor"):
        if key in out:
            out[key] = user(out[key])
    out["pull_requests"] = None if out["pull_requests"] is None else [
        _minimal_pull(p, full_name) for p in out["pull_requests"]]
    return out


def _minimal_pull(record: dict, full_name: str) -> dict:
    number = record.get("number")
    side = {"ref": "main", "sha": "0" * 40,
            "repo": {"id": repo_id(full_name), "url": f"{API}/repos/{full_name}",
                     "name": full_name.split("/", 1)[1]}}
    return fill(record, {"id": 0, "url": f"{API}/repos/{full_name}/pulls/{number}",
                         "head": side, "base": side})


def job(record: dict, full_name: str, runs: dict[int, dict]) -> dict:
    run = runs.get(record.get("run_id"), {})
    url = f"{API}/repos/{full_name}/actions/jobs/{record.get('id')}"
    return fill(record, {
        "node_id": node_id("CR", record.get("id")),
        "run_url": f"{API}/repos/{full_name}/actions/runs/{record.get('run_id')}",
        "workflow_name": run.get("name"), "head_branch": run.get("head_branch"), "url": url,
        "html_url": f"{WEB}/{full_name}/actions/runs/{record.get('run_id')}/job/"
                    f"{record.get('id')}",
        "check_run_url": f"{API}/repos/{full_name}/check-runs/{record.get('id')}",
        "labels": ["ubuntu-latest"], "runner_id": None, "runner_name": None,
        "runner_group_id": None, "runner_group_name": None})


def with_fields(kind: str, records: list[dict], full_name: str, **extra: Any) -> list[dict]:
    """Every record of a list endpoint in GitHub's full shape."""
    build = {"pulls": lambda r: pull_request(r, full_name, False),
             "reviews": lambda r: review(r, full_name),
             "commits": lambda r: commit(r, full_name),
             "deployments": lambda r: deployment(r, full_name),
             "statuses": lambda r: deployment_status(r, full_name),
             "releases": lambda r: release(r, full_name),
             "issues": lambda r: issue(r, full_name),
             "milestones": lambda r: milestone(r, full_name),
             "runs": lambda r: workflow_run(r, full_name),
             "jobs": lambda r: job(r, full_name, extra.get("runs", {}))}[kind]
    return [build(r) for r in records]
