"""One actor's position after any prefix of its events, without replaying them."""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from cybertimeline._model.collection import collector_paused
from cybertimeline._model.dates import Date
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.stored import StoredEvents
from cybertimeline._model.written import Ints, Written, below, listed, pick, taken
from cybertimeline._projections.entries import SharedVoteEntries, VoteEntry
from cybertimeline._projections.position import EMPTY, Position, PositionProjection
from cybertimeline._projections.projection import fold
from cybertimeline._projections.sections import SectionSpec
from cybertimeline._projections.sections import sections as registered

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.events import Event

__all__ = ["PrefixPositions"]

V = TypeVar("V")
Scanned = Mapping[str, tuple[Sequence[str], Sequence[int]]]
"""An actor's writes among its events, by section: the keys and the places of the events that
write them, in order (as a store's index makes them: `cybertimeline._stores.index.scanned`)."""
_Make = Callable[[Any, Sequence[int]], V]
_Json = Callable[[Any, list[str], Sequence[int]], dict[str, Any]]


class _Writes(Generic[V]):
    """The writes of one keyed field (votes, stances, treaties) along a sequence of events.

    The fold writes ``field[key] = value`` for some events; a key keeps the place of
    its first write, and the value after the first ``end`` events depends only on
    that key's writes among them. So each key keeps the ordinals of its writes, and
    an entry, once made from them, is kept: entries are immutable, and the same
    writes always make the same entry.
    """

    __slots__ = ("_finals", "_lock", "_made", "_pending", "_ranged", "_sealed", "_unslotted",
                 "dated", "events", "firsts", "json", "keys", "make", "make_all", "multiple",
                 "slots", "writes")

    def __init__(self, make: _Make[V], events: Sequence[Event] | Written,
                 make_all: Callable[[Any, Sequence[int]], list[V]] | None = None,
                 json: _Json | None = None) -> None:
        """``make_all``, if given, makes the entries of many last writes at once, as
        ``make`` does for each (given their ordinals: a list, or a range); ``json``, the
        section's JSON from the last writes of its keys, without their entries
        (`_PrefixMap.stored_json`)."""
        self.make = make
        self.make_all = make_all
        self.json = json
        self.events = events
        self.keys: list[str] = []
        self.firsts: Ints = []  # an array after `write_ids`, until `ready`
        # Per key: the ordinal of its one write (the common case), or the list of them.
        self.writes: list[int | list[int]] = []
        self.slots: dict[str, int] = {}  # key -> its place in `keys`
        self.multiple: list[int] = []  # the places of the keys written more than once
        self._finals: list[V] | None = None
        self._made: dict[int, V] = {}  # entries of keys written more than once, by last ordinal
        self._sealed = False
        # Whether each entry's date and event are those of its key's last write (votes).
        self.dated = False
        self._ranged = False  # whether `writes` is 0, 1, 2...: every key written once
        self._unslotted = False  # whether `slots` is yet to be made from `keys`
        # The key ids and names `write_ids` was given, until `ready` turns them into keys.
        self._pending: tuple[npt.NDArray[Any], Sequence[str]] | None = None
        # What `ready` and `finals` make later, once: threads may read one position at once.
        self._lock = threading.RLock()

    def write(self, key: str, ordinal: int) -> None:
        """Record a write of ``key`` by the event at ``ordinal`` (ordinals increase)."""
        place = self.slots.get(key)
        if place is None:
            self.slots[key] = len(self.writes)
            self.writes.append(ordinal)
        else:
            self.rewrite(place, ordinal)

    def write_all(self, keys: Sequence[str], ordinals: Sequence[int] | None = None) -> None:
        """Record the writes of ``keys`` in order, by ``ordinals`` (0, 1... if None): as
        `write` for each (on an empty field), at the speed of C but for the keys written
        more than once."""
        assert not self.writes
        count = len(keys)
        at = range(count) if ordinals is None else ordinals
        slots = dict(zip(keys, range(count), strict=True))
        if len(slots) == count:  # each key written once (the common case): no sort
            self.slots, self.writes = slots, list(at)
            return
        # Keys written again (statements on a topic, acts on a treaty): one pass, as
        # `write` for each, inlined (2.7x a sort by key on the bench corpus's).
        slots, writes, multiple = {}, self.writes, self.multiple
        for key, ordinal in zip(keys, at, strict=True):
            place = slots.get(key)
            if place is None:
                slots[key] = len(writes)
                writes.append(ordinal)
                continue
            held = writes[place]
            if isinstance(held, int):
                writes[place] = [held, ordinal]
                multiple.append(place)
            else:
                held.append(ordinal)
        multiple.sort()
        self.slots = slots

    def write_ids(self, key_ids: npt.NDArray[Any], names: Sequence[str],
                  counts: npt.NDArray[Any]) -> None:
        """Record the writes of the keys ``names[key_ids[i]]`` in order, by ordinals 0,
        1... (on an empty field), and seal: as `write_all`, with array operations but for
        the writes of keys that several entries share (``counts``: entries per key id)."""
        import numpy as np

        assert not self.writes
        assert self._pending is None
        # `firsts` stays an array (4 bytes a key) until a prefix is read (`ready`).
        shared = counts[key_ids] > 1 if len(key_ids) else None
        if shared is not None and shared.any():  # a key that may be written more than once
            again = np.flatnonzero(shared)  # the first write of each of those keys is first
            first = np.logical_not(shared)
            first[again[np.unique(key_ids[again], return_index=True)[1]]] = True
            self.firsts = np.flatnonzero(first).astype(np.int32)
        else:
            self.firsts = np.arange(len(key_ids), dtype=np.int32)
        # How many keys a prefix holds needs only `firsts`; the keys, the writes of each
        # and their entries are made when a prefix is first read (`ready`).
        self._pending = (key_ids, names)
        self._sealed = True

    def write_once(self, keys: list[str], finals: list[V]) -> None:
        """Record one write of each of ``keys``, by ordinals 0, 1..., whose entries are
        ``finals`` (made beforehand, shared, never changed), and seal."""
        self.write_distinct(keys)
        self._finals = finals

    def write_distinct(self, keys: list[str]) -> None:
        """Record one write of each of ``keys``, which differ, by ordinals 0, 1..., and
        seal: as `write_all`, with no lookup of a key made until one is read."""
        assert not self.writes
        assert self._pending is None
        self.keys = keys
        self.firsts = range(len(keys))
        self.writes = cast(list[int | list[int]], range(len(keys)))  # read only
        self._ranged = self._unslotted = self._sealed = True

    def ready(self) -> None:
        """Make the keys and the writes of each that `write_ids` left for later."""
        if self._pending is None:
            return
        with self._lock:
            pending = self._pending
            if pending is not None:  # else made by another thread meanwhile
                self._make_keys(*pending)
                self._pending = None  # last: a thread that sees None reads whole keys

    def _make_keys(self, key_ids: npt.NDArray[Any], names: Sequence[str]) -> None:
        import numpy as np

        firsts = self.firsts
        first_ids_array = key_ids[firsts]
        first_ids = first_ids_array.tolist()
        self.keys = pick(names, first_ids)
        self._unslotted = True  # `slots` made when a key is looked up: a whole read needs none
        if len(firsts) == len(key_ids):  # every key written once (the common case)
            # The writes' ordinals are their places: a range, not a list of them.
            self.firsts = range(len(firsts))
            self.writes = cast(list[int | list[int]], range(len(firsts)))  # read only
            self._ranged = True
            return
        again = np.ones(len(key_ids), dtype=bool)  # the writes that are not their key's first
        again[firsts] = False
        later = np.flatnonzero(again).tolist()
        self.firsts = listed(firsts)
        self.writes = list(self.firsts)
        if later:
            place_of = np.zeros(len(names), dtype=np.intp)  # each key id's place
            place_of[first_ids_array] = np.arange(len(first_ids))
            for ordinal, place in zip(later, place_of[key_ids[later]].tolist(), strict=True):
                self.rewrite(place, ordinal)

    def place(self, key: str) -> int | None:
        """The place of ``key`` in `keys`, if written."""
        self.ready()
        if self._unslotted:
            with self._lock:
                if self._unslotted:
                    self.slots = dict(zip(self.keys, range(len(self.keys)), strict=True))
                    self._unslotted = False
        return self.slots.get(key)

    def rewrite(self, place: int, ordinal: int) -> None:
        """Record another write of the key at ``place``."""
        held = self.writes[place]
        if isinstance(held, int):
            self.writes[place] = [held, ordinal]
            bisect.insort(self.multiple, place)
        else:
            held.append(ordinal)

    def seal(self) -> None:
        """After the last write: the keys in the order of their first writes, and those."""
        if self._sealed:
            return
        self.keys = list(self.slots)
        self.firsts = [w if isinstance(w, int) else w[0] for w in self.writes
                       ] if self.multiple else list(self.writes)  # type: ignore[arg-type]

    @collector_paused()
    def finals(self, size: int | None = None) -> list[V]:
        """The entry of every key after all its writes, in the order of the keys (of the
        first ``size`` keys at least: they are made as far as they are asked for)."""
        self.ready()
        wanted = len(self.writes) if size is None else size
        made = self._finals
        if made is not None and len(made) >= wanted:
            return made
        with self._lock:  # made once: two threads growing the list would append twice
            return self._grown(wanted)

    def _grown(self, wanted: int) -> list[V]:
        made = self._finals
        if made is None:
            made = self._finals = []
        if len(made) < wanted:
            more = self.writes[len(made):wanted]
            if self._ranged and self.make_all is not None:  # the writes' own ordinals
                made += self.make_all(self.events, range(len(made), wanted))
            elif self.make_all is not None:
                made += self.make_all(self.events,
                                      [w if isinstance(w, int) else w[-1] for w in more])
            else:
                make, events = self.make, self.events
                made += [make(events, (w,)) if isinstance(w, int) else make(events, w)
                         for w in more]
        return made

    def entry(self, place: int, end: int) -> V | None:
        """The entry of the key at ``place`` after the first ``end`` events, if written."""
        self.ready()
        held = self.writes[place]
        if isinstance(held, int):
            return None if held >= end else self.finals(place + 1)[place]
        cut = bisect.bisect_left(held, end)
        if cut == 0:
            return None
        if cut == len(held):
            return self.finals(place + 1)[place]
        return self._earlier(held, cut)

    def _earlier(self, held: list[int], cut: int) -> V:
        """The entry of a key after its first ``cut`` writes ``held`` (not all of them)."""
        made = self._made.get(held[cut - 1])
        if made is None:
            made = self._made[held[cut - 1]] = self.make(self.events, held[:cut])
        return made

    def lasts(self, size: int, end: int) -> Sequence[int]:
        """The ordinal of the last write before ``end`` of each of the first ``size`` keys
        (all written before ``end``)."""
        self.ready()
        if not self.multiple:  # each key written once: its one write
            return cast(Sequence[int], self.writes[:size])  # ints only: a list or a range
        found = [w if isinstance(w, int) else w[-1] for w in self.writes[:size]]
        for place in self.multiple:
            if place >= size:
                break
            held = self.writes[place]
            assert isinstance(held, list)
            found[place] = held[bisect.bisect_left(held, end) - 1]
        return found

    @collector_paused()
    def entries(self, size: int, end: int) -> list[V]:
        """The entries of the first ``size`` keys (all written before ``end``) after the
        first ``end`` events: the final entries, but for keys written again later."""
        found = self.finals(size)[:size]
        writes, made = self.writes, self._made
        later: list[tuple[int, int]] = []  # keys written again after `end`: (place, last)
        for place in self.multiple:
            if place >= size:
                break
            held = writes[place]
            assert isinstance(held, list)  # a key written more than once
            cut = bisect.bisect_left(held, end)
            assert cut  # its first write is before `end`
            if cut < len(held):
                if self.make_all is None:
                    found[place] = self._earlier(held, cut)
                elif held[cut - 1] in made:
                    found[place] = made[held[cut - 1]]
                else:
                    later.append((place, held[cut - 1]))
        if later:  # made at once, as the finals are
            assert self.make_all is not None
            ordinals = [last for _, last in later]
            for (place, last), entry in zip(later, self.make_all(self.events, ordinals),
                                            strict=True):
                found[place] = made[last] = entry
        return found


