"""The index of a SQLite store: a timeline's questions answered with indexed SQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cybertimeline._model.ballots import Ballots
from cybertimeline._model.event import COLUMNAR
from cybertimeline._model.events import Event
from cybertimeline._model.written import Entries, OnKey, SourcesReader, Written
from cybertimeline._stores.index import ActorWrites, Lane
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.sql_dialect import SQLITE
from cybertimeline._stores.sql_index import (
    ENTRY_COLUMNS,
    EVENT_CACHE_LIMIT,
    EVENT_COLUMNS,
    LANE_CACHE_LIMIT,
    Row,
    SqlIndex,
    unreadable,
)
from cybertimeline._stores.sqlite_db import database_errors, open_reader, schema_problem
from cybertimeline._stores.sqlite_writes import NO_NAME, batched, read_blob
from cybertimeline.errors import TimelineError, UnknownEventError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["EVENT_CACHE_LIMIT", "LANE_CACHE_LIMIT", "SqliteIndex", "unreadable"]

_ORDER = "ORDER BY e.latest, e.earliest, e.id"
_ENTRY_ORDER = "ORDER BY n.latest, n.earliest, n.id"
_COLUMNAR = ", ".join(f"'{section}'" for section in sorted(COLUMNAR))
_QUERIES = {
    **SQLITE.queries(),
    "actor": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.seq IN (SELECT seq FROM "
             "event_actors WHERE actor = ?1 UNION SELECT seq FROM writes WHERE whose = ?1) "
             f"{_ORDER}",
    "window": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.latest BETWEEN ? AND ? {_ORDER}",
    # The period's events first: a period is usually short.
    "actor_window": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.latest BETWEEN ? AND ? "
                    "AND (EXISTS (SELECT 1 FROM event_actors a WHERE a.actor = ?3 AND "
                    "a.seq = e.seq) OR EXISTS (SELECT 1 FROM writes w WHERE w.whose = ?3 AND "
                    f"w.seq = e.seq)) {_ORDER}",
    "others": f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.seq IN (SELECT seq FROM writes "
              f"WHERE whose = ? AND section NOT IN ({_COLUMNAR})) {_ORDER}",
    "actor_values": "SELECT seq, value FROM writes WHERE whose = ? AND section = ?",
    "key_ballots": f"SELECT {ENTRY_COLUMNS}, b.ballots FROM entries n LEFT JOIN ballots b ON "
                   "b.seq = n.seq AND b.section = n.section WHERE n.section = ? AND n.key = ? "
                   f"{_ENTRY_ORDER}",
    "section_ballots": f"SELECT {ENTRY_COLUMNS}, b.ballots FROM entries n LEFT JOIN ballots b "
                       "ON b.seq = n.seq AND b.section = n.section WHERE n.section = ? "
                       f"{_ENTRY_ORDER}",
    "all_others": f"SELECT w.whose, {EVENT_COLUMNS} FROM writes w JOIN events e ON "
                  f"e.seq = w.seq WHERE w.section NOT IN ({_COLUMNAR}) {_ORDER}",
}
"""The statements of a SQLite store's index, by name (`SqlIndex._rows`)."""


JOINED_QUERIES = 2
"""How many actors' first queries on a store read their own entries (a join) before the
store reads every entry of the section once, which later actors' queries share."""


