# Two commands do all set-up on a fresh machine:
#   make serve   virtualenv + pinned dependencies, then a live preview on http://127.0.0.1:8000 (PORT=8001 for another)
#   make test    the same set-up plus browser dependencies, then every test (browser tests included)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test validate schema bench browser-deps clean

PORT ?= 8000

serve: $(INSTALLED)
	$(BIN)/kb serve --port $(PORT)

build: $(INSTALLED)
	$(BIN)/kb build

validate: $(INSTALLED)
	$(BIN)/kb validate

schema: $(INSTALLED)
	$(BIN)/kb schema

test: $(INSTALLED) browser-deps
	$(BIN)/python -m pytest

# How build cost grows with the data (not a test: read the trend it prints).
bench: $(INSTALLED)
	$(BIN)/python bench/run.py

# The virtualenv, rebuilt whenever the dependency pins change.
$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed: set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || { echo "Setting up: creating the virtualenv $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Setting up: installing the pinned dependencies into $(VENV) (the first time takes a minute or two) ..."
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@echo "Setting up: done"
	@touch $@

# What the browser tests need: axe-core from npm, and Debian's Chromium (never a downloaded browser).
browser-deps: $(AXE)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM). Install it with:" >&2; \
	    echo "    sudo apt-get install chromium" >&2; \
	    echo "then run make test again. (Browser tests are never skipped.)" >&2; \
	    exit 1; \
	  fi; \
	fi

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for axe-core: sudo apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf site site.* .pytest_cache
