"""pandas frames: events one row each, and as-of panels of positions.

pandas is optional (the ``pandas`` extra): it is imported only when a frame is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._projections.position import Position, sections
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.rows import ROW_FIELDS, event_row

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["events_frame", "positions_frame"]

_DAY_COLUMNS = ("earliest", "latest", "recorded")


def _require_pandas() -> None:
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ImportError(
            "this needs pandas, which is not installed: "
            "pip install 'cybertimeline[pandas]' (the pandas extra)"
        ) from None


def events_frame(
    timeline: Answers,
    actor: str | None = None,
    *,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
) -> pd.DataFrame:
    """The known events as a pandas DataFrame, one row per event, in canonical order.

    The columns are those of ``cybertimeline timeline --format csv``
    (see `cybertimeline.ROW_FIELDS`); ``earliest``, ``latest`` and
    ``recorded`` are datetimes. With ``actor``, only its events, and
    ``option`` is its vote.

    Raises:
        ImportError: pandas is not installed (``pip install 'cybertimeline[pandas]'``).
        UnknownActorError: the actor is not known.
    """
    _require_pandas()
    import pandas

    if actor is not None:
        actor = timeline.registry.resolve(actor)
    rows = [event_row(e, actor) for e in timeline.events(actor, since=since, until=until,
                                                          known_at=known_at)]
    frame = pandas.DataFrame(rows, columns=list(ROW_FIELDS))
    for column in _DAY_COLUMNS:
        frame[column] = pandas.to_datetime(frame[column])
    frame["source_count"] = frame["source_count"].astype("int64")
    return frame


def panel_row(position: Position) -> dict[str, str]:
    """The facts a panel shows, by path: the one word (`SectionSpec.value`) of each entry of
    every keyed section that has one (a treaty's status, a vote's option, a stance, a
    role); read straight from the position's sections, each entry once."""
    row: dict[str, str] = {}
    for spec in sections():
        if not spec.keyed or spec.value is None:
            continue
        tail = f".{spec.value}" if spec.value in spec.fields else ""
        for key, entry in spec.items(position.section(spec.name)):
            word = spec.word(entry)
            if word is not None:
                row[f"{spec.name}.{key}{tail}"] = word
    return row


def positions_frame(
    timeline: Answers,
    actors: str | Iterable[str],
    dates: Iterable[DateLike],
    *,
    known_at: DateLike | None = None,
    possible: bool = False,
) -> pd.DataFrame:
    """An as-of panel: one row per actor and date, one column per fact of the positions.

    Columns are paths: ``treaties.<instrument>.status``, ``votes.<resolution>``
    (the option), ``stances.<topic>`` (the stance), ``memberships.<group>``
    (the role), and ``<section>.<key>`` for any keyed section registered with a
    ``value`` (`cybertimeline.SectionSpec`); a cell is empty where the position
    has no such fact. The index
    is ``(actor, as_of)``, ``as_of`` being the last day of each date (a
    timestamp). ``actors`` is one actor id or several (for a group's members,
    pass ``tl.members(group, as_of=...)``).

    Raises:
        ImportError: pandas is not installed (``pip install 'cybertimeline[pandas]'``).
        UnknownActorError: an actor is not known.
    """
    _require_pandas()
    import pandas

    names = [actors] if isinstance(actors, str) else actors
    chosen = list(dict.fromkeys(timeline.registry.resolve(a) for a in names))
    days: list[dt.date] = [Date.coerce(d).latest for d in dates]
    records = []
    index = []
    for actor in chosen:
        for day in days:
            position = timeline.position(actor, as_of=day, known_at=known_at, possible=possible)
            records.append(panel_row(position))
            index.append((actor, pandas.Timestamp(day)))
    # Column by column: a panel of many states is thousands of columns wide (a vote
    # each), which pandas builds far faster from columns than from rows of dicts.
    empty = float("nan")  # a missing cell, as pandas writes it
    columns = {path: [record.get(path, empty) for record in records]
               for path in sorted({path for record in records for path in record})}
    return pandas.DataFrame(
        columns, index=pandas.MultiIndex.from_tuples(index, names=["actor", "as_of"]),
        dtype=object)
