"""`validate` for a SQLite store: every row checked as a load checks a folder's files.

A SQLite store is read a row at a time, so its rows are trusted on the way in
only as far as the library wrote them. `check_database` does what a load does
for a folder, streaming: the file's integrity and schema, the meta table, every
registry entry and every event payload (its format, its fields, its names),
that each row's columns and index rows agree with its payload, unique ids,
corrections that point to an event, and no cycle of corrections. Memory grows
only with the number of corrections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from cybertimeline._codec.converters import actor_from_dict, instrument_from_dict
from cybertimeline._codec.reading import cattrs_problems, event_label
from cybertimeline._codec.versions import check_version
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline._stores.checks import (
    Budget,
    Named,
    Origin,
    check_registry,
    correction_cycles,
    cycle_message,
    event_problems,
    failed_name_problems,
    raw_names,
)
from cybertimeline._stores.mapper import map_payload
from cybertimeline._stores.pipeline import MAX_PROBLEMS
from cybertimeline._stores.sql_rows import (
    column_problem,
    index_problem,
    orphan_problem,
    rows_problem,
)
from cybertimeline._stores.sqlite_db import database_errors, schema_problem
from cybertimeline.errors import Problem, ValidationError

__all__ = ["check_database"]


class _Problems:
    """Problems found so far, at most `MAX_PROBLEMS` of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[Problem] = []
        self._budget = Budget()

    @property
    def budget(self) -> Budget:
        """What the checks may still compute: one "did you mean" budget for the whole
        store, and no more problems than the cap leaves."""
        self._budget.problems = MAX_PROBLEMS - len(self.found)
        return self._budget

    def add(self, problem: str | Problem) -> None:
        if isinstance(problem, str):
            problem = Problem(message=problem, file=self.path)
        self.found.append(problem)
        if len(self.found) >= MAX_PROBLEMS:
            self.stop()

    def stop(self) -> None:
        raise ValidationError([*self.found, Problem(
            message=f"stopped after {MAX_PROBLEMS} problems: fix these and validate again",
            file=self.path)])


def check_database(connection: sqlite3.Connection, path: Path) -> None:
    """Check everything a SQLite store holds, in one read transaction.

    Raises:
        ValidationError: every problem found (up to `MAX_PROBLEMS`), each naming its row.
        TimelineError: the file cannot be read.
    """
    problems = _Problems(path)
    with database_errors(path):
        connection.execute("BEGIN")
        try:
            _check(connection, problems)
        finally:
            connection.execute("COMMIT")
    if problems.found:
        raise ValidationError(problems.found)


def _check(db: sqlite3.Connection, problems: _Problems) -> None:
    _check_file(db, problems)
    registry = _registry(db, problems)
    tables = _RowTables(db, problems)
    targets: dict[str, str] = {}
    failed: list[tuple[str, list[Named], Origin]] = []
    rows = db.execute("SELECT seq, id, kind, earliest, latest, recorded, corrects, format, "
                      "payload FROM events ORDER BY seq")
    for seq, *columns, version, payload in rows:
        origin = Origin(problems.path, row=f"row {seq} ({columns[0]!r})")
        stored = tables.take(seq)
        mapped = map_payload(payload, version)
        for problem in mapped.located(origin):
            problems.add(problem)
        event = mapped.event
        if event is None:
            failed.append((event_label(mapped.data), raw_names(mapped.data), origin))
            continue
        _check_row(event, columns, stored, tables.names, origin, problems)
        for problem in event_problems(event, origin, registry, budget=problems.budget):
            problems.add(problem)
        if event.corrects is not None:
            targets[event.id] = event.corrects
    tables.finish()
    for problem in failed_name_problems(failed, registry, problems.budget):
        problems.add(problem)
    _check_across(db, targets, problems)


def _check_file(db: sqlite3.Connection, problems: _Problems) -> None:
    """The file's integrity, its schema and its meta table."""
    for (message,) in db.execute("PRAGMA quick_check(100)"):
        if message != "ok":
            problems.add(f"the database is damaged: {message}")
    schema = schema_problem(db)
    if schema is not None:
        problems.add(schema)
        problems.stop()
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if meta.get("application") != "cybertimeline":
        problems.add("the meta table does not name cybertimeline as its application")
    if (found := check_version(_integer(meta.get("format")))) is not None:
        problems.add(f"the meta table's {found}")


def _check_row(event: Event, columns: list[Any], stored: _Stored, names: dict[str, int],
               origin: Origin, problems: _Problems) -> None:
    """That an event's columns and the rows of the tables that index it are those its
    payload makes."""
    for problem in (column_problem(event, columns),
                    index_problem(event, {a for a, *_ in stored.actors},
                                  {i for i, *_ in stored.instruments}),
                    rows_problem(event, stored.entries, stored.writes, stored.ballots, names)):
        if problem is not None:
            problems.add(origin.problem(problem))


