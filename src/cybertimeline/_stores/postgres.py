"""The PostgreSQL store: one server, many editors and readers, queries answered from its indexes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import reprlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from cybertimeline._codec.converters import (
    actor_from_dict,
    entry_to_dict,
    event_to_dict,
    instrument_from_dict,
    registry_to_dicts,
)
from cybertimeline._codec.versions import FORMAT_VERSION, upcast
from cybertimeline._model.ballots import Ballots
from cybertimeline._model.event import COLUMNAR
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.registry import Registry
from cybertimeline._model.written import OnKey
from cybertimeline._stores import postgres_schema as pg_schema
from cybertimeline._stores.atomic import LOCK_TIMEOUT_SECONDS
from cybertimeline._stores.base import Accept, Contents, Declaration, sized_json
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.index import ActorWrites, Lane
from cybertimeline._stores.mapper import map_payload
from cybertimeline._stores.pipeline import Loader
from cybertimeline._stores.postgres_link import Address, CommitInDoubt, Link, is_url
from cybertimeline._stores.sql_index import SqlIndex
from cybertimeline._stores.sql_rows import (
    column_problem,
    entries_made,
    index_problem,
    writes_made,
)
from cybertimeline.errors import ConflictError, NoStoreError, ReadOnlyError, TimelineError

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore", "is_url"]

_BOUNDED = frozenset({"all", "actor", "instrument", "others", "written", "correctors",
                      "key_entries", "section_entries", "section_writes"})
"""The index's queries that read rows up to the last sequence number of a revision."""


class PostgresIndex(SqlIndex):
    """Answers a timeline's questions with indexed SQL, parsing only the events it returns.

    Each question first reads the store's revision (one row): when another
    writer has committed since, cached lanes and corrections are dropped.
    Rows are read up to the last sequence number of that revision, so that
    lanes, corrections and the count agree even while writers commit.
    """

    def __init__(self, link: Link, queries: Mapping[str, bytes]) -> None:
        super().__init__(link.address.location)
        self._link = link
        self._q = queries
        self._revision = -1
        self._ballots: dict[str, Ballots] = {}  # one section's, of the current revision
        self._last_seq = 0
        self._current()

    def _rows(self, query: str, args: Sequence[Any] = ()) -> Sequence[tuple[Any, ...]]:
        if query in _BOUNDED:
            args = (*args, self._last_seq)
        return self._link.rows(self._q[query], args)

    def _current(self) -> None:
        revision, count, last_seq = self._link.rows(self._q["head"])[0]
        if revision == self._revision:
            return
        self._revision, self._last_seq = revision, last_seq
        self._ballots = {}
        self._reload(count)

    def _snapshot(self) -> contextlib.AbstractContextManager[None]:
        # Rows up to the revision's last sequence number: one version of the store.
        return contextlib.nullcontext()

    def invalidate(self) -> None:
        """Read the revision again at the next question (this connection just wrote)."""
        self._revision = -1

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        return {e.id: e for e in (self.get(i) for i in dict.fromkeys(event_ids)) if e is not None}

    def window(self, actor: str | None, first: dt.date | None, last: dt.date | None) -> Lane:
        return self.lane(actor).between(first, last)

    def _read_writes(self, actor: str) -> ActorWrites:
        """What ``actor``'s position reads: its columnar sections' rows, not their events,
        and its other events, up to the revision read."""
        return ActorWrites(self._others(actor), {section: self._joined(actor, section)
                                                 for section in sorted(COLUMNAR)})

    def on_key(self, section: str, key: str) -> OnKey:
        self._current()
        held = self._ballots.get(section)
        if held is not None:
            return held.on_key(key)
        rows = self._rows("key_entries", (section, key))
        found: dict[int, list[tuple[str, str | None]]] = {}
        for seq, whose, value in self._link.rows(self._q["key_writes"],
                                                 (section, [row[0] for row in rows])):
            found.setdefault(seq, []).append((whose, value))
        return self._on_key(section, key, rows, (found.get(row[0], []) for row in rows))

    def ballots(self, section: str) -> Ballots:
        self._current()
        found = self._ballots.get(section)
        if found is None:
            found = self._read_ballots(section)
            self._ballots = {section: found}
        return found

    def _read_ballots(self, section: str) -> Ballots:
        """Every actor's writes in a columnar section, from its rows (numpy is loaded)."""
        import numpy as np

        entries = self._entries(self._rows("section_entries", (section,)), repr(section))
        actors: dict[str, int] = {}
        values: dict[str | None, int] = {}
        ranks, columns, codes = [], [], []
        rank = entries.rank
        for seq, whose, value in self._rows("section_writes", (section,)):
            place = rank.get(seq)
            if place is None:  # a row of no entry: `validate` reports it
                continue
            ranks.append(place)
            columns.append(actors.setdefault(whose, len(actors)))
            codes.append(values.setdefault(value, len(values)) + 1)
        return Ballots.of_arrays(entries, list(actors), list(values),
                                 np.array(ranks, dtype=np.int32),
                                 np.array(columns, dtype=np.int32),
                                 np.array(codes, dtype=np.int32))

    def reading(self) -> contextlib.AbstractContextManager[None]:
        # Its reads are not one snapshot: answers compare versions (`Timeline`) instead.
        return contextlib.nullcontext()


