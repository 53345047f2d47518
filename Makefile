# Two commands do everything: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate demo serve serve-production bench clean

run: install migrate demo serve

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo_town

# The web server and, beside it, the task worker that sends the e-mails of the outbox;
# Ctrl-C stops both.
serve:
	@echo "Le marché de démonstration : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	@echo "Ses deux villes : http://val-sur-ouche.localhost:$(PORT)/ et http://saint-jean.localhost:$(PORT)/"
	$(PY) manage.py requeue_outbox
	$(PY) manage.py db_worker --interval 1 --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: migrations, cache table, collectstatic, the task worker and gunicorn
# (gunicorn.conf.py) under townmarket.settings.production; settings from the
# environment (README, "Deploy"). RUN_WORKER=0 when the worker runs elsewhere.
serve-production: install
	PY=$(PY) site/deploy/serve_production.sh

# Every test: unit, integration, query counts, browser (Chromium), and, when
# DATABASE_URL points at PostgreSQL, the parallel-checkout tests.
test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-test
	$(PY) tests/bench/run_bench.py

clean:
	rm -rf $(VENV) db.sqlite3* test_db.sqlite3* static_collected media/images media/original_images
