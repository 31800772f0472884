"""What the SQL stores' indexes share: rows to events, lanes, corrections, writes, ballots.

SQLite and PostgreSQL keep the same tables (``events``, ``event_actors``,
``event_instruments``, ``entries``, ``writes``, ``ballots``, ``names``) and answer a
timeline's questions with the same logic and the same statements (`sql_dialect`); a
subclass says only what its database does its own way: how its statements are written
(a `Dialect`) and run (`SqlIndex._rows`), how it knows another writer committed and
keeps one version of the store for a question (`SqlIndex._current`,
`SqlIndex._snapshot`), and the few questions it answers its own way (a period's events,
many events by id).

Every row read becomes an event through the one mapper (`map_payload`), and is
checked against the columns the queries trust (its id, what it corrects); the
corrections read at each new version of the store are checked for cycles, on
every SQL store alike.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import functools
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cybertimeline._model.ballots import Ballots
from cybertimeline._model.collection import collector_paused
from cybertimeline._model.corrections import Correction, Corrections
from cybertimeline._model.stored import StoredEvents
from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._model.written import Entries, OnKey, SourcesReader, Written
from cybertimeline._stores.checks import correction_cycles, cycle_message
from cybertimeline._stores.index import ActorWrites, Lane, Scanned
from cybertimeline._stores.lru import Lru
from cybertimeline._stores.mapper import map_payload
from cybertimeline._stores.sql_ballots import NO_NAME, batched, numbered, read_blob
from cybertimeline._stores.sql_dialect import ENTRY_COLUMNS, EVENT_COLUMNS, OTHERS_RANGES
from cybertimeline.errors import Problem, TimelineError, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["ENTRY_COLUMNS", "EVENT_CACHE_LIMIT", "EVENT_COLUMNS", "LANE_CACHE_LIMIT",
           "SHARED_SHARE", "SqlIndex", "unreadable"]

EVENT_CACHE_LIMIT = 500_000
"""How many parsed events a SQL store keeps in memory (about 1 KB each)."""
LANE_CACHE_LIMIT = 512
"""How many actors' and instruments' lanes a SQL store keeps in memory."""
SHARED_SHARE = 2
"""An actor's writes in a columnar section are read with the section's entries, read whole
and kept for later actors' queries, where it writes at least one in this many of them;
else with its own entries alone (a join)."""

Row = tuple[Any, ...]


def unreadable(location: Path | str, what: str, exc: Exception | str) -> ValidationError:
    """The error of a row that was changed by something other than this library."""
    cause = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return ValidationError([Problem(
        message=f"{what} cannot be read ({cause}): the store was changed by something other "
                f"than this library; run `cybertimeline --events {location} validate`",
        file=Path(str(location)))])


def _day(value: object) -> dt.date:
    """A day as a store keeps it in a column: ISO text (SQLite) or a date (PostgreSQL)."""
    if type(value) is dt.date:
        return value
    if type(value) is not str:
        raise TypeError(f"a day of type {type(value).__name__}")
    return dt.date.fromisoformat(value)


def _mapped(location: Path | str, seq: int, version: object, payload: object,
            event_id: object, corrects: object) -> Event:
    """The event of a row's payload, checked against the columns queries trust (its id,
    what it corrects): a row changed by hand is an error naming the store, not an answer."""
    mapped = map_payload(payload, version)
    event = mapped.event
    if event is None:
        raise unreadable(location, f"the event of row {seq}", mapped.text())
    if (event.id, event.corrects) != (event_id, corrects):
        raise unreadable(location, f"the event of row {seq}", (
            f"its columns (id {event_id!r}, corrects {corrects!r}) disagree with its payload"))
    return event


def _decoder(cache: Lru[int, Event], location: Path | str) -> Callable[[Row], Event]:
    """What decodes a row ``(seq, format, payload, id, corrects)`` when first read
    (`StoredEvents`), through the store's cache of events: it keeps no index alive, so a
    position read later, after the store is closed, decodes from the rows it holds."""

    def decode(row: Row) -> Event:
        seq, version, payload, event_id, corrects = row
        event = cache.get(seq)
        if event is None:
            event = cache.put(seq, _mapped(location, seq, version, payload, event_id, corrects))
        return event

    return decode


def _corrector_events(index: weakref.ref[SqlIndex], rows: Sequence[Row]
                      ) -> Mapping[str, Sequence[Event]]:
    found = index()
    if found is None:
        raise TimelineError("the store was closed before its corrections were read")
    return found._corrector_events(rows)


class SqlIndex(abc.ABC):
    """The answers both SQL indexes give alike, over the rows a subclass reads.

    Parsed events are kept by row number (a stored event never changes) up to
    `EVENT_CACHE_LIMIT`; lanes and actors' writes up to `LANE_CACHE_LIMIT`, and the
    columnar sections' entries and ballots, until the store moves on (`_reload`).
    """

    def __init__(self, location: Path | str) -> None:
        self._location = location
        self._generation = 0  # counts reloads: the index's version
        self._count = 0
        self._events: Lru[int, Event] = Lru(EVENT_CACHE_LIMIT)
        self._lanes: Lru[tuple[str, str | None], Lane] = Lru(LANE_CACHE_LIMIT)
        self._writes: Lru[str, ActorWrites] = Lru(LANE_CACHE_LIMIT)
        self._correctors: Mapping[str, Sequence[Event]] = {}
        self._damaged: ValidationError | None = None  # a correction's row changed by hand
        self._checked: set[Row] = set()  # corrections' rows found to agree with their payloads
        self._entries_held: dict[str, Entries] = {}  # a columnar section's, read whole
        self._ballots: dict[str, Ballots] = {}
        self._all_others: dict[str, list[Event]] | None = None  # by actor, with the ballots
        self._sizes: dict[str, int] = {}  # how many entries a columnar section has

    # What each database does its own way.

    @abc.abstractmethod
    def _rows(self, query: str, args: Sequence[Any] = ()) -> Sequence[Row]:
        """The rows of the named query (of this version of the store)."""

    def _stream(self, query: str, args: Sequence[Any] = ()) -> Iterable[Row]:
        """The rows of the named query, maybe as they come (read them inside a snapshot)."""
        return self._rows(query, args)

    @abc.abstractmethod
    def _current(self) -> None:
        """Catch up with other writers' commits, if there were any since the last read."""

    @abc.abstractmethod
    def _snapshot(self) -> contextlib.AbstractContextManager[None]:
        """One version of the store for what is read inside (and caught up with)."""

    def _sources_reader(self, section: str) -> SourcesReader | None:
        """What reads the sources of a section's entries when first cited, if the rows of
        ``written`` leave them for later (`Dialect.written_sources`)."""
        return None

    # The logic they share.

    def unreadable(self, what: str, exc: Exception | str) -> ValidationError:
        """The error of a row changed by something else: it names the store and the fix."""
        return unreadable(self._location, what, exc)

    @collector_paused()
    def _reload(self, count: int) -> None:
        """The store moved on: drop what was kept of it, and read its corrections again as
        rows (their events read when first asked for), refusing a cycle of them (call
        inside a snapshot)."""
        self._generation += 1
        self._drop_held()
        self._count = count
        rows = self._rows("corrections")
        for cycle in correction_cycles({row[1]: row[4] for row in rows}):
            raise ValidationError([Problem(
                message=f"{cycle_message(cycle)}; run `cybertimeline --events "
                        f"{self._location} validate`", file=Path(str(self._location)))])
        by_target: defaultdict[str, list[Correction]] = defaultdict(list)
        if rows:  # the kinds, loaded only where there are corrections (a first import)
            from cybertimeline._model.events import KINDS
        try:
            for _, event_id, kind, recorded, corrects in rows:
                by_target[corrects].append(Correction(
                    event_id, _day(recorded), KINDS[kind].retracts_what_it_corrects))
        except (KeyError, TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable("the corrections", exc) from None
        # The index by a weak reference: what it keeps must not keep it alive.
        self._correctors = Corrections(dict(by_target),
                                       functools.partial(_corrector_events, weakref.ref(self),
                                                         rows))
        self._damaged = None
        if not self._checked.issuperset(rows):
            # Each correction's columns checked against its payload (once per row): the
            # known set reads the columns, and a column changed by hand must stop every
            # answer, not drop another event or keep one in force (about 20 µs a correction).
            # Not the open: `validate` must still open the store to report the row.
            try:
                self._correctors.events()
            except ValidationError as exc:
                self._damaged = exc
            else:
                self._checked.update(rows)

    def _corrector_events(self, rows: Sequence[Row]) -> dict[str, list[Event]]:
        """The events of the corrections of ``rows`` (`corrections`), by the id each
        corrects, each checked against its row: the store read again, for these alone."""
        with self._snapshot():
            read = self._rows("correctors")
        events = dict(zip((row[0] for row in read), self._parse(read), strict=True))
        found: defaultdict[str, list[Event]] = defaultdict(list)
        for seq, event_id, kind, recorded, corrects in rows:
            event = events.get(seq)
            if event is None or (event.id, event.kind, event.recorded_on,
                                 event.corrects) != (event_id, kind, _day(recorded), corrects):
                raise self.unreadable(f"the event of row {seq}", (
                    "it is gone, or its columns (id, kind, recorded, corrects) disagree "
                    "with its payload"))
            found[corrects].append(event)
        return dict(found)

    def _drop_held(self) -> None:
        """Drop what was read of one version of the store (not the events, which stay)."""
        self._lanes.clear()
        self._writes.clear()
        self._entries_held, self._ballots, self._all_others = {}, {}, None
        self._sizes = {}

    def _parse(self, rows: Iterable[Row]) -> list[Event]:
        """The events of rows ``(seq, format, payload, id, corrects)``, each checked against
        the columns queries trust (its id, what it corrects): a row changed by hand is an
        error, not an answer."""
        parsed = []
        cache = self._events
        for seq, version, payload, event_id, corrects in rows:
            event = cache.get(seq)
            if event is None:
                event = cache.put(seq, self._mapped(seq, version, payload, event_id, corrects))
            parsed.append(event)
        return parsed

    def _mapped(self, seq: int, version: object, payload: object, event_id: object,
                corrects: object) -> Event:
        return _mapped(self._location, seq, version, payload, event_id, corrects)

    def _lane(self, key: tuple[str, str | None], query: str, args: Sequence[Any]) -> Lane:
        self._current()
        lane = self._lanes.get(key)
        if lane is not None:
            return lane
        with self._snapshot():  # the lane and the corrections of one version of the store
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes.put(key, Lane.presorted(self._parse(self._stream(query,
                                                                                    args))))
        return lane

    def __len__(self) -> int:
        self._current()
        return int(self._count)

    def get(self, event_id: str) -> Event | None:
        found = self._parse(self._rows("get", (event_id,)))
        return found[0] if found else None

    def lane(self, actor: str | None = None) -> Lane:
        if actor is None:
            return self._lane(("all", None), "all", ())
        return self._lane(("actor", actor), "actor", (actor, actor))

    def instrument_lane(self, instrument: str) -> Lane:
        return self._lane(("instrument", instrument), "instrument", (instrument,))

    def writes(self, actor: str) -> ActorWrites:
        self._current()
        found = self._writes.get(actor)
        if found is not None:
            return found
        if self._all_others is not None:  # every actor's writes are in memory (`ballots`)
            return self._writes.put(actor, ActorWrites(
                Lane.presorted(self._all_others.get(actor, [])),
                {section: self._ballots[section].written(actor) for section in COLUMNAR}))
        with self._snapshot():  # the rows and the lane of one version of the store
            found = self._writes.get(actor)
            if found is None:
                found = self._writes.put(actor, self._read_writes(actor))
        return found

    @collector_paused()
    def _read_writes(self, actor: str) -> ActorWrites:
        """What ``actor``'s position reads: its columnar sections' rows, not their events
        (call inside a snapshot)."""
        columns: dict[str, Written] = {}
        for section in sorted(COLUMNAR):
            held = self._ballots.get(section)
            if held is not None:  # every actor's writes are in memory
                columns[section] = held.written(actor)
            else:
                columns[section] = self._column(actor, section)
        others, sections = self._others(actor)
        return ActorWrites(others, columns, sections)

    def _column(self, actor: str, section: str) -> Written:
        """``actor``'s writes in a columnar section: with the section's entries, read whole
        once and shared by later actors' queries, where the actor writes most of them (a
        state's votes); else with its own entries alone (a join: a state that voted for a
        few years of a long record). Call inside a snapshot."""
        try:
            values = self._actor_values(actor, section)
        except (TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the writes of {actor!r}", exc) from None
        if (section not in self._entries_held
                and len(values[0]) * SHARED_SHARE < self._section_size(section)):
            return self._joined(actor, section, len(values[0]))
        return self._gathered(actor, section, *values)

    def _actor_values(self, actor: str, section: str
                      ) -> tuple[Sequence[int], Sequence[str | None]]:
        """The event rows of ``actor``'s writes in a section, and its value in each.

        Raises:
            TypeError, ValueError: the rows were changed by something else.
        """
        rows = self._rows("actor_values", (actor, section))
        if not rows:
            return [], []
        seqs, values = zip(*rows, strict=True)
        return seqs, values

    def _section_size(self, section: str) -> int:
        """How many entries a section has, or a bound of it (`section_size`: read once per
        version of the store)."""
        found = self._sizes.get(section)
        if found is None:
            ((found,),) = self._rows("section_size", (section,))
            self._sizes[section] = found = int(found)
        return found

    def _gathered(self, actor: str, section: str, seqs: Sequence[int],
                  values: Sequence[str | None]) -> Written:
        """``actor``'s writes in a section from the event rows they are of, its values in
        them, and the section's entries, read whole once, then shared by every actor's
        query."""
        try:
            written = Written.gather(self._entries_of(section), seqs, values)
            if None in written.values:
                raise ValueError("a write without its value")
        except (KeyError, TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the writes of {actor!r}", exc) from None
        return written

    def _entries_of(self, section: str) -> Entries:
        """The entries of a columnar section, read once per version (inside a snapshot)."""
        found = self._entries_held.get(section)
        if found is None:
            rows = self._rows("section_entries", (section,))
            try:
                found = Entries.of_elided(list(zip(*rows, strict=True)),
                                          self._sources_reader(section))
            except (TypeError, ValueError) as exc:  # changed by something else
                raise self.unreadable(f"the entries of {section!r}", exc) from None
            self._entries_held[section] = found
        return found

    def _others(self, actor: str) -> tuple[Lane, Scanned]:
        """``actor``'s events that write other sections than the columnar ones, as their
        rows (each decoded when read: `StoredEvents`), and its writes among them by section
        (`scanned`), read from the rows: a position of a day reads one statement per topic,
        not all of them."""
        rows, ids, latest = [], [], []
        sections: dict[str, tuple[list[str], list[int]]] = {}
        last = None
        try:
            for row in self._rows("others", (actor,) * OTHERS_RANGES):
                if row[0] != last:  # an event's rows are one after another, one per section
                    last = row[0]
                    rows.append(row[:5])
                    ids.append(row[3])
                    latest.append(_day(row[5]))
                held = sections.get(row[6])
                if held is None:
                    held = sections[row[6]] = ([], [])
                held[0].append(row[7])
                held[1].append(len(rows) - 1)
            if not all(type(i) is str for i in ids) or not all(
                    type(key) is str for keys, _ in sections.values() for key in keys):
                raise TypeError("an id or a key of another type")
        except (TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the events of {actor!r}", exc) from None
        events = StoredEvents(rows, ids, _decoder(self._events, self._location))
        return Lane.of_rows(events, latest), sections

    def _joined(self, actor: str, section: str, count: int) -> Written:
        """``actor``'s writes in a columnar section: its rows of ``writes`` joined with
        their entries, in order (a query that reads no other actor's rows); ``count``, how
        many writes it has: one naming no entry would be dropped by the join."""
        rows = self._rows("written", (actor, section))
        reader = self._sources_reader(section)
        try:
            if len(rows) != count:
                raise ValueError("a write of a row that has no entry")
            columns = list(zip(*rows, strict=True))  # an entry's columns, then the value
            if columns and len(columns) != (7 if reader else 8):
                raise ValueError("a row of another shape")
            entries = Entries.of_elided(columns, reader)
            written = Written(entries, range(len(rows)),
                              list(columns[-1]) if columns else [])
            if None in written.values:
                raise ValueError("a write without its value")
        except (KeyError, TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the writes of {actor!r}", exc) from None
        return written

    def _entries(self, rows: Sequence[Row], what: str) -> Entries:
        """The entries of these rows of ``entries`` (`ENTRY_COLUMNS`)."""
        try:
            return Entries.of_columns(rows)
        except (TypeError, ValueError) as exc:  # changed by something else
            raise self.unreadable(f"the entries of {what}", exc) from None

    def on_key(self, section: str, key: str) -> OnKey:
        self._current()
        held = self._ballots.get(section)
        if held is not None:
            return held.on_key(key)
        with self._snapshot():
            names = self._names()
            rows = self._rows("key_ballots", (section, key))
        entries = self._entries([row[:8] for row in rows], f"{section} {key!r}")
        try:
            return OnKey(entries, [[(names[whose], None if value == NO_NAME else names[value])
                                    for whose, value in batched(read_blob(blob), 2)]
                                   for *_, blob in rows])
        except (TypeError, ValueError, KeyError) as exc:  # changed by something else
            raise self.unreadable(f"the ballots of {key!r}", exc) from None

    def _names(self) -> dict[int, str]:
        """The ``names`` ballots number (call inside a snapshot)."""
        names: dict[int, str] = dict(self._rows("names"))
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
        inside a snapshot; numpy is loaded)."""
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
            actor_ids, columns = numbered(pairs[:, 0], max(names, default=0))
            value_ids, codes = numbered(pairs[:, 1], max(names, default=0))
            del pairs
            codes += 1
            actors = [names[i] for i in actor_ids]
            values = [None if i == NO_NAME else names[i] for i in value_ids]
        except (TypeError, ValueError, KeyError) as exc:  # changed by something else
            raise self.unreadable(f"the ballots of {section!r}", exc) from None
        return Ballots.of_arrays(entries, actors, values, ranks, columns, codes)

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        self._current()
        if self._damaged is not None:
            raise self._damaged
        return self._correctors

    @property
    def version(self) -> int:
        self._current()
        return self._generation

