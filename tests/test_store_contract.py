"""The store contract (`tests.store_contract`) run against every store, and what is particular
to each: copies, torn lines, locks, files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main
from tests import strategies as cts
from tests.store_contract import TODAY, StoreContract, dump, statement

KINDS = ("memory", "folder", "jsonl", "sqlite")
PATHS = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}


class TestMemoryStore(StoreContract):
    """A timeline built in memory."""

    shared = False
    limited = False

    def new_store(self, directory: Path) -> ct.Timeline:
        return ct.Timeline(clock=lambda: TODAY)

    def reopen(self, directory: Path, timeline: ct.Timeline) -> ct.Timeline:
        return timeline


class FileStoreContract(StoreContract):
    """A store in a file or folder named ``path`` inside the test's folder."""

    path = ""

    def new_store(self, directory: Path) -> ct.Timeline:
        return ct.create(directory / self.path, clock=lambda: TODAY)

    def reopen(self, directory: Path, timeline: ct.Timeline) -> ct.Timeline:
        return ct.load(directory / self.path, clock=lambda: TODAY)


class TestFolderStore(FileStoreContract):
    """A folder of TOML files."""

    path = PATHS["folder"]


class TestJsonlStore(FileStoreContract):
    """A JSON Lines file."""

    path = PATHS["jsonl"]


class TestSqliteStore(FileStoreContract):
    """A SQLite file."""

    path = PATHS["sqlite"]


@settings(max_examples=25)
@given(events=cts.timelines(max_size=10),
       route=st.permutations(["folder", "jsonl", "sqlite"]))
def test_copies_between_stores_are_lossless(events: list[Any], route: list[str]) -> None:
    """Copying folder -> JSON Lines -> SQLite (in any order) keeps every event and the registry."""
    source = ct.Timeline(events)
    with tempfile.TemporaryDirectory() as directory:
        current = source
        for step, kind in enumerate(route):
            current = ct.copy_into(current, Path(directory) / f"{step}-{PATHS[kind]}")
            assert dump(current) == dump(source)
            assert current.registry == source.registry


@pytest.mark.parametrize("kind", KINDS[1:])
def test_the_bundled_dataset_copies_into_every_store(kind: str, tmp_path: Path) -> None:
    """The bundled dataset, its registry included, survives a copy into each kind of store."""
    bundled = ct.load()
    copy = ct.copy_into(bundled, tmp_path / PATHS[kind])
    assert dump(copy) == dump(bundled)
    assert copy.registry == bundled.registry
    for actor in ("CAN", "KOR", "EU", "AHC", "UNGA"):
        assert (copy.position(actor, as_of="2023").to_dict()
                == bundled.position(actor, as_of="2023").to_dict())
    assert copy.members("EU", as_of="2019-12-27") == bundled.members("EU", as_of="2019-12-27")


def test_copying_onto_an_existing_store_is_refused(tmp_path: Path) -> None:
    """A copy never overwrites: the destination must be new."""
    ct.create(tmp_path / "taken.sqlite")
    with pytest.raises(ct.TimelineError, match="already exists"):
        ct.copy_into(ct.load(), tmp_path / "taken.sqlite")


def test_a_sqlite_handle_sees_other_writers_without_reloading(tmp_path: Path) -> None:
    """SQLite is live: a query after another connection's append includes its event."""
    path = tmp_path / "shared.sqlite"
    reader = ct.create(path)
    writer = ct.load(path)
    assert reader.position("CAN", as_of="2021").is_empty
    writer.append(statement("can-1"))
    assert reader.position("CAN", as_of="2021").stances["budapest-convention"].event.id == "can-1"
    assert len(reader) == 1


_KILLED_MIDWAY = """
import os, sys
import cybertimeline as ct
from cybertimeline._stores import jsonl
from tests.store_contract import statement

def die(fd):  # as if killed after writing part of the line, before it was made durable
    os.ftruncate(fd, os.fstat(fd).st_size - 40)
    os._exit(9)

jsonl.os.fsync = die
ct.load(sys.argv[1]).append(statement("can-2", summary="x" * 100))
"""


def test_a_line_torn_by_a_killed_writer_is_ignored_and_cut(tmp_path: Path) -> None:
    """What a writer killed mid-append left is skipped on load and cut by the next append."""
    path = tmp_path / "store.jsonl"
    timeline = ct.create(path)
    timeline.append(statement("can-1"))
    killed = subprocess.run([sys.executable, "-c", _KILLED_MIDWAY, str(path)],
                            cwd=Path(__file__).parents[1], check=False)
    assert killed.returncode == 9
    assert not path.read_bytes().endswith(b"\n")
    assert [e.id for e in ct.load(path).events()] == ["can-1"]
    ct.load(path).append(statement("can-3"))
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-3"]
    assert path.read_text(encoding="utf-8").endswith("\n")


