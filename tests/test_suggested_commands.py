"""Every error message that suggests a command suggests one that runs: the command in
backticks, with its placeholders filled in, exits 0."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main


def suggested(message: str) -> list[str]:
    (command,) = re.findall(r"`cybertimeline ([^`]+)`", message)
    return shlex.split(command)


@pytest.mark.parametrize("missing", ["nothing-here", "nothing.jsonl"])
def test_a_missing_store_suggests_an_import_that_runs(tmp_path: Path, missing: str) -> None:
    source = tmp_path / "source"
    ct.create(source).close()
    with pytest.raises(ct.TimelineError) as raised:
        ct.load(tmp_path / missing)
    argv = [{"SRC": str(source), "PATH": str(tmp_path / missing)}.get(a, a)
            for a in suggested(str(raised.value))]
    assert main(argv) == 0
    ct.load(tmp_path / missing)


def test_the_sqlite_messages_name_the_store_to_validate() -> None:
    """The messages of a damaged SQLite store name it in ``--events``: the bundled dataset
    is not what is to be validated."""
    from cybertimeline._stores.sqlite_index import unreadable

    message = str(unreadable(Path("/tmp/store.sqlite"), "a row", ValueError("bad")))
    assert suggested(message) == ["--events", "/tmp/store.sqlite", "validate"]
