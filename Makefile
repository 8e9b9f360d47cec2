# Onward: `make run` installs and serves the platform with demo data; `make test` installs and tests it.
# Needs only Python 3.11+ and Node.js. Everything installs into .venv and node_modules.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The address links in text messages and letters point at (set it to the address people reach you by).
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
# The demo runs as production does (no debug pages, compressed static files); DEBUG=true is for developers.
DEBUG ?= false
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint typecheck pytest bench messages clean

install: $(VENV)/.installed build/static/govuk/.built
	@$(BIN)/python scripts/compile_messages.py

$(VENV)/.installed: requirements.txt requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/static/govuk/.built: node_modules/.installed scripts/build-assets.mjs assets/govuk.scss
	node scripts/build-assets.mjs
	@touch $@

RUN_ENV = DEBUG=$(DEBUG) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py serve --port $(PORT)

test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# Security lint: no finding of high severity (medium and low are for review, not for failing the build).
	$(BIN)/bandit -r onward config scripts --severity-level high --quiet
	$(BIN)/python scripts/extract_messages.py --check

typecheck: install
	$(BIN)/mypy onward config

pytest: install
	@bash scripts/ensure-chromium.sh
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

messages: install
	$(BIN)/python scripts/extract_messages.py
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) node_modules build var
