"""Indexes of a store's events: canonical order, by actor, by instrument, by correction."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from cybertimeline._model.ballots import Ballots
from cybertimeline._model.collection import collector_paused
from cybertimeline._model.order import canonical_key
from cybertimeline._model.stored import StoredEvents
from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._model.written import OnKey, Written

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["COLUMNS_FROM", "ActorWrites", "Index", "Lane", "MemoryIndex", "Scanned",
           "actor_writes", "scanned"]


class Lane:
    """Events in canonical order, with their latest days alongside for bisection: a list,
    or a store's rows decoded when read (`StoredEvents`: never changed in place)."""

    __slots__ = ("events", "latest")

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self.events: list[Event] | StoredEvents = sorted(events, key=canonical_key)
        self.latest: list[dt.date] = [e.date.latest for e in self.events]

    @classmethod
    def presorted(cls, events: list[Event]) -> Lane:
        """A lane over ``events``, already in canonical order (the list is taken, not copied)."""
        lane = cls.__new__(cls)
        lane.events = events
        lane.latest = [e.date.latest for e in events]
        return lane

    @classmethod
    def of_rows(cls, events: StoredEvents, latest: list[dt.date]) -> Lane:
        """A lane over a store's rows in canonical order, with their latest days."""
        lane = cls.__new__(cls)
        lane.events, lane.latest = events, latest
        return lane

    def ids(self) -> Sequence[str]:
        """The events' ids, in order (of rows: not decoded)."""
        events = self.events
        return events.ids if isinstance(events, StoredEvents) else [e.id for e in events]

    def kept(self, places: Sequence[int]) -> Lane:
        """The events at ``places`` (in order), rows left undecoded."""
        lane = Lane.__new__(Lane)
        events = self.events
        lane.events = (events.kept(places) if isinstance(events, StoredEvents)
                       else [events[p] for p in places])
        lane.latest = [self.latest[p] for p in places]
        return lane

    def insert(self, event: Event) -> None:
        """Put ``event`` in its place in the canonical order (of a list of events)."""
        assert isinstance(self.events, list)
        index = bisect.bisect_right(self.events, canonical_key(event), key=canonical_key)
        self.events.insert(index, event)
        self.latest.insert(index, event.date.latest)

    def settled(self, day: dt.date | None) -> int:
        """How many events settle on or before ``day`` (all of them for None)."""
        return len(self.events) if day is None else bisect.bisect_right(self.latest, day)

    def place(self, event: Event) -> int | None:
        """The place of the event of ``event``'s id in the lane, if there (found by its
        canonical key, which ends with its id: a store may hold another copy of it)."""
        place = bisect.bisect_left(self.events, canonical_key(event), key=canonical_key)
        found = place < len(self.events) and self.events[place].id == event.id
        return place if found else None

    def between(self, first: dt.date | None, last: dt.date | None) -> Lane:
        """The events that settle from ``first`` to ``last`` (either open if None)."""
        if first is None and last is None:
            return self
        start = 0 if first is None else bisect.bisect_left(self.latest, first)
        lane = Lane.__new__(Lane)
        end = self.settled(last)
        lane.events, lane.latest = self.events[start:end], self.latest[start:end]
        return lane

    def __len__(self) -> int:
        return len(self.events)


Scanned = Mapping[str, tuple[Sequence[str], Sequence[int]]]
"""An actor's writes in each section among some of its events, by section: the keys
written and the places of the events that write them, in order."""


class ActorWrites(NamedTuple):
    """What an actor's position reads: the events that write its other sections, and the
    writes of its columnar sections (`COLUMNAR`), without their events; and, where the
    index made them beforehand, the writes of ``others`` by section (`scanned`)."""

    others: Lane
    columns: Mapping[str, Written]
    sections: Scanned | None = None

    def without(self, dropped: Container[str]) -> ActorWrites:
        """The same writes less the events of the ``dropped`` ids among the other ones (the
        known set's: an actor's columns stand whole where only its other events are
        corrected). Found by the lane's ids: a store's rows stay undecoded."""
        lane = self.others
        ids = lane.ids()
        places = [place for place, event_id in enumerate(ids) if event_id in dropped]
        if not places:
            return self
        gone = set(places)
        others = lane.kept([place for place in range(len(ids)) if place not in gone])
        sections = None if self.sections is None else _renumbered(self.sections, places)
        return ActorWrites(others, self.columns, sections)


