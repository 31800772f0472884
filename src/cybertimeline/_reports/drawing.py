"""Drawing a swimlane chart with matplotlib: `plot`, and its layout, colours, labels, legend.

matplotlib is optional (the ``plot`` extra): it is imported only when a chart is drawn.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.palette import STATUS_COLOURS, colour, ink, value_colours
from cybertimeline._model.registry import Registry
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.swimlanes import (
    Mark,
    StatusSpan,
    Swimlanes,
    lane_mark,
    marked,
    marked_kinds,
    status_spans,
    window,
)
from cybertimeline.errors import TimelineError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw", "new_figure", "plot", "require_matplotlib"]

_ONE_DAY = dt.timedelta(days=1)

_STATUS_LABELS = {"none": "not a signatory"}
"""Band labels that differ from the status names (rule 10: ``none`` has a complete chart)."""

# Layout, in lane units (one unit = _INCHES_PER_UNIT inches of figure height). The figure
# is as wide as the documentation's column shows it (about 800 pixels), so that its
# 9-point labels are read at their size there and in a notebook.
_INCHES_PER_UNIT = 0.36
_BAND_TOP, _BAND_HEIGHT = 0.2, 0.6
_ROW_HEIGHT = 0.55
_LANE_PAD = 0.25
_LABEL_SIZE = 9.0
_CHAR_POINTS = 0.56 * _LABEL_SIZE  # an average character's width, for packing labels
_WIDTH_INCHES = 8.0
_MAX_ROWS = 24
"""Rows of marks a lane grows to; marks beyond are drawn over the last row (a heatmap,
`Timeline.vote_map`, shows many votes), so that a lane of hundreds of votes stays a lane."""
_LEFT_INCHES, _RIGHT_INCHES = 1.4, 0.25


def require_matplotlib() -> None:
    """Raise a clear ImportError naming the ``plot`` extra when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(
            "plotting needs matplotlib, which is not installed: "
            "pip install 'cybertimeline[plot]' (the plot extra)"
        ) from None


def _rows(marks: list[Mark], start: dt.date, end: dt.date, days_per_point: float) -> list[int]:
    """A row for each mark, so that no two marks or labels overlap (first fit, by date)."""
    label_days = _CHAR_POINTS * days_per_point
    pad = 8 * days_per_point
    right_edge = (end - start).days + 1
    rows: list[float] = []  # the first free day of each row
    placed: list[int] = []
    for mark in marks:
        x0 = (max(mark.earliest, start) - start).days
        x1 = (min(mark.latest, end) - start).days + 1 if mark.is_span else x0
        width = len(mark.label) * label_days
        if x1 + pad + width <= right_edge:
            occupied = (x0 - pad, x1 + pad + width)
        else:
            occupied = (x0 - pad - width, x1 + pad)
        for row, free in enumerate(rows):
            if free <= occupied[0]:
                rows[row] = occupied[1] + pad
                placed.append(row)
                break
        else:
            rows.append(occupied[1] + pad)
            placed.append(len(rows) - 1)
    return placed


def _lane_label(registry: Registry, actor: str) -> str:
    name = registry.name(actor)
    if name == actor:
        return actor
    lines = textwrap.wrap(name, 17)
    shown = lines[:2] if len(lines) <= 2 else [lines[0], lines[1][:15] + "…"]
    return "\n".join([actor, *shown])


def _mdates() -> Any:
    """``matplotlib.dates``, which has no type information."""
    import importlib

    return importlib.import_module("matplotlib.dates")


def new_figure() -> Figure:
    """An empty figure, as wide as a chart is drawn."""
    from matplotlib.figure import Figure

    return Figure(figsize=(_WIDTH_INCHES, 4.0))


_Lane = tuple[str, float, list[tuple[Mark, int]]]
"""A lane as laid out: its actor, its top, and each of its marks with its row."""


