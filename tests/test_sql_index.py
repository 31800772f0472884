"""One index logic for the SQL stores (issue 25): SQLite and PostgreSQL run the same
statements, written once (`sql_dialect`), and differ only in their dialect; SQLite's fast
paths survive the sharing."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._stores.sql_dialect import (
    BOUNDED,
    INDEX_QUERIES,
    OTHERS_RANGES,
    POSTGRES,
    SQLITE,
)
from tests.postgres_server import require
from tests.store_contract import statement, validate_problems


@pytest.mark.parametrize("name", sorted(INDEX_QUERIES))
def test_each_shared_statement_differs_only_in_dialect(name: str) -> None:
    lite, pg = SQLITE.render(INDEX_QUERIES[name]), POSTGRES.render(INDEX_QUERIES[name])
    assert "{" not in lite
    assert "%s" not in lite
    assert "?" not in pg
    # PostgreSQL bounds what the index reads by the revision's last row (one more value)...
    bounded = name in BOUNDED
    assert bounded == (name not in ("get", "names"))  # names are read whole: they only grow
    assert pg.count("%s") == lite.count("?") + bounded
    # ...and names the store's schema; else the statements are the same.
    normalized = (pg.replace("{s}.", "").replace("%s", "?")
                  .replace("writes w JOIN", "writes w CROSS JOIN")
                  .replace(" WHERE e.seq <= ?", "").replace(" AND e.seq <= ?", ""))
    for alias in "inw":
        normalized = normalized.replace(f" AND {alias}.seq <= ?", "")
    if name in ("written", "section_entries"):  # SQLite leaves entries' sources for later
        normalized = normalized.replace("n.detail, n.sources", "n.detail")
    assert normalized == (lite.replace(" INDEXED BY events_corrects", "")
                          .replace(" INDEXED BY entries_by_key", ""))


def _plan(path: Path, name: str, args: tuple[str, ...]) -> str:
    db = sqlite3.connect(path)
    try:
        rows = db.execute(f"EXPLAIN QUERY PLAN {SQLITE.render(INDEX_QUERIES[name])}",
                          args).fetchall()
    finally:
        db.close()
    return " | ".join(row[-1] for row in rows)


def test_sqlites_fast_paths_stay_in_the_shared_statements(tmp_path: Path) -> None:
    """The corrections by their partial index, not a walk of every event; an actor's rows of
    writes first, then their entries by row number (the joined path of a first query)."""
    path = tmp_path / "store.sqlite"
    ct.copy_into(ct.load(), path).close()
    with ct.load(path) as timeline:
        timeline.append(statement("can-x"))
    assert "events_corrects" in _plan(path, "correctors", ())
    written = _plan(path, "written", ("KOR", "votes"))
    assert written.index("w") < written.index("n")
    assert "SCAN n" not in written
    assert written.startswith("SEARCH w")
    # The statements moved into the shared index keep SQLite's indexed paths: an actor's
    # events by its rows (no walk of every event), a key's ballots by the entries' index.
    for name, args in (("actor", ("KOR", "KOR")), ("others", ("KOR",) * OTHERS_RANGES)):
        plan = _plan(path, name, args)
        assert "SEARCH e USING INTEGER PRIMARY KEY" in plan, plan
        assert "SEARCH writes USING PRIMARY KEY (whose=?" in plan, plan
        # (The actor's rows outside the columnar sections are read by their ranges, then
        # walked: no other walk.)
        assert "SCAN" not in plan.replace("SCAN w |", ""), plan
    # An actor's other events by the ranges of its writes outside the columnar sections,
    # not a walk of its votes.
    assert "SEARCH writes USING PRIMARY KEY (whose=? AND section<?)" in _plan(
        path, "others", ("KOR",) * OTHERS_RANGES)
    assert "SEARCH event_actors USING PRIMARY KEY (actor=?)" in _plan(path, "actor",
                                                                     ("KOR", "KOR"))
    assert _plan(path, "actor_values", ("KOR", "votes")) == (
        "SEARCH w USING PRIMARY KEY (whose=? AND section=?)")
    for name, args, index in (("key_ballots", ("votes", "A/RES/74/247"), "entries_by_key"),
                              ("section_ballots", ("votes",), "entries_canonical")):
        plan = _plan(path, name, args)
        assert plan.startswith(f"SEARCH n USING INDEX {index}"), plan
        assert "SEARCH b USING INDEX" in plan, plan
    # A section's entries (an actor's first position reads every roll call's) from their
    # covering index alone, in canonical order: no lookup of each row, no sort.
    assert _plan(path, "section_entries", ("votes",)) == (
        "SEARCH n USING COVERING INDEX entries_canonical (section=?)")
    assert "SEARCH e USING INTEGER PRIMARY KEY" in _plan(path, "all_others", ())


# -- validate's row checks, on both ---------------------------------------------------------

_CHANGES = {
    "a column": ("UPDATE {t}events SET latest = '1999-01-01' WHERE id = 'can-1'",
                 "its columns"),
    "an actor's index row": ("INSERT INTO {t}event_actors (actor, seq) SELECT 'USA', seq "
                             "FROM {t}events WHERE id = 'can-1'", "index rows"),
    "an instrument's index row": ("INSERT INTO {t}event_instruments (instrument, seq) SELECT "
                                  "'budapest-convention', seq FROM {t}events WHERE "
                                  "id = 'can-1'", "index rows"),
}


def _changed_sqlite(tmp_path: Path, change: str) -> str:
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend([statement("can-1"), statement("can-2")])
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(change.format(t=""))
    finally:
        db.close()
    return str(path)


def _changed_postgres(tmp_path: Path, change: str) -> str:
    cluster = require()
    url = cluster.new_store_url()
    with ct.create(url) as timeline:
        timeline.extend([statement("can-1"), statement("can-2")])
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(change.format(t=f'"{schema}".'))
    return url


@pytest.mark.parametrize("store", [_changed_sqlite, _changed_postgres],
                         ids=["sqlite", "postgres"])
@pytest.mark.parametrize("what", sorted(_CHANGES))
def test_validate_checks_the_same_rows_on_both(what: str, store: Callable[[Path, str], str],
                                               tmp_path: Path) -> None:
    """A row's columns or index rows changed by hand: validate names the row on SQLite and on
    PostgreSQL alike (PostgreSQL's once checked only its rows of writes)."""
    change, expected = _CHANGES[what]
    with pytest.raises(ct.ValidationError) as caught, ct.load(store(tmp_path, change)) as tl:
        tl.validate()
    found = [p.message for p in caught.value.problems]
    assert any(m.startswith("row ") and "('can-1')" in m and expected in m for m in found), found


# -- ballots and names changed by hand: the same problems on both ---------------------------

_BALLOT_CHANGES = {
    # (SQLite's statement, PostgreSQL's)
    "a-ballots-blob-cut-short": (
        "UPDATE {t}ballots SET ballots = substr(ballots, 9) WHERE seq = (SELECT seq FROM "
        "{t}events WHERE id = 'unga-vote-74-247')",
        "UPDATE {t}ballots SET ballots = substring(ballots from 9) WHERE seq = (SELECT seq "
        "FROM {t}events WHERE id = 'unga-vote-74-247')"),
    "a-ballots-row-deleted": (
        "DELETE FROM {t}ballots WHERE seq = (SELECT seq FROM {t}events WHERE "
        "id = 'unga-vote-73-27')",) * 2,
    "a-name-changed": ("UPDATE {t}names SET name = 'XXX' WHERE name = 'KOR'",) * 2,
    "a-names-id-changed": ("UPDATE {t}names SET id = 9999 WHERE name = 'abstain'",) * 2,
}


@pytest.mark.parametrize("what", sorted(_BALLOT_CHANGES))
def test_validate_says_the_same_of_changed_ballots_on_both(what: str, tmp_path: Path) -> None:
    """The bundled dataset in SQLite and in PostgreSQL, the same ballots or names changed by
    hand in each: validate reports the same problems, in the same words, at the same rows."""
    lite, pg = _BALLOT_CHANGES[what]
    path = tmp_path / "store.sqlite"
    ct.copy_into(ct.load(), path).close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(lite.format(t=""))
    cluster = require()
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    with cluster.superuser() as db:
        db.execute(pg.format(t=f'"{url.rsplit("schema=", 1)[1]}".'))
    found = validate_problems(str(path))
    assert found == validate_problems(url)
    assert found, what
    assert all("rows in writes and entries disagree with the writes of its payload" in m
               for m in found), found


# -- an actor's columnar writes, read with the section's entries or with its own ------------

def _vote(number: int, day: str, votes: dict[str, str], **fields: Any) -> ct.Vote:
    return ct.Vote(id=f"vote-{number}", date=ct.Date.parse(day), body="UNGA",
                   resolution=f"A/RES/{number % 7}", votes=votes,
                   sources=[ct.Source(title=f"Record {number}")], **fields)


@pytest.mark.parametrize("share", [0, 2, 10**9])
def test_an_actors_votes_read_either_way_are_the_memory_stores(
        share: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the section's entries read whole (shared by later actors' queries) or with the
    actor's own entries alone (a join), a fresh store answers as memory does: appended out of
    order (row order is not canonical order), with a day that is several, a correction and an
    actor that voted on few of them."""
    from cybertimeline._stores import sql_index

    monkeypatch.setattr(sql_index, "SHARED_SHARE", share)
    events: list[ct.Event] = []
    for number in range(40, 0, -1):  # the latest first
        votes = {"CAN": "yes", "RUS": "no" if number % 3 else "abstain"}
        if number % 9 == 0:
            votes["SSD"] = "yes"
        day = f"20{10 + number // 12}-{1 + number % 12:02d}" if number % 5 else (
            f"20{10 + number // 12}")
        events.append(_vote(number, day, votes))
    events.append(_vote(41, "2016-05-01", {"CAN": "no", "RUS": "no"},
                        supersedes="vote-30", recorded=ct.Date.parse("2016-06-01")))
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
        ct.copy_into(timeline, tmp_path / "memory.jsonl").close()
    expected = ct.load(tmp_path / "memory.jsonl")  # held in memory
    for actor in ("SSD", "CAN", "RUS", "FRA"):
        for as_of, known_at in (("2030-01-01", None), ("2013-06", None),
                                ("2030-01-01", "2016-05-15")):
            with ct.load(path) as fresh:  # each query a store's first
                assert (fresh.position(actor, as_of=as_of, known_at=known_at).to_dict()
                        == expected.position(actor, as_of=as_of,
                                             known_at=known_at).to_dict()), (actor, as_of)


def test_a_sparse_voter_is_read_by_a_join_and_a_constant_one_with_the_whole_section(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh store reads a state that voted on few roll calls with its own entries alone,
    and one that voted on all of them with the section's entries, read whole: the section's
    size is told by its ballots' rows, as roll calls are appended by other writers too."""
    from cybertimeline._stores.sqlite_index import SqliteIndex

    read: list[tuple[str, str]] = []
    for method in ("_joined", "_gathered"):
        real = getattr(SqliteIndex, method)

        def recorded(index: SqliteIndex, actor: str, *args: Any, _real: Any = real,
                     _method: str = method) -> Any:
            read.append((actor, _method))
            return _real(index, actor, *args)

        monkeypatch.setattr(SqliteIndex, method, recorded)
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(_vote(n, f"2010-{1 + n % 12:02d}", {"CAN": "yes", **(
            {"SSD": "no"} if n % 10 == 0 else {})}) for n in range(1, 41))
    for more in (False, True):
        if more:  # sixty more, appended by another writer
            with ct.load(path) as other:
                other.extend(_vote(n, "2011-01", {"CAN": "no"}) for n in range(41, 101))
        for actor, expected in (("SSD", "_joined"), ("CAN", "_gathered")):
            read.clear()
            with ct.load(path) as fresh:
                fresh.position(actor)
            assert read == [(actor, expected)], (actor, more)


# -- corrections read as rows, their events when first asked for ----------------------------

def _corrected(tmp_path: Path, store: Callable[[Path, str], str]) -> str:
    """A store of two statements, the second superseded and its supersession retracted."""
    fix = statement("can-3", date="2020-06", supersedes="can-2", quote="Fixed")
    undo = ct.Retraction(id="undo", date=ct.Date.parse("2020-07"), retracts="can-3",
                         reason="Misread", sources=[ct.Source(title="Erratum")])
    source = store(tmp_path, "SELECT 1")
    with ct.load(source) as timeline:
        timeline.extend([fix, undo])
    return source


@pytest.mark.parametrize("store", [_changed_sqlite, _changed_postgres],
                         ids=["sqlite", "postgres"])
def test_corrections_are_read_as_rows_and_their_events_when_asked_for(
        store: Callable[[Path, str], str], tmp_path: Path) -> None:
    """The known set reads the corrections' rows; their events, read when asked for, are
    those of the version the rows were read from, even after another writer appended."""
    source = _corrected(tmp_path, store)
    with ct.load(source) as timeline:
        # The supersession is retracted: what it superseded stands.
        assert timeline.position("CAN").stances["budapest-convention"].event_id == "can-2"
        known = timeline._versions.current().known
        rows = known.correctors()
        with ct.load(source) as other:
            other.append(statement("can-4", date="2020-08", supersedes="can-1"))
        assert sorted(rows) == ["can-2", "can-3"]
        assert [e.id for e in rows["can-2"]] == ["can-3"]
        assert [e.id for e in rows["can-3"]] == ["undo"]
        assert [e.id for e in timeline.corrections()] == ["can-3", "undo", "can-4"]


@pytest.mark.parametrize("store", [_changed_sqlite, _changed_postgres],
                         ids=["sqlite", "postgres"])
@pytest.mark.parametrize("change", [
    "UPDATE {t}events SET payload = replace(payload, '\"Misread\"', '3') WHERE id = 'undo'",
    "UPDATE {t}events SET kind = 'signature' WHERE id = 'undo'",
    "UPDATE {t}events SET payload = replace(payload, '\"can-2\"', '\"can-1\"') WHERE id = "
    "'can-3'",
])
def test_a_correction_changed_by_hand_is_an_error_when_its_event_is_read(
        store: Callable[[Path, str], str], change: str, tmp_path: Path) -> None:
    """A correction's payload (or kind) changed by hand (a field of another type, another
    kind, another event corrected): reading its event says the store was changed and how
    to find out more, and validate names it."""
    source = _corrected(tmp_path, store)
    if source.startswith("postgresql:"):
        schema = source.rsplit("schema=", 1)[1]
        with require().superuser() as db:
            db.execute(change.format(t=f'"{schema}".').replace("payload, '", "payload::text, '"))
    else:
        db = sqlite3.connect(source, isolation_level=None)
        try:
            db.execute(change.format(t=""))
        finally:
            db.close()
    with ct.load(source) as timeline, pytest.raises(ct.ValidationError) as caught:
        list(timeline.corrections())
    assert "validate" in str(caught.value)
    assert validate_problems(source)
