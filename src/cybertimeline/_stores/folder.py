"""The folder store: every ``*.toml`` under a folder, as people write and curate them."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from cybertimeline._codec.converters import entry_to_dict, event_to_dict, registry_to_dicts
from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._stores.atomic import locked, write_atomically, write_new
from cybertimeline._stores.base import (
    Accept,
    Contents,
    Declaration,
    check_expected,
    must_be_new,
)
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.pipeline import Entry, Loader
from cybertimeline._stores.toml_lines import event_lines, field_line, table_line
from cybertimeline.errors import ReadOnlyError, TimelineError, ValidationError

__all__ = ["MAX_FILE_BYTES", "FolderStore"]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Files larger than this are refused rather than read into memory."""

APPENDED = "appended"
_TOML_LINE = re.compile(r"at line (\d+)")
_REGISTRY_FILES: dict[str, tuple[str, Entry]] = {
    "actors.toml": ("actors", "actor"), "instruments.toml": ("instruments", "instrument")}


class FolderStore:
    """Events in ``[[event]]`` tables of TOML files under a folder, read whole or not at all.

    ``actors.toml`` and ``instruments.toml`` (anywhere in the folder) extend the
    registry; a file of events may declare actors and instruments too. Appended
    events (and the actors and instruments declared with them) are written under
    ``appended/``, a file per append, atomically and under a lock, so curated
    files are never rewritten.
    """

    sees_other_writers = False

    def __init__(self, root: Path | str, *, read_only: bool = False) -> None:
        self.root = Path(root)
        self.read_only = read_only

    @property
    def location(self) -> str:
        return str(self.root)

    @classmethod
    def create(cls, root: Path | str) -> FolderStore:
        """Make an empty folder store at ``root`` (a new or empty folder)."""
        path = Path(root)
        must_be_new(path)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path)

    def read(self) -> Contents:
        if not self.root.is_dir():
            raise TimelineError(f"{self.root}: no such store: give the path of a folder of "
                                f"TOML files, a .jsonl or a .sqlite file (new stores: "
                                f"ct.create(path), or `cybertimeline import SRC --into PATH`)")
        loader = Loader(self.root)
        for path in sorted(self.root.rglob("*.toml")):
            if any(part.startswith(".") for part in path.relative_to(self.root).parts):
                continue
            parsed = _read_toml(path, loader)
            if parsed is None:
                continue
            data, text = parsed
            if path.name in _REGISTRY_FILES:
                _read_registry(path, text, data, loader)
            else:
                _read_events(path, text, data, loader)
        return loader.contents()

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        if self.read_only:
            raise ReadOnlyError(f"{self.root}: the bundled dataset is read-only; copy it, or "
                                f"ct.create() a store of your own, and append there")
        document: dict[str, Any] = {"format": FORMAT_VERSION}
        for entry, key, data in (entry_to_dict(d) for d in declare):
            document.setdefault(f"{entry}s", {})[key] = data
        text = tomli_w.dumps({**document, "event": [event_to_dict(e) for e in events]})
        size = len(text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            raise ValidationError([f"{self.root}: these events take {size} bytes of TOML, more "
                                   f"than the limit of {MAX_FILE_BYTES} for a file of a folder "
                                   f"store: append fewer at once"])
        with locked(self.root / ".cybertimeline.lock", self.location):
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            # "event-" keeps appended files apart from actors.toml and instruments.toml;
            # write_new never overwrites a file already there.
            stem = ("declared" if not events else f"event-{events[0].id}" if len(events) == 1
                    else f"events-{events[0].id}")
            path = write_new(self.root / APPENDED, stem, text)
            lines = event_lines(text)
            return contents.add(((e, Origin(path, line))
                                 for e, line in zip(events, lines, strict=True)), declare)

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
        for number, chunk in enumerate(_chunks(events, MAX_FILE_BYTES // 4), 1):
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


def _read_toml(path: Path, loader: Loader) -> tuple[dict[str, Any], str] | None:
    """The parsed file and its text; on failure, None, with the problem recorded."""
    def fail(message: str, line: int | None = None) -> tuple[dict[str, Any], str] | None:
        loader.problem(message, path, line)
        return None

    if path.is_dir():
        return fail("is a folder named like a TOML file: rename it (no .toml ending)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(f"is {size} bytes, more than the limit of {MAX_FILE_BYTES}: "
                        f"split it into smaller files")
        raw = path.read_bytes()
    except OSError as exc:
        return fail(f"cannot be read: {exc.strerror}")
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail("starts with a byte-order mark: save it as UTF-8 without BOM", 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return fail(f"is not UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8", line)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        return fail(f"is not valid TOML: {exc}", int(found.group(1)) if found else None)
    except RecursionError:
        return fail("is nested too deeply to read: flatten its tables")
    if not data:
        return fail("holds nothing: add [[event]] tables, or remove the file")
    return data, text


def _read_events(path: Path, text: str, data: dict[str, Any], loader: Loader) -> None:
    """Hand the events of one file to the loader, each with its file and lines."""
    version = loader.version(data.pop("format", FORMAT_VERSION), Origin(path, 1))
    if version is None:
        return
    for table, entry in _REGISTRY_FILES.values():  # declared with appended events
        if table in data:
            _read_entries(path, text, table, entry, data.pop(table), loader)
    for key in data:
        if key != "event":
            loader.problem(f"unknown top-level key {key!r}: events go in [[event]] tables "
                           f"(actors in actors.toml, instruments in instruments.toml)",
                           path, table_line(text, key, "") or 1)
    raw_events = data.get("event", [])
    if not isinstance(raw_events, list):
        loader.problem("'event' must be an array of tables: write [[event]]", path)
        return
    lines = text.splitlines()
    headers = event_lines(text)
    if len(headers) == len(raw_events):
        ends = [*headers[1:], len(lines) + 1] if headers else []
    else:  # events written some other way (an inline array): no line for each
        headers, ends = [1] * len(raw_events), [len(lines) + 1] * len(raw_events)
    for raw, start, end in zip(raw_events, headers, ends, strict=True):
        loader.event(raw, Origin(path, start, functools.partial(field_line, lines, start, end)),
                     version)


def _read_registry(path: Path, text: str, data: dict[str, Any], loader: Loader) -> None:
    """Hand the ``[actors.ID]`` or ``[instruments.ID]`` tables of a file to the loader."""
    table, entry = _REGISTRY_FILES[path.name]
    if loader.version(data.pop("format", FORMAT_VERSION), Origin(path, 1)) is None:
        return
    entries = data.pop(table, None)
    for key in data:
        loader.problem(f"unknown top-level key {key!r}: {path.name} holds only "
                       f"[{table}.ID] tables", path)
    _read_entries(path, text, table, entry, entries, loader)


def _read_entries(path: Path, text: str, table: str, entry: Entry, entries: object,
                  loader: Loader) -> None:
    """Hand each ``[table.ID]`` of a file to the loader, at its line."""
    if not isinstance(entries, dict):
        loader.problem(f"no [{table}.ID] tables: write e.g. [{table}.example]", path)
        return
    for key, value in entries.items():
        loader.registry_entry(entry, key, value, Origin(path, table_line(text, table, key)))
