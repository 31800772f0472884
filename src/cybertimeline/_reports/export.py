"""Exports: events as flat rows (JSON Lines, CSV, JSON, pandas) and as TimelineJS JSON."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from cybertimeline._model.dates import Date, Precision
from cybertimeline._model.events import (
    Adoption,
    Cooperation,
    Event,
    Legislation,
    Membership,
    Retraction,
    Session,
    Statement,
    Vote,
    _TreatyAct,
)
from cybertimeline._model.registry import Registry
from cybertimeline._stores.index import canonical_key

if TYPE_CHECKING:
    from cybertimeline._timeline.timeline import DateLike, Timeline

__all__ = ["ROW_FIELDS", "describe_event", "event_row", "timelinejs", "write_csv"]

ROW_FIELDS: tuple[str, ...] = (
    "id", "kind", "date", "earliest", "latest", "precision", "recorded",
    "actor", "actors", "body", "group", "instrument", "resolution", "topic",
    "option", "stance", "status", "action", "role", "title", "form",
    "summary", "source_count", "source_urls", "supersedes", "retracts", "tags",
)
"""The columns of event rows, in order: ``timeline --format csv|jsonl|json`` and ``to_pandas``.

``date`` is the EDTF text; ``earliest``, ``latest`` and ``recorded`` are ISO
days; ``actor`` is the event's main actor (the body for votes, adoptions and
sessions); ``actors`` every actor it involves; ``option`` the vote of the
actor asked for; ``source_count`` how many sources it has. Fields that do not
apply are null (empty in CSV). ``actors``, ``source_urls`` and ``tags`` are
lists (joined with ``"; "`` in CSV).
"""

_LIST_FIELDS = frozenset({"actors", "source_urls", "tags"})


def main_actor(event: Event) -> str | None:
    """The actor an event is mostly about: its actor, else its body, else its first actor."""
    for name in ("actor", "body"):
        value = getattr(event, name, None)
        if isinstance(value, str):
            return value
    return event.involved[0] if event.involved else None


def event_row(event: Event, actor: str | None = None) -> dict[str, Any]:
    """One event as a flat row of `ROW_FIELDS`; ``option`` is ``actor``'s vote, if any."""
    row: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    row.update(
        id=event.id, kind=event.kind, date=str(event.date),
        earliest=event.date.earliest.isoformat(), latest=event.date.latest.isoformat(),
        precision=str(event.date.precision), recorded=event.recorded_on.isoformat(),
        actor=main_actor(event), actors=list(dict.fromkeys(event.involved)),
        summary=event.summary, source_count=len(event.sources),
        source_urls=[s.url for s in event.sources if s.url], supersedes=event.supersedes,
        tags=list(event.tags),
    )
    for name in ("body", "group", "instrument", "resolution", "topic", "stance", "status",
                 "action", "role", "title", "form", "retracts"):
        value = getattr(event, name, None)
        if value is not None:
            row[name] = value
    if isinstance(event, Vote) and actor is not None:
        row["option"] = event.votes.get(actor)
    return row


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """Write rows as CSV with a header of `ROW_FIELDS`; lists joined with ``"; "``."""
    writer = csv.DictWriter(stream, fieldnames=ROW_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({
            k: "; ".join(v) if k in _LIST_FIELDS and v is not None else v
            for k, v in row.items()
        })


def _name(registry: Registry, actor: str) -> str:
    name = registry.name(actor)
    return name if len(name) <= 40 else actor


def _instrument(registry: Registry, instrument: str | None) -> str:
    if instrument is None:
        return ""
    found = registry.instruments.get(instrument)
    return (found.short or found.title) if found else instrument


_VERBS = {"signature": "signs", "ratification": "ratifies", "accession": "accedes to",
          "acceptance": "accepts", "approval": "approves", "withdrawal": "withdraws from"}


def describe_event(event: Event, registry: Registry) -> str:
    """A short headline for an event: ``Canada ratifies the Budapest Convention``."""
    match event:
        case _TreatyAct():
            what = _instrument(registry, event.instrument)
            if event.kind == "entry_into_force":
                return f"{what} enters into force for {_name(registry, event.actor)}"
            return f"{_name(registry, event.actor)} {_VERBS[event.kind]} the {what}"
        case Vote():
            return f"{_name(registry, event.body)} votes on {event.resolution}"
        case Adoption():
            what = event.resolution or _instrument(registry, event.instrument)
            return f"{_name(registry, event.body)} adopts {what}"
        case Statement():
            return f"{_name(registry, event.actor)} {event.stance} {event.topic}"
        case Session():
            what = event.title or "session"
            return f"{_name(registry, event.body)}: {what} {event.status}"
        case Membership():
            verb = "joins" if event.action == "join" else "leaves"
            return f"{_name(registry, event.actor)} {verb} {_name(registry, event.group)}"
        case Cooperation():
            first, *others = (_name(registry, a) for a in event.actors)
            return f"{first} with {', '.join(others)}: {event.form}"
        case Legislation():
            return f"{_name(registry, event.actor)}: {event.title}"
        case Retraction():
            return f"Retraction of {event.retracts}"


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
        if source.url:
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
        "text": {"headline": html.escape(describe_event(event, registry)),
                 "text": _slide_text(event)},
    }
    if event.date.is_interval:
        slide["end_date"] = timelinejs_date(event.date.end)
    qualified = _qualified(event.date)
    if qualified:
        slide["display_date"] = qualified
    if group:
        slide["group"] = group
    return slide


def timelinejs(
    timeline: Timeline,
    actors: str | Iterable[str] | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The events of `Timeline.to_timelinejs`: ``{"title": ..., "events": [...]}``."""
    chosen = (actors,) if isinstance(actors, str) else None if actors is None else tuple(actors)
    registry = timeline.registry
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
    timeline: Timeline, actors: tuple[str, ...] | None, since: DateLike | None,
    until: DateLike | None, known_at: DateLike | None,
) -> Iterator[Event]:
    if not actors:
        yield from timeline.events(since=since, until=until, known_at=known_at)
        return
    seen: dict[str, Event] = {}
    for actor in actors:
        seen.update((e.id, e) for e in timeline.events(actor=actor, since=since, until=until,
                                                        known_at=known_at))
    yield from sorted(seen.values(), key=canonical_key)
