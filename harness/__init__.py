"""Verification harnesses: the PostgreSQL and Spark builds checked against DuckDB
(`portability/`, `make test-postgres`, `make test-spark`) and the benchmark's scale tiler
(`scale.py`, `make bench`). They drive the product from outside and are not shipped with it:
the `breadcrumbs` package never imports them."""
