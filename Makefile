# Lumen Atlas: `make run` serves a seeded catalogue; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed test test-fast lint format bench eval clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -c "import catalogue, litestar, sqlmodel, alembic"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

migrate: install ## Bring the database schema up to date
	$(BIN)/catalogue migrate

seed: migrate ## Load seed/ into the database (devices only into an empty one)
	$(BIN)/catalogue seed

run: seed ## Migrate, seed and serve on http://127.0.0.1:8000
	$(BIN)/catalogue serve

test: install ## Run the whole test suite (SQLite; PostgreSQL too when TEST_POSTGRES_URL is set)
	$(BIN)/pytest -q -n 2

test-fast: install ## The suite without the browser tests
	$(BIN)/pytest -q -n 2 -m "not browser"

lint: install ## ruff format check, ruff lint, mypy
	$(BIN)/ruff format --check catalogue migrations tests scripts
	$(BIN)/ruff check catalogue migrations tests scripts
	$(BIN)/mypy

format: install ## Apply ruff formatting and safe fixes
	$(BIN)/ruff format catalogue migrations tests scripts
	$(BIN)/ruff check --fix catalogue migrations tests scripts

bench: install ## Print speed and memory figures (not a test)
	$(BIN)/python scripts/bench_claims.py
	$(BIN)/python scripts/bench_web.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_admin.py
	$(BIN)/python scripts/bench_images.py
	$(BIN)/python scripts/bench_import_writers.py

eval: install ## Precision and recall of the claim checker per rule
	$(BIN)/python scripts/eval_claims.py

clean: ## Remove the venv and local data
	rm -rf $(VENV) var test-artifacts
