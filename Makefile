# Dendrite — the two commands: `make run` (demo) and `make test` (whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Keep browser and tool caches inside the project, so runs leave nothing in ~.
export XDG_CONFIG_HOME := $(CURDIR)/.cache/xdg-config
export XDG_CACHE_HOME := $(CURDIR)/.cache/xdg-cache
export PLAYWRIGHT_BROWSERS_PATH := $(CURDIR)/.cache/ms-playwright
export npm_config_cache := $(CURDIR)/.cache/npm

.PHONY: help run serve test install lint format lock totp worker bench bench-pages synthetic clean

help:
	@echo "make run     set everything up and serve the demo on http://127.0.0.1:8000"
	@echo "make test    set everything up and run the whole test suite"
	@echo "make serve   the production profile: gunicorn, worker, scheduler (docs/operations.md)"
	@echo "make lint    ruff check, ruff format --check and mypy"
	@echo "make totp USER=nurse.boston   current demo TOTP code of a demo user"

$(VENV)/.installed: requirements.lock
	@bin/ensure-pango
	@base=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$base"; "$$base" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

run: install
	DENDRITE_DEBUG=1 $(PY) manage.py migrate --noinput
	DENDRITE_DEBUG=1 $(PY) manage.py load_demo
	DENDRITE_DEBUG=1 bin/serve-demo $(PY)

# The production profile (settings from the environment; see docs/operations.md).
serve: install
	bin/serve-production $(PY)

worker: install
	$(PY) manage.py db_worker

test: install node_modules/.installed
	bin/ensure-browser $(PY)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DENDRITE_DEBUG=1 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-pin every dependency (after editing pyproject.toml).
lock: install
	$(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--output-file requirements.lock pyproject.toml

totp: install
	@DENDRITE_DEBUG=1 $(PY) manage.py demo_totp $(USER)

# Every bench module in one run, at a small size (BENCH_PAGES_PATIENTS and
# BENCH_DASHBOARD_PATIENTS, default 300, for the staff page and dashboard benches).
bench: install
	$(PY) -m pytest bench --benchmark-enable -p no:cacheprovider -s

# The staff pages and dashboard at network size (docs/benchmarks.md): needs wrk.
BENCH_PATIENTS ?= 100000
bench-pages: install
	$(PY) -m bench.pages --database postgres --patients $(BENCH_PATIENTS) --dashboard --out var/bench-pages-postgres.json
	$(PY) -m bench.pages --database sqlite --patients $$(( $(BENCH_PATIENTS) / 10 )) --dashboard --out var/bench-pages-sqlite.json

# A synthetic clinic network in an empty database (README, "A large synthetic network").
synthetic: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py make_synthetic --patients $(or $(PATIENTS),1000)

clean:
	rm -rf $(VENV) node_modules .cache staticfiles var/test.sqlite3
