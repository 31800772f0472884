# The two commands of the README: `make demo` and `make test`.
# Each creates .venv if it is missing and installs into it what it needs first; a stamp
# file in .venv skips pip while pyproject.toml is unchanged.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: demo test test-fast slow-list install lint typecheck pytest docs serve clean bench bench-quick \
	bench-real bench-real-analysis screenshots

# Without pip, which takes longer to set up than the demo takes to install: the demo installs
# with the pip that runs make (pip --python); the dev install brings pip into .venv.
$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)

$(BIN)/pip: | $(BIN)/python
	$(BIN)/python -m ensurepip --default-pip >/dev/null

# The demo needs the library and its command alone, not the dev and docs extras.
$(VENV)/demo.stamp: pyproject.toml | $(BIN)/python
	$(PYTHON) -m pip --python $(BIN)/python install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/dev.stamp: pyproject.toml | $(BIN)/pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,docs]'
	touch $@ $(VENV)/demo.stamp

install: $(VENV)/dev.stamp

# What it prints: README.md, "The two commands".
demo: $(VENV)/demo.stamp
	@$(BIN)/cybertimeline validate
	@echo
	@$(BIN)/cybertimeline position CAN --as-of 2014-12-31
	@echo
	@$(BIN)/cybertimeline position CAN --as-of 2016-01-01
	@echo
	@$(BIN)/cybertimeline changelog CAN --since 2014 --until 2016
	@echo
	@$(BIN)/cybertimeline position AHC --as-of 2022-12-31 --known-at 2021-12-01

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

# The notebook pictures of docs/notebook.md and the site pictures of docs/site.md: the browser
# tests' screenshots, kept
# (needs Debian's chromium and chromium-driver, as the test says).
screenshots: install
	CYBERTIMELINE_SCREENSHOTS=docs/pictures $(BIN)/pytest -q tests/test_notebook.py \
		tests/test_dataset_site_browser.py

# The dataset as a static website (cybertimeline site), into build/dataset-site/: open
# build/dataset-site/index.html from disk (docs/site.md).
.PHONY: site
site: $(VENV)/demo.stamp
	$(BIN)/cybertimeline site build/dataset-site

# The quick loop while changing code: lint, types, and the tests but the slow ones, with fewer
# Hypothesis examples (tests/conftest.py: the fast profile); under a minute on 2 idle cores.
# `make test` runs everything, as CI does (.ci/run).
test-fast: lint typecheck
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -q -m "not slow"

# Adds to tests/slow_tests.txt the tests of the fast run that take 0.2 s or more here.
slow-list: install
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -q -m "not slow" -p no:randomly --durations=0 \
		--durations-min=0.05 > .slow-durations.log || true
	$(BIN)/python -m tests.slow_list .slow-durations.log

# The side-by-side benchmark (bench/README.md): the full corpus (bench/results/latest.json),
# or a tenth of it (bench/results/quick.json). Each first checks answers against full replays.
bench: $(BIN)/pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,bench]'
	$(BIN)/python -m bench.check_equivalence
	$(BIN)/python -m bench.run

bench-quick: $(BIN)/pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,bench]'
	$(BIN)/python -m bench.check_equivalence --queries 100
	$(BIN)/python -m bench.run --quick --out bench/results/quick.json

# The real-data benchmark (bench/real.py): the whole UN roll-call record imported and queried,
# into bench/results/real.json. It needs the record (tests/real_data.py says where it is
# looked for); without it, it says so and stops.
bench-real: $(BIN)/pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,bench]'
	$(BIN)/python -m bench.real

# Agreement of every pair of the EU's members and text search on the whole record, against
# their targets (2 s, 200 ms) and pandas, into bench/results/real_analysis.json.
bench-real-analysis: $(BIN)/pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev,bench]'
	$(BIN)/python -m bench.real_analysis

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