class _PrefixMap(Mapping[str, V]):
    """A read-only mapping: a keyed field of the position after the first ``end`` events.

    Reading it whole (``items``, ``values``, ``dict(...)``) copies a list of
    entries made once, at the speed of a list.
    """

    __slots__ = ("_end", "_size", "_writes")

    def __init__(self, writes: _Writes[V], end: int) -> None:
        self._writes = writes
        self._end = end
        self._size = below(writes.firsts, end)

    def __getitem__(self, key: str) -> V:
        place = self._writes.place(key)
        entry = None if place is None else self._writes.entry(place, self._end)
        if entry is None:
            raise KeyError(key)
        return entry

    def __contains__(self, key: object) -> bool:
        place = self._writes.place(key) if isinstance(key, str) else None
        return place is not None and place < self._size and (
            self._writes.entry(place, self._end) is not None)

    def __iter__(self) -> Iterator[str]:
        self._writes.ready()
        return iter(self._writes.keys[: self._size])

    def __len__(self) -> int:
        return self._size

    def values(self) -> ValuesView[V]:
        return _Values(self._writes.entries(self._size, self._end))

    def items(self) -> ItemsView[str, V]:
        self._writes.ready()
        return _Items(self._writes.keys[: self._size],
                      self._writes.entries(self._size, self._end))

    def stored_json(self) -> dict[str, Any] | None:
        """The section as JSON (`SectionSpec.to_json`) made from its stored columns, without
        an entry object, where its writes can (stored votes) and its entries are not made yet
        (a first answer); else None."""
        writes = self._writes
        made = writes._finals
        if writes.json is None or (made is not None and len(made) >= self._size):
            return None  # its entries are made already: their JSON is kept with them
        lasts = writes.lasts(self._size, self._end)
        return writes.json(writes.events, writes.keys[: self._size], lasts)

    def by_date(self) -> Sequence[tuple[str, V]]:
        """``(key, entry)`` sorted by the entries' events, as `SectionSpec.ordered` sorts a
        section shown by date (votes). Stored writes are ordered by the places of their
        entries and make each entry when read (`_Dated`); else the keys are in the canonical
        order of their first writes, so where each entry is of its key's write
        (`_Writes.dated`) and no key holds a later write than its first, they are sorted
        already."""
        writes, size = self._writes, self._size
        if writes.json is not None and isinstance(writes.events, Written):
            # Stored writes: their entries are in canonical order, so the places of the
            # last writes' entries order the keys by date, and an entry is made when read
            # (a text shows the latest few of thousands of votes).
            lasts = writes.lasts(size, self._end)
            ranks = taken(writes.events.ranks, lasts)
            return _Dated(writes, self._end, sorted(range(size), key=ranks.__getitem__))
        pairs = list(self.items())
        if not writes.dated or (writes.multiple and writes.multiple[0] < size):
            pairs.sort(key=lambda item: (item[1].date.latest,  # type: ignore[attr-defined]
                                         item[1].date.earliest,  # type: ignore[attr-defined]
                                         item[1].event_id))  # type: ignore[attr-defined]
        return pairs

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __eq__(self, other: object) -> bool:
        return FrozenDict(self.items()) == other

    def __hash__(self) -> int:
        return hash(FrozenDict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as what it reads as: a plain frozen mapping of its entries.
        return (FrozenDict, (dict(self.items()),))


class _Values(ValuesView[V]):
    """The values of a `_PrefixMap`, made once and listed."""

    __slots__ = ("_entries",)

    def __init__(self, entries: list[V]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[V]:
        return iter(self._entries)

    def __contains__(self, value: object) -> bool:
        return value in self._entries

    def __repr__(self) -> str:
        return f"values({self._entries!r})"


class _Dated(Sequence[tuple[str, V]]):
    """The ``(key, entry)`` pairs of a `_PrefixMap` of stored writes by date
    (`_PrefixMap.by_date`): read whole, the map's entries; a slice makes its own alone."""

    __slots__ = ("_end", "_order", "_writes")

    def __init__(self, writes: _Writes[V], end: int, order: list[int]) -> None:
        self._writes = writes
        self._end = end
        self._order = order  # the keys' places, by date

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[tuple[str, V]]:
        writes = self._writes
        entries = writes.entries(len(self._order), self._end)
        return ((writes.keys[place], entries[place]) for place in self._order)

    @overload
    def __getitem__(self, index: int) -> tuple[str, V]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, V]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, V] | list[tuple[str, V]]:
        if isinstance(index, int):
            return self._pairs([self._order[index]])[0]
        return self._pairs(self._order[index])

    def _pairs(self, places: list[int]) -> list[tuple[str, V]]:
        writes = self._writes
        lasts = writes.lasts(len(self._order), self._end)
        assert writes.make_all is not None  # stored writes make many at once
        made = writes.make_all(writes.events, [lasts[place] for place in places])
        return list(zip([writes.keys[place] for place in places], made, strict=True))


