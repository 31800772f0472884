"""The edges of answering from stored writes (a review's findings, each now held): positions
stay values after their store is closed, memory stores derive nothing twice, a damaged old
store can still be validated, and hand-changed rows are reported, never a crash."""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings, target
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._projections import sections as table
from tests import reference as ref
from tests import strategies as s

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


def test_votes_as_json_from_stored_columns_read_as_their_entries_do(tmp_path: Path) -> None:
    """A position's votes as JSON are made from the stored columns, without entries: the same
    dicts in the same order (by date) as its entries give, a resolution voted again read as of
    each day, with an interval date and a later knowledge day."""
    events: list[ct.Event] = [
        _vote("v1", "A/RES/1", "2001-03-01", {"FRA": "yes", "DEU": "no"}),
        _vote("v2", "A/RES/2", "2001-01-15", {"FRA": "abstain"}),
        _vote("v3", "A/RES/1", "2003-05-01", {"FRA": "no"}),
        _vote("v4", "A/RES/3", "2002-01-01/2002-02-01", {"FRA": "yes"}, recorded="2004-01-01"),
    ]
    memory = ct.Timeline()
    memory.extend(events)
    with ct.load(_store(tmp_path / "store.sqlite", events)) as stored:
        for as_of in ("2001-02-01", "2002-06-01", "2003-12-31", None):
            for known_at in (None, "2003-12-31"):
                position = stored.position("FRA", as_of=as_of, known_at=known_at)
                got = position.to_dict()["votes"]
                expected = {key: entry.to_dict() for key, entry in sorted(
                    position.votes.items(), key=lambda item: item[1].date)}
                assert list(got.items()) == list(expected.items())
                folded = memory.position("FRA", as_of=as_of, known_at=known_at)
                assert list(got.items()) == list(folded.to_dict()["votes"].items())
        assert stored.position("FRA", as_of="2002-06-01").to_dict()["votes"]["A/RES/1"][
            "event"] == "v1"
        assert list(stored.position("FRA").to_dict()["votes"]) == ["A/RES/2", "A/RES/3",
                                                                   "A/RES/1"]


@st.composite
def _vote_records(draw: st.DrawFn) -> list[ct.Event]:
    """Votes of three states on three resolutions over five years, each voted again and
    again (partial dates, intervals, some known late), some superseded or retracted."""
    found: list[ct.Event] = []
    for place in range(draw(st.integers(2, 12))):
        event_id = f"v{place:02d}"
        target = draw(st.sampled_from(found)) if found and draw(st.integers(0, 3)) == 0 else None
        if target is not None and draw(st.booleans()):
            when = target.recorded_on + dt.timedelta(days=draw(st.integers(0, 400)))
            found.append(ct.Retraction(id=event_id, date=ct.Date.from_date(when),
                                       retracts=target.id, reason="wrong", sources=SOURCE,
                                       recorded=ct.Date.from_date(when)))
            continue
        vote = ct.Vote(id=event_id, date=draw(s.dates(2000, 2004)), body="UNGA",
                       resolution=draw(st.sampled_from(("R1", "R2", "R3"))),
                       votes=draw(st.dictionaries(st.sampled_from(("CAN", "FRA", "DEU")),
                                                  st.sampled_from(("yes", "no", "abstain")),
                                                  min_size=1, max_size=3)),
                       title=draw(st.none() | st.sampled_from(("T", "U"))),
                       sources=[ct.Source(title=f"Record {place}")])
        late = draw(st.sampled_from((0, 0, 0, 500)))
        if target is not None:
            day = target.recorded_on + dt.timedelta(days=late)
            vote = attrs.evolve(vote, supersedes=target.id, recorded=s._knowable(vote, day))
        elif late:
            vote = attrs.evolve(vote, recorded=s._knowable(
                vote, vote.date.earliest + dt.timedelta(days=late)))
        found.append(vote)
    return found


_QUERY_DAYS = st.none() | s.query_dates(2000, 2006)


