# Curb Appeal: `make run` sets up and starts the game; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint typecheck pytest bench clean

run: setup
	$(PY) -m game serve

test: setup lint typecheck pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(VENV)/bin/ruff check game tests bench
	$(VENV)/bin/ruff format --check game tests bench

typecheck: setup
	$(VENV)/bin/mypy game

pytest: setup
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) bench/balance_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