class _Items(ItemsView[str, V]):
    """The items of a `_PrefixMap`, made once and zipped with its keys."""

    __slots__ = ("_entries", "_keys")

    def __init__(self, keys: list[str], entries: list[V]) -> None:
        self._keys = keys
        self._entries = entries

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[tuple[str, V]]:
        return zip(self._keys, self._entries, strict=True)

    def __contains__(self, item: object) -> bool:
        return any(pair == item for pair in zip(self._keys, self._entries, strict=True))

    def __repr__(self) -> str:
        return f"items({list(self)!r})"


def _last(spec: SectionSpec, actor: str,
          make: Callable[[Any, str], Any] | None = None) -> _Make[Any]:
    """An entry made (by ``make``, else the spec's) from the last write of its key (votes,
    stances: the latest wins)."""
    made = spec.make if make is None else make

    def entry(events: Sequence[Event], ordinals: Sequence[int]) -> Any:
        event = events[ordinals[-1]]
        return spec.checked(made(event, actor), event)

    return entry


def _written_vote(votes: SharedVoteEntries) -> Callable[[Written, Sequence[int]], VoteEntry]:
    """A vote entry made from the last stored write of its key (a resolution)."""

    def entry(written: Written, ordinals: Sequence[int]) -> VoteEntry:
        last = ordinals[-1]
        option, detail = written.values[last], written.detail(last)
        assert option is not None  # a vote's write has both (the stores check it)
        assert detail is not None
        return votes.written(written.event_id(last), written.date(last), written.keys[last],
                             option, detail, written.sources(last))

    return entry


