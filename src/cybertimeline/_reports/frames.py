"""pandas frames: events one row each, and as-of panels of positions.

pandas is optional (the ``pandas`` extra): it is imported only when a frame is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.changes import position_facts
from cybertimeline._reports.rows import ROW_FIELDS, event_row

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["events_frame", "positions_frame"]

_DAY_COLUMNS = ("earliest", "latest", "recorded")
# The one value of each fact that a panel shows: an entry's option, stance or role.
_PANEL_VALUE = {"votes": "option", "stances": "stance", "memberships": "role"}


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

    rows = [event_row(e, actor) for e in timeline.events(actor, since=since, until=until,
                                                          known_at=known_at)]
    frame = pandas.DataFrame(rows, columns=list(ROW_FIELDS))
    for column in _DAY_COLUMNS:
        frame[column] = pandas.to_datetime(frame[column])
    frame["source_count"] = frame["source_count"].astype("int64")
    return frame


def _panel_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts a panel shows: treaty statuses, and the option, stance or role of entries."""
    shown = {}
    for path, value in facts.items():
        section = path.split(".", 1)[0]
        if section == "treaties" and path.endswith(".status"):
            shown[path] = value
        elif section in _PANEL_VALUE:
            shown[path] = value[_PANEL_VALUE[section]]
    return shown


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
    (the option), ``stances.<topic>`` (the stance) and ``memberships.<group>``
    (the role); a cell is empty where the position has no such fact. The index
    is ``(actor, as_of)``, ``as_of`` being the last day of each date (a
    timestamp). ``actors`` is one actor id or several (for a group's members,
    pass ``tl.members(group, as_of=...)``).

    Raises:
        ImportError: pandas is not installed (``pip install 'cybertimeline[pandas]'``).
        UnknownActorError: an actor is not known.
    """
    _require_pandas()
    import pandas

    chosen = [actors] if isinstance(actors, str) else list(actors)
    days: list[dt.date] = [Date.coerce(d).latest for d in dates]
    records = []
    index = []
    for actor in chosen:
        for day in days:
            position = timeline.position(actor, as_of=day, known_at=known_at, possible=possible)
            records.append(_panel_facts(position_facts(position)))
            index.append((actor, pandas.Timestamp(day)))
    columns = sorted({path for record in records for path in record})
    return pandas.DataFrame(
        records, columns=columns,
        index=pandas.MultiIndex.from_tuples(index, names=["actor", "as_of"]),
    )
