# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11+ is needed.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
HOST ?= 127.0.0.1
APP_ENV ?= development
# Links in mails and calendars point at the port actually served.
BASE_URL ?= http://$(HOST):$(PORT)

BIN := $(VENV)/bin
export FLASK_APP := app
export APP_ENV
export BASE_URL

.PHONY: run test install install-test translations compile-translations migrate lint clean

run: install compile-translations migrate
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-test compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changed since the last install (stamp files).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Babel keywords: _, gettext and ngettext are Babel's defaults; the rest are ours.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

# After changing texts: collect them into the template and merge it into each catalogue.
# Then translate the new entries in app/translations/<lang>/LC_MESSAGES/messages.po.
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		--project "Start Smart" -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations \
		--no-fuzzy-matching --ignore-obsolete
	$(MAKE) --no-print-directory compile-translations

# The .mo files are built, not committed: run and test compile them first.
compile-translations:
	@if find app/translations -name '*.po' 2>/dev/null | grep -q .; then \
		$(BIN)/pybabel -q compile -d app/translations; \
	fi

migrate:
	$(BIN)/flask db upgrade

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
