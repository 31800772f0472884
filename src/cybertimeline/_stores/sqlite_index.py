"""The index of a SQLite store: a timeline's questions answered with indexed SQL."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from cybertimeline._codec.reading import event_from_dict
from cybertimeline._codec.versions import check_version, upcast
from cybertimeline._model.events import Event
from cybertimeline._stores.checks import correction_cycles, cycle_message
from cybertimeline._stores.index import Lane
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.sqlite_db import database_errors, schema_problem
from cybertimeline.errors import Problem, TimelineError, ValidationError

__all__ = ["EVENT_CACHE_LIMIT", "LANE_CACHE_LIMIT", "SqliteIndex", "unreadable"]

_ORDER = "ORDER BY e.latest, e.earliest, e.id"


def unreadable(path: Path, what: str, exc: Exception) -> ValidationError:
    return ValidationError([Problem(
        message=f"{what} cannot be read ({type(exc).__name__}: {exc}): the store was changed "
                f"by something other than this library; run `cybertimeline --events {path} "
                f"validate`",
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
                                                   f"--events {self._path} validate`",
                                           file=self._path)])
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
                    raise unreadable(self._path, f"the event of row {seq}", exc) from None
                cache.put(seq, event)
            parsed.append(event)
        return parsed

    def _current(self) -> None:
        """Catch up with other connections' writes, if there were any since the last read.

        ``PRAGMA data_version`` alone says whether there were (the cheap, usual case);
        only then is everything read again, in one snapshot.
        """
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
        self._current()
        return self._correctors

    @property
    def version(self) -> int:
        self._current()
        return self._generation