def _numbered(ids: npt.NDArray[Any], largest: int) -> tuple[list[int], npt.NDArray[Any]]:
    """The distinct ``ids`` (ids of ``names``, 0 to ``largest``) and each one's place among
    them: `numpy.unique` with ``return_inverse``, in one pass rather than a sort.

    Raises:
        ValueError: an id is outside 0 to ``largest``.
    """
    import numpy as np

    if ids.size and (int(ids.min()) < 0 or int(ids.max()) > largest):
        raise ValueError("a ballot names no name")
    if largest > 4 * ids.size + 1024:  # ids far apart (a hand-edited table): sort instead
        distinct, places = np.unique(ids, return_inverse=True)
        return distinct.tolist(), places.astype(np.int32)
    present = np.zeros(largest + 1, dtype=bool)
    present[ids] = True
    distinct = np.flatnonzero(present)
    place = np.zeros(largest + 1, dtype=np.int32)
    place[distinct] = np.arange(distinct.size, dtype=np.int32)
    return distinct.tolist(), place[ids]


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
        self._entries_held: dict[str, Entries] = {}
        self._ballots: dict[str, Ballots] = {}
        self._all_others: dict[str, list[Event]] | None = None  # by actor, with the ballots
        self._joined_count = 0  # actors whose entries were read alone (`JOINED_QUERIES`)
        self._pinned = False  # inside `reading`: one read transaction, no checks
        self.closed = False
        with self._snapshot():
            pass

    def _rows(self, query: str, args: Sequence[Any] = ()) -> Sequence[Row]:
        with database_errors(self._path):
            return self._db.execute(_QUERIES[query], args).fetchall()

    def _stream(self, query: str, args: Sequence[Any] = ()) -> Iterable[Row]:
        return self._db.execute(_QUERIES[query], args)  # inside a snapshot's error handling

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One read transaction: all that is read in it is one version of the store."""
        if self._pinned:  # inside `reading`'s transaction already
            yield
            return
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
        self._entries_held = {}
        self._ballots = {}
        self._all_others = None
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
        self._lanes.clear()
        self._writes.clear()
        self._entries_held, self._ballots, self._all_others = {}, {}, None

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

    def writes(self, actor: str) -> ActorWrites:
        self._current()
        if self._all_others is not None and self._writes.get(actor) is None:
            # Every actor's writes are in memory (`ballots`).
            return self._writes.put(actor, ActorWrites(
                Lane.presorted(self._all_others.get(actor, [])),
                {section: self._ballots[section].written(actor) for section in COLUMNAR}))
        return super().writes(actor)

    def _read_writes(self, actor: str) -> ActorWrites:
        """What ``actor``'s position reads: its columnar sections' rows, not their events
        (call inside a snapshot)."""
        columns: dict[str, Written] = {}
        for section in sorted(COLUMNAR):
            held = self._ballots.get(section)
            if held is not None:  # every actor's writes are in memory
                columns[section] = held.written(actor)
            elif section in self._entries_held or self._joined_count >= JOINED_QUERIES:
                columns[section] = self._gathered(actor, section)
            else:  # the first queries of a store: this actor's entries alone
                self._joined_count += 1
                columns[section] = self._joined(actor, section)
        return ActorWrites(self._others(actor), columns)

    def _gathered(self, actor: str, section: str) -> Written:
        """``actor``'s writes in a section whose entries are read whole once, then shared
        by every actor's query."""
        try:
            written = Written.gather(self._entries_of(section),
                                     self._rows("actor_values", (actor, section)))
            if None in written.values:
                raise ValueError("a write without its value")
        except (KeyError, TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the writes of {actor!r}", exc) from None
        return written

    def on_key(self, section: str, key: str) -> OnKey:
        self._current()
        held = self._ballots.get(section)
        if held is not None:
            return held.on_key(key)
        with self._snapshot():
            names = self._names()
            rows = self._rows("key_ballots", (section, key))
        pairs = ([(names[whose], None if value == NO_NAME else names[value])
                  for whose, value in batched(read_blob(blob), 2)] for *_, blob in rows)
        return self._on_key(section, key, rows, pairs)

    def _names(self) -> dict[int, str]:
        """The ``names`` ballots number (call inside a snapshot)."""
        names = dict(self._db.execute("SELECT id, name FROM names").fetchall())
        if not all(type(k) is int and type(v) is str for k, v in names.items()):
            raise self.unreadable("the names of the ballots",
                                  TypeError("a name or its id of another type"))
        return names

    def ballots(self, section: str) -> Ballots:
        self._current()
        found = self._ballots.get(section)
        if found is not None:
            return found
        with self._snapshot():
            found = self._ballots.get(section)
            if found is None:
                found = self._ballots[section] = self._read_ballots(section)
                self._entries_held[section] = found.entries
            if self._all_others is None and self._ballots.keys() >= COLUMNAR:
                self._all_others = self._read_all_others()
        return found

    def _read_all_others(self) -> dict[str, list[Event]]:
        """Every actor's events that write its other sections than the columnar ones
        (call inside a snapshot)."""
        rows = self._rows("all_others")
        events = self._parse([row[1:] for row in rows])
        found: dict[str, dict[str, Event]] = {}
        for (whose, *_), event in zip(rows, events, strict=True):
            found.setdefault(whose, {})[event.id] = event
        return {actor: list(held.values()) for actor, held in found.items()}

    def _read_ballots(self, section: str) -> Ballots:
        """Every actor's writes in a columnar section, from the entries' ``ballots`` (call
        inside a snapshot)."""
        import numpy as np

        names = self._names()
        rows = self._rows("section_ballots", (section,))
        entries = self._entries([row[:8] for row in rows], repr(section))
        try:
            blobs = [blob for *_, blob in rows]
            del rows  # what is held at once is what a large record's memory peaks at
            counts = [len(blob) // 8 for blob in blobs]
            pairs = np.frombuffer(b"".join(blobs), dtype="<i4").reshape(-1, 2)
            del blobs
            ranks = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
            actor_ids, columns = _numbered(pairs[:, 0], max(names, default=0))
            value_ids, codes = _numbered(pairs[:, 1], max(names, default=0))
            del pairs
            codes += 1
            actors = [names[i] for i in actor_ids]
            values = [None if i == NO_NAME else names[i] for i in value_ids]
        except (TypeError, ValueError, KeyError) as exc:  # changed by something else
            raise self.unreadable(f"the ballots of {section!r}", exc) from None
        return Ballots.of_arrays(entries, actors, values, ranks, columns, codes)

    def _entries_of(self, section: str) -> Entries:
        """The entries of a columnar section, read once per version (inside a snapshot)."""
        found = self._entries_held.get(section)
        if found is None:
            found = self._entries_held[section] = self._entries(
                self._rows("section_entries", (section,)), repr(section))
        return found
