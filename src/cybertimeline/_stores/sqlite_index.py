"""The index of a SQLite store: a timeline's questions answered with indexed SQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from cybertimeline._codec.versions import check_version, upcast
from cybertimeline._model.ballots import Ballots
from cybertimeline._model.event import COLUMNAR
from cybertimeline._model.events import Event
from cybertimeline._model.written import Entries, OnKey, Written
from cybertimeline._stores.checks import correction_cycles, cycle_message
from cybertimeline._stores.index import ActorWrites, Lane
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.sqlite_db import database_errors, open_reader, schema_problem
from cybertimeline._stores.sqlite_writes import NO_NAME, batched, read_blob
from cybertimeline.errors import Problem, TimelineError, ValidationError

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["EVENT_CACHE_LIMIT", "LANE_CACHE_LIMIT", "SqliteIndex", "unreadable"]

_ORDER = "ORDER BY e.latest, e.earliest, e.id"
_ENTRY_ORDER = "ORDER BY n.latest, n.earliest, n.id"
_ENTRY_COLUMNS = "n.seq, n.id, n.latest, n.recorded, n.date, n.key, n.detail, n.sources"
"""An entry's columns as `Entries.of_columns` reads them (``n``: the entries table)."""
_EVENT_ROW = "seq, format, payload, id, corrects"
"""What `SqliteIndex._parse` reads of an event's row: its payload, and the columns to check."""
_EVENT = "e.seq, e.format, e.payload, e.id, e.corrects"
_COLUMNAR = ", ".join(f"'{section}'" for section in sorted(COLUMNAR))


def unreadable(path: Path, what: str, exc: Exception) -> ValidationError:
    return ValidationError([Problem(
        message=f"{what} cannot be read ({type(exc).__name__}: {exc}): the store was changed "
                f"by something other than this library; run `cybertimeline --events {path} "
                f"validate`",
        file=path)])


EVENT_CACHE_LIMIT = 500_000
"""How many parsed events a SQLite store keeps in memory (about 1 KB each)."""
JOINED_QUERIES = 2
"""How many actors' first queries on a store read their own entries (a join) before the
store reads every entry of the section once, which later actors' queries share."""
LANE_CACHE_LIMIT = 512
"""How many actors' and instruments' lanes a SQLite store keeps in memory."""


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


def _event_from_dict(data: dict[str, Any]) -> Event:
    """`event_from_dict`: the codec (cattrs) is loaded when a first event is read whole."""
    from cybertimeline._codec.reading import event_from_dict

    return event_from_dict(data)


