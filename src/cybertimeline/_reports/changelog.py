"""Changelogs: what changed in actors' positions, day by day, and where the record was
corrected (rule 6): the value, how it is built from a timeline, and its Markdown."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.events import Event
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.wording import Words, counted
from cybertimeline._projections.position import Position, PositionProjection
from cybertimeline._projections.sentences import describe
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.changes import (
    Change,
    Correction,
    Facts,
    Key,
    differences,
    facts,
    facts_of,
    keyed_sections,
    plain,
    position_facts,
)
from cybertimeline._reports.outline import (
    Group,
    Item,
    Outline,
    Section,
    markdown_for_notebooks,
)
from cybertimeline.errors import ValidationError

__all__ = ["Changelog", "changelog"]


@attrs.frozen(kw_only=True, repr=False)
class Changelog:
    """Changes to actors' positions between two dates, and the corrections recorded meanwhile.

    Build one with `cybertimeline.changelog` (or `Timeline.changelog`). ``changes`` are in the order
    they happened (by day, then actor, then path); ``corrections`` by the day
    they were recorded. Render with `to_markdown` or `to_dict`; ``str()`` gives
    the Markdown ``cybertimeline changelog`` prints, and Jupyter shows it as HTML.
    """

    actors: tuple[str, ...]
    since: Date | None = None
    until: Date | None = None
    known_at: Date | None = None
    changes: tuple[Change, ...] = ()
    corrections: tuple[Correction, ...] = ()
    registry: Registry = attrs.field(factory=Registry.builtin, eq=False, repr=False)
    """The registry of the timeline it was built from: the names its renderings use."""

    def __len__(self) -> int:
        return len(self.changes) + len(self.corrections)

    def __str__(self) -> str:
        return self.to_markdown().rstrip()

    def __repr__(self) -> str:
        who = ", ".join(self.actors) if len(self.actors) <= 3 else f"{len(self.actors)} actors"
        return (f"<Changelog of {who} {_period(self)}: {counted(len(self.changes), 'change')}, "
                f"{counted(len(self.corrections), 'correction')}>")

    def for_actor(self, actor: str) -> tuple[Change, ...]:
        """The changes to one actor's position."""
        return tuple(c for c in self.changes if c.actor == actor)

    def apply(self, start: Position) -> dict[str, Any]:
        """The facts of ``start`` (see `position_facts`) with this changelog's changes
        for its actor applied in order: the facts of the position at ``until``."""
        facts = position_facts(start)
        for change in self.for_actor(start.actor):
            if change.after is None:
                facts.pop(change.path, None)
            else:
                facts[change.path] = plain(change.after)
        return facts

    def to_dict(self) -> dict[str, Any]:
        """As JSON: ``{"actors", "since", "until", "known_at", "changes", "corrections"}``."""
        return {
            "actors": list(self.actors),
            "since": None if self.since is None else str(self.since),
            "until": None if self.until is None else str(self.until),
            "known_at": None if self.known_at is None else str(self.known_at),
            "changes": [c.to_dict() for c in self.changes],
            "corrections": [c.to_dict() for c in self.corrections],
        }

    def to_markdown(self) -> str:
        """The changelog as Markdown: a section per date, newest first, grouped by actor
        (when it has more than one), a plain sentence per change with numbered references
        to a list of sources."""
        return _outline(self).to_markdown()

    def _repr_html_(self) -> str:
        """The changelog as HTML, sources numbered and linked: how Jupyter shows it."""
        return _outline(self).to_html()

    def _repr_markdown_(self) -> str:
        """The Markdown, with any ``<`` from the data escaped so that it stays text."""
        return markdown_for_notebooks(self.to_markdown())


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1) if day > dt.date.min else day


