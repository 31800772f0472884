"""A section shown by date (votes) read from a store's rows: its pairs are ordered by the
places of their entries, and a slice (the latest few a text shows) makes only its own
entries; every way of reading them equals the entries sorted by date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from tests import strategies as s
from tests.test_every_actor import _voted

VOTES = next(spec for spec in ct.sections() if spec.name == "votes")


def _by_date(position: ct.Position) -> list[tuple[str, Any]]:
    return sorted(position.votes.items(), key=lambda item: (
        item[1].date.latest, item[1].date.earliest, item[1].event_id))


@settings(max_examples=40, deadline=None)
@given(_voted(), st.lists(st.none() | s.query_dates(1995, 2030), min_size=1, max_size=3),
       st.integers(1, 4))
def test_votes_read_from_rows_are_ordered_by_date_whole_and_sliced(
        tmp_path_factory: pytest.TempPathFactory, events: list[Any],
        days: list[dt.date | None], shown: int) -> None:
    path = tmp_path_factory.mktemp("by-date") / "store.sqlite"
    try:
        with ct.create(path) as timeline:
            timeline.extend(events)
    except ct.ValidationError:
        return
    actors = sorted({a for e in events if isinstance(e, ct.Vote) for a in e.votes})
    with ct.load(path) as timeline:
        for actor in actors:
            for day in days:
                position = timeline.position(actor, as_of=day)
                wanted = _by_date(position)
                ordered = VOTES.ordered(position.votes)
                assert len(ordered) == len(wanted)
                assert ordered[-shown:] == wanted[-shown:]  # read first: entries not made
                if wanted:
                    assert ordered[0] == wanted[0]
                    assert ordered[-1] == wanted[-1]
                assert list(ordered) == wanted


def test_a_slice_of_the_votes_makes_its_entries_alone(tmp_path: Any) -> None:
    """The bundled data in SQLite: the latest vote read makes no other entry of the
    position (a text shows the latest few of thousands), and the text of every state's
    position is as in memory."""
    bundled = ct.load()
    path = tmp_path / "store.sqlite"
    ct.copy_into(bundled, path)
    with ct.load(path) as stored:
        votes = stored.position("KOR").votes
        assert len(votes) > 1
        ordered = VOTES.ordered(votes)
        assert ordered[-1] == _by_date(bundled.position("KOR"))[-1]
        assert votes._writes._finals is None  # type: ignore[attr-defined]  # none made

        voters = {a for e in bundled.events(kind="vote") if isinstance(e, ct.Vote)
                  for a in e.votes}
        for actor in sorted(voters):
            assert stored.position(actor).text() == bundled.position(actor).text()
