"""A store's events as the rows it read, each decoded only when something reads it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["StoredEvents"]

Row = tuple[Any, ...]


class StoredEvents(Sequence["Event"]):
    """Events in order, held as a store's rows (payload and the columns to check it by),
    with their ids: an event is decoded (``decode``) when first read, then kept.

    A position of a day reads, per topic, one statement of many, so an actor's lane of
    rows is read whole and decoded a few events at a time. Read-only: a slice or `kept` is
    another such sequence, not a list of decoded events. Two threads reading one event at
    once may each decode it; both get equal events.
    """

    __slots__ = ("_decode", "_made", "_rows", "ids")

    def __init__(self, rows: Sequence[Row], ids: Sequence[str],
                 decode: Callable[[Row], Event],
                 made: list[Event | None] | None = None) -> None:
        self._rows = rows
        self.ids = ids
        """Each event's id, read from its row (not decoded)."""
        self._decode = decode
        self._made: list[Event | None] = [None] * len(rows) if made is None else made

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, at: int) -> Event: ...

    @overload
    def __getitem__(self, at: slice) -> StoredEvents: ...

    def __getitem__(self, at: int | slice) -> Event | StoredEvents:
        if isinstance(at, slice):
            return StoredEvents(self._rows[at], self.ids[at], self._decode, self._made[at])
        made = self._made[at]
        if made is None:
            made = self._made[at] = self._decode(self._rows[at])
        return made

    def __iter__(self) -> Iterator[Event]:
        for at in range(len(self._rows)):
            yield self[at]

    def kept(self, places: Sequence[int]) -> StoredEvents:
        """The events at ``places`` (in order), still undecoded where they are."""
        return StoredEvents([self._rows[p] for p in places], [self.ids[p] for p in places],
                            self._decode, [self._made[p] for p in places])

    def __repr__(self) -> str:
        return f"StoredEvents({len(self)} events)"
