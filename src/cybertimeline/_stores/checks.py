"""Checks across events: unique ids, corrections that point somewhere, known actors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from cybertimeline._model.registry import Registry, unknown_message
from cybertimeline.errors import Problem

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["MAX_HINTS", "MAX_PROBLEMS", "Budget", "Lookup", "Origin", "check_events",
           "check_registry", "correction_cycles", "cycle_message", "event_problems"]

MAX_PROBLEMS = 1000
"""A load stops after this many problems: enough to fix, and memory stays bounded however
broken the input is."""

MAX_HINTS = 100
"""How many unknown names of one check get a "did you mean" (each search reads every
known name); those after are named without one."""


class Budget:
    """How many more problems a check computes, and how many "did you mean" searches it
    still runs: problems past the cap are never computed, so one vote of 32,000 unknown
    voters costs what its first reported voters cost."""

    def __init__(self, problems: int = MAX_PROBLEMS) -> None:
        self.problems = problems
        self.hints = MAX_HINTS

    def unknown(self, what: str, name: str, known: Mapping[str, object]) -> str:
        """`unknown_message`, with a "did you mean" while searches are left."""
        self.hints -= 1
        return unknown_message(what, name, known, suggest=self.hints >= 0)


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
    row: str | None = None
    """The row of a database the event was read from: ``row 7 ('can-1')``."""

    def problem(self, message: str, field: str | None = None) -> Problem:
        """A problem located here: at ``field``'s line where it can be found."""
        line = self.fields(field) if self.fields is not None and field else self.line
        if self.row is not None:
            message = f"{self.row}: {message}"
        return Problem(message=message, file=self.file, line=line)

    def __str__(self) -> str:
        if self.file is None:
            return "an appended event"
        if self.row is not None:
            return f"{self.file} {self.row}"
        return f"{self.file}:{self.line}" if self.line else str(self.file)


_NOWHERE = Origin()


def check_events(
    located: Iterable[tuple[Event, Origin]],
    registry: Registry,
    existing: Lookup | None = None,
    existing_origins: Mapping[str, Origin] | None = None,
    budget: Budget | None = None,
) -> list[Problem]:
    """Every problem of these events, checked together (and against ``existing``); at
    most ``budget.problems`` of them (`MAX_PROBLEMS` by default), the check stopping there.

    Each event comes with where it was read from, so that every problem names
    its file and line; a duplicate id names both places. ``existing`` are
    events already stored and checked, that the new ones may refer to. Linear
    in the number of events, whatever the depth of their corrections.
    """
    budget = budget or Budget()
    limit = budget.problems
    origins: dict[str, Origin] = dict(existing_origins or {})
    new, problems = _each_event(located, registry, existing, origins, budget)
    if len(problems) >= limit:
        budget.problems = 0
        return problems[:limit]
    problems += _correction_problems(new, existing, origins, limit - len(problems))
    budget.problems = max(0, limit - len(problems))
    return problems[:limit]


def _each_event(located: Iterable[tuple[Event, Origin]], registry: Registry,
                existing: Lookup | None, origins: dict[str, Origin],
                budget: Budget) -> tuple[dict[str, Event], list[Problem]]:
    """The events of new ids (by id, their ``origins`` noted), and the problems of each on
    its own and of ids used twice; at most ``budget.problems`` of them."""
    limit = budget.problems
    known_actors = frozenset(registry.actors)
    problems: list[Problem] = []
    new: dict[str, Event] = {}
    for event, origin in located:
        if len(problems) >= limit:
            break
        if event.id in new or (existing is not None and existing.get(event.id) is not None):
            place = origins.get(event.id, _NOWHERE)
            where = f"already used at {place}" if place.file else "already in the store"
            problems.append(origin.problem(
                f"duplicate id {event.id!r}: {where}; give one of them another id"))
            continue
        new[event.id] = event
        origins[event.id] = origin
        budget.problems = limit - len(problems)
        problems += event_problems(event, origin, registry, known_actors, budget)
    return new, problems


def _correction_problems(new: Mapping[str, Event], existing: Lookup | None,
                         origins: Mapping[str, Origin], limit: int) -> list[Problem]:
    """Corrections that name no event, and cycles of corrections."""
    problems: list[Problem] = []
    for event in new.values():
        target = event.corrects
        if target is None or target == event.id or len(problems) >= limit:
            continue
        if target not in new and (existing is None or existing.get(target) is None):
            field = event.correction_field
            problems.append(origins.get(event.id, _NOWHERE).problem(
                f"event {event.id!r}: '{field}' names {target!r}, which is no event: check "
                f"the id", field))
    targets = {e.id: e.corrects for e in new.values() if e.corrects is not None}
    for cycle in correction_cycles(targets):
        problems.append(origins.get(cycle[0], _NOWHERE).problem(cycle_message(cycle)))
    return problems