def _renumbered(sections: Scanned, places: list[int]) -> Scanned:
    """``sections`` less the writes of the events at ``places`` (sorted), the places of the
    others moved down past them."""
    found: dict[str, tuple[list[str], list[int]]] = {}
    for section, (keys, ordinals) in sections.items():
        # The places are in order: the writes between two dropped events move down by as
        # many as were dropped before them, a slice at a time.
        kept_keys: list[str] = []
        kept: list[int] = []
        start = 0
        for shift, place in enumerate([*places, len(ordinals) and ordinals[-1] + 1]):
            stop = bisect.bisect_left(ordinals, place, start)
            kept_keys += keys[start:stop]
            kept += ordinals[start:stop] if not shift else [o - shift for o in
                                                             ordinals[start:stop]]
            start = bisect.bisect_right(ordinals, place, stop)  # past the dropped one's
        if kept:
            found[section] = (kept_keys, kept)
    return found


def scanned(lane: Lane, actor: str) -> Scanned:
    """The actor's writes among the events of ``lane``, by section (`BaseEvent.entries`)."""
    found: dict[str, tuple[list[str], list[int]]] = {}
    for ordinal, event in enumerate(lane.events):
        for section, key in type(event)._entries(event, actor):  # `BaseEvent.entries`
            held = found.get(section)
            if held is None:
                held = found[section] = ([], [])
            held[0].append(key)
            held[1].append(ordinal)
    return found


def actor_writes(lane: Lane, actor: str) -> ActorWrites:
    """What an actor's position reads, for the stores that hold its events in memory: the
    lane itself, whose entries hold their events (a database reads rows instead, and reads
    an event when an answer asks for it)."""
    return ActorWrites(lane, {})


class Index(Protocol):
    """What a timeline asks of the events a store holds."""

    def __len__(self) -> int:
        """How many events are stored."""
        ...

    def get(self, event_id: str) -> Event | None:
        """The event of this id, if stored."""
        ...

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        """The stored events of these ids (those stored), by id, read at once."""
        ...

    def lane(self, actor: str | None = None) -> Lane:
        """The events about ``actor`` (all events for None), in canonical order."""
        ...

    def window(self, actor: str | None, first: dt.date | None, last: dt.date | None) -> Lane:
        """The events of `lane` that settle from ``first`` to ``last`` (either open if None):
        a changelog's period, read without the rest of the lane."""
        ...

    def instrument_lane(self, instrument: str) -> Lane:
        """The treaty acts on ``instrument``, in canonical order."""
        ...

    def writes(self, actor: str) -> ActorWrites:
        """What ``actor``'s position reads (every stored event, corrected ones too)."""
        ...

    def on_key(self, section: str, key: str) -> OnKey:
        """Every actor's writes on one key of a columnar section (every stored event,
        corrected ones too): every state's vote on a resolution."""
        ...

    def ballots(self, section: str) -> Ballots:
        """Every actor's writes in a columnar section (every stored event, corrected ones
        too), kept until the events change; `writes` reads from it once it is made."""
        ...

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        """For each corrected event id, the events that supersede or retract it."""
        ...

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """Read one version of the store for as long as the context lasts: a question that
        reads many actors checks for other writers once, not once per actor."""
        ...

    @property
    def version(self) -> int:
        """A number that changes whenever the stored events change."""
        ...


