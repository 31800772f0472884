"""The timeline: events in canonical order, the known set, and questions as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._projections.projection import fold
from cybertimeline._stores.base import MemoryStore
from cybertimeline._stores.checks import Origin
from cybertimeline._timeline import positions as _positions
from cybertimeline._timeline import selecting
from cybertimeline._timeline.coverage import coverage
from cybertimeline._timeline.selecting import Query, last_day
from cybertimeline._timeline.versions import Versions, in_one_read, one_version
from cybertimeline.errors import UnknownEventError, ValidationError

# Imported where used: what only a write, a validation, a chart or a report needs (the
# checks of sequences, the charts' projection, the search filters), so that a position
# loads none of it.
if TYPE_CHECKING:
    import pandas as pd

    from cybertimeline._model.ballots import Ballots
    from cybertimeline._model.events import Event
    from cybertimeline._model.registry import Actor, Instrument, Registry
    from cybertimeline._projections.chart import TreatyChart
    from cybertimeline._projections.entries import VoteEntry
    from cybertimeline._projections.position import Position
    from cybertimeline._projections.projection import Projection
    from cybertimeline._reports.agreement import Agreement, Measure, Period
    from cybertimeline._reports.changelog import Changelog
    from cybertimeline._reports.compare import Comparison
    from cybertimeline._reports.heatmap import VoteMap
    from cybertimeline._reports.listing import EventListing
    from cybertimeline._reports.resolutions import ResolutionView
    from cybertimeline._reports.swimlanes import Swimlanes
    from cybertimeline._stores.base import Store
    from cybertimeline._stores.index import Index
    from cybertimeline._timeline.search import EventFilter, FieldFilters, Filters
    from cybertimeline.errors import Problem

__all__ = ["Clock", "Timeline", "utc_today"]

S = TypeVar("S")
Clock = Callable[[], dt.date]
"""Gives today's date: what `Timeline.append` stamps on an event without ``recorded``."""


BULK = 8
"""From how many actors `positions` reads every actor's ballots at once (`prepare_bulk`)."""


def utc_today() -> dt.date:
    """Today's date in UTC: the default clock."""
    return dt.datetime.now(dt.UTC).date()


