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
from cybertimeline._model.event import COLUMNAR, WriteRow
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.registry import Registry
from cybertimeline._stores import postgres_schema as pg_schema
from cybertimeline._stores.atomic import LOCK_TIMEOUT_SECONDS
from cybertimeline._stores.base import Accept, Contents, Declaration, sized_json
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.index import Lane
from cybertimeline._stores.mapper import map_payload
from cybertimeline._stores.pipeline import Loader
from cybertimeline._stores.postgres_link import Address, CommitInDoubt, Link, is_url
from cybertimeline._stores.sql_ballots import ballots_made
from cybertimeline._stores.sql_dialect import BOUNDED
from cybertimeline._stores.sql_index import SqlIndex
from cybertimeline._stores.sql_rows import (
    column_problem,
    entries_made,
    index_problem,
    orphan_problem,
    rows_problem,
    writes_made,
)
from cybertimeline.errors import ConflictError, NoStoreError, ReadOnlyError, TimelineError

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore", "is_url"]



class PostgresIndex(SqlIndex):
    """Answers a timeline's questions with indexed SQL, parsing only the events it returns.

    Its answers are `SqlIndex`'s, over the tables a SQLite store keeps; what is
    its own is how it knows the store moved on and reads one version of it:
    each question first reads the store's revision (one row), and when another
    writer has committed since, what was read is dropped (`SqlIndex._reload`).
    Rows are read up to the last sequence number of that revision, so that
    lanes, corrections, ballots and the count agree even while writers commit.
    """

    def __init__(self, link: Link, queries: Mapping[str, bytes]) -> None:
        super().__init__(link.address.location)
        self._link = link
        self._q = queries
        self._revision = -1
        self._last_seq = 0
        self._current()

    def _rows(self, query: str, args: Sequence[Any] = ()) -> Sequence[tuple[Any, ...]]:
        if query in BOUNDED:
            args = (*args, self._last_seq)
        return self._link.rows(self._q[query], args)

    def _current(self) -> None:
        revision, count, last_seq = self._link.rows(self._q["head"])[0]
        if revision == self._revision:
            return
        self._revision, self._last_seq = revision, last_seq
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

    def reading(self) -> contextlib.AbstractContextManager[None]:
        # Its reads are not one snapshot: answers compare versions (`Timeline`) instead.
        return contextlib.nullcontext()


class PostgresStore:
    """Events in PostgreSQL tables of one schema, for a team or a service.

    Each append is one transaction that first takes the store's single
    ``head`` row (so writers queue, and ``expected`` is checked by the server
    in the same statement), validates against what is committed, copies the
    events, their actor and instrument index rows and their writes (`entries`,
    `writes`, `ballots`, with new `names`) in, and advances the count. The
    database keeps ids unique. Other processes' writes show in the next query.
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
            try:
                self._upgrade(version, latest)
            except ReadOnlyError:
                if version < pg_schema.READABLE_FROM:
                    raise
                # Only an index is missing: a role that may only read answers from the
                # tables as they are, as SQLite reads a read-only file of schema 3.

    def _meta_number(self, meta: Mapping[str, str], key: str, default: int) -> int:
        """A number the table ``meta`` holds; a TimelineError if it holds something else."""
        text = meta.get(key, str(default))
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            raise TimelineError(f"{self.location}: the table 'meta' says {key} = "
                                f"{reprlib.repr(text)}, which is no version number: it was "
                                f"changed by something other than this library")
        return int(text)

    def _upgrade(self, version: int, latest: int) -> None:
        """Bring the tables from ``version`` to ``latest``, in one transaction: the rows of
        writes (`pg_schema.WRITES`) made from every stored event. Another process may be
        doing the same: the second to take the writers' lock finds the work done."""
        try:
            with self._link.transaction() as db:
                db.execute(self._q["claim"], (None, None))
                found = db.execute(self._q["schema_version"]).fetchone()
                if found is not None and found[0] != str(version):
                    return  # upgraded by another process while this one waited
                for step in range(version, latest):
                    for statement in pg_schema.UPGRADES[step]:
                        db.execute(self._sql(statement))
                    if step == pg_schema.FILLED_AT:  # the rows, from every stored event
                        _put_rows(db, self._q, _stored_events(db, self._q))
                        db.execute(self._q["unwrite_actors"])
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
            events.append((seq, loader.event(payload, origin, version)))
        self._check_rows(loader, events, last_seq)
        loader.contents()

    def _check_rows(self, loader: Loader, events: Sequence[tuple[int, Event | None]],
                    last_seq: int) -> None:
        """Report each event whose columns and rows in the tables that index it are not the
        ones its payload makes (`rows_problem`, as SQLite's `validate`), and rows that name
        no event (``None``: a row whose payload cannot be read, reported already)."""
        stored = _Indexed(self._link, self._q, last_seq)
        for seq, event in events:
            if event is None:
                stored.skip(seq)
                continue
            origin = Origin(Path(self.location), row=f"row {seq} ({event.id!r})")
            for problem in stored.problems(seq, event):
                loader.add(origin.problem(problem))
        for problem in stored.left_over()[:10]:
            loader.problem(problem)

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
    `validate` compares them with its payload (`column_problem`, `index_problem`,
    `rows_problem`), taken event by event."""

    _TABLES = (("event_actors", "actors_of"), ("event_instruments", "instruments_of"),
               ("entries", "entries_of"), ("writes", "writes_of"), ("ballots", "ballots_of"))

    def __init__(self, link: Link, q: Mapping[str, bytes], last_seq: int) -> None:
        self._columns = {seq: columns for seq, *columns
                         in link.rows(q["columns_of"], (last_seq,))}
        self._rows: dict[str, defaultdict[int, set[tuple[Any, ...]]]] = {}
        for table, query in self._TABLES:
            rows = self._rows[table] = defaultdict(set)
            for seq, *row in link.rows(q[query], (last_seq,)):
                rows[seq].add(tuple(row))
        self._names = dict(link.rows(q["names_by_name"]))

    def _take(self, table: str, seq: int) -> set[tuple[Any, ...]]:
        return self._rows[table].pop(seq, set())

    def skip(self, seq: int) -> None:
        """Take the rows of an event whose payload could not be read, unchecked."""
        for table, _ in self._TABLES:
            self._take(table, seq)

    def problems(self, seq: int, event: Event) -> Iterator[str]:
        """What is wrong with the event's columns and the rows that index it."""
        actors, instruments, entries, writes, ballots = (
            self._take(table, seq) for table, _ in self._TABLES)
        for problem in (column_problem(event, self._columns.get(seq, ())),
                        index_problem(event, {a for a, *_ in actors},
                                      {i for i, *_ in instruments}),
                        rows_problem(event, entries, writes, ballots, self._names)):
            if problem is not None:
                yield problem

    def left_over(self) -> list[str]:
        """The rows not taken: those that name no event that could be read."""
        return [orphan_problem(table, seq) for table, _ in self._TABLES
                for seq in sorted(self._rows[table])]


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
    placed = list(zip(seqs, events, strict=True))
    _copy(db, q["copy_events"], [
        (seq, event.id, event.kind, event.date.earliest, event.date.latest, event.recorded_on,
         event.corrects, FORMAT_VERSION, json.dumps(event_to_dict(event), ensure_ascii=False))
        for seq, event in placed])
    _copy(db, q["copy_actors"], [  # the actors it involves but writes nothing for
        (actor, seq) for seq, event in placed
        for actor in dict.fromkeys(event.involved).keys() - {w for w, *_ in event.written()}])
    _copy(db, q["copy_instruments"], [(event.instrument, seq) for seq, event in placed
                                      if isinstance(event, TreatyAct)])
    _put_rows(db, q, placed)
    db.execute(q["advance"], (len(events), seqs[-1]))


