# Two commands do all the set-up: `make demo` and `make test` (see README.md).
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: demo serve test lint types migrations-check pytest messages bench bench-national clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(RUNTIME_STAMP)

## demo: install, migrate SQLite under var/, load the demo data, serve on 127.0.0.1:$(PORT)
demo: $(RUNTIME_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(MAKE) --no-print-directory serve PORT=$(PORT)

## serve: the site plus the background-task worker, both stopped together by Ctrl-C
serve: $(RUNTIME_STAMP)
	@$(PY) manage.py watch_jobs; \
	$(PY) manage.py db_worker --queue-name default & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: lint, types, migrations check, the whole suite (PostgreSQL when DATABASE_URL is set)
test: lint types migrations-check pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(DEV_STAMP)
	$(VENV)/bin/mypy .

migrations-check: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run

pytest: $(DEV_STAMP)
	$(VENV)/bin/pytest

## messages: refresh the English catalogue from the Vietnamese source strings, then compile
messages: $(DEV_STAMP)
	cd caicach && ../$(PY) ../manage.py makemessages -l en --no-obsolete
	cd caicach && ../$(PY) ../manage.py compilemessages -l en

bench: $(DEV_STAMP)
	$(PY) bench/run.py

## bench-national: the country-sized dataset on PostgreSQL behind gunicorn (see bench/national.py --help)
bench-national: $(DEV_STAMP)
	$(PY) bench/national.py --markdown $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