def _actor_changes(
    answers: Answers, actor: str, start: Position | None, since: Date | None,
    until: Date | None, known_at: Date | None,
) -> list[Change]:
    """The changes of one actor's position, from ``start`` (its position the day before
    ``since``; None from the start of the record)."""
    projection = PositionProjection(actor)
    events = list(answers.events(actor, since=since, until=until, known_at=known_at))
    if start is None:
        state = projection.initial()
    else:
        # Only the entries the period's events write can change: the others are left out
        # (a state's thousands of votes are not copied at every event folded).
        state = _only(start, {entry for event in events for entry in event.entries(actor)})
    known = facts(state)
    changes: list[Change] = []
    for day, group in itertools.groupby(events, key=lambda e: e.date.latest):
        state, day_start, touched, behind = _fold_day(projection, state, group, known)
        for key in differences(day_start, {k: known[k] for k in touched if k in known}):
            was, now, found = day_start.get(key), known.get(key), tuple(behind[key])
            changes.append(Change(
                actor=actor, section=key[0], key=key[1], field=key[2],
                before=None if was is None else was.value,
                after=None if now is None else now.value,
                settled=day, date=found[-1].date, events=found,
                coverage=_chart_before(answers, key, was is None, day, known_at),
            ))
    return changes


def _fold_day(projection: PositionProjection, state: Position, group: Iterable[Event],
              known: Facts) -> tuple[Position, Facts, set[Key], dict[Key, list[Event]]]:
    """Fold one day's events, updating the facts ``known``: the position after them, the
    facts their entries had at the start of the day, the keys they touched, and the events
    behind each fact they changed."""
    day_start: Facts = {}
    touched_today: set[Key] = set()
    behind: dict[Key, list[Event]] = {}
    for event in group:
        touched = event.entries(projection.actor)
        before = facts_of(state, touched)
        state = projection.apply(state, event)
        after = facts_of(state, touched)
        for key in differences(before, after):
            behind.setdefault(key, []).append(event)
        for key in (before.keys() | after.keys()) - touched_today:
            touched_today.add(key)
            if key in known:
                day_start[key] = known[key]
        for key in before:
            known.pop(key, None)
        known.update(after)
    return state, day_start, touched_today, behind


def _only(position: Position, entries: set[tuple[str, str]]) -> Position:
    """The position with only these entries in its keyed sections."""
    kept: dict[str, Any] = {}
    for section in keyed_sections():
        held = position.section(section)
        kept[section] = FrozenDict({key: held[key] for found, key in entries
                                    if found == section and key in held})
    return attrs.evolve(position, sections={**position.sections, **kept})


def _chart_before(
    answers: Answers, key: Key, first_act: bool, day: dt.date, known_at: Date | None
) -> Coverage | None:
    """The complete chart behind a ``none`` status the day before a first treaty act."""
    if key[2] != "status" or not first_act:
        return None
    instrument = answers.registry.instruments.get(key[1])
    if instrument is None:
        return None
    return instrument.coverage_on(_day_before(day), None if known_at is None else known_at.latest)


def _corrections(
    answers: Answers, actors: set[str] | None, since: Date | None, until: Date | None,
    known_at: Date | None,
) -> list[Correction]:
    first = None if since is None else since.earliest
    ends = [d.latest for d in (until, known_at) if d is not None]
    last = min(ends) if ends else None
    found = []
    for event in answers.corrections():
        target = event.corrects
        if target is None:
            continue
        day = event.recorded_on
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        corrected = answers.event(target)
        involved = tuple(dict.fromkeys((*corrected.involved, *event.involved)))
        if actors is not None and not actors.intersection(involved):
            continue
        kind: Literal["supersession", "retraction"] = (
            "retraction" if event.retracts_what_it_corrects else "supersession")
        found.append(Correction(recorded=day, kind=kind, event=event, corrected=corrected,
                                actors=involved))
    found.sort(key=lambda c: (c.recorded, c.event.id))
    return found


