"""Importing a record again, safely: what is the same adds nothing, what changed becomes a
correction, never a silent rewrite.

Each record an importer reads (a roll call, a cell of a chart) becomes an
event with an id of its own, the same at every import (``unvotes-9087``). On a
later import, the store's current version of it (the event of that id, or its
latest revision ``unvotes-9087-r2``...) is compared with the record read:
the same record adds nothing; a changed one is written as a new revision that
supersedes the current one, recorded on the import day (rule 8); a record gone
from a source that still lists its row becomes a retraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.events import Event, Retraction
from cybertimeline._model.registry import Actor, Instrument
from cybertimeline._model.sources import Source
from cybertimeline._timeline.timeline import Timeline

__all__ = ["ImportReport", "Plan", "plan_import", "revision_id"]

_IGNORED = frozenset({"id", "recorded", "stamped", "supersedes", "summary", "sources", "title"})
"""Fields that say how a record is written or cited, not what it records."""


def revision_id(base: str, number: int) -> str:
    """The id of a record's ``number``-th version: ``base`` itself, then ``base-r2``..."""
    return base if number == 1 else f"{base}-r{number}"


def _same_record(stored: Event, read: Event) -> bool:
    """Whether two events record the same thing, however they word or cite it."""
    if type(stored) is not type(read):
        return False
    return all(getattr(stored, f.name) == getattr(read, f.name)
               for f in attrs.fields(type(read)) if f.name not in _IGNORED)


@attrs.frozen
class ImportReport:
    """What an import did.

    Attributes:
        location: The store written to.
        read: How many records were read (after filters): roll calls, or chart cells.
        added: The ids of the events added for records new to the store.
        corrected: The ids of the corrections written for records that changed
            (new revisions that supersede the stored ones, or retractions).
        unchanged: How many records the store already held as they are.
        declared: The ids of the actors and instruments declared with them.
        notes: Anything a reader should know (columns not read, tallies that differ...).
    """

    location: str
    read: int
    added: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    unchanged: int = 0
    declared: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (f"{self.location}: {self.read} records read, {len(self.added)} added, "
                f"{len(self.corrected)} corrected, {self.unchanged} unchanged")
        if self.declared:
            text += f"; declared {', '.join(self.declared)}"
        return "\n".join([text, *(f"note: {note}" for note in self.notes)])


@attrs.frozen
class Plan:
    """The events an import writes: new records, corrections, and what it leaves alone."""

    added: tuple[Event, ...]
    corrections: tuple[Event, ...]
    unchanged: int

    @property
    def events(self) -> tuple[Event, ...]:
        """Everything to write, in one batch."""
        return (*self.added, *self.corrections)

    def report(self, timeline: Timeline, read: int,
               declared: Sequence[Actor | Instrument] = (),
               notes: Iterable[str] = ()) -> ImportReport:
        """The report of this plan, once written to ``timeline``."""
        return ImportReport(location=timeline.location, read=read,
                            added=tuple(e.id for e in self.added),
                            corrected=tuple(e.id for e in self.corrections),
                            unchanged=self.unchanged,
                            declared=tuple(d.id for d in declared), notes=tuple(notes))


def _current(timeline: Timeline, base: str) -> tuple[int, Event | None]:
    """The number of the latest stored version of a record, and that version (0, None if
    the store has none)."""
    number, found = 0, None
    while True:
        event = _stored(timeline, revision_id(base, number + 1))
        if event is None:
            return number, found
        number, found = number + 1, event


def _stored(timeline: Timeline, event_id: str) -> Event | None:
    try:
        return timeline.event(event_id)
    except KeyError:
        return None


def _retraction_id(event_id: str) -> str:
    return f"{event_id}-retracted"


def plan_import(timeline: Timeline, read: Iterable[Event], *,
                gone: Iterable[tuple[str, Date, Source, str]] = ()) -> Plan:
    """What to write so that the store records what was read, without rewriting anything.

    Args:
        timeline: The store imported into.
        read: The events of the records read, each under its base id (the id of its
            first version).
        gone: ``(base id, date, source, reason)`` of records a source no longer lists:
            each stored one is retracted (once).
    """
    added: list[Event] = []
    corrections: list[Event] = []
    unchanged = 0
    for event in read:
        number, stored = _current(timeline, event.id)
        if stored is None:
            added.append(event)
        elif _same_record(stored, event) and _stored(
                timeline, _retraction_id(stored.id)) is None:
            unchanged += 1
        else:
            corrections.append(attrs.evolve(event, id=revision_id(event.id, number + 1),
                                            supersedes=stored.id))
    for base, day, source, reason in gone:
        _number, stored = _current(timeline, base)
        if stored is not None and _stored(timeline, _retraction_id(stored.id)) is None:
            corrections.append(Retraction(id=_retraction_id(stored.id), date=day,
                                          retracts=stored.id, reason=reason, sources=[source]))
    return Plan(tuple(added), tuple(corrections), unchanged)
