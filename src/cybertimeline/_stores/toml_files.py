"""Reading a folder store's TOML files: which files, their text, and their events and
registry entries, each at its file and line, handed to the load pipeline.

Only regular files are read, up to `MAX_FILE_BYTES` (`files.read_regular`), and
each file is parsed an event at a time (`toml_chunks`), so a load stays bounded
in time and memory whatever the files hold.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._stores.base import MAX_EVENT_BYTES
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.files import Unreadable, read_regular
from cybertimeline._stores.load_cache import digest
from cybertimeline._stores.pipeline import Entry, Loader
from cybertimeline._stores.toml_chunks import (
    EVENT_HEADER,
    MAX_KEY_PARTS,
    REGISTRY_HEADER,
    Piece,
    pieces,
    too_deep_key,
)
from cybertimeline._stores.toml_lines import EventFields, event_lines, table_lines
from cybertimeline.errors import Problem, ValidationError

__all__ = ["MAX_FILE_BYTES", "MAX_FOLDER_ENTRIES", "FileText", "read_toml_file", "toml_files"]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Files larger than this are refused rather than read into memory."""
MAX_FOLDER_ENTRIES = 1_000_000
"""A folder with more files and folders under it than this is refused: it is no store."""

_TOML_LINE = re.compile(r"at line (\d+)")
_REGISTRY_FILES: dict[str, tuple[str, Entry]] = {
    "actors.toml": ("actors", "actor"), "instruments.toml": ("instruments", "instrument")}


def toml_files(root: Path, loader: Loader) -> list[Path]:
    """Every file named ``*.toml`` under ``root``, hidden names left out, sorted.

    Symbolic links are not followed: one named ``*.toml``, or one to a folder, is
    reported; so is a name ending in ``.TOML`` of another case.
    """
    found: list[Path] = []
    pending = [root]
    seen = 0
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            loader.problem(f"cannot be read: {exc.strerror}", folder)
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_FOLDER_ENTRIES:
                raise ValidationError([Problem(
                    message=f"holds more than {MAX_FOLDER_ENTRIES} files and folders: is it "
                            f"a store? Give the folder that holds the TOML files", file=root)])
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            named = entry.name.endswith(".toml")
            if entry.is_symlink():
                if entry.is_dir():
                    loader.problem("is a symbolic link to a folder, which a store does not "
                                   "follow: move the folder itself here", path)
                elif named:
                    loader.problem("is a symbolic link: a store reads only regular files; "
                                   "put the file itself here", path)
            elif entry.is_dir(follow_symlinks=False):
                if named:
                    loader.problem("is a folder named like a TOML file: rename it (no .toml "
                                   "ending)", path)
                pending.append(path)
            elif named:
                found.append(path)
            elif entry.name.lower().endswith(".toml"):
                loader.problem(f"ends in {entry.name[-5:]!r}, not '.toml', so it would not be "
                               f"read: rename it", path)
    return sorted(found)


class FileText:
    """A file's text while its events load: where a problem finds its field's line."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._lines: list[str] | None = None
        self._events: dict[tuple[int, int], EventFields] = {}

    def field_line(self, start: int, end: int, field: str | None) -> int:
        """The line of ``field`` in the event at lines start..end-1 (``start`` if unknown).
        The event's lines are read once, at its first problem."""
        if self._text is None:
            return start
        if self._lines is None:
            self._lines = self._text.splitlines()
        fields = self._events.get((start, end))
        if fields is None:
            fields = self._events[start, end] = EventFields(self._lines, start, end)
        return fields.line(field)

    def release(self) -> None:
        """Forget the text: the load is over."""
        self._text = self._lines = None
        self._events.clear()


