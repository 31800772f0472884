"""A store held in memory reads an actor's position from columns made once for all actors:
its column of every actor's ballots, its other events' writes by section, vote entries
shared by cell. Each column equals what the events write, and every answer read from them
equals a full replay, in the order positions show and write their entries."""

from __future__ import annotations

import json
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.ballots import Ballots
from cybertimeline._model.event import COLUMNAR
from cybertimeline._model.sources import sources_json
from cybertimeline._model.written import Entries
from cybertimeline._stores import index as index_module
from cybertimeline._stores.index import MemoryIndex
from tests import reference as ref
from tests import strategies as s


@pytest.fixture(autouse=True)
def _columns_of_any_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns made for stores of any size (the examples here are small)."""
    monkeypatch.setattr(index_module, "COLUMNS_FROM", 0)


def _ballots_of_rows(events: list[Any]) -> Ballots:
    """The ballots as every event's `written` rows make them, one row at a time."""
    rows: list[Any] = []
    written: list[list[tuple[str, str | None]]] = []
    for event in sorted(events, key=ct.canonical_key):
        found = [row for row in event.written() if row[1] == "votes"]
        if found:
            rows.append((len(rows), event.id, event.date.latest, event.recorded_on,
                         str(event.date), found[0][2], found[0][4], sources_json(event.sources)))
            written.append([(whose, value) for whose, _, _, value, _ in found])
    return Ballots.of_rows(Entries(rows), written)


@given(s.timelines())
def test_every_actors_ballots_are_the_roll_calls_written_rows(events):
    """The matrix made from the roll calls' tables equals the one made from each ballot's
    written row: the same actors, options, codes and entries."""
    fast = Ballots.from_events(sorted(events, key=ct.canonical_key), "votes")
    rows = _ballots_of_rows(events)
    assert fast.actors == rows.actors
    assert fast.values == rows.values
    assert np.array_equal(fast.codes, rows.codes)
    for column in ("ids", "latest", "recorded", "dates", "keys", "details", "sources"):
        assert getattr(fast.entries, column) == getattr(rows.entries, column)


@given(s.timelines(), st.sampled_from(s.ACTORS))
def test_an_actors_columns_are_what_its_events_write(events, actor):
    """`MemoryIndex.writes`: the other events are the lane less the roll calls it voted in;
    their writes by section are each event's `entries`; the column of votes is the actor's
    written rows, in canonical order."""
    index = MemoryIndex(events)
    others, columns, sections = index.writes(actor)
    lane = index.lane(actor).events
    voted = [e for e in lane if any(row[0] == actor and row[1] in COLUMNAR
                                    for row in e.written())]
    assert others.events == [e for e in lane if e not in voted]
    assert others.latest == [e.date.latest for e in others.events]
    expected: dict[str, tuple[list[str], list[int]]] = {}
    for ordinal, event in enumerate(others.events):
        for section, key in event.entries(actor):
            expected.setdefault(section, ([], []))[0].append(key)
            expected[section][1].append(ordinal)
    assert sections == expected
    votes = columns["votes"]
    assert list(votes.keys) == [e.entry_key("votes") for e in voted]
    assert list(votes.values) == [e.value(actor) for e in voted]


@st.composite
def _voted(draw: st.DrawFn) -> list[Any]:
    """A timeline and roll calls on resolutions of their own (some voted on again), so that
    positions hold many votes, each on its key once or not."""
    events = draw(s.timelines())
    votes = draw(st.lists(s.events(kinds=("vote",), date=s.dates(2000, 2025), light=True),
                          max_size=8))
    repeat = draw(st.integers(0, 3))
    return events + [attrs.evolve(vote, id=f"v{i:02d}", resolution=f"R/{i % 8 or repeat}",
                                  supersedes=None)
                     for i, vote in enumerate(votes)]


def _order(position: ct.Position) -> dict[str, list[str]]:
    """The order of every section's entries, as shown and written (`SectionSpec.ordered`)."""
    return {spec.name: [key for key, _ in spec.ordered(position.section(spec.name))]
            for spec in ct.sections() if spec.keyed}


@settings(max_examples=150)
@given(_voted(), st.sampled_from(s.ACTORS), st.none() | s.query_dates(1995, 2030),
       st.none() | s.query_dates(1995, 2030))
def test_positions_from_columns_equal_a_full_replay_in_order(events, actor, as_of, known_at):
    """Read from the columns (and kept for another day), a position equals the fold of the
    events chosen, entries in the same order: JSON written the same, byte for byte."""
    tl = ct.Timeline(events)
    for day in (as_of, None):
        got = tl.position(actor, as_of=day, known_at=known_at)
        chosen = ref.folded(events, ref.last_day(day), ref.last_day(known_at), False)
        replay = ct.fold(ct.PositionProjection(actor), chosen)
        mine = got.to_dict() | {"as_of": None, "known_at": None, "possible": False,
                                "not_yet_open": {}}
        assert json.dumps(mine) == json.dumps(replay.to_dict(), default=str)
        assert _order(got) == _order(replay)
        assert {k: list(v) for k, v in got.sections.items()} == {
            k: list(v) for k, v in replay.sections.items()}