def draw(chart: Swimlanes, registry: Registry, title: str | None) -> None:
    """Draw ``chart``'s spans and marks on its figure, its lanes named from ``registry``."""
    axes_points = (_WIDTH_INCHES - _LEFT_INCHES - _RIGHT_INCHES) * 72
    days_per_point = ((chart.end - chart.start).days + 1) / axes_points
    layout, total, piled = _layout(chart, days_per_point)
    handles, handlers = _legend(chart)
    columns = min(len(handles), 3)
    height_inches = _size(chart.figure, total, -(-len(handles) // columns) if handles else 0)
    ax = _axes(chart, total)
    _draw_lanes(ax, chart, registry, layout, days_per_point)
    _draw_known_at(ax, chart)
    if piled:
        chart.figure.text(0.99, 0.1 / height_inches, f"{piled} marks drawn over others, "
                          f"unlabelled: vote_map() shows many votes as a heatmap", ha="right",
                          va="bottom", fontsize=7, color="#666666")
    chart.figure.suptitle(title or _title(registry, chart), x=0.02, ha="left", fontsize=11,
                          y=1 - 0.12 / height_inches, va="top")
    if handles:
        chart.figure.legend(handles=handles, handler_map=handlers, loc="lower left",
                            ncols=columns, fontsize=_LABEL_SIZE, frameon=False,
                            bbox_to_anchor=(0.01, 0.0), handlelength=1.8, columnspacing=1.5)


def _layout(chart: Swimlanes, days_per_point: float) -> tuple[list[_Lane], float, int]:
    """The lanes top to bottom (a status band, then rows of marks), their total height,
    and how many marks are piled on the last row."""
    band = chart.instrument is not None
    layout: list[_Lane] = []
    y, piled = 0.0, 0
    for actor in chart.actors:
        own = [m for m in chart.marks if m.actor == actor]
        wanted = _rows(own, chart.start, chart.end, days_per_point)
        piled += sum(1 for r in wanted if r >= _MAX_ROWS)
        rows = [min(r, _MAX_ROWS - 1) for r in wanted]
        layout.append((actor, y, list(zip(own, rows, strict=True))))
        height = (_BAND_TOP + _BAND_HEIGHT if band else 0.0) + (max(rows) + 1 if rows else 0) * (
            _ROW_HEIGHT) + _LANE_PAD
        y += max(height, 1.0)
    return layout, y, piled


def _size(figure: Figure, total: float, legend_rows: int) -> float:
    """Size the figure for lanes ``total`` high and the legend; its height in inches."""
    top_inches, bottom_inches = 0.55, 0.4 + 0.23 * legend_rows + 0.1
    height_inches = total * _INCHES_PER_UNIT + top_inches + bottom_inches
    figure.set_size_inches(_WIDTH_INCHES, height_inches)
    figure.subplots_adjust(left=_LEFT_INCHES / _WIDTH_INCHES,
                           right=1 - _RIGHT_INCHES / _WIDTH_INCHES,
                           top=1 - top_inches / height_inches,
                           bottom=bottom_inches / height_inches)
    return height_inches


def _axes(chart: Swimlanes, total: float) -> Axes:
    """The chart's axes: dates across, lanes down, a light grid."""
    mdates = _mdates()
    ax: Axes = chart.figure.add_subplot()
    ax.set_xlim(mdates.date2num(chart.start), mdates.date2num(chart.end + _ONE_DAY))
    ax.set_ylim(total, 0)
    ax.xaxis.set_major_locator(locator := mdates.AutoDateLocator(minticks=5, maxticks=14))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax


def _draw_lanes(ax: Axes, chart: Swimlanes, registry: Registry, layout: list[_Lane],
                days_per_point: float) -> None:
    """Each lane: its name, its status band (with an instrument), its marks."""
    band = chart.instrument is not None
    ticks, labels = [], []
    for index, (actor, top, placed) in enumerate(layout):
        if index:
            ax.axhline(top, color="#999999", linewidth=0.6)
        ticks.append(top + (_BAND_TOP + _BAND_HEIGHT / 2 if band else 0.5))
        labels.append(_lane_label(registry, actor))
        if band:
            _draw_band(ax, chart, actor, top, days_per_point)
        rows_top = top + (_BAND_TOP + _BAND_HEIGHT if band else 0.0)
        crowded = sum(1 for _, row in placed if row == _MAX_ROWS - 1) > 1
        for mark, row in placed:
            _draw_mark(ax, mark, rows_top + (row + 0.5) * _ROW_HEIGHT, chart, days_per_point,
                       labelled=not (crowded and row == _MAX_ROWS - 1))
    ax.set_yticks(ticks, labels, fontsize=_LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=_LABEL_SIZE)


def _draw_band(ax: Axes, chart: Swimlanes, actor: str, top: float,
               days_per_point: float) -> None:
    """The actor's status spans, or a note that there is no data on the instrument."""
    own_spans = [s for s in chart.spans if s.actor == actor]
    if own_spans:
        _draw_spans(ax, own_spans, top, days_per_point)
        return
    x_start = _mdates().date2num(chart.start)
    ax.text(x_start + 4 * days_per_point, top + _BAND_TOP + _BAND_HEIGHT / 2,
            "no data on this instrument", va="center", fontsize=_LABEL_SIZE, color="#666666",
            style="italic")


def _draw_known_at(ax: Axes, chart: Swimlanes) -> None:
    """A dashed line on the day the record is drawn as known at, if in the chart."""
    if chart.known_at is None or not chart.start <= chart.known_at.latest <= chart.end:
        return
    x = _mdates().date2num(chart.known_at.latest)
    ax.axvline(x, color="black", linestyle="--", linewidth=1)
    ax.annotate(f"known at {chart.known_at}", (x, 0), xytext=(3, 3),
                textcoords="offset points", fontsize=_LABEL_SIZE, va="bottom",
                annotation_clip=False)


def _legend(chart: Swimlanes) -> tuple[list[Any], dict[Any, Any]]:
    """The legend's entries: every status (with an instrument), each value drawn, and how
    dates are drawn; and the handlers that draw a range marker as one."""
    from matplotlib.legend_handler import HandlerLine2D
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    if chart.instrument is not None:
        handles += [Patch(facecolor=STATUS_COLOURS[s], edgecolor="#999999", linewidth=0.5,
                          label=_STATUS_LABELS.get(s, s)) for s in STATUS_COLOURS]
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label="possibly (act dated to a range)"))
    handles += _mark_handles(chart)
    handlers: dict[Any, Any] = {}
    if any(m.is_range for m in chart.marks):
        ranged = Line2D([], [], color="#555555", linewidth=1.2, marker="|", markersize=8,
                        label="one day, known only to a range")
        handles.append(ranged)
        handlers[ranged] = HandlerLine2D(numpoints=2)
    if any(m.is_span and m.lasts for m in chart.marks):
        handles.append(Patch(facecolor="#777777", label="the days it lasted"))
    return handles, handlers


