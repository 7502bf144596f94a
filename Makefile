# Two commands do all set-up on a fresh machine:
#   make serve   virtualenv + pinned dependencies, then a live preview on http://127.0.0.1:8000 (PORT=8001 for another)
#   make test    the same set-up plus browser dependencies and Zensical, then every test (browser tests included)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium
ZENSICAL_VENV := .venv-zensical
ZENSICAL := $(ZENSICAL_VENV)/.installed

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build offline accessibility test validate schema bench browser-deps chromium zensical clean

PORT ?= 8000

serve: $(INSTALLED)
	$(BIN)/kb serve --port $(PORT)

# ENGINE=zensical builds with Zensical instead of MkDocs (installed apart, below; README, "Engines").
ENGINE ?= mkdocs
build: $(INSTALLED) $(if $(filter zensical,$(ENGINE)),$(if $(KB_ZENSICAL),,$(ZENSICAL)))
	$(BIN)/kb build --engine $(ENGINE)

# A copy that works from a file share or a USB stick, opened from disk (file://), search included:
# links name each page's index.html. EDITION names an edition of `kb build --edition` (for example
# EDITION=public, the carers' edition of unrestricted content); without it, the full site.
OFFLINE ?= offline
offline: $(INSTALLED)
	KB_DIRECTORY_URLS=false $(BIN)/kb build --site-dir $(OFFLINE) $(if $(EDITION),--edition $(EDITION))
	@echo "Open $(OFFLINE)/index.html from disk, or copy the $(OFFLINE)/ folder to a share or USB stick."

# Measure accessibility again (axe, Nu Html Checker, keyboard journeys on every page) and rewrite
# docs/accessibility/results.yml, from which the accessibility statement is built.
accessibility: $(INSTALLED) browser-deps
	KB_WRITE_ACCESSIBILITY=1 $(BIN)/python -m pytest -q tests/test_accessibility.py
	$(MAKE) build

validate: $(INSTALLED)
	$(BIN)/kb validate

schema: $(INSTALLED)
	$(BIN)/kb schema

test: $(INSTALLED) browser-deps $(if $(KB_ZENSICAL),,$(ZENSICAL))
	$(BIN)/python -m pytest

# How build cost grows with the data (not a test: read the trend it prints). At the largest size it times
# search in Debian's Chromium, so it needs that too.
bench: $(INSTALLED) chromium
	$(BIN)/python bench/run.py

# The virtualenv, rebuilt whenever the dependency pins change.
$(INSTALLED): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed: set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || { echo "Setting up: creating the virtualenv $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Setting up: installing the pinned dependencies into $(VENV) (the first time takes a minute or two) ..."
	@$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@echo "Setting up: done"
	@touch $@

# Zensical, the successor of Material for MkDocs, in an environment of its own: it is not a dependency of the
# project, and `kb build --engine zensical` needs only its program (KB_ZENSICAL=/path/to/zensical uses another).
# Pinned in requirements-zensical.txt; rebuilt when the pins change.
zensical: $(ZENSICAL)

$(ZENSICAL): requirements-zensical.txt
	@test -x $(ZENSICAL_VENV)/bin/python || { echo "Setting up: creating $(ZENSICAL_VENV) for Zensical with $(PYTHON)"; $(PYTHON) -m venv $(ZENSICAL_VENV); }
	@echo "Setting up: installing Zensical (requirements-zensical.txt) into $(ZENSICAL_VENV) ..."
	@$(ZENSICAL_VENV)/bin/python -m pip install --quiet -r requirements-zensical.txt
	@touch $@

# What the browser tests need: axe-core, the Nu Html Checker (vnu-jar, on Java) and the search engine's
# packages from npm (package-lock.json), and Debian's Chromium (never a downloaded browser).
browser-deps: $(AXE) chromium
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Java runtime for the Nu Html Checker"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "The HTML validity tests need Java (the Nu Html Checker). Install it with:" >&2; \
	    echo "    sudo apt-get install default-jre-headless" >&2; \
	    exit 1; \
	  fi; \
	fi

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests and the benchmark's search timing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests and the benchmark need Debian's chromium at $(CHROMIUM). Install it with:" >&2; \
	    echo "    sudo apt-get install chromium" >&2; \
	    echo "then run make again. (Browser tests are never skipped.)" >&2; \
	    exit 1; \
	  fi; \
	fi

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for axe-core: sudo apt-get install npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf site site.* offline offline.* .pytest_cache
