"""JSON Lines: the interchange format, one JSON object a line, read and written as a stream.

The first line may be a header ``{"format": 1}``; a line ``{"actor": {...}}`` or
``{"instrument": {...}}`` declares a registry entry; every other line is an
event as `event_to_dict` gives it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from cybertimeline._codec.converters import entry_to_dict, event_to_dict, registry_to_dicts
from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._stores.atomic import locked, write_atomically
from cybertimeline._stores.base import (
    Accept,
    Contents,
    Declaration,
    check_expected,
    must_be_new,
)
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.pipeline import Loader
from cybertimeline.errors import Problem, TimelineError, ValidationError

__all__ = ["MAX_LINE_BYTES", "SUFFIXES", "JsonlStore", "jsonl_lines", "write_jsonl"]

SUFFIXES = (".jsonl", ".ndjson")
MAX_LINE_BYTES = 1024 * 1024
"""A line longer than this is refused rather than read into memory."""


def _line(record: object) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _entry_line(entry: str, key: str, data: dict[str, object]) -> str:
    return _line({entry: {"id": key, **data}})


def jsonl_lines(events: Iterable[Event], registry: Registry | None = None) -> Iterator[str]:
    """The lines (with their newlines) of a JSON Lines file holding these events."""
    yield _line({"format": FORMAT_VERSION})
    if registry is not None:
        for entry, key, data in registry_to_dicts(registry):
            yield _entry_line(entry, key, data)
    for event in events:
        yield _line(event_to_dict(event))


def write_jsonl(
    path: Path | str, events: Iterable[Event], registry: Registry | None = None
) -> None:
    """Write a whole JSON Lines file atomically, streaming the events."""
    write_atomically(Path(path), jsonl_lines(events, registry))


class JsonlStore:
    """Events in a JSON Lines file, read whole; appends add lines, under a lock."""

    sees_other_writers = False

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def create(cls, path: Path | str) -> JsonlStore:
        """Make an empty JSON Lines store at ``path``, which must not exist yet."""
        target = Path(path)
        must_be_new(target)
        write_jsonl(target, ())
        return cls(target)

    @property
    def location(self) -> str:
        return str(self.path)

    def read(self) -> Contents:
        return self._read()[0]

    def _read(self) -> tuple[Contents, int]:
        """The contents, and how many whole lines the file holds."""
        if not self.path.is_file():
            raise TimelineError(f"{self.path}: no such store: give the path of a JSON Lines "
                                f"file (new stores: ct.create(path), or `cybertimeline "
                                f"import SRC --into PATH`)")
        loader = Loader(self.path)
        version: int | None = FORMAT_VERSION
        lines = 0
        with self.path.open("rb") as handle:
            for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
                if len(raw) > MAX_LINE_BYTES:
                    raise ValidationError([Problem(
                        message=f"a line longer than {MAX_LINE_BYTES} bytes: one event a line",
                        file=self.path, line=number)])
                if not raw.endswith(b"\n") and _torn(raw):
                    break  # a writer killed mid-line: its append never returned
                lines = number
                record = _parse_line(raw, Origin(self.path, number), loader)
                if record is None:
                    continue
                origin = Origin(self.path, number)
                if "kind" not in record and set(record) == {"format"}:
                    version = loader.version(record["format"], origin)
                elif "kind" not in record and len(record) == 1 and (
                        {"actor", "instrument"} & set(record)):
                    ((entry, data),) = record.items()
                    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                        loader.problem(f"'{entry}' must be an object with an 'id'",
                                       self.path, number)
                    else:
                        fields = {k: v for k, v in data.items() if k != "id"}
                        loader.registry_entry("actor" if entry == "actor" else "instrument",
                                              data["id"], fields, origin)
                elif version is not None:  # else the header's problem is already reported
                    loader.event(record, origin, version)
        return loader.contents(), lines

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        written = [_line(event_to_dict(e)) for e in events]
        text = "".join([*(_entry_line(*entry_to_dict(d)) for d in declare), *written])
        for event, line in zip(events, written, strict=True):
            size = len(line.encode("utf-8"))
            if size > MAX_LINE_BYTES:
                raise ValidationError([f"event {event.id!r} takes {size} bytes as a line, "
                                       f"more than the limit of {MAX_LINE_BYTES} of a JSON "
                                       f"Lines store: shorten its texts"])
        with locked(Path(f"{self.path}.lock"), self.location):
            contents, lines = self._read()
            check_expected(contents, expected, self.location)
            accept(contents)
            if len(events) == 1 and not declare:  # one line: a torn line is cut on next read
                with self.path.open("rb+") as handle:
                    _end_last_line(handle)
                    handle.write(text.encode("utf-8"))
                    handle.flush()
                    os.fsync(handle.fileno())
            else:  # several: the whole file anew, so that a crash leaves none or all of them
                with self.path.open("rb") as handle:
                    old = handle.read()
                if old and not old.endswith(b"\n"):
                    old = old[: old.rfind(b"\n") + 1] if _torn(
                        old[old.rfind(b"\n") + 1:]) else old + b"\n"
                write_atomically(self.path, [old.decode("utf-8"), text])
            first = lines + len(declare)
            return contents.add(((e, Origin(self.path, first + n))
                                 for n, e in enumerate(events, 1)), declare)

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry into this new file: for copies."""
        write_jsonl(self.path, events, registry)

    def close(self) -> None:
        """Nothing to release: the file is opened only while read or written."""


def _parse_line(raw: bytes, origin: Origin, loader: Loader) -> dict[str, object] | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        loader.problems.append(origin.problem(
            f"is not valid JSON: {exc.msg} (column {exc.colno})"))
        return None
    if not isinstance(record, dict):
        loader.problems.append(origin.problem("each line must be a JSON object"))
        return None
    return record


def _torn(raw: bytes) -> bool:
    """Whether a final line without its newline is a fragment (not a whole JSON object)."""
    try:
        return not isinstance(orjson.loads(raw), dict)
    except orjson.JSONDecodeError:
        return True


def _end_last_line(handle: BinaryIO) -> None:
    """Before appending: end a final line that lacks its newline, or cut it if it is torn."""
    size = handle.seek(0, os.SEEK_END)
    if size == 0:
        return
    handle.seek(max(0, size - MAX_LINE_BYTES - 1))
    tail = handle.read()
    if tail.endswith(b"\n"):
        return
    start = tail.rfind(b"\n") + 1
    if _torn(tail[start:]):
        handle.truncate(size - (len(tail) - start))  # the trace of a killed writer
        handle.seek(0, os.SEEK_END)
    else:
        handle.write(b"\n")  # a whole last line, written without its newline
