"""The writes table of a SQLite store: each event's writes as rows, written with the event."""

from __future__ import annotations

import array
import contextlib
import itertools
import operator
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence

import orjson

from cybertimeline._model.event import COLUMNAR, WriteRow
from cybertimeline._model.events import Event
from cybertimeline._stores.sql_rows import entries_made

__all__ = ["NO_NAME", "STAGED_EVENTS", "Names", "ballots_blob", "batched", "insert_writes",
           "read_blob", "staged_writes", "write_rows"]

_ENTRY = ("INSERT INTO entries (seq, section, key, detail, sources, date, id, earliest, "
          "latest, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_BALLOTS = "INSERT INTO ballots (seq, section, ballots) VALUES (?, ?, ?)"
_WRITE = "INSERT INTO {table} (whose, section, seq, value) VALUES (?, ?, ?, ?)"
_WRITE_OBJECT = ("INSERT INTO {table} (whose, section, seq, value) SELECT key, ?, ?, value "
                 "FROM json_each(?)")
STAGED_EVENTS = 100
"""From this many events an append stages its writes (`staged_writes`)."""
NO_NAME = 0
"""The id of no name (a write without a value); ``names`` counts from 1."""


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


def ballots_blob(pairs: Iterable[tuple[int, int]]) -> bytes:
    """``(actor id, value id)`` pairs as the ``ballots`` column holds them."""
    packed = array.array("i", [number for pair in pairs for number in pair])
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def read_blob(blob: bytes) -> array.array[int]:
    """The ids a ``ballots`` column holds, in order (actor, value, actor, value...).

    Raises:
        ValueError: it is no whole number of pairs.
    """
    if not isinstance(blob, bytes) or len(blob) % 8:
        raise ValueError("a ballots column of another shape")
    ids = array.array("i")
    ids.frombytes(blob)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def batched(values: Sequence[int], size: int) -> Iterator[tuple[int, ...]]:
    """``values`` in tuples of ``size`` (itertools.batched, of Python 3.12)."""
    return zip(*[iter(values)] * size, strict=True)


@contextlib.contextmanager
def staged_writes(writer: sqlite3.Connection, staged: bool) -> Iterator[str]:
    """The table `insert_writes` writes to in the caller's transaction: ``writes``, or for
    a large batch (``staged``) a temporary table, whose rows go into ``writes`` in the
    table's key order when the block ends. A row inserted in event order lands at a
    random place in ``writes`` (its key starts with the actor); in key order SQLite
    appends: the whole UN record's 870,109 ballots take a third less time."""
    if not staged:
        yield "writes"
        return
    writer.execute("CREATE TEMP TABLE IF NOT EXISTS staged_writes (whose, section, seq, value)")
    writer.execute("DELETE FROM temp.staged_writes")
    yield "temp.staged_writes"
    writer.execute("INSERT INTO writes (whose, section, seq, value) SELECT whose, section, "
                   "seq, value FROM temp.staged_writes ORDER BY whose, section, seq")
    writer.execute("DELETE FROM temp.staged_writes")


_WHOSE, _SECTION, _VALUE = (operator.itemgetter(i) for i in (0, 1, 3))
"""The fields of a `WriteRow` that ``writes`` holds."""
_TEXT_OR_NONE = frozenset({str, type(None)})


def insert_writes(writer: sqlite3.Connection, seq: int, event: Event, names: Names,
                  table: str = "writes") -> set[str]:
    """Store the writes of ``event`` (row ``seq``), in the caller's transaction, in ``table``
    (`staged_writes`'); return the actors it writes for (``event_actors`` holds only the
    others it involves)."""
    written = event.written()
    # A section's rows share its key and detail: its first row makes its entry. Each step
    # below runs once a ballot (870,109 for the UN record), so each is a loop of C.
    firsts = dict(zip(map(_SECTION, written), written, strict=True))
    entries = entries_made(event, written=list(firsts.values()))
    ballots = []
    for section, *_ in entries:
        if section in COLUMNAR:
            ours = written if len(firsts) == 1 else [r for r in written if r[1] == section]
            pairs = array.array("i", bytes(8 * len(ours)))
            pairs[0::2] = array.array("i", names.ids(list(map(_WHOSE, ours))))
            pairs[1::2] = array.array("i", names.ids(list(map(_VALUE, ours))))
            if sys.byteorder == "big":
                pairs.byteswap()
            ballots.append((seq, section, pairs.tobytes()))
    writer.executemany(_ENTRY, [(seq, *row) for row in entries])
    if ballots:
        writer.executemany(_BALLOTS, ballots)
    for section in firsts:
        ours = written if len(firsts) == 1 else [r for r in written if r[1] == section]
        _insert_values(writer, table, section, seq, ours)
    return set(map(_WHOSE, written))


def _insert_values(writer: sqlite3.Connection, table: str, section: str, seq: int,
                   rows: Sequence[WriteRow]) -> None:
    """The rows of ``writes`` of one section of an event: as one JSON object (whose ->
    value) that SQLite takes apart (``json_each``) at the speed of C, a third of the time
    of binding each row; bound row by row where JSON would not keep them as binding does
    (an actor twice, for the key to refuse; a value not text; a NUL, at which SQLite's
    JSON text ends)."""
    values = dict(zip(map(_WHOSE, rows), map(_VALUE, rows), strict=True))
    if (len(values) == len(rows) and {str}.issuperset(map(type, values))
            and _TEXT_OR_NONE.issuperset(map(type, values.values()))):
        text = orjson.dumps(values)
        if b"\\u0000" not in text:
            writer.execute(_WRITE_OBJECT.format(table=table),
                           (section, seq, text.decode("utf-8")))
            return
    writer.executemany(_WRITE.format(table=table), zip(
        map(_WHOSE, rows), map(_SECTION, rows), itertools.repeat(seq), map(_VALUE, rows)))


def write_rows(writer: sqlite3.Connection) -> None:
    """Fill the writes tables from every stored event's payload (the upgrade of an older store),
    in the caller's transaction, and each event's knowledge day as this library's rules
    give it (rule 7: an act done in public is known from its date). A payload that cannot
    be read gets no rows: the store still opens, and `validate` reports that event."""
    from cybertimeline._stores.mapper import map_payload

    rows: Iterable[tuple[int, int, str, str]] = writer.execute(
        "SELECT seq, format, payload, recorded FROM events ORDER BY seq").fetchall()
    names = Names(writer)
    with staged_writes(writer, True) as table:
        for seq, version, payload, recorded in rows:
            event = map_payload(payload, version).event
            if event is None:
                continue
            insert_writes(writer, seq, event, names, table)
            known = event.recorded_on.isoformat()
            if known != recorded:  # the knowledge days of rule 7 as this library reads them
                writer.execute("UPDATE events SET recorded = ? WHERE seq = ?", (known, seq))
    # What the writes now say of each actor, event_actors need not say again.
    writer.execute("DELETE FROM event_actors WHERE EXISTS (SELECT 1 FROM writes w WHERE "
                   "w.whose = event_actors.actor AND w.seq = event_actors.seq)")