def _read_detached(path: Path, event_ids: list[str]) -> dict[str, Event]:
    """The stored events of these ids, read from the store at ``path`` opened afresh."""
    connection, schema_version = open_reader(path)
    try:
        return SqliteIndex(connection, path, schema_version).get_many(event_ids)
    finally:
        connection.close()


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
        self._writes: Lru[str, ActorWrites] = Lru(LANE_CACHE_LIMIT)
        self._entries: dict[str, Entries] = {}
        self._ballots: dict[str, Ballots] = {}
        self._others: dict[str, list[Event]] | None = None  # by actor, with the ballots
        self._joined = 0  # actors whose entries were read alone (`JOINED_QUERIES`)
        self._pinned = False  # inside `reading`: one read transaction, no checks
        self.closed = False
        self._correctors: dict[str, list[Event]] = {}
        self._count = 0
        with self._snapshot():
            self._fresh()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
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
    def reading(self) -> Iterator[None]:
        if self._pinned:
            yield
            return
        with self._snapshot():
            self._fresh()
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
        self._generation += 1
        self._lanes.clear()
        self._writes.clear()
        self._entries = {}
        self._ballots = {}
        self._others = None
        self._count = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
        correctors: defaultdict[str, list[Event]] = defaultdict(list)
        rows = self._db.execute(
            # By the partial index of correctors: else SQLite walks every event in order.
            f"SELECT {_EVENT} FROM events e INDEXED BY events_corrects WHERE e.corrects IS "
            f"NOT NULL {_ORDER}"
        )
        parsed = self._parse(rows)
        for cycle in correction_cycles({e.id: e.corrects for e in parsed if e.corrects}):
            raise ValidationError([Problem(message=f"{cycle_message(cycle)}; run `cybertimeline "
                                                   f"--events {self._path} validate`",
                                           file=self._path)])
        for event in parsed:
            assert event.corrects is not None
            correctors[event.corrects].append(event)
        self._correctors = dict(correctors)

    def invalidate(self) -> None:
        """Read everything afresh at the next question."""
        self._data_version = -1

    def _parse(self, rows: Iterable[tuple[int, int, str, str, str | None]]) -> list[Event]:
        """The events of rows ``(seq, format, payload, id, corrects)``, each checked against
        the columns queries trust (its id, what it corrects): a row changed by hand is an
        error, not an answer."""
        parsed = []
        cache = self._events
        for seq, version, payload, event_id, corrects in rows:
            event = cache.get(seq)
            if event is None:
                try:
                    if check_version(version) is not None:
                        raise ValueError(check_version(version))
                    event = _event_from_dict(upcast(orjson.loads(payload), version))
                    if (event.id, event.corrects) != (event_id, corrects):
                        raise ValueError(f"its columns (id {event_id!r}, corrects {corrects!r}) "
                                         f"disagree with its payload")
                except Exception as exc:  # the row was written by something else: report it
                    raise unreadable(self._path, f"the event of row {seq}", exc) from None
                cache.put(seq, event)
            parsed.append(event)
        return parsed

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
                self._fresh()

    def _lane(self, key: tuple[str, str | None], sql: str, args: Sequence[Any]) -> Lane:
        self._current()
        lane = self._lanes.get(key)
        if lane is not None:
            return lane
        with self._snapshot():  # the lane and the corrections of one version of the store
            self._fresh()
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes.put(key, Lane.presorted(self._parse(self._db.execute(sql,
                                                                                         args))))
        return lane

    def __len__(self) -> int:
        self._current()
        return int(self._count)

    def get(self, event_id: str) -> Event | None:
        with database_errors(self._path):
            rows = self._db.execute(
                f"SELECT {_EVENT_ROW} FROM events WHERE id = ?", (event_id,)
            ).fetchall()
            found = self._parse(rows)
        return found[0] if found else None

    def close(self) -> None:
        """Let go of everything kept (the store's connection is closing): later reads of
        events (by positions handed out) open the file afresh (`detached_reader`)."""
        self.closed = True
        self._events = Lru(EVENT_CACHE_LIMIT)
        self._lanes.clear()
        self._writes.clear()
        self._entries, self._ballots, self._others = {}, {}, None

    def detached_reader(self) -> Callable[[list[str]], dict[str, Event]]:
        """What reads events of this store once it is closed: the file opened afresh, read
        only (no reference to this index, which positions must not keep alive)."""
        return functools.partial(_read_detached, self._path)

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        wanted = list(dict.fromkeys(event_ids))
        found: dict[str, Event] = {}
        with database_errors(self._path):
            for start in range(0, len(wanted), 500):  # SQLite's limit of parameters
                chunk = wanted[start:start + 500]
                rows = self._db.execute(
                    f"SELECT {_EVENT_ROW} FROM events WHERE id IN "
                    f"({', '.join('?' * len(chunk))})", chunk).fetchall()
                found.update((e.id, e) for e in self._parse(rows))
        return found

    def lane(self, actor: str | None = None) -> Lane:
        if actor is None:
            return self._lane(("all", None), f"SELECT {_EVENT_ROW} FROM events e {_ORDER}",
                              ())
        return self._lane(
            ("actor", actor),
            f"SELECT {_EVENT} FROM events e WHERE e.seq IN (SELECT seq FROM "
            "event_actors WHERE actor = ? UNION SELECT seq FROM writes WHERE whose = ?) "
            f"{_ORDER}",
            (actor, actor),
        )

    def window(self, actor: str | None, first: dt.date | None, last: dt.date | None) -> Lane:
        if first is None and last is None:
            return self.lane(actor)
        low = "" if first is None else first.isoformat()
        high = "9999-99-99" if last is None else last.isoformat()  # after every ISO day
        if actor is None:
            return self._lane(("all", f"{low}/{high}"), f"SELECT {_EVENT_ROW} FROM events "
                              f"e WHERE e.latest BETWEEN ? AND ? {_ORDER}", (low, high))
        return self._lane(  # the period's events first: a period is usually short
            ("actor", f"{actor} {low}/{high}"),
            f"SELECT {_EVENT} FROM events e WHERE e.latest BETWEEN ? AND ? "
            "AND (EXISTS (SELECT 1 FROM event_actors a WHERE a.actor = ? AND a.seq = e.seq) "
            "OR EXISTS (SELECT 1 FROM writes w WHERE w.whose = ? AND w.seq = e.seq)) "
            f"{_ORDER}",
            (low, high, actor, actor),
        )

    def instrument_lane(self, instrument: str) -> Lane:
        return self._lane(
            ("instrument", instrument),
            f"SELECT {_EVENT} FROM event_instruments i "
            f"JOIN events e ON e.seq = i.seq WHERE i.instrument = ? {_ORDER}",
            (instrument,),
        )

    def writes(self, actor: str) -> ActorWrites:
        self._current()
        found = self._writes.get(actor)
        if found is not None:
            return found
        if self._others is not None:  # every actor's writes are in memory (`ballots`)
            return self._writes.put(actor, ActorWrites(
                Lane.presorted(self._others.get(actor, [])),
                {section: self._ballots[section].written(actor) for section in COLUMNAR}))
        with self._snapshot():  # the rows and the lane of one version of the store
            self._fresh()
            found = self._writes.get(actor)
            if found is None:
                found = self._writes.put(actor, self._read_writes(actor))
        return found

    def _read_writes(self, actor: str) -> ActorWrites:
        """What ``actor``'s position reads: its columnar sections' rows, not their events
        (call inside a snapshot)."""
        others = self._parse(self._db.execute(
            f"SELECT {_EVENT} FROM events e WHERE e.seq IN (SELECT seq "
            f"FROM writes WHERE whose = ? AND section NOT IN ({_COLUMNAR})) {_ORDER}",
            (actor,)))
        columns: dict[str, Written] = {}
        for section in sorted(COLUMNAR):
            held = self._ballots.get(section)
            if held is not None:  # every actor's writes are in memory
                columns[section] = held.written(actor)
                continue
            try:
                if section in self._entries or self._joined >= JOINED_QUERIES:
                    written = Written.gather(self._entries_of(section), self._db.execute(
                        "SELECT seq, value FROM writes WHERE whose = ? AND section = ?",
                        (actor, section)))
                else:  # the first queries of a store: this actor's entries alone
                    self._joined += 1
                    # Its rows first, then their entries by row number (CROSS JOIN: in
                    # that order), sorted: not every entry to find its rows among them.
                    rows = self._db.execute(
                        f"SELECT {_ENTRY_COLUMNS}, w.value FROM writes w CROSS JOIN entries n "
                        "ON n.seq = w.seq AND n.section = w.section WHERE w.whose = ? AND "
                        f"w.section = ? {_ENTRY_ORDER}", (actor, section)).fetchall()
                    written = Written(Entries.of_columns([row[:8] for row in rows]),
                                      range(len(rows)), [row[8] for row in rows])
                columns[section] = written
                if None in written.values:
                    raise ValueError("a write without its value")
            except (KeyError, TypeError, ValueError) as exc:  # changed by something else
                raise unreadable(self._path, f"the writes of {actor!r}", exc) from None
        return ActorWrites(Lane.presorted(others), columns)

    def on_key(self, section: str, key: str) -> OnKey:
        self._current()
        held = self._ballots.get(section)
        if held is not None:
            return held.on_key(key)
        with self._snapshot():
            self._fresh()
            names = self._names()
            rows = self._db.execute(
                f"SELECT {_ENTRY_COLUMNS}, b.ballots FROM entries n LEFT JOIN ballots b ON "
                "b.seq = n.seq AND b.section = n.section WHERE n.section = ? AND n.key = ? "
                f"{_ENTRY_ORDER}", (section, key)).fetchall()
        try:
            entries = Entries.of_columns([row[:8] for row in rows])
            pairs = [[(names[whose], None if value == NO_NAME else names[value])
                      for whose, value in batched(read_blob(blob), 2)] for *_, blob in rows]
        except (TypeError, ValueError, KeyError) as exc:  # changed by something else
            raise unreadable(self._path, f"the ballots of {key!r}", exc) from None
        return OnKey(entries, pairs)

    def _names(self) -> dict[int, str]:
        """The ``names`` ballots number (call inside a snapshot)."""
        names = dict(self._db.execute("SELECT id, name FROM names").fetchall())
        if not all(type(k) is int and type(v) is str for k, v in names.items()):
            raise unreadable(self._path, "the names of the ballots",
                             TypeError("a name or its id of another type"))
        return names

    def ballots(self, section: str) -> Ballots:
        self._current()
        found = self._ballots.get(section)
        if found is not None:
            return found
        with self._snapshot():
            self._fresh()
            found = self._ballots.get(section)
            if found is None:
                found = self._ballots[section] = self._read_ballots(section)
                self._entries[section] = found.entries
            if self._others is None and self._ballots.keys() >= COLUMNAR:
                self._others = self._read_others()
        return found

    def _read_others(self) -> dict[str, list[Event]]:
        """Every actor's events that write its other sections than the columnar ones
        (call inside a snapshot)."""
        rows = self._db.execute(
            f"SELECT w.whose, {_EVENT} FROM writes w JOIN events e ON "
            f"e.seq = w.seq WHERE w.section NOT IN ({_COLUMNAR}) {_ORDER}").fetchall()
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
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS}, b.ballots FROM entries n LEFT JOIN ballots b ON "
            f"b.seq = n.seq AND b.section = n.section WHERE n.section = ? {_ENTRY_ORDER}",
            (section,)).fetchall()
        try:
            entries = Entries.of_columns([row[:8] for row in rows])
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
            raise unreadable(self._path, f"the ballots of {section!r}", exc) from None
        return Ballots.of_arrays(entries, actors, values, ranks, columns, codes)

    def _entries_of(self, section: str) -> Entries:
        """The entries of a columnar section, read once per version (inside a snapshot)."""
        found = self._entries.get(section)
        if found is not None:
            return found
        try:
            entries = Entries.of_columns(self._db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries n WHERE n.section = ? {_ENTRY_ORDER}",
                (section,)).fetchall())
        except (TypeError, ValueError) as exc:  # changed by something else
            raise unreadable(self._path, f"the entries of {section!r}", exc) from None
        self._entries[section] = entries
        return entries

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        self._current()
        return self._correctors

    @property
    def version(self) -> int:
        self._current()
        return self._generation