@settings(max_examples=40, deadline=None)
@given(_vote_records(), st.sampled_from(("CAN", "FRA", "DEU")), _QUERY_DAYS, _QUERY_DAYS,
       st.booleans())
def test_votes_as_json_from_sqlite_columns_equal_the_fold_in_order(
        tmp_path_factory: pytest.TempPathFactory, events: Sequence[Any], actor: str,
        as_of: Any, known_at: Any, possible: bool) -> None:
    """Votes (resolutions voted again, partial dates, late knowledge days, supersessions,
    retractions) as JSON from a SQLite store's columns: the fold's, item for item, in its
    order."""
    path = tmp_path_factory.mktemp("votes") / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
        stored = list(timeline.events(include_corrected=True))  # stamped by the append
    chosen = ref.folded(stored, ref.last_day(as_of), ref.last_day(known_at), possible)
    expected = ct.fold(ct.PositionProjection(actor), chosen).to_dict()["votes"]
    target(float(len(expected)))  # towards positions of many votes
    with ct.load(path) as timeline:
        position = timeline.position(actor, as_of=as_of, known_at=known_at, possible=possible)
        assert list(position.to_dict()["votes"].items()) == list(expected.items())


def test_a_position_reads_its_votes_after_its_store_is_removed(tmp_path: Path) -> None:
    """A position of a SQLite store whose file is removed after it closed still reads its
    votes (their sources are read only when cited); citing them says the file is gone."""
    path = _store(tmp_path / "s.sqlite", [_vote("v1", "R1", "2019-12-27", {"CAN": "no"}),
                                          _vote("v2", "R2", "2019-12-28", {"CAN": "yes"})])
    with ct.load(path) as timeline:
        position = timeline.position("CAN")
    os.unlink(path)
    assert position.votes["R1"].option == "no"
    assert "R2" in position.votes
    assert [key for key, _ in position.votes.items()] == ["R1", "R2"]
    assert position == position  # equality reads every entry
    assert isinstance(hash(position), int)
    assert position.to_dict()["votes"]["R2"]["option"] == "yes"
    with pytest.raises(ct.TimelineError, match=r"s\.sqlite"):
        position.text()


def test_a_position_citing_sources_of_a_store_replaced_since_says_so(tmp_path: Path) -> None:
    """A store replaced by another file after it closed: its positions' votes cannot cite
    sources there, and the error says the store changed (not that it needs validating)."""
    path = _store(tmp_path / "s.sqlite", [_vote("v1", "R1", "2019-12-27", {"CAN": "no"})])
    other = _store(tmp_path / "other.sqlite", [_vote("w1", "R1", "2019-12-27", {"CAN": "no"})])
    with ct.load(path) as timeline:
        position = timeline.position("CAN")
    os.replace(other, path)
    with pytest.raises(ct.UnknownEventError, match="the store changed since"):
        position.votes["R1"].sources  # noqa: B018 - read for its error


@pytest.fixture
def votes_by_key() -> Iterator[None]:
    """The votes section registered again, listed by key rather than by date; the table
    as it was after."""
    held = dict(table._TABLE)
    ct.register_section(attrs.evolve(table.section_spec("votes"), by_date=False))
    yield
    table._TABLE.clear()
    table._TABLE.update(held)
    table._changed()


@pytest.mark.usefixtures("votes_by_key")
def test_votes_registered_again_in_another_order_read_so_from_columns(tmp_path: Path) -> None:
    """The votes' JSON from a SQLite store's columns follows the section as registered now:
    by key once it is registered so, as the fold and a memory store give it."""
    events: list[ct.Event] = [_vote("v1", "B-res", "2001-01-01", {"FRA": "yes"}),
                              _vote("v2", "A-res", "2002-01-01", {"FRA": "no"})]
    memory = ct.Timeline()
    memory.extend(events)
    with ct.load(_store(tmp_path / "s.sqlite", events)) as stored:
        assert list(stored.position("FRA").to_dict()["votes"]) == ["A-res", "B-res"]
    assert list(memory.position("FRA").to_dict()["votes"]) == ["A-res", "B-res"]
