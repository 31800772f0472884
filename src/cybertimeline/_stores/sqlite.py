"""The SQLite store: one file, many writers, and queries answered from its indexes."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from cybertimeline._codec.converters import (
    actor_from_dict,
    entry_to_dict,
    event_to_dict,
    instrument_from_dict,
    registry_to_dicts,
)
from cybertimeline._codec.reading import event_from_dict
from cybertimeline._codec.versions import FORMAT_VERSION, upcast
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.registry import Registry
from cybertimeline._stores.atomic import LOCK_TIMEOUT_SECONDS
from cybertimeline._stores.base import (
    Accept,
    Contents,
    Declaration,
    check_expected,
    must_be_new,
)
from cybertimeline._stores.index import Lane
from cybertimeline._stores.lru import Lru
from cybertimeline.errors import ConflictError, TimelineError, ValidationError

__all__ = ["SUFFIXES", "SqliteStore"]

SUFFIXES = (".sqlite", ".sqlite3", ".db")
BUSY_TIMEOUT_MS = int(LOCK_TIMEOUT_SECONDS * 1000)
"""How long a writer waits for another's transaction, as for the other stores."""

_SCHEMA = """
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
_ORDER = "ORDER BY e.latest, e.earliest, e.id"


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    # FULL: a transaction that has committed survives a power cut, not only a crash.
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


EVENT_CACHE_LIMIT = 500_000
"""How many parsed events a SQLite store keeps in memory (about 1 KB each)."""
LANE_CACHE_LIMIT = 512
"""How many actors' and instruments' lanes a SQLite store keeps in memory."""


class SqliteIndex:
    """Answers a timeline's questions with indexed SQL, parsing only the events it returns.

    Lanes are cached per actor and instrument until the database changes
    (``PRAGMA data_version`` tells when another connection wrote); parsed events
    and lanes are kept for the most recently used, up to `EVENT_CACHE_LIMIT` and
    `LANE_CACHE_LIMIT`.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._data_version = -1
        self._generation = 0  # counts reloads: the index's version
        self._events: Lru[int, Event] = Lru(EVENT_CACHE_LIMIT)
        self._lanes: Lru[tuple[str, str | None], Lane] = Lru(LANE_CACHE_LIMIT)
        self._correctors: dict[str, list[Event]] = {}
        self._count = 0
        self._fresh()

    def _fresh(self) -> None:
        data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if data_version == self._data_version:
            return
        self._data_version = data_version
        self._generation += 1
        self._lanes.clear()
        self._count = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
        correctors: defaultdict[str, list[Event]] = defaultdict(list)
        rows = self._db.execute(
            f"SELECT e.seq, e.format, e.payload FROM events e WHERE e.corrects IS NOT NULL {_ORDER}"
        )
        for event in self._parse(rows):
            assert event.corrects is not None
            correctors[event.corrects].append(event)
        self._correctors = dict(correctors)

    def invalidate(self) -> None:
        """Forget cached lanes: this connection just wrote (its own writes do not change
        ``PRAGMA data_version``, which counts other connections' commits)."""
        self._data_version = -1
        self._fresh()

    def _parse(self, rows: Iterable[tuple[int, int, str]]) -> list[Event]:
        parsed = []
        cache = self._events
        for seq, version, payload in rows:
            event = cache.get(seq)
            if event is None:
                event = cache.put(seq, event_from_dict(upcast(orjson.loads(payload), version)))
            parsed.append(event)
        return parsed

    def _lane(self, key: tuple[str, str | None], sql: str, args: Sequence[Any]) -> Lane:
        self._fresh()
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes.put(key, Lane.presorted(self._parse(self._db.execute(sql, args))))
        return lane

    def __len__(self) -> int:
        self._fresh()
        return int(self._count)

    def get(self, event_id: str) -> Event | None:
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
        self._fresh()
        return self._correctors

    @property
    def version(self) -> int:
        self._fresh()
        return self._generation


class SqliteStore:
    """Events in one SQLite file (WAL mode), for large or shared stores.

    Appends are transactions: validated against what is stored, then written
    with an actor index (every voter of a vote too), so that a position
    query reads only that actor's rows. Other processes' writes show in the
    next query.
    """

    sees_other_writers = True

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise TimelineError(f"{self.path}: no such SQLite store; create one with "
                                f"ct.create({str(self.path)!r})")
        try:
            self._db = _connect(self.path)
            found = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise TimelineError(f"{self.path}: not a cybertimeline SQLite store ({exc})") from None
        if found.get("application") != "cybertimeline":
            raise TimelineError(f"{self.path}: not a cybertimeline SQLite store")
        upcast({}, int(found.get("format", FORMAT_VERSION)))
        self._index = SqliteIndex(self._db)

    @classmethod
    def create(cls, path: Path | str) -> SqliteStore:
        """Make an empty SQLite store at ``path``, which must not exist yet."""
        target = Path(path)
        must_be_new(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(target)
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.executescript(_SCHEMA)
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("application", "cybertimeline"), ("format", str(FORMAT_VERSION))],
            )
        connection.close()
        return cls(target)

    @property
    def location(self) -> str:
        return str(self.path)

    def _registry(self) -> Registry:
        actors, instruments = [], []
        for entry, key, payload in self._db.execute("SELECT entry, id, payload FROM registry"):
            if entry == "actor":
                actors.append(actor_from_dict(key, json.loads(payload)))
            else:
                instruments.append(instrument_from_dict(key, json.loads(payload)))
        return Registry.builtin().extended(actors, instruments)

    def read(self) -> Contents:
        return Contents(self._index, self._registry())

    def _begin(self) -> None:
        """Start a write transaction, or raise ConflictError if another writer keeps it."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ConflictError(f"{self.path}: another writer held the database for "
                                f"{BUSY_TIMEOUT_MS / 1000:.0f} s ({exc}); try again") from None

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        self._begin()
        try:
            self._index.invalidate()
            contents = self.read()
            check_expected(contents, expected, self.location)
            accept(contents)
            self._declare(entry_to_dict(e) for e in declare)
            self._insert(events)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._index.invalidate()
        return self.read() if declare else contents

    def _declare(self, entries: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO registry (entry, id, payload) VALUES (?, ?, ?)",
            [(entry, key, json.dumps(data, ensure_ascii=False)) for entry, key, data in entries])

    def _insert(self, events: Iterable[Event]) -> None:
        for event in events:
            cursor = self._db.execute(
                "INSERT INTO events (id, kind, earliest, latest, recorded, corrects, format, "
                "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (event.id, event.kind, event.date.earliest.isoformat(),
                 event.date.latest.isoformat(), event.recorded_on.isoformat(), event.corrects,
                 FORMAT_VERSION, json.dumps(event_to_dict(event), ensure_ascii=False)),
            )
            seq = cursor.lastrowid
            self._db.executemany(
                "INSERT INTO event_actors (actor, seq) VALUES (?, ?)",
                [(actor, seq) for actor in dict.fromkeys(event.involved)],
            )
            if isinstance(event, TreatyAct):
                self._db.execute(
                    "INSERT INTO event_instruments (instrument, seq) VALUES (?, ?)",
                    (event.instrument, seq),
                )

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry in one transaction, without checking them.

        For copying a store that was validated as a whole (``cybertimeline import``).
        """
        self._begin()
        try:
            self._declare(registry_to_dicts(registry))
            self._insert(events)
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self._db.execute("ROLLBACK")
            raise ValidationError([f"{self.path}: {exc}: the store already holds these ids"]
                                  ) from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._index.invalidate()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()
