# The two commands of the README. Both work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test

$(BIN)/python:
	$(shell command -v $(PYTHON) || echo python3) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install -q -e .

setup-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	bash .ci/system-deps

# Build the graph of the embedded corpus and write the comparison report.
run: setup
	$(BIN)/kg build --store policykg.store
	$(BIN)/kg report --store policykg.store --out out/report.html
	$(BIN)/kg viz --store policykg.store --out out/graph.html
	@echo
	@echo "Open the comparison report:  file://$(CURDIR)/out/report.html"
	@echo "Open the interactive graph:  file://$(CURDIR)/out/graph.html"
	@echo "Query the graph:             $(BIN)/kg query --list"

# Install everything the tests need, then run them all.
test: setup-test
	$(BIN)/python -m pytest -n 2 -q --durations=15
