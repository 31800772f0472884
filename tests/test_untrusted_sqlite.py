"""A SQLite store is untrusted input too (issue 18, M2-M4, M6 and Low): whatever was done to
the file by other programs, the library refuses or reports it, in its own errors, and never
changes a database that is not its own."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import cybertimeline as ct
from cybertimeline._cli import main
from tests.store_contract import hang_guard, statement

RECORDED = ct.Date.parse("2021-01-01")


def store(tmp_path: Path, *events: ct.Event) -> Path:
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events or [statement("can-1"), statement("can-2", date="2021")])
    return path


@contextlib.contextmanager
def database(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def validate_problems(path: Path) -> list[str]:
    """What a load, else a validate, finds (a registry or meta row is read at the load)."""
    with pytest.raises(ct.ValidationError) as caught, ct.load(path) as timeline:
        timeline.validate()
    return [p.message for p in caught.value.problems]


@pytest.mark.parametrize(("change", "expected"), [
    ("UPDATE events SET payload = '{not json' WHERE id = 'can-1'", "payload is not valid JSON"),
    ("UPDATE events SET payload = json_set(payload, '$.stance', 3) WHERE id = 'can-1'",
     "'stance'"),
    ("UPDATE events SET payload = json_set(payload, '$.actor', 'XXX') WHERE id = 'can-1'",
     "unknown actor 'XXX'"),
    ("UPDATE events SET corrects = 'nope', payload = json_set(payload, '$.supersedes', 'nope', "
     "'$.recorded', '2021-01-01'), recorded = '2021-01-01' WHERE id = 'can-2'",
     "corrects 'nope', which is no event"),
    ("UPDATE events SET latest = '1999-01-01' WHERE id = 'can-1'", "disagree with its payload"),
    ("INSERT INTO event_actors (actor, seq) SELECT whose, seq FROM writes", "index rows"),
    ("INSERT INTO event_actors (actor, seq) SELECT 'USA', seq FROM events", "index rows"),
    ("UPDATE events SET format = 99 WHERE id = 'can-1'", "format 99 is newer"),
    ("INSERT INTO registry VALUES ('actor', 'ZZZ', '{\"name\": 1}')", "registry actor 'ZZZ'"),
    ("UPDATE meta SET value = 'x' WHERE key = 'format'", "not a format version"),
])
def test_validate_checks_every_row_of_a_sqlite_store(
        change: str, expected: str, tmp_path: Path) -> None:
    """Tampered payloads, references, names, columns, indexes, formats and registry rows are
    each reported by validate, as for a folder (issue 18, M3)."""
    path = store(tmp_path)
    with database(path) as db:
        db.execute(change)
    found = validate_problems(path)
    assert any(expected in message for message in found), found
    assert main(["--events", str(path), "validate"]) == 1


def test_a_tampered_payload_gives_the_librarys_error_on_query(tmp_path: Path) -> None:
    """A query meeting a bad row raises a ValidationError saying to validate, not a
    JSON or type error (issue 18, M3): when the position reads it (its events are decoded
    when an entry is made from them: here the topic's latest statement)."""
    path = store(tmp_path)
    with database(path) as db:
        db.execute("UPDATE events SET payload = '[1, 2]' WHERE id = 'can-2'")
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError, match="validate"):
        timeline.position("CAN", as_of="2030").to_dict()


def test_a_retraction_cycle_written_into_sqlite_is_reported(tmp_path: Path) -> None:
    """A cycle of retractions put in the file by hand: the load says so; no recursion error,
    no hang (issue 18, M2)."""
    path = store(tmp_path, statement("can-1"),
                 ct.Retraction(id="r1", date=ct.Date.parse("2021"), retracts="can-1",
                               reason="wrong", sources=[ct.Source(title="t")], recorded=RECORDED),
                 ct.Retraction(id="r2", date=ct.Date.parse("2021"), retracts="r1",
                               reason="wrong", sources=[ct.Source(title="t")], recorded=RECORDED))
    with database(path) as db:
        db.execute("UPDATE events SET corrects = 'r2', payload = json_set(payload, '$.retracts', "
                   "'r2') WHERE id = 'r1'")
    with hang_guard(60), pytest.raises(ct.ValidationError, match="corrections form a cycle"):
        ct.load(path)
    assert main(["--events", str(path), "validate"]) == 1


