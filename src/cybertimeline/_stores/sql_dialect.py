"""The statements both SQL indexes run, written once, and what each database says its own way.

Both stores keep the same tables (``events``, ``event_actors``, ``event_instruments``,
``entries``, ``writes``, ``ballots``, ``names``), so every statement of their shared
index (`SqlIndex`) is written here once. A template names its tables ``{t}events``, its
values ``?``, and marks where rows are bounded by a revision (``{upto.e}``: PostgreSQL
reads rows up to the last sequence number of the revision it read, a bound that comes
last in the statement; SQLite reads one version in a read transaction, and needs none).
A `Dialect` fills these in.
"""

from __future__ import annotations

import itertools

import attrs

from cybertimeline._model.vocabulary import COLUMNAR

__all__ = ["BOUNDED", "ENTRY_COLUMNS", "EVENT_COLUMNS", "INDEX_QUERIES", "OTHERS_RANGES",
           "POSTGRES", "SQLITE", "Dialect"]

EVENT_COLUMNS = "e.seq, e.format, e.payload, e.id, e.corrects"
"""What `SqlIndex._parse` reads of an event's row (``e``: the events table): its payload,
and the columns to check it against."""
ENTRY_COLUMNS = "n.seq, n.id, n.latest, n.recorded, n.date, n.key, n.detail, n.sources"
"""An entry's columns as `Entries.of_columns` reads them (``n``: the entries table)."""

# As `Entries.of_elided` reads them: most entries' recorded day and date are their latest
# day, and then read as one NULL (no text to make).
_ELIDED_COLUMNS = ("n.seq, n.id, n.latest, CASE WHEN n.recorded = n.latest AND n.date = "
                   "n.latest THEN NULL ELSE n.recorded || ' ' || n.date END, n.key, n.detail"
                   "{written_sources}")
_ORDER = "ORDER BY e.latest, e.earliest, e.id"
_ENTRY_ORDER = "ORDER BY n.latest, n.earliest, n.id"
_COLUMNAR = ", ".join(f"'{section}'" for section in sorted(COLUMNAR))
_BOUNDS = sorted(COLUMNAR)
_OUTSIDE = " UNION ALL ".join(
    f"SELECT seq FROM {{t}}writes WHERE whose = ? AND {condition}" for condition in (
        f"section < '{_BOUNDS[0]}'",
        *(f"section > '{low}' AND section < '{high}'"
          for low, high in itertools.pairwise(_BOUNDS)),
        f"section > '{_BOUNDS[-1]}'"))
"""An actor's writes outside the columnar sections, as ranges of the primary key of
``writes`` (whose, section, row): not a walk of its thousands of votes. The actor is given
once for each range (`OTHERS_RANGES`)."""
_OUTSIDE_ROWS = _OUTSIDE.replace("SELECT seq FROM", "SELECT seq, section FROM")
"""The same, with the section of each write."""
OTHERS_RANGES = len(_BOUNDS) + 1
"""How many times the statement ``others`` takes the actor."""
_BALLOTS = ("SELECT {columns}, b.ballots FROM {{t}}entries n{index} LEFT JOIN {{t}}ballots b ON "
            "b.seq = n.seq AND b.section = n.section WHERE n.section = ?{key}{{upto.n}} "
            "{order}")

