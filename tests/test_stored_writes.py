"""Stores keep each event's writes as rows (rule 5's entries, a ballot a row), and a position
reads those rows, not the events behind them, until an answer asks for an event."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.written import Entries
from cybertimeline._projections import entries
from cybertimeline._stores import sql_rows, sqlite, sqlite_writes
from cybertimeline._stores.sqlite_db import SCHEMA, WRITES_2
from tests import reference as ref
from tests import strategies as s


@pytest.fixture(scope="module")
def bundled() -> ct.Timeline:
    return ct.load()


def _copy(bundled: ct.Timeline, path: Path) -> Path:
    ct.copy_into(bundled, path).close()
    return path


def _to_schema_1(path: Path) -> None:
    """What a store written by the library before the writes tables looks like."""
    with sqlite3.connect(path, isolation_level=None) as db:
        for table in ("writes", "entries", "ballots", "names"):
            db.execute(f"DROP TABLE {table}")
    db.close()


def _to_schema_2(path: Path) -> None:
    """What a store of the second schema looks like: the writes tables of another shape
    (entries with their ballots, no sources), here with their rows still to be written."""
    _to_schema_1(path)
    with sqlite3.connect(path, isolation_level=None) as db:
        db.executescript(WRITES_2)
    db.close()


def test_every_write_of_an_event_is_a_row_and_a_ballot_is_one() -> None:
    vote = ct.Vote(id="v", date=ct.Date.parse("2019-12-27"), body="UNGA",
                   resolution="A/RES/74/247", votes={"CAN": "no", "RUS": "yes"},
                   sources=[ct.Source(title="Record")])
    assert sorted(vote.written()) == [("CAN", "votes", "A/RES/74/247", "no", '["UNGA",null]'),
                                      ("RUS", "votes", "A/RES/74/247", "yes", '["UNGA",null]')]
    assert vote.written_for("RUS") == [("RUS", "votes", "A/RES/74/247", "yes", '["UNGA",null]')]
    assert vote.written_for("UNGA") == []


@given(s.events(kinds=s.BASE_KINDS), st.sampled_from(s.ACTORS))
def test_the_rows_of_an_actor_are_the_entries_the_event_declares(event: Any, actor: str) -> None:
    """`written_for` is `entries` with values: what a position folds, nothing else."""
    rows = event.written_for(actor)
    assert [(section, key) for _, section, key, _, _ in rows] == list(event.entries(actor))
    assert set(rows) == {row for row in event.written() if row[0] == actor}


@given(s.events(kinds=s.BASE_KINDS))
def test_the_writes_of_an_event_are_one_row_per_actor_and_entry_in_declared_order(
        event: Any) -> None:
    """`written` (fast where a kind declares one write) against its definition."""
    rows: dict[tuple[str, str, str], Any] = {}
    for write in event.writes:
        key = str(getattr(event, write.key or "id"))
        named = getattr(event, write.whose)
        for actor in [named] if isinstance(named, str) else named:
            rows.setdefault((actor, write.section, key),
                            (actor, write.section, key, event.value(actor),
                             event._detail(write.detail)))
    assert event.written() == list(rows.values())


def test_a_position_on_sqlite_decodes_no_vote_event_until_asked(
        bundled: ct.Timeline, tmp_path: Path, decoded: list[str]) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    with ct.load(path) as timeline:
        decoded.clear()
        position = timeline.position("KOR", as_of="2022-01-01")
        answer = position.to_dict()
        assert answer["votes"]["A/RES/74/247"]["option"] == "no"
        assert "vote" not in decoded  # the ballots came from rows
        text = str(position)
        assert "vote" not in decoded  # and the text's titles and sources
        assert text == str(bundled.position("KOR", as_of="2022-01-01"))
        sources = position.sources()
        assert "vote" in decoded  # sources ask for the roll calls themselves
        assert answer == bundled.position("KOR", as_of="2022-01-01").to_dict()
        assert sources == bundled.position("KOR", as_of="2022-01-01").sources()


def test_an_entry_read_from_rows_equals_the_one_folded_and_pickles_with_its_event(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    folded = bundled.position("CAN", as_of="2021-06-01").votes
    with ct.load(path) as timeline:
        read = timeline.position("CAN", as_of="2021-06-01").votes
        assert dict(read) == dict(folded)
        entry = read["A/RES/74/247"]
        assert hash(entry) == hash(folded["A/RES/74/247"])
        again = pickle.loads(pickle.dumps(entry))
    assert again == entry
    assert again.event == folded["A/RES/74/247"].event  # read before the store was closed


def test_entries_read_from_rows_show_what_folded_ones_show_and_stay_frozen(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    # Entries of stored rows are made without `VoteEntry.__init__` (the rows were checked):
    # every field, `to_dict` and `sources` must still be the folded entry's.
    path = _copy(bundled, tmp_path / "store.sqlite")
    folded = bundled.position("USA", as_of="2022-01-01").votes
    with ct.load(path) as timeline:
        read = timeline.position("USA", as_of="2022-01-01").votes
        assert len(read) > 10
        assert list(read) == list(folded)
        for key, entry in read.items():
            expected = folded[key]
            assert entry._fields() == expected._fields()
            assert entry.to_dict() == expected.to_dict()
            assert entry.sources == expected.sources
            assert entry.event == expected.event
        shown = entry.to_dict()
        shown["option"] = "changed"  # a copy: the entry's own is kept
        assert entry.to_dict() == expected.to_dict()
        with pytest.raises(AttributeError):
            entry.option = "yes"  # type: ignore[misc]


_DETAILS = st.sampled_from([
    '["UNGA", "A title"]', '["UNGA", null]', '["UNGA"]', '["UNGA", "t", "x"]', '[1, "t"]',
    '["UNGA", 2]', '{"UNGA": null}', '"UNGA"', 'null', '[', '', '[["UNGA"], null]'])


@given(st.lists(_DETAILS, max_size=6))
def test_details_are_read_as_pairs_all_or_none(details: list[str]) -> None:
    # Read at once (by sets of types): the answer is each alone's, or None if any is not a pair.
    one_by_one = [entries._pair(detail) for detail in details]
    expected = None if None in one_by_one else one_by_one
    read = entries._pairs(details)  # as two columns, the bodies and the titles
    assert (None if read is None else list(zip(*read, strict=True))) == expected


def test_a_vote_entry_needs_its_event_or_a_way_to_read_it() -> None:
    with pytest.raises(TypeError, match="needs its event"):
        ct.VoteEntry(resolution="A/RES/74/247", option="no", body="UNGA",
                     date=ct.Date.parse("2019-12-27"))
    entry = ct.VoteEntry(resolution="A/RES/74/247", option="no", body="UNGA",
                         date=ct.Date.parse("2019-12-27"), event_id="x", load=lambda i: i)
    with pytest.raises(AttributeError):
        entry.option = "yes"  # type: ignore[misc]


def test_a_store_of_the_first_schema_is_upgraded_in_place(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT count(*) FROM writes").fetchone()[0]
    db.close()
    _to_schema_1(path)
    with ct.load(path) as timeline:
        assert (timeline.position("KOR", as_of="2022-01-01").to_dict()
                == bundled.position("KOR", as_of="2022-01-01").to_dict())
        timeline.validate()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM writes").fetchone()[0] == before > 0
    db.close()


def test_a_store_of_the_second_schema_is_upgraded_in_place(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    _to_schema_2(path)
    with ct.load(path) as timeline:
        assert (str(timeline.position("CAN", as_of="2022-01-01"))
                == str(bundled.position("CAN", as_of="2022-01-01")))
        timeline.validate()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM ballots").fetchone()[0] > 0
        assert db.execute("SELECT count(DISTINCT sources) FROM entries").fetchone()[0] > 1
    db.close()


def test_a_store_of_the_third_schema_gets_its_index_in_place(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    """Schema 4 adds the entries' canonical index to schema 3's rows, which stay as they are."""
    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("DROP INDEX entries_canonical")
        before = db.execute("SELECT * FROM entries ORDER BY seq, section").fetchall()
    db.close()
    with ct.load(path) as timeline:
        assert (timeline.position("KOR", as_of="2022-01-01").to_dict()
                == bundled.position("KOR", as_of="2022-01-01").to_dict())
        timeline.validate()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sqlite_schema WHERE name = "
                          "'entries_canonical'").fetchone()[0] == 1
        assert db.execute("SELECT * FROM entries ORDER BY seq, section").fetchall() == before
    db.close()


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT * FROM writes ORDER BY seq, section, whose").fetchall()
    db.close()
    return found


def test_a_large_append_stages_its_writes_and_stores_the_rows_a_small_one_does(
        bundled: ct.Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(list(bundled.events())) >= sqlite_writes.STAGED_EVENTS
    staged = _copy(bundled, tmp_path / "staged.sqlite")
    monkeypatch.setattr(sqlite, "STAGED_EVENTS", 10**9)
    plain = _copy(bundled, tmp_path / "plain.sqlite")
    assert _rows(staged) == _rows(plain) != []
    with ct.load(staged) as timeline:
        timeline.validate()


ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)


@settings(max_examples=200)
@given(st.lists(st.lists(st.tuples(
    st.sampled_from(["CAN", "KOR", "A\x00B", "é", "K\\u0000"]),
    st.none() | ANY_TEXT | st.sampled_from(["\x00", "\\u0000", "a\x00"])
    | st.integers(-(2**63), 2**63 - 1) | st.booleans()), max_size=5), max_size=4), st.booleans())
def test_the_rows_of_writes_hold_what_binding_each_would(
        events: list[list[tuple[str, Any]]], gathered: bool) -> None:
    """An append's writes go in as JSON objects, by event or gathered by actor, where JSON
    keeps them as binding does, else bound row by row: any text (a NUL, escapes), None,
    numbers, an actor twice in an event (refused by the key, as bound rows are)."""
    rows = {seq: [(whose, "votes", "A/RES/1/1", value, None) for whose, value in pairs]
            for seq, pairs in enumerate(events, 1)}

    def stored(insert: Any) -> Any:
        db = sqlite3.connect(":memory:")
        db.executescript(SCHEMA)
        try:
            insert(db)
        except sqlite3.IntegrityError:
            return "refused"
        return db.execute("SELECT *, typeof(value) FROM writes").fetchall()

    def by_writes(db: sqlite3.Connection) -> None:
        writes = sqlite_writes.Writes(db, gathered)
        for seq, ours in rows.items():
            writes.add("votes", seq, ours)
        writes.flush()

    bound = stored(lambda db: db.executemany(
        "INSERT INTO writes VALUES (?, ?, ?, ?)",
        [(w, s, seq, v) for seq, ours in rows.items() for w, s, _, v, _ in ours]))
    assert stored(by_writes) == bound


def test_a_staged_append_that_fails_writes_nothing_and_the_next_one_stages_afresh(
        bundled: ct.Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = [e for e in bundled.events(kind="vote") if isinstance(e, ct.Vote) and e.body == "UNGA"]
    monkeypatch.setattr(sqlite, "STAGED_EVENTS", len(events) // 2)
    path = tmp_path / "store.sqlite"
    ct.create(path).close()
    calls = 0
    real = sql_rows.entries_made

    def failing(event: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == len(events):  # the last event: its ballots' rows are staged by then
            raise OSError("disk full")
        return real(event, **kwargs)

    monkeypatch.setattr(sqlite_writes, "entries_made", failing)
    with ct.load(path) as timeline, pytest.raises(ct.TimelineError, match="disk full"):
        timeline.extend(events)
    assert _rows(path) == []
    monkeypatch.setattr(sqlite_writes, "entries_made", real)
    with ct.load(path) as timeline:
        timeline.extend(events)
        timeline.validate()
    assert len(_rows(path)) == sum(len(e.votes) for e in events)


@pytest.mark.parametrize(("change", "expected"), [
    ("UPDATE ballots SET ballots = x'00000000' WHERE rowid = 1",
     "disagree with the writes of its payload"),
    ("UPDATE entries SET sources = '[{\"title\":\"Forged\"}]' WHERE section = 'votes'",
     "disagree with the writes of its payload"),
    ("UPDATE writes SET value = 'yes' WHERE whose = 'KOR' AND value = 'no'",
     "disagree with the writes of its payload"),
    ("DELETE FROM writes WHERE whose = 'KOR'", "disagree with the writes of its payload"),
    ("UPDATE entries SET key = 'A/RES/1/1' WHERE section = 'votes'",
     "disagree with the writes of its payload"),
    ("INSERT INTO writes (whose, section, seq, value) VALUES ('KOR', 'votes', 99999, 'no')",
     "writes names row 99999, which is no event"),
])
def test_validate_finds_rows_that_disagree_with_their_events(
        bundled: ct.Timeline, tmp_path: Path, change: str, expected: str) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute(change)
    db.close()
    with pytest.raises(ct.ValidationError) as caught, ct.load(path) as timeline:
        timeline.validate()
    assert any(expected in p.message for p in caught.value.problems)


_KOR_FIRST = ("whose = 'KOR' AND section = 'votes' AND seq = (SELECT min(seq) FROM writes "
              "WHERE whose = 'KOR' AND section = 'votes')")


@pytest.mark.parametrize(("change", "reads"), [
    # One actor's query reads its rows, a bulk one the entries' ballots: each finds what
    # it reads; `validate` finds both.
    ("UPDATE writes SET value = NULL WHERE whose = 'KOR'", (False,)),
    (f"UPDATE writes SET value = 'y' || char(31) || 'es' WHERE {_KOR_FIRST}", (False,)),
    (f"UPDATE writes SET value = NULL WHERE {_KOR_FIRST}", (False,)),
    (f"UPDATE writes SET seq = 99999 WHERE {_KOR_FIRST}", (False,)),
    ("UPDATE ballots SET ballots = x'0102' WHERE section = 'votes'", (True,)),
    ("UPDATE entries SET detail = '{not json' WHERE section = 'votes'", (False, True)),
    ("UPDATE entries SET detail = NULL WHERE section = 'votes'", (False, True)),
    ("UPDATE entries SET latest = 'soon' WHERE section = 'votes'", (False, True)),
])
def test_a_hand_changed_row_is_reported_not_a_crash(
        bundled: ct.Timeline, tmp_path: Path, change: str, reads: tuple[bool, ...]) -> None:
    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute(change)
    db.close()
    def answer(timeline: ct.Timeline, bulk: bool) -> None:
        if bulk:
            timeline.prepare_bulk()
        timeline.position("KOR").to_dict()

    for bulk in reads:
        with ct.load(path) as timeline, pytest.raises(ct.ValidationError, match="validate"):
            answer(timeline, bulk)


@pytest.mark.parametrize("sources", ["{not json", "[{}]", "[1]", "[]]"])
def test_hand_changed_sources_are_reported_when_cited_not_a_crash(
        bundled: ct.Timeline, tmp_path: Path, sources: str) -> None:
    """An entry's sources are read when a text or a table cites them, not before."""
    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("UPDATE entries SET sources = ? WHERE section = 'votes'", (sources,))
    db.close()
    with ct.load(path) as timeline:
        position = timeline.position("KOR")
        assert position.to_dict() == bundled.position("KOR").to_dict()
        with pytest.raises(ct.ValidationError, match=r"sources of the roll call .* validate"):
            str(position)
        with pytest.raises(ct.ValidationError, match="sources of the roll call"):
            position._repr_html_()
        with pytest.raises(ct.ValidationError, match="disagree with the writes"):
            timeline.validate()


