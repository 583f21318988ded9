# Every target works from a fresh clone: it creates .venv and installs mocksnap first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: install system-deps run test lint format bench-deps bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("mocksnap needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mocksnap serve $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint docker/Dockerfile

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The end-to-end tests run the README's curl commands, make a TLS certificate with openssl, and drive Debian's
# chromium through Playwright (never `playwright install`, which downloads a browser of its own).
system-deps:
	@command -v curl >/dev/null && command -v openssl >/dev/null && command -v chromium >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends curl openssl chromium; }

# Two workers, one per core: each has its own session server (the pytest plugin starts one per worker).
test: lint system-deps
	$(BIN)/python -m pytest -n 2 $(ARGS)

# benchmarks/availability_rps.py drives the servers with wrk and compares with WireMock (a Java runtime, and the
# jar of npm's `wiremock` package under .bench/).
bench-deps:
	@command -v wrk >/dev/null && command -v java >/dev/null && command -v npm >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq wrk default-jre-headless npm; }
	@[ -f .bench/node_modules/wiremock/package.json ] || \
		npm install --silent --prefix .bench --no-save --no-audit --no-fund wiremock

bench: $(STAMP) bench-deps
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
