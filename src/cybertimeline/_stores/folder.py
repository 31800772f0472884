"""The folder store: every ``*.toml`` under a folder, as people write and curate them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from cybertimeline._codec.converters import entry_to_dict, event_to_dict, registry_to_dicts
from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._stores import toml_files as toml_files_module
from cybertimeline._stores.atomic import locked, write_atomically, write_new
from cybertimeline._stores.base import (
    Accept,
    Contents,
    Declaration,
    check_expected,
    must_be_new,
    sized_json,
)
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.files import identity, storage_error
from cybertimeline._stores.load_cache import cache_folder, cached, fingerprint, keep
from cybertimeline._stores.pipeline import Loader
from cybertimeline._stores.toml_files import (
    MAX_FILE_BYTES,
    MAX_FOLDER_ENTRIES,
    FileText,
    read_toml_file,
    toml_files,
)
from cybertimeline._stores.toml_lines import event_lines
from cybertimeline.errors import ReadOnlyError, TimelineError, ValidationError

__all__ = ["MAX_FILE_BYTES", "MAX_FOLDER_ENTRIES", "FolderStore"]

APPENDED = "appended"
LOCK_NAME = ".cybertimeline.lock"


class FolderStore:
    """Events in ``[[event]]`` tables of TOML files under a folder, read whole or not at all.

    ``actors.toml`` and ``instruments.toml`` (anywhere in the folder) extend the
    registry; a file of events may declare actors and instruments too. Appended
    events (and the actors and instruments declared with them) are written under
    ``appended/``, a file per append, atomically and under a lock, so curated
    files are never rewritten; a declaration there replaces the store's entry of
    the same id. Only regular files are read: symbolic links, FIFOs and devices
    are reported, not followed; the store is the folder it was opened on, and an
    append fails if that folder was deleted or replaced since.
    """

    sees_other_writers = False

    def __init__(self, root: Path | str, *, read_only: bool = False) -> None:
        self.root = Path(root)
        self.read_only = read_only
        self._identity = identity(self.root)
        # The contents as last read or written, and every file's size, time and inode
        # then: an append to a folder whose files are all unchanged reads none again.
        self._known: tuple[_Files, Contents] | None = None

    @property
    def location(self) -> str:
        return str(self.root)

    @classmethod
    def create(cls, root: Path | str) -> FolderStore:
        """Make an empty folder store at ``root`` (a new or empty folder)."""
        path = Path(root)
        must_be_new(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(path, "create the folder", exc) from None
        return cls(path)

    def read(self) -> Contents:
        if not self.root.is_dir():
            raise TimelineError(f"{self.root}: no such store: give the path of a folder of "
                                f"TOML files, a .jsonl or a .sqlite file (new stores: "
                                f"ct.create(path), or `cybertimeline --events SRC import --into "
                                f"PATH`)")
        files = _tree(self.root)
        key = fingerprint(self.root, MAX_FILE_BYTES) if cache_folder() else None
        contents = cached(self.root, key)
        if contents is None:
            digests: dict[Path, str] = {}
            contents = self._parsed(digests)
            keep(self.root, key, digests, contents)
        self._known = None if files is None else (files, contents)
        return contents

    def _parsed(self, digests: dict[Path, str] | None = None) -> Contents:
        """Every file read and checked (the digest of each file's bytes put in ``digests``)."""
        loader = Loader(self.root)
        texts: list[FileText] = []
        try:
            paths = toml_files(self.root, loader)
            # Curated files first, then what appends wrote: an append's declaration
            # replaces the curated one of the same id.
            for path in sorted(paths, key=self._appended):
                read_toml_file(path, loader, texts, appended=self._appended(path),
                               digests=digests)
            contents = loader.contents()
        finally:
            for text in texts:  # events keep their place, not their file's text
                text.release()
        return contents

    def _current(self) -> tuple[_Files | None, Contents]:
        """The contents now: those last read or written if no file changed since, else read."""
        files = _tree(self.root)
        if files is not None and self._known is not None and self._known[0] == files:
            return files, self._known[1]
        contents = self.read()
        return (self._known[0] if self._known is not None else None), contents

    def _appended(self, path: Path) -> bool:
        return path.relative_to(self.root).parts[0] == APPENDED

    def validate(self) -> None:
        """Read and check every file afresh, whatever a load kept of them."""
        if not self.root.is_dir():
            self.read()  # which says why
        self._parsed()

    def _check_same_folder(self) -> None:
        if self._identity is None or identity(self.root) != self._identity:
            raise TimelineError(f"{self.root}: the store was deleted or replaced since it was "
                                f"opened; nothing was written: open it again")

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        if self.read_only:
            raise ReadOnlyError(f"{self.root}: the bundled dataset is read-only; copy it, or "
                                f"ct.create() a store of your own, and append there")
        sized_json(events)
        document: dict[str, Any] = {"format": FORMAT_VERSION}
        for entry, key, data in (entry_to_dict(d) for d in declare):
            document.setdefault(f"{entry}s", {})[key] = data
        text = tomli_w.dumps({**document, "event": [event_to_dict(e) for e in events]})
        size, limit = len(text.encode("utf-8")), toml_files_module.MAX_FILE_BYTES
        if size > limit:
            raise ValidationError([f"{self.root}: these events take {size} bytes of TOML, more "
                                   f"than the limit of {limit} for a file of a folder "
                                   f"store: append fewer at once"])
        self._check_same_folder()  # before the lock, whose file would make the folder again
        try:
            with locked(self.root / LOCK_NAME, self.location):
                self._check_same_folder()
                files, contents = self._current()
                check_expected(contents, expected, self.location)
                accept(contents)
                # "event-" keeps appended files apart from actors.toml and instruments.toml;
                # write_new never overwrites a file already there.
                stem = ("declared" if not events else f"event-{events[0].id}"
                        if len(events) == 1 else f"events-{events[0].id}")
                path = write_new(self.root / APPENDED, stem, text)
                lines = event_lines(text)
                contents.add(((e, Origin(path, line))
                              for e, line in zip(events, lines, strict=True)), declare)
                self._known = None if files is None else (files | _file(path), contents)
        except OSError as exc:
            raise storage_error(self.root, "append", exc) from None
        return contents

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry into this new store, unchecked: for copies.

        Events go to ``imported-0001.toml``, ``imported-0002.toml``... each well
        under the size limit of a file; registry entries to ``actors.toml`` and
        ``instruments.toml``.
        """
        tables: dict[str, dict[str, Any]] = {"actors": {}, "instruments": {}}
        for entry, key, data in registry_to_dicts(registry):
            tables[f"{entry}s"][key] = data
        for name, table in tables.items():
            if table:
                text = tomli_w.dumps({"format": FORMAT_VERSION, name: table})
                write_atomically(self.root / f"{name}.toml", text, replace=False)
        for number, chunk in enumerate(_chunks(events, toml_files_module.MAX_FILE_BYTES // 4), 1):
            write_atomically(self.root / f"imported-{number:04d}.toml", chunk, replace=False)

    def close(self) -> None:
        """Nothing to release: files are opened only while read or written."""


def _chunks(events: Iterable[Event], size: int) -> Iterator[list[str]]:
    """The TOML text of the events, in files of about ``size`` bytes at most."""
    chunk: list[str] = [tomli_w.dumps({"format": FORMAT_VERSION}) + "\n"]
    length = 0
    for event in events:
        text = tomli_w.dumps({"event": [event_to_dict(event)]}) + "\n"
        if length and length + len(text) > size:
            yield chunk
            chunk, length = [chunk[0]], 0
        chunk.append(text)
        length += len(text)
    if length:
        yield chunk


_Files = frozenset[tuple[str, int, int, int]]


def _tree(root: Path) -> _Files | None:
    """Every file under ``root`` (hidden names left out, as a load leaves them), with its
    size, time and inode: what changes when anything writes, adds or removes a file. None
    when the folder cannot be listed whole: then nothing is taken as known."""
    found = []
    pending = [str(root)]
    try:
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                        continue
                    state = entry.stat(follow_symlinks=False)
                    found.append((entry.path, state.st_size, state.st_mtime_ns, state.st_ino))
                    if len(found) > MAX_FOLDER_ENTRIES:
                        return None
    except OSError:
        return None
    return frozenset(found)


def _file(path: Path) -> _Files:
    """One file as `_tree` lists it."""
    state = os.stat(path, follow_symlinks=False)
    return frozenset([(str(path), state.st_size, state.st_mtime_ns, state.st_ino)])
