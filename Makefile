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
	$(BIN)/kg extract data/ --format json > records.jsonl
	@echo "records written to records.jsonl"

# Install everything the tests need, then run them all.
test: setup-test
	$(BIN)/python -m pytest -n 2 -q
