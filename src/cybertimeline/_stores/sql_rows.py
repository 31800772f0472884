"""The rows an event makes in the SQL stores' tables of writes, as both write and check them.

An event's writes (`BaseEvent.written`) become one row of ``entries`` per section it
writes (its key and detail, the event's sources, its EDTF date and the columns that
order it) and one row of ``writes`` per actor written, with its value. SQLite keeps
every section's (schema 3), PostgreSQL the columnar sections' (schema version 2); both
insert these rows and `validate` compares the stored ones with them.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from cybertimeline._model.events import Event
from cybertimeline._model.sources import sources_json

__all__ = ["entries_made", "writes_made"]


def entries_made(event: Event, sections: Container[str] | None = None) -> list[tuple[Any, ...]]:
    """``(section, key, detail, sources, date, id, earliest, latest, recorded)``: one per
    section the event writes (those of ``sections`` only, if given)."""
    columns = (sources_json(event.sources), str(event.date), event.id,
               event.date.earliest.isoformat(), event.date.latest.isoformat(),
               event.recorded_on.isoformat())
    found: dict[str, tuple[Any, ...]] = {}
    for _, section, key, _, detail in event.written():
        if section not in found and (sections is None or section in sections):
            found[section] = (section, key, detail, *columns)
    return list(found.values())


def writes_made(event: Event, sections: Container[str] | None = None) -> list[tuple[Any, ...]]:
    """``(whose, section, value)``: one per actor the event writes for in each section
    (those of ``sections`` only, if given)."""
    return [(whose, section, value) for whose, section, _, value, _ in event.written()
            if sections is None or section in sections]