@settings(max_examples=25, deadline=None)
@given(s.timelines(), st.sampled_from(s.STATES), s.query_dates(), s.query_dates())
def test_positions_read_from_rows_equal_a_replay(
        tmp_path_factory: pytest.TempPathFactory, events: Sequence[Any], actor: str,
        as_of: Any, known_at: Any) -> None:
    """Rule 5: the rows a SQLite store keeps answer as the fold of the known events does,
    with corrections, partial dates and known_at."""
    path = tmp_path_factory.mktemp("rows") / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
        stored = list(timeline.events(include_corrected=True))  # as stored: stamped by the append
    chosen = ref.folded(stored, ref.last_day(as_of), ref.last_day(known_at), False)
    expected = ct.fold(ct.PositionProjection(actor), chosen).to_dict()
    expected |= {"as_of": None if as_of is None else str(ct.Date.coerce(as_of)),
                 "known_at": None if known_at is None else str(ct.Date.coerce(known_at))}
    expected.pop("not_yet_open")  # from the registry (rule 11), not from the fold
    with ct.load(path) as timeline:
        got = timeline.position(actor, as_of=as_of, known_at=known_at).to_dict()
        got.pop("not_yet_open")
        assert got == expected


@settings(max_examples=25, deadline=None)
@given(s.timelines(), st.sampled_from(s.RESOLUTIONS), s.query_dates(), s.query_dates())
def test_every_vote_on_a_resolution_is_what_each_position_holds(
        tmp_path_factory: pytest.TempPathFactory, events: Sequence[Any], resolution: str,
        as_of: Any, known_at: Any) -> None:
    """`votes_on` reads a resolution's ballots, in memory, in SQLite and from every actor's
    matrix alike; each actor's answer is its position's vote on it."""
    path = tmp_path_factory.mktemp("rows") / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
    with ct.load(path) as stored:
        memory = ct.Timeline(stored.events(include_corrected=True))
        answers = [stored.votes_on(resolution, as_of=as_of, known_at=known_at),
                   memory.votes_on(resolution, as_of=as_of, known_at=known_at)]
        stored.prepare_bulk()
        memory.prepare_bulk()
        answers += [stored.votes_on(resolution, as_of=as_of, known_at=known_at),
                    memory.votes_on(resolution, as_of=as_of, known_at=known_at)]
        expected = {}
        for actor in s.ACTORS:
            vote = memory.position(actor, as_of=as_of, known_at=known_at).votes.get(resolution)
            if vote is not None:
                expected[actor] = vote
        assert all(answer == expected for answer in answers)
        assert all(list(answer) == sorted(answer) for answer in answers)


