# paperfeed's tasks. `make site` and `make test` are the quick start; both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PF := $(BIN)/paperfeed
DEMO_DATA := .demo/data
SCREENSHOTS ?= build/screenshots

.PHONY: help site serve test test-fast lint typecheck format golden robustness bench bench-for-you bench-full bench-year bench-budget update commit-data check publish deploy-check zizmor nightly like close-like-issue lock clean

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

test-fast: $(STAMP) ## the quick loop while coding: every test but the slow and browser ones (under a minute)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(STAMP) ## ruff check, format check and the strict type check
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy --strict generator

typecheck: $(STAMP) ## mypy --strict over generator/
	$(BIN)/mypy --strict generator

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix generator tests benchmarks
	$(BIN)/ruff format generator tests benchmarks

bench: $(STAMP) ## benchmark 1,000 and 10,000 synthetic papers, and For you; writes docs/benchmarks.md
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.for_you

bench-for-you: $(STAMP) ## For you alone: ranking quality on labelled abstracts, a night's model work at 100,000 papers
	$(BIN)/python -m benchmarks.for_you

bench-full: $(STAMP) ## also 100,000 papers (about 20 minutes on 2 cores; baseline at 100k: BENCH_ARGS=--baseline-full)
	$(BIN)/python -m benchmarks.run --full $(BENCH_ARGS)

bench-year: $(STAMP) ## a simulated year: 365 nightly updates and commits in a scratch git repository (about half an hour)
	$(BIN)/python -m benchmarks.year $(YEAR_ARGS)

bench-budget: $(STAMP) ## 20,000 synthetic papers under a 120 MB site budget: fits, every URL kept; writes docs/benchmarks.md
	$(BIN)/python -m benchmarks.budget $(BUDGET_ARGS)

golden: $(STAMP) ## regenerate the golden page and feed under tests/golden/ and the sources' expected papers (review the diff!)
	$(BIN)/python tests/golden.py
	$(BIN)/python tests/source_cases.py

robustness: $(STAMP) ## run the hostile-input corpus (tests/hostile/) through the pipeline; rewrites docs/robustness.md
	PYTHONPATH=tests $(BIN)/python -m hostile --write-doc

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

like: $(RUNTIME) ## the like workflow's step: add the paper an issue title names ($$ISSUE_TITLE) to the likes file and commit it
	$(PF) like --issue-title "$$ISSUE_TITLE" --commit

close-like-issue: ## the like workflow's last step: close issue $$ISSUE with a comment (needs gh and GH_TOKEN)
	gh issue close "$$ISSUE" --repo "$$GITHUB_REPOSITORY" --comment "Added to the likes file; the next nightly ranks new papers with it."

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

# The lock holds exactly what pyproject.toml declares (runtime and test) and what that needs,
# resolved once for every Python from 3.11 on (with markers where versions differ). It keeps
# the versions it has unless pyproject.toml needs others; LOCK_ARGS=--upgrade takes the newest
# allowed. It needs only uv, not the whole environment: a raised pin may not install from
# the old lock.
lock: ## resolve requirements-lock.txt from pyproject.toml (LOCK_ARGS=--upgrade for the newest)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt uv
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--custom-compile-command "make lock" --quiet --output-file requirements-lock.txt $(LOCK_ARGS)