def _decoded(path: Path, loader: Loader, digests: dict[Path, str] | None) -> str | None:
    """The text of a regular TOML file within the limits; on failure, None, problem recorded.
    The digest of the bytes read goes in ``digests``, if given."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except Unreadable as exc:
        loader.problem(str(exc), path)
        return None
    if digests is not None:
        digests[path] = digest(raw)
    if raw.startswith(b"\xef\xbb\xbf"):
        loader.problem("starts with a byte-order mark: save it as UTF-8 without BOM", path, 1)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        loader.problem(f"is not UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8", path,
                       line)
        return None
    deep = too_deep_key(text)
    if deep is not None:
        loader.problem(f"has a dotted key or table header of more than {MAX_KEY_PARTS} parts: "
                       f"write fewer", path, deep)
        return None
    return text


def _parsed(piece: Piece, path: Path, loader: Loader) -> dict[str, Any] | None:
    """One piece of a file, parsed; on failure, None, with the problem at its line."""
    if len(piece.text) > MAX_EVENT_BYTES:
        loader.problem(f"the entry at this line takes more than {MAX_EVENT_BYTES} characters, "
                       f"the limit of one event: shorten it", path, piece.line)
        return None
    try:
        return tomllib.loads(piece.text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        line = piece.line + int(found.group(1)) - 1 if found else None
        message = _TOML_LINE.sub(f"at line {line}", str(exc)) if line else str(exc)
        loader.problem(f"is not valid TOML: {message}", path, line)
    except RecursionError:
        loader.problem("is nested too deeply to read: flatten its tables", path)
    except ValueError:  # Python's limit on the digits of an integer read from text
        loader.problem("holds an integer of more than 4,300 digits, which cannot be read: "
                       "shorten it", path, piece.line)
    return None


def read_toml_file(path: Path, loader: Loader, texts: list[FileText], *,
                   appended: bool = False, digests: dict[Path, str] | None = None) -> None:
    """Hand the events, or the registry entries, of one file to the loader.

    A file of events may declare actors and instruments before its first event, as
    appends with declarations write them; in a file an append wrote (``appended``),
    such a declaration replaces an earlier one of the same id. The digest of the bytes
    parsed goes in ``digests`` (for the load cache's key), if given.
    """
    text = _decoded(path, loader, digests)
    if text is None:
        return
    holder = FileText(text)
    texts.append(holder)
    registry = _REGISTRY_FILES.get(path.name)
    version: int | None = FORMAT_VERSION
    anything = False
    for number, piece in enumerate(pieces(text, REGISTRY_HEADER if registry else EVENT_HEADER)):
        data = _parsed(piece, path, loader)
        if data is None:
            anything = True
            continue
        if number == 0:
            version = loader.version(data.pop("format", FORMAT_VERSION), Origin(path, 1))
        anything = anything or bool(data)
        if version is None:
            continue
        if registry is not None:
            _read_registry(path, piece, data, registry, loader)
        else:
            if number == 0:  # declared with appended events
                for table, entry in _REGISTRY_FILES.values():
                    if table in data:
                        _read_entries(path, piece, table, entry, data.pop(table), loader,
                                      replaces=appended)
            end = piece.line + piece.text.count("\n")
            # a store writes appended/ and a copy's imported-NNNN.toml; the rest is curated
            curated = not appended and not path.name.startswith("imported-")
            _read_events(path, piece, end, data, holder, loader, version, curated=curated)
    if not anything:
        loader.problem("holds nothing: add [[event]] tables, or remove the file", path)


def _read_events(path: Path, piece: Piece, end: int, data: dict[str, Any], holder: FileText,
                 loader: Loader, version: int, *, curated: bool = False) -> None:
    """Hand the events of one piece of a file to the loader, each with its file and lines;
    in a curated file (not written by an append), a ``stamped`` day is refused: only a store
    sets it (rule 7)."""
    for key in data:
        if key != "event":
            loader.problem(f"unknown top-level key {key!r}: events go in [[event]] tables "
                           f"(actors in actors.toml, instruments in instruments.toml)",
                           path, piece.line)
    raw_events = data.get("event", [])
    if not isinstance(raw_events, list):
        loader.problem("'event' must be an array of tables: write [[event]]", path, piece.line)
        return
    headers = [piece.line + n - 1 for n in event_lines(piece.text)]
    if len(headers) == len(raw_events):
        ends = [*headers[1:], end + 1] if headers else []
    else:  # events written some other way (an inline array): no line for each
        headers, ends = [piece.line] * len(raw_events), [end + 1] * len(raw_events)
    for raw, start, stop in zip(raw_events, headers, ends, strict=True):
        origin = Origin(path, start, functools.partial(holder.field_line, start, stop))
        if curated and isinstance(raw, dict) and "stamped" in raw:
            loader.add(origin.problem(
                f"event {raw.get('id')!r}: 'stamped' is set by a store when an append gives it "
                f"the event, never by hand: remove it from this file (give 'recorded' for "
                f"when it became public)", "stamped"))
        loader.event(raw, origin, version)


def _read_registry(path: Path, piece: Piece, data: dict[str, Any], registry: tuple[str, Entry],
                   loader: Loader) -> None:
    """Hand the ``[actors.ID]`` or ``[instruments.ID]`` tables of one piece to the loader."""
    table, entry = registry
    entries = data.pop(table, None)
    for key in data:
        loader.problem(f"unknown top-level key {key!r}: {path.name} holds only "
                       f"[{table}.ID] tables", path)
    if entries is None and not data and piece.line == 1:
        return  # the format line alone, before the first table
    _read_entries(path, piece, table, entry, entries, loader)


def _read_entries(path: Path, piece: Piece, table: str, entry: Entry, entries: object,
                  loader: Loader, *, replaces: bool = False) -> None:
    """Hand each ``[table.ID]`` of one piece to the loader, at its line."""
    if not isinstance(entries, dict):
        loader.problem(f"no [{table}.ID] tables: write e.g. [{table}.example]", path)
        return
    lines = table_lines(piece.text, table)
    for key, value in entries.items():
        line = lines.get(key)
        loader.registry_entry(entry, key, value,
                              Origin(path, None if line is None else piece.line + line - 1),
                              replaces=replaces)
