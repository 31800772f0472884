"""The statements both SQL indexes run, written once, and what each database says its own way.

A template names its tables ``{t}events``, its values ``?``, and marks where rows are
bounded by a revision (``{upto.e}``: PostgreSQL reads rows up to the last sequence
number of the revision it read, a bound that comes last in the statement; SQLite reads
one version in a read transaction, and needs none). A `Dialect` fills these in.
"""

from __future__ import annotations

import attrs

__all__ = ["ENTRY_COLUMNS", "EVENT_COLUMNS", "INDEX_QUERIES", "POSTGRES", "SQLITE", "Dialect"]

EVENT_COLUMNS = "e.seq, e.format, e.payload, e.id, e.corrects"
"""What `SqlIndex._parse` reads of an event's row (``e``: the events table): its payload,
and the columns to check it against."""
ENTRY_COLUMNS = "n.seq, n.id, n.latest, n.recorded, n.date, n.key, n.detail, n.sources"
"""An entry's columns as `Entries.of_columns` reads them (``n``: the entries table)."""

_ELIDED_COLUMNS = ("n.seq, n.id, n.latest, NULLIF(n.recorded, n.latest), NULLIF(n.date, n.latest), "
                   "n.key, n.detail, {written_sources}")
_ORDER = "ORDER BY e.latest, e.earliest, e.id"
_ENTRY_ORDER = "ORDER BY n.latest, n.earliest, n.id"

INDEX_QUERIES = {
    "get": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e WHERE e.id = ?",
    "all": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e{{where.e}} {_ORDER}",
    "instrument": f"SELECT {EVENT_COLUMNS} FROM {{t}}event_instruments i JOIN {{t}}events e "
                  f"ON e.seq = i.seq WHERE i.instrument = ?{{upto.i}} {_ORDER}",
    "correctors": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e{{corrects_index}} WHERE "
                  f"e.corrects IS NOT NULL{{upto.e}} {_ORDER}",
    # An actor's rows first, then their entries (`Dialect.join_in_order`), sorted: not every
    # entry to find its rows among them.
    # The recorded day and the date as NULL where they are the latest day (no text to
    # make: `Entries.of_zipped`'s ``elided``); the sources as the dialect reads them.
    "written": f"SELECT {_ELIDED_COLUMNS}, w.value FROM {{t}}writes w {{join_in_order}} "
               "{t}entries n ON n.seq = w.seq AND n.section = w.section WHERE w.whose = ? "
               f"AND w.section = ?{{upto.w}} {_ENTRY_ORDER}",
    "section_entries": f"SELECT {ENTRY_COLUMNS} FROM {{t}}entries n WHERE n.section = ?"
                       f"{{upto.n}} {_ENTRY_ORDER}",
}
"""The statements of the SQL indexes (`SqlIndex._rows`) that both databases run."""


class _Bound:
    """``{upto.e}`` and ``{where.e}`` in a template: the bound on table ``e``'s rows."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __getattr__(self, alias: str) -> str:
        return self._text.format(alias) if self._text else ""


@attrs.frozen
class Dialect:
    """What a database writes its own way, in the statements the SQL indexes share."""

    tables: str
    """What a table's name is prefixed with: nothing, or the store's schema."""
    parameter: str
    """How a statement marks a value: ``?`` or ``%s``."""
    bounded: bool
    """Whether rows are read up to a revision's last sequence number (one more value)."""
    join_in_order: str
    """A join whose tables are read in the order written (SQLite: ``CROSS JOIN``)."""
    corrects_index: str
    """How the statement of the corrections names the index of correctors, if it must."""
    written_sources: str
    """What an actor's written rows read of their entries' sources: ``n.sources``, or
    ``NULL`` where the index reads them when first cited (`SqlIndex._sources_reader`)."""

    def render(self, template: str) -> str:
        """A shared template in this dialect."""
        upto = " AND {0}.seq <= ?" if self.bounded else ""
        where = " WHERE {0}.seq <= ?" if self.bounded else ""
        text = template.format(t=self.tables, upto=_Bound(upto), where=_Bound(where),
                               join_in_order=self.join_in_order,
                               corrects_index=self.corrects_index,
                               written_sources=self.written_sources)
        return text.replace("?", self.parameter)

    def queries(self) -> dict[str, str]:
        """Every shared statement of the indexes, in this dialect."""
        return {name: self.render(template) for name, template in INDEX_QUERIES.items()}


SQLITE = Dialect(tables="", parameter="?", bounded=False, join_in_order="CROSS JOIN",
                 # By the partial index of correctors: else SQLite walks every event in order.
                 corrects_index=" INDEXED BY events_corrects",
                 # Read when first cited, in one query by row number: most answers cite none.
                 written_sources="NULL")
POSTGRES = Dialect(tables="{s}.", parameter="%s", bounded=True, join_in_order="JOIN",
                   # With the rows: a later read is a round trip, and needs the connection.
                   corrects_index="", written_sources="n.sources")