def _written_votes(votes: SharedVoteEntries) -> Callable[[Written, Sequence[int]],
                                                         list[VoteEntry]]:
    """The vote entries of many last stored writes at once, as `_written_vote` for each."""

    def entries(written: Written, lasts: Sequence[int]) -> list[VoteEntry]:
        if written.coded is not None:  # a column of every actor's ballots
            return votes.coded(written, lasts)
        made = written.entries
        places = list(lasts)
        ranks = taken(written.ranks, places)  # not all of them: `finals` grows by a few
        return votes.all_written(pick(made.ids, ranks), pick(made.dates, ranks),
                                 pick(made.keys, ranks), pick(written.values, places),
                                 pick(made.details, ranks), made.sources_of(ranks))

    return entries


def _votes_json(votes: SharedVoteEntries) -> _Json:
    """The votes' JSON from the last stored writes of their keys, in the order of their
    entries (by date, as `SectionSpec.ordered` puts them), as their entries' would read."""

    def json(written: Written, keys: list[str], lasts: Sequence[int]) -> dict[str, Any]:
        made = written.entries
        ranks = taken(written.ranks, lasts)
        order = sorted(range(len(ranks)), key=ranks.__getitem__)
        ranks = pick(ranks, order)
        dicts = votes.all_json(pick(made.ids, ranks), pick(made.dates, ranks),
                               pick(written.values, pick(lasts, order)),
                               pick(made.details, ranks))
        return dict(zip(pick(keys, order), dicts, strict=True))

    return json