def event_problems(event: Event, origin: Origin, registry: Registry,
                   known_actors: frozenset[str] | None = None,
                   budget: Budget | None = None) -> list[Problem]:
    """The problems of one event on its own: unknown names, a correction without
    ``recorded`` or of itself; no more than ``budget.problems`` unknown names."""
    from cybertimeline._model.events import TreatyAct

    budget = budget or Budget()
    problems: list[Problem] = []
    if not (known_actors or frozenset(registry.actors)).issuperset(event.involved):
        for field, actor in event.actor_names():  # the details only when needed
            if len(problems) >= budget.problems:
                break
            if not registry.has_actor(actor):
                message = budget.unknown("actor", actor, registry.actors)
                problems.append(origin.problem(f"event {event.id!r}: '{field}': {message}",
                                               field))
    instrument = event.instrument if isinstance(event, TreatyAct) else None
    if instrument is not None and not registry.has_instrument(instrument):
        message = budget.unknown("instrument", instrument, registry.instruments)
        problems.append(origin.problem(f"event {event.id!r}: 'instrument': {message}",
                                       "instrument"))
    if event.corrects is not None:
        field = event.correction_field
        if event.recorded is None:
            problems.append(origin.problem(
                f"event {event.id!r}: a correction needs 'recorded': the day the record "
                f"changed (rule 8)", field))
        if event.corrects == event.id:
            problems.append(origin.problem(f"event {event.id!r} {field} itself"))
    return problems


def correction_cycles(targets: Mapping[str, str]) -> list[list[str]]:
    """Every cycle in ``targets`` (an event id to the id it corrects), each listed once.

    Each event corrects at most one other, so following ``targets`` from any
    event either ends or enters a cycle: every event is visited once, without
    recursion, however long the chains. A self-correction is left out (it is
    reported on its own).
    """
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in targets:
        if start in done:
            continue
        path: dict[str, None] = {}  # the ids walked from start, in order
        current: str | None = start
        while current is not None and current not in done and current not in path:
            path[current] = None
            current = targets.get(current)
        if current is not None and current in path:
            walked = list(path)
            cycle = walked[walked.index(current):]
            if len(cycle) > 1:
                cycles.append(cycle)
        done.update(path)
    return cycles


def cycle_message(cycle: Sequence[str]) -> str:
    """What to say of a cycle of corrections."""
    chain = " -> ".join([*cycle, cycle[0]])
    return (f"corrections form a cycle ({chain}): an event cannot, through others, "
            f"supersede or retract itself")


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


Named = tuple[str, str, str]
"""A name in an event that did not become one: (field path, name, "actor" or "instrument")."""


def raw_names(data: object) -> list[Named]:
    """The actors and instruments named in an event dict that did not become an event.

    Kept (not the dict) so that a bad event's unknown names can be reported with its
    other problems once the registry is known. The fields that name actors are those
    its kind declares (every kind's, if the kind itself is unknown).
    """
    from cybertimeline._model.event import named_actors
    from cybertimeline._model.events import KINDS, TreatyAct

    if not isinstance(data, Mapping):
        return []
    kind = KINDS.get(str(data.get("kind")))
    fields = kind.actor_fields if kind is not None else tuple(
        dict.fromkeys(f for cls in KINDS.values() for f in cls.actor_fields))
    found = [(path, name, "actor") for field in fields
             for path, name in named_actors(field, data.get(field))]
    instrument = data.get("instrument")
    if isinstance(instrument, str) and (kind is None or issubclass(kind, TreatyAct)):
        found.append(("instrument", instrument, "instrument"))
    return found


def failed_name_problems(
    failed: Iterable[tuple[str, Sequence[Named], Origin]], registry: Registry,
    budget: Budget | None = None,
) -> list[Problem]:
    """The unknown names of each event that failed (its label, names, origin), at their
    lines; no more than ``budget.problems`` of them."""
    budget = budget or Budget()
    problems: list[Problem] = []
    for label, names, origin in failed:
        for field, name, entry in names:
            if len(problems) >= budget.problems:
                return problems
            if entry == "actor" and not registry.has_actor(name):
                message = budget.unknown("actor", name, registry.actors)
            elif entry == "instrument" and not registry.has_instrument(name):
                message = budget.unknown("instrument", name, registry.instruments)
            else:
                continue
            problems.append(origin.problem(f"{label}: '{field}': {message}", field))
    return problems
