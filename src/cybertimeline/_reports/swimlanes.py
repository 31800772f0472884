"""Swimlane charts: one lane per actor, its status towards an instrument as spans, and its
votes, statements and sessions as marks: what is drawn, and `plot`, which draws it.

matplotlib is optional (the ``plot`` extra): it is imported only when a chart is drawn
(`cybertimeline._reports.drawing`), so ``import cybertimeline`` works without it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.events import Event, every_kind, treaty_act_kinds
from cybertimeline._model.registry import UN_SYMBOL
from cybertimeline._model.wording import Words
from cybertimeline._projections.position import SectionSpec, sections
from cybertimeline._reports.answers import Answers
from cybertimeline.errors import TimelineError, ValidationError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Mark", "StatusSpan", "Swimlanes", "lane_mark", "marked", "marked_kinds",
           "status_spans", "window"]

_ONE_DAY = dt.timedelta(days=1)
_LAST_DAY = dt.date.max - _ONE_DAY
"""The last day a chart draws: a chart's spans end the day after their last (9999-12-31
has no day after)."""


def marked() -> dict[str, SectionSpec]:
    """The sections drawn as marks (those with a `SectionSpec.marker`), by name, in order."""
    return {spec.name: spec for spec in sections() if spec.marker is not None}


def marked_kinds() -> dict[str, SectionSpec]:
    """The kinds drawn as marks in a lane, each with the section that marks it: the kinds
    that write a section with a marker (votes, stances, sessions); each has one value for
    the actor (an option, a stance, a status)."""
    drawn = marked()
    return {tag: drawn[write.section] for tag, cls in every_kind().items()
            for write in cls.writes if write.section in drawn}


@attrs.frozen(kw_only=True)
class StatusSpan:
    """Days over which an actor's treaty status was one value, as drawn in its lane.

    ``start`` is the first day and ``end`` the day after the last (exclusive).
    A ``settled`` span is the status `Timeline.position()` gives for each
    of its days; an unsettled one (drawn hatched) is the status it gives with
    ``possible=True`` where that differs: an act dated only to a span of days
    may already have happened.
    """

    actor: str
    instrument: str
    status: str
    start: dt.date
    end: dt.date
    settled: bool = True

    def days(self) -> tuple[dt.date, ...]:
        """The first, middle and last day of the span: what tests sample."""
        last = self.end - _ONE_DAY
        return tuple(dict.fromkeys((self.start, self.start + (last - self.start) / 2, last)))


@attrs.frozen(kw_only=True)
class Mark:
    """A vote, statement or session (an event writing a section with a marker) drawn in a
    lane: a point for a day, a bar over the days a session lasted, a range marker over the
    days within which a one-day event happened. ``section`` is the section it marks.

    ``lasts`` is the kind's declaration (`BaseEvent.lasts`): whether a date of several
    days is how long the event lasted, or only how well its one day is known.
    """

    actor: str
    kind: str
    value: str
    label: str
    earliest: dt.date
    latest: dt.date
    event: str
    lasts: bool = False
    section: str = ""

    @property
    def is_span(self) -> bool:
        """True when the date is more than one day."""
        return self.earliest != self.latest

    @property
    def is_range(self) -> bool:
        """True when the event happened on one unknown day of several (drawn as a range
        marker, not a bar)."""
        return self.is_span and not self.lasts


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Swimlanes:
    """A swimlane chart of a timeline: what `Timeline.plot()` drew, and the figure.

    ``spans`` and ``marks`` are exactly what was drawn, so they can be checked
    against the positions; ``figure`` is the matplotlib figure, to adjust or
    to save in any format matplotlib writes.
    """

    actors: tuple[str, ...]
    instrument: str | None
    start: dt.date
    end: dt.date
    known_at: Date | None
    spans: tuple[StatusSpan, ...]
    marks: tuple[Mark, ...]
    figure: Figure

    def save(self, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
        """Write the chart to ``path``, in the format its suffix names (``.svg``, ``.png``...).

        Returns:
            The path written.
        """
        target = Path(path)
        self.figure.savefig(target, dpi=dpi)
        return target

    def _repr_png_(self) -> bytes:
        """The chart as PNG, 100 dots per inch (as wide as a notebook's output)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        """The chart inline, as a PNG that keeps to the width of the output: how Jupyter
        shows it."""
        picture = base64.b64encode(self._repr_png_()).decode("ascii")
        lanes = ", ".join(self.actors)
        about = (f"Swimlane chart of {lanes}, {self.start} to {self.end}: "
                 f"{len(self.spans)} status spans, {len(self.marks)} marks")
        return (f'<figure class="cybertimeline ct-plot" style="margin:0">'
                f'<img src="data:image/png;base64,{picture}" alt="{html.escape(about)}" '
                f'style="max-width:100%;height:auto"></figure>')

    def __repr__(self) -> str:
        about = "" if self.instrument is None else f" on {self.instrument}"
        return (f"<Swimlanes of {', '.join(self.actors)}{about}, {self.start} to {self.end}: "
                f"{len(self.spans)} spans, {len(self.marks)} marks>")


def status_spans(
    timeline: Answers,
    actor: str,
    instrument: str,
    start: dt.date,
    end: dt.date,
    known_at: DateLike | None = None,
) -> list[StatusSpan]:
    """The actor's treaty status from ``start`` to ``end`` (inclusive), as spans.

    The status can change only on the first or last day of one of its acts, or
    where a complete chart starts or ends (before an act, ``none`` there, else
    no span: no data), so it is asked of `Timeline.position()` once per such
    day (settled, and with ``possible=True``) and holds until the next.
    """
    stop = end + _ONE_DAY
    turns = _turns(timeline, actor, instrument, start, stop, known_at)

    def status(day: dt.date, possible: bool) -> str | None:
        found = timeline.position(actor, as_of=day, known_at=known_at,
                                  possible=possible).treaty(instrument).status
        return None if found in ("unknown", "not_yet_open") else found  # no band: nothing there

    pieces: list[tuple[dt.date, dt.date, str | None, str | None]] = []
    for first, after in zip(turns, [*turns[1:], stop], strict=True):
        pieces.append((first, after, status(first, False), status(first, True)))
    spans = _merge(actor, instrument, [(a, b, s) for a, b, s, _ in pieces], settled=True)
    unsettled = [(a, b, p if p != s else None) for a, b, s, p in pieces]
    return spans + _merge(actor, instrument, unsettled, settled=False)


def _chart_edges(timeline: Answers, instrument: str, start: dt.date) -> set[dt.date]:
    """The days a complete chart of the instrument starts or ends, and its opening's."""
    charted = timeline.registry.instruments.get(instrument)
    if charted is None:
        return set()
    edges = {d for c in charted.coverage
             for d in (c.complete_from.earliest if c.complete_from else start,
                       min(c.complete_until.latest, _LAST_DAY) + _ONE_DAY)}
    if charted.opening is not None:  # "not a signatory" only from the opening on (rule 11)
        edges |= {charted.opening.earliest, charted.opening.latest}
    return edges


def _turns(timeline: Answers, actor: str, instrument: str, start: dt.date, stop: dt.date,
           known_at: DateLike | None) -> list[dt.date]:
    """The days from ``start`` (before ``stop``) on which the status may change: the first
    and last day of each act on the instrument, and the chart's edges."""
    acts = [e for e in timeline.events(actor, treaty_act_kinds(), known_at=known_at)
            if getattr(e, "instrument", None) == instrument]
    days = _chart_edges(timeline, instrument, start) | {
        d for e in acts for d in (e.date.earliest, e.date.latest)}
    return sorted({start} | {d for d in days if start < d < stop})


def _merge(
    actor: str, instrument: str, pieces: list[tuple[dt.date, dt.date, str | None]], *,
    settled: bool,
) -> list[StatusSpan]:
    spans: list[StatusSpan] = []
    for first, after, status in pieces:
        if status is None:
            continue
        if spans and spans[-1].status == status and spans[-1].end == first:
            spans[-1] = attrs.evolve(spans[-1], end=after)
        else:
            spans.append(StatusSpan(actor=actor, instrument=instrument, status=status,
                                    start=first, end=after, settled=settled))
    return spans


def lane_mark(timeline: Answers, actor: str, event: Event, instrument: str | None,
          topics: frozenset[str] | None) -> Mark | None:
    """The mark for an event in the actor's lane: its value there and what it is about."""
    value = event.value(actor)
    spec = marked_kinds().get(event.kind)
    if spec is None or value is None:
        return None
    subject = event.subject
    if topics is not None and not {getattr(event, "topic", None), subject} & topics:
        return None
    label = value if subject is None else f"{value} · {_subject_words(timeline, subject)}"
    return Mark(actor=actor, kind=event.kind, value=value, label=label,
                earliest=event.date.earliest, latest=event.date.latest, event=event.id,
                lasts=event.lasts, section=spec.name)


def _subject_words(timeline: Answers, subject: str) -> str:
    """What a mark is about, short: an instrument's short name, a topic in words, a symbol."""
    if subject in timeline.registry.instruments:
        return Words(timeline.registry).short_instrument(subject)
    if UN_SYMBOL.fullmatch(subject) or " " in subject:
        return subject
    return Words(timeline.registry).topic(subject).removeprefix("the ")


def window(
    timeline: Answers, actors: Sequence[str], instrument: str | None,
    since: DateLike | None, until: DateLike | None, known_at: DateLike | None,
) -> tuple[dt.date, dt.date]:
    """The chart's first and last day: the dates asked for, else whole years around the events."""
    start = None if since is None else Date.coerce(since).earliest
    end = None if until is None else Date.coerce(until).latest
    if start is not None and end is not None and start > end:
        raise ValidationError([f"since ({since}) is after until ({until}): swap them"])
    if start is None or end is None:
        first, last = _years_drawn(timeline, actors, instrument, known_at)
        start, end = start or first, end or last
    end = min(end, _LAST_DAY)
    if end < start:
        raise TimelineError(f"nothing to plot: until ({end}) is before since ({start})")
    return start, end


def _years_drawn(timeline: Answers, actors: Sequence[str], instrument: str | None,
                 known_at: DateLike | None) -> tuple[dt.date, dt.date]:
    """The first and last day of the whole years of the events a chart draws: the acts on
    the instrument and the events drawn as marks."""
    acts = treaty_act_kinds()
    days = [d for actor in actors
            for e in timeline.events(actor, {*marked_kinds(), *acts}, known_at=known_at)
            if e.kind not in acts or getattr(e, "instrument", None) == instrument
            for d in (e.date.earliest, e.date.latest)]
    if not days:
        drawn = ", ".join(spec.plural for spec in marked().values())
        raise TimelineError(
            f"nothing to plot: these actors have no treaty acts or {drawn} here; give "
            f"since and until to draw empty lanes")
    return dt.date(min(days).year, 1, 1), dt.date(max(days).year, 12, 31)
