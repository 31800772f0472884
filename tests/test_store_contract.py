"""One contract for every store: memory, folder, JSON Lines and SQLite behave alike."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
import strategies as cts

SOURCE = (ct.Source(title="A test source"),)
KINDS = ("memory", "folder", "jsonl", "sqlite")
PATHS = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}
TODAY = dt.date(2040, 1, 1)
"""The day the stores' clock gives: after every generated date, so any event may be appended."""


def new_store(kind: str, directory: Path) -> ct.Timeline:
    """An empty store of this kind in ``directory``, whose appends happen on ``TODAY``."""
    if kind == "memory":
        return ct.Timeline(clock=lambda: TODAY)
    return ct.create(directory / PATHS[kind], clock=lambda: TODAY)


def stamped(event: Any) -> Any:
    """The event as an append on ``TODAY`` stores it (rule 7)."""
    if event.recorded is not None:
        return event
    return attrs.evolve(event, recorded=ct.Date.from_date(TODAY))


def reopen(kind: str, directory: Path, timeline: ct.Timeline) -> ct.Timeline:
    """The store read afresh from disk (the same object for memory)."""
    return timeline if kind == "memory" else ct.load(directory / PATHS[kind])


def statement(event_id: str, date: str = "2020-05", actor: str = "CAN", **fields: Any) -> Any:
    return ct.Statement(id=event_id, date=ct.Date.parse(date), actor=actor,
                        topic="budapest-convention", stance="supports", sources=SOURCE,
                        **fields)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(kind: str, tmp_path: Path) -> ct.Timeline:
    return new_store(kind, tmp_path)


def dump(timeline: ct.Timeline) -> list[dict[str, Any]]:
    return [ct.event_to_dict(e) for e in timeline.events(include_corrected=True)]


def test_a_new_store_is_empty(store: ct.Timeline) -> None:
    """A store just created holds no event and answers with empty positions."""
    assert len(store) == 0
    assert list(store.events()) == []
    assert store.position("CAN", as_of="2020").is_empty


def test_an_appended_event_is_durable(kind: str, store: ct.Timeline, tmp_path: Path) -> None:
    """Once append returns, the event is in the store when it is opened again."""
    store.append(statement("can-1"))
    again = reopen(kind, tmp_path, store)
    assert [e.id for e in again.events()] == ["can-1"]
    assert again.event("can-1") == stamped(statement("can-1"))
    assert again.event("can-1").recorded == ct.Date.from_date(TODAY)
    assert again.position("CAN", as_of="2021").stances["budapest-convention"].event.id == "can-1"


def test_an_invalid_append_writes_nothing(kind: str, store: ct.Timeline, tmp_path: Path) -> None:
    """An event naming an unknown actor is refused and nothing is written."""
    store.append(statement("can-1"))
    with pytest.raises(ct.ValidationError, match="unknown actor 'XXX'"):
        store.append(statement("xxx-1", actor="XXX"))
    assert [e.id for e in reopen(kind, tmp_path, store).events()] == ["can-1"]
    assert len(store) == 1


def test_a_duplicate_id_is_refused(kind: str, store: ct.Timeline, tmp_path: Path) -> None:
    """A second event with a stored id is refused, whatever its content; the first stays."""
    store.append(statement("can-1"))
    with pytest.raises(ct.ValidationError, match="duplicate id 'can-1'"):
        store.append(statement("can-1", date="2021"))
    assert str(reopen(kind, tmp_path, store).event("can-1").date) == "2020-05"


def test_a_correction_of_no_event_is_refused(store: ct.Timeline) -> None:
    """A supersession naming no stored event is refused."""
    with pytest.raises(ct.ValidationError, match="'supersedes' names 'nope'"):
        store.append(statement("can-1", supersedes="nope"))
    assert len(store) == 0


