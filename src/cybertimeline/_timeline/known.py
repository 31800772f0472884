"""The known set (rule 2): which events the record holds on a day, corrections applied.

An event is known at K when it was recorded by K and no correction of it (a
supersession or a retraction) is in force at K. A correction is in force from
its recorded day unless a retraction in force withdraws it. Whether a
correction holds is worked out without recursion, so a chain of any length is
fine; a cycle (which validation refuses) cannot loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from cybertimeline._model.corrections import Corrections

if TYPE_CHECKING:
    from cybertimeline._model.events import Event


class _Correction(Protocol):
    """What the known set reads of a correction: an event, or a store's row of it
    (`Correction`)."""

    @property
    def id(self) -> str: ...
    @property
    def recorded_on(self) -> dt.date: ...
    @property
    def retracts_what_it_corrects(self) -> bool: ...


__all__ = ["KnownSet"]


class KnownSet:
    """Decides what is known, given every correction in a store: a pure function of them.

    ``correctors`` maps each corrected event id to the events that supersede or
    retract it; where it is a store's `Corrections`, their rows are read, not their
    events. The set of events dropped when every event counts as recorded
    (``known_at`` None) is worked out once; any other day gets a filter of its own.
    """

    def __init__(self, correctors: Mapping[str, Sequence[Event]]) -> None:
        self._given = correctors
        self._correctors: Mapping[str, Sequence[_Correction]] = (
            correctors.rows if isinstance(correctors, Corrections) else correctors)
        self._dropped_now: frozenset[str] | None = None

    def __bool__(self) -> bool:
        """Whether any event is corrected at all (if not, every recorded event is known)."""
        return bool(self._correctors)

    def correctors(self) -> Mapping[str, Sequence[Event]]:
        """For each corrected event id, the events that supersede or retract it."""
        return self._given

    def dropped_now(self) -> frozenset[str]:
        """The ids of the events a correction drops when every event counts as recorded."""
        if self._dropped_now is None:
            given = self._correctors
            if {c.id for found in given.values() for c in found}.isdisjoint(given):
                # No correction is itself corrected (the common case): each holds.
                self._dropped_now = frozenset(filter(given.__getitem__, given))
            else:
                holds = self._holds(None)
                self._dropped_now = frozenset(
                    target for target, correctors in given.items()
                    if any(holds(c) for c in correctors))
        return self._dropped_now

    def at(self, known_at: dt.date | None) -> Callable[[Event], bool]:
        """A filter that keeps the events known at ``known_at`` (every one recorded, if None)."""
        if known_at is None:
            dropped = self.dropped_now()
            return lambda event: event.id not in dropped
        keeps = self.keeps(known_at)
        return lambda event: keeps(event.id, event.recorded_on)

    def keeps(self, known_at: dt.date | None) -> Callable[[str, dt.date], bool]:
        """As `at`, for an event known by its id and recorded day alone (a stored write)."""
        if known_at is None:
            dropped = self.dropped_now()
            return lambda event_id, recorded: event_id not in dropped
        correctors = self._correctors
        holds = self._holds(known_at)

        def known(event_id: str, recorded: dt.date) -> bool:
            if recorded > known_at:
                return False
            found = correctors.get(event_id)
            return found is None or not any(holds(c) for c in found)

        return known

    def _holds(self, known_at: dt.date | None) -> Callable[[_Correction], bool]:
        """Whether a correction is in force at ``known_at``, memoised for that day.

        In force once recorded, unless a retraction in force withdraws it. A
        superseding event that is itself superseded still keeps out what it
        replaced: only retractions withdraw a correction.
        """
        memo: dict[str, bool] = {}
        correctors = self._correctors

        def recorded(event: _Correction) -> bool:
            return known_at is None or event.recorded_on <= known_at

        def retractions(event: _Correction) -> list[_Correction]:
            return [r for r in correctors.get(event.id, ()) if r.retracts_what_it_corrects]

        def holds(correction: _Correction) -> bool:
            found = memo.get(correction.id)
            if found is not None:
                return found
            if correction.id not in correctors:  # nothing withdraws it (the common case)
                found = memo[correction.id] = recorded(correction)
                return found
            # Depth first, without recursion: a correction's answer waits for those
            # of the retractions of it, which wait for theirs...
            stack: list[tuple[_Correction, bool]] = [(correction, False)]
            pending: set[str] = set()
            while stack:
                event, ready = stack.pop()
                if event.id in memo:
                    continue
                if not recorded(event):
                    memo[event.id] = False
                    continue
                withdrawn_by = retractions(event)
                if not ready:
                    pending.add(event.id)
                    stack.append((event, True))
                    stack.extend((r, False) for r in withdrawn_by
                                 if r.id not in memo and r.id not in pending)
                    continue
                memo[event.id] = not any(memo.get(r.id, False) for r in withdrawn_by)
            return memo[correction.id]

        return holds
