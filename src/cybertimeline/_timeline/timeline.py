"""The timeline: events in canonical order, the known set, and queries as of a date."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from cybertimeline._codec.converters import event_from_dict, event_to_dict
from cybertimeline._model.dates import Date
from cybertimeline._model.events import Event, Membership, TreatyAct
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._projections.position import Position
from cybertimeline._projections.prefixes import PrefixPositions
from cybertimeline._projections.projection import Projection, fold
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline._stores.base import Contents, MemoryStore, Store
from cybertimeline._stores.checks import Origin, check_events
from cybertimeline._stores.index import Lane
from cybertimeline._timeline.reports import Reports
from cybertimeline.errors import UnknownEventError, ValidationError

__all__ = ["Timeline"]

S = TypeVar("S")
DateLike = Date | dt.date | str
Clock = Callable[[], dt.date]
"""Gives today's date: what `Timeline.append` stamps on an event without ``recorded``."""


def utc_today() -> dt.date:
    """Today's date in UTC: the default clock."""
    return dt.datetime.now(dt.UTC).date()

_PREFIX_CACHE_LIMIT = 64
"""How many (actor, known_at) pairs keep their positions at every prefix (about 100 bytes
per event of the actor's, for as long as they are kept)."""


def _until(value: DateLike | None) -> dt.date | None:
    """A query date's last day (``as_of``, ``known_at``, ``until``)."""
    return None if value is None else Date.coerce(value).latest


def _since(value: DateLike | None) -> dt.date | None:
    """A query date's first day (``since``)."""
    return None if value is None else Date.coerce(value).earliest


def _query_date(value: DateLike | None) -> Date | None:
    return None if value is None else Date.coerce(value)