def test_an_append_expecting_an_old_sequence_conflicts(store: ct.Timeline) -> None:
    """Optimistic concurrency: an append that expects fewer events than stored fails cleanly."""
    seen = len(store)
    store.append(statement("can-1"), expected=seen)
    with pytest.raises(ct.ConflictError, match="expected 0"):
        store.append(statement("can-2"), expected=seen)
    assert [e.id for e in store.events()] == ["can-1"]
    store.append(statement("can-2"), expected=len(store))
    assert len(store) == 2


def test_a_second_handle_sees_the_first_handles_appends(kind: str, tmp_path: Path) -> None:
    """Two timelines on one store: each append validates against what the other wrote."""
    if kind == "memory":
        return  # one object is one store: nothing to share
    first = new_store(kind, tmp_path)
    second = ct.load(tmp_path / PATHS[kind])
    first.append(statement("can-1"))
    with pytest.raises(ct.ValidationError, match="duplicate id 'can-1'"):
        second.append(statement("can-1", date="2019"))
    second.append(statement("can-2", date="2019"))
    assert [e.id for e in ct.load(tmp_path / PATHS[kind]).events()] == ["can-2", "can-1"]


def test_supersession_is_bitemporal_in_every_store(kind: str, store: ct.Timeline) -> None:
    """The AHC case: scheduled as known in 2021, held as known from March 2022."""
    scheduled = ct.Session(id="s1", date=ct.Date.parse("2022-01-17/2022-01-28"),
                           recorded=ct.Date.parse("2021-11-01"), body="AHC",
                           status="scheduled", sources=SOURCE)
    held = ct.Session(id="s2", date=ct.Date.parse("2022-02-28/2022-03-11"),
                      recorded=ct.Date.parse("2022-03-11"), body="AHC", status="held",
                      supersedes="s1", sources=SOURCE)
    store.append(scheduled)
    store.append(held)
    then = store.position("AHC", as_of="2022-12-31", known_at="2021-12-01")
    now = store.position("AHC", as_of="2022-12-31")
    assert [(s.event.id, s.status) for s in then.sessions] == [("s1", "scheduled")]
    assert [(s.event.id, s.status) for s in now.sessions] == [("s2", "held")]


def _appended(kind: str, directory: Path, events: Sequence[Any]) -> ct.Timeline:
    timeline = new_store(kind, directory)
    for event in events:
        timeline.append(event)
    return reopen(kind, directory, timeline)


def _positions(timeline: ct.Timeline, dates: Sequence[str]) -> list[dict[str, Any]]:
    return [timeline.position(actor, as_of=date).to_dict()
            for actor in ("CAN", "KOR", "EU", "AHC") for date in dates]


@settings(max_examples=25)
@given(events=cts.timelines(max_size=8), kind=st.sampled_from(KINDS[1:]))
def test_every_store_answers_as_the_memory_timeline(events: list[Any], kind: str) -> None:
    """Appending to any store, then reopening it, gives the events and positions of memory."""
    expected = ct.Timeline([stamped(e) for e in events])
    with tempfile.TemporaryDirectory() as directory:
        stored = _appended(kind, Path(directory), events)
        assert dump(stored) == dump(expected)
        dates = ["2005", "2015-06-30", "2030"]
        assert _positions(stored, dates) == _positions(expected, dates)


@settings(max_examples=25)
@given(events=cts.timelines(max_size=10),
       route=st.permutations(["folder", "jsonl", "sqlite"]))
def test_copies_between_stores_are_lossless(events: list[Any], route: list[str]) -> None:
    """Copying folder -> JSON Lines -> SQLite (in any order) keeps every event and the registry."""
    source = ct.Timeline(events)
    with tempfile.TemporaryDirectory() as directory:
        current = source
        for step, kind in enumerate(route):
            current = ct.copy_into(current, Path(directory) / f"{step}-{PATHS[kind]}")
            assert dump(current) == dump(source)
            assert current.registry == source.registry