class PostgresStore:
    """Events in PostgreSQL tables of one schema, for a team or a service.

    Each append is one transaction that first takes the store's single
    ``head`` row (so writers queue, and ``expected`` is checked by the server
    in the same statement), validates against what is committed, copies the
    events and their actor and instrument index rows in, and advances the
    count. The database keeps ids unique. Other processes' writes show in
    the next query.
    """

    sees_other_writers = True

    def __init__(self, url: str) -> None:
        self.address = Address.parse(url)
        self._link = Link(self.address, LOCK_TIMEOUT_SECONDS)
        self._q = {name: self._sql(t) for name, t in pg_schema.QUERIES.items()}
        try:
            self._check_schema()
            self._index = PostgresIndex(self._link, self._q)
        except BaseException:
            self._link.close()
            raise

    @property
    def location(self) -> str:
        return self.address.location

    def _sql(self, template: str) -> bytes:
        return pg_schema.render(template, self.address.schema)

    def _check_schema(self) -> None:
        meta_table = pg_schema.qualified(self.address.schema, "meta")
        (found,) = self._link.rows(b"SELECT to_regclass(%s)", (meta_table,))[0]
        if found is None:
            raise NoStoreError(
                f"{self.location}: no cybertimeline store in schema {self.address.schema!r} "
                f"({self.address.server()}); create one with ct.create(URL), or copy a store "
                f"into it with `cybertimeline --events SOURCE import --into URL`")
        meta = dict(self._link.rows(self._q["meta"]))
        if meta.get("application") != "cybertimeline":
            raise TimelineError(f"{self.location}: schema {self.address.schema!r} holds a "
                                f"table 'meta' that is not a cybertimeline store's")
        upcast({}, self._meta_number(meta, "format", FORMAT_VERSION))
        version, latest = self._meta_number(meta, "schema", 1), pg_schema.SCHEMA_VERSION
        if version > latest:
            raise TimelineError(
                f"{self.location}: the store's tables are of schema version {version}, newer "
                f"than this cybertimeline reads ({latest}): upgrade cybertimeline")
        if version < latest:
            self._upgrade(version, latest)

    def _meta_number(self, meta: Mapping[str, str], key: str, default: int) -> int:
        """A number the table ``meta`` holds; a TimelineError if it holds something else."""
        text = meta.get(key, str(default))
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            raise TimelineError(f"{self.location}: the table 'meta' says {key} = "
                                f"{reprlib.repr(text)}, which is no version number: it was "
                                f"changed by something other than this library")
        return int(text)

    def _upgrade(self, version: int, latest: int) -> None:
        """Bring the tables from ``version`` to ``latest``, in one transaction."""
        try:
            with self._link.transaction() as db:
                db.execute(self._q["claim"], (None, None))
                for step in range(version, latest):
                    for statement in pg_schema.UPGRADES[step]:
                        db.execute(self._sql(statement))
                    if step == 1:  # the rows of version 2, from every stored event
                        _put_rows(db, self._q, _stored_events(db, self._q))
                db.execute(self._sql("UPDATE {s}.meta SET value = %s WHERE key = 'schema'"),
                           (str(latest),))
        except ReadOnlyError:
            raise ReadOnlyError(
                f"{self.location}: the store's tables are of schema version {version}; this "
                f"cybertimeline needs {latest}: open it once with the role that owns them, "
                f"which upgrades them in place") from None

    @classmethod
    def create(cls, url: str,
               contents: tuple[Sequence[Event], Registry] | None = None) -> PostgresStore:
        """Make the tables of a store in the URL's schema (``cybertimeline`` unless
        ``?schema=NAME``), creating the schema if it is missing; with ``contents`` (events
        and registry, unchecked: for copies), fill them in the same transaction.

        So a copy is committed whole or not at all: until it commits, nobody else sees
        the tables, and a copy that fails leaves nothing to drop.

        Raises:
            TimelineError: a store is already there, or the server cannot be reached.
        """
        address = Address.parse(url)
        link = Link(address, LOCK_TIMEOUT_SECONDS)
        schema = address.schema
        try:
            with link.transaction() as db:
                # Two creators at once: the second waits here, then finds the first's store.
                db.execute(b"SELECT pg_advisory_xact_lock(hashtext(%s))", (f"ct:{schema}",))
                if db.execute(b"SELECT to_regclass(%s)",
                              (pg_schema.qualified(schema, "meta"),)
                              ).fetchone() != (None,):
                    raise TimelineError(
                        f"{address.location}: already exists (a store in schema {schema!r}); "
                        f"load it with ct.load() or choose another ?schema=")
                if db.execute(b"SELECT 1 FROM pg_namespace WHERE nspname = %s",
                              (schema,)).fetchone() is None:
                    db.execute(pg_schema.render("CREATE SCHEMA {s}", schema))
                for statement in pg_schema.TABLES:
                    db.execute(pg_schema.render(statement, schema))
                db.cursor().executemany(
                    pg_schema.render("INSERT INTO {s}.meta (key, value) VALUES (%s, %s)", schema),
                    [("application", "cybertimeline"), ("schema", str(pg_schema.SCHEMA_VERSION)),
                     ("format", str(FORMAT_VERSION))])
                if contents is not None:
                    q = {name: pg_schema.render(t, schema) for name, t in pg_schema.QUERIES.items()}
                    _put_registry(db, q, registry_to_dicts(contents[1]))
                    _put_events(db, q, schema, contents[0])
        finally:
            link.close()
        return cls(url)

    def _registry(self) -> Registry:
        actors, instruments = [], []
        for entry, key, payload in self._link.rows(self._q["registry"]):
            if entry == "actor":
                actors.append(actor_from_dict(key, json.loads(payload)))
            else:
                instruments.append(instrument_from_dict(key, json.loads(payload)))
        return Registry.builtin().extended(actors, instruments)

    def read(self) -> Contents:
        return Contents(self._index, self._registry())

    def validate(self) -> None:
        """Check every row afresh, as a load checks a folder: each registry entry and event
        payload through the same reading and checks (fields, actors, instruments, unique
        ids, corrections that point to an event, no cycle), every problem at once.

        Raises:
            ValidationError: every problem found, each naming its event or entry.
        """
        loader = Loader(Path(self.location))
        for entry, key, payload in self._link.rows(self._q["registry"]):
            loader.registry_entry("actor" if entry == "actor" else "instrument", key,
                                  _decoded(payload, loader, f"{entry} {key!r}"), Origin())
        last_seq = self._link.rows(self._q["head"])[0][2]
        events = []
        for seq, version, payload, event_id, _ in self._link.rows(self._q["all"], (last_seq,)):
            origin = Origin(Path(self.location), row=f"row {seq} ({event_id!r})")
            event = loader.event(payload, origin, version)
            if event is not None:
                events.append((seq, event))
        self._check_rows(loader, events, last_seq)
        loader.contents()

    def _check_rows(self, loader: Loader, events: Sequence[tuple[int, Event]],
                    last_seq: int) -> None:
        """Report each event whose rows in ``entries`` and ``writes`` are not the ones its
        payload makes, and rows that name no event."""
        stored: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
        for seq, *row in self._link.rows(self._q["entries_of"], (last_seq,)):
            stored[seq].add(("entry", *row))
        for seq, *row in self._link.rows(self._q["writes_of"], (last_seq,)):
            stored[seq].add(("write", *row))
        indexed = _Indexed(self._link, self._q, last_seq)
        for seq, event in events:
            origin = Origin(Path(self.location), row=f"row {seq} ({event.id!r})")
            for problem in indexed.problems(seq, event):
                loader.add(origin.problem(problem))
            if stored.pop(seq, set()) != {_checked(row) for row in _rows(seq, event)}:
                loader.add(origin.problem(
                    f"event {event.id!r}: its rows in entries and writes disagree with its "
                    f"payload: the tables were changed by something other than this library"))
        for seq in sorted(stored)[:10]:  # what is left names no event read above
            loader.problem(f"rows in entries or writes name event row {seq}, which is "
                           f"no event that can be read")

    def _claim(self, db: psycopg.Connection[tuple[Any, ...]], expected: int | None) -> None:
        """Take the writers' lock; raise ConflictError unless ``expected`` events are stored."""
        if db.execute(self._q["claim"], (expected, expected)).fetchone() is None:
            head = db.execute(self._q["head"]).fetchone()
            count = head[1] if head else 0
            raise ConflictError(
                f"{self.location}: the store moved on ({count} events, expected {expected}): "
                f"another writer appended first; reload and retry")

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        sized_json(events)
        try:
            with self._link.transaction() as db:
                self._claim(db, expected)
                self._index.invalidate()
                contents = self.read()
                accept(contents)
                self._declare(db, (entry_to_dict(e) for e in declare))
                self._insert(db, events)
        except CommitInDoubt as doubt:
            self._resolve(events, doubt)  # returns if the commit reached the server
            contents = self.read()
        finally:
            self._index.invalidate()
        return self.read() if declare else contents

    def _resolve(self, events: Sequence[Event], doubt: CommitInDoubt) -> None:
        """After a connection lost during COMMIT: return if ``events`` were committed, raise
        TimelineError saying so if they were not; ``doubt`` itself if that cannot be told.

        A new connection takes the writers' lock, which the lost transaction held until
        the server ended it (committed, or rolled back), then looks the ids up.
        """
        if not events:
            raise doubt
        ours = {e.id: json.dumps(event_to_dict(e), ensure_ascii=False) for e in events}
        try:
            with self._link.transaction() as db:
                db.execute(self._sql("SELECT 1 FROM {s}.head FOR UPDATE"))
                found = dict(db.execute(
                    self._sql("SELECT id, payload FROM {s}.events WHERE id = ANY(%s)"),
                    (list(ours),)).fetchall())
        except TimelineError:
            raise doubt from None
        if found == ours:
            return
        if not found:
            raise TimelineError(
                f"{self.location}: lost the connection to the PostgreSQL server during the "
                f"commit, which did not reach it: nothing was written; append again") from None
        raise doubt

    def _declare(self, db: psycopg.Connection[tuple[Any, ...]],
                 entries: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Put registry entries in, each replacing the entry of its id."""
        _put_registry(db, self._q, entries)

    def _insert(self, db: psycopg.Connection[tuple[Any, ...]], events: Sequence[Event]) -> None:
        """Copy ``events`` and their index rows in, and count them in ``head``."""
        _put_events(db, self._q, self.address.schema, events)

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry in one transaction, without checking them.

        For copying a store that was validated as a whole (``cybertimeline import``).
        """
        try:
            with self._link.transaction() as db:
                self._claim(db, None)
                self._declare(db, registry_to_dicts(registry))
                self._insert(db, list(events))
        finally:
            self._index.invalidate()

    def close(self) -> None:
        """Close the connection to the server."""
        self._link.close()


class _Indexed:
    """The columns of every event's row and the rows of the tables that index it, as
    `validate` compares them with its payload (`column_problem`, `index_problem`)."""

    def __init__(self, link: Link, q: Mapping[str, bytes], last_seq: int) -> None:
        self._columns = {seq: columns for seq, *columns
                         in link.rows(q["columns_of"], (last_seq,))}
        self._actors: defaultdict[int, set[str]] = defaultdict(set)
        for actor, seq in link.rows(q["actors_of"], (last_seq,)):
            self._actors[seq].add(actor)
        self._instruments: defaultdict[int, set[str]] = defaultdict(set)
        for instrument, seq in link.rows(q["instruments_of"], (last_seq,)):
            self._instruments[seq].add(instrument)

    def problems(self, seq: int, event: Event) -> Iterator[str]:
        """What is wrong with the event's columns and index rows."""
        for problem in (column_problem(event, self._columns.get(seq, ())),
                        index_problem(event, self._actors.get(seq, set()),
                                      self._instruments.get(seq, set()), writers_apart=False)):
            if problem is not None:
                yield problem


def _decoded(payload: str, loader: Loader, what: str) -> Any:
    """A row's JSON payload, or None with the problem recorded."""
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        loader.problem(f"{what}: its payload is not JSON ({exc}): fix or remove the row")
        return None


def _put_registry(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes],
                  entries: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """Put registry entries in, each replacing the entry of its id."""
    db.cursor().executemany(q["put_registry"], [
        (entry, key, json.dumps(data, ensure_ascii=False)) for entry, key, data in entries])


def _put_events(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes], schema: str,
                events: Sequence[Event]) -> None:
    """Copy ``events`` and their index rows in, and count them in ``head``."""
    if not events:
        return
    table = pg_schema.qualified(schema, "events")
    seqs = sorted(row[0] for row in db.execute(q["reserve"], (table, len(events))))
    with db.cursor() as cursor:
        with cursor.copy(q["copy_events"]) as copy:
            for seq, event in zip(seqs, events, strict=True):
                copy.write_row((seq, event.id, event.kind, event.date.earliest,
                                event.date.latest, event.recorded_on, event.corrects,
                                FORMAT_VERSION,
                                json.dumps(event_to_dict(event), ensure_ascii=False)))
        with cursor.copy(q["copy_actors"]) as copy:
            for seq, event in zip(seqs, events, strict=True):
                for actor in dict.fromkeys(event.involved):
                    copy.write_row((actor, seq))
        with cursor.copy(q["copy_instruments"]) as copy:
            for seq, event in zip(seqs, events, strict=True):
                if isinstance(event, TreatyAct):
                    copy.write_row((event.instrument, seq))
    _put_rows(db, q, zip(seqs, events, strict=True))
    db.execute(q["advance"], (len(events), seqs[-1]))


