"""The writes table of a SQLite store: each event's writes as rows, written with the event."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import orjson

from cybertimeline._codec.reading import event_from_dict
from cybertimeline._codec.versions import check_version, upcast
from cybertimeline._model.events import Event
from cybertimeline.errors import Problem, ValidationError

__all__ = ["insert_writes", "write_rows"]

_ENTRY = "INSERT INTO entries (seq, section, key, detail, date) VALUES (?, ?, ?, ?, ?)"
_WRITE = "INSERT INTO writes (whose, section, seq, value) VALUES (?, ?, ?, ?)"


def insert_writes(writer: sqlite3.Connection, seq: int, event: Event) -> None:
    """Store the writes of ``event`` (row ``seq``), in the caller's transaction."""
    rows = event.written()
    date = str(event.date)
    writer.executemany(_ENTRY, list({(seq, section, key, detail, date): None
                                     for _, section, key, _, detail in rows}))
    writer.executemany(_WRITE, [(whose, section, seq, value)
                                for whose, section, _, value, _ in rows])


def write_rows(writer: sqlite3.Connection, path: Path) -> None:
    """Fill the writes table from every stored event's payload (the upgrade from schema 1),
    in the caller's transaction.

    Raises:
        ValidationError: a payload cannot be read: the store must be repaired first.
    """
    rows: Iterable[tuple[int, int, str]] = writer.execute(
        "SELECT seq, format, payload FROM events ORDER BY seq").fetchall()
    for seq, version, payload in rows:
        try:
            if check_version(version) is not None:
                raise ValueError(check_version(version))
            event = event_from_dict(upcast(orjson.loads(payload), version))
        except Exception as exc:  # the row was written by something else: report it
            raise ValidationError([Problem(
                message=f"the event of row {seq} cannot be read ({type(exc).__name__}: "
                        f"{exc}), so the store cannot be upgraded to the current schema; "
                        f"repair it (`cybertimeline validate` lists every problem)",
                file=path)]) from None
        insert_writes(writer, seq, event)
