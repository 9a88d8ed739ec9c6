# `make run` serves the product; `make test` runs every test. Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
# Proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated); none by default.
TRUSTED_PROXIES ?= $(YSS_TRUSTED_PROXIES)
CHROMIUM := /usr/bin/chromium
DOT := /usr/bin/dot

.PHONY: run test unit e2e bench check-forms clean lock postgres pdf-libs

# Every dependency comes from requirements.lock, pinned with hashes (made by `make lock`); then the product itself.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Re-pin after changing pyproject.toml's dependencies (pip-tools in a throwaway venv, not in the product's).
lock:
	$(PYTHON) -m venv /tmp/yss-pip-tools && /tmp/yss-pip-tools/bin/pip install --quiet pip-tools
	/tmp/yss-pip-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --all-build-deps \
		--strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# PostgreSQL for the store's tests on both engines (the machine's server; started if it is not running).
postgres:
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 && exit 0; sleep 1; done; \
		echo "PostgreSQL did not start"; exit 1

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

# Graphviz's dot draws the journey diagrams (`yss graph`); the CJK font gives their Chinese labels.
$(DOT):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-noto-cjk

# WeasyPrint (the receipt's PDF) draws with Pango; the CJK font gives it the Chinese glyphs.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk; }

run: $(VENV)/.installed pdf-libs
	YSS_HOST=$(HOST) YSS_PORT=$(PORT) YSS_WORKERS=$(WORKERS) YSS_TRUSTED_PROXIES="$(TRUSTED_PROXIES)" \
		$(PY) -m renderer.web

test: $(VENV)/.installed $(CHROMIUM) $(DOT) postgres pdf-libs
	$(PY) -m mypy renderer widgets
	$(PY) -m ruff check renderer widgets tests
	$(PY) -m pytest -q

unit: $(VENV)/.installed $(DOT)
	$(PY) -m pytest -q tests/unit

check-forms: $(VENV)/.installed
	$(PY) -m renderer.definition forms

/usr/bin/wrk:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: $(VENV)/.installed postgres /usr/bin/wrk
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) var
