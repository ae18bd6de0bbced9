# paperfeed's tasks. `make site` and `make test` are the quick start; both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PF := $(BIN)/paperfeed
DEMO_DATA := .demo/data
SCREENSHOTS ?= build/screenshots

.PHONY: help site serve test lint format golden robustness bench bench-full bench-budget update commit-data check publish deploy-check zizmor nightly lock clean

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -e '.[test]'
	touch $(STAMP)

site: $(STAMP) ## build the demo site from examples/sample-listing.txt into site/ (its archive stays in .demo/)
	$(PF) run --listing examples/sample-listing.txt --data $(DEMO_DATA)
	@echo "Open site/index.html, or run: make serve"

serve: $(STAMP) ## serve site/ on http://127.0.0.1:8000/
	$(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

test: $(STAMP) ## lint, then every test (browser tests need /usr/bin/chromium; .ci/run installs it)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	SCREENSHOTS=$(abspath $(SCREENSHOTS)) $(BIN)/python -m pytest -q
	@echo "Screenshots: $(SCREENSHOTS)"

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix generator tests benchmarks
	$(BIN)/ruff format generator tests benchmarks

bench: $(STAMP) ## benchmark 1,000 and 10,000 synthetic papers; writes docs/benchmarks.md
	$(BIN)/python -m benchmarks.run

bench-full: $(STAMP) ## also 100,000 papers (about 20 minutes on 2 cores; baseline at 100k: BENCH_ARGS=--baseline-full)
	$(BIN)/python -m benchmarks.run --full $(BENCH_ARGS)

bench-budget: $(STAMP) ## 20,000 synthetic papers under a 120 MB site budget: fits, every URL kept; writes docs/benchmarks.md
	$(BIN)/python -m benchmarks.budget $(BUDGET_ARGS)

golden: $(STAMP) ## regenerate the golden page and feed under tests/golden/ (review the diff!)
	$(BIN)/python tests/golden.py

robustness: $(STAMP) ## run the hostile-input corpus through the pipeline; rewrites docs/robustness.md
	$(BIN)/python tests/hostile.py --write-doc

# -- the nightly workflow's steps (.github/workflows/nightly.yml runs these same targets) --
# They need only paperfeed's runtime dependencies, installed from requirements-lock.txt. Passing
# RUNTIME= skips that install (the tests do, to run against an existing environment).
RUNTIME := $(VENV)/.runtime

$(RUNTIME): pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -e .
	touch $(RUNTIME)

update: $(RUNTIME) ## fetch the configured listings and merge them into data/
	$(PF) update

commit-data: $(RUNTIME) ## commit data/ (and nothing else) if it changed, saying what arrived
	$(PF) commit-data

check: $(RUNTIME) ## check every feed in the built site/
	$(PF) check

publish: $(RUNTIME) ## render docs/, build site/, check its feeds, write site/build-stamp.txt
	$(PF) render
	$(PF) build
	$(PF) check
	$(PF) stamp

deploy-check: $(RUNTIME) ## compare site/ with the deployed site at PAPERFEED_SITE_URL: deploy=true or false
	$(PF) stamp --live "$$PAPERFEED_SITE_URL"

zizmor: $(STAMP) ## audit the GitHub workflows with zizmor (offline; with GH_TOKEN set, online audits too)
	$(BIN)/zizmor $(if $(GH_TOKEN),,--offline) .github

nightly: ## what the nightly workflow runs, minus the push and the deploy
	$(MAKE) --no-print-directory update
	$(MAKE) --no-print-directory commit-data
	$(MAKE) --no-print-directory publish

clean: ## remove build output and the demo archive (never data/)
	rm -rf site site.building site.old .demo build

lock: $(STAMP) ## rewrite requirements-lock.txt from the current .venv
	{ head -2 requirements-lock.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^paperfeed'; } > requirements-lock.new
	mv requirements-lock.new requirements-lock.txt
