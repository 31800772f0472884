"""Adversarial review of the columnar core (issue 21): what its own tests did not see."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

import cybertimeline as ct
from cybertimeline._model import sources as sources_module
from cybertimeline._model import written as written_module
from cybertimeline._model.sources import sources_of_many
from cybertimeline._projections import prefixes


def _votes_store(path: Path, count: int = 3) -> Path:
    """A SQLite store of ``count`` roll calls in which KOR votes yes and CAN no."""
    with ct.create(path) as timeline:
        timeline.extend([
            ct.Vote(id=f"v{n}", date=ct.Date.parse(f"2019-12-{n + 10}"), body="UNGA",
                    resolution=f"A/RES/74/{n}", votes={"KOR": "yes", "CAN": "no"},
                    sources=[ct.Source(title="Record", locator=f"roll call {n}")])
            for n in range(count)])
    return path


def _change(path: Path, changes: Sequence[tuple[str, tuple[object, ...]]]) -> None:
    with sqlite3.connect(path, isolation_level=None) as db:
        for sql, args in changes:
            db.execute(sql, args)
    db.close()


def test_two_hand_changed_details_that_join_into_valid_json_are_reported(
        tmp_path: Path) -> None:
    """Details read as one joined array: two forged rows whose texts complete each other
    (``["X",null],["Y"`` and ``null]``) parsed as two good pairs, and the position
    answered bodies no roll call has."""
    path = _votes_store(tmp_path / "store.sqlite")
    _change(path, [("UPDATE entries SET detail = ? WHERE id = 'v0'", ('["X",null],["Y"',)),
                   ("UPDATE entries SET detail = ? WHERE id = 'v1'", ("null]",))])
    with ct.load(path) as timeline, pytest.raises(
            ct.ValidationError, match=r"detail of the roll call 'v0'.* validate"):
        timeline.position("KOR").to_dict()


def test_two_hand_changed_sources_that_join_into_valid_json_are_reported(
        tmp_path: Path) -> None:
    """Sources read as one joined array: two forged rows whose texts complete each other
    were cited as sources (A; B and C) that no roll call has."""
    path = _votes_store(tmp_path / "store.sqlite")
    _change(path, [
        ("UPDATE entries SET sources = ? WHERE id = 'v0'", ('[{"title":"A"}],[{"title":"B"}',)),
        ("UPDATE entries SET sources = ? WHERE id = 'v1'", ('{"title":"C"}]',))])
    with ct.load(path) as timeline:
        position = timeline.position("KOR")
        with pytest.raises(ct.ValidationError, match=r"sources of the roll call 'v0'.* validate"):
            str(position)


@pytest.mark.parametrize("sources", ['[{"title":"A","url":["x"]}]',
                                     '[{"title":"A","publisher":5}]',
                                     '[{"title":"A","quote":{"a":1}}]'])
def test_hand_changed_sources_of_another_type_are_reported_not_a_crash(
        tmp_path: Path, sources: str) -> None:
    """A stored source whose field is not text was made into a `Source` (no codec checks
    its types): the text crashed (``unhashable type: 'list'``) or cited a dict."""
    path = _votes_store(tmp_path / "store.sqlite")
    _change(path, [("UPDATE entries SET sources = ? WHERE id = 'v0'", (sources,))])
    with ct.load(path) as timeline:
        position = timeline.position("KOR")
        with pytest.raises(ct.ValidationError, match=r"sources of the roll call 'v0'.* validate"):
            str(position)
        with pytest.raises(ct.ValidationError, match=r"sources of the roll call 'v0'"):
            position._repr_html_()


def test_threads_reading_one_position_each_get_every_vote_right(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A position's entries are made as far as they are read (`_Writes.finals(size)`):
    two threads growing the same list appended the same entries twice, and a later
    resolution read another's vote (``A/RES/2143`` answered by roll call ``v1156``)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often: the race shows at once
    try:
        day = dt.date(2000, 1, 1)
        events = [ct.Vote(id=f"v{n}", date=ct.Date.coerce(day + dt.timedelta(days=n)),
                          body="UNGA", resolution=f"A/RES/{n}",
                          votes={"KOR": "yes" if n % 2 else "no", "CAN": "no"},
                          sources=[ct.Source(title="Record", locator=f"roll call {n}")])
                  for n in range(2000)]
        for bulk in (False, True):
            for _ in range(5):
                timeline = ct.Timeline(events)
                if bulk:
                    timeline.prepare_bulk()  # the arrays of every actor's ballots
                position = timeline.position("KOR")
                wrong: list[str] = []

                def read(first: int, position: ct.Position = position,
                         wrong: list[str] = wrong) -> None:
                    for n in range(first, 2000):
                        if position.votes[f"A/RES/{n}"].event_id != f"v{n}":
                            wrong.append(f"A/RES/{n}")

                threads = [threading.Thread(target=read, args=(first,))
                           for first in (0, 500, 1000, 1500)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                assert wrong == []
    finally:
        sys.setswitchinterval(before)


def test_sources_already_read_are_answered_when_the_bound_clears_the_cache(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`sources_of_many` clears what it has read when it holds too many: a text read
    before, asked for with new ones at the bound, was looked up after the clearing (a
    KeyError, not even a ValidationError)."""
    known = '[{"title":"Known"}]'
    assert sources_of_many([known])[0][0].title == "Known"
    filler = {f"[{n}]": () for n in range(65536 - len(sources_module._READ))}
    monkeypatch.setattr(sources_module, "_READ", {**sources_module._READ, **filler})
    found = sources_of_many([known, '[{"title":"New"}]', '[{"title":"Newer"}]'])
    assert [s[0].title for s in found] == ["Known", "New", "Newer"]


