# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest caches its rewritten test modules as bytecode; with PYTHONDONTWRITEBYTECODE set (as on
# these machines) it would rewrite all of them again in every worker, every run (~3.5 s each).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest
STAMP := $(VENV)/.installed

.PHONY: run test test-all bench setup clean validate lock typecheck lint format shell devmap

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "safety-tui needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench,council,serve]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/safety-tui

# The everyday lane: layers one way (import-linter), types (mypy --strict), then every test not
# marked slow, in parallel (pytest-xdist). No server, no browser. The app runs without animations
# here, as for a person who turns them off (TEXTUAL_ANIMATIONS=none: a twentieth of the lane's CPU
# went to drawing scrolls frame by frame); make test-all runs it as it starts by default.
test: $(STAMP)
	$(BIN)/python -m compileall -q safety_tui  # bytecode even where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/ruff check safety_tui tests benchmarks scripts
	$(BIN)/ruff format --check safety_tui tests benchmarks scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	TEXTUAL_ANIMATIONS=none $(PYTEST) -q -n auto -m "not slow"

# Everything: the same checks, then every test, real PostgreSQL servers, Chromium, pseudo-terminals
# and snapshots included. CI runs this (.ci/run).
test-all: $(STAMP)
	$(BIN)/python -m compileall -q safety_tui
	$(BIN)/ruff check safety_tui tests benchmarks scripts
	$(BIN)/ruff format --check safety_tui tests benchmarks scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(PYTEST) -q -n auto --hypothesis-profile=thorough

# A shell with the project's tools on PATH: `safety-tui status`, `safety-tui checkin`, ...
shell: $(STAMP)
	@echo "safety-tui is on PATH in this shell; exit to leave."
	@PATH="$(CURDIR)/$(BIN):$$PATH" $${SHELL:-/bin/sh}

lint: $(STAMP)
	$(BIN)/ruff check safety_tui tests benchmarks scripts
	$(BIN)/ruff format --check safety_tui tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

# Format the code as `make test` checks it (ruff format), and fix what ruff's lint can.
format: $(STAMP)
	$(BIN)/ruff format safety_tui tests benchmarks scripts
	$(BIN)/ruff check --fix safety_tui tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

# Pin a new dependency set: a fresh environment from pyproject.toml, frozen into constraints.txt.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test,bench,council,serve]'
	{ head -n 2 constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e'; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .lock-venv

bench: $(STAMP)
	$(BIN)/python -m compileall -q safety_tui  # measured as installed: pip compiles bytecode too
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/desk.py
	$(BIN)/python benchmarks/ui_stalls.py
	$(BIN)/python benchmarks/desk_board.py
	$(BIN)/python benchmarks/phone_checkin.py

validate: $(STAMP)
	$(BIN)/safety-tui validate

clean:
	rm -rf $(VENV) .pytest_cache

# The council duty desk on a throwaway PostgreSQL server with a few plans (one overdue).
.PHONY: desk-demo
desk-demo: $(STAMP)
	$(BIN)/python scripts/desk_demo.py

# The README's map of the code, from the code (tests/test_architecture.py checks it is up to date).
devmap: $(STAMP)
	$(BIN)/python scripts/devmap.py