class Timeline(Reports):
    """Dated, sourced events and every question asked of them as of a date.

    Load one with `cybertimeline.load` (the bundled dataset, a folder of
    TOML files, a JSON Lines or a SQLite file) or `cybertimeline.create`; or
    build one in memory from events: ``Timeline([...])``. Events are kept in canonical order,
    ``(latest, earliest, id)``, whatever order they were loaded or appended in.

    Every query takes ``known_at`` (only events recorded by that day, with
    the supersessions and retractions recorded by then) and dates as
    `Date`, ``datetime.date`` or EDTF text; a partial date means its
    last day for ``as_of``, ``known_at`` and ``until``, its first for ``since``.
    """

    def __init__(
        self,
        events: Iterable[Event] = (),
        *,
        registry: Registry | None = None,
        store: Store | None = None,
        clock: Clock = utc_today,
    ) -> None:
        if store is None:
            store = MemoryStore(events, registry)
        elif events != () or registry is not None:
            raise TypeError("give either a store or events and a registry, not both")
        self._store = store
        self._clock = clock
        self._reset(store.read())

    # -- state ------------------------------------------------------------------------------

    def _reset(self, contents: Contents) -> None:
        self._contents = contents
        self._index = contents.index
        self._charted = tuple(i for i in contents.registry.instruments.values() if i.coverage)
        self._refresh_known()

    def _refresh_known(self) -> None:
        self._version = self._index.version
        self._prefix_cache: OrderedDict[tuple[str, dt.date | None], PrefixPositions] = (
            OrderedDict()
        )
        self._correctors = self._index.correctors()
        self._dropped_now = {
            event_id for event_id in self._correctors
            if (event := self._index.get(event_id)) is not None
            and not self._is_known(event, None, {})
        }

    def _is_known(self, event: Event, known_at: dt.date | None, memo: dict[str, bool]) -> bool:
        """Recorded by ``known_at``, and not corrected by a correction that holds then."""
        if known_at is not None and event.recorded_on > known_at:
            return False
        return not any(
            self._holds(corrector, known_at, memo)
            for corrector in self._correctors.get(event.id, ())
        )

    def _holds(self, corrector: Event, known_at: dt.date | None, memo: dict[str, bool]) -> bool:
        """Whether a supersession or retraction is in force at ``known_at``.

        It is, once recorded, unless a retraction in force withdraws it. A
        superseding event that is itself superseded still replaces what it
        replaced: in a chain A <- B <- C, A stays out.
        """
        if corrector.id in memo:
            return memo[corrector.id]
        holds = (known_at is None or corrector.recorded_on <= known_at) and not any(
            self._holds(retraction, known_at, memo)
            for retraction in self._correctors.get(corrector.id, ())
            if retraction.kind == "retraction"
        )
        memo[corrector.id] = holds
        return holds

    def _ensure_current(self) -> None:
        """Drop what was derived from the store if it changed (another writer, on SQLite)."""
        if self._index.version != self._version:
            self._refresh_known()

    def _known_filter(self, known_at: dt.date | None) -> Any:
        self._ensure_current()
        if known_at is None:
            dropped = self._dropped_now
            return lambda e: e.id not in dropped
        memo: dict[str, bool] = {}

        def known(event: Event) -> bool:
            if event.recorded_on > known_at:
                return False
            if event.id not in self._correctors:
                return True
            return self._is_known(event, known_at, memo)

        return known

    def _select(
        self, lane: Lane, as_of: dt.date | None, known_at: dt.date | None, possible: bool
    ) -> list[Event]:
        """The known events of ``lane`` settled by ``as_of`` (started by it, if ``possible``)."""
        known = self._known_filter(known_at)
        end = lane.settled(as_of)
        chosen = [e for e in lane.events[:end] if known(e)]
        if possible and as_of is not None:
            chosen += [e for e in lane.events[end:] if e.date.earliest <= as_of and known(e)]
            chosen.sort(key=canonical_key)
        return chosen

    # -- reading ----------------------------------------------------------------------------

    @property
    def registry(self) -> Registry:
        """The actors and instruments this timeline knows."""
        return self._contents.registry

    @property
    def location(self) -> str:
        """Where the timeline's store is (``memory`` for one built from events)."""
        return self._store.location

    def __len__(self) -> int:
        """How many events are stored, corrected ones included."""
        return len(self._index)

    def __repr__(self) -> str:
        return f"<Timeline of {len(self)} events at {self.location}>"

    def event(self, event_id: str) -> Event:
        """The stored event with this id.

        Raises:
            UnknownEventError: no event has this id (also a KeyError).
        """
        found = self._index.get(event_id)
        if found is None:
            raise UnknownEventError(f"no event with id {event_id!r} in {self.location}")
        return found

    def origin(self, event_id: str) -> Origin:
        """Where the event with this id was read from (file and line), if from a file."""
        return self._contents.origins.get(event_id, Origin())

    def events(
        self,
        actor: str | None = None,
        kind: str | Collection[str] | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        *,
        include_corrected: bool = False,
    ) -> Iterator[Event]:
        """The known events, in canonical order, filtered.

        Args:
            actor: Only events about this actor (as actor, voter, body, group...),
                and retractions of those events.
            kind: Only events of this kind, or of these kinds.
            since: Only events that settle (their latest day) on or after its first day.
            until: Only events that settle on or before its last day.
            known_at: The record as it stood on this day.
            include_corrected: Also list superseded and retracted events.

        Raises:
            UnknownActorError: ``actor`` is not known.
        """
        if actor is not None:
            self.registry.actor(actor)
        self._ensure_current()
        lane = self._index.lane(actor)
        if actor is not None and self._correctors:
            lane = self._with_retractions(lane)
        kinds = {kind} if isinstance(kind, str) else None if kind is None else set(kind)
        start, stop = _since(since), _until(known_at)
        end = lane.settled(_until(until))
        known = (lambda e: stop is None or e.recorded_on <= stop) if include_corrected else (
            self._known_filter(stop))
        first = 0 if start is None else bisect.bisect_left(lane.latest, start)
        for event in lane.events[first:end]:
            if (kinds is None or event.kind in kinds) and known(event):
                yield event

    def _with_retractions(self, lane: Lane) -> Lane:
        """The lane and the retractions of its events (and of those retractions...).

        A retraction names no actor: it is about the actors of what it retracts.
        """
        found: dict[str, Event] = {}
        targets = [e.id for e in lane.events if e.id in self._correctors]
        while targets:
            target = targets.pop()
            for corrector in self._correctors.get(target, ()):
                if corrector.kind == "retraction" and corrector.id not in found:
                    found[corrector.id] = corrector
                    targets.append(corrector.id)
        if not found:
            return lane
        return Lane([*lane.events, *found.values()])

    def project(
        self,
        projection: Projection[S],
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
        actor: str | None = None,
    ) -> S:
        """Fold the known events settled by ``as_of`` through ``projection``, in canonical order.

        Args:
            projection: Any object with ``initial()`` and ``apply(state, event)``.
            as_of: Fold events whose latest day is on or before this date's last day;
                every known event if None.
            known_at: The record as it stood on this day.
            possible: Fold events that had started by ``as_of`` (earliest day on or
                before it) too: a "2015" event counts from 2015-01-01.
            actor: Fold only the events about this actor.
        """
        if actor is not None:
            self.registry.actor(actor)
        lane = self._index.lane(actor)
        return fold(projection, self._select(lane, _until(as_of), _until(known_at), possible))

    def position(
        self,
        actor: str,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> Position:
        """The actor's position as of a date: treaties, votes, stances, memberships...

        Raises:
            UnknownActorError: the actor is not known.
        """
        self.registry.actor(actor)
        as_of_date, known_date = _query_date(as_of), _query_date(known_at)
        day = None if as_of_date is None else as_of_date.latest
        known_day = None if known_date is None else known_date.latest
        if possible and day is not None:
            # Not a prefix of the known events: fold the chosen ones, in one pass.
            chosen = self._select(self._index.lane(actor), day, known_day, possible)
            prefixes = PrefixPositions(actor, chosen)
            end = len(prefixes)
        else:
            prefixes = self._prefixes(actor, known_day)
            end = prefixes.settled(day)
        return prefixes.at(end, as_of=as_of_date, known_at=known_date, possible=possible,
                           coverage=self._coverage(day, known_day), registry=self.registry)

    def _coverage(self, day: dt.date | None, known_day: dt.date | None) -> Mapping[str, Coverage]:
        """The instruments whose chart is complete on ``day``, as known at ``known_day``."""
        found = {}
        for instrument in self._charted:
            coverage = instrument.coverage_on(day, known_day)
            if coverage is not None:
                found[instrument.id] = coverage
        return FrozenDict(found)

    def _prefixes(self, actor: str, known_day: dt.date | None) -> PrefixPositions:
        """The actor's positions at every prefix of its known events, built once and kept.

        Kept for the most recently asked ``(actor, known_at)`` pairs, and dropped
        when the store changes (an append here, or another writer's to SQLite).
        """
        self._ensure_current()
        lane = self._index.lane(actor)
        key = (actor, known_day)
        found = self._prefix_cache.get(key)
        if found is not None:
            self._prefix_cache.move_to_end(key)
            return found
        known = self._known_filter(known_day)
        prefixes = PrefixPositions(actor, (e for e in lane.events if known(e)))
        self._prefix_cache[key] = prefixes
        if len(self._prefix_cache) > _PREFIX_CACHE_LIMIT:
            self._prefix_cache.popitem(last=False)
        return prefixes

    def positions(
        self,
        actors: str | Iterable[str],
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> dict[str, Position]:
        """Positions of several actors: a list of actors, or a group's members as of ``as_of``."""
        chosen = (
            self.members(actors, as_of, known_at, possible) if isinstance(actors, str) else actors
        )
        return {a: self.position(a, as_of, known_at, possible) for a in chosen}

    def members(
        self,
        group: str,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> tuple[str, ...]:
        """The members of a group as of a date, from its membership events, sorted."""
        self.registry.actor(group)
        lane = self._index.lane(group)
        members: dict[str, bool] = {}
        for event in self._select(lane, _until(as_of), _until(known_at), possible):
            if isinstance(event, Membership) and event.group == group:
                members[event.actor] = event.action == "join"
        return tuple(sorted(a for a, joined in members.items() if joined))

    def status(
        self,
        instrument: str,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
        *,
        all_actors: bool = False,
    ) -> dict[str, TreatyStatus]:
        """Every actor's standing towards one instrument: the treaty office's chart, as of a date.

        The actors that acted on it, sorted by id. With ``all_actors``, every
        state too: ``none`` (not a signatory) where the store declares the
        chart complete on that date (rule 10), else ``unknown``.

        Raises:
            UnknownInstrumentError: the instrument is not known.
        """
        if not self.registry.has_instrument(instrument):
            self.registry.instrument(instrument)
        day, known_day = _until(as_of), _until(known_at)
        lane = self._index.instrument_lane(instrument)
        acts: defaultdict[str, list[TreatyAct]] = defaultdict(list)
        for event in self._select(lane, day, known_day, possible):
            assert isinstance(event, TreatyAct)
            acts[event.actor].append(event)
        found = self.registry.instruments.get(instrument)
        coverage = None if found is None else found.coverage_on(day, known_day)
        if all_actors:
            for actor in self.registry.actors.values():
                if actor.type == "state":
                    acts.setdefault(actor.id, [])
        return {
            actor: TreatyStatus(actor=actor, instrument=instrument, events=tuple(events),
                                coverage=coverage)
            for actor, events in sorted(acts.items())
        }

    # -- writing ----------------------------------------------------------------------------

    @property
    def sequence(self) -> int:
        """How many events the store holds: pass it to `append` as ``expected``."""
        return len(self._index)

    def append(self, event: Event, *, expected: int | None = None) -> None:
        """Validate ``event`` against everything stored and write it through to the store.

        An event without ``recorded`` is stamped with the day of the append
        (UTC, from the timeline's clock) and stored with it (rule 7).
        When this returns, the event is durable; when it raises, nothing was
        written. Another process's appends to the same store are read first.
        With ``expected`` (optimistic concurrency), the append fails unless the
        store still holds that many events, as `sequence` said earlier.

        Raises:
            ValidationError: the event does not fit the store (duplicate id,
                unknown actor, a correction of no event...).
            ConflictError: the store no longer holds ``expected`` events (another
                writer appended first), or another writer kept it locked.
            TimelineError: the store is read-only (the bundled dataset).
        """

        event = self._stamped(event)
        _check_writable(event)

        def accept(contents: Contents) -> None:
            problems = check_events(
                [(event, Origin())], contents.registry, contents.index, contents.origins
            )
            if problems:
                raise ValidationError(problems)

        self._reset(self._store.append(event, accept, expected))

    def _stamped(self, event: Event) -> Event:
        """The event with ``recorded`` set to the append day where it has none (rule 7)."""
        if event.recorded is not None:
            return event
        today = self._clock()
        if not event.announced_ahead and today < event.date.earliest:
            raise ValidationError([
                f"event {event.id!r} is dated {event.date}, after today ({today}), the day "
                f"an append records it: a {event.kind} cannot be known before it happened "
                f"(rule 9); append it once it has happened, or correct its date"])
        return attrs.evolve(event, recorded=Date.from_date(today))


def _check_writable(event: Event) -> None:
    """Refuse an event that would not read back as itself: a store holds only what it can load.

    Events built in Python skip the checks of the file format (a summary that is
    a number, say); writing one would make the store unloadable.
    """
    try:
        again = event_from_dict(event_to_dict(event))
    except ValidationError as exc:
        raise ValidationError(
            [f"event {event.id!r} cannot be stored: {p.message}" for p in exc.problems]
        ) from None
    except Exception as exc:  # an event with fields of the wrong types
        raise ValidationError([f"event {event.id!r} cannot be stored: {exc}"]) from None
    if again != event:
        raise ValidationError([f"event {event.id!r} cannot be stored: it does not read back "
                               f"as itself (check the types of its fields)"])