class _Lanes:
    """Lanes by actor or instrument, each made a Lane only when first asked for.

    Loading fills plain lists in canonical order; the days alongside, needed
    only for queries, are computed for the lanes that are queried.
    """

    def __init__(self) -> None:
        self.pending: defaultdict[str, list[Event]] = defaultdict(list)
        # The last days of the pending events, where loading gave them.
        self.days: defaultdict[str, list[dt.date]] = defaultdict(list)
        self._lanes: dict[str, Lane] = {}

    def get(self, key: str) -> Lane:
        lane = self._lanes.get(key)
        if lane is None:
            events = self.pending.pop(key, None)
            if events is None:
                return Lane()
            days = self.days.pop(key, None)
            if days is None or len(days) != len(events):
                lane = Lane.presorted(events)
            else:
                lane = Lane.__new__(Lane)
                lane.events, lane.latest = events, days
            self._lanes[key] = lane
        return lane

    def named(self) -> list[str]:
        """Every key with a lane."""
        return [*self._lanes, *self.pending]

    def insert(self, key: str, event: Event) -> None:
        lane = self._lanes.get(key)
        if lane is not None:
            lane.insert(event)
        else:
            bisect.insort(self.pending[key], event, key=canonical_key)
            self.days.pop(key, None)  # made again, when the lane is


COLUMNS_FROM = 5_000
"""From how many events a store held in memory reads positions from columns made for all
actors at once (`MemoryIndex.writes`): below, an actor's lane is folded at its first
query in less time than numpy takes to import (the command line on a small store)."""


def _columnar_whose(kind: type[Event]) -> str | None:
    """The field naming the actors a kind writes a columnar section for (`COLUMNAR`: a roll
    call's voters), or None for a kind that writes none."""
    for write in kind.writes:
        if write.section in COLUMNAR:
            return write.whose
    return None


