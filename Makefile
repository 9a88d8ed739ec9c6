# `make run` serves the product; `make test` runs every test. Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
CHROMIUM := /usr/bin/chromium

.PHONY: run test unit e2e bench check-forms clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

run: $(VENV)/.installed
	YSS_HOST=$(HOST) YSS_PORT=$(PORT) YSS_WORKERS=$(WORKERS) $(PY) -m renderer.web

test: $(VENV)/.installed $(CHROMIUM)
	$(PY) -m pytest -q

unit: $(VENV)/.installed
	$(PY) -m pytest -q tests/unit

check-forms: $(VENV)/.installed
	$(PY) -m renderer.definition forms

bench: $(VENV)/.installed
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) var
