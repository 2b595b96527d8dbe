# Two commands matter: `make demo` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install test-deps demo test lint ci bench clean

$(BIN)/opendoors: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/opendoors

$(VENV)/.test-deps: requirements-test.txt $(BIN)/opendoors
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium: browsers cannot be downloaded by Playwright here.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

test-deps: $(VENV)/.test-deps node_modules/.installed /usr/bin/chromium

# The demo runs in development mode (the settings default to production).
demo: export OPENDOORS_DEBUG = true
demo: install
	$(BIN)/opendoors migrate --noinput -v0
	$(BIN)/opendoors load_demo
	@echo "Starting the web server on http://$(HOST)/ and the task worker (Ctrl+C stops both)."
	trap 'kill 0' INT TERM EXIT; \
	$(BIN)/opendoors db_worker & \
	$(BIN)/opendoors runserver $(HOST)

# The site's JavaScript modules first (Node's own test runner, no packages), then pytest.
# Coverage is printed for every file not fully covered; access.py must be covered to the
# last branch (who may see what is tested exhaustively, once).
test: test-deps
	node --test visits/tests/js/
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report
	$(BIN)/coverage report --include=opendoors/access.py --fail-under=100 >/dev/null || \
		{ $(BIN)/coverage report --include=opendoors/access.py; echo "opendoors/access.py must be covered to the last branch"; exit 1; }

lint: export OPENDOORS_DEBUG = true
lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/opendoors makemigrations --check --dry-run

ci: lint test

# Benchmarks print ratios against a baseline measured in the same run (bench/README.md).
bench: $(VENV)/.test-deps
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/scheduler_bench.py
	$(BIN)/python bench/sync_bench.py

clean:
	rm -rf $(VENV) node_modules staticfiles
