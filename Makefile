# FN-DAM Explorer: `make serve` serves the app, `make test` runs every test (README).
# Each target sets up what it needs: a virtual environment in .venv with the project installed
# (editable, with the test extra) and, for the browser tests, Debian's Chromium.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 5006

.PHONY: serve test chromium nginx redis jemalloc lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (never `playwright install`: it downloads a browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# `fndam-explorer serve --workers N` puts Debian's nginx in front of its app servers; it runs nginx from
# a generated configuration of its own, so the system's nginx service is not needed: it is stopped and
# disabled when this target installed it.
nginx:
	@test -x /usr/sbin/nginx || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light; \
	  { $$SUDO systemctl disable --now nginx || $$SUDO service nginx stop; } >/dev/null 2>&1 || true; }

# The Redis class store's tests (tests/test_classroom_store.py) and benchmark start Debian's redis-server
# on a loopback port of their own, saving nothing; the system's Redis service is not needed: it is stopped
# and disabled when this target installed it.
redis:
	@test -x /usr/bin/redis-server || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; \
	  { $$SUDO systemctl disable --now redis-server || $$SUDO service redis-server stop; } >/dev/null 2>&1 || true; }

# The app servers run every Python object through Debian's jemalloc (dashboard/allocator.py): with
# Python's own allocator a server's memory grows ~20 % over its first ~500 pages.
jemalloc:
	@/sbin/ldconfig -p | grep -q libjemalloc.so.2 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libjemalloc2; }

serve: $(STAMP) jemalloc
	$(BIN)/fndam-explorer serve --port $(PORT)

test: $(STAMP) chromium nginx redis jemalloc
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP) redis
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done
