"""JSON Lines: the interchange format, one JSON object a line, read and written as a stream.

The first line may be a header ``{"format": 1}``; a line ``{"actor": {...}}`` or
``{"instrument": {...}}`` declares a registry entry; every other line is an
event as `event_to_dict` gives it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from cybertimeline._codec.converters import (
    FORMAT_VERSION,
    actor_from_dict,
    event_label,
    event_to_dict,
    instrument_from_dict,
    registry_to_dicts,
    structure_event,
    upcast,
)
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline._stores.atomic import locked, write_atomically
from cybertimeline._stores.base import (
    MAX_EVENTS,
    Accept,
    Contents,
    add_event,
    check_expected,
    memory_contents,
    must_be_new,
)
from cybertimeline._stores.checks import Origin, check_events, check_registry, failed_name_problems
from cybertimeline.errors import Problem, TimelineError, ValidationError

__all__ = ["JsonlStore", "jsonl_lines", "write_jsonl"]

SUFFIXES = (".jsonl", ".ndjson")
MAX_LINE_BYTES = 1024 * 1024
"""A line longer than this is refused rather than read into memory."""


def jsonl_lines(events: Iterable[Event], registry: Registry | None = None) -> Iterator[str]:
    """The lines (with their newlines) of a JSON Lines file holding these events."""
    yield json.dumps({"format": FORMAT_VERSION}) + "\n"
    if registry is not None:
        for entry, key, data in registry_to_dicts(registry):
            yield json.dumps({entry: {"id": key, **data}}, ensure_ascii=False) + "\n"
    for event in events:
        yield json.dumps(event_to_dict(event), ensure_ascii=False) + "\n"


def write_jsonl(
    path: Path | str, events: Iterable[Event], registry: Registry | None = None
) -> None:
    """Write a whole JSON Lines file atomically, streaming the events."""
    write_atomically(Path(path), jsonl_lines(events, registry))


class JsonlStore:
    """Events in a JSON Lines file, read whole; appends add a line, under a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lines = 0  # whole lines in the file when it was last read

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
        if not self.path.is_file():
            raise TimelineError(f"{self.path}: no such store: give the path of a JSON Lines "
                                f"file (new stores: ct.create(path), or `cybertimeline "
                                f"import SRC --into PATH`)")
        problems: list[Problem] = []
        located: list[tuple[Event, Origin]] = []
        actors: list[Actor] = []
        instruments: list[Instrument] = []
        failed: list[tuple[object, Origin]] = []
        version = FORMAT_VERSION
        self._lines = 0
        with self.path.open("rb") as handle:
            for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
                if len(raw) > MAX_LINE_BYTES:
                    raise ValidationError([Problem(
                        message=f"a line longer than {MAX_LINE_BYTES} bytes: one event a line",
                        file=self.path, line=number)])
                if not raw.endswith(b"\n") and _torn(raw):
                    break  # a writer killed mid-line: its append never returned
                self._lines = number
                if len(located) >= MAX_EVENTS:
                    raise ValidationError([Problem(
                        message=f"more than {MAX_EVENTS} events, the limit of a JSON Lines "
                                f"store: copy it into SQLite with `cybertimeline import`",
                        file=self.path, line=number)])
                record = _parse_line(self.path, number, raw, problems)
                if record is None:
                    continue
                origin = Origin(self.path, number)
                if "kind" not in record and set(record) == {"format"}:
                    version = record["format"]
                    _check_version(version, origin, problems)
                elif "kind" not in record and len(record) == 1 and {"actor", "instrument"} & set(
                    record
                ):
                    _registry_line(record, origin, actors, instruments, problems)
                else:
                    _event_line(record, version, origin, located, problems, failed)
        registry = Registry.builtin().extended(actors, instruments)
        problems += check_registry(registry)
        problems += check_events(located, registry)
        problems += failed_name_problems(failed, registry)
        if problems:
            raise ValidationError(problems)
        return memory_contents(located, registry)

    def append(self, event: Event, accept: Accept, expected: int | None = None) -> Contents:
        with locked(Path(f"{self.path}.lock"), self.location):
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            line = json.dumps(event_to_dict(event), ensure_ascii=False) + "\n"
            with self.path.open("rb+") as handle:
                _end_last_line(handle)
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            return add_event(contents, event, Origin(self.path, self._lines + 1))


def _parse_line(
    path: Path, number: int, raw: bytes, problems: list[Problem]
) -> dict[str, Any] | None:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        problems.append(Problem(message=f"is not valid JSON: {exc.msg} (column {exc.colno})",
                                file=path, line=number))
        return None
    if not isinstance(record, dict):
        problems.append(Problem(message="each line must be a JSON object", file=path,
                                line=number))
        return None
    return record


def _check_version(version: object, origin: Origin, problems: list[Problem]) -> None:
    try:
        upcast({}, version)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems += [origin.problem(p.message) for p in exc.problems]


def _registry_line(
    record: dict[str, Any],
    origin: Origin,
    actors: list[Actor],
    instruments: list[Instrument],
    problems: list[Problem],
) -> None:
    ((entry, data),) = record.items()
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        problems.append(origin.problem(f"'{entry}' must be an object with an 'id'"))
        return
    fields = {k: v for k, v in data.items() if k != "id"}
    try:
        if entry == "actor":
            actors.append(actor_from_dict(data["id"], fields))
        else:
            instruments.append(instrument_from_dict(data["id"], fields))
    except Exception as exc:
        problems.append(origin.problem(f"{entry} {data['id']!r}: {exc}"))


def _event_line(
    record: dict[str, Any],
    version: int,
    origin: Origin,
    located: list[tuple[Event, Origin]],
    problems: list[Problem],
    failed: list[tuple[object, Origin]],
) -> None:
    try:
        record = upcast(record, version)
    except ValidationError:
        return  # the header's problem is already reported
    event, found = structure_event(record)
    problems += [origin.problem(f"{event_label(record)}: {message}") for _field, message in found]
    if event is not None:
        located.append((event, origin))
    else:
        failed.append((record, origin))


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