def _mark_handles(chart: Swimlanes) -> list[Any]:
    """A legend entry per section and value drawn: the section's marker in the value's
    colour, in the order of the sections, then of the palette."""
    from matplotlib.lines import Line2D

    drawn = marked()
    sections, values = list(drawn), list(value_colours())

    def order(pair: tuple[str, str]) -> tuple[int, int, str]:
        section, value = pair
        return (sections.index(section), values.index(value) if value in values
                else len(values), value)

    return [Line2D([], [], linestyle="none", marker=drawn[section].marker, markersize=7,
                   color=colour(value), label=f"{drawn[section].noun}: {value}")
            for section, value in sorted(dict.fromkeys((m.section, m.value)
                                                       for m in chart.marks), key=order)]


def _title(registry: Registry, chart: Swimlanes) -> str:
    if chart.instrument is not None:
        what = registry.label(chart.instrument)
    else:
        what = "Votes, statements and sessions of " + ", ".join(chart.actors)
    text = f"{what}, {chart.start} to {chart.end}"
    if chart.known_at is not None:
        text += f", as known at {chart.known_at}"
    return text


def _draw_spans(ax: Axes, spans: list[StatusSpan], top: float, days_per_point: float) -> None:
    mdates = _mdates()

    unsettled = [(s.start, s.end) for s in spans if not s.settled]
    for span in spans:
        x0 = mdates.date2num(span.start)
        width = (span.end - span.start).days
        fill = colour(span.status)
        if span.settled:
            ax.broken_barh([(x0, width)], (top + _BAND_TOP, _BAND_HEIGHT), facecolors=fill,
                           edgecolors="white", linewidth=0.5)
            first, after = _clearest(span, unsettled)
            label = _STATUS_LABELS.get(span.status, span.status)
            if (after - first).days / days_per_point > len(label) * _CHAR_POINTS + 6:
                middle = mdates.date2num(first) + (after - first).days / 2
                ax.text(middle, top + _BAND_TOP + _BAND_HEIGHT / 2, label,
                        ha="center", va="center", fontsize=_LABEL_SIZE, color=ink(span.status))
        else:
            # Hatched in the possible status's colour, over whatever is settled.
            ax.broken_barh([(x0, width)], (top + _BAND_TOP, _BAND_HEIGHT), facecolors="none",
                           edgecolors=fill, hatch="////", linewidth=0)


