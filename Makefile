# The two commands a newcomer runs: `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_WAREHOUSE := build/test/breadcrumbs.duckdb
# pytest workers (pytest-xdist, --dist loadgroup: a test file, or all the tests sharing one big
# session build, stay on one worker; tests/conftest.py): PYTEST_WORKERS=0 runs serially
PYTEST_WORKERS ?= 2
# portability checks (README "Scaling out"): scratch folders, and the PostgreSQL server binaries
PG_WORKDIR ?= /tmp/pg
SPARK_WORKDIR ?= /tmp/spark
SPARK_ARGS ?=  # e.g. --data-tests: also run the ~500 data tests on Spark
PG_CTL := $(shell command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
export RUNTIME__DLTHUB_TELEMETRY := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help setup demo test lint pytest dbt-test docs clean test-postgres test-spark accuracy chromium bench \
	catalog-docs test-system

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing breadcrumbs (uv if present, else pip)"
	@if command -v uv >/dev/null 2>&1; then \
		uv venv --python "$(PYTHON)" $(VENV) && \
		uv pip install --python $(BIN)/python -e '.[dev]'; \
	else \
		test -x $(BIN)/python || "$(PYTHON)" -m venv $(VENV); \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' \
			2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); \
	fi
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install (idempotent)

# the optional extras of pyproject.toml, installed on first use: .venv/.extra-<name>
$(VENV)/.extra-%: $(STAMP) pyproject.toml
	@echo "==> installing the $* extra"
	@if command -v uv >/dev/null 2>&1; then \
		uv pip install --python $(BIN)/python -e '.[dev,$*]'; \
	else \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,$*]' \
			2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2); \
	fi
	@touch $@

demo: setup ## simulate the org, ingest over HTTP, dbt build, docs, publish
	$(BIN)/breadcrumbs demo

chromium: ## headless Chromium for the report test (apt-get, only when missing)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ echo "==> installing chromium (report and docs tests)"; \
		  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo || true); \
		  for attempt in 1 2 3; do \
		    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null && break; \
		    [ $$attempt = 3 ] && { echo "chromium: apt-get failed 3 times (see above)" >&2; exit 1; }; \
		    echo "==> apt-get failed (attempt $$attempt of 3), retrying in 10 s"; sleep 10; \
		  done; }

docs: setup ## static dbt docs site, offline (target/static_index.html); builds the demo if needed
	test -f warehouse/breadcrumbs.duckdb || $(BIN)/breadcrumbs demo --no-docs
	BREADCRUMBS_SEEDS=$$($(BIN)/python -c 'import os; from breadcrumbs.project import \
		resolve_paths; p = resolve_paths(); print(os.path.relpath(p.seeds_dir, p.root) \
		if p.seeds_dir.is_dir() else "seeds")') $(BIN)/dbt docs generate --static
	@echo "docs: open target/static_index.html in a browser (one file, works offline)"

catalog-docs: setup ## write each metric's catalog entry (YAML meta) as a table into its doc block
	$(BIN)/python -m breadcrumbs.catalog_docs

# `make test` runs every test but the system ones (marker `system`, pyproject.toml): those build
# warehouses of their own end to end or kill processes, and `make test-system` runs them (CI too)
PYTEST_SELECT ?= not system and not postgres and not accuracy

pytest: setup chromium ## the pytest suite but the system tests (reuses the dbt-test warehouse when it exists)
	BREADCRUMBS_TEST_WAREHOUSE=$(CURDIR)/$(TEST_WAREHOUSE) $(BIN)/pytest \
		-n $(PYTEST_WORKERS) --dist loadgroup -m "$(PYTEST_SELECT)"

lint: setup ## ruff + sqlfluff (the dbt templater compiles against a scratch warehouse)
	mkdir -p build/lint
	$(BIN)/ruff check breadcrumbs pipelines harness tests benchmarks
	BREADCRUMBS_WAREHOUSE=$(CURDIR)/build/lint/lint.duckdb BREADCRUMBS_SEEDS=$(CURDIR)/seeds \
		$(BIN)/sqlfluff lint models

dbt-test: setup ## dbt build on a freshly generated demo warehouse
	rm -rf build/test
	$(BIN)/breadcrumbs demo --warehouse $(TEST_WAREHOUSE) --no-docs

bench: setup ## benchmark a 200-team / 1,000-repo org: benchmarks/results/latest.json
	$(BIN)/python benchmarks/run.py

accuracy: setup ## why's accuracy suite over scenarios/accuracy/ (about an hour): asserts its floors
	$(BIN)/pytest -m accuracy -p no:xdist tests/why/test_accuracy.py -s

test-postgres: $(VENV)/.extra-postgres ## the project on a throwaway PostgreSQL, checked against DuckDB
	$(BIN)/python -m harness.portability.postgres --scenario scenarios/small.yaml \
		--workdir $(PG_WORKDIR)
	@# why, review and the report read PostgreSQL as they read DuckDB (tests/warehouse/)
	BREADCRUMBS_TEST_WAREHOUSE=$(CURDIR)/$(TEST_WAREHOUSE) $(BIN)/pytest -m postgres \
		-p no:xdist tests/warehouse

test-spark: $(VENV)/.extra-spark ## the project on Spark (local pyspark) over dlt's Parquet lake, checked against DuckDB (CI, after test)
	$(BIN)/python -m harness.portability.spark --scenario scenarios/small.yaml \
		--workdir $(SPARK_WORKDIR) $(SPARK_ARGS)

test: setup ## dbt build on a fresh demo warehouse with lint beside it, then pytest; CI runs it, then test-system and test-spark
	@# lint runs beside dbt-test (each keeps mostly one core busy; lint has its own scratch
	@# warehouse in build/lint/, dbt-test its own target folder): its output follows dbt-test's
	mkdir -p build
	$(MAKE) --no-print-directory lint > build/lint.log 2>&1 & lint=$$!; \
	built=0; $(MAKE) --no-print-directory dbt-test || built=$$?; \
	linted=0; wait $$lint || linted=$$?; \
	echo "==> lint (ran beside dbt-test)"; cat build/lint.log; \
	test $$built = 0 && test $$linted = 0
	$(MAKE) --no-print-directory pytest
	@echo "==> make test passed; the system tests and the PostgreSQL check are in make test-system (CI runs it)"

test-system: setup chromium ## the system tests (pytest -m system) and test-postgres; CI runs it after test
	BREADCRUMBS_TEST_WAREHOUSE=$(CURDIR)/$(TEST_WAREHOUSE) $(BIN)/pytest \
		-n $(PYTEST_WORKERS) --dist loadgroup -m "system and not postgres and not accuracy"
	@if [ -n "$(PG_CTL)" ]; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "test-system: no pg_ctl on PATH or in /usr/lib/postgresql/*/bin (PostgreSQL 15 server binaries); install them to run test-postgres" >&2; exit 1; \
	fi

clean: ## remove generated files (not .venv)
	rm -rf build target logs warehouse/*.duckdb warehouse/*.wal