def _accumulated(spec: SectionSpec, actor: str) -> _Make[Any]:
    """An entry made from every write of its key (treaties: a status from all its acts)."""
    accumulate = spec.accumulate
    assert accumulate is not None

    def make(events: Sequence[Event], ordinals: Sequence[int]) -> Any:
        return spec.checked(accumulate([events[i] for i in ordinals], actor),
                            events[ordinals[-1]])

    return make


def _prefixed(spec: SectionSpec) -> bool:
    """Whether a section is read through the writes of each key (`_Writes`), not folded: a
    keyed section whose entries are never removed (treaties, votes, stances)."""
    return spec.keyed and not spec.removes


def _keyed_writes(table: Sequence[SectionSpec], actor: str, events: Sequence[Event],
                  shared: SharedVoteEntries) -> dict[str, _Writes[Any]]:
    """Empty writes of every section read through its keys' writes (`_prefixed`), by name."""
    keyed: dict[str, _Writes[Any]] = {}
    for spec in table:
        if not _prefixed(spec):
            continue
        if spec.accumulate is not None:
            keyed[spec.name] = _Writes(_accumulated(spec, actor), events)
        elif spec.columnar:  # vote entries, shared by every actor that voted so
            keyed[spec.name] = _Writes(_last(spec, actor, shared.of), events)
            keyed[spec.name].dated = True
        else:
            keyed[spec.name] = _Writes(_last(spec, actor), events)
    return keyed