INDEX_QUERIES = {
    "get": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e WHERE e.id = ?",
    "all": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e{{where.e}} {_ORDER}",
    "instrument": f"SELECT {EVENT_COLUMNS} FROM {{t}}event_instruments i JOIN {{t}}events e "
                  f"ON e.seq = i.seq WHERE i.instrument = ?{{upto.i}} {_ORDER}",
    "correctors": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e{{corrects_index}} WHERE "
                  f"e.corrects IS NOT NULL{{upto.e}} {_ORDER}",
    # The same, as the rows the known set reads (`Corrections`): their events read later.
    "corrections": "SELECT e.seq, e.id, e.kind, e.recorded, e.corrects FROM {t}events "
                   "e{corrects_index} WHERE e.corrects IS NOT NULL{upto.e} " + _ORDER,
    # An actor's rows first, then their entries (`Dialect.join_in_order`), sorted: not every
    # entry to find its rows among them.
    # The recorded day and the date as NULL where they are the latest day (no text to
    # make: `Entries.of_elided`); the sources as the dialect reads them.
    "written": f"SELECT {_ELIDED_COLUMNS}, w.value FROM {{t}}writes w {{join_in_order}} "
               "{t}entries n ON n.seq = w.seq AND n.section = w.section WHERE w.whose = ? "
               f"AND w.section = ?{{upto.w}} {_ENTRY_ORDER}",
    # A section's entries, as "written" reads an actor's (without its values).
    "section_entries": f"SELECT {_ELIDED_COLUMNS} FROM {{t}}entries n WHERE n.section = ?"
                       f"{{upto.n}} {_ENTRY_ORDER}",
    "section_size": "SELECT count(*) FROM {t}entries n WHERE n.section = ?{upto.n}",
    # The events an actor is involved in: those that write for it, and the others.
    "actor": f"SELECT {EVENT_COLUMNS} FROM {{t}}events e WHERE e.seq IN (SELECT seq FROM "
             "{t}event_actors WHERE actor = ? UNION SELECT seq FROM {t}writes WHERE "
             f"whose = ?){{upto.e}} {_ORDER}",
    # An actor's events that write its sections but the columnar ones, as rows: an event's
    # once per section it writes for the actor, with its key there (the events decoded
    # when read: `StoredEvents`; the writes by section from the rows)...
    "others": f"SELECT {EVENT_COLUMNS}, e.latest, w.section, n.key FROM ({_OUTSIDE_ROWS}) w "
              "JOIN {t}events e ON e.seq = w.seq JOIN {t}entries n ON n.seq = w.seq AND "
              f"n.section = w.section{{where.e}} {_ORDER}, w.section",
    # ...and every actor's at once, with whose they are.
    "all_others": f"SELECT w.whose, {EVENT_COLUMNS} FROM {{t}}events e JOIN {{t}}writes w ON "
                  f"w.seq = e.seq WHERE w.section NOT IN ({_COLUMNAR}){{upto.w}} {_ORDER}",
    # An actor's values in a section, whose entries are read whole once (`section_entries`).
    "actor_values": "SELECT w.seq, w.value FROM {t}writes w WHERE w.whose = ? AND "
                    "w.section = ?{upto.w}",
    # A key's or a section's entries, each with its ballots (`sql_ballots`).
    "key_ballots": _BALLOTS.format(columns=ENTRY_COLUMNS, key=" AND n.key = ?",
                                   order=_ENTRY_ORDER, index="{key_index}"),
    "section_ballots": _BALLOTS.format(columns=ENTRY_COLUMNS, key="", order=_ENTRY_ORDER,
                                       index=""),
    "names": "SELECT id, name FROM {t}names",
}
"""The statements of the SQL indexes (`SqlIndex._rows`) that both databases run."""

BOUNDED = frozenset(name for name, template in INDEX_QUERIES.items()
                    if "{upto." in template or "{where." in template)
"""The shared statements that take a revision's last sequence number as their last value,
where the dialect is `Dialect.bounded`."""


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
    key_index: str
    """How the statement of a key's ballots names the index of entries by key, if it must."""
    written_sources: str
    """What an actor's written rows read of their entries' sources: ``, n.sources``, or
    nothing where the index reads them when first cited (`SqlIndex._sources_reader`)."""

    def render(self, template: str) -> str:
        """A shared template in this dialect."""
        upto = " AND {0}.seq <= ?" if self.bounded else ""
        where = " WHERE {0}.seq <= ?" if self.bounded else ""
        text = template.format(t=self.tables, upto=_Bound(upto), where=_Bound(where),
                               join_in_order=self.join_in_order,
                               corrects_index=self.corrects_index,
                               key_index=self.key_index,
                               written_sources=self.written_sources)
        return text.replace("?", self.parameter)

    def queries(self) -> dict[str, str]:
        """Every shared statement of the indexes, in this dialect."""
        return {name: self.render(template) for name, template in INDEX_QUERIES.items()}


SQLITE = Dialect(tables="", parameter="?", bounded=False, join_in_order="CROSS JOIN",
                 # By the partial index of correctors: else SQLite walks every event in order.
                 corrects_index=" INDEXED BY events_corrects",
                 # A key's few entries, not the section's in order (`entries_canonical`).
                 key_index=" INDEXED BY entries_by_key",
                 # Read when first cited, in one query by row number: most answers cite none.
                 written_sources="")
POSTGRES = Dialect(tables="{s}.", parameter="%s", bounded=True, join_in_order="JOIN",
                   # With the rows: a later read is a round trip, and needs the connection.
                   corrects_index="", key_index="", written_sources=", n.sources")