class MemoryIndex:
    """Every event in memory, indexed by actor, instrument and correction.

    An actor's position reads what a database's reads (`writes`): the columnar sections
    from every actor's matrix (`ballots`, made once for all actors when a position is
    first asked, a column then per actor), and the actor's other events, whose lanes
    (`_others`) are kept beside the whole ones.
    """

    def __init__(self, events: Iterable[Event] = ()) -> None:
        from cybertimeline._model.events import TreatyAct

        ordered = sorted(events, key=canonical_key)
        self._by_id: dict[str, Event] = {e.id: e for e in ordered}
        self._all = Lane.presorted(ordered)
        self._by_actor = _Lanes()
        self._others = _Lanes()  # each actor's events less those of its columnar writes
        self._by_instrument = _Lanes()
        self._correctors: defaultdict[str, list[Event]] = defaultdict(list)
        self._version = 0
        self._ballots: dict[tuple[int, str], Ballots] = {}
        self._whose: dict[type, str | None] = {}
        self._sparse = -1  # the version whose matrix `_dense` found too sparse to make
        # In canonical order already: each lane is filled by appending (a vote has 193
        # voters, so a bisection per event and actor would cost more than the load).
        by_actor, by_instrument = self._by_actor.pending, self._by_instrument.pending
        others, other_days = self._others.pending, self._others.days
        self._scanned: tuple[int, dict[str, Scanned]] | None = None
        for event, day in zip(ordered, self._all.latest, strict=True):
            involved = dict.fromkeys(event.involved)
            for actor in involved:
                by_actor[actor].append(event)
            for actor in self._other_actors(event, involved):
                others[actor].append(event)
                other_days[actor].append(day)
            if isinstance(event, TreatyAct):
                by_instrument[event.instrument].append(event)
            if event.corrects is not None:
                self._correctors[event.corrects].append(event)

    def _other_actors(self, event: Event, involved: Iterable[str]) -> Iterable[str]:
        """The actors whose other events (`_others`) ``event`` is among: those it involves,
        less those it writes a columnar section for."""
        kind = type(event)
        whose = self._whose[kind] if kind in self._whose else self._whose.setdefault(
            kind, _columnar_whose(kind))
        if whose is None:
            return involved
        named = getattr(event, whose)
        return set(involved).difference((named,) if isinstance(named, str) else named)

    def add(self, event: Event) -> None:
        """Index one more event."""
        from cybertimeline._model.events import TreatyAct

        self._version += 1
        self._by_id[event.id] = event
        self._all.insert(event)
        involved = dict.fromkeys(event.involved)
        for actor in involved:
            self._by_actor.insert(actor, event)
        for actor in self._other_actors(event, involved):
            self._others.insert(actor, event)
        if isinstance(event, TreatyAct):
            self._by_instrument.insert(event.instrument, event)
        if event.corrects is not None:
            self._correctors[event.corrects].append(event)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._all.events)

    def get(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def get_many(self, event_ids: Iterable[str]) -> dict[str, Event]:
        return {i: self._by_id[i] for i in event_ids if i in self._by_id}

    def lane(self, actor: str | None = None) -> Lane:
        return self._all if actor is None else self._by_actor.get(actor)

    def window(self, actor: str | None, first: dt.date | None, last: dt.date | None) -> Lane:
        return self.lane(actor).between(first, last)

    def instrument_lane(self, instrument: str) -> Lane:
        return self._by_instrument.get(instrument)

    def writes(self, actor: str) -> ActorWrites:
        """The actor's other events and its column of every columnar section's matrix. The
        matrices are made for all actors at once, when the events are as loaded and at
        least `COLUMNS_FROM` (or by `ballots`); else, until then, the actor's whole lane
        (`actor_writes`): remaking them for each append would cost more than the actors'
        lanes, and a small store's lanes cost less than importing numpy."""
        if not self._columnar():
            return actor_writes(self.lane(actor), actor)
        return ActorWrites(self._others.get(actor), {
            section: self.ballots(section).written(actor) for section in sorted(COLUMNAR)},
            self._every_scanned().get(actor, {}))

    def every_writes(self) -> Iterator[tuple[str, ActorWrites]] | None:
        """`writes` of every actor with a stored event (each actor's column of every
        matrix, and its other events' writes by section), actor by actor; None where
        `writes` reads whole lanes (a small store, a sparse matrix, an append since the
        load)."""
        if not self._columnar():
            return None
        scanned_all = self._every_scanned()
        matrices = [(section, self.ballots(section)) for section in sorted(COLUMNAR)]
        actors = dict.fromkeys(scanned_all)
        for _, matrix in matrices:
            actors.update(dict.fromkeys(matrix.actors))
        return ((actor, ActorWrites(self._others.get(actor), {
            section: matrix.written(actor) for section, matrix in matrices},
            scanned_all.get(actor, {}))) for actor in actors)

    def _columnar(self) -> bool:
        """Whether `writes` reads the columnar sections from every actor's matrices: they
        are made (`ballots`), or the events are as loaded, at least `COLUMNS_FROM`, and the
        matrices not much larger than their ballots (`_dense`)."""
        if all((self._version, section) in self._ballots for section in COLUMNAR):
            return True
        return not self._version and len(self._by_id) >= COLUMNS_FROM and self._dense()

    def _dense(self) -> bool:
        """Whether every columnar section's matrix is made (as `ballots`), where it is not
        much larger than its ballots (`Ballots.dense_of_events`); tried once a version."""
        if self._sparse == self._version:
            return False
        for section in sorted(COLUMNAR):
            if (self._version, section) not in self._ballots:
                found = Ballots.dense_of_events(self._all.events, section)
                if found is None:
                    self._sparse = self._version
                    return False
                self._hold(section, found)
        return True

    def _hold(self, section: str, ballots: Ballots) -> None:
        """Keep ``ballots`` as the matrix of ``section`` for this version (only)."""
        held = {k: v for k, v in self._ballots.items() if k[0] == self._version}
        held[(self._version, section)] = ballots
        self._ballots = held  # one assignment: threads may read it meanwhile

    @collector_paused()
    def _every_scanned(self) -> dict[str, Scanned]:
        """Every actor's writes among its other events (`scanned`), made at once."""
        held = self._scanned
        if held is None or held[0] != self._version:
            held = self._scanned = (self._version, {
                actor: scanned(self._others.get(actor), actor) for actor in self._others.named()})
        return held[1]

    def on_key(self, section: str, key: str) -> OnKey:
        held = self._ballots.get((self._version, section))
        if held is not None:
            return held.on_key(key)
        return OnKey.of_events(self._all.events, section, key)

    def ballots(self, section: str) -> Ballots:
        found = self._ballots.get((self._version, section))
        if found is None:
            found = Ballots.from_events(self._all.events, section)
            self._hold(section, found)
        return found

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        return self._correctors

    def reading(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()  # only this process changes it

    @property
    def version(self) -> int:
        return self._version
