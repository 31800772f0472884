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
