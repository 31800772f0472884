"""Which events a question reads: its days, the lane it reads, the known ones (rules 2 and 3).

`select` gives the known events of a lane settled by a day (started by it, if
possible): what a projection, a group's members and a treaty chart fold.
`events` is `Timeline.events` once its filters are made: the known events of an
actor (with the retractions of them) or of every actor, in a period, of some
kinds.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.order import canonical_key
from cybertimeline._stores.index import Lane
from cybertimeline._timeline.caches import Derived
from cybertimeline._timeline.versions import Versions
from cybertimeline.errors import ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event
    from cybertimeline._timeline.search import EventFilter, Filters

__all__ = ["Query", "corrections", "date", "event_filter", "events", "first_day", "last_day",
           "select", "with_retractions"]


def last_day(value: DateLike | None) -> dt.date | None:
    """A query date's last day (``as_of``, ``known_at``, ``until``)."""
    return None if value is None else Date.coerce(value).latest


def first_day(value: DateLike | None) -> dt.date | None:
    """A query date's first day (``since``)."""
    return None if value is None else Date.coerce(value).earliest


def date(value: DateLike | None) -> Date | None:
    """A query date as a `Date`, as an answer repeats it."""
    return None if value is None else Date.coerce(value)


class Query:
    """The days a question is asked of: as of a day, as known on a day, and whether acts
    that had only begun by ``as_of`` count (``possible``)."""

    __slots__ = ("as_of", "day", "known_at", "known_day", "possible")

    def __init__(self, as_of: DateLike | None, known_at: DateLike | None,
                 possible: bool = False) -> None:
        self.as_of, self.known_at = date(as_of), date(known_at)
        self.day = None if self.as_of is None else self.as_of.latest
        self.known_day = None if self.known_at is None else self.known_at.latest
        self.possible = possible


def select(versions: Versions, lane_of: Callable[[], Lane], as_of: dt.date | None,
           known_at: dt.date | None, possible: bool) -> list[Event]:
    """The known events of a lane settled by ``as_of`` (started by it, if ``possible``):
    rules 2 and 3."""
    derived, lane = versions.consistent(lambda _: lane_of())
    known = derived.known.at(known_at)
    end = lane.settled(as_of)
    chosen = [e for e in lane.events[:end] if known(e)]
    if possible and as_of is not None:
        chosen += [e for e in lane.events[end:] if e.date.earliest <= as_of and known(e)]
        chosen.sort(key=canonical_key)
    return chosen


def event_filter(versions: Versions, filters: Filters,
                 members: Collection[str] | None) -> EventFilter | None:
    """The filter of `Timeline.events`' ``filters`` (None for none): ``members`` those of the
    group asked about, the events' words those of the current version."""
    from cybertimeline._timeline.search import EventFilter

    return EventFilter.of(filters, versions.registry, members,
                          lambda: versions.current().words())


def events(versions: Versions, actor: str | None, kind: str | Collection[str] | None, *,
           since: DateLike | None, until: DateLike | None, known_at: DateLike | None,
           include_corrected: bool, matches: EventFilter | None) -> Iterator[Event]:
    """The known events of ``actor`` (an id; every actor's if None), in canonical order,
    filtered as `Timeline.events` says.

    Raises:
        ValidationError: ``since`` is after ``until``.
    """
    start, end = first_day(since), last_day(until)
    if start is not None and end is not None and start > end:
        raise ValidationError([f"since ({since}) is after until ({until}): swap them"])
    derived, lane = _lane(versions, actor, start, end)
    keep = _keeps(derived, kind, last_day(known_at), include_corrected, matches)
    first = 0 if start is None else bisect.bisect_left(lane.latest, start)
    return filter(keep, lane.events[first:lane.settled(end)])


def _lane(versions: Versions, actor: str | None, start: dt.date | None,
          end: dt.date | None) -> tuple[Derived, Lane]:
    """The lane `events` reads, and what is derived from the same version of the events:
    an actor's whole lane and the retractions of its events where any event is corrected
    (a retraction in the period may retract an event of the actor's from before), else
    only the period's events."""
    index = versions.index

    def lane_of(derived: Derived) -> Lane:
        if actor is not None and derived.known:
            return index.lane(actor)
        return index.window(actor, start, end)

    derived, lane = versions.consistent(lane_of)
    if actor is not None and derived.known:
        lane = with_retractions(lane, derived.known.correctors())
    return derived, lane


def _keeps(derived: Derived, kind: str | Collection[str] | None, known_at: dt.date | None,
           include_corrected: bool, matches: EventFilter | None) -> Callable[[Event], bool]:
    """Whether `events` lists an event of its lane: of the kinds, known (or recorded by
    ``known_at``, with ``include_corrected``), and kept by the filters."""
    kinds = {kind} if isinstance(kind, str) else None if kind is None else set(kind)
    known = (_recorded_by(known_at) if include_corrected else derived.known.at(known_at))
    if kinds is None and matches is None:
        return known

    def keep(event: Event) -> bool:
        return ((kinds is None or event.kind in kinds) and known(event)
                and (matches is None or matches(event)))

    return keep


def _recorded_by(day: dt.date | None) -> Callable[[Event], bool]:
    """Whether an event was recorded by ``day`` (every event, for None)."""
    return lambda event: day is None or event.recorded_on <= day


def with_retractions(lane: Lane, correctors: Mapping[str, Iterable[Event]]) -> Lane:
    """The lane and the retractions of its events (and of those retractions...).

    A retraction names no actor: it is about the actors of what it retracts.
    """
    found: dict[str, Event] = {}
    targets = [e.id for e in lane.events if e.id in correctors]
    while targets:
        target = targets.pop()
        for corrector in correctors.get(target, ()):
            if corrector.retracts_what_it_corrects and corrector.id not in found:
                found[corrector.id] = corrector
                targets.append(corrector.id)
    if not found:
        return lane
    return Lane([*lane.events, *found.values()])


def corrections(versions: Versions) -> list[Event]:
    """Every stored supersession and retraction (corrected ones too), in canonical order."""
    found = versions.current().known.correctors()
    return sorted({e.id: e for fixes in found.values() for e in fixes}.values(),
                  key=canonical_key)
