"""The peers of the real-data benchmark, each in its best form, answering what researchers ask
of the whole UN roll-call record: pandas (categorical columns, the frame built once) and plain
SQL (one row per ballot, covering indexes), both built from the same events as ours."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

import cybertimeline as ct

Ballot = tuple[str, str, str, str]
"""``(actor, resolution, option, event id)``."""


def ballots(timeline: ct.Timeline) -> Iterable[tuple[str, str, str, dt.date, str]]:
    """Every ballot of the timeline's known votes, in canonical order:
    ``(actor, resolution, option, latest day, event id)``."""
    for event in timeline.events(kind="vote"):
        assert isinstance(event, ct.Vote)
        for actor, option in event.votes.items():
            yield actor, event.resolution, option, event.date.latest, event.id


class PandasRecord:
    """pandas in its best form: one long frame of ballots in canonical order, categorical
    columns, the settled days as a sorted array; each answer a slice and a ``groupby.last``."""

    def __init__(self, timeline: ct.Timeline) -> None:
        frame = pd.DataFrame.from_records(list(ballots(timeline)),
                                          columns=["actor", "key", "option", "latest", "id"])
        for column in ("actor", "key", "option", "id"):
            frame[column] = frame[column].astype("category")
        frame["latest"] = pd.to_datetime(frame["latest"])
        self.frame = frame
        self.days = frame["latest"].to_numpy()

    def _settled(self, day: dt.date) -> pd.DataFrame:
        end = int(self.days.searchsorted(pd.Timestamp(day).to_datetime64(), side="right"))
        return self.frame.iloc[:end]

    def all_states(self, day: dt.date) -> pd.DataFrame:
        """Every state's votes as of ``day``: the last ballot of each (state, resolution)."""
        return self._settled(day).groupby(["actor", "key"], observed=True, sort=False).last()

    def resolution(self, key: str, day: dt.date) -> pd.DataFrame:
        """Every state's vote on one resolution as of ``day``."""
        rows = self._settled(day)
        return rows[rows["key"] == key].groupby("actor", observed=True).last()

    def panel(self, days: Sequence[dt.date]) -> pd.DataFrame:
        """The as-of panel: a row per (state, day), a column per resolution (its option)."""
        parts = []
        for day in days:
            last = self.all_states(day)["option"].unstack("key")
            last.index = pd.MultiIndex.from_product([last.index, [pd.Timestamp(day)]],
                                                    names=["actor", "as_of"])
            parts.append(last)
        return pd.concat(parts).sort_index()


