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
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model.sources import sources_json
from cybertimeline._model.written import Entries, EntryRow, OnKey, Written

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.event import BaseEvent

__all__ = ["Ballots"]


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

    @classmethod
    def from_events(cls, events: Iterable[BaseEvent], section: str) -> Ballots:
        """The ballots that ``events`` (in canonical order) write in ``section``."""
        rows: list[EntryRow] = []
        written: list[list[tuple[str, str | None]]] = []
        for event in events:
            found = [row for row in event.written() if row[1] == section]
            if not found:
                continue
            _, _, key, _, detail = found[0]
            rows.append((len(rows), event.id, event.date.latest, event.recorded_on,
                         str(event.date), key, detail, sources_json(event.sources)))
            written.append([(whose, value) for whose, _, _, value, _ in found])
        return cls.of_rows(Entries(rows), written)

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
        column = self.codes[:, place]
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

