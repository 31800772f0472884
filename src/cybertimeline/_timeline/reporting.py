"""What a timeline adds to the reports it offers as methods: a group's members among a
changelog's actors, a changelog kept to the events a filter keeps, and a listing of the
events of several actors. The reports themselves (`cybertimeline._reports`) are imported
when first used."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from cybertimeline._model.dates import DateLike
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Registry
from cybertimeline._timeline.search import EventFilter
from cybertimeline.errors import ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event
    from cybertimeline._reports.changelog import Changelog
    from cybertimeline._reports.listing import EventListing

__all__ = ["kept", "listing", "with_members"]


def with_members(actors: str | Iterable[str] | None, group: str, members: Sequence[str],
                 until: DateLike | None) -> list[str]:
    """The actors named and the group's ``members`` (as of ``until``).

    Raises:
        ValidationError: neither names an actor.
    """
    named = [actors] if isinstance(actors, str) else list(actors or ())
    if not members and not named:
        raise ValidationError([f"{group} has no members as of {until or 'the end'}"])
    return [*named, *members]


def kept(log: Changelog, keep: EventFilter | None) -> Changelog:
    """The changelog's changes with an event ``keep`` keeps, and its corrections of or by
    one (every one, if ``keep`` is None)."""
    if keep is None:
        return log
    return attrs.evolve(
        log, changes=tuple(c for c in log.changes if any(keep(e) for e in c.events)),
        corrections=tuple(c for c in log.corrections if keep(c.event) or keep(c.corrected)))


def listing(chosen: Sequence[str], registry: Registry,
            events_of: Callable[[str | None], Iterable[Event]]) -> EventListing:
    """The events of the ``chosen`` actors (every actor's if none), each once, in canonical
    order: ``events_of(actor)`` gives one actor's (every actor's for None)."""
    from cybertimeline._reports.listing import EventListing

    seen: dict[str, Event] = {}
    asked: list[str | None] = [*chosen] or [None]
    for actor in asked:
        for event in events_of(actor):
            seen.setdefault(event.id, event)
    return EventListing(events=sorted(seen.values(), key=canonical_key),
                        actor=chosen[0] if len(chosen) == 1 else None, registry=registry)
