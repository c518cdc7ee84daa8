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
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Local development on the embedded defaults: SQLite, Whoosh and a filesystem queue in var/.
# Web server, the two workers (general, and the single search-index writer) and beat share this
# shell's process group, so Ctrl-C (or the end of any one of them) stops them all.
run: export DEBUG ?= true
# Sweep reminders every minute locally, so the demo's onboarding reminders show up soon.
run: export REMINDER_SWEEP_SECONDS ?= 60
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rebuild_index --quiet
	@echo "Huddle is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops web, workers and beat)"
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 --queues=celery & \
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=1 --queues=search-index \
		--hostname=search-index@%h & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/test .pytest_cache .ruff_cache
