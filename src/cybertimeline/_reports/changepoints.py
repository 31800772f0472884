"""Change points: the days on which an answer of the library changes, and its value from each.

An answer as of a day (a state's status towards an instrument, a fact of a position, a
vote on a resolution) is a step function of the day: it changes only on some days. The
functions here ask the library itself (`Timeline.status`, `Timeline.position`,
`Timeline.votes_on`) on every day where a rule could change the answer (the first and
last day of each date of an event or of an instrument's life, and the first and last day
of a chart declared complete and the day after it) and keep the days on which the
answer does change. So whoever shows an answer for a chosen day (the static site's date
control) only looks up the last change point on or before it and never re-implements a
rule.

>>> import cybertimeline as ct
>>> tl = ct.load()
>>> chart = ct.chart_change_points(tl, "budapest-convention")
>>> chart.statuses["CAN"].at("2015-12-31").status
'party'
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.events import Event, Vote, every_kind, treaty_act_kinds
from cybertimeline._projections.chart import DepositaryCounts, TreatyChart
from cybertimeline._projections.entries import VoteEntry
from cybertimeline._projections.position import Position
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.changes import (
    Fact,
    Facts,
    facts,
    path_of,
)

__all__ = [
    "ChangeAnswers",
    "ChartChanges",
    "Steps",
    "chart_change_points",
    "position_change_points",
    "vote_change_points",
]

V = TypeVar("V")

ONE_DAY = dt.timedelta(days=1)
QUIET_DAY = dt.date(2000, 1, 1)
"""Where an answer with no change point at all is asked (any day gives the same)."""


class ChangeAnswers(Answers, Protocol):
    """What change points ask of a timeline, beside positions and events: charts and votes."""

    def status(
        self,
        instrument: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
        all_actors: bool = False,
        stored_by: DateLike | None = None,
    ) -> TreatyChart:
        """Every actor's standing towards one instrument as of a date."""
        ...

    def votes_on(
        self,
        resolution: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
    ) -> dict[str, VoteEntry]:
        """Every actor's vote on one resolution as of a date."""
        ...


def _day(value: DateLike) -> dt.date:
    return value if isinstance(value, dt.date) else Date.coerce(value).latest


@attrs.frozen
class Steps(Generic[V]):
    """An answer as a step function of the day: ``values[i]`` holds from ``days[i]`` (on or
    after it) until the next day listed; ``days[0]`` is None: from the start of time.

    Attributes:
        days: None, then the change points, increasing.
        values: The answer from each.
    """

    days: tuple[dt.date | None, ...]
    values: tuple[V, ...]

    def at(self, day: DateLike) -> V:
        """The answer on ``day`` (a partial date: its last day): the value of the last
        change point on or before it."""
        later = cast("tuple[dt.date, ...]", self.days[1:])
        return self.values[bisect.bisect_right(later, _day(day))]

    def points(self) -> list[tuple[dt.date | None, V]]:
        """``(day, value)`` pairs, the first day None."""
        return list(zip(self.days, self.values, strict=True))


def boundaries(date: Date) -> tuple[dt.date, ...]:
    """The days on which a rule about an event dated ``date`` may change an answer: its
    first day (it may have happened: rule 3's ``possible``, and rule 10's "no data" while
    it may have) and its last day (it has settled, rule 3)."""
    return (date.earliest, date.latest)


def span_bounds(date: Date) -> tuple[dt.date, ...]:
    """The days on which a rule about a span up to ``date`` (a chart declared complete until
    it, rule 10) may change an answer: its first and last day, and the day after."""
    return (date.earliest, date.latest, date.latest + ONE_DAY)


