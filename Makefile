# The two commands of the README: `make demo` and `make test`.
# Each creates .venv if it is missing and installs the project into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast install lint typecheck pytest docs serve clean bench bench-quick \
	screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'

demo: install
	$(BIN)/cybertimeline validate
	@echo
	$(BIN)/cybertimeline position CAN --as-of 2014-12-31
	@echo
	$(BIN)/cybertimeline position CAN --as-of 2016-01-01
	@echo
	$(BIN)/cybertimeline changelog CAN --since 2014 --until 2016
	@echo
	$(BIN)/cybertimeline position AHC --as-of 2022-12-31 --known-at 2021-12-01

# ruff, and the layers contract of pyproject.toml ([tool.importlinter]): layers only look down.
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache

# mypy --strict on src/, tests/ and bench/ (pyproject.toml: [tool.mypy]).
typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

# The documentation site (mkdocs.yml), into site/; strict: a warning or broken link fails
# (not --quiet: it hides the warnings from --strict, which then passes).
# docs/hooks.py draws the pictures of the bundled dataset afresh at every build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The site, served at http://127.0.0.1:8000 and rebuilt on every change (site/ also works
# opened from disk: its links name files, use_directory_urls: false).
serve: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

test: lint typecheck docs pytest

# The notebook pictures of docs/notebook.md: the browser test's screenshots, kept
# (needs Debian's chromium and chromium-driver, as the test says).
screenshots: install
	CYBERTIMELINE_SCREENSHOTS=docs/pictures $(BIN)/pytest -q tests/test_notebook.py

# The quick loop while changing code: lint, types, and the tests but the slow ones, with fewer
# Hypothesis examples (under a minute here); `make test` runs everything.
test-fast: lint typecheck
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -q -m "not slow"

# The side-by-side benchmark (bench/README.md): the full corpus (bench/results/latest.json),
# or a tenth of it (bench/results/quick.json). Each first checks answers against full replays.
bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python -m bench.check_equivalence
	$(BIN)/python -m bench.run

bench-quick: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python -m bench.check_equivalence --queries 100
	$(BIN)/python -m bench.run --quick --out bench/results/quick.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
