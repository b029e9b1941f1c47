"""Build the same project on other engines than DuckDB and check it gives the same numbers.

`postgres.py`: a throwaway PostgreSQL cluster, dlt's postgres destination, `dbt build --target
postgres`, compared with the DuckDB build of the same scenario (`make test-postgres`).
`spark.py`: dlt's filesystem destination (Parquet) and dbt-spark in a local pyspark session,
with a day-later incremental run, compared with DuckDB the same way (`make test-spark`).
`scenario.py` runs a scenario into any destination; `compare.py` compares the built tables.
"""
