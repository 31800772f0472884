"""Events as flat rows: JSON Lines, CSV, JSON and pandas share them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

from cybertimeline._model.events import Event, Vote

__all__ = ["ROW_FIELDS", "csv_cell", "event_row", "main_actor", "write_csv"]

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
_OWN_FIELDS = tuple(name for name in ROW_FIELDS if name not in {
    "id", "kind", "date", "earliest", "latest", "precision", "recorded", "actor", "actors",
    "option", "summary", "source_count", "source_urls", "supersedes", "tags"})
"""The columns a kind's own fields fill (``body``, ``instrument``, ``title``...): every
column but those every event fills and ``option``."""


def main_actor(event: Event) -> str | None:
    """The actor an event is mostly about: the first its fields name (its actor, or body)."""
    involved = event.involved
    return involved[0] if involved else None


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
    for name in _OWN_FIELDS:  # any kind's field of these names, where it has one
        value = getattr(event, name, None)
        if value is not None:
            row[name] = value
    if isinstance(event, Vote) and actor is not None:
        row["option"] = event.votes.get(actor)
    return row


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell that a spreadsheet shows as text: one that starts like a formula
    (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], stream: IO[str],
              fields: Sequence[str] = ROW_FIELDS) -> None:
    """Write rows as CSV with a header of ``fields`` (`ROW_FIELDS` by default); lists joined
    with ``"; "``; no cell is read as a formula by a spreadsheet (`csv_cell`)."""
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({
            k: csv_cell("; ".join(v) if k in _LIST_FIELDS and v is not None else v)
            for k, v in row.items()
        })
