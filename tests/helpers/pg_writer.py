"""Writer processes for the PostgreSQL fault tests (``tests/test_postgres_writers.py``).

    python pg_writer.py hang URL ID
        appends event ID, and stops inside the transaction once its rows are copied in,
        before COMMIT, printing "inside", until it is killed.
    python pg_writer.py retry URL PREFIX COUNT
        appends PREFIX-0 ... PREFIX-(COUNT-1), printing each id once it is stored. An append
        cut by a lost server is tried again; one then refused as a duplicate had been
        committed before the connection went, and counts as stored.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

import cybertimeline as ct
from cybertimeline._stores.postgres import PostgresStore

SOURCE = (ct.Source(title="writer test"),)
RETRY_SECONDS = 120


def statement(event_id: str) -> ct.Statement:
    return ct.Statement(id=event_id, date=ct.Date.parse("2020-05"), actor="CAN",
                        topic="budapest-convention", stance="supports", summary=event_id,
                        sources=SOURCE)


def hang(url: str, event_id: str) -> None:
    original = PostgresStore._insert

    def insert_then_wait(self: PostgresStore, db: Any, events: Sequence[ct.Event]) -> None:
        original(self, db, events)
        print("inside", flush=True)
        time.sleep(3600)

    PostgresStore._insert = insert_then_wait  # type: ignore[method-assign]
    ct.load(url).append(statement(event_id))


def retry(url: str, prefix: str, count: int) -> None:
    timeline = ct.load(url)
    for number in range(count):
        event_id = f"{prefix}-{number}"
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                timeline.append(statement(event_id))
                break
            except ct.ValidationError as exc:
                if f"duplicate id {event_id!r}" not in str(exc):
                    raise
                break  # its commit reached the server before the connection went
            except ct.TimelineError as exc:
                lost = "lost the connection" in str(exc) or "cannot reach" in str(exc)
                if not lost or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        print(event_id, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "hang":
        hang(sys.argv[2], sys.argv[3])
    else:
        retry(sys.argv[2], sys.argv[3], int(sys.argv[4]))
