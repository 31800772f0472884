"""One actor's position after any prefix of its events, without replaying them."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from cybertimeline._model.dates import Date
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._projections.entries import StanceEntry, VoteEntry
from cybertimeline._projections.position import EMPTY, Position, PositionProjection
from cybertimeline._projections.projection import fold
from cybertimeline._projections.treaty import TreatyStatus

__all__ = ["PrefixPositions"]

V = TypeVar("V")
_Make = Callable[[Sequence[Event], Sequence[int]], V]


class _Writes(Generic[V]):
    """The writes of one keyed field (votes, stances, treaties) along a sequence of events.

    The fold writes ``field[key] = value`` for some events; a key keeps the place of
    its first write, and the value after the first ``end`` events depends only on
    that key's writes among them. So each key keeps the ordinals of its writes.
    """

    __slots__ = ("firsts", "keys", "make", "slots")

    def __init__(self, make: _Make[V]) -> None:
        self.keys: list[str] = []
        self.firsts: list[int] = []
        # One ordinal for a key written once (the common case), a list after that.
        self.slots: dict[str, int | list[int]] = {}
        self.make = make

    def write(self, key: str, ordinal: int) -> None:
        slot = self.slots.get(key)
        if slot is None:
            self.keys.append(key)
            self.firsts.append(ordinal)
            self.slots[key] = ordinal
        elif isinstance(slot, int):
            self.slots[key] = [slot, ordinal]
        else:
            slot.append(ordinal)


class _PrefixMap(Mapping[str, V]):
    """A read-only mapping: a keyed field of the position after the first ``end`` events."""

    __slots__ = ("_end", "_events", "_size", "_writes")

    def __init__(self, writes: _Writes[V], events: Sequence[Event], end: int) -> None:
        self._writes = writes
        self._events = events
        self._end = end
        self._size = bisect.bisect_left(writes.firsts, end)

    def _ordinals(self, key: str) -> Sequence[int]:
        slot = self._writes.slots.get(key)
        if slot is None:
            return ()
        if isinstance(slot, int):
            return (slot,) if slot < self._end else ()
        return slot[: bisect.bisect_left(slot, self._end)]

    def __getitem__(self, key: str) -> V:
        ordinals = self._ordinals(key)
        if not ordinals:
            raise KeyError(key)
        return self._writes.make(self._events, ordinals)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._ordinals(key))

    def __iter__(self) -> Iterator[str]:
        return itertools.islice(self._writes.keys, self._size)

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __eq__(self, other: object) -> bool:
        return FrozenDict(self.items()) == other

    def __hash__(self) -> int:
        return hash(FrozenDict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as what it reads as: a plain frozen mapping of its entries.
        return (FrozenDict, (dict(self.items()),))


def _last(make: Callable[[Any, str], Any], actor: str) -> _Make[Any]:
    """An entry made from the last write of its key (votes, stances: the latest wins)."""

    def entry(events: Sequence[Event], ordinals: Sequence[int]) -> Any:
        return make(events[ordinals[-1]], actor)

    return entry


def _treaty_status(actor: str) -> _Make[TreatyStatus]:
    def make(events: Sequence[Event], ordinals: Sequence[int]) -> TreatyStatus:
        acts = tuple(events[i] for i in ordinals)
        assert isinstance(acts[0], TreatyAct)
        return TreatyStatus(actor=actor, instrument=acts[0].instrument,
                            events=acts)  # type: ignore[arg-type]

    return make


class PrefixPositions:
    """One actor's position after any prefix of a sequence of events, without a replay.

    Built once in one pass over ``events`` (the actor's known events in canonical
    order); `at` then answers in time that does not grow with the prefix.
    Every answer equals ``fold(PositionProjection(actor), events[:end])``: votes,
    stances and treaties are mappings read through the writes of each key (each
    event kind changes its own fields only); the rarer events (memberships,
    cooperation, sessions, adoptions, legislation) are folded by
    `PositionProjection` itself. The events are copied, so later changes
    to the caller's list never reach positions already handed out.
    """

    def __init__(self, actor: str, events: Iterable[Event]) -> None:
        self.actor = actor
        self.events: list[Event] = list(events)
        self.latest = [e.date.latest for e in self.events]
        self._votes: _Writes[VoteEntry] = _Writes(_last(VoteEntry.of, actor))
        self._stances: _Writes[StanceEntry] = _Writes(_last(StanceEntry.of, actor))
        self._treaties: _Writes[TreatyStatus] = _Writes(_treaty_status(actor))
        self._others: list[Event] = []
        self._other_ordinals: list[int] = []
        keyed: dict[str, _Writes[Any]] = {
            "treaties": self._treaties, "votes": self._votes, "stances": self._stances,
        }
        for ordinal, event in enumerate(self.events):
            folded = False
            for section, key in event.entries(actor):
                writes = keyed.get(section)
                if writes is not None:
                    writes.write(key, ordinal)
                elif not folded:  # the other sections are folded, in `at`
                    self._others.append(event)
                    self._other_ordinals.append(ordinal)
                    folded = True

    def __len__(self) -> int:
        return len(self.events)

    def settled(self, day: dt.date | None) -> int:
        """How many of the events settle on or before ``day`` (all of them for None)."""
        return len(self.events) if day is None else bisect.bisect_right(self.latest, day)

    def at(self, end: int, *, as_of: Date | None = None, known_at: Date | None = None,
           possible: bool = False, coverage: Mapping[str, Coverage] = EMPTY,
           registry: Registry | None = None) -> Position:
        """The position after the first ``end`` events, labelled with the query's dates."""
        others = self._others[: bisect.bisect_left(self._other_ordinals, end)]
        state = fold(PositionProjection(self.actor), others) if others else None
        return Position(
            actor=self.actor, as_of=as_of, known_at=known_at, possible=possible,
            treaties=_PrefixMap(self._treaties, self.events, end),
            votes=_PrefixMap(self._votes, self.events, end),
            stances=_PrefixMap(self._stances, self.events, end),
            memberships=state.memberships if state else EMPTY,
            members=state.members if state else EMPTY,
            cooperation=state.cooperation if state else (),
            sessions=state.sessions if state else (),
            adoptions=state.adoptions if state else (),
            legislation=state.legislation if state else (),
            coverage=coverage,
            registry=registry,
        )
