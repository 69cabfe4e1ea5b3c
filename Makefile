# Lotse — the two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export LOTSE_DATA_DIR ?= $(CURDIR)/var
# pytest-xdist: one worker per core (override, e.g. PYTEST_ARGS='-p no:xdist tests/cases')
PYTEST_ARGS ?= -n auto --dist loadgroup

.PHONY: run test test-suite venv venv-test migrate demo serve lint typecheck messages check-messages browser-deps clean bench bench-data

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lotse braucht Python 3.11 oder neuer.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

venv: $(VENV)/.installed-base
venv-test: $(VENV)/.installed-test

## make run: set up, migrate the embedded SQLite database, load Kreis Lippe + demo data, start web app, worker and scheduler (restarted if they exit)
run: export LOTSE_DEMO = 1
run: venv
	@bash scripts/ensure-pdf-deps.sh || echo "Hinweis: ohne diese Bibliotheken sind PDF-Dokumente nicht verfügbar."
	@umask 077 && mkdir -p "$(LOTSE_DATA_DIR)"
	$(BIN)/lotse fieldkeys init --if-missing
	$(BIN)/lotse auditcheckpoint init --if-missing
	$(BIN)/lotse migrate --no-input -v 0
	$(BIN)/lotse collectstatic --no-input -v 0
	$(BIN)/lotse loaddemo
	@echo ""
	@echo "Lotse läuft auf http://$(HOST):$(PORT)/ (Beenden mit Strg+C)"
	@# lotse run supervises gunicorn, the worker and the scheduler: restarts what exits, Ctrl+C stops all
	$(BIN)/lotse run --bind $(HOST):$(PORT)

## make test: set up what the tests need and run lint, translation check and the whole suite
test: export LOTSE_TESTING = 1
test: venv-test browser-deps
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/python scripts/check_messages.py
	$(BIN)/mypy src/lotse
	$(BIN)/lotse makemigrations --check --dry-run -v 1
	$(BIN)/pytest $(PYTEST_ARGS)

## make test-suite: the test suite alone, without lint and checks (CI's second pass on PostgreSQL)
test-suite: export LOTSE_TESTING = 1
test-suite: venv-test browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

## make bench-data: migrate the PostgreSQL database BENCH_DATABASE_URL and fill it with `lotse synth` (SYNTH_SIZE: kreis, nrw, stress or a number)
## make bench: measure pages, API, search, throughput, import and export there; writes docs/performance.md (never part of make test)
SYNTH_SIZE ?= kreis
SYNTH_SEED ?= 2026
bench-data bench: export LOTSE_TESTING = 1
bench-data bench: export LOTSE_FIELD_KEYS_FILE ?= $(LOTSE_DATA_DIR)/bench-field-keys.json
bench-data bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench-data: venv-test
	@test -n "$(BENCH_DATABASE_URL)" || { echo "BENCH_DATABASE_URL fehlt (eine leere PostgreSQL-Datenbank, z. B. postgres://postgres@127.0.0.1/lotse_bench)."; exit 2; }
	@umask 077 && mkdir -p "$(LOTSE_DATA_DIR)"
	$(BIN)/lotse fieldkeys init --if-missing
	$(BIN)/lotse migrate --no-input -v 0
	$(BIN)/lotse synth --size $(SYNTH_SIZE) --seed $(SYNTH_SEED)

bench: venv-test
	@test -n "$(BENCH_DATABASE_URL)" || { echo "BENCH_DATABASE_URL fehlt (erst make bench-data)."; exit 2; }
	$(BIN)/python benchmarks/bench.py

browser-deps:
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-pdf-deps.sh

lint: venv-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

messages: venv-test
	cd src/lotse && ../../$(BIN)/lotse makemessages -l de --no-obsolete --no-location -v 0 && ../../$(BIN)/lotse compilemessages -v 0

clean:
	rm -rf $(VENV) var
