# Inspectorate — the two set-up commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
BENCH ?=

.PHONY: run test test-browser test-postgres lint typecheck check bench messages clean

$(STAMP): requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

## run: install, migrate SQLite under var/, load the demo province, serve on 127.0.0.1:8000
run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(MANAGE) runserver 127.0.0.1:8000 --noreload

## test: the whole suite on SQLite (browser tests too, where Chromium is installed)
test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## test-browser: only the browser tests (headless Chromium)
test-browser: $(STAMP)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

## test-postgres: the suite against PostgreSQL (DATABASE_URL, default the local server)
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/inspectorate} \
	  $(BIN)/pytest -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy src

check: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

## bench: every benchmark in bench/ (BENCH=registry runs one); figures go to docs/benchmarks.md
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH)

## messages: refresh the translation catalogues (needs GNU gettext) and compile them
messages: $(STAMP)
	cd src/inspectorate && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --ignore "static/*"
	cd src/inspectorate && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var