def steps(answer: Callable[[dt.date], V], days: Iterable[dt.date],
          same: Callable[[V, V], bool]) -> Steps[V]:
    """The change points of ``answer`` among ``days``: the answer on the day before the first
    of them holds from the start, and each day whose answer differs from the one before
    is a change point. Exact where every change of the answer is on one of ``days``."""
    chosen = sorted(set(days))
    start = chosen[0] - ONE_DAY if chosen else QUIET_DAY
    found_days: list[dt.date | None] = [None]
    values = [answer(start)]
    for day in chosen:
        value = answer(day)
        if not same(values[-1], value):
            found_days.append(day)
            values.append(value)
    return Steps(tuple(found_days), tuple(values))


@attrs.frozen(kw_only=True)
class ChartChanges:
    """The change points of an instrument's chart with every state (`Timeline.status` with
    ``all_actors``).

    Attributes:
        instrument: The instrument's id.
        possible: Whether events that had only started count (rule 3).
        statuses: Each actor's `TreatyStatus`, by actor id (None on the days the chart
            does not list it: an actor other than a state, before its first act).
        counts: The totals as the depositary counts them.
    """

    instrument: str
    possible: bool
    statuses: Mapping[str, Steps[TreatyStatus | None]]
    counts: Steps[DepositaryCounts]


def _status_key(status: TreatyStatus) -> tuple[Any, ...]:
    return (status.status, tuple(e.id for e in status.events), status.coverage)


def chart_days(answers: Answers, instrument: str) -> set[dt.date]:
    """The days on which the chart of ``instrument`` may change: the bounds of its acts'
    dates (corrected ones too) and of its life's milestones, and the spans of its coverage
    declarations."""
    days: set[dt.date] = set()
    for event in answers.events(kind=sorted(treaty_act_kinds()), include_corrected=True):
        if getattr(event, "instrument", None) == instrument:
            days.update(boundaries(event.date))
    found = answers.registry.instruments.get(instrument)
    if found is not None:
        for coverage in found.coverage:
            for date in (coverage.complete_from, coverage.complete_until):
                if date is not None:
                    days.update(span_bounds(date))
        for milestone in found.life:
            days.update(boundaries(milestone.date))
        if found.opening is not None:
            days.update(boundaries(found.opening))
    return days


_ABSENT = object()


def series_steps(answer: Callable[[dt.date], Mapping[str, V]], days: Iterable[dt.date],
                 key: Callable[[V], Hashable]) -> dict[str, Steps[V | None]]:
    """The change points of many answers given together (a chart: every actor's status),
    by name: as `steps`, each answer asked once a day; None on the days a name is not
    in the answer."""
    chosen = sorted(set(days))
    found_days: dict[str, list[dt.date | None]] = {}
    values: dict[str, list[V | None]] = {}
    keys: dict[str, Hashable] = {}
    start = chosen[0] - ONE_DAY if chosen else QUIET_DAY
    for day in [start, *chosen]:
        answered = answer(day)
        for name in answered.keys() | keys.keys():
            value = answered.get(name)
            now = _ABSENT if value is None else key(value)
            if name not in keys:
                found_days[name] = [None] if day == start else [None, day]
                values[name] = [value] if day == start else [None, value]
            elif keys[name] != now:
                found_days[name].append(day)
                values[name].append(value)
            keys[name] = now
    return {name: Steps(tuple(found_days[name]), tuple(values[name]))
            for name in sorted(found_days)}


def chart_change_points(answers: ChangeAnswers, instrument: str, *,
                        possible: bool = False) -> ChartChanges:
    """The change points of ``instrument``'s chart with every state (and every actor that
    acted on it), as known now: each actor's status and the depositary's counts.

    Raises:
        UnknownInstrumentError: the instrument is not known.
    """
    charts: dict[dt.date, TreatyChart] = {}

    def chart(day: dt.date) -> TreatyChart:
        charts[day] = answers.status(instrument, as_of=day, possible=possible,
                                     all_actors=True)
        return charts[day]

    statuses = series_steps(chart, chart_days(answers, instrument), _status_key)
    # The counts are a function of the statuses: they can change only where one does.
    days: list[dt.date | None] = [None]
    counts = [charts[min(charts)].depositary()]
    for day in sorted({d for s in statuses.values() for d in s.days if d is not None}):
        found = charts[day].depositary()
        if found != counts[-1]:
            days.append(day)
            counts.append(found)
    return ChartChanges(instrument=instrument, possible=possible, statuses=statuses,
                        counts=Steps(tuple(days), tuple(counts)))