@settings(max_examples=60)
@given(s.timelines(min_size=1), st.sampled_from(s.ACTORS), st.none() | s.query_dates(1995, 2030))
def test_positions_after_appends_equal_a_replay_with_or_without_the_matrix(events, actor,
                                                                          as_of):
    """After an append, the index reads the actor's lane until every actor's ballots are
    made again (`prepare_bulk`), then reads the columns: the same answers either way."""
    *first, last = sorted(events, key=lambda e: e.recorded_on)
    tl = ct.Timeline(first)
    tl.position(actor, as_of=as_of)  # the columns of the events as loaded
    tl.append(last)
    chosen = ref.folded(events, ref.last_day(as_of), None, False)
    replay = ct.fold(ct.PositionProjection(actor), chosen).to_dict()
    blank: dict[str, Any] = {"as_of": None, "known_at": None, "possible": False,
                             "not_yet_open": {}}
    assert tl.position(actor, as_of=as_of).to_dict() | blank == replay
    tl.prepare_bulk()
    assert tl.position(actor, as_of=as_of).to_dict() | blank == replay


def test_a_small_store_folds_an_actors_lane_without_numpy(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Below `COLUMNS_FROM` events, an actor's first position folds its lane: the command
    line on a small store does not import numpy for one actor."""
    monkeypatch.setattr(index_module, "COLUMNS_FROM", 2)
    vote = ct.Vote(id="v1", date=ct.Date.parse("2020-01-02"), sources=[ct.Source(title="R")],
                   body="UNGA", resolution="A/RES/1", votes={"CAN": "yes"})
    index = MemoryIndex([vote])
    assert index.writes("CAN").columns == {}
    assert index.writes("CAN").others.events == [vote]
    monkeypatch.setattr(index_module, "COLUMNS_FROM", 1)
    assert list(index.writes("CAN").columns["votes"].keys) == ["A/RES/1"]


def test_a_matrix_far_larger_than_its_ballots_is_not_made_for_a_position(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Many actors each voting once: a position reads its lane, not a matrix of roll calls
    by actors far larger than its ballots, and answers the same."""
    from cybertimeline._model import ballots as ballots_module

    monkeypatch.setattr(ballots_module, "DENSE_FLOOR", 0)

    def vote(i: int, voters: list[str]) -> ct.Vote:
        return ct.Vote(id=f"v{i}", date=ct.Date.parse(f"2020-01-{i + 1:02d}"),
                       sources=[ct.Source(title="R")], body="UNGA", resolution=f"R/{i}",
                       votes=dict.fromkeys(voters, "yes"))

    names = ["CAN", "KOR", "USA", "JPN", "DEU", "FRA", "GBR", "ITA", "ESP", "BRA", "IND", "CHN"]
    sparse = [vote(i, [names[i]]) for i in range(12)]  # 144 cells for 12 ballots
    dense = [vote(i, names) for i in range(12)]  # 144 cells for 144 ballots
    assert Ballots.dense_of_events(sparse, "votes") is None
    assert Ballots.dense_of_events(dense, "votes") is not None
    assert MemoryIndex(sparse).writes("CAN").columns == {}
    assert list(MemoryIndex(dense).writes("CAN").columns["votes"].keys) == [
        f"R/{i}" for i in range(12)]
    assert ct.Timeline(sparse).position("JPN").votes["R/3"].option == "yes"


def test_vote_entries_are_shared_by_every_actor_that_voted_alike() -> None:
    """One entry per roll call and option, whichever actor's position reads it."""
    vote = ct.Vote(id="v1", date=ct.Date.parse("2020-01-02"), sources=[ct.Source(title="R")],
                   body="UNGA", resolution="A/RES/1", votes={"CAN": "yes", "KOR": "yes",
                                                             "USA": "no"})
    tl = ct.Timeline([vote])
    can, kor, usa = (tl.position(a).votes["A/RES/1"] for a in ("CAN", "KOR", "USA"))
    assert can is kor
    assert usa is not can
    assert usa.option == "no"
    assert can.event == vote
    assert can.to_dict()["event"] == "v1"


@given(s.timelines(), st.sampled_from(s.ACTORS), st.data())
def test_an_actors_writes_without_some_events_are_those_of_the_rest(events, actor, data):
    """`ActorWrites.without`: the other events less those of the dropped ids (any stored
    events': those not among them change nothing), and their writes by section as `scanned`
    makes them of what is left (the columns unchanged)."""
    from cybertimeline._stores.index import Lane, scanned

    index = MemoryIndex(events)
    writes = index.writes(actor)
    ids = [e.id for e in events]
    dropped = set(data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([])))
    kept = writes.without(frozenset(dropped))
    rest = [e for e in writes.others.events if e.id not in dropped]
    assert kept.others.events == rest
    assert kept.others.latest == [e.date.latest for e in rest]
    assert kept.sections == scanned(Lane.presorted(rest), actor)
    assert kept.columns is writes.columns
