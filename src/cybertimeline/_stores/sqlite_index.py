"""The index of a SQLite store: a timeline's questions answered with indexed SQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cybertimeline._model.written import SourcesReader
from cybertimeline._stores.index import Lane
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.sql_dialect import SQLITE
from cybertimeline._stores.sql_index import (
    EVENT_CACHE_LIMIT,
    EVENT_COLUMNS,
    LANE_CACHE_LIMIT,
    Row,
    SqlIndex,
    unreadable,
)
from cybertimeline._stores.sqlite_db import database_errors, open_reader, schema_problem
from cybertimeline.errors import TimelineError, UnknownEventError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["EVENT_CACHE_LIMIT", "LANE_CACHE_LIMIT", "SqliteIndex", "unreadable"]

_ORDER = "ORDER BY e.latest, e.earliest, e.id"
_QUERIES = {
    **SQLITE.queries(),
    "window": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.latest BETWEEN ? AND ? {_ORDER}",
    # An actor's values in a section as one row: its row numbers and its values, each
    # joined in one text (thousands of rows, each a tuple, cost more than the SQL).
    "actor_values_joined": "SELECT count(*), count(w.value), group_concat(w.seq), "
                           "group_concat(w.value, char(31)) FROM writes w WHERE w.whose = ? "
                           "AND w.section = ?",
    # How many entries a columnar section has, at most: the rows of its events' ballots, the
    # last row number of a table only ever appended to, found at once (a count walks them;
    # it only chooses how an actor's writes are read, `SqlIndex._column`). With a second
    # columnar section it would be their sum: a bound still, that chooses the join sooner.
    "section_size": "SELECT coalesce(max(rowid), 0) FROM ballots WHERE ? IS NOT NULL",
    # The period's events first: a period is usually short.
    "actor_window": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.latest BETWEEN ? AND ? "
                    "AND (EXISTS (SELECT 1 FROM event_actors a WHERE a.actor = ?3 AND "
                    "a.seq = e.seq) OR EXISTS (SELECT 1 FROM writes w WHERE w.whose = ?3 AND "
                    f"w.seq = e.seq)) {_ORDER}",
}
"""The statements of a SQLite store's index, by name (`SqlIndex._rows`): the shared ones
(`sql_dialect`), and its own windows of a period."""


def _entry_sources(index: weakref.ref[SqliteIndex], path: Path, section: str, seqs: list[int],
                   ids: list[str]) -> list[str]:
    """The sources of the entries of rows ``seqs`` (of the events ``ids``) in ``section``:
    through the index while it is open, else from the store opened afresh (a position
    handed out outlives its store, and keeps no index alive)."""
    found = index()
    if found is not None and not found.closed:
        return found.entry_sources(section, seqs, ids)
    connection, schema_version = open_reader(path)
    try:
        return SqliteIndex(connection, path, schema_version).entry_sources(
            section, seqs, ids, detached=True)
    finally:
        connection.close()


def _read_detached(path: Path, event_ids: list[str]) -> dict[str, Event]:
    """The stored events of these ids, read from the store at ``path`` opened afresh."""
    connection, schema_version = open_reader(path)
    try:
        return SqliteIndex(connection, path, schema_version).get_many(event_ids)
    finally:
        connection.close()


class SqliteIndex(SqlIndex):
    """Answers a timeline's questions with indexed SQL, parsing only the events it returns.

    Lanes are cached per actor and instrument until the database changes
    (``PRAGMA data_version`` tells when another connection wrote); parsed events
    and lanes are kept for the most recently used, up to `EVENT_CACHE_LIMIT` and
    `LANE_CACHE_LIMIT`. A lane and the corrections it is filtered by are read in
    one read transaction, so they are always of the same version of the store.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, schema_version: int) -> None:
        super().__init__(path)
        self._db = connection
        self._path = path
        self._schema_version = schema_version
        self._data_version = -1
        # Threads share the connection: one thread's read transaction at a time (the lock),
        # and whether a thread is inside `reading` is its own (a thread-local flag).
        self._lock = threading.RLock()
        self._local = threading.local()
        self.closed = False
        with self._snapshot():
            pass

    @property
    def _pinned(self) -> bool:
        """Whether this thread is inside `reading`: one read transaction, no checks."""
        return bool(getattr(self._local, "pinned", False))

    @_pinned.setter
    def _pinned(self, pinned: bool) -> None:
        self._local.pinned = pinned

    def _rows(self, query: str, args: Sequence[Any] = ()) -> Sequence[Row]:
        with database_errors(self._path):
            return self._db.execute(_QUERIES[query], args).fetchall()

    def _actor_values(self, actor: str, section: str
                      ) -> tuple[Sequence[int], Sequence[str | None]]:
        ((count, valued, seqs, values),) = self._rows("actor_values_joined", (actor, section))
        if count == 0:
            return [], []
        if valued != count:
            raise ValueError("a write without its value")
        found = values.split("\x1f")
        if len(found) != count:  # a value holding the separator
            raise ValueError("a value of a write holds a unit separator")
        return list(map(int, seqs.split(","))), found

    def _stream(self, query: str, args: Sequence[Any] = ()) -> Iterable[Row]:
        return self._db.execute(_QUERIES[query], args)  # inside a snapshot's error handling

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One read transaction: all that is read in it is one version of the store."""
        if self._pinned:  # inside `reading`'s transaction already
            yield
            return
        with self._lock, database_errors(self._path):
            outermost = not self._db.in_transaction
            if outermost:
                self._db.execute("BEGIN")
            try:
                self._db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts
                yield
            finally:
                if outermost:
                    self._db.execute("COMMIT")

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        with self._transaction():
            if not self._pinned:
                self._fresh()
            yield

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._pinned:
            yield
            return
        with self._snapshot():
            self._pinned = True
            try:
                yield
            finally:
                self._pinned = False

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
        self._reload(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def invalidate(self) -> None:
        """Read everything afresh at the next question."""
        self._data_version = -1

    def _current(self) -> None:
        """Catch up with other connections' writes, if there were any since the last read.

        ``PRAGMA data_version`` alone says whether there were (the cheap, usual case);
        only then is everything read again, in one snapshot.
        """
        if self._pinned:
            return
        with database_errors(self._path):
            moved = self._db.execute("PRAGMA data_version").fetchone()[0] != self._data_version
        if moved:
            with self._snapshot():
                pass

    def close(self) -> None:
        """Let go of everything kept (the store's connection is closing): later reads of
        events (by positions handed out) open the file afresh (`detached_reader`)."""
        self.closed = True
        self._events = Lru(EVENT_CACHE_LIMIT)
        self._drop_held()

    def detached_reader(self) -> Callable[[list[str]], dict[str, Event]]:
        """What reads events of this store once it is closed: the file opened afresh, read
        only (no reference to this index, which positions must not keep alive)."""
        return functools.partial(_read_detached, self._path)

    def _sources_reader(self, section: str) -> SourcesReader:
        return functools.partial(_entry_sources, weakref.ref(self), self._path, section)

    def entry_sources(self, section: str, seqs: list[int], ids: list[str], *,
                      detached: bool = False) -> list[str]:
        """The sources of the entries of rows ``seqs`` in ``section``, which are of the
        events ``ids``, as JSON text (`SqlIndex._sources_reader`); ``detached``: for
        positions of this store answered before it was closed.

        Raises:
            UnknownEventError: one is missing or of another event, read ``detached``: the
                file is no longer the store the positions were answered from.
            ValidationError: one is missing, of another event, or not text (the store was
                changed by something other than this library).
        """
        found: dict[int, tuple[object, object]] = {}
        with database_errors(self._path):
            for start in range(0, len(seqs), 500):  # SQLite's limit of parameters
                chunk = seqs[start:start + 500]
                found.update((seq, (event_id, text)) for seq, event_id, text in self._db.execute(
                    "SELECT seq, id, sources FROM entries WHERE +section = ? AND seq IN "
                    f"({', '.join('?' * len(chunk))})", (section, *chunk)))
        texts = []
        for seq, event_id in zip(seqs, ids, strict=True):
            held = found.get(seq)
            if detached and (held is None or held[0] != event_id):
                raise UnknownEventError(f"no event with id {event_id!r}: the store changed "
                                        f"since the position was answered")
            if held is None or held[0] != event_id or type(held[1]) is not str:
                raise self.unreadable(f"the sources of {event_id!r} in {section}",
                                      "its entry is gone, of another event, or not text")
            texts.append(held[1])
        return texts

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        wanted = list(dict.fromkeys(event_ids))
        found: dict[str, Event] = {}
        with database_errors(self._path):
            for start in range(0, len(wanted), 500):  # SQLite's limit of parameters
                chunk = wanted[start:start + 500]
                rows = self._db.execute(
                    f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.id IN "
                    f"({', '.join('?' * len(chunk))})", chunk).fetchall()
                found.update((e.id, e) for e in self._parse(rows))
        return found

    def window(self, actor: str | None, first: dt.date | None, last: dt.date | None) -> Lane:
        if first is None and last is None:
            return self.lane(actor)
        low = "" if first is None else first.isoformat()
        high = "9999-99-99" if last is None else last.isoformat()  # after every ISO day
        if actor is None:
            return self._lane(("all", f"{low}/{high}"), "window", (low, high))
        return self._lane(("actor", f"{actor} {low}/{high}"), "actor_window",
                          (low, high, actor))
