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

from tests.conftest import SLOW_CASES, cap_examples

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


def test_each_slow_case_names_a_test_that_is_there() -> None:
    """`SLOW_CASES` name cases by node id: a renamed test or page would leave its case in the
    fast run unnoticed, so each must name a test function of its file, and a page that is."""
    for node in SLOW_CASES:
        path, test = node.split("::")
        function, case = test.rstrip("]").split("[")
        assert f"def {function}(" in (REPO / path).read_text(encoding="utf-8"), node
        if path == "tests/test_docs_examples.py":
            assert (REPO / case).is_file(), node
