# Two entry points: `make demo` opens a believable home, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check test-anytime test-anytime-all test-postgres stress bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/keywork demo --open

# mypy checks keywork_tui, screens and models: pyproject.toml's [tool.mypy] `files`.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The one local loop: every static check, then the suite. Two processes share
# the tests; the suite runs in about four minutes on two cores.
check: lint
	$(BIN)/pytest -n auto --dist worksteal

# What CI runs.
test: check

# The suite again with the machine's clock moved to a few awkward instants (faketime).
test-anytime: $(VENV)/.installed
	tests/anytime.sh few

test-anytime-all: $(VENV)/.installed
	tests/anytime.sh all

# psycopg 3, for the suite on PostgreSQL only: with it installed, peewee
# loads it at every start, which an install on SQLite does not pay for.
$(VENV)/.postgres: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@

# The stress trials and the whole suite again on a throwaway PostgreSQL
# cluster (Debian's postgresql package), with the clock years ahead.
test-postgres: $(VENV)/.postgres
	tests/on_postgres.sh $(STRESS_ARGS)

# Four writers and a reader at once, then 50 kills in the middle of writes:
# prints written, acknowledged, present, lost and errors (see README, Backups).
stress: $(VENV)/.installed
	$(BIN)/python tests/stress.py $(STRESS_ARGS)

# Figures beside their baselines, as ratios (see README, Speed); asserts nothing.
# BENCH_ARGS="--large 20:2 --runs 3" measures a smaller large home.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