def _copy(db: psycopg.Connection[tuple[Any, ...]], statement: bytes,
          rows: Sequence[tuple[Any, ...]]) -> None:
    """Copy ``rows`` in by ``statement`` (``COPY ... FROM STDIN``); none: not a round trip."""
    if rows:
        with db.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def _put_rows(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes],
              events: Iterable[tuple[int, Event]]) -> None:
    """Copy the rows of ``entries``, ``writes`` and ``ballots`` that ``(seq, event)`` pairs
    make (`sql_rows`, as SQLite's), with the ids of new names added to ``names``."""
    entries: list[tuple[Any, ...]] = []
    writes: list[tuple[Any, ...]] = []
    columnar: list[tuple[int, list[WriteRow]]] = []
    for seq, event in events:
        written = event.written()
        entries.extend((seq, *row) for row in entries_made(event, written=written))
        writes.extend((whose, section, seq, value)
                      for whose, section, value in writes_made(event, written=written))
        ours = [row for row in written if row[1] in COLUMNAR]
        if ours:
            columnar.append((seq, ours))
    _copy(db, q["copy_entries"], entries)
    _copy(db, q["copy_writes"], writes)
    _copy(db, q["copy_ballots"], _ballots(db, q, columnar))


def _ballots(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes],
             columnar: Sequence[tuple[int, Sequence[WriteRow]]]) -> list[tuple[Any, ...]]:
    """The rows of ``ballots`` of events' columnar writes ``(seq, writes)``, with the ids of
    their names (new ones added to ``names``)."""
    ids = _name_ids(db, q, (name for _, ours in columnar for whose, _, _, value, _ in ours
                            for name in (whose, value) if name is not None))
    return [(seq, section, blob) for seq, ours in columnar
            for section, blob in ballots_made(ours, ids.__getitem__)]


def _name_ids(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes],
              names: Iterable[str]) -> dict[str, int]:
    """The ids of ``names`` in ``names``, those missing added (in the caller's transaction).

    Writers hold the store's lock while they append; were two ever to add a name at once,
    the second would wait for the first's commit and read the first's id
    (`pg_schema.QUERIES` ``add_names``), and names are added in sorted order, so that two
    writers never wait for each other.
    """
    wanted = sorted(set(names))
    if not wanted:
        return {}
    found: dict[str, int] = dict(db.execute(q["names_of"], (wanted,)).fetchall())
    missing = [name for name in wanted if name not in found]
    if missing:
        db.execute(q["add_names"], (missing,))
        found.update(db.execute(q["names_of"], (missing,)).fetchall())
    return found


def _stored_events(db: psycopg.Connection[tuple[Any, ...]], q: Mapping[str, bytes]
                   ) -> Iterator[tuple[int, Event]]:
    """Every stored event that can be read, with its row (the upgrade to version 3: one that
    cannot be read gets no rows, and `validate` reports it)."""
    last_seq = db.execute(q["head"]).fetchone()
    for seq, version, payload, *_ in db.execute(q["all"], (last_seq[2] if last_seq else 0,)):
        event = map_payload(payload, version).event
        if event is not None:
            yield seq, event
