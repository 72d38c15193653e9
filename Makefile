# Everything a fresh machine needs, from Python 3.11 alone.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SERVICES = eval "$$($(PY) scripts/local_services.py env $(1))"

.PHONY: run dev test bench lint typecheck format stop venv translations

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

translations: $(STAMP)
	$(PY) scripts/compile_translations.py

## make run: install, migrate, load demo data, start web + worker + beat
run: venv translations
	@$(call SERVICES) && bash scripts/run.sh

## make dev: as make run, with DEBUG on (Django's debug pages, for a developer only)
dev: venv translations
	@$(call SERVICES) && DJANGO_DEBUG=1 bash scripts/run.sh

## make test: the whole suite on real PostgreSQL (embedded when DATABASE_URL is unset)
test: venv translations
	@bash scripts/ensure_chromium.sh
	@$(call SERVICES,--redis-if-up) && $(PY) -m pytest $(PYTEST_ARGS)

## make bench: the benchmarks under bench/
bench: venv
	@$(call SERVICES,--redis-if-up) && $(PY) -m bench $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## make stop: stop the embedded PostgreSQL (the worker and beat end with `make run`)
stop: venv
	$(PY) scripts/local_services.py stop