def test_a_view_in_place_of_a_table_is_refused_before_it_runs(tmp_path: Path) -> None:
    """``meta`` replaced by a view that never ends: refused at open, the view never run
    (issue 18, M4)."""
    path = store(tmp_path)
    with database(path) as db:
        db.execute("ALTER TABLE meta RENAME TO old_meta")
        db.execute("CREATE VIEW meta AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                   "FROM n) SELECT 'application' AS key, i AS value FROM n")
    with hang_guard(60), pytest.raises(ct.TimelineError, match="schema differs"):
        ct.load(path)


def test_a_trigger_is_refused_even_when_added_after_opening(tmp_path: Path) -> None:
    """A trigger that would delete every other event on insert: a store with it is refused
    at open; one added while a writer has the store open stops the append before it is
    written, and nothing is deleted (issue 18, M4)."""
    path = store(tmp_path)
    trigger = ("CREATE TRIGGER wipe AFTER INSERT ON events BEGIN "
               "DELETE FROM events WHERE seq <> new.seq; END")
    timeline = ct.load(path)
    with database(path) as db:
        db.execute(trigger)
    with pytest.raises(ct.TimelineError, match="unexpected trigger 'wipe'"):
        timeline.append(statement("can-3"))
    timeline.close()
    with pytest.raises(ct.TimelineError, match="unexpected trigger 'wipe'"):
        ct.load(path)
    with database(path) as db:
        assert [r[0] for r in db.execute("SELECT id FROM events ORDER BY id")] == ["can-1",
                                                                                  "can-2"]


