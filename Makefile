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

# Build into a temporary folder and swap it in only when the build succeeded:
# a failed build leaves the previous site/ exactly as it was (its half-written copy is removed).
# `make build DATA=dir SITE_DIR=dir` builds another data folder (PRICEBOOK_DATA) into another folder.
SITE_DIR ?= site
DATA ?=
build: setup
	rm -rf '$(SITE_DIR).tmp'
	$(if $(DATA),PRICEBOOK_DATA='$(abspath $(DATA))' )$(BIN)/mkdocs build --strict --site-dir '$(SITE_DIR).tmp' \
	  || { rm -rf '$(SITE_DIR).tmp'; exit 1; }
	rm -rf '$(SITE_DIR).old'; [ ! -d '$(SITE_DIR)' ] || mv '$(SITE_DIR)' '$(SITE_DIR).old'; \
	  mv '$(SITE_DIR).tmp' '$(SITE_DIR)'; rm -rf '$(SITE_DIR).old'

serve: build
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload

test: setup chromium
	$(BIN)/python -m pytest -q

bench: setup chromium
	$(BIN)/python bench/run.py

clean:
	rm -rf site site.tmp site.old .pytest_cache
