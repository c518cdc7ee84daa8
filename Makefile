# The two commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# pytest-xdist processes for `make test` (each with its own database and var/test/<worker>).
TEST_WORKERS ?= 2

.PHONY: run test install lint format migrate seed clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Huddle needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing dependencies into $(VENV) (first run, or pyproject.toml changed: about a minute)..."
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Local development on the embedded defaults: SQLite, Whoosh and a filesystem queue in var/.
# Web server, the two workers (general, and the single search-index writer) and beat share this
# shell's process group, so Ctrl-C, a SIGTERM to make or to the group, or the end of any one of
# them stops them all (make passes a SIGTERM on to the shell; bash for `wait -n`). The workers
# run tasks in threads (solo: in the one process), not in prefork children: a SIGTERM to the
# group killed those children under a worker in its warm shutdown, which then hung, orphaned.
# Heartbeat, gossip and mingle are off: one machine has no peers to exchange them with.
CELERY_DEV := --loglevel=INFO --without-heartbeat --without-gossip --without-mingle
run: export DEBUG ?= true
# Sweep reminders every minute locally, so the demo's onboarding reminders show up soon.
run: export REMINDER_SWEEP_SECONDS ?= 60
# Links in emails point at this server, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: SHELL := /bin/bash
run:
	@echo "[1/4] Checking dependencies (the first run installs them: about a minute)..."
	@$(MAKE) --no-print-directory install
	@echo "[2/4] Updating the database..."
	$(BIN)/python manage.py migrate --noinput
	@echo "[3/4] Seeding the demo organisation..."
	$(BIN)/python manage.py seed_demo
	@echo "[4/4] Building the search index..."
	$(BIN)/python manage.py rebuild_index --quiet
	@echo "Huddle is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops web, workers and beat)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker $(CELERY_DEV) --queues=celery --pool=threads --concurrency=2 & \
	$(BIN)/celery -A config worker $(CELERY_DEV) --queues=search-index --pool=solo \
		--hostname=search-index@%h & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) & \
	wait -n  # returns when any one ends; and a shell runs a trap only between commands

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/test .pytest_cache .ruff_cache