def _vote_key(vote: VoteEntry) -> Hashable:
    # Entries say the same when they rest on the same roll call with the same option.
    return (vote.event_id, vote.option)


def vote_change_points(answers: ChangeAnswers, resolution: str,
                       dates: Iterable[Date]) -> dict[str, Steps[VoteEntry | None]]:
    """The change points of every actor's vote on ``resolution`` (`Timeline.votes_on`),
    given the dates of the votes recorded on it (corrected ones too), by actor id."""
    return series_steps(lambda day: answers.votes_on(resolution, as_of=day),
                        {d for date in dates for d in boundaries(date)}, _vote_key)


def _facts_but_votes(position: Position) -> Facts:
    return facts(position, but=frozenset({"votes"}))


def _same_fact(one: Fact | None, other: Fact | None) -> bool:
    if one is None or other is None:
        return one is other
    return one.same_as(other) and one.events == other.events


def _not_votes() -> tuple[str, ...]:
    """Every kind but votes (whose change points `vote_change_points` finds), registered
    ones too."""
    return tuple(sorted(tag for tag, cls in every_kind().items() if not issubclass(cls, Vote)))


def position_change_points(
    answers: ChangeAnswers,
    actor: str,
    votes: Mapping[str, Steps[VoteEntry | None]] | None = None,
    events: Iterable[Event] | None = None,
) -> dict[str, Steps[Fact | None]]:
    """The change points of each fact of ``actor``'s position (`position_facts`'s paths:
    ``treaties.budapest-convention.status``, ``votes.A/RES/74/247``...), as known now; None
    where the fact is absent.

    ``votes``: the actor's votes by resolution, from `vote_change_points` (read from the
    actor's vote events if None: give them when asking for many actors of a large record).
    ``events``: every event about the actor but votes, corrected ones too (read if None).
    """
    actor = answers.registry.resolve(actor)
    positions: dict[dt.date, Facts] = {}

    def facts(day: dt.date) -> Facts:
        if day not in positions:
            positions[day] = _facts_but_votes(answers.position(actor, as_of=day))
        return positions[day]

    if events is None:
        events = answers.events(actor, kind=_not_votes(), include_corrected=True)
    days = {d for e in events for d in boundaries(e.date)}
    facts(min(days) - ONE_DAY if days else QUIET_DAY)
    for day in days:
        facts(day)
    paths = sorted({k for found in positions.values() for k in found},
                   key=lambda k: (k[0], k[1], k[2] or ""))
    found: dict[str, Steps[Fact | None]] = {
        path_of(key): steps(lambda d, k=key: facts(d).get(k), days,  # type: ignore[misc]
                            _same_fact)
        for key in paths}
    if votes is None:
        votes = _own_votes(answers, actor)
    for resolution, voted in sorted(votes.items()):
        found[f"votes.{resolution}"] = Steps(voted.days, tuple(
            None if v is None else Fact(v, frozenset({v.event_id})) for v in voted.values))
    return found


def _own_votes(answers: ChangeAnswers, actor: str) -> dict[str, Steps[VoteEntry | None]]:
    dates: defaultdict[str, list[Date]] = defaultdict(list)
    for event in answers.events(actor, kind="vote", include_corrected=True):
        assert isinstance(event, Vote)
        dates[event.resolution].append(event.date)
    found = {}
    for resolution, on in dates.items():
        voted = vote_change_points(answers, resolution, on).get(actor)
        if voted is not None:
            found[resolution] = voted
    return found
