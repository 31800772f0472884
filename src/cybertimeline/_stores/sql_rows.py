"""The rows an event makes in the SQL stores' tables of writes, as both write and check them.

An event's writes (`BaseEvent.written`) become one row of ``entries`` per section it
writes (its key and detail, the event's sources, its EDTF date and the columns that
order it), one row of ``writes`` per actor written, with its value, and for a columnar
section one row of ``ballots`` (`sql_ballots`). SQLite (schema 3) and PostgreSQL
(schema version 3) keep the same rows: both insert these, and both `validate`s compare
the stored ones with them (`rows_problem`, `index_problem`), in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Container, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model.sources import sources_json
from cybertimeline._stores.sql_ballots import ballots_made

if TYPE_CHECKING:
    from cybertimeline._model.event import WriteRow
    from cybertimeline._model.events import Event

__all__ = ["column_problem", "entries_made", "index_problem", "orphan_problem", "rows_problem",
           "writes_made"]


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


def rows_problem(event: Event, entries: Collection[tuple[Any, ...]],
                 writes: Collection[tuple[Any, ...]], ballots: Collection[tuple[Any, ...]],
                 names: Mapping[str, int]) -> str | None:
    """What is wrong if an event's stored rows are not those its payload makes: of
    ``entries`` (as `entries_made`), ``writes`` (as `writes_made`) and ``ballots``
    (``(section, blob)``, with the store's ``names`` by name)."""
    written = event.written()
    if (set(writes) == set(writes_made(event, written=written))
            and set(entries) == set(entries_made(event, written=written))
            and set(ballots) == set(ballots_made(written, lambda name: names.get(name, -1)))):
        return None
    return (f"its rows in writes and entries disagree with the writes of its payload "
            f"({len(written)}): the tables were changed by something other than this library")


def orphan_problem(table: str, seq: object) -> str:
    """The problem of a row of ``table`` that names event row ``seq``, where there is none
    that can be read."""
    return f"{table} names row {seq}, which is no event"


def index_problem(event: Event, actors: Collection[str], instruments: Collection[str]
                  ) -> str | None:
    """What is wrong if the rows of ``event_actors`` and ``event_instruments`` that name an
    event are not those its payload makes: every actor it involves but those it writes
    for (which ``writes`` names), and a treaty act's instrument."""
    from cybertimeline._model.events import TreatyAct

    expected = set(event.involved) - {w for w, *_ in event.written()}
    instrument = {event.instrument} if isinstance(event, TreatyAct) else set()
    if set(actors) == expected and set(instruments) == instrument:
        return None
    return (f"its index rows (actors {sorted(actors)}, instruments {sorted(instruments)}) "
            f"disagree with its payload")
