"""`breadcrumbs why`: walk a metric's driver tree back to a root cause (docs/why-algorithm.md)."""

from breadcrumbs.why.walk import explain

__all__ = ["explain"]
