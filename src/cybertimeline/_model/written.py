"""An actor's stored writes in one section, as columns: what a position reads of a roll call.

A store keeps each event's writes as rows (`WriteRow`: a ballot is one); a query
for one actor reads that actor's rows of a columnar section (`COLUMNAR`), in the
canonical order of their events, into a `Written`, and never decodes the
events behind them until an answer asks for one (its sources, say).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable

from cybertimeline._model.event import BaseEvent

__all__ = ["Entries", "Written", "WrittenRow"]

WrittenRow = tuple[str, dt.date, dt.date, str, str, str | None, str | None]
"""One write with what the known set and the order need of its event: ``(event id, latest
day, recorded day, EDTF date, key, value, detail)``."""


class Written:
    """One actor's writes in one section, in canonical order of their events, as columns.

    ``ids``, ``latest``, ``recorded``, ``dates`` describe the event of each write (its
    id, the last day of its date, the day it entered the record, its EDTF text);
    ``keys``, ``values``, ``details`` the write itself (a vote: the resolution, the
    option, the body).
    """

    __slots__ = ("dates", "details", "ids", "keys", "latest", "recorded", "values")

    def __init__(self, rows: Iterable[WrittenRow] = ()) -> None:
        listed = list(rows)
        self.ids: list[str] = [r[0] for r in listed]
        self.latest: list[dt.date] = [r[1] for r in listed]
        self.recorded: list[dt.date] = [r[2] for r in listed]
        self.dates: list[str] = [r[3] for r in listed]
        self.keys: list[str] = [r[4] for r in listed]
        self.values: list[str | None] = [r[5] for r in listed]
        self.details: list[str | None] = [r[6] for r in listed]

    @classmethod
    def of_events(cls, events: Iterable[BaseEvent], actor: str, section: str) -> Written:
        """The writes in ``section`` of ``actor``'s position that ``events`` make, in their
        order (a store of files derives them so; a database stores them)."""
        return cls((event.id, event.date.latest, event.recorded_on, str(event.date),
                    key, value, detail)
                   for event in events
                   for _, written, key, value, detail in event.written_for(actor)
                   if written == section)

    @classmethod
    def gather(cls, entries: Entries, written: Iterable[tuple[int, str | None]]) -> Written:
        """An actor's writes from its rows ``(event row, value)`` and the section's entries
        (`Entries`): put in canonical order, each with its event's columns."""
        ranked = sorted((entries.rank[seq], value) for seq, value in written)
        found = cls.__new__(cls)
        ranks = [rank for rank, _ in ranked]
        found.ids = [entries.ids[r] for r in ranks]
        found.latest = [entries.latest[r] for r in ranks]
        found.recorded = [entries.recorded[r] for r in ranks]
        found.dates = [entries.dates[r] for r in ranks]
        found.keys = [entries.keys[r] for r in ranks]
        found.values = [value for _, value in ranked]
        found.details = [entries.details[r] for r in ranks]
        return found

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, place: int) -> WrittenRow:
        """The write at ``place``, as a row."""
        return (self.ids[place], self.latest[place], self.recorded[place], self.dates[place],
                self.keys[place], self.values[place], self.details[place])

    def kept(self, keep: Callable[[str, dt.date], bool]) -> Written:
        """The writes whose event ``keep(id, recorded day)`` keeps (the known set)."""
        return Written(self.row(i) for i in range(len(self))
                       if keep(self.ids[i], self.recorded[i]))

    def settled(self, day: dt.date | None) -> int:
        """How many writes' events settle on or before ``day`` (all of them for None)."""
        return len(self.ids) if day is None else bisect.bisect_right(self.latest, day)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Written) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Written: {len(self)} writes>"



class Entries:
    """The entries of every stored event in one columnar section, in canonical order, as
    columns: what a store reads once per version, so that an actor's query reads only its
    own rows ``(event row, value)`` (`Written.gather`).

    ``rank`` maps each event's row number in the store to its place in the order.
    """

    __slots__ = ("dates", "details", "ids", "keys", "latest", "rank", "recorded")

    def __init__(self, rows: Iterable[tuple[int, str, dt.date, dt.date, str, str,
                                            str | None]]) -> None:
        """``rows``: ``(event row, id, latest day, recorded day, EDTF date, key, detail)``,
        in canonical order."""
        listed = list(rows)
        self.rank: dict[int, int] = {r[0]: place for place, r in enumerate(listed)}
        self.ids: list[str] = [r[1] for r in listed]
        self.latest: list[dt.date] = [r[2] for r in listed]
        self.recorded: list[dt.date] = [r[3] for r in listed]
        self.dates: list[str] = [r[4] for r in listed]
        self.keys: list[str] = [r[5] for r in listed]
        self.details: list[str | None] = [r[6] for r in listed]

    def __len__(self) -> int:
        return len(self.ids)