def _rows(seq: int, event: Event) -> Iterator[tuple[Any, ...]]:
    """The rows of ``entries`` (10 columns) and ``writes`` (4) that ``event``, stored at row
    ``seq``, makes: its columnar writes."""
    for row in entries_made(event, COLUMNAR):
        yield (seq, *row)
    for whose, section, value in writes_made(event, COLUMNAR):
        yield (whose, section, seq, value)


def _checked(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of `_rows` without its event's row number, as `validate` compares them."""
    return ("entry", *row[1:]) if len(row) == 10 else ("write", row[0], row[1], row[3])


def _put_rows(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes],
              events: Iterable[tuple[int, Event]]) -> None:
    """Copy the rows of ``entries`` and ``writes`` that ``(seq, event)`` pairs make."""
    entries: list[tuple[Any, ...]] = []
    writes: list[tuple[Any, ...]] = []
    for seq, event in events:
        for row in _rows(seq, event):
            (entries if len(row) == 10 else writes).append(row)
    with db.cursor() as cursor:
        with cursor.copy(q["copy_entries"]) as copy:
            for row in entries:
                copy.write_row(row)
        with cursor.copy(q["copy_writes"]) as copy:
            for row in writes:
                copy.write_row(row)


def _stored_events(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes]
                   ) -> Iterator[tuple[int, Event]]:
    """Every stored event that can be read, with its row (the upgrade to version 2: one that
    cannot be read gets no rows, and `validate` reports it)."""
    last_seq = db.execute(q["head"]).fetchone()
    for seq, version, payload, *_ in db.execute(q["all"], (last_seq[2] if last_seq else 0,)):
        event = map_payload(payload, version).event
        if event is not None:
            yield seq, event
