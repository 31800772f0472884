"""Every actor's writes in one columnar section, as a matrix: a roll call's options, held once.

A record of roll calls is a matrix: a row per roll call (in canonical order), a
column per actor, each cell the option that actor wrote (a small code, 0 for
none). The questions researchers ask of a whole record (every state on one day,
a panel, every vote on one resolution) are array operations on it; one actor's
column gives the `Written` its position reads. numpy is imported here, when a
timeline first builds one, never by ``import cybertimeline``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model.collection import collector_paused
from cybertimeline._model.sources import sources_json
from cybertimeline._model.written import Entries, EntryRow, OnKey, Written

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.event import BaseEvent, Write

__all__ = ["DENSE", "DENSE_FLOOR", "Ballots"]

DENSE = 8.0
"""How many cells a ballot `Ballots.dense_of_events` lets a matrix hold (beyond a million):
a record of roll calls holds about one (the UN's: 1.4)."""
DENSE_FLOOR = 2**20
"""The cells any matrix may hold, however few its ballots (a megabyte)."""


class _Codes(dict[Any, int]):
    """Numbers given in the order things are first looked up: 1, 2, 3... (a lookup of
    something new gives it the next one)."""

    def __missing__(self, key: Any) -> int:
        code = self[key] = len(self) + 1
        return code


def _write_of(kind: type[BaseEvent], section: str) -> Write | None:
    """The write of ``kind`` in ``section``: a kind that writes a columnar section writes
    no other (`BaseEvent` refuses it), so its `BaseEvent.written` rows are one per actor
    named by that write; None where it writes none there."""
    writes = [w for w in kind.writes if w.section == section]
    if writes and len(kind.writes) != 1:
        raise TypeError(f"{kind.__name__} writes {section!r} and other sections")
    return writes[0] if writes else None


def _ballots_of(event: BaseEvent, write: Write) -> tuple[tuple[str, ...], Iterable[str | None]]:
    """The actors ``event`` writes for (as `BaseEvent.written` lists them) and its value for
    each (`BaseEvent.value`), in that order: a roll call's table of options read whole."""
    from cybertimeline._model.events import Vote  # only where events are read whole

    named = getattr(event, write.whose)
    if isinstance(named, str):
        return (named,), (event.value(named),)
    if type(event).value is Vote.value and write.whose == "votes" and isinstance(named, dict):
        return tuple(named), named.values()  # `Vote.value` reads this table, key by key
    whose = tuple(dict.fromkeys(named))
    return whose, list(map(event.value, whose))


class Ballots:
    """Every actor's writes in one columnar section (``votes``): the section's entries, in
    canonical order, and the matrix of what each actor wrote in each.

    ``codes[rank, column]`` is 0 where the actor of ``column`` wrote nothing in the
    entry at ``rank``, else 1 + the place of its value in ``values``.
    """

    def __init__(self, entries: Entries, actors: Sequence[str], values: Sequence[str | None],
                 codes: npt.NDArray[Any]) -> None:
        self.entries = entries
        self.actors = list(actors)
        self.column = {actor: place for place, actor in enumerate(self.actors)}
        self.values = list(values)
        self.codes = codes
        self._by_code: tuple[str | None, ...] = (None, *self.values)
        self._by_actor: npt.NDArray[Any] | None = None

    @classmethod
    def from_events(cls, events: Iterable[BaseEvent], section: str) -> Ballots:
        """The ballots that ``events`` (in canonical order) write in ``section``: what
        `of_rows` makes of each event's `BaseEvent.written` rows, a roll call's ballots read
        at the speed of C (a million of them on a store of 6,000 roll calls)."""
        found = cls._of_events(events, section, None)
        assert found is not None
        return found

    @classmethod
    def dense_of_events(cls, events: Iterable[BaseEvent], section: str) -> Ballots | None:
        """`from_events`, or None where the matrix would hold more than `DENSE` cells a
        ballot (beyond `DENSE_FLOOR`): many actors each voting in few roll calls, a matrix far
        larger than its ballots (what a position reads then is each actor's lane)."""
        return cls._of_events(events, section, DENSE)

    @classmethod
    @collector_paused()
    def _of_events(cls, events: Iterable[BaseEvent], section: str,
                   dense: float | None) -> Ballots | None:
        import numpy as np

        rows: list[EntryRow] = []
        layouts: list[npt.NDArray[Any]] = []  # each entry's actors, as columns
        values: list[Iterable[str | None]] = []  # each entry's values, in that order
        columns, codes = _Codes(), _Codes()
        by_layout: dict[tuple[str, ...], npt.NDArray[Any]] = {}
        kinds: dict[type, Write | None] = {}
        for event in events:
            kind = type(event)
            write = kinds[kind] if kind in kinds else kinds.setdefault(kind, _write_of(kind,
                                                                                  section))
            if write is None:
                continue
            whose, value = _ballots_of(event, write)
            if not whose:  # no write: no entry (a roll call of no ballots)
                continue
            layout = by_layout.get(whose)
            if layout is None:  # the same voters in the same order: one array for all
                layout = by_layout[whose] = np.fromiter(
                    map(columns.__getitem__, whose), dtype=np.intp, count=len(whose)) - 1
            rows.append((len(rows), event.id, event.date.latest, event.recorded_on,
                         str(event.date), str(getattr(event, write.key or "id")),
                         event._detail(write.detail), sources_json(event.sources)))
            layouts.append(layout)
            values.append(value)
        sizes = [len(layout) for layout in layouts]
        if dense is not None and len(rows) * len(columns) > dense * sum(sizes) + DENSE_FLOOR:
            return None
        coded = np.fromiter(map(codes.__getitem__, itertools.chain.from_iterable(values)),
                            dtype=np.intp, count=sum(sizes))  # fills `codes`
        return cls.of_arrays(
            Entries(rows), list(columns), list(codes),
            np.repeat(np.arange(len(rows), dtype=np.intp), sizes),
            np.concatenate(layouts) if layouts else np.zeros(0, dtype=np.intp), coded)

    @classmethod
    def of_rows(cls, entries: Entries,
                written: Sequence[Sequence[tuple[str, str | None]]]) -> Ballots:
        """The ballots of ``entries``, from each entry's ``(actor, value)`` pairs."""
        import numpy as np

        actors: dict[str, int] = {}
        values: dict[str | None, int] = {}
        ranks, columns, codes = [], [], []
        for rank, pairs in enumerate(written):
            for whose, value in pairs:
                ranks.append(rank)
                columns.append(actors.setdefault(whose, len(actors)))
                codes.append(values.setdefault(value, len(values)) + 1)
        return cls.of_arrays(entries, list(actors), list(values), np.array(ranks, dtype=np.intp),
                             np.array(columns, dtype=np.intp), np.array(codes, dtype=np.intp))

    @classmethod
    def of_arrays(cls, entries: Entries, actors: Sequence[str], values: Sequence[str | None],
                  ranks: npt.NDArray[Any], columns: npt.NDArray[Any],
                  codes: npt.NDArray[Any]) -> Ballots:
        """The ballots from three parallel arrays: the rank of each write's entry, its actor's
        column and its code (1 + the place of its value)."""
        import numpy as np

        dtype = np.uint8 if len(values) < 255 else np.uint32
        matrix = np.zeros((len(entries), len(actors)), dtype=dtype)
        matrix[ranks, columns] = codes
        return cls(entries, actors, values, matrix)

    def settled(self, day: dt.date | None) -> int:
        """How many entries' events settle on or before ``day`` (all of them for None)."""
        return self.entries.settled(day)

    def written(self, actor: str) -> Written:
        """The actor's writes, in canonical order (none for an actor that wrote none)."""
        import numpy as np

        place = self.column.get(actor)
        if place is None:
            return Written(self.entries)
        by_actor = self._by_actor
        if by_actor is None:  # the matrix transposed: each actor's column read at once
            by_actor = self._by_actor = np.ascontiguousarray(self.codes.T)
        column = by_actor[place]
        ranks = np.flatnonzero(column).astype(np.int32)  # arrays: 4 bytes a write, held
        return Written(self.entries, ranks, key_ids=self.entries.key_ids()[ranks],
                       codes=(column[ranks], self._by_code))

    def on_key(self, key: str) -> OnKey:
        """Every actor's writes on ``key`` (every state's vote on one resolution)."""
        ranks = self.entries.ranks_of(key)
        entries = self.entries
        rows: list[EntryRow] = [(place, entries.ids[r], entries.latest[r], entries.recorded[r],
                                 entries.dates[r], key, entries.details[r],
                                 entries.sources[r])
                                for place, r in enumerate(ranks)]
        pairs = []
        for rank in ranks:
            row = self.codes[rank]
            places = row.nonzero()[0].tolist()
            pairs.append([(self.actors[p], self._by_code[int(row[p])]) for p in places])
        return OnKey(Entries(rows), pairs)

    def __len__(self) -> int:
        return len(self.entries)

