"""The dbt profile's target, read the way dbt reads it: profiles.yml in DBT_PROFILES_DIR (else
the project root), its `env_var()` calls rendered from the environment, the target named by
the profile (BREADCRUMBS_TARGET, default duckdb) unless one is given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from breadcrumbs.warehouse.reader import WarehouseError

PROFILE = "breadcrumbs"  # dbt_project.yml `profile:`


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise WarehouseError(f"profiles.yml needs the environment variable {name}: set it")
    return value


def _render(value: Any) -> Any:
    """A profile value with its Jinja rendered, as dbt renders it: `env_var()` from the
    environment, `| as_number` giving a number."""
    if isinstance(value, dict):
        return {key: _render(item) for key, item in value.items()}
    if not isinstance(value, str) or "{{" not in value:
        return value
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters["as_number"] = lambda text: text  # converted below, after rendering
    env.globals["env_var"] = _env_var
    text = env.from_string(value).render()
    if "as_number" in value:
        try:
            return float(text) if "." in text else int(text)
        except ValueError as exc:
            raise WarehouseError(f"profiles.yml: {value} renders to {text!r}, not a number: "
                                 "fix the environment variable") from exc
    return text


def load_profile(root: Path | None = None) -> dict[str, Any]:
    """The `breadcrumbs` profile as written (profiles.yml of DBT_PROFILES_DIR, else of `root`,
    else of the project folder around the working directory); render what you use."""
    from breadcrumbs.project import find_root

    folder = Path(os.environ.get("DBT_PROFILES_DIR") or root or find_root())
    path = folder / "profiles.yml"
    if not path.is_file():
        raise WarehouseError(f"no profiles.yml in {folder}: set DBT_PROFILES_DIR to the folder "
                             "holding the breadcrumbs profile")
    profile = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(PROFILE)
    if not profile:
        raise WarehouseError(f"{path} has no `{PROFILE}` profile (dbt_project.yml names it)")
    return profile


def target_output(target: str | None, warehouse: Path) -> dict[str, Any]:
    """The output of `target` (default: the profile's own target) with its `name`; a DuckDB
    target reads `warehouse` (the path the CLI resolved), not the profile's default path."""
    chosen = target or os.environ.get("BREADCRUMBS_TARGET")
    if (chosen or "duckdb") == "duckdb":  # the default needs no profile (a bare warehouse file)
        return {"name": "duckdb", "type": "duckdb", "path": str(warehouse)}
    profile = load_profile()
    chosen = chosen or _render(profile.get("target"))
    outputs = profile.get("outputs") or {}
    if chosen not in outputs:
        raise WarehouseError(f"the breadcrumbs profile has no target {chosen!r}: use one of "
                             f"{', '.join(sorted(outputs))}")
    return {**_render(outputs[chosen]), "name": chosen}