def _stored_votes(written: Written, shared: SharedVoteEntries,
                  actor: str | None = None) -> _Writes[VoteEntry]:
    """The votes' writes, read from a store's rows (their events not decoded), or from the
    actor's keys and entries made beforehand for every actor (`SharedVoteEntries.column`)."""
    votes: _Writes[VoteEntry] = _Writes(_written_vote(shared), written, _written_votes(shared),
                                        _votes_json(shared))
    votes.dated = True
    made = None if actor is None else shared.column(actor, written)
    if made is not None:
        votes.write_once(*made)
    elif written.key_ids is not None:  # from every actor's ballots: arrays
        entries = written.entries
        votes.write_ids(written.key_ids, entries.key_names(), entries.key_counts())
    elif written.entries.distinct_keys():  # a resolution per roll call (the common case)
        votes.write_distinct(written.keys)
    else:
        votes.write_all(written.keys)
    return votes


class PrefixPositions:
    """One actor's position after any prefix of a sequence of events, without a replay.

    Built once in one pass over ``events`` (the actor's known events in canonical
    order) and ``columns`` (the writes of its columnar sections, known, in
    canonical order: read from a store's rows, their events not decoded); `at`
    then answers in time that does not grow with the prefix. Every answer equals
    ``fold(PositionProjection(actor), ...)`` of the events settled by its day:
    the keyed sections that never remove an entry (treaties, votes, stances: see
    `_prefixed`) are mappings read through the writes of each key (each event
    kind changes its own sections only); the other sections (memberships,
    listed ones such as sessions, any registered later) are folded by
    `PositionProjection` itself, so every registered section is here.
    The columnar section (votes) may come from stored writes (``columns``). The
    events are copied, so later changes to the caller's list never reach
    positions already handed out; a store's rows (`StoredEvents`) are read-only, kept
    as they are, and decoded only where an entry is made from them.
    """

    @collector_paused()
    def __init__(self, actor: str, events: Iterable[Event], *,
                 latest: Iterable[dt.date] | None = None,
                 columns: Mapping[str, Written] = EMPTY,
                 votes: SharedVoteEntries | None = None,
                 sections: Scanned | None = None) -> None:
        """``latest``, if given, is the last day of each event's date, in order; ``votes``
        shares vote entries with other actors' positions (and reads their events);
        ``sections``, if given, is the actor's writes among ``events`` by section
        (`Scanned`), made beforehand."""
        self.actor = actor
        # A store's rows are kept undecoded (`StoredEvents`: read-only), a list is copied.
        self.events: Sequence[Event] = (events if isinstance(events, StoredEvents)
                                        else list(events))
        self.latest = [e.date.latest for e in self.events] if latest is None else list(latest)
        events = self.events
        shared = SharedVoteEntries() if votes is None else votes
        written = columns.get("votes")
        self._written = written
        self._specs = {spec.name: spec for spec in registered()}
        keyed = _keyed_writes(registered(), actor, events, shared)
        self._keyed = dict(keyed)
        if written is not None:  # read from the stored writes, not from `events`
            del keyed["votes"]
            self._keyed["votes"] = _stored_votes(written, shared, actor)
        self._others: list[Event] = []
        self._other_ordinals: list[int] = []
        self._planned: tuple[tuple[SectionSpec, ...], list[tuple[str, _Writes[Any] | None,
                                                                 bool]]] | None = None
        if sections is None:
            self._scan(actor, events, keyed)
        else:
            self._take(sections, keyed)
        for writes in self._keyed.values():
            writes.seal()

    def _take(self, sections: Scanned, keyed: dict[str, _Writes[Any]]) -> None:
        """As `_scan`, from the writes of each section made beforehand."""
        folded: set[int] = set()
        for section, (keys, ordinals) in sections.items():
            writes = keyed.get(section)
            if writes is None:
                folded.update(ordinals)
            else:
                writes.write_all(keys, ordinals)
        self._other_ordinals = sorted(folded)
        self._others = pick(self.events, self._other_ordinals)

    def _scan(self, actor: str, events: Sequence[Event], keyed: dict[str, _Writes[Any]]) -> None:
        """Record each event's writes in the keyed sections; keep the others' events, to
        fold in `at`. The hot loop of an actor's first query: `_Writes.write`, inlined."""
        for ordinal, event in enumerate(events):
            folded = False
            for section, key in type(event)._entries(event, actor):
                writes = keyed.get(section)
                if writes is None:
                    if not folded:  # the other sections are folded, in `at`
                        self._others.append(event)
                        self._other_ordinals.append(ordinal)
                        folded = True
                    continue
                place = writes.slots.get(key)
                if place is None:
                    writes.slots[key] = len(writes.writes)
                    writes.writes.append(ordinal)
                else:
                    writes.rewrite(place, ordinal)

    def __len__(self) -> int:
        return len(self.events) + (0 if self._written is None else len(self._written))

    @collector_paused()
    def make_entries(self) -> None:
        """Make now the entry of every key after all its writes, in every section read
        through its keys' writes (as a first read of the whole position would): for
        positions made beforehand, whose first answer then only reads them."""
        for writes in self._keyed.values():
            writes.finals()

    def _plan(self) -> list[tuple[str, _Writes[Any] | None, bool]]:
        """How `at` reads each section registered now, made once per table of sections:
        ``(name, writes, columnar)`` for a section read through its keys' writes; ``(name,
        None, True)`` for one registered again since the scan (folded from the events);
        ``(name, None, False)`` for one folded from the other events. A section registered
        after the scan has its events among the folded ones."""
        specs = registered()
        made = self._planned
        if made is not None and made[0] is specs:
            return made[1]
        plan: list[tuple[str, _Writes[Any] | None, bool]] = []
        for spec in specs:
            writes = self._keyed.get(spec.name)
            if writes is not None and (spec.columnar or self._specs[spec.name] is spec):
                plan.append((spec.name, writes, spec.columnar))
            else:
                plan.append((spec.name, None, writes is not None))
        self._planned = (specs, plan)  # one assignment: threads may be here at once
        return plan

    @collector_paused()
    def at(self, day: dt.date | None, *, as_of: Date | None = None,
           known_at: Date | None = None, possible: bool = False,
           coverage: Mapping[str, Coverage] = EMPTY,
           registry: Registry | None = None) -> Position:
        """The position after the events settled on or before ``day`` (all for None),
        labelled with the query's dates."""
        end = len(self.events) if day is None else bisect.bisect_right(self.latest, day)
        vote_end = end if self._written is None else self._written.settled(day)
        others = self._others[: bisect.bisect_left(self._other_ordinals, end)]
        state = fold(PositionProjection(self.actor), others) if others else None
        held: dict[str, Any] = {}
        for name, writes, flag in self._plan():  # flag: columnar, or folded afresh
            if writes is not None:
                held[name] = _PrefixMap(writes, vote_end if flag else end)
            elif flag:  # registered again since the scan (a listed one now?)
                held[name] = fold(PositionProjection(self.actor),
                                  self.events[:end]).section(name)
            elif state is not None:
                held[name] = state.section(name)
        return Position._answered(actor=self.actor, as_of=as_of, known_at=known_at,
                                  possible=possible, sections=held, coverage=coverage,
                                  registry=registry)
