# Perisai: `make run` serves a demo on SQLite, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
CONSTRAINTS := requirements/constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Second-factor code the demo accepts under `make run` only (see config/settings.py).
DEMO_TOTP_CODE ?= 000000
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: help run test test-only lint format install install-test browser locale lock vendor serve worker

help:
	@echo "make run     - install, migrate, load demo data, start the worker and the scheduler, serve http://$(HOST):$(PORT)"
	@echo "make test    - install test tools (and Debian's chromium where apt is available), run the whole suite"
	@echo "make lint    - ruff check and format check, the layer rules (lint-imports), bandit"
	@echo "Against PostgreSQL: DATABASE_URL=postgres://user@host:5432/db make test"

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed-base: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) install -c $(CONSTRAINTS) -e '.[test,e2e,dev]'
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base locale
install-test: $(VENV)/.installed-test locale

# Translations are compiled at build time with Babel (pure Python), so no gettext is needed to run.
locale: $(MO_FILES)
locale/%.mo: locale/%.po | $(VENV)/.installed-base
	$(PY) scripts/compile_locale.py $< $@

run: export PERISAI_DEMO_TOTP_CODE = $(DEMO_TOTP_CODE)
# Links in e-mails and notices point at the server this command starts (make run PORT=8101), unless set.
run: export PERISAI_SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Perisai is starting on http://$(HOST):$(PORT)/ (staff: http://$(HOST):$(PORT)/staf/, admin: /admin/). Ctrl-C stops it."
	@# One background worker (SQLite wants exactly one) and the scheduler; they stop when the server stops.
	@$(PY) manage.py worker --queue-name '*' & worker=$$!; \
	$(PY) manage.py scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Test tools from Debian's packages, never a browser download: chromium for the browser tests, LibreOffice Calc
# (no GUI) to check that every workbook opens and computes there, nginx for the production stack of deploy/
# (tests/deploy). Each is skipped, with a notice, if it cannot be installed; the tests that need it are then
# skipped too.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi; \
	  if [ "$$SUDO" != none ]; then \
	    echo "Installing Debian's chromium, LibreOffice Calc and nginx for the tests"; \
	    $$SUDO apt-get update -qq; \
	    command -v chromium >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
	      || echo "NOTICE: apt-get could not install chromium; browser tests will be skipped."; \
	    command -v soffice >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null \
	      || echo "NOTICE: apt-get could not install LibreOffice; the LibreOffice check will be skipped."; \
	    command -v nginx >/dev/null 2>&1 || PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null 2>&1 \
	      || DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null \
	      || echo "NOTICE: apt-get could not install nginx; the production-stack tests will be skipped."; \
	  else echo "NOTICE: no root or sudo to install chromium, LibreOffice and nginx; their tests will be skipped."; fi; \
	else echo "NOTICE: no apt-get here; install Chromium, LibreOffice and nginx yourself or their tests will be skipped."; fi

test: install-test browser test-only

test-only:
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	# Security lint: no medium or high finding; false positives are marked inline (# nosec Bxxx: why).
	$(VENV)/bin/bandit -r perisai config --severity-level medium -q

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the lock of transitive versions after changing pyproject.toml.
lock: | $(PY)
	rm -rf .venv-lock && "$$(scripts/find-python)" -m venv .venv-lock
	.venv-lock/bin/pip install -q -e '.[test,e2e,dev]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > $(CONSTRAINTS)
	rm -rf .venv-lock

# Re-vendor pinned front-end files from npm (package.json) into static/vendor and tests/e2e/vendor.
vendor:
	npm ci --ignore-scripts --no-audit --no-fund
	node scripts/vendor.mjs