class SqlRecord:
    """Plain SQL in its best form: one row per ballot with its canonical ordinal, a covering
    index on (state, key, ordinal) and one on (key, ordinal); the roll calls in a table of
    their own by ordinal (its primary key): the day each settles, and what a vote shows of
    it (its event, body, date and title)."""

    def __init__(self, timeline: ct.Timeline, path: Path) -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript("""
            CREATE TABLE rollcalls (ordinal INTEGER PRIMARY KEY, latest TEXT NOT NULL,
                event TEXT NOT NULL, date TEXT NOT NULL, body TEXT NOT NULL, title TEXT);
            CREATE TABLE ballots (state TEXT NOT NULL, key TEXT NOT NULL,
                ordinal INTEGER NOT NULL, option TEXT NOT NULL, event TEXT NOT NULL);
        """)
        ordinals: dict[str, int] = {}
        rows = []
        db.execute("BEGIN")
        for event in timeline.events(kind="vote"):
            assert isinstance(event, ct.Vote)
            ordinals[event.id] = len(ordinals)
            db.execute("INSERT INTO rollcalls VALUES (?, ?, ?, ?, ?, ?)", (
                ordinals[event.id], event.date.latest.isoformat(), event.id, str(event.date),
                event.body, event.title))
        for actor, key, option, _, event_id in ballots(timeline):
            rows.append((actor, key, ordinals[event_id], option, event_id))
        db.executemany("INSERT INTO ballots VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        db.executescript("""
            CREATE INDEX ballots_state ON ballots (state, key, ordinal, option, event);
            CREATE INDEX ballots_key ON ballots (key, ordinal, state, option, event);
            CREATE INDEX rollcalls_latest ON rollcalls (latest, ordinal);
        """)
        db.close()
        self.path = path

    @classmethod
    def at(cls, path: Path) -> SqlRecord:
        """The peer whose database was written at ``path`` (by another process)."""
        peer = cls.__new__(cls)
        peer.path = path
        return peer

    def open(self) -> sqlite3.Connection:
        return sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)

    @staticmethod
    def _end(db: sqlite3.Connection, day: dt.date) -> int:
        (found,) = db.execute("SELECT count(*) FROM rollcalls WHERE latest <= ?",
                              (day.isoformat(),)).fetchone()
        return int(found)

    def state_record(self, db: sqlite3.Connection, state: str, day: dt.date
                     ) -> dict[str, dict[str, str | None]]:
        """One state's whole record as of ``day``, as ours gives it: the last vote on each
        resolution with what its roll call says (event, body, date, title), in the order
        of those last votes."""
        rows = db.execute(
            "SELECT b.key, b.option, r.body, r.date, r.title, r.event FROM ballots b JOIN "
            "rollcalls r ON r.ordinal = b.ordinal WHERE b.state = ? AND b.ordinal < ? "
            "ORDER BY b.ordinal", (state, self._end(db, day)))
        record: dict[str, dict[str, str | None]] = {}
        for key, option, body, date, title, event in rows:
            record.pop(key, None)  # a later vote on the key: it moves to its place
            record[key] = {"option": option, "body": body, "date": date, "title": title,
                           "event": event}
        return record

    def state_options(self, db: sqlite3.Connection, state: str, day: dt.date
                      ) -> dict[str, tuple[str, str]]:
        """Two of a record's five fields only: the last (option, event) of each resolution
        (the peer this benchmark ran before it returned the whole record)."""
        rows = db.execute("SELECT key, option, event FROM ballots WHERE state = ? AND "
                          "ordinal < ? ORDER BY key, ordinal", (state, self._end(db, day)))
        return {key: (option, event) for key, option, event in rows}

    def resolution(self, db: sqlite3.Connection, key: str, day: dt.date
                   ) -> dict[str, tuple[str, str]]:
        """Every state's vote on one resolution as of ``day``."""
        rows = db.execute("SELECT state, option, event FROM ballots WHERE key = ? AND "
                          "ordinal < ? ORDER BY ordinal", (key, self._end(db, day)))
        return {state: (option, event) for state, option, event in rows}


def import_ballots(folder: Path, target: Path) -> int:
    """The import peer: the record's CSVs into plain SQLite ballot rows with three indexes,
    as a script would do it (csv, gzip, executemany). Returns the number of ballots."""
    import csv
    import gzip

    db = sqlite3.connect(target, isolation_level=None)
    db.executescript("""
        CREATE TABLE rollcalls (rcid INTEGER PRIMARY KEY, session INTEGER, date TEXT,
            unres TEXT, short TEXT);
        CREATE TABLE ballots (rcid INTEGER NOT NULL, country TEXT NOT NULL, vote TEXT NOT NULL);
    """)
    db.execute("BEGIN")
    with gzip.open(folder / "un_roll_calls.csv.gz", "rt", encoding="utf-8", newline="") as f:
        db.executemany("INSERT INTO rollcalls VALUES (?, ?, ?, ?, ?)",
                       ((r["rcid"], r["session"], r["date"], r["unres"], r["short"])
                        for r in csv.DictReader(f)))
    with gzip.open(folder / "un_votes.csv.gz", "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        db.executemany("INSERT INTO ballots VALUES (?, ?, ?)",
                       ((r["rcid"], r["country_code"], r["vote"]) for r in reader))
    db.execute("COMMIT")
    db.executescript("""
        CREATE INDEX ballots_country ON ballots (country, rcid, vote);
        CREATE INDEX ballots_rcid ON ballots (rcid, country, vote);
        CREATE INDEX rollcalls_date ON rollcalls (date, rcid);
    """)
    (count,) = db.execute("SELECT count(*) FROM ballots").fetchone()
    db.close()
    return int(count)

