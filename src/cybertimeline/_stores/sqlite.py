"""The SQLite store: one file, many writers, and queries answered from its indexes."""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from cybertimeline._codec.versions import FORMAT_VERSION, check_version
from cybertimeline._model.registry import Actor, Registry
from cybertimeline._stores.base import (
    Accept,
    Contents,
    Declaration,
    check_expected,
    event_json,
    must_be_new,
    sized_json,
)
from cybertimeline._stores.files import identity, real_path, refuse_aliases, storage_error
from cybertimeline._stores.sqlite_db import (
    BUSY_TIMEOUT_MS,
    SCHEMA,
    database_errors,
    open_reader,
    open_writer,
    schema_problem,
)
from cybertimeline._stores.sqlite_index import SqliteIndex, unreadable
from cybertimeline._stores.sqlite_writes import (
    STAGED_EVENTS,
    Names,
    insert_writes,
    staged_writes,
)
from cybertimeline._stores.suffixes import SQLITE_SUFFIXES
from cybertimeline.errors import Problem, TimelineError, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["BUSY_TIMEOUT_MS", "SUFFIXES", "SqliteStore"]

SUFFIXES = SQLITE_SUFFIXES


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
        # The codec (cattrs) loads here, not with the store: a store declaring no entries,
        # or only plain actors (as import-votes declares former states), does without it.
        with database_errors(self.path):
            rows = self._db.execute("SELECT entry, id, payload FROM registry").fetchall()
        for entry, key, payload in rows:
            try:
                if entry == "actor":
                    actors.append(_actor(key, orjson.loads(payload)))
                else:
                    from cybertimeline._codec.converters import instrument_from_dict

                    instruments.append(instrument_from_dict(key, orjson.loads(payload)))
            except Exception as exc:  # written by something else: report it
                raise unreadable(self.path, f"registry {entry} {key!r}", exc) from None
        return Registry.builtin().extended(actors, instruments)

    def read(self) -> Contents:
        return Contents(self._index, self._registry())

    def validate(self) -> None:
        """Check every row of the store, as a load checks a folder (`check_database`)."""
        from cybertimeline._stores.sqlite_check import check_database

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
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        payloads = sized_json(events)
        writer = self._writing()
        with self._transaction(writer):
            self._index.invalidate()
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            from cybertimeline._codec.converters import entry_to_dict

            self._declare(writer, (entry_to_dict(d) for d in declare))
            self._insert(writer, events, payloads)
        return self.read() if declare else contents

    @staticmethod
    def _declare(writer: sqlite3.Connection,
                 entries: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Write actors and instruments, each replacing the entry of its id."""
        writer.executemany(
            "INSERT OR REPLACE INTO registry (entry, id, payload) VALUES (?, ?, ?)",
            [(entry, key, orjson.dumps(data).decode("utf-8")) for entry, key, data in entries])

    def _insert(self, writer: sqlite3.Connection, events: Sequence[Event],
                payloads: Iterable[str]) -> None:
        from cybertimeline._model.events import TreatyAct

        names = Names(writer)
        with staged_writes(writer, len(events) >= STAGED_EVENTS) as writes:
            for event, payload in zip(events, payloads, strict=True):
                cursor = writer.execute(
                    "INSERT INTO events (id, kind, earliest, latest, recorded, corrects, "
                    "format, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (event.id, event.kind, event.date.earliest.isoformat(),
                     event.date.latest.isoformat(), event.recorded_on.isoformat(),
                     event.corrects, FORMAT_VERSION, payload),
                )
                seq = cursor.lastrowid
                assert seq is not None
                written = insert_writes(writer, seq, event, names, writes)
                writer.executemany(  # the actors the event involves but writes nothing for
                    "INSERT INTO event_actors (actor, seq) VALUES (?, ?)",
                    zip(itertools.filterfalse(written.__contains__, event.involved),
                        itertools.repeat(seq)),
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
                from cybertimeline._codec.converters import registry_to_dicts

                self._declare(writer, registry_to_dicts(registry))
                listed = list(events)
                self._insert(writer, listed, (event_json(e) for e in listed))
        except sqlite3.IntegrityError as exc:
            raise ValidationError([f"{self.path}: {exc}: the store already holds these ids"]
                                  ) from None
        self._index.invalidate()

    def close(self) -> None:
        """Close the database connections."""
        self._index.close()
        for connection in (self._db, self._writer):
            if connection is not None:
                connection.close()


def _integer(value: object) -> object:
    """A meta value as the integer it should be (else the value, for the problem to name)."""
    try:
        return int(str(value))
    except ValueError:
        return value


_PLAIN_ACTOR = {"name": str, "type": str, "parent": str}


def _actor(actor_id: str, data: object) -> Actor:
    """An actor from its stored table: made at once where its fields are plain text (the
    actor's own checks apply), else read by the codec, whose errors name each field."""
    if isinstance(data, dict) and all(type(v) is _PLAIN_ACTOR.get(k) for k, v in data.items()):
        with contextlib.suppress(ValueError, TypeError):  # else the codec says what is wrong
            return Actor(id=actor_id, **data)
    from cybertimeline._codec.converters import actor_from_dict

    return actor_from_dict(actor_id, data)  # type: ignore[arg-type]
