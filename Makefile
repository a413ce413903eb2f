# The two commands: `make run` and `make test`. Both start from a machine with only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format browser messages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Portal: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (root on this machine; skipped if already there).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The heavy load tests (-m load) are left to .ci/run, which runs them on PostgreSQL afterwards.
PYTEST_MARKERS ?= -m "not load"
test: $(STAMP) browser lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_MARKERS) $(PYTEST_ARGS)

# The benchmark (docs/performance.md): PostgreSQL on loopback, a database of its own (dropped and
# created afresh), gunicorn on 127.0.0.1:$(BENCH_PORT), Debian's wrk as the load generator.
BENCH_PORT ?= 8090
BENCH_ARGS ?=
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run --port $(BENCH_PORT) $(BENCH_ARGS)

# Regenerate the translation catalogues after changing user-facing strings (needs gettext).
# makemessages puts each app's strings in <app>/locale, the rest (templates/, config/) in locale/.
APPS := core accounts audit studios reviews funding ledgers
messages: $(STAMP)
	for app in $(APPS); do mkdir -p $$app/locale; done
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete -i ".venv/*" -i "static/*" -i "tests/*" -i "bench/*" -i "*/migrations/*"
	$(PY) -m core.compile_messages

clean:
	rm -rf $(VENV) db.sqlite3 private staticfiles .pytest_cache .ruff_cache
