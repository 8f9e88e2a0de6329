# The README's two commands are `make serve` and `make test`; everything else is a part of them.
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup serve build test check bench chromium clean

# Python side: a project-local venv with the package (editable) and its dev extras.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# Browser side: Pyodide and tablesort, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) node_modules/.installed

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

check: $(STAMP)
	$(BIN)/pricebook check $(if $(DATA),--data '$(DATA)')

# Each build writes into its own private folder (mktemp -d next to SITE_DIR, removed whatever
# happens) and hooks/sitegen/publish.py swaps it in only when it is complete (index, every page of
# the sitemap, the exports), under a lock on SITE_DIR's folder: a failed build leaves the previous
# site/ exactly as it was, and overlapping builds never publish a half tree.
# `make build DATA=dir SITE_DIR=dir` builds another data folder (PRICEBOOK_DATA) into another folder.
SITE_DIR ?= site
DATA ?=
build: setup
	@tmp=$$(mktemp -d '$(SITE_DIR).tmp.XXXXXX' 2>/dev/null) \
	  || { echo "pricebook: cannot create a build folder next to $(SITE_DIR): is its folder there and writable?" >&2; exit 1; }; \
	trap 'rm -rf "$$tmp"' EXIT INT TERM; \
	$(if $(DATA),PRICEBOOK_DATA='$(abspath $(DATA))' )$(BIN)/mkdocs build --strict --site-dir "$$tmp" \
	  && $(BIN)/python -m hooks.sitegen.publish "$$tmp" '$(SITE_DIR)'

serve: build
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload

test: setup chromium
	$(BIN)/python -m pytest -q

bench: setup chromium
	$(BIN)/python bench/run.py

clean:
	rm -rf site site.tmp.* site.old.* .pytest_cache
