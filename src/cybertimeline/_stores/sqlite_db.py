"""A SQLite file as untrusted input: opened read-only, its schema checked before use, its
errors the library's own.

A database may hold views and triggers that run when a table is read or
written (a view that never ends, a trigger that deletes). So a store is
opened read-only (``mode=ro``), and its schema (``sqlite_schema``, which runs
nothing) must be exactly the one `SCHEMA` makes before any other statement
runs; a connection that writes is opened only after that, and checks again
that the schema did not change before each write. Every value read is
bounded by SQLite itself (`MAX_VALUE_BYTES`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from cybertimeline._stores.atomic import LOCK_TIMEOUT_SECONDS
from cybertimeline._stores.base import MAX_EVENT_BYTES
from cybertimeline.errors import ConflictError, Problem, TimelineError, ValidationError

__all__ = ["BUSY_TIMEOUT_MS", "ENTRIES_CANONICAL", "MAX_VALUE_BYTES", "SCHEMA", "WRITES",
           "database_errors",
           "is_older", "open_reader", "open_writer", "schema_problem", "upgrade"]

BUSY_TIMEOUT_MS = int(LOCK_TIMEOUT_SECONDS * 1000)
"""How long a writer waits for another's transaction, as for the other stores."""
MAX_VALUE_BYTES = MAX_EVENT_BYTES
"""No value read from a store may be longer (SQLite refuses to read it: ``SQLITE_TOOBIG``)."""

SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    earliest TEXT NOT NULL,
    latest TEXT NOT NULL,
    recorded TEXT NOT NULL,
    corrects TEXT,
    format INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_canonical ON events (latest, earliest, id);