def test_a_roll_call_whose_ballots_row_was_deleted_is_reported_not_left_out(
        tmp_path: Path) -> None:
    """Schema 3 keeps an entry's ballots in their own table, read by a join: an entry
    whose row was deleted dropped out of every bulk answer and `votes_on` (no vote on
    ``A/RES/74/1``) while the actor's own answer held it."""
    path = _votes_store(tmp_path / "store.sqlite")
    _change(path, [("DELETE FROM ballots WHERE seq = (SELECT seq FROM entries WHERE id = 'v1')",
                    ())])
    with ct.load(path) as timeline:
        assert "A/RES/74/1" in timeline.position("CAN").votes  # its rows in `writes`
        with pytest.raises(ct.ValidationError, match=r"ballots of .*validate"):
            timeline.votes_on("A/RES/74/1")
        with pytest.raises(ct.ValidationError, match=r"ballots of .*validate"):
            timeline.prepare_bulk()
        with pytest.raises(ct.ValidationError, match="disagree with the writes"):
            timeline.validate()


def test_reading_votes_one_by_one_does_not_list_every_write_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are made as far as they are read (`_Writes.finals(size)`), a few at a time
    when a caller reads resolution after resolution; each time, every write's place was
    listed whole (`listed(written.ranks)`): quadratic, a second for one State's 6,130 votes
    of the real record read one by one, against 40 ms for the whole position."""
    count = 600
    day = dt.date(2000, 1, 1)
    events = [ct.Vote(id=f"v{n}", date=ct.Date.coerce(day + dt.timedelta(days=n)),
                      body="UNGA", resolution=f"A/RES/{n}", votes={"KOR": "yes", "CAN": "no"},
                      sources=[ct.Source(title="Record", locator=f"roll call {n}")])
              for n in range(count)]
    listed_items = [0]
    real = written_module.listed

    def counting(values: Any) -> list[int]:
        listed_items[0] += len(values)
        return real(values)

    monkeypatch.setattr(prefixes, "listed", counting)
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
    with ct.load(path) as stored:
        for timeline, bulk in ((ct.Timeline(events), True), (stored, False), (stored, True)):
            if bulk:
                timeline.prepare_bulk()  # the ranks an array, else a range of the rows
            position = timeline.position("KOR")
            listed_items[0] = 0
            assert [position.votes[f"A/RES/{n}"].event_id for n in range(count)] == [
                f"v{n}" for n in range(count)]
            assert listed_items[0] <= 2 * count


def test_a_groups_positions_and_its_members_are_of_one_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`positions(group=...)` reads its actors in one snapshot (`Index.reading`), but read
    the group's members before it: another process's append in between gave the members
    of one version and their positions of the next (GBR listed as a member of the EU,
    its position saying it had left)."""
    path = tmp_path / "store.sqlite"

    def membership(actor: str, action: Literal["join", "leave"], day: str) -> ct.Membership:
        return ct.Membership(id=f"{actor.lower()}-{action}", date=ct.Date.parse(day), actor=actor,
                             group="EU", action=action,
                             sources=[ct.Source(title="Official Journal")])

    with ct.create(path) as timeline:
        timeline.extend([membership("FRA", "join", "1958-01-01"),
                         membership("GBR", "join", "1973-01-01")])
    with ct.load(path) as timeline, ct.load(path) as other:
        members = ct.Timeline.members

        def members_then_append(self: ct.Timeline, group: str, **dates: Any) -> Any:
            found = members(self, group, **dates)
            if self is timeline and len(list(other.events("GBR"))) == 1:
                other.extend([membership("GBR", "leave", "2020-01-31")])
            return found

        monkeypatch.setattr(ct.Timeline, "members", members_then_append)
        answer = timeline.positions(group="EU")
        for actor, position in answer.items():
            assert "EU" in position.memberships, actor
