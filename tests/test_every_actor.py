"""A store held in memory makes every actor's positions at every prefix at once, from the
second actor asked (`cybertimeline._timeline.prepared.every_prefix`): each answer read from
them equals a full replay, with corrections, retractions, partial dates and ``known_at``,
in the order positions show and write their entries."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._stores import index as index_module
from cybertimeline._stores.index import MemoryIndex
from cybertimeline._timeline import caches
from cybertimeline._timeline.prepared import every_prefix
from tests import reference as ref
from tests import strategies as s


@pytest.fixture(autouse=True)
def _columns_of_any_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns made for stores of any size (the examples here are small)."""
    monkeypatch.setattr(index_module, "COLUMNS_FROM", 0)


@st.composite
def _voted(draw: st.DrawFn) -> list[Any]:
    """A timeline (corrections and retractions among its events) and roll calls on
    resolutions of their own, some voted on again, some corrected."""
    events = draw(s.timelines())
    votes = draw(st.lists(s.events(kinds=("vote",), date=s.dates(2000, 2025), light=True),
                          max_size=8))
    repeat = draw(st.integers(0, 3))
    calls = [attrs.evolve(vote, id=f"v{i:02d}", resolution=f"R/{i % 8 or repeat}",
                          supersedes=None) for i, vote in enumerate(votes)]
    if draw(st.booleans()) and calls:  # a roll call corrected (some of its ballots gone)
        late = dt.timedelta(days=draw(st.integers(0, 900)))
        kept = draw(st.sets(st.sampled_from(sorted(calls[0].votes)))) if calls[0].votes else ()
        calls.append(attrs.evolve(calls[0], id="v99", supersedes=calls[0].id,
                                  votes={a: calls[0].votes[a] for a in sorted(kept)},
                                  recorded=ct.Date.from_date(calls[0].recorded_on + late)))
    return events + calls


def _blank(position: ct.Position) -> dict[str, Any]:
    return position.to_dict() | {"as_of": None, "known_at": None, "possible": False,
                                 "not_yet_open": {}}


def _same(got: ct.Position, replay: ct.Position) -> None:
    """Equal JSON, byte for byte (so every section's order), and equal entries in order."""
    assert json.dumps(_blank(got)) == json.dumps(replay.to_dict(), default=str)
    for spec in ct.sections():
        if spec.keyed:
            assert [k for k, _ in spec.ordered(got.section(spec.name))] == [
                k for k, _ in spec.ordered(replay.section(spec.name))]
    assert {k: list(v) for k, v in got.sections.items()} == {
        k: list(v) for k, v in replay.sections.items()}


_QUERIES = st.lists(st.tuples(st.none() | s.query_dates(1995, 2030),
                              st.none() | st.none() | s.query_dates(1995, 2030),
                              st.booleans()), min_size=1, max_size=4)
"""Queries asked of each actor: ``(as_of, known_at, possible)``, known now most often."""


@settings(max_examples=150, deadline=None)
@given(_voted(), st.data(), _QUERIES)
def test_every_actors_positions_made_at_once_equal_a_replay(events, data, queries):
    """After one actor is asked, the others' positions known now come from those made for
    every actor at once; each, on any day, read whole or by key, equals the fold of the
    events known, and so do the answers built as asked between them (``known_at``,
    ``possible``)."""
    named = sorted({a for e in events for a in e.involved} | {"CAN", "EU"})
    actors = data.draw(st.lists(st.sampled_from(named), min_size=2, max_size=6))
    tl = ct.Timeline(events)
    for actor in actors:
        for day, known_at, possible in queries:
            got = tl.position(actor, as_of=day, known_at=known_at, possible=possible)
            chosen = ref.folded(events, ref.last_day(day), ref.last_day(known_at),
                                possible and day is not None)
            replay = ct.fold(ct.PositionProjection(actor), chosen)
            _same(got, replay)
            for spec in ct.sections():
                if spec.keyed:
                    for key, entry in replay.section(spec.name).items():
                        assert got.section(spec.name)[key] == entry