@settings(max_examples=25, deadline=None)
@given(s.timelines(), s.query_dates(), s.query_dates())
def test_positions_of_many_actors_from_the_matrix_equal_those_from_rows(
        tmp_path_factory: pytest.TempPathFactory, events: Sequence[Any], as_of: Any,
        known_at: Any) -> None:
    """Positions answered from every actor's ballots at once (a matrix) equal those read
    actor by actor from the rows, and the fold (rule 5), including the order of keys."""
    path = tmp_path_factory.mktemp("rows") / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
    with ct.load(path) as by_rows, ct.load(path) as by_matrix:
        stored = list(by_rows.events(include_corrected=True))
        by_matrix.prepare_bulk()
        for actor in s.ACTORS:
            one = by_rows.position(actor, as_of=as_of, known_at=known_at)
            bulk = by_matrix.position(actor, as_of=as_of, known_at=known_at)
            folded = ct.fold(ct.PositionProjection(actor), ref.folded(
                stored, ref.last_day(as_of), ref.last_day(known_at), False))
            assert one.to_dict() == bulk.to_dict()
            assert list(one.votes) == list(bulk.votes) == list(folded.votes)
            assert dict(bulk.votes) == dict(folded.votes)


def test_an_answer_read_while_another_writer_commits_is_of_one_version(
        bundled: ct.Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 26, item 12: a position is read in parts (the actor's writes, then the charts
    its coverage rests on); when another writer commits between them, the whole answer is
    read again, from the new version, rather than mixing the two."""
    path = _copy(bundled, tmp_path / "store.sqlite")
    signature = ct.Signature(id="chn-signs", date=ct.Date.parse("2019-03-01"), actor="CHN",
                             instrument="budapest-convention",
                             recorded=ct.Date.parse("2019-03-01"),
                             sources=[ct.Source(title="Chart")])
    with ct.load(path) as reader, ct.load(path) as writer:
        assert reader.position("CHN", as_of="2020-01-01").treaty(
            "budapest-convention").status == "none"
        real = reader._coverage
        calls = []

        def commit_meanwhile(*args: Any) -> Any:
            calls.append(args)
            if len(calls) == 1:  # another process's append commits mid-answer
                writer.append(signature)
            return real(*args)

        monkeypatch.setattr(reader, "_coverage", commit_meanwhile)
        answer = reader.position("CHN", as_of="2020-01-01")
        assert len(calls) == 2  # read again, whole
        assert answer.treaty("budapest-convention").status == "signatory"
        with ct.load(path) as fresh:
            assert answer.to_dict() == fresh.position("CHN", as_of="2020-01-01").to_dict()


def test_one_states_position_from_sqlite_loads_no_codec_no_iso_table_no_numpy(
        tmp_path: Path) -> None:
    """What `cybertimeline position KOR` on an imported record needs: its rows and the UN's
    names, not cattrs or even the events' classes (events are not decoded), pycountry (a
    State is found by its id) or numpy (one actor is not a matrix). Each takes longer to
    load than the answer takes."""
    path = tmp_path / "votes.sqlite"
    with ct.create(path) as timeline:
        timeline.extend([
            ct.Vote(id=f"v{n}", date=ct.Date.parse(f"2019-12-{n + 10}"), body="UNGA",
                    resolution=f"A/RES/74/{n}", votes={"KOR": "yes", "CAN": "no"},
                    sources=[ct.Source(title="Record", locator=f"roll call {n}")])
            for n in range(3)])
    code = ("import sys, cybertimeline as ct\n"
            "from cybertimeline._cli import main\n"
            "code = main(['--events', sys.argv[1], 'position', 'KOR', '--as-of', '2020'])\n"
            "print(sorted(m for m in ('cattrs', 'pycountry', 'numpy', "
            "'cybertimeline._model.events') if m in sys.modules))\n"
            "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "A/RES/74/2" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_store_of_the_third_schema_that_cannot_be_written_is_read_as_it_is(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    """Where a store of schema 3 cannot be upgraded (a read-only medium), it is read without
    the index schema 4 adds: the same answers, and the file left as it was."""
    from tests.test_untrusted_sqlite import read_only_copy

    path = _copy(bundled, tmp_path / "store.sqlite")
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("DROP INDEX entries_canonical")
        db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    with read_only_copy(path) as copy:
        with ct.load(copy) as timeline:
            assert (timeline.position("KOR", as_of="2022-01-01").to_dict()
                    == bundled.position("KOR", as_of="2022-01-01").to_dict())
            timeline.validate()
        with sqlite3.connect(f"{copy.as_uri()}?mode=ro&immutable=1", uri=True) as db:
            assert db.execute("SELECT count(*) FROM sqlite_schema WHERE name = "
                              "'entries_canonical'").fetchone()[0] == 0
        db.close()


_DAYS = st.dates(dt.date(1946, 1, 1), dt.date(2030, 12, 31))


@settings(max_examples=200)
@given(st.lists(st.tuples(_DAYS, _DAYS, st.sampled_from(["", "-06", "-06-30"]),
                          st.sampled_from(["A/RES/1/1", "A/RES/1/2", "A/RES/2/1"])),
                max_size=12))
def test_entries_read_with_their_days_elided_are_the_entries_read_whole(
        rows: list[tuple[dt.date, dt.date, str, str]]) -> None:
    """A query elides an entry's recorded day and date where both are its latest day (most
    roll calls); read back, its entries are those of its rows read whole, and whether two
    share a key is told right."""
    whole = [(seq, f"e{seq}", latest.isoformat(), recorded.isoformat(),
              f"{latest.year}{suffix}" if suffix else latest.isoformat(), key, "[\"UNGA\",null]",
              "[]") for seq, (latest, recorded, suffix, key) in enumerate(rows)]
    elided = [(seq, event_id, latest, None if (recorded, date) == (latest, latest)
               else f"{recorded} {date}", key, detail)
              for seq, event_id, latest, recorded, date, key, detail, _ in whole]
    read = Entries.of_elided(list(zip(*elided, strict=True)), lambda seqs, ids: ["[]"] * len(ids))
    expected = Entries.of_columns(whole)
    for column in ("ids", "latest", "recorded", "dates", "keys", "details", "rank"):
        assert getattr(read, column) == getattr(expected, column)
    assert read.distinct_keys() == (len({row[5] for row in whole}) == len(whole))


def test_elided_entries_of_another_shape_are_an_error_not_an_answer() -> None:
    row = (1, "e1", "2020-01-01", "2020-01-01", "A/RES/1/1", "[\"UNGA\",null]")
    with pytest.raises(ValueError, match="not enough values"):  # a recorded day, no date
        Entries.of_elided(list(zip(*[row], strict=True)), lambda seqs, ids: ids)
    with pytest.raises(TypeError):
        Entries.of_elided(list(zip(*[(*row[:3], 7, *row[4:])], strict=True)),
                          lambda seqs, ids: ids)
