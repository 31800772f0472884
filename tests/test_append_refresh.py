"""Appends read the store again only when something changed it since this handle last read or
wrote it (issue 16): what another writer or a hand edit did is still seen at the next append."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._stores.base import Contents
from tests.store_contract import TODAY, statement

STORES = {"folder": "store", "jsonl": "store.jsonl"}


def _open(path: Path) -> ct.Timeline:
    return ct.load(path, clock=lambda: TODAY)


@pytest.mark.parametrize("kind", sorted(STORES))
def test_another_writers_append_is_seen_by_the_next_append(kind: str, tmp_path: Path) -> None:
    """Two handles on one store: the second, loaded before the first appended, refuses the
    id the first wrote, and its own append keeps both."""
    path = tmp_path / STORES[kind]
    ct.create(path, clock=lambda: TODAY)
    first, second = _open(path), _open(path)
    second.append(statement("can-0"))  # this handle has now read and written the store
    first.append(statement("can-1"))
    with pytest.raises(ct.ValidationError, match="can-1"):
        second.append(statement("can-1"))
    second.append(statement("can-2"))
    assert sorted(e.id for e in _open(path).events()) == ["can-0", "can-1", "can-2"]


def _touch_later(path: Path) -> None:
    """Make sure a file's time moves, however coarse the file system's clock."""
    state = path.stat()
    os.utime(path, ns=(state.st_atime_ns, state.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_hand_edit_between_appends_is_read_and_checked(kind: str, tmp_path: Path) -> None:
    """A file edited by hand after an append (a duplicate id added) is read again at the
    next append, which then reports the problem and writes nothing."""
    path = tmp_path / STORES[kind]
    tl = ct.create(path, clock=lambda: TODAY)
    tl.append(statement("can-1"))
    if kind == "jsonl":
        edited = path
        line = path.read_text(encoding="utf-8").splitlines()[-1]
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")  # can-1 twice
    else:
        (edited,) = (path / "appended").iterdir()
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + text[text.index("[[event]]"):], encoding="utf-8")
    _touch_later(edited)
    before = edited.read_bytes()
    with pytest.raises(ct.ValidationError, match="can-1"):
        tl.append(statement("can-2"))
    assert edited.read_bytes() == before
    assert "can-2" not in "".join(p.read_text(encoding="utf-8") for p in
                                  ([path] if kind == "jsonl" else path.rglob("*.toml")))


@pytest.mark.parametrize("kind", sorted(STORES))
def test_appends_to_an_unchanged_store_do_not_read_it_again(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first append, appends to a store no one else touched read no event again."""
    path = tmp_path / STORES[kind]
    tl = ct.create(path, clock=lambda: TODAY)
    tl.append(statement("can-0"))
    from cybertimeline._stores import pipeline

    reads: list[int] = []
    original = pipeline.Loader.contents

    def counted(self: pipeline.Loader) -> Contents:
        reads.append(1)
        return original(self)

    monkeypatch.setattr(pipeline.Loader, "contents", counted)
    for n in range(1, 50):
        tl.append(statement(f"can-{n}"))
    assert reads == []
    assert len(_open(path)) == 50  # a load reads everything, once
    assert reads == [1]


def test_a_failed_jsonl_append_hides_no_line_added_later(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An append that fails (a full disk) is cut at once; its note of where it started
    must not outlive the cut, or lines another tool adds later are ignored on load and cut
    by the next append (issue 26, item 7)."""
    path = tmp_path / "store.jsonl"
    with ct.create(path, clock=lambda: TODAY) as writer:
        writer.append(statement("can-1"))
        def full(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(ct.TimelineError, match="No space left"):
            writer.extend([statement(f"can-batch-{n}") for n in range(20)])
        monkeypatch.undo()
    line = path.read_text(encoding="utf-8").splitlines()[-1].replace("can-1", "can-by-hand")
    with open(path, "a", encoding="utf-8") as other_tool:
        other_tool.write(line + "\n")
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-by-hand"]
    with ct.load(path, clock=lambda: TODAY) as writer:
        writer.append(statement("can-2"))
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2", "can-by-hand"]


def test_a_jsonl_note_left_by_a_writer_killed_before_it_wrote_hides_nothing(
        tmp_path: Path) -> None:
    """A writer killed after its note but before its first byte: lines another tool adds
    later are data (the note names bytes that are not the writer's)."""
    path = tmp_path / "store.jsonl"
    with ct.create(path, clock=lambda: TODAY) as writer:
        writer.append(statement("can-1"))
    size, inode = path.stat().st_size, path.stat().st_ino
    Path(f"{path}.pending").write_text(f"{size} {size + 100_000} {inode}\n", encoding="ascii")
    line = path.read_text(encoding="utf-8").splitlines()[-1].replace("can-1", "can-by-hand")
    with open(path, "a", encoding="utf-8") as other_tool:
        other_tool.write(line + "\n")
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-by-hand"]
