"""The warehouse as `why`, `report` and `review` read it: the tables they use, the metric catalog
and the ownership graph (docs/architecture.md)."""

from breadcrumbs.warehouse.catalog import (
    Entity,
    Metric,
    Ownership,
    load_catalog,
    load_ownership,
    warehouse_currency,
)
from breadcrumbs.warehouse.reader import TABLES, Warehouse, WarehouseError, open_warehouse

__all__ = [
    "TABLES",
    "Entity",
    "Metric",
    "Ownership",
    "Warehouse",
    "WarehouseError",
    "load_catalog",
    "load_ownership",
    "open_warehouse",
    "warehouse_currency",
]