def changelog(
    answers: Answers,
    actors: str | Iterable[str] | None = None,
    *,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
) -> Changelog:
    """What changed in actors' positions from ``since`` to ``until``, day by day (rule 6).

    The changelog starts from each actor's position on the day before
    ``since`` (its first day) and lists every change to it, dated by the
    day its events settled, with the events and sources behind it;
    applying the changes gives the position at ``until`` (its last day).
    It also lists the corrections (supersessions and retractions)
    recorded in the period.

    Args:
        answers: A timeline (anything that answers positions and events).
        actors: One actor, several, or None for every actor with an event in the period.
        since: The first date of the period; the start of the record if None.
        until: The last date of the period; the end of the record if None.
        known_at: The record as it stood on this day.

    Raises:
        UnknownActorError: an actor is not known.
        ValidationError: ``since`` is after ``until``.
    """
    start = None if since is None else Date.coerce(since)
    end = None if until is None else Date.coerce(until)
    known = None if known_at is None else Date.coerce(known_at)
    if start is not None and end is not None and start.earliest > end.latest:
        raise ValidationError([f"since ({start}) is after until ({end}): swap them"])
    chosen = _chosen(answers, actors, start, end, known)
    starts = ({} if start is None else answers.positions(
        chosen, as_of=_day_before(start.earliest), known_at=known))
    changes = [c for a in chosen
               for c in _actor_changes(answers, a, starts.get(a), start, end, known)]
    changes.sort(key=lambda c: (c.settled, chosen.index(c.actor)))
    corrections = _corrections(answers, None if actors is None else set(chosen),
                               start, end, known)
    return Changelog(actors=chosen, since=start, until=end, known_at=known,
                     changes=tuple(changes), corrections=tuple(corrections),
                     registry=answers.registry)


def _chosen(answers: Answers, actors: str | Iterable[str] | None, start: Date | None,
            end: Date | None, known: Date | None) -> tuple[str, ...]:
    """The actors asked for, resolved and each known; every actor with an event in the
    period if None."""
    if isinstance(actors, str):
        chosen: tuple[str, ...] = (answers.registry.resolve(actors),)
    elif actors is not None:
        chosen = tuple(dict.fromkeys(answers.registry.resolve(a) for a in actors))
    else:
        chosen = tuple(sorted({a for e in answers.events(since=start, until=end,
                                                          known_at=known)
                               for a in e.involved}))
    for actor in chosen:
        answers.registry.actor(actor)
    return chosen


def group_changes(changes: Iterable[Change]) -> Mapping[tuple[Any, ...], list[Change]]:
    """Changes grouped by (settled day, date as given, actor), in order of first appearance."""
    groups: dict[tuple[Any, ...], list[Change]] = {}
    for change in changes:
        groups.setdefault((change.settled, str(change.date), change.actor), []).append(change)
    return groups


def _period(log: Changelog) -> str:
    since = f"from {log.since}" if log.since else "from the start of the record"
    until = f"to {log.until}" if log.until else "to its end"
    known = f", as the record stood on {log.known_at}" if log.known_at else ""
    return f"{since} {until}{known}"


def _corrected_text(event: Event) -> str:
    return f"“{event.summary.rstrip('.')}”" if event.summary else f"event {event.id}"


def _outline(log: Changelog) -> Outline:
    """What the changelog says, in order: a section per date, newest first, grouped by actor
    (under no heading when it is the changelog of one actor), then the corrections."""
    words = Words(log.registry)
    if len(log.actors) <= 3:
        who = ", ".join(words.heading(a) for a in log.actors)
    else:
        who = f"{len(log.actors)} actors"
    dates: dict[tuple[Any, ...], list[Group]] = {}
    for (settled, given, actor), changes in group_changes(log.changes).items():
        items = tuple(
            Item(text, tuple(s for c in behind
                             for s in (*c.sources, *(c.coverage.sources if c.coverage else ()))))
            for text, behind in describe(changes, words))
        heading = None if len(log.actors) == 1 else words.heading(actor)
        dates.setdefault((settled, given), []).append(Group(heading, items))
    ordered = sorted(dates.items(),
                     key=lambda item: (item[0][0], Date.parse(item[0][1]).earliest),
                     reverse=True)
    corrections = []
    for fix in reversed(log.corrections):
        old = _corrected_text(fix.corrected)
        if fix.kind == "retraction":
            text = f"{old} ({fix.corrected.date}) was retracted: {fix.reason}"
        else:
            text = (f"{old} ({fix.corrected.date}) was superseded by "
                    f"{_corrected_text(fix.event)} ({fix.event.date})")
        corrections.append(Item(f"{fix.recorded.isoformat()}: {text.rstrip('.')}",
                                fix.sources))
    return Outline(
        title=f"Changelog: {who}",
        intro=(f"Changes to positions {_period(log)}, newest first. Each change is dated by "
               f"the day it took effect, as precisely as the record knows it, and cites "
               f"its sources."),
        empty="No changes to positions in this period.",
        sections=tuple(Section(given, tuple(groups)) for (_, given), groups in ordered),
        corrections=tuple(corrections))
