# Onestop: `make run` serves the demo centre, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
export ONESTOP_ENV ?= development

.PHONY: run test test-quick bench lint format db seed clean-db help translations compile-translations

help:
	@echo "make run    - serve the demo centre at http://127.0.0.1:$(PORT)/"
	@echo "make test   - install the test tools, run ruff, then the whole suite on SQLite and on PostgreSQL"
	@echo "make test-quick - the suite without the slow and browser tests (TEST_DATABASE=postgres for PostgreSQL)"
	@echo "make bench  - the load benchmark (bench/load.py; BENCH_ARGS=--postgres for PostgreSQL)"
	@echo "make translations - extract the msgids into translations/*/messages.po, then compile"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# The Korean and English catalogues: the .po files are the source, kept in git; the .mo files
# are built from them here (not committed), before anything serves or tests a page.
BABEL_KEYWORDS := -k lazy_gettext -k _l -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.run-deps
	$(VENV)/bin/pybabel compile --statistics -l $* -i $< -o $@

compile-translations: $(COMPILED)

translations: $(VENV)/.run-deps
	$(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) -c TRANSLATORS: \
		--no-location --sort-output --no-wrap -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations \
		--no-fuzzy-matching --ignore-obsolete --no-wrap
	$(PY) scripts/english_catalogue.py
	$(MAKE) --no-print-directory compile-translations

db: $(VENV)/.run-deps $(COMPILED)
	$(PY) -m flask --app wsgi init-db

seed: db
	$(PY) -m flask --app wsgi seed-demo --network

run: seed
	@echo
	@echo "  Onestop: http://127.0.0.1:$(PORT)/ (English: /?lang=en)"
	@echo "  staff sign-in: http://127.0.0.1:$(PORT)/auth/login"
	@echo "  (the logins were printed above when the demo centre was first made;"
	@echo "   'make clean-db run' starts over with new ones)"
	@echo
	SCHEDULER_IN_PROCESS=1 $(PY) -m flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.test-deps $(COMPILED)
	./scripts/ensure-system-packages.sh
	$(PY) -m ruff check .
	TEST_DATABASE=sqlite $(PY) -m pytest
	TEST_DATABASE=postgres $(PY) -m pytest

# A few seconds' check while working: no gunicorn, schedulers, Redis or Chromium.
test-quick: $(VENV)/.test-deps $(COMPILED)
	$(PY) -m pytest -m "not slow and not browser"

bench: $(VENV)/.test-deps $(COMPILED)
	./scripts/ensure-system-packages.sh --bench
	$(PY) bench/load.py $(BENCH_ARGS)

lint: $(VENV)/.test-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check app tests config.py wsgi.py

format: $(VENV)/.test-deps
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format app tests config.py wsgi.py

clean-db:
	rm -f instance/onestop.db instance/onestop.db-wal instance/onestop.db-shm instance/onestop.db.writers.lock
