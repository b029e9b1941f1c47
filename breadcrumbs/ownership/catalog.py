"""Read ownership from Backstage catalog files (`catalog-info.yaml`, one or more documents).

- `kind: Component` → a service: `metadata.name` is the service id (the Prometheus `service`
  label), `spec.owner` its team (a group reference: `payments`, `group:payments`,
  `group:default/payments`), the annotation `github.com/project-slug` (`owner/name`) its repo,
  `pagerduty.com/service-id` its PagerDuty service. `backstage.io/source-location`
  (`url:https://github.com/owner/repo/tree/main/path`) gives the repo when the slug is missing,
  and the path prefix of a service that lives in a folder of a monorepo.
- `kind: Group` → a team: `metadata.name`; `spec.members` counts its engineers. Groups of
  `spec.type: team` and every group that owns a component become teams.
- `kind: Location` → more catalog files (`spec.target`, `spec.targets`), relative to the file.
- Other kinds (System, API, Resource, User, Domain) are read past. `spec.system` has no column
  in the seeds (Breadcrumbs rolls services up to teams, not systems).

A location is a file, a folder (every `catalog-info.yaml` below it) or an http(s) URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import yaml

from breadcrumbs.ownership.model import Ownership, OwnershipError, RepoRow, ServiceRow, TeamRow

SLUG = "github.com/project-slug"
PAGERDUTY = "pagerduty.com/service-id"
SOURCE_LOCATION = "backstage.io/source-location"
NAME = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
MAX_FILES = 1000
TIMEOUT = (5.0, 30.0)


@dataclass(frozen=True)
class Entity:
    """One catalog document: where it came from, its kind, name, spec and annotations."""

    where: str
    kind: str  # lower case
    name: str
    spec: dict[str, Any]
    annotations: dict[str, Any]
    written_kind: str = ""  # as the file spells it, for messages

    @property
    def label(self) -> str:
        return f"{self.written_kind or self.kind} {self.name!r}"


def fetch_url(url: str) -> str:
    """The text at an http(s) URL (one GET, no credentials)."""
    try:
        response = requests.get(url, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise OwnershipError(f"{url}: cannot fetch the catalog file ({type(exc).__name__}) — "
                             "check the URL in ownership.catalog_locations / --catalog") from None
    if response.status_code != 200:
        raise OwnershipError(f"{url}: HTTP {response.status_code} — check the URL in "
                             "ownership.catalog_locations / --catalog (it must serve the raw "
                             "YAML)")
    return response.text


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def expand(location: str, base: Path) -> list[str]:
    """A location as files or URLs: a folder becomes its catalog-info.yaml files."""
    if is_url(location):
        return [location]
    path = Path(location.removeprefix("file:"))
    path = path if path.is_absolute() else base / path
    if path.is_dir():
        found = sorted({*path.rglob("catalog-info.yaml"), *path.rglob("catalog-info.yml")})
        if not found:
            raise OwnershipError(f"{path}: no catalog-info.yaml in this folder — point "
                                 "ownership.catalog_locations / --catalog at your catalog files")
        return [str(p) for p in found]
    if not path.is_file():
        raise OwnershipError(f"{path}: no such catalog file — fix ownership.catalog_locations "
                             "or --catalog")
    return [str(path)]


def load_entities(locations: list[str], base: Path,
                  fetch: Callable[[str], str] = fetch_url) -> list[Entity]:
    """Every entity of the locations, following Location entities (each file read once)."""
    queue = [item for location in locations for item in expand(location, base)]
    seen: set[str] = set()
    entities: list[Entity] = []
    while queue:
        where = queue.pop(0)
        if where in seen:
            continue
        seen.add(where)
        if len(seen) > MAX_FILES:
            raise OwnershipError(f"{where}: more than {MAX_FILES} catalog files — do Location "
                                 "entities point at each other in a loop?")
        text = fetch(where) if is_url(where) else Path(where).read_text(encoding="utf-8")
        for entity in parse_documents(where, text):
            if entity.kind == "location":
                queue.extend(location_targets(entity, base))
            else:
                entities.append(entity)
    return entities


def parse_documents(where: str, text: str) -> list[Entity]:
    """The entities of one (multi-document) YAML file, checked for what ownership needs."""
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise OwnershipError(f"{where}: not valid YAML{at} ({problem}) — fix the file") from None
    entities = []
    for index, doc in enumerate(documents, 1):
        if doc is None:
            continue
        entities.append(entity_of(where, index, doc))
    return entities


def entity_of(where: str, index: int, doc: Any) -> Entity:
    """One document as an Entity, or an error naming the file, the entity and the fix."""
    if not isinstance(doc, dict):
        raise OwnershipError(f"{where}: document {index} is not a mapping — each document is "
                             "an entity with apiVersion, kind, metadata and spec")
    kind = doc.get("kind")
    metadata = doc.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    label = f"{kind or 'entity'} {name!r}" if name else f"{kind or 'entity'} (document {index})"
    api = doc.get("apiVersion")
    if not isinstance(api, str) or not api.startswith("backstage.io/"):
        raise OwnershipError(f"{where}: {label} has apiVersion {api!r} — Backstage entities "
                             "need apiVersion: backstage.io/v1alpha1")
    if not isinstance(kind, str) or not kind:
        raise OwnershipError(f"{where}: {label} has no kind — add kind: Component (or Group, "
                             "Location, ...)")
    if not isinstance(name, str) or not name:
        raise OwnershipError(f"{where}: {label} has no metadata.name — give it one")
    if len(name) > 63 or not NAME.match(name):
        raise OwnershipError(f"{where}: {label}: metadata.name must be 1-63 letters, digits "
                             "and single - _ . between them — rename it")
    spec = doc.get("spec") or {}
    annotations = metadata.get("annotations") or {}
    if not isinstance(spec, dict):
        raise OwnershipError(f"{where}: {label}: spec must be a mapping — fix its indentation")
    if not isinstance(annotations, dict):
        raise OwnershipError(f"{where}: {label}: metadata.annotations must be a mapping of "
                             "name: value — fix its indentation")
    return Entity(where, kind.lower(), name, spec, annotations, kind)


def location_targets(entity: Entity, base: Path) -> list[str]:
    """The catalog files a Location entity points at, resolved against its own file."""
    targets = entity.spec.get("targets") or []
    if entity.spec.get("target"):
        targets = [entity.spec["target"], *targets]
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise OwnershipError(f"{entity.where}: Location {entity.name!r}: spec.targets must be "
                             "a list of paths or URLs")
    resolved = []
    for target in targets:
        target = target.removeprefix("./") if not is_url(target) else target
        if is_url(entity.where):
            resolved.append(urljoin(entity.where, target))
        elif is_url(target):
            resolved.append(target)
        else:
            resolved.extend(expand(str(Path(entity.where).parent / target), base))
    return resolved


def parse_ref(ref: str) -> tuple[str, str]:
    """(kind, name) of an entity reference `[kind:][namespace/]name`; kind defaults to group."""
    kind, _, rest = ref.rpartition(":")
    name = rest.rpartition("/")[2]
    return (kind or "group").lower(), name


def source_repo(value: Any) -> tuple[str, str] | None:
    """(owner/name, path prefix) from `url:https://host/owner/repo[/tree|blob/ref/path]`."""
    if not isinstance(value, str):
        return None
    url = value.removeprefix("url:")
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if not is_url(url) or len(parts) < 2:
        return None
    repo = f"{parts[0]}/{parts[1].removesuffix('.git')}"
    path = "/".join(parts[4:]) if len(parts) > 4 and parts[2] in ("tree", "blob") else ""
    return repo, path.strip("/")


def service_of(entity: Entity, notes: list[str]) -> tuple[ServiceRow, RepoRow] | None:
    """A Component as its services and repos rows (None, with a note, without a repo)."""
    owner = entity.spec.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        raise OwnershipError(f"{entity.where}: {entity.label} has no spec.owner — set it to "
                             "the owning team's group (e.g. owner: group:payments)")
    owner_kind, team = parse_ref(owner.strip())
    if owner_kind != "group":
        raise OwnershipError(f"{entity.where}: {entity.label} is owned by {owner!r} — "
                             "Breadcrumbs maps services to teams: set spec.owner to a group")
    slug = entity.annotations.get(SLUG)
    if slug is not None and (not isinstance(slug, str) or not REPO.match(slug.strip())):
        raise OwnershipError(f"{entity.where}: {entity.label}: annotation {SLUG} must be "
                             f"\"owner/name\", got {slug!r} — fix it")
    located = source_repo(entity.annotations.get(SOURCE_LOCATION))
    repo = slug.strip() if slug else (located[0] if located else None)
    if repo is None:
        notes.append(f"{entity.where}: {entity.label} skipped: no {SLUG} annotation (add "
                     f"`{SLUG}: owner/name` to its metadata.annotations)")
        return None
    prefix = located[1] if located and located[0].lower() == repo.lower() else ""
    pagerduty = entity.annotations.get(PAGERDUTY)
    if pagerduty is not None and not isinstance(pagerduty, str | int):
        raise OwnershipError(f"{entity.where}: {entity.label}: annotation {PAGERDUTY} must be "
                             f"a service id like PABC123, got {pagerduty!r} — fix it")
    if not pagerduty:
        notes.append(f"{entity.where}: {entity.label} has no {PAGERDUTY} annotation: its "
                     "incidents will not be linked (add the PagerDuty service id)")
    pd = str(pagerduty).strip() if pagerduty else None
    return ServiceRow(entity.name, team, repo, pd), RepoRow(repo, prefix, entity.name)


def team_of(entity: Entity) -> TeamRow:
    """A Group as a team row; engineers from `spec.members` when it lists them."""
    members = entity.spec.get("members")
    if members is not None and not isinstance(members, list):
        raise OwnershipError(f"{entity.where}: {entity.label}: spec.members must be a list of "
                             "user references")
    return TeamRow(entity.name, len(members) if members else None)


def read_catalog(locations: list[str], base: Path,
                 fetch: Callable[[str], str] = fetch_url) -> Ownership:
    """The ownership map of the Backstage catalog files at `locations`."""
    entities = load_entities(locations, base, fetch)
    notes: list[str] = []
    services: dict[str, tuple[Entity, ServiceRow]] = {}
    repos: dict[tuple[str, str], tuple[Entity, RepoRow]] = {}
    pagerduty: dict[str, Entity] = {}
    for entity in (e for e in entities if e.kind == "component"):
        if entity.name in services:
            first = services[entity.name][0]
            raise OwnershipError(f"{entity.where}: {entity.label} is also defined in "
                                 f"{first.where} — keep one (service ids must be unique)")
        rows = service_of(entity, notes)
        if rows is None:
            continue
        service, repo = rows
        key = (repo.repo_full_name.lower(), repo.path_prefix)
        if key in repos:
            other = repos[key][0]
            where = f"{repo.repo_full_name}" + (f" path {repo.path_prefix}" if
                                                  repo.path_prefix else "")
            raise OwnershipError(
                f"{entity.where}: {entity.label} and {other.label} ({other.where}) both map "
                f"{where} — give each its folder with {SOURCE_LOCATION}: url:https://github.com/"
                f"{repo.repo_full_name}/tree/main/<path>")
        if service.pagerduty_service_id in pagerduty:
            other = pagerduty[service.pagerduty_service_id]
            raise OwnershipError(
                f"{entity.where}: {entity.label} and {other.label} ({other.where}) have the "
                f"same {PAGERDUTY} {service.pagerduty_service_id} — each PagerDuty service "
                "belongs to one component; fix one of them")
        if service.pagerduty_service_id:
            pagerduty[service.pagerduty_service_id] = entity
        services[entity.name] = (entity, service)
        repos[key] = (entity, repo)
    groups = {e.name: team_of(e) for e in entities if e.kind == "group"}
    owners = {service.team_id for _entity, service in services.values()}
    kinds = {e.name: str(e.spec.get("type", "")).lower() for e in entities if e.kind == "group"}
    team_ids = sorted(owners | {name for name, kind in kinds.items() if kind == "team"})
    teams = [groups.get(team_id, TeamRow(team_id)) for team_id in team_ids]
    if not services:
        raise OwnershipError(f"{', '.join(locations)}: no Component with a repo in the "
                             f"catalog — add kind: Component entities with spec.owner and "
                             f"the {SLUG} annotation")
    return Ownership(teams=teams,
                     services=sorted((s for _e, s in services.values()),
                                     key=lambda s: s.service_id),
                     repos=sorted((r for _e, r in repos.values()),
                                  key=lambda r: (r.repo_full_name, r.path_prefix)),
                     notes=notes)
