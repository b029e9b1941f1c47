"""Secrets and identities: auth errors name the secret and never the token (debug logs and dlt
files included), secrets.toml is git-ignored, no raw identity reaches the published file or
the dbt docs, and CLI input never becomes SQL."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from breadcrumbs.ingest import SECRETS, pipelines_dir, simulator_env
from breadcrumbs.simulator.server import serve
from tests.fixtures.small_world import small_world
from tests.reliability.rel_helpers import ROOT, cli_env, run

DEBUG = {"RUNTIME__LOG_LEVEL": "DEBUG", "LOG_LEVEL": "DEBUG"}


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("source", ["github", "incidents", "revenue"])
def test_401_names_the_secret_never_the_token_even_at_debug_level(source: str,
                                                                  tmp_path: Path) -> None:
    world = small_world()
    wrong = f"s3cret-{source}-Tok3n-value"
    secret = SECRETS[source]
    warehouse = tmp_path / "wh.duckdb"
    with serve(world) as server:
        env = cli_env(**simulator_env(server, world), **DEBUG)
        env[f"SOURCES__{source.upper()}__{secret.upper()}"] = wrong
        done = run(["--verbose", "ingest", "--source", source, "--warehouse", str(warehouse)],
                   env, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert f"{source}: the API answered 401" in output
    assert f"set sources.{source}.{secret}" in output
    assert wrong not in output
    for path in files_under(pipelines_dir(warehouse)):  # dlt state, traces, load packages
        assert wrong.encode() not in path.read_bytes(), path


class Forbidden(BaseHTTPRequestHandler):
    """An API that answers every request 403 (a token without the needed scope)."""

    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"message": "Resource not accessible by integration"}).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def forbidden() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Forbidden)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_403_names_the_secret_never_the_token(forbidden: str, tmp_path: Path) -> None:
    token = "ghp_n0tForYourEyes0123456789"
    warehouse = tmp_path / "wh.duckdb"
    env = cli_env(SOURCES__GITHUB__BASE_URL=forbidden, SOURCES__GITHUB__ACCESS_TOKEN=token,
                  SOURCES__GITHUB__REPOS='["acme/checkout"]', **DEBUG)
    done = run(["--verbose", "ingest", "--source", "github", "--warehouse", str(warehouse)],
               env, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "github: the API answered 403" in output
    assert "set sources.github.access_token (env SOURCES__GITHUB__ACCESS_TOKEN)" in output
    assert token not in output
    for path in files_under(pipelines_dir(warehouse)):
        assert token.encode() not in path.read_bytes(), path


def test_secrets_toml_is_git_ignored_and_the_readme_says_so() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".dlt/secrets.toml"], cwd=ROOT,
                             check=False)
    assert ignored.returncode == 0, ".dlt/secrets.toml is not git-ignored"
    tracked = subprocess.run(["git", "ls-files", ".dlt"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert ".dlt/secrets.toml" not in tracked
    readme = (ROOT / "README.md").read_text()
    assert "secrets.toml" in readme and "git-ignored" in readme


IDENTITY_COLUMNS = """
    select distinct value from (
        select user__login as value from raw_github.pull_requests
        union all select merged_by__login from raw_github.pull_requests
        union all select user__login from raw_github.pull_request_reviews
        union all select author__login from raw_github.commits
        union all select committer__login from raw_github.commits
        union all select commit__author__name from raw_github.commits
        union all select commit__author__email from raw_github.commits
        union all select commit__committer__name from raw_github.commits
        union all select commit__committer__email from raw_github.commits
        union all select commit__author__name from raw_github.pull_request_commits
        union all select commit__author__email from raw_github.pull_request_commits
        union all select author__login from raw_github.pull_request_commits
        union all select creator__login from raw_github.deployments
        union all select creator__login from raw_github.deployment_statuses
        union all select author__login from raw_github.releases
        union all select actor__login from raw_ci.workflow_runs
        union all select agent__summary from raw_incidents.log_entries
            where agent__type = 'user_reference'
        union all select email from raw_revenue.customers
    ) where value is not null and length(value) >= 4
        -- bots and GitHub's own web-flow committer are not people
        and value not like '%[bot]%' and value not like '%-bot' and value not like '%noreply%'
        and value not in ('GitHub', 'web-flow')
"""


@pytest.fixture(scope="module")
def identities(clean) -> list[str]:
    """Every login, email and person name in the raw schemas of the clean build."""
    with duckdb.connect(str(clean.paths.warehouse), read_only=True) as con:
        found = sorted(v for (v,) in con.execute(IDENTITY_COLUMNS).fetchall())
    assert len(found) > 20 and any("@" in v for v in found) and any(" " in v for v in found)
    return found


def leaks_in_database(database: Path, identities: list[str]) -> list[str]:
    """`schema.table.column: value` for every text value holding a raw identity (or its
    unsalted md5, which a dictionary attack reverses)."""
    needles = identities + [hashlib.md5(i.lower().encode()).hexdigest() for i in identities]
    leaks: list[str] = []
    with duckdb.connect() as con:
        con.execute(f"attach '{database}' as pub (read_only)")
        con.execute("create temp table needles as select lower(unnest(?)) as needle",
                    [needles])
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = 'pub' and data_type = 'VARCHAR'").fetchall()
        assert columns
        for schema, table, column in columns:
            hit = con.execute(
                f'select v, needle from (select distinct lower("{column}") as v '
                f'from pub."{schema}"."{table}") join needles on contains(v, needle) '
                "limit 1").fetchone()
            if hit:
                leaks.append(f"{schema}.{table}.{column}: {hit[0]!r} holds {hit[1]!r}")
    return leaks


@pytest.mark.slow
@pytest.mark.system
def test_published_file_holds_no_raw_identity(clean, identities: list[str]) -> None:
    assert clean.paths.published.exists()
    assert leaks_in_database(clean.paths.published, identities) == []


@pytest.mark.slow
@pytest.mark.system
def test_dbt_docs_hold_no_raw_identity(clean, identities: list[str]) -> None:
    docs = clean.paths.docs_dir
    artefacts = [docs / "catalog.json", docs / "manifest.json", docs / "static_index.html"]
    for artefact in artefacts:
        assert artefact.exists(), artefact
        text = artefact.read_text(errors="replace").lower()
        leaked = [i for i in identities if i.lower() in text]
        assert leaked == [], f"{artefact.name} holds {leaked[:5]}"


@pytest.mark.slow
@pytest.mark.system
def test_why_entity_is_not_sql(clean, tmp_path: Path) -> None:
    assert run(["why", "--help"]).returncode == 0, "`breadcrumbs why` is a CLI verb"
    warehouse = tmp_path / "wh.duckdb"  # a copy: a successful injection must not hurt others
    shutil.copy(clean.paths.warehouse, warehouse)
    hostile = "x'; drop table metric_values; --"
    done = run(["why", "request_count", "--entity", hostile, "--warehouse", str(warehouse)],
               timeout=300)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {t for (t,) in con.execute(
            "select table_name from duckdb_tables() where table_name = 'metric_values'"
        ).fetchall()}
        rows = con.execute("select count(*) from metrics.metric_values").fetchone()[0]
    assert tables == {"metric_values"} and rows > 0
    # the text reached SQL as a value (an unknown entity), not as SQL (a parser error)
    assert done.returncode == 1 and "has no entity" in done.stderr, done.stderr
    assert "Parser Error" not in done.stderr and "Traceback" not in done.stderr
