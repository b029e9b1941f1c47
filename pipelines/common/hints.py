"""Column hints: every flattened field declared, so a column exists when all values are null."""

from __future__ import annotations

from typing import Any


def columns(types: dict[str, str], primary_key: tuple[str, ...] = ()) -> dict[str, Any]:
    """dlt column schemas (name, data_type, nullable) from a {column: data_type} mapping."""
    return {name: {"name": name, "data_type": data_type, "nullable": name not in primary_key}
            for name, data_type in types.items()}


def user(prefix: str) -> dict[str, str]:
    """The flattened columns of a GitHub user reference (`login`, `id`, `type`)."""
    return {f"{prefix}__login": "text", f"{prefix}__id": "bigint", f"{prefix}__type": "text"}
