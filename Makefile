# paperfeed's tasks. `make site` and `make test` are the quick start; both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PF := $(BIN)/paperfeed
DEMO_DATA := .demo/data
SCREENSHOTS ?= build/screenshots

.PHONY: help site serve test lint format golden bench bench-full update nightly lock clean

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
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

golden: $(STAMP) ## regenerate the golden page and feed under tests/golden/ (review the diff!)
	$(BIN)/python tests/golden.py

nightly: $(STAMP) ## what the nightly workflow runs, minus the push and the deploy
	$(PF) run

clean: ## remove build output and the demo archive (never data/)
	rm -rf site site.building site.old .demo build

lock: $(STAMP) ## rewrite requirements.lock from the current .venv
	{ head -2 requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^paperfeed'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
