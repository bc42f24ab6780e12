# Curb Appeal: `make run` sets up and starts the game; `make test` sets up and runs every check;
# `make check` is the fast inner loop.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
VENDOR := static/vendor
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check setup browser services lint typecheck jscheck pytest bench clean

run: setup
	$(PY) -m game serve

test: setup browser services lint typecheck jscheck pytest

# The fast inner loop: lint, types and every test that needs no browser and no real server (under a minute).
check: setup lint typecheck jscheck
	$(VENV)/bin/pytest -q -m "not slow and not browser"

setup: $(STAMP) $(VENDOR)/.copied

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Third-party browser code comes from the npm registry through the lock file and is
# served by our own server from static/vendor (never from a CDN at run time).
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(VENDOR)/.copied: $(NPM_STAMP) Makefile
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $(VENDOR)/socket.io.esm.min.js
	cp node_modules/uplot/dist/uPlot.esm.js $(VENDOR)/uPlot.esm.js
	cp node_modules/uplot/dist/uPlot.min.css $(VENDOR)/uPlot.min.css
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js
	# Declarations beside them, so tsc (make jscheck) types the libraries by their own packages' types
	printf 'export * from "socket.io-client";\n' > $(VENDOR)/socket.io.esm.min.d.ts
	printf 'import uPlot from "uplot";\nexport default uPlot;\n' > $(VENDOR)/uPlot.esm.d.ts
	touch $(VENDOR)/.copied

# Browser tests drive Debian's Chromium; install it once if this machine lacks it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium fonts-dejavu-core fonts-liberation >/dev/null; }

# The scale-out tests start their own redis-server and nginx on loopback (tests/scaleout);
# install Debian's when this machine lacks them. Nothing is started or enabled here.
services:
	@{ command -v redis-server && { command -v nginx || test -x /usr/sbin/nginx; }; } >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			redis-server nginx >/dev/null; }

lint: setup
	$(VENV)/bin/ruff check game tests bench
	$(VENV)/bin/ruff format --check game tests bench

typecheck: setup
	$(VENV)/bin/mypy   # game, tests and bench (pyproject.toml)

# The browser modules, type-checked by TypeScript from the npm lock file (jsconfig.json; nothing emitted).
jscheck: setup
	node_modules/.bin/tsc -p jsconfig.json

pytest: setup
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) bench/balance_speed.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
