# CĐS Radar: the two commands a newcomer needs are `make run` and `make test`.
# Everything else here is what those two do on a fresh Debian 12 machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_PORT ?= 8800
export CDS_DEMO_PORT ?= $(DEMO_PORT)
# `make run`/`make crawl` crawl the demo web (loopback: no politeness delay needed);
# the crawler's own default is the real-world set, config/sources.yaml.
DEMO_CRAWL := CDS_SOURCES_FILE=config/sources.demo.yaml CDS_CRAWL_DELAY=0

.PHONY: run test lint install sysdeps demo crawl serve bench clean es-test es-test-down

## install: virtualenv + pinned Python packages (re-run when requirements.txt changes)
install: $(VENV)/.installed

$(BIN)/python:
	@scripts/install-system-deps.sh python
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $@

## sysdeps: Debian packages the tests need (headless Chromium for the UI tests)
sysdeps:
	@scripts/install-system-deps.sh browser

## run: serve the demo web, crawl it into the embedded index, and serve the UI on :5000
run: install
	@mkdir -p data
	@$(BIN)/python -m demoweb serve --port $(DEMO_PORT) > data/demoweb.log 2>&1 & demo=$$!; \
	trap 'kill $$demo 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python scripts/wait_for_demo.py $(DEMO_PORT) || exit 1; \
	$(BIN)/python -m indexer.backends set-aside-stale || $(DEMO_CRAWL) $(BIN)/scrapy reextract; \
	$(DEMO_CRAWL) $(BIN)/scrapy crawlall || \
	  echo "warning: the crawl did not finish cleanly (see above); serving what was indexed"; \
	$(BIN)/python -m search_ui

## demo / crawl / serve: the three steps of `make run`, one at a time; `serve` is the production
## server (gunicorn, search_ui/gunicorn_conf.py: a worker per core, timeouts, security headers),
## where `make run` keeps Werkzeug's simple server for the demo
demo: install
	$(BIN)/python -m demoweb serve --port $(DEMO_PORT)
crawl: install
	$(DEMO_CRAWL) $(BIN)/scrapy crawlall
serve: install
	$(BIN)/gunicorn -c python:search_ui.gunicorn_conf

## test: install everything, lint and format check (ruff, pyproject.toml), then the whole suite
## (crawls the demo web, drives Chromium); under CI=true a skip for a missing dependency fails
test: install sysdeps lint
	$(BIN)/python -m pytest -q

## lint: ruff's checks and its formatter in check mode (`$(BIN)/ruff format .` applies it)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## es-test: start the Elasticsearch of docker-compose.yml (security on), run the backend contract
## suite against it (tests/indexer/backends with CDS_ES_URL set); `make es-test-down` stops it.
ES_TEST_PASSWORD ?= cds-es-test-only
ES_TEST_PORT ?= 9200
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
es-test: install
	ELASTIC_PASSWORD=$(ES_TEST_PASSWORD) CDS_ES_PORT=$(ES_TEST_PORT) $(COMPOSE) up -d elasticsearch
	CDS_ES_URL=http://elastic:$(ES_TEST_PASSWORD)@127.0.0.1:$(ES_TEST_PORT) $(BIN)/python scripts/wait_for_es.py
	CDS_ES_URL=http://elastic:$(ES_TEST_PASSWORD)@127.0.0.1:$(ES_TEST_PORT) $(BIN)/python -m pytest -q -rs tests/indexer/backends
es-test-down:
	ELASTIC_PASSWORD=$(ES_TEST_PASSWORD) $(COMPOSE) stop elasticsearch

## bench: every benchmark, each prints its figures
bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf data $(VENV)