@settings(max_examples=60, deadline=None)
@given(_voted(), st.sampled_from(s.ACTORS), st.none() | s.query_dates(1995, 2030))
def test_positions_made_at_once_are_those_one_actor_builds(events, actor, day):
    """`every_prefix` makes, for each actor it holds, what `Derived.build` makes of that
    actor's writes known now; an actor whose column reads a corrected roll call is left
    to be built as asked."""
    tl = ct.Timeline(events)
    tl.position(actor)  # the columns of the events as loaded
    versions = tl._versions
    derived, index = versions.current(), versions.index
    assert isinstance(index, MemoryIndex)
    made = every_prefix(index, derived.known.dropped_now(), derived.votes)
    dropped = derived.known.dropped_now()
    for other, prefixes in made.items():
        alone = derived.build(other, index.writes(other))
        assert prefixes.at(ref.last_day(day)) == alone.at(ref.last_day(day))
        assert _blank(prefixes.at(ref.last_day(day))) == _blank(alone.at(ref.last_day(day)))
    voters = {a for e in events if isinstance(e, ct.Vote) and e.id in dropped for a in e.votes}
    assert not voters & set(made)
    assert set(made) | voters >= {a for e in events for a in e.involved}


def _every(derived: caches.Derived) -> dict[str, Any] | None:
    """What `Derived` holds of every actor's positions made at once (None: not made)."""
    return derived._every


def test_the_second_actor_asked_makes_every_actors_positions() -> None:
    """One question builds its actor alone (the command line); the second makes every
    actor's at once, then each is read, not built."""
    vote = ct.Vote(id="v1", date=ct.Date.parse("2020-01-02"), sources=[ct.Source(title="R")],
                   body="UNGA", resolution="A/RES/1", votes={"CAN": "yes", "KOR": "yes",
                                                             "USA": "no"})
    tl = ct.Timeline([vote])
    tl.position("CAN")
    derived = tl._versions.current()
    assert _every(derived) is None
    tl.position("KOR")
    assert set(_every(derived) or ()) == {"CAN", "KOR", "USA", "UNGA"}  # the body too
    assert tl.position("USA").votes["A/RES/1"].option == "no"
    assert len(derived._prefixes) == 1  # USA and KOR read, not built


def test_a_small_store_makes_none_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below `COLUMNS_FROM` events, positions are folded from lanes, one actor at a time."""
    monkeypatch.setattr(index_module, "COLUMNS_FROM", 2)
    vote = ct.Vote(id="v1", date=ct.Date.parse("2020-01-02"), sources=[ct.Source(title="R")],
                   body="UNGA", resolution="A/RES/1", votes={"CAN": "yes", "KOR": "no"})
    tl = ct.Timeline([vote])
    assert tl.position("CAN").votes["A/RES/1"].option == "yes"
    assert tl.position("KOR").votes["A/RES/1"].option == "no"
    assert tl._versions.current()._every == {}


def test_a_small_store_asked_of_many_actors_imports_no_numpy() -> None:
    """The guard holds for many actors too: a store below `COLUMNS_FROM` never makes the
    columns, so its positions do not import numpy (a process of its own)."""
    script = (
        "import sys, cybertimeline as ct\n"
        "v = ct.Vote(id='v1', date=ct.Date.parse('2020-01-02'), body='UNGA',"
        " sources=[ct.Source(title='R')], resolution='A/RES/1',"
        " votes={'CAN': 'yes', 'KOR': 'no', 'USA': 'no'})\n"
        "tl = ct.Timeline([v])\n"
        "print([tl.position(a).votes['A/RES/1'].option for a in ('CAN', 'KOR', 'USA')])\n"
        "print('numpy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split("\n")[:2] == ["['yes', 'no', 'no']", "False"]


def test_threads_asking_many_actors_at_once_get_the_answers_of_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads asking for other actors while every actor's positions are being made wait
    for them (made once), and each answer equals the one a single thread gets."""
    made: list[int] = []

    def counted(*args: Any) -> Any:
        made.append(1)
        time.sleep(0.05)  # long enough for every thread to ask meanwhile
        return every_prefix(*args)

    monkeypatch.setattr(caches, "every_prefix", counted)
    names = ["CAN", "KOR", "USA", "JPN", "DEU", "FRA", "GBR", "ITA"]
    events = [ct.Vote(id=f"v{n}", date=ct.Date.parse(f"2020-01-{n % 28 + 1:02d}"),
                      sources=[ct.Source(title="R")], body="UNGA", resolution=f"A/RES/{n}",
                      votes={a: ("yes", "no")[(n + i) % 2] for i, a in enumerate(names)})
              for n in range(60)]
    expected = {a: ct.Timeline(events).position(a).to_dict() for a in names}
    tl = ct.Timeline(events)
    tl.position("CAN")
    got: dict[str, list[Any]] = {a: [] for a in names}
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=lambda a=a: got[a].append(tl.position(a).to_dict()))
                   for a in names * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
    assert got == {a: [expected[a]] * 3 for a in names}
    every = tl._versions.current()._every
    assert every is not None
    assert set(every) >= set(names)
    assert made == [1]
