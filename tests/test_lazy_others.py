"""On a SQL store, an actor's other events (statements, treaty acts...) are read as rows and
each decoded only when an answer reads it (`StoredEvents`): a position of a day shows one
statement per topic, not every one the actor made."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.stored import StoredEvents
from tests import reference as ref
from tests import strategies as s
from tests.store_contract import SOURCE

TOPICS = ("budapest-convention", "untoc", "uncac")


def _events() -> list[Any]:
    """CAN's statements, four a topic, and treaty acts; and one of KOR's."""
    found: list[Any] = [
        ct.Statement(id=f"can-{topic}-{year}", date=ct.Date.parse(f"{year}-03"), actor="CAN",
                     topic=topic, stance="supports" if year % 2 else "opposes",
                     sources=SOURCE)
        for topic in TOPICS for year in range(2016, 2020)]
    found += [ct.Signature(id="can-signs", date=ct.Date.parse("2001-11-23"), actor="CAN",
                           instrument="budapest-convention", sources=SOURCE),
              ct.Ratification(id="can-ratifies", date=ct.Date.parse("2015-07-08"), actor="CAN",
                              instrument="budapest-convention", sources=SOURCE),
              ct.Statement(id="kor-1", date=ct.Date.parse("2019-01"), actor="KOR",
                           topic="untoc", stance="supports", sources=SOURCE)]
    return found


def _store(directory: Path, events: list[Any]) -> Path:
    path = directory / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
    return path


def test_a_fresh_position_decodes_no_statement_and_its_stances_only_the_latest(
        tmp_path: Path, decoded: list[str]) -> None:
    path = _store(tmp_path, _events())
    expected = ct.Timeline(_events()).position("CAN", as_of="2018-12-31")
    with ct.load(path) as timeline:
        decoded.clear()
        position = timeline.position("CAN", as_of="2018-12-31")
        assert decoded == []  # neither a statement nor a treaty act
        stances = dict(position.stances)
        assert sorted(decoded) == ["statement"] * len(TOPICS)  # 2018's, one a topic
        assert {topic: entry.event_id for topic, entry in stances.items()} == {
            topic: f"can-{topic}-2018" for topic in TOPICS}
        assert position.to_dict() == expected.to_dict()
    with ct.load(path) as timeline:
        decoded.clear()
        latest = timeline.position("CAN", as_of="2030")
        assert decoded == []
        assert latest.to_dict() == ct.Timeline(_events()).position("CAN",
                                                                   as_of="2030").to_dict()
        # The last statement of each topic, and the treaty's acts: not the 12 statements.
        assert sorted(decoded) == ["ratification", "signature", *["statement"] * len(TOPICS)]


def test_a_position_is_read_from_its_rows_after_the_store_is_closed(tmp_path: Path) -> None:
    """The rows it was answered from are held: closing the store, even replacing its file,
    does not change a position already handed out."""
    path = _store(tmp_path, _events())
    expected = ct.Timeline(_events()).position("CAN", as_of="2030")
    with ct.load(path) as timeline:
        position = timeline.position("CAN", as_of="2030")
    path.unlink()
    _store(tmp_path, _events()[:1])
    assert position.to_dict() == expected.to_dict()
    assert str(position) == str(expected)


def test_threads_reading_one_lazy_position_agree(tmp_path: Path) -> None:
    path = _store(tmp_path, _events())
    expected = ct.Timeline(_events()).position("CAN", as_of="2030").to_dict()
    for _ in range(5):  # a fresh store each time: its rows not yet decoded
        with ct.load(path) as timeline:
            position = timeline.position("CAN", as_of="2030")
        got: list[Any] = []
        errors: list[BaseException] = []

        def read(position: ct.Position = position, got: list[Any] = got,
                 errors: list[BaseException] = errors) -> None:
            try:
                got.append(position.to_dict())
            except BaseException as exc:  # pragma: no cover - the failure reported
                errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert got == [expected] * 4


def test_stored_events_decode_each_row_once_and_slice_lazily() -> None:
    rows = [(i, 1, f"payload {i}", f"e{i}", None) for i in range(5)]
    made: list[int] = []
    events = _events()

    def decode(row: tuple[Any, ...]) -> Any:
        made.append(row[0])
        return events[row[0]]

    stored = StoredEvents(rows, [row[3] for row in rows], decode)
    tail = stored[2:]
    assert isinstance(tail, StoredEvents)
    assert made == []
    assert tail.ids == ["e2", "e3", "e4"]
    assert stored[3] is events[3]
    assert stored[-1] is events[4]
    assert stored[3] is events[3]
    assert made == [3, 4]
    kept = stored.kept([0, 3])
    assert list(kept) == [events[0], events[3]]
    assert made == [3, 4, 0]  # the third, decoded before, was kept
    assert len(stored) == 5
    assert list(stored) == events[:5]


@given(s.timelines(max_size=10), st.lists(st.sampled_from(s.ACTORS), min_size=1, max_size=3),
       st.none() | s.query_dates(1995, 2030), st.none() | s.query_dates(1995, 2030),
       st.booleans())
def test_sqlite_positions_equal_the_reference_fold(
        events: list[Any], actors: list[str], as_of: Any, known_at: Any,
        possible: bool) -> None:
    """Every position of a fresh store (its events read as rows, corrected and retracted
    ones among them), known now and known at a day, equals folding the events rules 2 and 3
    select, as JSON."""
    with tempfile.TemporaryDirectory() as directory:
        path = _store(Path(directory), events)
        with ct.load(path) as timeline:
            for actor in actors:
                for known in (None, known_at):
                    got = timeline.position(actor, as_of=as_of, known_at=known,
                                            possible=possible)
                    chosen = ref.folded(events, ref.last_day(as_of), ref.last_day(known),
                                        possible)
                    replay = ct.fold(ct.PositionProjection(actor), chosen)
                    assert got.to_dict() | {"as_of": None, "known_at": None,
                                            "possible": False, "not_yet_open": {}
                                            } == replay.to_dict()


def test_a_corrected_statement_is_left_out_without_decoding_the_others(
        tmp_path: Path, decoded: list[str]) -> None:
    """A correction among the actor's other events drops the corrected one by its id: the
    rest stay rows."""
    events = _events()
    correction = ct.Statement(id="can-fix", date=ct.Date.parse("2019-03"), actor="CAN",
                              topic="untoc", stance="opposes", sources=SOURCE,
                              supersedes="can-untoc-2019",
                              recorded=ct.Date.from_date(dt.date(2020, 1, 1)))
    path = _store(tmp_path, [*events, correction])
    expected = ct.Timeline([*events, correction]).position("CAN", as_of="2030")
    with ct.load(path) as timeline:
        decoded.clear()
        position = timeline.position("CAN", as_of="2030")
        assert "statement" not in decoded
        assert position.stances["untoc"].event_id == "can-fix"
        assert position.to_dict() == expected.to_dict()