@pytest.mark.parametrize("kind", KINDS[1:])
def test_the_bundled_dataset_copies_into_every_store(kind: str, tmp_path: Path) -> None:
    """The bundled dataset, its registry included, survives a copy into each kind of store."""
    bundled = ct.load()
    copy = ct.copy_into(bundled, tmp_path / PATHS[kind])
    assert dump(copy) == dump(bundled)
    assert copy.registry == bundled.registry
    for actor in ("CAN", "KOR", "EU", "AHC", "UNGA"):
        assert (copy.position(actor, as_of="2023").to_dict()
                == bundled.position(actor, as_of="2023").to_dict())
    assert copy.members("EU", as_of="2019-12-27") == bundled.members("EU", as_of="2019-12-27")


def test_copying_onto_an_existing_store_is_refused(tmp_path: Path) -> None:
    """A copy never overwrites: the destination must be new."""
    ct.create(tmp_path / "taken.sqlite")
    with pytest.raises(ct.TimelineError, match="already exists"):
        ct.copy_into(ct.load(), tmp_path / "taken.sqlite")


def test_a_sqlite_handle_sees_other_writers_without_reloading(tmp_path: Path) -> None:
    """SQLite is live: a query after another connection's append includes its event."""
    path = tmp_path / "shared.sqlite"
    reader = ct.create(path)
    writer = ct.load(path)
    assert reader.position("CAN", as_of="2021").is_empty
    writer.append(statement("can-1"))
    assert reader.position("CAN", as_of="2021").stances["budapest-convention"].event.id == "can-1"
    assert len(reader) == 1


