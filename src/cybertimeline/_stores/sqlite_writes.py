"""The writes table of a SQLite store: each event's writes as rows, written with the event."""

from __future__ import annotations

import array
import contextlib
import itertools
import operator
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._stores.sql_ballots import NO_NAME, ballots_blob, batched, read_blob
from cybertimeline._stores.sql_rows import entries_made

if TYPE_CHECKING:
    from cybertimeline._model.event import WriteRow
    from cybertimeline._model.events import Event

__all__ = ["NO_NAME", "STAGED_EVENTS", "Names", "Writes", "ballots_blob", "batched",
           "insert_writes", "read_blob", "staged_writes", "write_rows"]

_ENTRY = ("INSERT INTO entries (seq, section, key, detail, sources, date, id, earliest, "
          "latest, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_BALLOTS = "INSERT INTO ballots (seq, section, ballots) VALUES (?, ?, ?)"
_WRITE = "INSERT INTO writes (whose, section, seq, value) VALUES (?, ?, ?, ?)"
_BY_EVENT = ("INSERT INTO writes (whose, section, seq, value) SELECT key, ?, ?, value "
             "FROM json_each(?)")
_BY_ACTOR = ("INSERT INTO writes (whose, section, seq, value) SELECT ?, ?, "
             "CAST(key AS INTEGER), value FROM json_each(?)")
STAGED_EVENTS = 100
"""From this many events an append gathers its writes (`staged_writes`)."""


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


_WHOSE, _SECTION, _VALUE = (operator.itemgetter(i) for i in (0, 1, 3))
"""The fields of a `WriteRow` that ``writes`` holds."""
_TEXT_OR_NONE = frozenset({str, type(None)})


class Writes:
    """The rows of ``writes`` an append inserts, in the caller's transaction.

    An event's rows of one section go in as one JSON object (whose -> value) that SQLite
    takes apart (``json_each``) at the speed of C, a third of the time of binding each
    row. A large batch (``gathered``) keeps them by actor and section instead, and
    `flush` inserts each actor's as one object (seq -> value), in the key order of
    ``writes``: a row inserted in event order lands at a random place in the table (its
    key starts with the actor), in key order SQLite appends and sorts nothing. Rows that
    JSON would not keep as binding does (an actor twice in a section, for the key to
    refuse; a value not text; a NUL, at which SQLite's JSON text ends) are bound one by one.
    """

    def __init__(self, writer: sqlite3.Connection, gathered: bool) -> None:
        self._writer = writer
        self._gathered: dict[str, dict[str, tuple[list[int], list[str | None]]]] | None = (
            {} if gathered else None)

    def add(self, section: str, seq: int, rows: Sequence[WriteRow]) -> None:
        """Insert, or gather, the rows of one section of the event of row ``seq``."""
        values = dict(zip(map(_WHOSE, rows), map(_VALUE, rows), strict=True))
        if not (len(values) == len(rows) and {str}.issuperset(map(type, values))
                and _TEXT_OR_NONE.issuperset(map(type, values.values()))):
            self._writer.executemany(_WRITE, [(w, s, seq, v) for w, s, _, v, _ in rows])
        elif self._gathered is None:
            self._insert(_BY_EVENT, (section, seq), values,
                         zip(values, itertools.repeat(section), itertools.repeat(seq),
                             values.values()))
        else:  # this loop runs once a ballot: its steps are few
            by_actor = self._gathered.setdefault(section, {})
            for actor, value in values.items():
                held = by_actor.get(actor)
                if held is None:
                    held = by_actor[actor] = ([], [])
                held[0].append(seq)
                held[1].append(value)

    def flush(self) -> None:
        """Insert the rows gathered, actor by actor, in the key order of ``writes``."""
        gathered = self._gathered or {}
        for actor, section in sorted((a, s) for s, by_actor in gathered.items() for a in by_actor):
            seqs, values = gathered[section][actor]
            self._insert(_BY_ACTOR, (actor, section), dict(zip(seqs, values, strict=True)),
                         zip(itertools.repeat(actor), itertools.repeat(section), seqs, values))
        gathered.clear()

    def _insert(self, statement: str, head: tuple[str, Any], values: dict[Any, str | None],
                rows: Iterable[tuple[str, str, int, str | None]]) -> None:
        """``values`` as one JSON object by ``statement``, ``head`` its first parameters;
        ``rows`` bound one by one where a value holds a NUL."""
        text = orjson.dumps(values, option=orjson.OPT_NON_STR_KEYS)
        if b"\\u0000" in text:
            self._writer.executemany(_WRITE, rows)
        else:
            self._writer.execute(statement, (*head, text.decode("utf-8")))


@contextlib.contextmanager
def staged_writes(writer: sqlite3.Connection, staged: bool) -> Iterator[Writes]:
    """Where `insert_writes` puts an append's rows of ``writes``: at once, or for a large
    batch (``staged``) gathered, and inserted in the table's key order when the block
    ends without an error (`Writes`): the whole UN record's 870,109 ballots in a fifth
    of the time of binding each row, in event order."""
    writes = Writes(writer, staged)
    yield writes
    writes.flush()


def insert_writes(writer: sqlite3.Connection, seq: int, event: Event, names: Names,
                  writes: Writes | None = None) -> set[str]:
    """Store the writes of ``event`` (row ``seq``), in the caller's transaction, by
    ``writes`` (`staged_writes`'; at once if None); return the actors it writes for
    (``event_actors`` holds only the others it involves)."""
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
    if writes is None:
        writes = Writes(writer, gathered=False)
    for section in firsts:
        writes.add(section, seq,
                   written if len(firsts) == 1 else [r for r in written if r[1] == section])
    return set(map(_WHOSE, written))


def write_rows(writer: sqlite3.Connection) -> None:
    """Fill the writes tables from every stored event's payload (the upgrade of an older store),
    in the caller's transaction, and each event's knowledge day as this library's rules
    give it (rule 7: an act done in public is known from its date). A payload that cannot
    be read gets no rows: the store still opens, and `validate` reports that event."""
    from cybertimeline._stores.mapper import map_payload

    rows: Iterable[tuple[int, int, str, str]] = writer.execute(
        "SELECT seq, format, payload, recorded FROM events ORDER BY seq").fetchall()
    names = Names(writer)
    with staged_writes(writer, True) as writes:
        for seq, version, payload, recorded in rows:
            event = map_payload(payload, version).event
            if event is None:
                continue
            insert_writes(writer, seq, event, names, writes)
            known = event.recorded_on.isoformat()
            if known != recorded:  # the knowledge days of rule 7 as this library reads them
                writer.execute("UPDATE events SET recorded = ? WHERE seq = ?", (known, seq))
    # What the writes now say of each actor, event_actors need not say again.
    writer.execute("DELETE FROM event_actors WHERE EXISTS (SELECT 1 FROM writes w WHERE "
                   "w.whose = event_actors.actor AND w.seq = event_actors.seq)")
