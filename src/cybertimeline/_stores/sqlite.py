"""The SQLite store: one file, many writers, and queries answered from its indexes."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from cybertimeline._codec.converters import (
    actor_from_dict,
    instrument_from_dict,
    registry_to_dicts,
)
from cybertimeline._codec.reading import event_from_dict
from cybertimeline._codec.versions import FORMAT_VERSION, check_version, upcast
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.registry import Registry
from cybertimeline._stores.base import (
    Accept,
    Contents,
    check_expected,
    event_json,
    must_be_new,
    sized_json,
)
from cybertimeline._stores.checks import correction_cycles, cycle_message
from cybertimeline._stores.files import identity, real_path, refuse_aliases, storage_error
from cybertimeline._stores.index import Lane
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.sqlite_check import check_database
from cybertimeline._stores.sqlite_db import (
    BUSY_TIMEOUT_MS,
    SCHEMA,
    database_errors,
    open_reader,
    open_writer,
    schema_problem,
)
from cybertimeline.errors import Problem, TimelineError, ValidationError

__all__ = ["BUSY_TIMEOUT_MS", "SUFFIXES", "SqliteStore"]

SUFFIXES = (".sqlite", ".sqlite3", ".db")
_ORDER = "ORDER BY e.latest, e.earliest, e.id"


def _unreadable(path: Path, what: str, exc: Exception) -> ValidationError:
    return ValidationError([Problem(
        message=f"{what} cannot be read ({type(exc).__name__}: {exc}): the store was changed "
                f"by something other than this library; run `cybertimeline validate`",
        file=path)])


EVENT_CACHE_LIMIT = 500_000
"""How many parsed events a SQLite store keeps in memory (about 1 KB each)."""
LANE_CACHE_LIMIT = 512
"""How many actors' and instruments' lanes a SQLite store keeps in memory."""


class SqliteIndex:
    """Answers a timeline's questions with indexed SQL, parsing only the events it returns.

    Lanes are cached per actor and instrument until the database changes
    (``PRAGMA data_version`` tells when another connection wrote); parsed events
    and lanes are kept for the most recently used, up to `EVENT_CACHE_LIMIT` and
    `LANE_CACHE_LIMIT`. A lane and the corrections it is filtered by are read in
    one read transaction, so they are always of the same version of the store.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, schema_version: int) -> None:
        self._db = connection
        self._path = path
        self._schema_version = schema_version
        self._data_version = -1
        self._generation = 0  # counts reloads: the index's version
        self._events: Lru[int, Event] = Lru(EVENT_CACHE_LIMIT)
        self._lanes: Lru[tuple[str, str | None], Lane] = Lru(LANE_CACHE_LIMIT)
        self._correctors: dict[str, list[Event]] = {}
        self._count = 0
        with self._snapshot():
            self._fresh()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: all that is read in it is one version of the store."""
        with database_errors(self._path):
            outermost = not self._db.in_transaction
            if outermost:
                self._db.execute("BEGIN")
            try:
                self._db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts
                yield
            finally:
                if outermost:
                    self._db.execute("COMMIT")

    def _fresh(self) -> None:
        """Read the corrections again if another connection wrote (call inside a snapshot)."""
        data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if data_version == self._data_version:
            return
        schema_version = self._db.execute("PRAGMA schema_version").fetchone()[0]
        if schema_version != self._schema_version:
            problem = schema_problem(self._db)
            if problem is not None:
                raise TimelineError(f"{self._path}: {problem}")
            self._schema_version = schema_version
        self._data_version = data_version
        self._generation += 1
        self._lanes.clear()
        self._count = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
        correctors: defaultdict[str, list[Event]] = defaultdict(list)
        rows = self._db.execute(
            f"SELECT e.seq, e.format, e.payload FROM events e WHERE e.corrects IS NOT NULL {_ORDER}"
        )
        parsed = self._parse(rows)
        for cycle in correction_cycles({e.id: e.corrects for e in parsed if e.corrects}):
            raise ValidationError([Problem(message=f"{cycle_message(cycle)}; run `cybertimeline "
                                                   f"validate`", file=self._path)])
        for event in parsed:
            assert event.corrects is not None
            correctors[event.corrects].append(event)
        self._correctors = dict(correctors)

    def invalidate(self) -> None:
        """Read everything afresh at the next question."""
        self._data_version = -1

    def _parse(self, rows: Iterable[tuple[int, int, str]]) -> list[Event]:
        parsed = []
        cache = self._events
        for seq, version, payload in rows:
            event = cache.get(seq)
            if event is None:
                try:
                    if check_version(version) is not None:
                        raise ValueError(check_version(version))
                    event = event_from_dict(upcast(orjson.loads(payload), version))
                except Exception as exc:  # the row was written by something else: report it
                    raise _unreadable(self._path, f"the event of row {seq}", exc) from None
                cache.put(seq, event)
            parsed.append(event)
        return parsed

    def _lane(self, key: tuple[str, str | None], sql: str, args: Sequence[Any]) -> Lane:
        with self._snapshot():
            self._fresh()
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes.put(key, Lane.presorted(self._parse(self._db.execute(sql,
                                                                                         args))))
        return lane

    def __len__(self) -> int:
        with self._snapshot():
            self._fresh()
        return int(self._count)

    def get(self, event_id: str) -> Event | None:
        with database_errors(self._path):
            rows = self._db.execute(
                "SELECT seq, format, payload FROM events WHERE id = ?", (event_id,)
            ).fetchall()
            found = self._parse(rows)
        return found[0] if found else None

    def lane(self, actor: str | None = None) -> Lane:
        if actor is None:
            return self._lane(("all", None), f"SELECT seq, format, payload FROM events e {_ORDER}",
                              ())
        return self._lane(
            ("actor", actor),
            "SELECT e.seq, e.format, e.payload FROM event_actors a JOIN events e ON e.seq = a.seq "
            f"WHERE a.actor = ? {_ORDER}",
            (actor,),
        )

    def instrument_lane(self, instrument: str) -> Lane:
        return self._lane(
            ("instrument", instrument),
            "SELECT e.seq, e.format, e.payload FROM event_instruments i "
            f"JOIN events e ON e.seq = i.seq WHERE i.instrument = ? {_ORDER}",
            (instrument,),
        )

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        with self._snapshot():
            self._fresh()
        return self._correctors

    @property
    def version(self) -> int:
        with self._snapshot():
            self._fresh()
        return self._generation


class SqliteStore:
    """Events in one SQLite file (WAL mode), for large or shared stores.

    Appends are transactions: validated against what is stored, then written
    with an actor index (every voter of a vote too), so that a position
    query reads only that actor's rows. Other processes' writes show in the
    next query. The file is read through a read-only connection, opened only
    once its schema is checked; a connection that writes is opened at the
    first append, and each append checks, before it commits, that the file is
    still the one opened and its schema unchanged.
    """

    sees_other_writers = True

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._real = real_path(self.path)
        self._identity = identity(self._real)
        if self._identity is None:
            raise TimelineError(f"{self.path}: no such SQLite store; create one with "
                                f"ct.create({str(self.path)!r})")
        with database_errors(self.path):
            refuse_aliases(self._real)
        self._db, schema_version = open_reader(self._real)
        self._writer: sqlite3.Connection | None = None
        try:
            with database_errors(self.path):
                found = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            problem = check_version(_integer(found.get("format", FORMAT_VERSION)))
            if problem is not None:
                raise ValidationError([Problem(message=problem, file=self.path)])
            if identity(self._real) != self._identity:
                raise TimelineError(f"{self.path}: the file was replaced while it was opened")
            self._index = SqliteIndex(self._db, self.path, schema_version)
        except BaseException:
            self._db.close()
            raise
        self._schema_version = schema_version

    @classmethod
    def create(cls, path: Path | str) -> SqliteStore:
        """Make an empty SQLite store at ``path``, which must not exist yet."""
        target = Path(path)
        must_be_new(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            raise TimelineError(f"{target}: already exists; load it with ct.load() or choose "
                                f"a new path") from None
        except OSError as exc:
            raise storage_error(target, "create the file", exc) from None
        with database_errors(target), contextlib.closing(
                sqlite3.connect(target, isolation_level=None)) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("BEGIN IMMEDIATE")
            connection.executescript(SCHEMA)
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("application", "cybertimeline"), ("format", str(FORMAT_VERSION))],
            )
        return cls(target)

    @property
    def location(self) -> str:
        return str(self.path)

    def _registry(self) -> Registry:
        actors, instruments = [], []
        with database_errors(self.path):
            rows = self._db.execute("SELECT entry, id, payload FROM registry").fetchall()
        for entry, key, payload in rows:
            try:
                if entry == "actor":
                    actors.append(actor_from_dict(key, orjson.loads(payload)))
                else:
                    instruments.append(instrument_from_dict(key, orjson.loads(payload)))
            except Exception as exc:  # written by something else: report it
                raise _unreadable(self.path, f"registry {entry} {key!r}", exc) from None
        return Registry.builtin().extended(actors, instruments)

    def read(self) -> Contents:
        return Contents(self._index, self._registry())

    def validate(self) -> None:
        """Check every row of the store, as a load checks a folder (`check_database`)."""
        check_database(self._db, self.path)

    def _replaced(self) -> TimelineError:
        return TimelineError(f"{self.path}: the store was deleted or replaced since it was "
                             f"opened; nothing was written: open it again")

    def _writing(self) -> sqlite3.Connection:
        if identity(self._real) != self._identity:
            raise self._replaced()
        if self._writer is None:
            with database_errors(self.path):
                refuse_aliases(self._real)
            self._writer = open_writer(self._real)
        return self._writer

    def _check_unchanged(self, writer: sqlite3.Connection) -> None:
        """Raise unless the file is the one opened, with the schema checked then."""
        if identity(self._real) != self._identity:
            raise self._replaced()
        version = writer.execute("PRAGMA schema_version").fetchone()[0]
        if version != self._schema_version:
            problem = schema_problem(writer)
            if problem is not None:
                raise TimelineError(f"{self.path}: {problem}; nothing was written")
            self._schema_version = version

    def _transaction(self, writer: sqlite3.Connection) -> contextlib.AbstractContextManager[None]:
        @contextlib.contextmanager
        def transaction() -> Iterator[None]:
            with database_errors(self.path):
                writer.execute("BEGIN IMMEDIATE")
                try:
                    self._check_unchanged(writer)
                    yield
                    self._check_unchanged(writer)
                    writer.execute("COMMIT")
                except BaseException:
                    if writer.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            writer.execute("ROLLBACK")
                    raise

        return transaction()

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None) -> Contents:
        payloads = sized_json(events)
        writer = self._writing()
        with self._transaction(writer):
            self._index.invalidate()
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            self._insert(writer, events, payloads)
        return contents

    def _insert(self, writer: sqlite3.Connection, events: Iterable[Event],
                payloads: Iterable[str]) -> None:
        for event, payload in zip(events, payloads, strict=True):
            cursor = writer.execute(
                "INSERT INTO events (id, kind, earliest, latest, recorded, corrects, format, "
                "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (event.id, event.kind, event.date.earliest.isoformat(),
                 event.date.latest.isoformat(), event.recorded_on.isoformat(), event.corrects,
                 FORMAT_VERSION, payload),
            )
            seq = cursor.lastrowid
            writer.executemany(
                "INSERT INTO event_actors (actor, seq) VALUES (?, ?)",
                [(actor, seq) for actor in dict.fromkeys(event.involved)],
            )
            if isinstance(event, TreatyAct):
                writer.execute(
                    "INSERT INTO event_instruments (instrument, seq) VALUES (?, ?)",
                    (event.instrument, seq),
                )

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry in one transaction, without checking them.

        For copying a store that was validated as a whole (``cybertimeline import``).
        """
        writer = self._writing()
        try:
            with self._transaction(writer):
                for entry, key, data in registry_to_dicts(registry):
                    writer.execute(
                        "INSERT OR REPLACE INTO registry (entry, id, payload) VALUES (?, ?, ?)",
                        (entry, key, orjson.dumps(data).decode("utf-8")),
                    )
                listed = list(events)
                self._insert(writer, listed, (event_json(e) for e in listed))
        except sqlite3.IntegrityError as exc:
            raise ValidationError([f"{self.path}: {exc}: the store already holds these ids"]
                                  ) from None
        self._index.invalidate()

    def close(self) -> None:
        """Close the database connections."""
        for connection in (self._db, self._writer):
            if connection is not None:
                connection.close()


def _integer(value: object) -> object:
    """A meta value as the integer it should be (else the value, for the problem to name)."""
    try:
        return int(str(value))
    except ValueError:
        return value