def _clearest(span: StatusSpan, covers: list[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """The longest part of a span that no hatching covers: where its name is written."""
    parts = [(span.start, span.end)]
    for cover_start, cover_end in covers:
        parts = [piece for first, after in parts
                 for piece in ((first, min(after, cover_start)), (max(first, cover_end), after))
                 if piece[0] < piece[1]]
    return max(parts, key=lambda part: part[1] - part[0], default=(span.start, span.start))


def _draw_mark(ax: Axes, mark: Mark, y: float, chart: Swimlanes, days_per_point: float,
               labelled: bool = True) -> None:
    """A point for a day; a bar over the days a session lasted; a range marker (a line with
    a tick at each end and a hollow mark in the middle) over the days within which a one-day
    event happened, so that it does not read as lasting them. Its label beside it, unless
    not ``labelled`` (marks drawn over one another)."""
    mdates = _mdates()

    fill = colour(mark.value)
    marker = marked()[mark.section].marker
    first = max(mark.earliest, chart.start)
    last = min(mark.latest, chart.end)
    x0 = mdates.date2num(first)
    # At least three points wide, so that a three-day session still shows.
    x1 = max(mdates.date2num(last + _ONE_DAY), x0 + 3 * days_per_point) if mark.is_span else x0
    if mark.is_range:
        ax.plot([x0, x1], [y, y], color=fill, linewidth=1.2, marker="|", markersize=8,
                markeredgewidth=1.2, solid_capstyle="butt")
        ax.plot([(x0 + x1) / 2], [y], marker=marker, markersize=6, linestyle="none",
                markerfacecolor="white", markeredgecolor=fill, markeredgewidth=1.4)
    elif mark.is_span:
        ax.broken_barh([(x0, x1 - x0)], (y - _ROW_HEIGHT * 0.22, _ROW_HEIGHT * 0.44),
                       facecolors=fill, alpha=0.85, edgecolors=fill, linewidth=0.8)
    else:
        ax.plot([x0], [y], marker=marker, color=fill, markersize=7,
                markeredgecolor="white", markeredgewidth=0.5, linestyle="none")
    if not labelled:
        return
    pad = 5 * days_per_point
    x_end = mdates.date2num(chart.end + _ONE_DAY)
    width = len(mark.label) * _CHAR_POINTS * days_per_point
    if x1 + pad + width <= x_end:
        ax.text(x1 + pad, y, mark.label, va="center", ha="left", fontsize=_LABEL_SIZE)
    else:
        ax.text(x0 - pad, y, mark.label, va="center", ha="right", fontsize=_LABEL_SIZE)


def plot(
    timeline: Answers,
    actors: str | Iterable[str],
    instrument: str | None = None,
    *,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
    topics: Iterable[str] | None = None,
    title: str | None = None,
) -> Swimlanes:
    """A swimlane chart: one lane per actor, from ``since`` to ``until``.

    Each lane shows the actor's status towards ``instrument`` as coloured
    spans, exactly as `Timeline.position` gives it for each day (``none``,
    not a signatory, only where a complete chart says so), and hatched where
    an act dated to a span of days may already have happened
    (``possible=True``). Below it, the actor's votes (its option), statements
    (its stance) and, for a body, its sessions (their status) are marks: a
    point for a day, a bar over the whole span for a partial date such as
    ``2019-07``. ``ct.plot(tl, ["CAN", "KOR"], "budapest-convention").save("b.svg")``
    writes the chart; in Jupyter the chart shows itself.

    Args:
        timeline: A timeline (anything that answers positions and events).
        actors: One actor id, or several: one lane each, in this order.
        instrument: The instrument whose status is drawn, by id or name ("Budapest
            Convention"); no status band if None.
        since: The chart's first day (this date's first); whole years around the events
            if None.
        until: The chart's last day (this date's last); whole years around the events if None.
        known_at: Draw the record as it stood on this day (a dashed line marks it).
        topics: Only votes and statements on these topics (a topic, an instrument or
            a resolution); every one if None.
        title: The chart's title; the instrument and the dates if None.

    Returns:
        A `Swimlanes`: ``save(path)``, ``figure``, and the ``spans`` and ``marks`` drawn.

    Raises:
        ImportError: matplotlib is not installed (``pip install 'cybertimeline[plot]'``).
        UnknownActorError: an actor or the instrument is not known.
        ValidationError: ``since`` is after ``until``.
        TimelineError: there is nothing to draw in the period.
    """
    require_matplotlib()
    names = (actors,) if isinstance(actors, str) else actors
    chosen = tuple(dict.fromkeys(timeline.registry.resolve(a) for a in names))
    if not chosen:
        raise TimelineError("nothing to plot: name at least one actor")
    for actor in chosen:
        timeline.registry.actor(actor)
    if instrument is not None:
        instrument = timeline.registry.resolve_instrument(instrument)
    wanted = None if topics is None else frozenset(topics)
    start, end = window(timeline, chosen, instrument, since, until, known_at)
    known = None if known_at is None else Date.coerce(known_at)

    spans = [] if instrument is None else [
        span for actor in chosen
        for span in status_spans(timeline, actor, instrument, start, end, known_at)]
    marks = [mark for actor in chosen
             for event in timeline.events(actor, set(marked_kinds()), since=start, until=end,
                                          known_at=known_at)
             if (mark := lane_mark(timeline, actor, event, instrument, wanted)) is not None]
    chart = Swimlanes(actors=chosen, instrument=instrument, start=start, end=end,
                      known_at=known, spans=tuple(spans), marks=tuple(marks),
                      figure=new_figure())
    import matplotlib

    # Names and titles are text: "$...$" in one is never read as mathematics (which
    # raises on an unknown command such as "\\foo").
    with matplotlib.rc_context({"text.parse_math": False}):
        draw(chart, timeline.registry, title)
    return chart
