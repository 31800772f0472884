"""The folder store: every ``*.toml`` under a folder, as people write and curate them."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

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
from cybertimeline._stores.atomic import locked, write_atomically, write_new
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
from cybertimeline._stores.toml_lines import event_lines, field_line, table_line
from cybertimeline.errors import Problem, ReadOnlyError, TimelineError, ValidationError

__all__ = ["FolderStore", "bundled_events_path"]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Files larger than this are refused rather than read into memory."""

APPENDED = "appended"
_TOML_LINE = re.compile(r"at line (\d+)")


def bundled_events_path() -> Path:
    """The folder of the bundled dataset: inside the installed package, else the source tree's."""
    packaged = Path(str(resources.files("cybertimeline"))) / "_data" / "events"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "events"


class FolderStore:
    """Events in ``[[event]]`` tables of TOML files under a folder, read whole or not at all.

    ``actors.toml`` and ``instruments.toml`` (anywhere in the folder) extend the
    registry. Appended events are written one file each under ``appended/``,
    atomically and under a lock, so curated files are never rewritten.
    """

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
        problems: list[Problem] = []
        located: list[tuple[Event, Origin]] = []
        failed: list[tuple[object, Origin]] = []
        actors: list[Actor] = []
        instruments: list[Instrument] = []
        registry_origins: dict[str, Origin] = {}
        for path in sorted(self.root.rglob("*.toml")):
            if any(part.startswith(".") for part in path.relative_to(self.root).parts):
                continue
            data, text = _read_toml(path, problems)
            if data is None:
                continue
            if path.name == "actors.toml":
                actors += _read_table(path, text, data, "actors", actor_from_dict,
                                      registry_origins, problems)
            elif path.name == "instruments.toml":
                instruments += _read_table(path, text, data, "instruments", instrument_from_dict,
                                           registry_origins, problems)
            else:
                located += _read_events(path, text, data, problems, failed)
            if len(located) > MAX_EVENTS:
                raise ValidationError([Problem(
                    message=f"holds more than {MAX_EVENTS} events, the limit of a folder store "
                            f"(read whole into memory): copy it into SQLite with "
                            f"`cybertimeline import`", file=self.root)])
        registry = Registry.builtin().extended(actors, instruments)
        problems += check_registry(registry, registry_origins)
        problems += check_events(located, registry)
        problems += failed_name_problems(failed, registry)
        if problems:
            problems.sort(key=_problem_order)
            raise ValidationError(problems)
        return memory_contents(located, registry)

    def append(self, event: Event, accept: Accept, expected: int | None = None) -> Contents:
        if self.read_only:
            raise ReadOnlyError(f"{self.root}: the bundled dataset is read-only; copy it, or "
                                f"ct.create() a store of your own, and append there")
        with locked(self.root / ".cybertimeline.lock", self.location):
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            text = _event_file(event)
            # "event-" keeps appended files apart from actors.toml and instruments.toml;
            # write_new never overwrites a file already there.
            path = write_new(self.root / APPENDED, f"event-{event.id}", text)
            return add_event(contents, event, Origin(path, event_lines(text)[0]))


    def extend(self, events: Iterable[Event], registry: Registry) -> None:
        """Write many events and a registry into this new store, unchecked: for copies.

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


def _problem_order(problem: Problem) -> tuple[str, int]:
    return (str(problem.file or ""), problem.line or 0)


def _read_toml(path: Path, problems: list[Problem]) -> tuple[dict[str, Any] | None, str]:
    """The parsed file and its text; on failure, None, with the problem recorded."""
    def fail(message: str, line: int | None = None) -> tuple[None, str]:
        problems.append(Problem(message=message, file=path, line=line))
        return None, ""

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


def _version(path: Path, data: dict[str, Any], problems: list[Problem]) -> int | None:
    version = data.pop("format", FORMAT_VERSION)
    try:
        upcast({}, version)
    except ValidationError as exc:
        problems += [Problem(message=p.message, file=path, line=1) for p in exc.problems]
        return None
    return int(version)


def _read_events(
    path: Path,
    text: str,
    data: dict[str, Any],
    problems: list[Problem],
    failed: list[tuple[object, Origin]],
) -> list[tuple[Event, Origin]]:
    """The events of one file; those that fail go to ``failed``, their problems to ``problems``."""
    version = _version(path, data, problems)
    if version is None:
        return []
    for key in data:
        if key != "event":
            problems.append(Problem(
                message=f"unknown top-level key {key!r}: events go in [[event]] tables "
                        f"(actors in actors.toml, instruments in instruments.toml)",
                file=path, line=table_line(text, key, "") or 1))
    raw_events = data.get("event", [])
    if not isinstance(raw_events, list):
        problems.append(Problem(message="'event' must be an array of tables: write [[event]]",
                                file=path))
        return []
    lines = text.splitlines()
    headers = event_lines(text)
    if len(headers) == len(raw_events):
        ends = [*headers[1:], len(lines) + 1] if headers else []
    else:  # events written some other way (an inline array): no line for each
        headers, ends = [1] * len(raw_events), [len(lines) + 1] * len(raw_events)
    located = []
    for raw, start, end in zip(raw_events, headers, ends, strict=True):
        try:
            raw = upcast(raw, version) if isinstance(raw, dict) else raw
        except ValidationError as exc:
            problems += [Problem(message=p.message, file=path, line=start) for p in exc.problems]
            continue
        event, found = structure_event(raw)
        origin = Origin(path, start, functools.partial(field_line, lines, start, end))
        for field, message in found:
            problems.append(origin.problem(f"{event_label(raw)}: {message}", field or None))
        if event is not None:
            located.append((event, origin))
        else:
            failed.append((raw, origin))
    return located


def _read_table(
    path: Path,
    text: str,
    data: dict[str, Any],
    table: str,
    build: Any,
    origins: dict[str, Origin],
    problems: list[Problem],
) -> list[Any]:
    if _version(path, data, problems) is None:
        return []
    entries = data.pop(table, None)
    for key in data:
        problems.append(Problem(message=f"unknown top-level key {key!r}: {path.name} holds "
                                        f"only [{table}.ID] tables", file=path))
    if not isinstance(entries, dict):
        problems.append(Problem(message=f"no [{table}.ID] tables: write e.g. [{table}.example]",
                                file=path))
        return []
    built = []
    for key, value in entries.items():
        line = table_line(text, table, key)
        origins[f"{table[:-1]}:{key}"] = Origin(path, line)
        if not isinstance(value, dict):
            problems.append(Problem(message=f"{table}.{key} must be a table", file=path, line=line))
            continue
        try:
            built.append(build(key, value))
        except Exception as exc:
            problems.append(Problem(message=f"{table[:-1]} {key!r}: {_describe(exc)}",
                                    file=path, line=line))
    return built


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(sub) for sub in exc.exceptions)
    notes = [n for n in getattr(exc, "__notes__", []) if hasattr(n, "name")]
    prefix = f"'{notes[0].name}': " if notes else ""
    return f"{prefix}{exc}"


def _event_file(event: Event) -> str:
    return tomli_w.dumps({"format": FORMAT_VERSION, "event": [event_to_dict(event)]})