def _check_across(db: sqlite3.Connection, targets: dict[str, str],
                  problems: _Problems) -> None:
    """What holds across rows: unique ids, corrections of events that exist, no cycle."""
    for event_id, count in db.execute("SELECT id, count(*) FROM events GROUP BY id "
                                      "HAVING count(*) > 1"):
        problems.add(f"duplicate id {event_id!r}: {count} rows")
    for event_id, target in targets.items():
        if target != event_id and db.execute("SELECT 1 FROM events WHERE id = ?",
                                             (target,)).fetchone() is None:
            problems.add(f"event {event_id!r} corrects {target!r}, which is no event")
    for cycle in correction_cycles(targets):
        problems.add(cycle_message(cycle))


class _Stored(NamedTuple):
    """An event's rows in the tables that index it."""

    actors: set[tuple[Any, ...]]
    instruments: set[tuple[Any, ...]]
    entries: set[tuple[Any, ...]]
    ballots: set[tuple[Any, ...]]
    writes: set[tuple[Any, ...]]


class _RowTables:
    """The tables that index the events, read in step with them."""

    def __init__(self, db: sqlite3.Connection, problems: _Problems) -> None:
        self.names: dict[str, int] = {name: key for key, name in
                                      db.execute("SELECT id, name FROM names")}
        self._tables = [
            _IndexTable(db, "event_actors", "actor", problems),
            _IndexTable(db, "event_instruments", "instrument", problems),
            _IndexTable(db, "entries", "section, key, detail, sources, date, id, earliest, "
                        "latest, recorded", problems),
            _IndexTable(db, "ballots", "section, ballots", problems),
            _IndexTable(db, "writes", "whose, section, value", problems)]

    def take(self, seq: int) -> _Stored:
        """The rows of the event at row ``seq`` (the events are read in order of rows)."""
        return _Stored(*(table.take(seq) for table in self._tables))

    def finish(self) -> None:
        """Report the rows left over: those that name no event."""
        for table in self._tables:
            table.finish()


def _integer(value: object) -> object:
    try:
        return int(str(value))
    except ValueError:
        return value


class _IndexTable:
    """The rows of an index table (``event_actors``, ``writes``...), read in step with the
    events, grouped by event row: each event's rows are taken in turn, and a row that
    names no event is a problem."""

    def __init__(self, db: sqlite3.Connection, table: str, columns: str,
                 problems: _Problems) -> None:
        self._table = table
        self._problems = problems
        # Rows whose event row is no number last, each reported.
        self._rows = self._grouped(db.execute(f"SELECT seq, {columns} FROM {table} "
                                              f"ORDER BY typeof(seq) != 'integer', seq"))
        self._pending = next(self._rows, None)

    def _grouped(self, rows: Iterable[tuple[Any, ...]]
                 ) -> Iterator[tuple[int, set[tuple[Any, ...]]]]:
        current: tuple[int, set[tuple[Any, ...]]] | None = None
        for seq, *values in rows:
            if type(seq) is not int:
                self._problems.add(f"{self._table} has a row whose event row is {seq!r}, "
                                   f"not a number")
                continue
            if current is not None and current[0] != seq:
                yield current
                current = None
            if current is None:
                current = (seq, set())
            current[1].add(tuple(values))
        if current is not None:
            yield current

    def take(self, seq: int) -> set[tuple[Any, ...]]:
        """The rows of the event at row ``seq`` (the events are read in order of rows)."""
        while self._pending is not None and self._pending[0] < seq:
            self.finish()
            self._pending = next(self._rows, None)
        if self._pending is not None and self._pending[0] == seq:
            found = self._pending[1]
            self._pending = next(self._rows, None)
            return found
        return set()

    def finish(self) -> None:
        """Report a row left over: one that names no event."""
        if self._pending is not None:
            self._problems.add(orphan_problem(self._table, self._pending[0]))


def _registry(db: sqlite3.Connection, problems: _Problems) -> Registry:
    actors: list[Actor] = []
    instruments: list[Instrument] = []
    origins: dict[str, Origin] = {}
    for entry, key, payload in db.execute("SELECT entry, id, payload FROM registry"):
        where = f"registry {entry} {key!r}"
        if entry not in ("actor", "instrument"):
            problems.add(f"{where}: the entry must be 'actor' or 'instrument'")
            continue
        try:
            data = orjson.loads(payload)
            if entry == "actor":
                actors.append(actor_from_dict(key, data))
            else:
                instruments.append(instrument_from_dict(key, data))
        except orjson.JSONDecodeError as exc:
            problems.add(f"{where}: its payload is not valid JSON: {exc.msg}")
        except Exception as exc:  # every failure becomes a reported problem
            for _field, message in cattrs_problems(exc):
                problems.add(f"{where}: {message}")
    registry = Registry.builtin().extended(actors, instruments)
    for problem in check_registry(registry, origins):
        problems.add(problem.message)
    return registry
