"""The rows an event makes in the SQL stores' tables of writes, as both write and check them.

An event's writes (`BaseEvent.written`) become one row of ``entries`` per section it
writes (its key and detail, the event's sources, its EDTF date and the columns that
order it) and one row of ``writes`` per actor written, with its value. SQLite keeps
every section's (schema 3), PostgreSQL the columnar sections' (schema version 2); both
insert these rows and `validate` compares the stored ones with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Container, Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model.sources import sources_json

if TYPE_CHECKING:
    from cybertimeline._model.event import WriteRow
    from cybertimeline._model.events import Event

__all__ = ["column_problem", "entries_made", "index_problem", "writes_made"]


def entries_made(event: Event, sections: Container[str] | None = None,
                 written: Sequence[WriteRow] | None = None) -> list[tuple[Any, ...]]:
    """``(section, key, detail, sources, date, id, earliest, latest, recorded)``: one per
    section the event writes (those of ``sections`` only, if given; ``written``: the
    event's `written`, if the caller has it)."""
    columns = (sources_json(event.sources), str(event.date), event.id,
               event.date.earliest.isoformat(), event.date.latest.isoformat(),
               event.recorded_on.isoformat())
    found: dict[str, tuple[Any, ...]] = {}
    for _, section, key, _, detail in event.written() if written is None else written:
        if section not in found and (sections is None or section in sections):
            found[section] = (section, key, detail, *columns)
    return list(found.values())


def writes_made(event: Event, sections: Container[str] | None = None,
                written: Sequence[WriteRow] | None = None) -> list[tuple[Any, ...]]:
    """``(whose, section, value)``: one per actor the event writes for in each section
    (those of ``sections`` only, if given; ``written`` as for `entries_made`)."""
    return [(whose, section, value) for whose, section, _, value, _
            in (event.written() if written is None else written)
            if sections is None or section in sections]


def column_problem(event: Event, columns: Sequence[Any]) -> str | None:
    """What is wrong with an event's row if its columns ``(id, kind, earliest, latest,
    recorded, corrects)``, which queries order, filter and trust, are not its payload's."""
    found = tuple(c.isoformat() if isinstance(c, dt.date) else c for c in columns)
    expected = (event.id, event.kind, event.date.earliest.isoformat(),
                event.date.latest.isoformat(), event.recorded_on.isoformat(), event.corrects)
    if found == expected:
        return None
    return (f"its columns {found} disagree with its payload {expected}: the row was changed "
            f"by something other than this library")


def index_problem(event: Event, actors: Collection[str], instruments: Collection[str],
                  *, writers_apart: bool) -> str | None:
    """What is wrong if the rows of ``event_actors`` and ``event_instruments`` that name an
    event are not those its payload makes: every actor it involves (``writers_apart``: but
    those it writes for, which ``writes`` names: SQLite), and a treaty act's instrument."""
    from cybertimeline._model.events import TreatyAct

    involved = set(event.involved)
    expected = involved - {w for w, *_ in event.written()} if writers_apart else involved
    instrument = {event.instrument} if isinstance(event, TreatyAct) else set()
    if set(actors) == expected and set(instruments) == instrument:
        return None
    return (f"its index rows (actors {sorted(actors)}, instruments {sorted(instruments)}) "
            f"disagree with its payload")