def test_a_torn_last_line_of_a_jsonl_store_is_ignored_and_cut(tmp_path: Path) -> None:
    """A fragment left by a writer killed mid-line is skipped on load and cut by the next append."""
    path = tmp_path / "store.jsonl"
    timeline = ct.create(path)
    timeline.append(statement("can-1"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "can-2", "kind": "stat')
    assert [e.id for e in ct.load(path).events()] == ["can-1"]
    ct.load(path).append(statement("can-3"))
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-3"]
    assert path.read_text(encoding="utf-8").endswith("\n")


def test_a_jsonl_problem_names_its_line(tmp_path: Path) -> None:
    """Every bad line of a JSON Lines store is reported with its number."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"format": 1}\n{"id": "a", "kind": "nope"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(path)
    assert [(p.line, p.file) for p in caught.value.problems] == [(2, path), (3, path)]
    assert "unknown kind 'nope'" in caught.value.problems[0].message


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    """Opening a stranger's database (or a text file) gives the library's error."""
    path = tmp_path / "other.db"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(ct.TimelineError, match="not a cybertimeline SQLite store"):
        ct.load(path)


@pytest.mark.parametrize("event_id", ["actors", "instruments"])
def test_a_folder_append_named_like_a_registry_file_loads_again(
    event_id: str, tmp_path: Path
) -> None:
    """An event whose id is a registry file's name is written where it is read as an event."""
    timeline = ct.create(tmp_path / "store")
    timeline.append(statement(event_id))
    assert [e.id for e in ct.load(tmp_path / "store").events()] == [event_id]


def test_a_folder_append_never_overwrites_a_file(tmp_path: Path) -> None:
    """A hand-written file where an appended file would go is left alone; both events load."""
    timeline = ct.create(tmp_path / "store")
    (tmp_path / "store" / "appended").mkdir()
    taken = tmp_path / "store" / "appended" / "event-can-1.toml"
    taken.write_text(
        '[[event]]\nid = "can-2"\nkind = "statement"\ndate = "2020"\nactor = "CAN"\n'
        'topic = "budapest-convention"\nstance = "supports"\n\n'
        '[[event.sources]]\ntitle = "t"\n', encoding="utf-8")
    timeline.append(statement("can-1"))
    assert sorted(e.id for e in ct.load(tmp_path / "store").events()) == ["can-1", "can-2"]
    assert 'id = "can-2"' in taken.read_text(encoding="utf-8")


def test_a_whole_last_jsonl_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    """A last line written without a newline is an event, kept on load and on the next append."""
    path = tmp_path / "store.jsonl"
    lines = [json.dumps(ct.event_to_dict(statement(f"can-{n}"))) for n in (1, 2)]
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2"]
    ct.load(path).append(statement("can-3"))
    assert [e.id for e in ct.load(path).events()] == ["can-1", "can-2", "can-3"]


@pytest.mark.parametrize("kind", KINDS[1:3])
def test_written_files_have_the_usual_permissions(kind: str, tmp_path: Path) -> None:
    """Files the library writes follow the umask (readable by the group), like any other file."""
    old = os.umask(0o022)
    try:
        timeline = new_store(kind, tmp_path)
        timeline.append(statement("can-1"))
    finally:
        os.umask(old)
    store = tmp_path / PATHS[kind]
    written = list(store.rglob("*.toml")) if kind == "folder" else [store]
    assert written
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_locked_sqlite_store_gives_a_conflict_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that cannot get the database in time gets ConflictError, and writes nothing."""
    from cybertimeline._stores import sqlite as _sqlite

    monkeypatch.setattr(_sqlite, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "store.sqlite"
    ct.create(path)
    timeline = ct.load(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ct.ConflictError, match="another writer held the database"):
            timeline.append(statement("can-1"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    timeline.append(statement("can-2"))
    assert [e.id for e in ct.load(path).events()] == ["can-2"]


def test_a_copy_into_a_folder_splits_large_stores_into_loadable_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file of a folder copy is over the size a folder store may read."""
    from cybertimeline._stores import folder as _folder

    monkeypatch.setattr(_folder, "MAX_FILE_BYTES", 4_000)
    source = ct.Timeline([statement(f"can-{n}", summary="x" * 300) for n in range(40)])
    copy = ct.copy_into(source, tmp_path / "copy")
    assert dump(copy) == dump(source)
    files = sorted((tmp_path / "copy").glob("imported-*.toml"))
    assert len(files) > 1
    assert all(f.stat().st_size <= 4_000 for f in files)


def test_a_failed_copy_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a copy fails midway, the half-written destination is removed and can be retried."""
    from cybertimeline._stores import folder as _folder

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_folder, "_chunks", fail)
    with pytest.raises(OSError, match="disk full"):
        ct.copy_into(ct.load(), tmp_path / "copy")
    assert not (tmp_path / "copy").exists()
    monkeypatch.undo()
    assert len(ct.copy_into(ct.load(), tmp_path / "copy")) == len(ct.load())


def test_events_built_in_python_take_text_dates_and_tables_for_sources(
    kind: str, store: ct.Timeline, tmp_path: Path
) -> None:
    """``date="2020"`` and ``sources=[{"title": ...}]`` build the same event as the classes do."""
    event = ct.Signature(id="can-1", date="2020", actor="CAN", instrument="budapest-convention",
                         sources=[{"title": "A test source"}], recorded=dt.date(2021, 3, 1))
    assert event == ct.Signature(id="can-1", date=ct.Date.parse("2020"), actor="CAN",
                                 instrument="budapest-convention", sources=SOURCE,
                                 recorded=ct.Date.parse("2021-03-01"))
    store.append(event)
    assert reopen(kind, tmp_path, store).event("can-1") == event


def test_an_event_that_would_not_load_back_is_refused_and_not_written(
    kind: str, store: ct.Timeline, tmp_path: Path
) -> None:
    """A summary that is a number passes the constructor but never reaches a store."""
    with pytest.raises(ct.ValidationError, match="cannot be stored: 'summary': expected text"):
        store.append(statement("can-1", summary=3))
    assert len(reopen(kind, tmp_path, store)) == 0
