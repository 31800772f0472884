"""Checks across events: unique ids, corrections that point somewhere, known actors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

import attrs

from cybertimeline._codec.reading import event_label
from cybertimeline._model.event import named_actors
from cybertimeline._model.events import KINDS, Event
from cybertimeline._model.registry import Registry, unknown_message
from cybertimeline.errors import Problem

__all__ = ["Lookup", "Origin", "check_events", "check_registry"]


class Lookup(Protocol):
    """Finds stored events by id."""

    def get(self, event_id: str, /) -> Event | None:
        """The event of this id, if there is one."""
        ...


@attrs.frozen
class Origin:
    """Where an event was read from."""

    file: Path | None = None
    line: int | None = None
    fields: Callable[[str | None], int] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    """Finds the line of one of the event's fields, where the file allows."""

    def problem(self, message: str, field: str | None = None) -> Problem:
        """A problem located here: at ``field``'s line where it can be found."""
        line = self.fields(field) if self.fields is not None and field else self.line
        return Problem(message=message, file=self.file, line=line)

    def __str__(self) -> str:
        if self.file is None:
            return "an appended event"
        return f"{self.file}:{self.line}" if self.line else str(self.file)


_NOWHERE = Origin()


def check_events(
    located: Iterable[tuple[Event, Origin]],
    registry: Registry,
    existing: Lookup | None = None,
    existing_origins: Mapping[str, Origin] | None = None,
) -> list[Problem]:
    """Every problem across events: duplicate ids, dangling or cyclic corrections, unknown names.

    Each event comes with where it was read from, so that every problem names
    its file and line; a duplicate id names both places. ``existing`` are
    events already stored and checked, that the new ones may refer to.
    """
    problems: list[Problem] = []
    known_actors = frozenset(registry.actors)
    by_id: dict[str, Event] = {}
    origins: dict[str, Origin] = dict(existing_origins or {})
    new: list[Event] = []
    for event, origin in located:
        if event.id in by_id or (existing is not None and existing.get(event.id) is not None):
            place = origins.get(event.id, _NOWHERE)
            where = f"already used at {place}" if place.file else "already in the store"
            problems.append(origin.problem(
                f"duplicate id {event.id!r}: {where}; give one of them another id"))
            continue
        by_id[event.id] = event
        origins[event.id] = origin
        new.append(event)
        if not known_actors.issuperset(event.involved):  # the details only when needed
            for field, actor in event.actor_names():
                if not registry.has_actor(actor):
                    message = unknown_message("actor", actor, registry.actors)
                    problems.append(origin.problem(f"event {event.id!r}: '{field}': {message}",
                                                   field))
        instrument = getattr(event, "instrument", None)
        if instrument is not None and not registry.has_instrument(instrument):
            message = unknown_message("instrument", instrument, registry.instruments)
            problems.append(origin.problem(f"event {event.id!r}: 'instrument': {message}",
                                           "instrument"))
    for event in new:
        target = event.corrects
        if target is None:
            continue
        origin = origins.get(event.id, _NOWHERE)
        field = "retracts" if event.kind == "retraction" else "supersedes"
        if event.recorded is None:
            problems.append(origin.problem(
                f"event {event.id!r}: a correction needs 'recorded': the day the record "
                f"changed (rule 8)", field))
        if target == event.id:
            problems.append(origin.problem(f"event {event.id!r} {field} itself"))
        elif target not in by_id and (existing is None or existing.get(target) is None):
            problems.append(origin.problem(
                f"event {event.id!r}: '{field}' names {target!r}, which is no event: "
                f"check the id", field))
    problems += _cycles(new, by_id, origins)
    return problems


def _cycles(
    starts: Iterable[Event], by_id: Mapping[str, Event], origins: Mapping[str, Origin]
) -> list[Problem]:
    """A problem for each cycle of corrections reachable from ``starts``."""
    problems = []
    reported: set[str] = set()
    for start in (e.id for e in starts):
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and current not in seen:
            seen.append(current)
            current = by_id[current].corrects
        if current is not None and current in seen and current not in reported:
            cycle = seen[seen.index(current):]
            reported.update(cycle)
            origin = origins.get(current, _NOWHERE)
            chain = " -> ".join([*cycle, current])
            problems.append(origin.problem(
                f"corrections form a cycle ({chain}): an event cannot, through others, "
                f"supersede or retract itself"))
    return problems


def check_registry(
    registry: Registry, origins: Mapping[str, Origin] | None = None
) -> list[Problem]:
    """Problems in the registry itself: parents that are no actor, bodies that are no actor."""
    origins = origins or {}
    problems = []
    for actor in registry.actors.values():
        if actor.parent is not None and not registry.has_actor(actor.parent):
            message = unknown_message("actor", actor.parent, registry.actors)
            problems.append(origins.get(f"actor:{actor.id}", _NOWHERE).problem(
                f"actor {actor.id!r}: 'parent': {message}"))
    for instrument in registry.instruments.values():
        if instrument.body is not None and not registry.has_actor(instrument.body):
            message = unknown_message("actor", instrument.body, registry.actors)
            problems.append(origins.get(f"instrument:{instrument.id}", _NOWHERE).problem(
                f"instrument {instrument.id!r}: 'body': {message}"))
    return problems


def raw_name_problems(data: object, registry: Registry) -> list[tuple[str, str]]:
    """Unknown actors and instruments named in an event dict that did not become an event.

    So that a bad event's unknown names are reported with its other problems. The
    fields that name actors are those its kind declares (every kind's, if the kind
    itself is unknown).
    """
    if not isinstance(data, Mapping):
        return []
    kind = KINDS.get(str(data.get("kind")))
    fields = kind.actor_fields if kind is not None else _ACTOR_FIELDS
    found = [(path, unknown_message("actor", name, registry.actors))
             for field in fields for path, name in named_actors(field, data.get(field))
             if not registry.has_actor(name)]
    instrument = data.get("instrument")
    if isinstance(instrument, str) and not registry.has_instrument(instrument):
        found.append(("instrument",
                      unknown_message("instrument", instrument, registry.instruments)))
    return found


_ACTOR_FIELDS = tuple(dict.fromkeys(f for cls in KINDS.values() for f in cls.actor_fields))


def failed_name_problems(
    failed: Iterable[tuple[object, Origin]], registry: Registry
) -> list[Problem]:
    """`raw_name_problems` of each event that failed, at its field's line."""
    return [origin.problem(f"{event_label(data)}: '{field}': {message}", field)
            for data, origin in failed for field, message in raw_name_problems(data, registry)]
