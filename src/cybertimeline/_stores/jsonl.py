"""JSON Lines: the interchange format, one JSON object a line, read and written as a stream.

The first line may be a header ``{"format": 1}``; a line ``{"actor": {...}}`` or
``{"instrument": {...}}`` declares a registry entry; every other line is an
event as `event_to_dict` gives it.

An append adds its lines at the end of the file, in place, under a lock named
after the file's real path. Before writing, the writer notes in ``FILE.pending``
where its lines start and end, and what they are; a writer killed midway leaves
that note, and what it wrote past the start (if it is the start of those lines)
is ignored on load and cut by the next append. An append that fails is cut at
once and its note removed.
Without such a note, every byte of the file is data: a malformed last line is
reported, never dropped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import attrs
import orjson

from cybertimeline._codec.converters import entry_to_dict, registry_to_dicts
from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._stores.atomic import locked, write_atomically
from cybertimeline._stores.base import (
    MAX_EVENT_BYTES,
    Accept,
    Contents,
    Declaration,
    check_expected,
    event_json,
    must_be_new,
    sized_json,
)
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.files import (
    Identity,
    Unreadable,
    identity,
    open_regular,
    real_path,
    refuse_aliases,
    storage_error,
)
from cybertimeline._stores.pipeline import Loader
from cybertimeline._stores.suffixes import JSONL_SUFFIXES
from cybertimeline.errors import Problem, TimelineError, ValidationError

__all__ = ["MAX_LINE_BYTES", "SUFFIXES", "JsonlStore", "jsonl_lines", "write_jsonl"]

SUFFIXES = JSONL_SUFFIXES
MAX_LINE_BYTES = MAX_EVENT_BYTES
"""A line longer than this is refused rather than read into memory."""


def _line(record: object) -> str:
    text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    line = text + "\n"
    if len(line.encode("utf-8")) > MAX_LINE_BYTES:
        raise ValidationError([f"a line of {len(line.encode('utf-8'))} bytes is more than the "
                               f"limit of {MAX_LINE_BYTES} of a JSON Lines line: {text[:60]}..."])
    return line


def _entry_line(entry: str, key: str, data: dict[str, object], *, replace: bool = False) -> str:
    """A registry line; an append's declaration says ``"replace": true``: it replaces the
    entry of the same id declared before it (an instrument keeps both coverages)."""
    record: dict[str, object] = {entry: {"id": key, **data}}
    if replace:
        record["replace"] = True
    return _line(record)


def _is_declaration(record: dict[str, object]) -> bool:
    """An actor's or instrument's line: ``{"actor": {...}}``, maybe with ``"replace": true``."""
    keys = set(record) - {"replace"}
    return len(keys) == 1 and bool(keys & {"actor", "instrument"})


def jsonl_lines(events: Iterable[Event], registry: Registry | None = None) -> Iterator[str]:
    """The lines (with their newlines) of a JSON Lines file holding these events.

    Raises:
        ValidationError: a line would be longer than `MAX_LINE_BYTES`.
    """
    yield _line({"format": FORMAT_VERSION})
    if registry is not None:
        for entry, key, data in registry_to_dicts(registry):
            yield _entry_line(entry, key, data)
    for event in events:
        yield _line(event_json(event))


def write_jsonl(
    path: Path | str, events: Iterable[Event], registry: Registry | None = None
) -> None:
    """Write a whole new JSON Lines file atomically, streaming the events; never replaces one.

    Raises:
        FileExistsError: something is at ``path`` already.
        ValidationError: a line would be longer than `MAX_LINE_BYTES`.
    """
    write_atomically(Path(path), jsonl_lines(events, registry), replace=False)


@attrs.frozen
class _Known:
    """A JSON Lines file's contents as last read or written, and the file's size and time
    then. Appends happen in place, so a file that kept both is the file described."""

    contents: Contents
    lines: int
    end: int
    unended: bool
    size: int
    mtime_ns: int

    def describes(self, handle: BinaryIO) -> bool:
        state = os.fstat(handle.fileno())
        return (state.st_size, state.st_mtime_ns) == (self.size, self.mtime_ns) == (
            self.end, self.mtime_ns)


class JsonlStore:
    """Events in a JSON Lines file, read whole; appends add lines, under a lock."""

    sees_other_writers = False

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._real = real_path(self.path)
        self._identity = identity(self._real)
        self._pending = Path(f"{self._real}.pending")
        # What the file held when this store last read or wrote it, and how the file
        # looked then: an append to a file no one else touched since reads nothing again.
        self._known: _Known | None = None

    @classmethod
    def create(cls, path: Path | str) -> JsonlStore:
        """Make an empty JSON Lines store at ``path``, which must not exist yet."""
        target = Path(path)
        must_be_new(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_jsonl(target, ())
        except FileExistsError:
            raise TimelineError(f"{target}: already exists; load it with ct.load() or choose "
                                f"a new path") from None
        except OSError as exc:
            raise storage_error(target, "create the file", exc) from None
        return cls(target)

    @property
    def location(self) -> str:
        return str(self.path)

    def _missing(self) -> TimelineError:
        return TimelineError(f"{self.path}: no such store: give the path of a JSON Lines file "
                             f"(new stores: ct.create(path), or `cybertimeline --events SRC "
                             f"import --into PATH`)")

    def read(self) -> Contents:
        if not self._real.exists():
            raise self._missing()
        try:
            with open_regular(self._real) as handle:
                return self._remember(handle, *self._load(handle)).contents
        except Unreadable as exc:
            raise ValidationError([Problem(message=str(exc), file=self.path)]) from None

    def validate(self) -> None:
        """Read the file afresh: a load checks everything."""
        self.read()

    def _unfinished(self, handle: BinaryIO) -> int | None:
        """Where an append that never finished started, if its note says so and the bytes
        past that point are the start of what it was writing (the note holds it): bytes
        another tool added after the note was left are data, never hidden."""
        size = os.fstat(handle.fileno()).st_size
        try:
            with open_regular(self._pending) as note:
                start, end, inode = (int(n) for n in note.readline(100).split())
                if not (inode == os.fstat(handle.fileno()).st_ino and start < size < end):
                    return None
                written = note.read(size - start)
        except (Unreadable, ValueError, OSError):
            return None
        handle.seek(start)
        found = handle.read(size - start)
        handle.seek(0)
        return start if found == written else None

    def _load(self, handle: BinaryIO) -> tuple[Contents, int, int, bool]:
        """The contents; how many lines hold data; where the data ends; and whether its
        last line lacks a newline."""
        loader = Loader(self.path)
        version: int | None = FORMAT_VERSION
        lines = offset = 0
        newline = True
        for raw in self._data_lines(handle):
            lines += 1
            offset += len(raw)
            newline = raw.endswith(b"\n")
            if len(raw) > MAX_LINE_BYTES:
                raise ValidationError([Problem(
                    message=f"a line longer than {MAX_LINE_BYTES} bytes: one event a line",
                    file=self.path, line=lines)])
            origin = Origin(self.path, lines)
            record = _parse_line(raw, origin, loader)
            if record is not None:
                version = _read_record(loader, record, origin, version)
        return loader.contents(), lines, offset, not newline

    def _data_lines(self, handle: BinaryIO) -> Iterator[bytes]:
        """The file's lines (each up to one byte past `MAX_LINE_BYTES`), up to where an
        append that never returned started: past it, nothing is data."""
        cut = self._unfinished(handle)
        offset = 0
        for whole in iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""):
            if cut is not None and offset + len(whole) > cut:
                if cut > offset:
                    yield whole[:cut - offset]
                return
            offset += len(whole)
            yield whole

    def _open_for_append(self) -> BinaryIO:
        """The store's file, opened to append, if it is still the file this store opened."""
        try:
            fd = os.open(self._real, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise self._replaced() from None
        found = os.fstat(fd)
        if Identity(found.st_dev, found.st_ino) != self._identity:
            os.close(fd)
            raise self._replaced()
        return os.fdopen(fd, "rb+")

    def _replaced(self) -> TimelineError:
        return TimelineError(f"{self.path}: the store was deleted or replaced since it was "
                             f"opened; nothing was written: open it again")

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        declared = "".join(_entry_line(*entry_to_dict(d), replace=True) for d in declare)
        payload = (declared + "".join(f"{text}\n" for text in sized_json(events))).encode("utf-8")
        if self._identity is None:
            raise self._missing()
        if identity(self._real) != self._identity:
            raise self._replaced()
        try:
            refuse_aliases(self._real)
            with (locked(Path(f"{self._real}.lock"), self.location),
                  self._open_for_append() as handle):
                known = self._known
                if known is None or not known.describes(handle) or self._pending.exists():
                    known = self._remember(handle, *self._load(handle))
                contents, lines, end = known.contents, known.lines, known.end
                check_expected(contents, expected, self.location)
                accept(contents)
                written = b"\n" + payload if known.unended else payload
                self._append(handle, end, written)
                first = lines + len(declare)
                contents.add(((e, Origin(self.path, first + n))
                              for n, e in enumerate(events, 1)), declare)
                self._remember(handle, contents, first + len(events), end + len(written), False)
        except OSError as exc:
            raise storage_error(self.path, "append", exc) from None
        return contents

    def _remember(self, handle: BinaryIO, contents: Contents, lines: int, end: int,
                  unended: bool) -> _Known:
        """Keep what the file holds now, with the size and time that say it is unchanged."""
        state = os.fstat(handle.fileno())
        self._known = _Known(contents, lines, end, unended, state.st_size, state.st_mtime_ns)
        return self._known

    def _append(self, handle: BinaryIO, start: int, payload: bytes) -> None:
        """Write ``payload`` at ``start`` (cutting what an unfinished append left) and make it
        durable; on failure, cut it again, so that nothing of it stays."""
        inode = os.fstat(handle.fileno()).st_ino
        note = f"{start} {start + len(payload)} {inode}\n".encode("ascii")
        fd = os.open(self._pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC
                     | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666)
        with os.fdopen(fd, "wb") as pending:
            pending.write(note)
            pending.write(payload)  # what a load compares with the bytes past start
        try:
            handle.truncate(start)
            handle.seek(start)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            if identity(self._real) != self._identity:
                raise self._replaced()
        except BaseException:
            handle.truncate(start)
            # Cut: nothing of this append is left, so neither is its note, which would
            # otherwise hide lines that other tools add later.
            self._pending.unlink(missing_ok=True)
            raise
        self._pending.unlink(missing_ok=True)

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry into this new file: for copies."""
        write_atomically(self.path, jsonl_lines(events, registry))
        self._identity = identity(self._real)

    def close(self) -> None:
        """Nothing to release: the file is opened only while read or written."""


def _read_record(loader: Loader, record: dict[str, object], origin: Origin,
                 version: int | None) -> int | None:
    """Hand one line's object to the loader: the header, an actor's or instrument's
    declaration, or an event (unless the header was unreadable, which is reported);
    the format version of the lines after it."""
    if "kind" not in record and set(record) == {"format"}:
        return loader.version(record["format"], origin)
    if "kind" in record or not _is_declaration(record):
        if version is not None:
            loader.event(record, origin, version)
        return version
    replaces = record.pop("replace", False) is True
    ((entry, data),) = record.items()
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        loader.add(origin.problem(f"'{entry}' must be an object with an 'id'"))
    else:
        fields = {k: v for k, v in data.items() if k != "id"}
        loader.registry_entry("actor" if entry == "actor" else "instrument", data["id"],
                              fields, origin, replaces=replaces)
    return version


def _parse_line(raw: bytes, origin: Origin, loader: Loader) -> dict[str, object] | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if b"\r" in raw.rstrip(b"\r\n"):
            loader.add(origin.problem("has carriage returns (CR) inside it: end lines with "
                                      "LF (or CR LF), one JSON object a line"))
        else:
            loader.add(origin.problem(f"is not valid JSON: {exc.msg} (column {exc.colno})"))
        return None
    if not isinstance(record, dict):
        loader.add(origin.problem("each line must be a JSON object"))
        return None
    return record
