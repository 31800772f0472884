"""Every actor's positions at every prefix, made at once for a store held in memory.

A researcher reads many actors' whole positions one after another. Made one at a
time, each actor's first answer pays for its own writes and entries (about a
millisecond on a store of 76,000 events, more than pandas splitting that actor);
made together, from the columns a store in memory makes for every actor anyway
(`MemoryIndex.every_writes`), each actor's first answer is a lookup and a binary
search. Each is what `Derived.build` makes for that actor, known as recorded
(``known_at`` None), so every answer is the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cybertimeline._model.collection import collector_paused
from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._model.written import Written
from cybertimeline._projections.entries import SharedVoteEntries
from cybertimeline._projections.prefixes import PrefixPositions
from cybertimeline._stores.index import MemoryIndex

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["every_prefix"]


@collector_paused()
def every_prefix(index: MemoryIndex, dropped: frozenset[str],
                 votes: SharedVoteEntries) -> dict[str, PrefixPositions]:
    """Each actor's positions at every prefix of its writes less the ``dropped`` events (the
    known set's, every event recorded), with the entries after all its writes made: for
    every actor with a stored event, but those whose columns read a dropped event (a
    corrected roll call: `Derived.build` filters them as asked). Empty where the index
    reads whole lanes (`MemoryIndex.every_writes`)."""
    every = index.every_writes()
    if every is None:
        return {}
    for section in sorted(COLUMNAR):
        votes.prepare(index.ballots(section))
    skipped = _reading_dropped(index, dropped)
    gone = _dropped_of_actors(index, dropped)
    made: dict[str, PrefixPositions] = {}
    for actor, writes in every:  # one at a time: what an actor's columns do not keep is freed
        if actor in skipped:
            continue
        if actor in gone:
            writes = writes.without(dropped)
        others = writes.others
        prefixes = PrefixPositions(actor, others.events, latest=others.latest,
                                   columns=_held(actor, writes.columns, votes), votes=votes,
                                   sections=writes.sections)
        prefixes.make_entries()
        made[actor] = prefixes
    return made


def _held(actor: str, columns: Mapping[str, Written], votes: SharedVoteEntries
          ) -> dict[str, Written]:
    """The actor's columns as its positions keep them: without each write's key id where
    its keys and entries are made already (`SharedVoteEntries.column`), as they read only
    those then (4 bytes a vote, for every actor)."""
    return {section: written if written.coded is None or votes.column(actor, written) is None
            else Written(written.entries, written.ranks, codes=written.coded)
            for section, written in columns.items()}


def _reading_dropped(index: MemoryIndex, dropped: frozenset[str]) -> set[str]:
    """The actors whose column of a matrix holds a write of a ``dropped`` event."""
    found: set[str] = set()
    if not dropped:
        return found
    for section in sorted(COLUMNAR):
        matrix = index.ballots(section)
        ranks = [rank for rank, event_id in enumerate(matrix.entries.ids)
                 if event_id in dropped]
        if ranks:
            import numpy as np  # made the matrix: imported already

            columns = np.flatnonzero(matrix.codes[ranks].any(axis=0)).tolist()
            found.update(matrix.actors[column] for column in columns)
    return found


def _dropped_of_actors(index: MemoryIndex, dropped: frozenset[str]
                       ) -> Mapping[str, list[Event]]:
    """The ``dropped`` events (those stored) by each actor they involve."""
    found: dict[str, list[Event]] = {}
    for event_id in sorted(dropped):
        event = index.get(event_id)
        if event is not None:
            for actor in dict.fromkeys(event.involved):
                found.setdefault(actor, []).append(event)
    return found