CREATE INDEX IF NOT EXISTS events_corrects ON events (corrects) WHERE corrects IS NOT NULL;
CREATE TABLE IF NOT EXISTS event_actors (
    actor TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (actor, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_instruments (
    instrument TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (instrument, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS registry (
    entry TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (entry, id)
);
"""
"""The tables of schema 1, the first; `SCHEMA` adds the writes (`WRITES`, schema 3)."""

WRITES_2 = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER NOT NULL,
    section TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT,
    date TEXT NOT NULL,
    id TEXT NOT NULL,
    earliest TEXT NOT NULL,
    latest TEXT NOT NULL,
    recorded TEXT NOT NULL,
    ballots BLOB,
    PRIMARY KEY (seq, section)
);
CREATE INDEX IF NOT EXISTS entries_by_key ON entries (section, key);
CREATE INDEX IF NOT EXISTS entries_canonical ON entries (
    section, latest, earliest, id, seq, recorded, date, key, detail);
CREATE TABLE IF NOT EXISTS writes (
    whose TEXT NOT NULL,
    section TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value TEXT,
    PRIMARY KEY (whose, section, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
"""
"""The writes of schema 2, which a store of schema 3 replaces (`upgrade`)."""

WRITES_3 = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER NOT NULL,
    section TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT,
    sources TEXT NOT NULL,
    date TEXT NOT NULL,
    id TEXT NOT NULL,
    earliest TEXT NOT NULL,
    latest TEXT NOT NULL,
    recorded TEXT NOT NULL,
    PRIMARY KEY (seq, section)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_key ON entries (section, key);
CREATE TABLE IF NOT EXISTS ballots (
    seq INTEGER NOT NULL,
    section TEXT NOT NULL,
    ballots BLOB NOT NULL,
    PRIMARY KEY (seq, section)
);
CREATE TABLE IF NOT EXISTS writes (
    whose TEXT NOT NULL,
    section TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value TEXT,
    PRIMARY KEY (whose, section, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
"""
"""The writes of schema 3, to which schema 4 adds an index (`ENTRIES_CANONICAL`)."""

ENTRIES_CANONICAL = """
CREATE INDEX IF NOT EXISTS entries_canonical ON entries (
    section, latest, earliest, id, seq, recorded, date, key, detail);
"""
"""A section's entries in canonical order, with all a position reads of them but their
sources (schema 4): an actor's first position reads its columnar section's entries (every
roll call) from this index alone, in order, not by a lookup and a sort of each row."""

WRITES = WRITES_3 + ENTRIES_CANONICAL
"""Each event's writes (`BaseEvent.written`), in the same transaction as the event (schema
3, and 4 with `ENTRIES_CANONICAL`): an entry per event and section (its key, detail,
sources, EDTF date, and the event's columns that order and filter it) and a row per actor it
writes for, with its value (a ballot is one). An actor's position reads these, not the
events: a position's rows, then their entries by row number, which are kept small and in
row order (``WITHOUT ROWID``) for that. An entry of a columnar section also has its writes
whole in ``ballots`` (little-endian 32-bit pairs of ids in ``names``, the actor's and the
value's), which a question about every actor reads at once."""

SCHEMA = SCHEMA_1 + WRITES

_SCHEMA_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
Entries = list[tuple[str, str, str, str | None]]


def _normal(entries: list[tuple[str, str, str, str | None]]) -> Entries:
    return [(kind, name, table, None if sql is None else " ".join(sql.split()))
            for kind, name, table, sql in entries]


def _expected(schema: str) -> Entries:
    with contextlib.closing(sqlite3.connect(":memory:")) as memory:
        memory.executescript(schema)
        return _normal(memory.execute(_SCHEMA_QUERY).fetchall())


_EXPECTED = _expected(SCHEMA)


@functools.cache
def _older() -> tuple[Entries, ...]:
    """The schemas `upgrade` brings up to date: made when a store is not of `SCHEMA`, not
    at every import (each is a database made in memory)."""
    return _expected(SCHEMA_1), _expected(SCHEMA_1 + WRITES_2), _expected(SCHEMA_1 + WRITES_3)


def is_older(connection: sqlite3.Connection) -> bool:
    """Whether the database is a store of an older schema (1, without the writes; 2, with
    writes of another shape; 3, without `ENTRIES_CANONICAL`), which `upgrade` brings to
    `SCHEMA`."""
    found = _normal(connection.execute(_SCHEMA_QUERY).fetchall())
    return found != _EXPECTED and found in _older()


def _of_schema_3(connection: sqlite3.Connection) -> bool:
    """Whether the database is a store of schema 3: its rows as they are, an index to add."""
    return _normal(connection.execute(_SCHEMA_QUERY).fetchall()) == _older()[2]


def schema_problem(connection: sqlite3.Connection) -> str | None:
    """What is wrong with the database's schema (``None`` if it is exactly `SCHEMA`, or
    schema 3, which lacks only an index: a store that could not be upgraded where it is).

    Reads only ``sqlite_schema``, which runs no view or trigger.
    """
    found = _normal(connection.execute(_SCHEMA_QUERY).fetchall())
    if found == _EXPECTED or found == _older()[2]:  # schema 3 where it cannot be upgraded
        return None
    names = {(kind, name) for kind, name, _, _ in _EXPECTED}
    extra = [f"{kind} {name!r}" for kind, name, _, _ in found if (kind, name) not in names]
    missing = [f"{k} {n!r}" for k, n, _, _ in _EXPECTED if (k, n) not in
               {(kind, name) for kind, name, _, _ in found}]
    what = ("unexpected " + ", ".join(extra[:5]) if extra else
            "missing " + ", ".join(missing[:5]) if missing else "tables of another shape")
    return f"not a cybertimeline SQLite store: its schema differs ({what})"


def _configure(connection: sqlite3.Connection) -> sqlite3.Connection:
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    return _configure(sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True,
                                      timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                      check_same_thread=False))


def _read_only_medium(path: Path) -> bool:
    """Whether nobody can write beside ``path`` and it has no write-ahead log to replay."""
    wal = Path(f"{path}-wal")
    return not os.access(path.parent, os.W_OK) and (not wal.exists() or wal.stat().st_size == 0)


def open_reader(path: Path) -> tuple[sqlite3.Connection, int]:
    """A read-only connection to the store at ``path`` (a real path), once its schema and
    meta are checked; and its schema version.

    On a read-only medium where SQLite cannot make its shared-memory file, the
    file is opened as immutable (nobody can change it there).

    Raises:
        TimelineError: it is no regular file, no cybertimeline store, or unreadable.
    """
    with database_errors(path):
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise TimelineError(f"{path}: not a regular file: a SQLite store is a file")
        connection = _connect(path, "mode=ro")
        try:
            if is_older(connection):
                readable = _of_schema_3(connection)
                connection.close()
                _upgraded(path, readable)
                connection = _connect(path, "mode=ro")
            problem = schema_problem(connection)
        except sqlite3.OperationalError:
            connection.close()
            if not _read_only_medium(path):
                raise
            connection = _connect(path, "mode=ro&immutable=1")
            problem = schema_problem(connection)
        if problem is None:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("application") != "cybertimeline":
                problem = "not a cybertimeline SQLite store (its meta table says otherwise)"
        if problem is not None:
            connection.close()
            raise TimelineError(f"{path}: {problem}")
        version = connection.execute("PRAGMA schema_version").fetchone()[0]
    return connection, int(version)


def _upgraded(path: Path, readable: bool) -> None:
    """`upgrade`; a store of schema 3 (``readable``) that cannot be written here is read as
    it is: its rows are whole, only the index of schema 4 is missing (the same answers,
    read more slowly)."""
    try:
        upgrade(path)
    except TimelineError:
        if not readable:
            raise


def upgrade(path: Path) -> None:
    """Bring a store of an older schema to the current one, in place, in one transaction:
    the writes of every event (`WRITES`), read from its payload; of schema 3, which has them,
    the index it lacks (`ENTRIES_CANONICAL`). Another process may be doing the same: the
    second to take the lock finds the work done.

    Raises:
        TimelineError: the store cannot be written here (open it once where it can be, or
            copy it with ``cybertimeline import``).
    """
    from cybertimeline._stores.sqlite_writes import write_rows  # the codec, loaded only here

    try:
        writer = open_writer(path)
    except TimelineError as exc:
        raise TimelineError(f"{path}: a store of an older schema, which must be upgraded "
                            f"once where it can be written: {exc}") from None
    with contextlib.closing(writer), database_errors(path):
        writer.execute("BEGIN IMMEDIATE")
        try:
            if _of_schema_3(writer):
                writer.execute(ENTRIES_CANONICAL)
            elif is_older(writer):
                for table in ("entries", "writes", "names"):  # of schema 2, remade
                    writer.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in filter(str.strip, WRITES.split(";")):
                    writer.execute(statement)  # not executescript, which would commit
                write_rows(writer)
            writer.execute("COMMIT")
        except BaseException:
            writer.execute("ROLLBACK")
            raise


def open_writer(path: Path) -> sqlite3.Connection:
    """A connection that writes to the store at ``path``, already checked by `open_reader`."""
    with database_errors(path):
        connection = _connect(path, "mode=rw")
        # FULL: a transaction that has committed survives a power cut, not only a crash.
        connection.execute("PRAGMA synchronous = FULL")
    return connection


@contextlib.contextmanager
def database_errors(path: Path | str) -> Iterator[None]:
    """Turn SQLite's errors (and the file system's) into the library's, naming the store."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translated(path, exc) from None
    except OSError as exc:
        raise TimelineError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def translated(path: Path | str, exc: sqlite3.Error) -> TimelineError:
    """The library's error for one of SQLite's."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return ConflictError(f"{path}: another writer held the database for "
                             f"{BUSY_TIMEOUT_MS / 1000:.0f} s ({exc}); try again")
    if code == sqlite3.SQLITE_FULL:
        return TimelineError(f"{path}: the disk is full (or the database at its size limit): "
                             f"nothing was written; free some space and try again")
    if code == sqlite3.SQLITE_TOOBIG:
        return ValidationError([Problem(
            message=f"holds a value longer than {MAX_VALUE_BYTES} bytes, the limit of one "
                    f"event: it was not read; run `cybertimeline --events {path} validate`",
            file=Path(path))])
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return TimelineError(f"{path}: not a cybertimeline SQLite store: not a SQLite "
                             f"database, or a damaged one ({exc})")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return TimelineError(f"{path}: cannot be written or opened here ({exc}): check the "
                             f"permissions of the file and its folder")
    return TimelineError(f"{path}: SQLite error: {exc}")