class Timeline:
    """Dated, sourced events and every question asked of them as of a date.

    Load one with `cybertimeline.load` (the bundled dataset, a folder of
    TOML files, a JSON Lines or a SQLite file) or `cybertimeline.create`; or
    build one in memory from events: ``Timeline([...])``. Events are kept in
    canonical order, ``(latest, earliest, id)``, whatever order they came in
    (rule 1). A timeline on a file is a context manager: ``with ct.load(path)
    as tl:`` closes the store at the end.

    Every query takes its dates as keywords: `Date`, ``datetime.date`` or EDTF
    text; a partial date means its last day for ``as_of``, ``known_at`` and
    ``until``, its first for ``since``. ``known_at`` gives the record as it
    stood that day (rule 2): only the events recorded by then, with the
    corrections recorded by then.
    """

    # A facade: each question is answered by its module (`selecting`, `positions`,
    # `status`, `writing`, `reporting`), from `Versions`, the store's events one version at
    # a time; every cache derived from them is in the `Derived` of that version.

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
        self._clock = clock
        self._versions = Versions(store, store.read())

    @property
    def _index(self) -> Index:
        """The store's index (what the questions read)."""
        return self._versions.index

    _coverage = staticmethod(coverage)  # a method, so that a test can race it

    def _actors(self, names: Iterable[str]) -> list[str]:
        """Actor ids for names as `Registry.resolve` reads them, each once, in order."""
        return list(dict.fromkeys(self.registry.resolve(name) for name in names))

    # -- the store ----------------------------------------------------------------------------

    @property
    def registry(self) -> Registry:
        """The actors and instruments this timeline knows."""
        return self._versions.registry

    @property
    def location(self) -> str:
        """Where the timeline's store is (``memory`` for one built from events)."""
        return self._versions.store.location

    def today(self) -> dt.date:
        """The day an append records now: the timeline's clock (UTC by default, rule 7)."""
        return self._clock()

    @property
    def sees_other_writers(self) -> bool:
        """Whether other processes' appends show in this timeline's next query (SQLite);
        otherwise it holds what it read, and its own appends."""
        return self._versions.store.sees_other_writers

    def close(self) -> None:
        """Release the store (a database connection); the timeline can no longer be used."""
        self._versions.store.close()

    def validate(self) -> None:
        """Check everything the store holds, afresh: every event and registry entry, the
        references between them; for SQLite every row, its columns and indexes too.

        Also the sequences the treaties rule out (rule 12): an act before its instrument
        opened, a signature after it closed, consent to a protocol before consent to its
        convention, an entry into force where the instrument's rule does not put it; an act
        that says why (``irregular``) passes.

        Raises:
            ValidationError: every problem found (up to 1,000), each where it was found.
            TimelineError: the store cannot be read.
        """
        from cybertimeline._stores.sequences import acts_of, sequence_problems

        self._versions.store.validate()
        acts = acts_of(self.events())
        problems = sequence_problems(acts, (), self.registry, self._locate)
        if problems:
            raise ValidationError(problems)

    def _locate(self, event_id: str, message: str) -> Problem:
        return self.origin(event_id).problem(message)

    def __enter__(self) -> Timeline:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __len__(self) -> int:
        """How many events are stored, corrected ones included: what `append` may expect."""
        return len(self._index)

    def __repr__(self) -> str:
        return f"<Timeline of {len(self)} events at {self.location}>"

    def __str__(self) -> str:
        """Every known event, one a line: what ``cybertimeline timeline`` prints."""
        return str(self.listing())

    def _repr_html_(self) -> str:
        """Where the store is, and its known events as a table: how Jupyter shows it."""
        from cybertimeline._model import markup

        head = markup.Markup(f"<p><strong>Timeline of {len(self)} events</strong> at "
                             f"<code>{markup.escape(self.location)}</code></p>")
        return markup.block("timeline", head, markup.Markup(self.listing()._repr_html_()))

    # -- events -------------------------------------------------------------------------------

    def event(self, event_id: str) -> Event:
        """The stored event with this id.

        Raises:
            UnknownEventError: no event has this id (also a KeyError).
        """
        found = self._index.get(event_id)
        if found is None:
            raise UnknownEventError(f"no event with id {event_id!r} in {self.location}")
        return found

    def as_stored(self, by: DateLike) -> Timeline:
        """The store as it stood on a day, for an audit of its own history: a timeline (in
        memory) of the events it had received by ``by``'s last day (their ``stamped`` day,
        set by each append), with the curated events (unstamped) always. Every question
        asked of it (``known_at`` too) is answered from those events alone.
        """
        day = Date.coerce(by).latest
        held = [e for e in self.events(include_corrected=True)
                if e.stamped is None or e.stamped.earliest <= day]
        return Timeline(held, registry=self.registry, clock=self._clock)

    def origin(self, event_id: str) -> Origin:
        """Where the event with this id was read from (file and line), if from a file."""
        return self._versions.origins.get(event_id, Origin())

    def events(
        self,
        actor: str | None = None,
        kind: str | Collection[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        include_corrected: bool = False,
        stored_by: DateLike | None = None,
        **filters: Unpack[Filters],
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
            stored_by: Only what the store had received by this day (`as_stored`).
            filters: ``text`` (every word found in the event's title, summary, quote or
                its sources' titles and quotes, in any case; a phrase in double quotes),
                ``topic``, ``instrument`` (by id or name), ``resolution``, ``body``,
                ``tag`` (each one value or several, any of which matches), ``group``
                (events about any of its members as of ``until``), ``recorded_since`` and
                ``recorded_until`` (the day each event entered the record, rule 7).

        Raises:
            UnknownActorError: ``actor``, ``body`` or ``group`` is not known.
            UnknownInstrumentError: ``instrument`` is not known.
            ValidationError: ``since`` is after ``until``.
        """
        if stored_by is not None:
            yield from self.as_stored(stored_by).events(
                actor, kind, since=since, until=until, known_at=known_at,
                include_corrected=include_corrected, **filters)
            return
        matches = self._filter(filters, until, known_at)
        if actor is not None:
            actor = self.registry.resolve(actor)
        yield from selecting.events(self._versions, actor, kind, since=since, until=until,
                                    known_at=known_at, include_corrected=include_corrected,
                                    matches=matches)

    def _filter(self, filters: Filters, until: DateLike | None,
                known_at: DateLike | None) -> EventFilter | None:
        """The filter of `events`' ``filters`` (None for none)."""
        group = filters.get("group")
        members = (None if group is None
                   else self.members(group, as_of=until, known_at=known_at))
        return selecting.event_filter(self._versions, filters, members)

    def corrections(self) -> Iterator[Event]:
        """Every stored supersession and retraction (corrected ones too), in canonical order,
        whenever each was recorded: what a changelog lists as corrections."""
        yield from selecting.corrections(self._versions)

    # -- projections ----------------------------------------------------------------------------

    def project(
        self,
        projection: Projection[S],
        actor: str | None = None,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> S:
        """Fold the known events settled by ``as_of`` through ``projection``, in canonical order.

        Args:
            projection: Any object with ``initial()`` and ``apply(state, event)`` (rule 5).
            actor: Fold only the events about this actor; every event if None.
            as_of: Fold events whose latest day is on or before this date's last day;
                every known event if None.
            known_at: The record as it stood on this day.
            possible: Fold events that had started by ``as_of`` (earliest day on or
                before it) too: a "2015" event counts from 2015-01-01.
        """
        if actor is not None:
            actor = self.registry.resolve(actor)
        return fold(projection, selecting.select(
            self._versions, lambda: self._index.lane(actor), last_day(as_of), last_day(known_at),
            possible))

    @one_version
    def position(
        self,
        actor: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
        stored_by: DateLike | None = None,
    ) -> Position:
        """The actor's position as of a date: treaties, votes, stances, memberships...

        ``known_at`` asks what was public on a day (rule 2); ``stored_by`` audits the
        store: only what it had received by that day (`as_stored`).

        ``actor`` is an id or a name as `Registry.resolve` reads it (``"South Korea"``,
        ``"kor"``, ``"ROK"``).

        Raises:
            UnknownActorError: the actor is not known (`AmbiguousActorError` where the name
                means several).
        """
        if stored_by is not None:
            return self.as_stored(stored_by).position(actor, as_of=as_of, known_at=known_at,
                                                      possible=possible)
        return _positions.position(self._versions, self.registry.resolve(actor),
                                   Query(as_of, known_at, possible), self._coverage)

    def positions(
        self,
        actors: str | Iterable[str] | None = None,
        *,
        group: str | None = None,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> dict[str, Position]:
        """Positions of several actors: one actor id, several, or a group's members on
        ``as_of`` (``group="EU"``).

        Raises:
            UnknownActorError: an actor or the group is not known.
            TypeError: neither or both of ``actors`` and ``group`` are given.
        """
        if (actors is None) == (group is None):
            raise TypeError("give actors or a group, not both and not neither")
        with self._index.reading():  # the members and their positions of one version
            if group is not None:
                chosen: Sequence[str] = self.members(group, as_of=as_of, known_at=known_at,
                                                     possible=possible)
            else:
                chosen = [actors] if isinstance(actors, str) else list(actors or ())
            if len(chosen) >= BULK:
                self.prepare_bulk()
            return {a: self.position(a, as_of=as_of, known_at=known_at, possible=possible)
                    for a in self._actors(chosen)}

    def prepare_bulk(self) -> None:
        """Hold every actor's ballots in memory, as a matrix (one read of the store), for the
        questions that read many actors: `positions` of many, panels, changelogs of all.
        Kept until the store changes; answers are the same either way."""
        for section in sorted(COLUMNAR):
            self._index.ballots(section)

    @one_version
    def _known_ballots(self, known_at: DateLike | None = None) -> Ballots:
        """Every known roll call's ballots as one matrix (`Ballots`, canonical order): the
        stored ones less those corrected as known at ``known_at``, and none recorded after it."""
        return _positions.known_ballots(self._versions, last_day(known_at))

    @in_one_read  # members, ballots and topics from one version
    def agreement(
        self,
        *actors: str,
        group: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        topic: str | Collection[str] | None = None,
        measure: Measure = "agree",
        by: Period | None = None,
    ) -> Agreement:
        """How often actors voted alike, pair by pair (share of identical votes, abstention
        as half; or the S score), over the known roll calls: `cybertimeline.agreement` of
        this timeline. ``tl.agreement("USA", "RUS", by="year")``, ``tl.agreement(group="EU")``.
        """
        from cybertimeline._reports.agreement import agreement

        return agreement(self, *actors, group=group, since=since, until=until,
                         known_at=known_at, topic=topic, measure=measure, by=by)

    @in_one_read  # members, ballots and topics from one version
    def vote_map(
        self,
        *actors: str,
        group: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        topic: str | Collection[str] | None = None,
        title: str | None = None,
    ) -> VoteMap:
        """A heatmap of actors' votes, states x roll calls, each cell the option cast:
        `cybertimeline.vote_map` of this timeline; readable where a swimlane chart of many
        votes is not. ``tl.vote_map(group="EU", since=2019, until=2019).save("eu.svg")``."""
        from cybertimeline._reports.heatmap import vote_map

        return vote_map(self, actors, group=group, since=since, until=until,
                        known_at=known_at, topic=topic, title=title)

    def compare(
        self,
        actors: Iterable[str],
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> Comparison:
        """Actors' positions as of one date side by side, the facts on which they differ
        first: `cybertimeline.compare` of this timeline. ``tl.compare(["FRA", "DEU"],
        as_of=2020)``."""
        from cybertimeline._reports.compare import compare

        return compare(self, actors, as_of=as_of, known_at=known_at, possible=possible)

    @one_version
    def votes_on(
        self,
        resolution: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
    ) -> dict[str, VoteEntry]:
        """Every actor's vote on one resolution as of a date, by actor id: what each
        actor's position holds for it (`Position.votes`), read without building the
        positions (the roll calls' ballots, as stored).

        Where a resolution was voted on more than once, each actor's latest known vote
        settled by ``as_of`` counts, as in its position.
        """
        return _positions.votes_on(self._versions, resolution, Query(as_of, known_at))

    @one_version
    def members(
        self,
        group: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> tuple[str, ...]:
        """The members of a group as of a date, from its membership events, sorted."""
        return _positions.members(self._versions, self.registry.resolve(group),
                                  Query(as_of, known_at, possible))

    @one_version
    def status(
        self,
        instrument: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
        all_actors: bool = False,
        stored_by: DateLike | None = None,
        group: str | None = None,
    ) -> TreatyChart:
        """Every actor's standing towards one instrument: the treaty office's chart, as of a date.

        ``instrument`` is an id or a name as `Registry.resolve_instrument` reads it
        (``"Budapest Convention"``, ``"ETS 185"``, ``"UNTOC"``).

        A `TreatyChart`: a mapping of the actors that acted on it, sorted by
        id, to their `TreatyStatus`. With ``all_actors``, every state too
        (every actor of type ``state``: the UN's Member and observer States and
        the states a store declares, not territories such as Antarctica):
        ``none`` (not a signatory) where the store declares the chart complete
        on that date (rule 10), else ``unknown``.

        With ``group``, only its members as of ``as_of`` (``group="EU"``).

        Raises:
            UnknownInstrumentError: the instrument is not known.
            UnknownActorError: the group is not known.
        """
        from cybertimeline._timeline import status

        if stored_by is not None:
            return self.as_stored(stored_by).status(instrument, as_of=as_of, known_at=known_at,
                                                    possible=possible, all_actors=all_actors,
                                                    group=group)
        members = (None if group is None
                   else set(self.members(group, as_of=as_of, known_at=known_at)))
        return status.chart(self._versions, self.registry.resolve_instrument(instrument),
                            Query(as_of, known_at, possible), all_actors, members)

    # -- writing ----------------------------------------------------------------------------

    def append(self, event: Event, *, expected: int | None = None) -> None:
        """Validate ``event`` against everything stored and write it through to the store.

        The store stamps the event with the day of the append (UTC, from the
        timeline's clock; ``stamped``): its own history, which ``stored_by``
        audits. The day it became public (``recorded``, rule 7) is the event's
        own: given, or by default its date or its sources' publication; only a
        correction without ``recorded`` is recorded on the append day.
        When this returns, the event is durable; when it raises, nothing was
        written. Another process's appends to the same store are read first.
        With ``expected`` (optimistic concurrency), the append fails unless the
        store still holds that many events, as ``len()`` said earlier.

        Raises:
            ValidationError: the event does not fit the store (duplicate id,
                unknown actor, a correction of no event...).
            ConflictError: the store no longer holds ``expected`` events (another
                writer appended first), or another writer kept it locked.
            ReadOnlyError: the store is read-only (the bundled dataset).
        """
        self.extend([event], expected=expected)

    def extend(self, events: Iterable[Event], *, expected: int | None = None,
               declare: Iterable[Actor | Instrument] = ()) -> None:
        """Append many events at once: all of them, in one transaction or file, or none.

        As `append` for each event; the events may refer to one another (a
        correction of an event in the same batch).

        Args:
            events: The events to write.
            expected: As for `append`.
            declare: Actors and instruments to declare with them, as the store's
                ``actors.toml`` and ``instruments.toml`` would (a former state the
                events name, an instrument with a chart's coverage): each replaces
                the store's entry of its id, in the same transaction or file.

        Raises:
            ValidationError: an event does not fit the store; nothing was written.
            ConflictError: as for `append`.
            ReadOnlyError: the store is read-only.
        """
        from cybertimeline._timeline import writing

        contents = writing.write(self._versions.store, events, self._clock, expected, declare)
        if contents is not None:
            self._versions.reset(contents)

    # -- reports: each is a function of a timeline, offered here as a method ----------------

    @in_one_read  # every actor's answers from one version of the store
    def changelog(
        self,
        actors: str | Iterable[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        **filters: Unpack[Filters],
    ) -> Changelog:
        """What changed in actors' positions, day by day: `cybertimeline.changelog` of this
        timeline (rule 6). ``group`` adds its members as of ``until`` to the actors; the
        other filters of `events` keep the changes (and corrections) with an event they keep
        (``instrument="Budapest Convention"``, ``topic="ict-security"``, ``text=...``).
        """
        from cybertimeline._reports.changelog import changelog
        from cybertimeline._timeline import reporting

        group = filters.pop("group", None)
        if group is not None:
            members = self.members(group, as_of=until, known_at=known_at)
            actors = reporting.with_members(actors, group, members, until)
        log = changelog(self, actors, since=since, until=until, known_at=known_at)
        return reporting.kept(log, self._filter(filters, until, known_at))

    def resolution(
        self,
        symbol: str,
        *,
        known_at: DateLike | None = None,
        group: str | None = None,
    ) -> ResolutionView:
        """A resolution's own view: its date, title, body, tally and every state's vote (a
        group's members' only, with ``group``): `cybertimeline.resolution` of this timeline.

        Raises:
            UnknownEventError: no vote or adoption of ``symbol`` is known.
            UnknownActorError: ``group`` is not known.
        """
        from cybertimeline._reports.resolutions import resolution

        return resolution(self, symbol, known_at=known_at, group=group)

    def listing(
        self,
        actors: str | Iterable[str] | None = None,
        kind: str | Collection[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        **filters: Unpack[Filters],
    ) -> EventListing:
        """The known events about one actor, several or all, filtered as by `events`, as a
        value that shows itself: ``str()`` gives the table ``cybertimeline timeline`` prints,
        Jupyter a table with linked sources. A vote shows the option of the one actor asked
        about.

        Raises:
            UnknownActorError: an actor is not known.
            ValidationError: ``since`` is after ``until``.
        """
        from cybertimeline._timeline import reporting

        chosen = self._actors([actors] if isinstance(actors, str) else actors or ())
        return reporting.listing(chosen, self.registry, lambda actor: self.events(
            actor, kind, since=since, until=until, known_at=known_at, **filters))

    def search(
        self,
        text: str,
        actors: str | Iterable[str] | None = None,
        kind: str | Collection[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        **filters: Unpack[FieldFilters],
    ) -> EventListing:
        """The known events whose words hold every word of ``text`` (their titles,
        summaries, quotes, sources' titles and quotes; any case, no accents; a phrase in
        double quotes as a whole), filtered as by `events`: a `listing`.

        Raises:
            ValidationError: ``text`` has no word.
        """
        return self.listing(actors, kind, since=since, until=until, known_at=known_at,
                            text=text, **filters)

    def to_timelinejs(
        self,
        actors: str | Iterable[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """The known events as TimelineJS JSON: `cybertimeline.timelinejs` of this timeline."""
        from cybertimeline._reports.timelinejs import timelinejs

        return timelinejs(self, actors, since=since, until=until, known_at=known_at,
                          title=title)

    def events_frame(
        self,
        actor: str | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
    ) -> pd.DataFrame:
        """The known events as a pandas DataFrame, one row per event: `cybertimeline.events_frame`
        of this timeline."""
        from cybertimeline._reports.frames import events_frame

        return events_frame(self, actor, since=since, until=until, known_at=known_at)

    def positions_frame(
        self,
        actors: str | Iterable[str],
        dates: Iterable[DateLike],
        *,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> pd.DataFrame:
        """An as-of panel, one row per actor and date: `cybertimeline.positions_frame` of this
        timeline."""
        from cybertimeline._reports.frames import positions_frame

        return positions_frame(self, actors, dates, known_at=known_at, possible=possible)

    def plot(
        self,
        actors: str | Iterable[str],
        instrument: str | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        topics: Iterable[str] | None = None,
        title: str | None = None,
    ) -> Swimlanes:
        """A swimlane chart, one lane per actor: `cybertimeline.plot` of this timeline."""
        from cybertimeline._reports.drawing import plot

        return plot(self, actors, instrument, since=since, until=until, known_at=known_at,
                    topics=topics, title=title)

