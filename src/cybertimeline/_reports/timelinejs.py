"""Events as TimelineJS JSON: one slide each, dated only as far as the date is known."""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import Any

from cybertimeline._model.dates import Date, DateLike, Precision
from cybertimeline._model.events import Event
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import headline
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.rows import main_actor

__all__ = ["timelinejs", "timelinejs_date"]

_LINKED = ("http", "https")
"""Only these URLs become links: a ``javascript:`` or ``data:`` one would run in the page."""


def _qualified(date: Date) -> str | None:
    notes = [word for word, flag in (("uncertain", date.uncertain),
                                     ("approximate", date.approximate)) if flag]
    return f"{date} ({', '.join(notes)})" if notes else None


def timelinejs_date(date: Date) -> dict[str, Any]:
    """A TimelineJS date object: the year, and the month and day only if they are known."""
    day = date.earliest
    found: dict[str, Any] = {"year": day.year}
    if date.precision is not Precision.YEAR:
        found["month"] = day.month
    if date.precision is Precision.DAY:
        found["day"] = day.day
    qualified = _qualified(date)
    if qualified:
        found["display_date"] = qualified
    return found


def _slide_text(event: Event) -> str:
    parts = [f"<p>{html.escape(event.summary)}</p>"] if event.summary else []
    items = []
    for source in event.sources:
        title = html.escape(source.title)
        if source.url and urllib.parse.urlsplit(source.url).scheme.lower() in _LINKED:
            title = f'<a href="{html.escape(source.url)}">{title}</a>'
        extra = ", ".join(html.escape(p) for p in (source.publisher,
                                                   str(source.published or "") or None) if p)
        items.append(f"<li>{title}{', ' + extra if extra else ''}</li>")
    parts.append(f"<p>Sources:</p><ul>{''.join(items)}</ul>")
    return "".join(parts)


def _slide(event: Event, group: str | None, registry: Registry) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": timelinejs_date(event.date.start),
        "text": {"headline": html.escape(headline(event, registry)),
                 "text": _slide_text(event)},
    }
    qualified = _qualified(event.date)
    if event.date.is_interval and event.lasts:
        slide["end_date"] = timelinejs_date(event.date.end)
    elif event.date.is_interval:
        # One day, known only to lie in the interval: not an event that lasted it.
        start, end = event.date.start, event.date.end
        notes = qualified.partition(" (")[2] if qualified else ""
        slide["display_date"] = (f"sometime between {start.earliest.isoformat()} and "
                                 f"{end.latest.isoformat()}" + (f" ({notes}" if notes else ""))
        qualified = None
    if qualified:
        slide["display_date"] = qualified
    if group:
        slide["group"] = group
    return slide


def timelinejs(
    timeline: Answers,
    actors: str | Iterable[str] | None = None,
    *,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The known events as TimelineJS JSON (``json.dumps`` it and open it in TimelineJS).

    Each event is a slide: ``unique_id`` is the event id, ``group`` its
    actor, ``start_date`` and ``end_date`` are filled only as far as the
    date is known (a year, a month, a day), ``display_date`` shows
    qualifiers (uncertain, approximate), and the text is the summary
    followed by the sources: ``{"title": ..., "events": [...]}``. Only an
    event that lasts its dates (a session) has an ``end_date``; one that
    happened on a day known only to lie in an interval has none, and its
    ``display_date`` gives the range ("sometime between ... and ...").

    Raises:
        UnknownActorError: an actor is not known.
    """
    names = (actors,) if isinstance(actors, str) else actors
    registry = timeline.registry
    chosen = None if names is None else tuple(dict.fromkeys(registry.resolve(a) for a in names))
    slides = []
    for event in _events(timeline, chosen, since, until, known_at):
        group = next((a for a in event.involved if a in chosen), None) if chosen else None
        slides.append(_slide(event, group or main_actor(event), registry))
    who = ", ".join(registry.name(a) for a in chosen) if chosen else "All actors"
    headline = title or f"Cybercrime diplomacy: {who}"
    return {"title": {"text": {"headline": html.escape(headline),
                               "text": f"<p>{len(slides)} dated, sourced events.</p>"}},
            "events": slides}


def _events(
    timeline: Answers, actors: tuple[str, ...] | None, since: DateLike | None,
    until: DateLike | None, known_at: DateLike | None,
) -> Iterator[Event]:
    if not actors:
        yield from timeline.events(since=since, until=until, known_at=known_at)
        return
    seen: dict[str, Event] = {}
    for actor in actors:
        seen.update((e.id, e) for e in timeline.events(actor, since=since, until=until,
                                                        known_at=known_at))
    yield from sorted(seen.values(), key=canonical_key)