@pytest.mark.parametrize("tail", ['{"id": "can-2", "kind": "stat', '{"id": "x"}}'])
def test_a_malformed_last_line_without_newline_is_reported_not_dropped(
        tail: str, tmp_path: Path) -> None:
    """No writer was killed there: a bad last line is a problem at its line, not dropped, and
    the store cannot be appended to until it is fixed (issue 18, H2)."""
    path = tmp_path / "store.jsonl"
    ct.create(path).append(statement("can-1"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(tail)
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(path)
    assert [p.line for p in caught.value.problems] == [3]
    assert main(["--events", str(path), "validate"]) == 1
    assert path.read_text(encoding="utf-8").endswith(tail)


def test_a_jsonl_file_with_cr_line_endings_is_reported_not_erased(tmp_path: Path) -> None:
    """Old Mac line endings make one long line: reported as such, and kept (issue 18, H2)."""
    path = tmp_path / "store.jsonl"
    lines = [json.dumps({"format": 1}), *(json.dumps(ct.event_to_dict(statement(f"can-{n}")))
                                          for n in (1, 2))]
    path.write_bytes("\r".join(lines).encode("utf-8"))
    before = path.read_bytes()
    with pytest.raises(ct.ValidationError, match="carriage returns"):
        ct.load(path)
    assert main(["--events", str(path), "validate"]) == 1
    assert path.read_bytes() == before


def test_a_jsonl_problem_names_its_line(tmp_path: Path) -> None:
    """Every bad line of a JSON Lines store is reported with its number."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"format": 1}\n{"id": "a", "kind": "nope"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(path)
    assert [(p.line, p.file) for p in caught.value.problems] == [(2, path), (3, path)]
    assert "unknown kind 'nope'" in caught.value.problems[0].message


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    """Opening a stranger's database (or a text file) gives the library's error."""
    path = tmp_path / "other.db"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(ct.TimelineError, match="not a cybertimeline SQLite store"):
        ct.load(path)


@pytest.mark.parametrize("event_id", ["actors", "instruments"])
def test_a_folder_append_named_like_a_registry_file_loads_again(
    event_id: str, tmp_path: Path
) -> None:
    """An event whose id is a registry file's name is written where it is read as an event."""
    timeline = ct.create(tmp_path / "store")
    timeline.append(statement(event_id))
    assert [e.id for e in ct.load(tmp_path / "store").events()] == [event_id]


def test_a_folder_append_never_overwrites_a_file(tmp_path: Path) -> None:
    """A hand-written file where an appended file would go is left alone; both events load."""
    timeline = ct.create(tmp_path / "store")
    (tmp_path / "store" / "appended").mkdir()
    taken = tmp_path / "store" / "appended" / "event-can-1.toml"
    taken.write_text(
        '[[event]]\nid = "can-2"\nkind = "statement"\ndate = "2020"\nactor = "CAN"\n'
        'topic = "budapest-convention"\nstance = "supports"\n\n'
        '[[event.sources]]\ntitle = "t"\n', encoding="utf-8")
    timeline.append(statement("can-1"))
    assert sorted(e.id for e in ct.load(tmp_path / "store").events()) == ["can-1", "can-2"]
    assert 'id = "can-2"' in taken.read_text(encoding="utf-8")


def test_a_whole_last_jsonl_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    """A last line written without a newline is an event, kept on load and on the next append."""
    path = tmp_path / "store.jsonl"
    lines = [json.dumps(ct.event_to_dict(statement(f"can-{n}"))) for n in (1, 2)]
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2"]
    ct.load(path).append(statement("can-3"))
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2", "can-3"]


@pytest.mark.parametrize("kind", KINDS[1:3])
def test_written_files_have_the_usual_permissions(kind: str, tmp_path: Path) -> None:
    """Files the library writes follow the umask (readable by the group), like any other file."""
    old = os.umask(0o022)
    try:
        timeline = ct.create(tmp_path / PATHS[kind], clock=lambda: TODAY)
        timeline.append(statement("can-1"))
    finally:
        os.umask(old)
    store = tmp_path / PATHS[kind]
    written = list(store.rglob("*.toml")) if kind == "folder" else [store]
    assert written
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_locked_sqlite_store_gives_a_conflict_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that cannot get the database in time gets ConflictError, and writes nothing."""
    from cybertimeline._stores import sqlite_db

    monkeypatch.setattr(sqlite_db, "BUSY_TIMEOUT_MS", 200)  # where the connections read it
    path = tmp_path / "store.sqlite"
    ct.create(path)
    timeline = ct.load(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ct.ConflictError, match="another writer held the database"):
            timeline.append(statement("can-1"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    timeline.append(statement("can-2"))
    assert [e.id for e in ct.load(path).events()] == ["can-2"]


def test_a_copy_into_a_folder_splits_large_stores_into_loadable_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file of a folder copy is over the size a folder store may read."""
    from cybertimeline._stores import toml_files

    monkeypatch.setattr(toml_files, "MAX_FILE_BYTES", 4_000)
    source = ct.Timeline([statement(f"can-{n}", summary="x" * 300) for n in range(40)])
    copy = ct.copy_into(source, tmp_path / "copy")
    assert dump(copy) == dump(source)
    files = sorted((tmp_path / "copy").glob("imported-*.toml"))
    assert len(files) > 1
    assert all(f.stat().st_size <= 4_000 for f in files)


def test_a_failed_copy_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a copy fails midway, nothing is left that looks like a store, the error is the
    library's and names the path, and the copy can be retried."""
    from cybertimeline._stores import folder as _folder

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_folder, "_chunks", fail)
    with pytest.raises(ct.TimelineError, match="copy: cannot write the new store: No space left"):
        ct.copy_into(ct.load(), tmp_path / "copy")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert len(ct.copy_into(ct.load(), tmp_path / "copy")) == len(ct.load())
