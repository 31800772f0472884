"""Events listed one a line: what ``cybertimeline timeline`` prints."""

from __future__ import annotations

from collections.abc import Sequence

from cybertimeline._model.events import Event, Vote
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import aligned, counted, headline
from cybertimeline._reports.rows import event_row

__all__ = ["listing_text"]


def listing_text(events: Sequence[Event], registry: Registry, actor: str | None = None) -> str:
    """The events as an aligned table (a vote shows ``actor``'s option), and how many."""
    if not events:
        return "no events"
    table = [["DATE", "KIND", "ACTOR", "ID", "SOURCES", "SUMMARY"]]
    for event in events:
        row = event_row(event, actor)
        kind = event.kind + (f" ({row['option']})" if isinstance(event, Vote) and row["option"]
                             else "")
        table.append([str(event.date), kind, row["actor"] or "", event.id,
                      str(len(event.sources)),
                      event.summary or headline(event, registry)])
    return "\n".join([*aligned(table), counted(len(events), "event")])
