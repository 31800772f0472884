"""The wheel carries the bundled dataset and the type marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_ships_the_bundled_dataset_and_py_typed(tmp_path: Path) -> None:
    """Building a wheel puts every events/*.toml under cybertimeline/_data/events, and py.typed."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("cybertimeline-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cybertimeline/py.typed" in names
    for path in (REPO / "events").glob("*.toml"):
        assert f"cybertimeline/_data/events/{path.name}" in names
    # Every module of the source tree (a .gitignore rule once kept a package out of it).
    for path in (REPO / "src" / "cybertimeline").rglob("*.py"):
        assert path.relative_to(REPO / "src").as_posix() in names


@pytest.mark.slow
def test_an_installed_wheel_copies_the_bundled_dataset(tmp_path: Path) -> None:
    """From an installed wheel, away from any checkout, the README's `cybertimeline import
    --into mine.sqlite` copies the bundled dataset (the wheel's copy of it)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("cybertimeline-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure-Python wheel installs by unpacking
    work = tmp_path / "work"
    work.mkdir()
    run = (f"import sys; sys.path.insert(0, {str(site)!r}); import cybertimeline; "
           f"assert cybertimeline.__file__.startswith({str(site)!r}), cybertimeline.__file__; "
           f"from cybertimeline._cli import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", run, "import", "--into", "mine.sqlite"],
                          cwd=work, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("mine.sqlite: ")
    assert "_data/events" in done.stdout
    assert (work / "mine.sqlite").exists()
