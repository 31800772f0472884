"""A store's treaty chart written as CSV, in the columns `import_chart` reads: for sharing a
chart, or to check that an import gives back what was written."""

from __future__ import annotations

import csv
from pathlib import Path

from cybertimeline._model.dates import DateLike
from cybertimeline._stores.atomic import write_atomically
from cybertimeline._timeline.timeline import Timeline

__all__ = ["CHART_HEADER", "write_chart"]

CHART_HEADER = ("state", "signature", "consent", "consent type", "entry into force",
                "withdrawal")
"""The columns `write_chart` writes."""


class _Lines:
    """Collects what csv.writer writes."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.append(text)
        return len(text)


def write_chart(
    timeline: Timeline,
    instrument: str,
    path: str | Path,
    *,
    as_of: DateLike | None = None,
    known_at: DateLike | None = None,
) -> int:
    """Write the chart of an instrument as of a date (every act, if None) to a CSV file,
    atomically; returns how many states it lists.

    A row per actor that acted on it, by name (as the registry names it), with the
    date of each act as EDTF (its precision kept) and the kind of its consent.

    Raises:
        UnknownInstrumentError: the instrument is not known.
    """
    chart = timeline.status(instrument, as_of=as_of, known_at=known_at)
    out = _Lines()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHART_HEADER)
    for actor, status in chart.items():
        writer.writerow([timeline.registry.name(actor),
                         *("" if d is None else str(d) for d in (status.signed, status.consented)),
                         status.consent or "",
                         *("" if d is None else str(d) for d in (status.in_force,
                                                                 status.withdrawn))])
    write_atomically(Path(path), out.lines)
    return len(chart)
