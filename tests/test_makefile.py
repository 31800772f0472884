"""The Makefile's installs: `make demo` installs the library alone, and pip runs only when
pyproject.toml is newer than the install's stamp (checked with `make -n`, which only prints)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import slow_list
from tests.conftest import cap_examples

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The Makefile and pyproject.toml beside a .venv that holds a Python (a stand-in)."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n", encoding="utf-8")
    python.chmod(0o755)
    return tmp_path


def _dry_run(folder: Path, target: str) -> str:
    done = subprocess.run(["make", "-n", target], cwd=folder, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout


def _age(path: Path, seconds: int) -> None:
    """Make ``path`` look ``seconds`` old."""
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_the_demo_installs_the_library_alone_once(checkout: Path) -> None:
    """A first `make demo` installs `-e .` without extras; a second, with pyproject.toml
    unchanged, runs no pip; after pyproject.toml changes it installs again."""
    first = _dry_run(checkout, "demo")
    installs = [line for line in first.splitlines() if " install " in line]
    assert len(installs) == 1
    assert installs[0].rstrip().endswith("-e .")
    assert "cybertimeline validate" in first
    (checkout / ".venv" / "demo.stamp").touch()
    _age(checkout / "pyproject.toml", 60)
    again = _dry_run(checkout, "demo")
    assert "pip" not in again
    assert "cybertimeline validate" in again
    (checkout / "pyproject.toml").touch()
    _age(checkout / ".venv" / "demo.stamp", 60)
    assert " install " in _dry_run(checkout, "demo")


def test_a_current_dev_install_serves_the_demo_too(checkout: Path) -> None:
    """After `make install` (the dev and docs extras), neither `make install` nor `make demo`
    runs pip until pyproject.toml changes."""
    assert "'.[dev,docs]'" in _dry_run(checkout, "install")
    for stamp in ("dev.stamp", "demo.stamp"):
        (checkout / ".venv" / stamp).touch()
    (checkout / ".venv" / "bin" / "pip").touch()
    _age(checkout / "pyproject.toml", 60)
    assert "pip" not in _dry_run(checkout, "install")
    assert "pip" not in _dry_run(checkout, "demo")


def test_the_fast_loop_leaves_out_the_slow_tests_and_make_test_runs_them(
        checkout: Path) -> None:
    """`make test-fast` runs the tests but the slow ones, in the fast Hypothesis profile;
    `make test` (what CI runs, .ci/run) runs pytest without a marker filter, in the default
    (ci) profile."""
    fast = [line for line in _dry_run(checkout, "test-fast").splitlines() if "bin/pytest" in line]
    assert len(fast) == 1
    assert "HYPOTHESIS_PROFILE=fast" in fast[0]
    assert '-m "not slow"' in fast[0]
    (checkout / "mkdocs.yml").write_text("", encoding="utf-8")
    full = [line for line in _dry_run(checkout, "test").splitlines() if "bin/pytest" in line]
    assert len(full) == 1
    assert "-m" not in full[0].split()
    assert "HYPOTHESIS" not in full[0]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_the_fast_profile_caps_a_test_that_asks_for_more_examples() -> None:
    """`cap_examples` (applied to every Hypothesis test in the fast profile) holds a test
    that sets its own ``max_examples`` to the cap; a test below the cap keeps its own."""
    runs: list[int] = []

    @settings(max_examples=40, database=None)
    @given(st.integers())
    def asks_forty(number: int) -> None:
        runs.append(number)

    asks_forty()
    assert len(runs) == 40
    runs.clear()
    cap_examples(asks_forty, 5)
    asks_forty()
    assert 1 <= len(runs) <= 5
    runs.clear()
    cap_examples(asks_forty, 100)
    asks_forty()
    assert 1 <= len(runs) <= 5


def test_each_test_listed_slow_names_a_test_that_is_there() -> None:
    """`tests/slow_tests.txt` names tests by node id: a renamed test or page would leave it
    in the fast run unnoticed, so each must name a test function of its file (and a page
    that is, for the documentation's examples)."""
    assert len(slow_list.listed()) > 100
    defined = {path: path.read_text(encoding="utf-8") for path in (REPO / "tests").glob("*.py")}
    for node in slow_list.listed():
        path, test = node.split("::", 1)
        function = test.split("[")[0].split("::")[-1]
        assert (REPO / path) in defined, node
        # a test class may inherit it (tests/store_contract.py)
        assert any(f"def {function}(" in text for text in defined.values()), node
        if path == "tests/test_docs_examples.py":
            assert (REPO / test.rstrip("]").split("[")[1]).is_file(), node


def test_the_slow_list_reads_a_durations_log() -> None:
    """A test's setup, call and teardown add up; the bound is inclusive; the stateful test
    stays in the fast run."""
    log = ("0.25s call     tests/test_a.py::test_one\n"
           "0.05s setup    tests/test_a.py::test_one\n"
           "0.29s call     tests/test_a.py::test_two[x]\n"
           "1.00s call     tests/test_b.py::TestC::test_three\n"
           "9.00s call     tests/test_stateful.py::TestAppendAndQuery::runTest\n")
    assert slow_list.measured_slow(log, bound=0.3) == {
        "tests/test_a.py::test_one", "tests/test_b.py::TestC::test_three"}
