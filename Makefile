# Two commands matter: `make demo` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install test-deps demo test lint ci bench clean pdf-libs

$(BIN)/opendoors: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/opendoors pdf-libs

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

# Transcripts are PDFs that WeasyPrint renders with Debian's Pango and HarfBuzz, in DejaVu
# (growth/transcript.py): installed with apt-get when any is missing, as Chromium is.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(PDF_LIBS) >/dev/null; }

test-deps: $(VENV)/.test-deps node_modules/.installed /usr/bin/chromium pdf-libs

# The demo runs in development mode (the settings default to production).
demo: export OPENDOORS_DEBUG = true
# The demo signs its credentials with a key made here once (never committed) unless one is set.
demo: export OPENDOORS_CREDENTIALS_KEY_FILE ?= $(CURDIR)/credentials-key.pem
demo: install
	$(BIN)/opendoors migrate --noinput -v0
	test -n "$$OPENDOORS_CREDENTIALS_KEY" || test -f "$$OPENDOORS_CREDENTIALS_KEY_FILE" || \
		$(BIN)/opendoors credentials-key -o "$$OPENDOORS_CREDENTIALS_KEY_FILE"
	$(BIN)/opendoors load_demo
	$(BIN)/opendoors recurring
	@echo "Starting the web server on http://$(HOST)/ and the task worker (Ctrl+C stops both)."
	trap 'kill 0' INT TERM EXIT; \
	$(BIN)/opendoors db_worker & \
	$(BIN)/opendoors runserver $(HOST)

# The site's JavaScript modules first (Node's own test runner, no packages), then pytest.
# Coverage is printed for every file not fully covered; access.py must be covered to the
# last branch (who may see what is tested exhaustively, once).
# The suite runs in as many processes as the machine has cores (pytest-xdist), handed out a
# test at a time in pytest-django's order, so each process runs the tests that flush the
# database after those that need the migrations' rows; coverage is combined across them.
TEST_PROCESSES ?= auto
test: test-deps
	node --test visits/tests/js/ teams/tests/js/
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist load --cov --cov-report=
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
bench: $(VENV)/.test-deps pdf-libs
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/scheduler_bench.py
	$(BIN)/python bench/scheduler_hard_bench.py
	$(BIN)/python bench/sync_bench.py
	$(BIN)/python bench/common_time_bench.py
	$(BIN)/python bench/transcript_bench.py
	$(BIN)/python bench/hours_ledger_bench.py
	$(BIN)/python bench/leaders_bench.py

clean:
	rm -rf $(VENV) node_modules staticfiles
