# The two commands a newcomer runs: `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_WAREHOUSE := build/test/breadcrumbs.duckdb
export RUNTIME__DLTHUB_TELEMETRY := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help setup demo test lint pytest dbt-test docs clean

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

demo: setup ## simulate the org, ingest over HTTP, dbt build, docs, publish
	$(BIN)/breadcrumbs demo

pytest: setup ## the pytest suite (reuses the dbt-test warehouse when it exists)
	BREADCRUMBS_TEST_WAREHOUSE=$(CURDIR)/$(TEST_WAREHOUSE) $(BIN)/pytest

lint: setup ## ruff + sqlfluff (the dbt templater compiles against a scratch warehouse)
	mkdir -p build/lint
	$(BIN)/ruff check breadcrumbs pipelines tests
	BREADCRUMBS_WAREHOUSE=$(CURDIR)/build/lint/lint.duckdb BREADCRUMBS_SEEDS=$(CURDIR)/seeds \
		$(BIN)/sqlfluff lint models

dbt-test: setup ## dbt build on a freshly generated demo warehouse
	rm -rf build/test
	$(BIN)/breadcrumbs demo --warehouse $(TEST_WAREHOUSE) --no-docs

test: setup ## everything CI runs: dbt build on a fresh demo warehouse, pytest, lint
	$(MAKE) --no-print-directory dbt-test
	$(MAKE) --no-print-directory pytest
	$(MAKE) --no-print-directory lint

clean: ## remove generated files (not .venv)
	rm -rf build target logs warehouse/*.duckdb warehouse/*.wal