def test_another_applications_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """A stranger's database is refused before any change: not switched to WAL, no file made
    beside it, not a byte changed (issue 18, Low)."""
    path = tmp_path / "app.db"
    with database(path) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('application', 'something else')")
    before = path.read_bytes()
    with pytest.raises(ct.TimelineError, match="not a cybertimeline SQLite store"):
        ct.load(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]
    with database(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_full_disk_is_reported_as_such_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite out of room (its page limit standing in for the disk): the error says the disk
    is full, not "cannot rollback", and the store is as it was (issue 18, Low)."""
    from cybertimeline._stores import sqlite_db

    path = store(tmp_path)
    opened = sqlite_db.open_writer

    def full(target: Path) -> sqlite3.Connection:
        connection = opened(target)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return connection

    monkeypatch.setattr("cybertimeline._stores.sqlite.open_writer", full)
    timeline = ct.load(path)
    big = [statement(f"can-{n}", summary="x" * 19_000) for n in range(3, 40)]
    with pytest.raises(ct.TimelineError, match="the disk is full"):
        timeline.extend(big)
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2"]


def test_a_reader_never_mixes_two_versions_of_the_store(tmp_path: Path) -> None:
    """A writer supersedes an event between a reader's query and its correction filter: the
    reader answers with one version or the other, never without both (issue 18, Low)."""
    path = store(tmp_path, statement("can-1"))
    reader = ct.load(path)
    writer = ct.load(path)
    index = reader._index  # the race is forced where it can happen: right after a read
    original = index.lane
    raced: list[bool] = []

    def lane(actor: str | None = None) -> Any:
        found = original(actor)
        if not raced:
            raced.append(True)
            writer.append(statement("can-2", supersedes="can-1", recorded=RECORDED))
        return found

    setattr(index, "lane", lane)  # noqa: B010 - a method of this one index, replaced
    stances = reader.project(ct.PositionProjection("CAN"), "CAN", as_of="2030").stances
    assert raced
    assert [s.event.id for s in stances.values()] in (["can-1"], ["can-2"])
    assert [e.id for e in reader.events("CAN")] == ["can-2"]


def test_a_hard_linked_store_is_refused(tmp_path: Path) -> None:
    """Two names of one SQLite file would each get a write-ahead log of their own: a store
    with several names is refused (issue 18, H4)."""
    path = store(tmp_path)
    os.link(path, tmp_path / "alias.sqlite")
    with pytest.raises(ct.TimelineError, match="has 2 names"):
        ct.load(path)


def test_a_store_on_a_read_only_file_system_can_be_read(tmp_path: Path) -> None:
    """Read-only media: the store opens read-only and answers (issue 18, M6)."""
    source = store(tmp_path)
    expected = [e.id for e in ct.load(source).events()]
    with read_only_copy(source) as path:
        with ct.load(path) as timeline:
            assert [e.id for e in timeline.events()] == expected
            timeline.validate()
            with pytest.raises(ct.TimelineError):
                timeline.append(statement("can-3"))
        assert main(["--events", str(path), "validate"]) == 0


@contextlib.contextmanager
def read_only_copy(source: Path) -> Iterator[Path]:
    """The store copied onto a read-only file system: a read-only tmpfs when this process
    may mount one, else a folder and file without write permission (enough for others)."""
    with tempfile.TemporaryDirectory() as folder:
        mount = Path(folder)
        if os.geteuid() == 0:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                           check=True)
        target = mount / source.name
        try:
            target.write_bytes(source.read_bytes())
            if os.geteuid() == 0:
                subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            else:
                target.chmod(0o444)
                mount.chmod(0o555)
            yield target
        finally:
            if os.geteuid() == 0:
                subprocess.run(["umount", "-l", str(mount)], check=True)
            else:
                mount.chmod(0o755)


def test_validate_names_a_damaged_file(tmp_path: Path) -> None:
    """A file cut short is a clear error at open or at validate, never a raw sqlite error."""
    path = store(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    code = main(["--events", str(path), "validate"])
    assert code == 1


def test_a_registry_payload_written_by_hand_is_read(tmp_path: Path) -> None:
    """A registry row written by another program in the library's shape is accepted."""
    path = store(tmp_path)
    with database(path) as db:
        db.execute("INSERT INTO registry VALUES ('actor', 'XYZ', ?)",
                   (json.dumps({"name": "X", "type": "agency"}),))
    with ct.load(path) as timeline:
        assert timeline.registry.has_actor("XYZ")
        timeline.validate()


@pytest.mark.parametrize("change", [
    "UPDATE events SET corrects = NULL WHERE id = 'can-2'",
    "UPDATE events SET corrects = 'can-1', payload = json_remove(payload, '$.supersedes') "
    "WHERE id = 'can-2'",
    "UPDATE events SET id = 'other' WHERE id = 'can-2'",
])
def test_a_changed_index_column_never_brings_back_a_superseded_stance(
        tmp_path: Path, change: str) -> None:
    """Issue 26, item 10: a query that reads an event checks the columns it trusts (what the
    event corrects, its id) against its payload; a row changed by hand is an error, not a
    superseded stance answered again."""
    later = attrs.evolve(statement("can-2", date="2021", supersedes="can-1",
                                   recorded=RECORDED), stance="opposes")
    path = store(tmp_path, statement("can-1"), later)
    with ct.load(path) as timeline:
        assert timeline.position("CAN").stances["budapest-convention"].stance == "opposes"
    with database(path) as db:
        db.execute(change)

    def answer() -> None:
        with ct.load(path) as timeline:  # the open reads every correction: it may say so
            timeline.position("CAN").to_dict()

    with pytest.raises(ct.ValidationError, match="validate"):
        answer()


@pytest.mark.parametrize("change", [
    "UPDATE events SET corrects = 'can-9' WHERE id = 'can-2'",
    "UPDATE events SET kind = 'retraction' WHERE id = 'can-2'",
    "UPDATE events SET recorded = '2030-01-01' WHERE id = 'can-2'",
])
def test_validate_reports_a_changed_correction_row_the_answers_refuse(
        tmp_path: Path, change: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The known set reads each correction's columns (what it corrects, its kind, its day):
    a column changed by hand stops every answer with the library's error saying to run
    `validate`, and `validate` itself still opens the store and names the row."""
    later = attrs.evolve(statement("can-2", date="2021", supersedes="can-1",
                                   recorded=RECORDED), stance="opposes")
    path = store(tmp_path, statement("can-1"), later)
    with database(path) as db:
        db.execute(change)
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError, match="validate"):
        timeline.position("CAN")
    assert main(["--events", str(path), "validate"]) == 1
    problems = capsys.readouterr().err
    assert "row 2 ('can-2')" in problems
    assert "disagree with its payload" in problems


@pytest.mark.parametrize("change", [
    "UPDATE entries SET detail = x'00ff' WHERE section = 'votes' AND seq = {seq}",
    "UPDATE entries SET latest = 5 WHERE section = 'votes' AND seq = {seq}",
])
def test_a_changed_vote_entry_read_with_every_roll_call_is_refused(
        tmp_path: Path, change: str) -> None:
    """A state that voted on most roll calls reads the section's entries whole: a value put
    there by hand that is no text of its kind (a blob, a number where a day is) gives the
    library's error saying to run `validate`, not a crash or an answer."""
    path = tmp_path / "store.sqlite"
    ct.copy_into(ct.load(), path)
    with database(path) as db:
        (seq,) = db.execute("SELECT min(seq) FROM entries WHERE section = 'votes'").fetchone()
        db.execute(change.format(seq=seq))
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError, match="validate"):
        timeline.position("KOR").to_dict()
