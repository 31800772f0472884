"""Many votes as a heatmap: states x roll calls, each cell the option the ballots hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main

pytest.importorskip("matplotlib")

STATES = [f"S{n:03d}" for n in range(200)]


def record() -> ct.Timeline:
    """200 states (declared) x 100 roll calls, options cycling, some states not voting."""
    options = ("yes", "no", "abstain", "absent")
    events = [ct.Vote(id=f"v{r}", date=ct.Date.from_date(dt.date(2000, 1, 1)
                                                          + dt.timedelta(days=r)),
                      body="UNGA", resolution=f"A/RES/55/{r}",
                      votes={s: options[(r + i) % 4] for i, s in enumerate(STATES)
                             if (r + i) % 7},
                      sources=[ct.Source(title="Record")])
              for r in range(100)]
    actors = [ct.Actor(id=s, name=f"State {s}", type="state") for s in STATES]
    registry = ct.Registry.builtin().extended(actors=actors)
    return ct.Timeline(events, registry=registry)


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return record()


def test_each_cell_is_the_vote_the_record_holds(tl):
    found = tl.vote_map(*STATES)
    assert found.actors == tuple(STATES)
    assert found.roll_calls == tuple(f"v{r}" for r in range(100))
    for i, state in enumerate(STATES[:20]):
        for r in range(100):
            event = tl.event(f"v{r}")
            assert isinstance(event, ct.Vote)
            assert found.cells[i][r] == event.votes.get(state)


def test_200_states_by_100_roll_calls_stay_readable(tl, tmp_path: Path):
    """A row per state at about a tenth of an inch (its label at 5 points), not a stack of
    marks: the figure grows with the states, within bounds."""
    found = tl.vote_map(*STATES)
    width, height = found.figure.get_size_inches()
    assert 7 <= width <= 16
    assert 0.09 <= height / len(STATES) <= 0.2
    labels = found.figure.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == STATES
    assert all(t.get_fontsize() >= 5 for t in labels)
    found.save(tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_a_window_and_a_group(tmp_path: Path):
    tl = ct.load()
    found = tl.vote_map(group="EU", since=2018, until=2019)
    assert found.actors == tl.members("EU", as_of=2019)
    assert all(d.startswith(("2018", "2019")) for d in found.dates)
    with pytest.raises(ct.TimelineError, match="no roll call"):
        tl.vote_map("CAN", since=1950, until=1951)


def test_command_line(capsys, tmp_path: Path):
    out = tmp_path / "eu.svg"
    assert main(["heatmap", "--group", "EU", "--since", "2018", "-o", str(out)]) == 0
    assert "27 actors x" in capsys.readouterr().out
    assert out.read_text().startswith("<?xml")
    assert main(["heatmap", "--group", "EU", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_a_swimlane_of_many_votes_stays_a_lane(tl):
    """100 votes in 100 days: a lane grows to at most 24 rows, the rest drawn over its last row
    without labels, and the chart says so (not a stack thousands of pixels tall)."""
    chart = tl.plot(["S001", "S002"])
    assert len(chart.marks) > 150
    assert chart.figure.get_size_inches()[1] < 12
    notes = [t.get_text() for t in chart.figure.texts]
    assert any("marks drawn over others" in n and "vote_map()" in n for n in notes)


def test_actors_then_a_group_each_once_and_every_voter_by_default():
    """Actors asked for come first, then the group's other members (names resolve to ids);
    with neither, every actor that voted in the window, by id; an actor that cast no vote
    has an empty row."""
    tl = ct.load()
    members = list(tl.members("EU", as_of=2019))
    found = tl.vote_map("France", "CAN", group="EU", since=2018, until=2019)
    assert found.actors == ("FRA", "CAN", *(m for m in members if m != "FRA"))
    everyone = tl.vote_map(since=2018, until=2019)
    voted = {a for e in tl.events(kind="vote", since=2018, until=2019)
             if isinstance(e, ct.Vote) for a in e.votes}
    assert everyone.actors == tuple(sorted(voted))
    assert everyone.roll_calls == found.roll_calls
    assert set(tl.vote_map("EU", since=2018, until=2019).cells[0]) == {None}
