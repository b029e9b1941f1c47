"""GitHub source settings: tables, primary keys and the column hints of every flattened field."""

from __future__ import annotations

from pipelines.common.hints import columns, user

DEFAULT_BASE_URL = "https://api.github.com"
SECRET = "sources.github.access_token"
ACCEPT = "application/vnd.github+json"
# The REST API version the source and staging are written for, sent as X-GitHub-Api-Version
# (docs/sources/github.md). GitHub answers 400 for a version it does not support.
API_VERSION = "2022-11-28"
VERSION_HEADER = "X-GitHub-Api-Version"

PULL_REQUEST_KEY = ("id",)
PULL_REQUEST_COLUMNS = columns({
    "url": "text", "id": "bigint", "number": "bigint", "state": "text", "title": "text",
    **user("user"), "body": "text", "draft": "bool", "created_at": "timestamp",
    "updated_at": "timestamp", "closed_at": "timestamp", "merged_at": "timestamp",
    "merge_commit_sha": "text", "head__ref": "text", "head__sha": "text", "base__ref": "text",
    "base__sha": "text", "base__repo__full_name": "text", "merged": "bool", **user("merged_by"),
    "commits": "bigint", "additions": "bigint", "deletions": "bigint", "changed_files": "bigint",
    "repo_full_name": "text",
}, PULL_REQUEST_KEY)

REVIEW_KEY = ("id",)
REVIEW_COLUMNS = columns({
    "id": "bigint", **user("user"), "body": "text", "state": "text", "submitted_at": "timestamp",
    "commit_id": "text", "pull_request_url": "text", "repo_full_name": "text",
    "pull_request_number": "bigint",
}, REVIEW_KEY)

COMMIT_FIELDS = {
    "sha": "text", "commit__author__name": "text", "commit__author__email": "text",
    "commit__author__date": "timestamp", "commit__committer__name": "text",
    "commit__committer__email": "text", "commit__committer__date": "timestamp",
    "commit__message": "text", **user("author"), **user("committer"), "repo_full_name": "text",
}
PULL_REQUEST_COMMIT_KEY = ("repo_full_name", "pull_request_number", "sha")
PULL_REQUEST_COMMIT_COLUMNS = columns({**COMMIT_FIELDS, "pull_request_number": "bigint"},
                                      PULL_REQUEST_COMMIT_KEY)
COMMIT_KEY = ("repo_full_name", "sha")
COMMIT_COLUMNS = columns(COMMIT_FIELDS, COMMIT_KEY)

DEPLOYMENT_KEY = ("id",)
DEPLOYMENT_COLUMNS = columns({
    "url": "text", "id": "bigint", "sha": "text", "ref": "text", "task": "text",
    "environment": "text", "production_environment": "bool", "description": "text",
    **user("creator"), "created_at": "timestamp", "updated_at": "timestamp",
    "repo_full_name": "text",
}, DEPLOYMENT_KEY)

DEPLOYMENT_STATUS_KEY = ("id",)
DEPLOYMENT_STATUS_COLUMNS = columns({
    "id": "bigint", "state": "text", "environment": "text", "description": "text",
    **user("creator"), "created_at": "timestamp", "updated_at": "timestamp",
    "deployment_url": "text", "repo_full_name": "text", "deployment_id": "bigint",
}, DEPLOYMENT_STATUS_KEY)

RELEASE_KEY = ("id",)
RELEASE_COLUMNS = columns({
    "id": "bigint", "tag_name": "text", "target_commitish": "text", "name": "text",
    "draft": "bool", "prerelease": "bool", **user("author"), "created_at": "timestamp",
    "published_at": "timestamp", "repo_full_name": "text",
}, RELEASE_KEY)

ISSUE_KEY = ("id",)
ISSUE_COLUMNS = columns({
    "url": "text", "id": "bigint", "number": "bigint", "title": "text", **user("user"),
    "state": "text", "state_reason": "text", "milestone__id": "bigint",
    "milestone__number": "bigint", "milestone__title": "text", "milestone__due_on": "timestamp",
    "comments": "bigint", "created_at": "timestamp", "updated_at": "timestamp",
    "closed_at": "timestamp", "body": "text", "type__id": "bigint", "type__name": "text",
    "repo_full_name": "text",
}, ISSUE_KEY)

MILESTONE_KEY = ("id",)
MILESTONE_COLUMNS = columns({
    "url": "text", "id": "bigint", "number": "bigint", "title": "text", "description": "text",
    "state": "text", "open_issues": "bigint", "closed_issues": "bigint",
    "created_at": "timestamp", "updated_at": "timestamp", "closed_at": "timestamp",
    "due_on": "timestamp", "repo_full_name": "text",
}, MILESTONE_KEY)
