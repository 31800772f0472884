"""Indexes of a store's events: canonical order, by actor, by instrument, by correction."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from ._events import Event, _BaseEvent, _TreatyAct

__all__ = ["Index", "Lane", "MemoryIndex", "canonical_key"]


def canonical_key(event: _BaseEvent) -> tuple[dt.date, dt.date, str]:
    """``(latest, earliest, id)``: the canonical order of events, a total order."""
    return (event.date.latest, event.date.earliest, event.id)


class Lane:
    """Events in canonical order, with their latest days alongside for bisection."""

    __slots__ = ("events", "latest")

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self.events: list[Event] = sorted(events, key=canonical_key)
        self.latest: list[dt.date] = [e.date.latest for e in self.events]

    def append(self, event: Event, latest: dt.date) -> None:
        """Put ``event``, which sorts after every event here, at the end (``latest`` is its
        latest day)."""
        self.events.append(event)
        self.latest.append(latest)

    def insert(self, event: Event) -> None:
        """Put ``event`` in its place in the canonical order."""
        index = bisect.bisect_right(self.events, canonical_key(event), key=canonical_key)
        self.events.insert(index, event)
        self.latest.insert(index, event.date.latest)

    def settled(self, day: dt.date | None) -> int:
        """How many events settle on or before ``day`` (all of them for None)."""
        return len(self.events) if day is None else bisect.bisect_right(self.latest, day)

    def __len__(self) -> int:
        return len(self.events)


class Index(Protocol):
    """What a timeline asks of the events a store holds."""

    def __len__(self) -> int:
        """How many events are stored."""
        ...

    def get(self, event_id: str) -> Event | None:
        """The event of this id, if stored."""
        ...

    def lane(self, actor: str | None = None) -> Lane:
        """The events about ``actor`` (all events for None), in canonical order."""
        ...

    def instrument_lane(self, instrument: str) -> Lane:
        """The treaty acts on ``instrument``, in canonical order."""
        ...

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        """For each corrected event id, the events that supersede or retract it."""
        ...


class MemoryIndex:
    """Every event in memory, indexed by actor, instrument and correction."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self._by_id: dict[str, Event] = {}
        self._all = Lane()
        self._by_actor: defaultdict[str, Lane] = defaultdict(Lane)
        self._by_instrument: defaultdict[str, Lane] = defaultdict(Lane)
        self._correctors: defaultdict[str, list[Event]] = defaultdict(list)
        # Sort once and append to every lane: inserting one event at a time costs a
        # bisection per event and actor (a vote has 193 voters).
        for event in sorted(events, key=canonical_key):
            day = event.date.latest
            self._by_id[event.id] = event
            self._all.append(event, day)
            for actor in dict.fromkeys(event.involved):
                self._by_actor[actor].append(event, day)
            if isinstance(event, _TreatyAct):
                self._by_instrument[event.instrument].append(event, day)
            if event.corrects is not None:
                self._correctors[event.corrects].append(event)

    def add(self, event: Event) -> None:
        """Index one more event."""
        self._by_id[event.id] = event
        self._all.insert(event)
        for actor in dict.fromkeys(event.involved):
            self._by_actor[actor].insert(event)
        if isinstance(event, _TreatyAct):
            self._by_instrument[event.instrument].insert(event)
        if event.corrects is not None:
            self._correctors[event.corrects].append(event)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._all.events)

    def get(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def lane(self, actor: str | None = None) -> Lane:
        if actor is None:
            return self._all
        return self._by_actor.get(actor) or Lane()

    def instrument_lane(self, instrument: str) -> Lane:
        return self._by_instrument.get(instrument) or Lane()

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        return self._correctors
