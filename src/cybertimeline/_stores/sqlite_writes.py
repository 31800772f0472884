"""The writes table of a SQLite store: each event's writes as rows, written with the event."""

from __future__ import annotations

import array
import contextlib
import operator
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._stores.sql_ballots import NO_NAME, ballots_blob, batched, read_blob
from cybertimeline._stores.sql_rows import entries_made

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["NO_NAME", "STAGED_EVENTS", "Names", "ballots_blob", "batched", "insert_writes",
           "read_blob", "staged_writes", "write_rows"]

_ENTRY = ("INSERT INTO entries (seq, section, key, detail, sources, date, id, earliest, "
          "latest, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_BALLOTS = "INSERT INTO ballots (seq, section, ballots) VALUES (?, ?, ?)"
_WRITE = "INSERT INTO writes (whose, section, seq, value) VALUES (?, ?, ?, ?)"
_STAGE = "INSERT INTO temp.staged_writes (whose, section, seq, value) VALUES (?, ?, ?, ?)"
STAGED_EVENTS = 100
"""From this many events an append stages its writes (`staged_writes`)."""


class Names:
    """The ids of the names that ballots hold (actors and values), within one transaction:
    read once, and new ones added as they come."""

    def __init__(self, writer: sqlite3.Connection) -> None:
        self._writer = writer
        self._ids: dict[str, int] = {
            name: key for key, name in writer.execute("SELECT id, name FROM names")}

    def id(self, name: str | None) -> int:
        """The id of ``name``, added if new."""
        if name is None:
            return NO_NAME
        found = self._ids.get(name)
        if found is None:
            cursor = self._writer.execute("INSERT INTO names (name) VALUES (?)", (name,))
            assert cursor.lastrowid is not None
            found = self._ids[name] = cursor.lastrowid
        return found

    def ids(self, names: Sequence[str | None]) -> list[int]:
        """`id` of each of ``names``, at the speed of C where every one is known."""
        if not names:
            return []
        try:
            found = operator.itemgetter(*names)(self._ids)
        except (KeyError, TypeError):  # a new name, or None
            return [self.id(name) for name in names]
        return [found] if len(names) == 1 else list(found)


@contextlib.contextmanager
def staged_writes(writer: sqlite3.Connection, staged: bool) -> Iterator[str]:
    """The statement that inserts a row of ``writes`` in the caller's transaction: for a
    large batch (``staged``), into a temporary table, whose rows go into ``writes`` in the
    table's key order when the block ends. A row inserted in event order lands at a
    random place in ``writes`` (its key starts with the actor); in key order SQLite
    appends: the whole UN record's 870,109 ballots take a third less time."""
    if not staged:
        yield _WRITE
        return
    writer.execute("CREATE TEMP TABLE IF NOT EXISTS staged_writes (whose, section, seq, value)")
    writer.execute("DELETE FROM temp.staged_writes")
    yield _STAGE
    writer.execute("INSERT INTO writes (whose, section, seq, value) SELECT whose, section, "
                   "seq, value FROM temp.staged_writes ORDER BY whose, section, seq")
    writer.execute("DELETE FROM temp.staged_writes")


def insert_writes(writer: sqlite3.Connection, seq: int, event: Event, names: Names,
                  statement: str = _WRITE) -> set[str]:
    """Store the writes of ``event`` (row ``seq``), in the caller's transaction, by
    ``statement`` (`staged_writes`'); return the actors it writes for (``event_actors``
    holds only the others it involves)."""
    written = event.written()
    entries = entries_made(event, written=written)
    ballots = []
    for section, *_ in entries:
        if section in COLUMNAR:
            ours = [row for row in written if row[1] == section]
            pairs = array.array("i", bytes(8 * len(ours)))
            pairs[0::2] = array.array("i", names.ids([row[0] for row in ours]))
            pairs[1::2] = array.array("i", names.ids([row[3] for row in ours]))
            if sys.byteorder == "big":
                pairs.byteswap()
            ballots.append((seq, section, pairs.tobytes()))
    writer.executemany(_ENTRY, [(seq, *row) for row in entries])
    if ballots:
        writer.executemany(_BALLOTS, ballots)
    writer.executemany(statement, [(whose, section, seq, value)
                                   for whose, section, _, value, _ in written])
    return {whose for whose, *_ in written}


def write_rows(writer: sqlite3.Connection) -> None:
    """Fill the writes tables from every stored event's payload (the upgrade of an older store),
    in the caller's transaction, and each event's knowledge day as this library's rules
    give it (rule 7: an act done in public is known from its date). A payload that cannot
    be read gets no rows: the store still opens, and `validate` reports that event."""
    from cybertimeline._stores.mapper import map_payload

    rows: Iterable[tuple[int, int, str, str]] = writer.execute(
        "SELECT seq, format, payload, recorded FROM events ORDER BY seq").fetchall()
    names = Names(writer)
    with staged_writes(writer, True) as statement:
        for seq, version, payload, recorded in rows:
            event = map_payload(payload, version).event
            if event is None:
                continue
            insert_writes(writer, seq, event, names, statement)
            known = event.recorded_on.isoformat()
            if known != recorded:  # the knowledge days of rule 7 as this library reads them
                writer.execute("UPDATE events SET recorded = ? WHERE seq = ?", (known, seq))
    # What the writes now say of each actor, event_actors need not say again.
    writer.execute("DELETE FROM event_actors WHERE EXISTS (SELECT 1 FROM writes w WHERE "
                   "w.whose = event_actors.actor AND w.seq = event_actors.seq)")
