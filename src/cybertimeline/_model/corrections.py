"""A store's corrections as rows: what the known set reads of them, their events read later.

The known set (rule 2) reads three things of each supersession and retraction: its
id, the day it entered the record and whether it withdraws what it corrects (a
retraction). A SQL store keeps these as columns beside the event, so it reads them
as rows when it opens (`Corrections`), and decodes the events themselves only when an
answer asks for them (`Timeline.corrections`, the retractions listed with a lane).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["Correction", "Corrections"]


class Correction(NamedTuple):
    """What the known set reads of a correction (an event's own attributes of these names)."""

    id: str
    recorded_on: dt.date
    retracts_what_it_corrects: bool


class Corrections(Mapping[str, Sequence["Event"]]):
    """For each corrected event id, the events that supersede or retract it: held as
    `Correction` rows (`rows`), the events read by ``read`` when first asked for.

    ``read`` gives the events by corrected id, each list in the order of its rows.
    """

    def __init__(self, rows: Mapping[str, Sequence[Correction]],
                 read: Callable[[], Mapping[str, Sequence[Event]]]) -> None:
        self.rows = rows
        self._read = read
        self._events: Mapping[str, Sequence[Event]] | None = None
        self._lock = threading.Lock()

    def events(self) -> Mapping[str, Sequence[Event]]:
        """The events of every correction, by the id each corrects (read once)."""
        return self._read_events()

    def _read_events(self) -> Mapping[str, Sequence[Event]]:
        found = self._events
        if found is None:
            with self._lock:
                found = self._events
                if found is None:
                    found = self._events = self._read()
        return found

    def __getitem__(self, corrected: str) -> Sequence[Event]:
        if corrected not in self.rows:
            raise KeyError(corrected)
        return self._read_events()[corrected]

    def __contains__(self, corrected: object) -> bool:
        return corrected in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
