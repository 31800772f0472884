"""The edges of answering from stored writes (a review's findings, each now held): positions
stay values after their store is closed, memory stores derive nothing twice, a damaged old
store can still be validated, and hand-changed rows are reported, never a crash."""

from __future__ import annotations

import gc
import pickle
import sqlite3
import weakref
from pathlib import Path

import pytest

import cybertimeline as ct

SOURCE = [ct.Source(title="Record")]


def _vote(event_id: str, resolution: str, date: str, votes: dict[str, str],
          recorded: str | None = None, supersedes: str | None = None) -> ct.Vote:
    return ct.Vote(id=event_id, date=ct.Date.parse(date), body="UNGA", resolution=resolution,
                   votes=votes, sources=SOURCE, supersedes=supersedes,
                   recorded=None if recorded is None else ct.Date.parse(recorded))


def _store(path: Path, events: list[ct.Event]) -> Path:
    with ct.create(path) as timeline:
        timeline.extend(events)
    return path


def test_a_position_answered_from_sqlite_still_gives_its_sources_after_close(
        tmp_path: Path) -> None:
    """A position is a value: its votes' events and sources can be read after its store is
    closed (the file is opened afresh), and its entries pickle."""
    path = _store(tmp_path / "s.sqlite", [_vote("v1", "R1", "2019-12-27", {"CAN": "no"})])
    with ct.load(path) as timeline:
        position = timeline.position("CAN")
    entry = position.votes["R1"]
    assert entry.event.id == "v1"
    assert [s.title for s in position.sources()] == ["Record"]
    assert pickle.loads(pickle.dumps(entry)) == entry


def test_a_position_does_not_keep_its_store_alive(tmp_path: Path) -> None:
    """A position handed out keeps no store alive (its entries hold no index)."""
    path = _store(tmp_path / "s.sqlite", [_vote("v1", "R1", "2019-12-27", {"CAN": "no"})])
    timeline = ct.load(path)
    position = timeline.position("CAN")
    assert position.votes["R1"].option == "no"
    index = weakref.ref(timeline._index)
    del timeline
    gc.collect()
    assert index() is None


def test_a_first_schema_store_with_one_damaged_payload_can_still_be_validated(
        tmp_path: Path) -> None:
    """A store of the first schema with a damaged payload still opens (the upgrade gives
    that event no rows), and `validate` lists the problem."""
    path = _store(tmp_path / "s.sqlite", [
        _vote("v1", "R1", "2019-12-27", {"CAN": "no"}),
        ct.Statement(id="s1", date=ct.Date.parse("2020-01-10"), actor="CAN",
                     topic="example-topic", stance="supports", sources=SOURCE)])
    with sqlite3.connect(path, isolation_level=None) as db:
        for table in ("writes", "entries", "ballots", "names"):
            db.execute(f"DROP TABLE {table}")
        db.execute("UPDATE events SET payload = '{broken' WHERE id = 's1'")
    db.close()
    timeline = ct.load(path)
    with timeline, pytest.raises(ct.ValidationError) as caught:
        timeline.validate()
    assert "not valid JSON" in str(caught.value)


def test_repeated_positions_of_one_actor_in_memory_do_not_rederive_its_writes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A store held in memory derives an actor's writes once per version of its events, not
    at every query."""
    from cybertimeline._stores import index as index_module

    calls: list[str] = []
    real = index_module.MemoryIndex.writes

    def counting(index: index_module.MemoryIndex, actor: str) -> index_module.ActorWrites:
        calls.append(actor)
        return real(index, actor)

    monkeypatch.setattr(index_module.MemoryIndex, "writes", counting)
    timeline = ct.Timeline([_vote(f"v{i}", f"R{i}", f"20{10 + i}-01-01", {"CAN": "yes"})
                            for i in range(5)])
    for year in range(2010, 2016):
        timeline.position("CAN", as_of=str(year))
    assert len(calls) == 1  # the writes of one version of the events, derived once


def _hand_changed(tmp_path: Path, change: str) -> Path:
    path = _store(tmp_path / "s.sqlite", [
        _vote("v1", "R1", "2019-12-27", {"CAN": "no", "KOR": "yes"}),
        ct.Statement(id="s1", date=ct.Date.parse("2020-01-10"), actor="CAN",
                     topic="example-topic", stance="supports", sources=SOURCE)])
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute(change)
    db.close()
    return path


@pytest.mark.parametrize("bulk", [False, True])
def test_a_detail_that_is_json_but_not_an_array_is_reported_not_a_crash(
        tmp_path: Path, bulk: bool) -> None:
    """A write's detail that is JSON but not ``[body, title]`` is a ValidationError naming
    `validate`, on one actor's path and the matrix alike."""
    path = _hand_changed(tmp_path, "UPDATE entries SET detail = '5' WHERE section = 'votes'")
    with ct.load(path) as timeline:
        if bulk:
            timeline.prepare_bulk()
        with pytest.raises(ct.ValidationError, match="validate"):
            timeline.position("CAN").to_dict()


def test_an_entry_naming_an_event_of_another_kind_is_reported_not_a_crash(
        tmp_path: Path) -> None:
    """An entry whose id names an event of another kind is reported when the event is read."""
    path = _hand_changed(tmp_path, "UPDATE entries SET id = 's1' WHERE section = 'votes'")
    with ct.load(path) as timeline, pytest.raises(ct.TimelineError):
        timeline.position("CAN").sources()


def test_a_vote_entry_is_still_an_attrs_class() -> None:
    """`ct.VoteEntry` is an attrs class, as every other entry is."""
    import attrs

    timeline = ct.Timeline([_vote("v1", "R1", "2019-12-27", {"CAN": "no"})])
    entry = timeline.position("CAN").votes["R1"]
    assert attrs.has(ct.StanceEntry)
    assert attrs.has(ct.VoteEntry)
    assert attrs.evolve(entry, option="yes").option == "yes"


def test_validate_reports_a_write_whose_row_number_is_text(tmp_path: Path) -> None:
    """`validate` reports a write whose event row is not a number; it never crashes."""
    path = _hand_changed(tmp_path, "UPDATE writes SET seq = 'abc' WHERE whose = 'CAN'")
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError):
        timeline.validate()


def test_votes_on_reports_a_name_that_is_not_text(tmp_path: Path) -> None:
    """A ballots' name that is not text is reported, not compared with text."""
    path = _hand_changed(tmp_path, "UPDATE names SET name = x'ff' WHERE name = 'CAN'")
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError):
        timeline.votes_on("R1")


def test_an_unused_name_with_a_large_id_does_not_break_bulk_queries(tmp_path: Path) -> None:
    """A name with a huge id allocates nothing of its size: the matrix numbers the ids the
    ballots hold."""
    path = _hand_changed(tmp_path, "INSERT INTO names (id, name) VALUES (1000000000000, 'ZZZ')")
    with ct.load(path) as timeline:
        timeline.validate()  # passes: the store is reported sound
        actors = ["CAN", "KOR", "USA", "JPN", "DEU", "FRA", "GBR", "RUS"]
        positions = timeline.positions(actors)  # >= BULK: the matrix
        assert positions["CAN"].votes["R1"].option == "no"


def test_votes_on_reports_an_entry_without_its_detail(tmp_path: Path) -> None:
    """`votes_on` reads the same entries as a position, and reports what a position does."""
    path = _hand_changed(tmp_path, "UPDATE entries SET detail = NULL WHERE section = 'votes'")
    with ct.load(path) as timeline, pytest.raises(ct.ValidationError, match="validate"):
        timeline.votes_on("R1")
