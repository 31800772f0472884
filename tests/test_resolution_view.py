"""A resolution's own view (``Timeline.resolution``, ``cybertimeline votes``, ``status`` on
a UN symbol): its date, body, tally, title and every state's vote; positions list votes by
date with titles."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import attrs
import pytest

import cybertimeline as ct
from cybertimeline import importers
from cybertimeline._cli import main
from tests.test_import_votes import ROLL_CALLS, VOTES


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


def test_the_view_of_74_247(tl: ct.Timeline) -> None:
    """Every state's vote, the tally, the body and the date, the events it rests on."""
    view = tl.resolution("A/RES/74/247")
    assert (str(view.date), view.body) == ("2019-12-27", "UNGA")
    assert view.counts() == {"yes": 79, "no": 60, "abstain": 33}
    assert view.tally == ct.Tally(yes=79, no=60, abstain=33)
    assert (view.votes["CAN"], view.votes["RUS"], view.votes["ARG"]) == ("no", "yes",
                                                                         "abstain")
    assert {"unga-vote-74-247", "unga-adopts-74-247"} <= set(view.to_dict()["events"])
    assert "79 in favour, 60 against, 33 abstentions" in str(view)


def test_a_group_lists_its_members_votes_only(tl: ct.Timeline) -> None:
    """The EU's 28 members on the day of the vote, all no; names resolve."""
    view = tl.resolution("A/RES/74/247", group="European Union")
    assert view.group == "EU"
    assert view.counts() == {"no": 28}
    assert set(view.votes) == set(tl.members("EU", as_of="2019-12-27"))


def test_the_long_table_for_pandas_and_csv(tl: ct.Timeline,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """One row per state: state, resolution, option (and name, title, date, event)."""
    rows = tl.resolution("A/RES/74/247").rows()
    assert len(rows) == 172
    assert {"state": "KOR", "resolution": "A/RES/74/247", "option": "no"}.items() <= next(
        r for r in rows if r["state"] == "KOR").items()
    pandas = pytest.importorskip("pandas")
    frame = tl.resolution("A/RES/74/247").to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert frame.groupby("option").size().to_dict() == {"abstain": 33, "no": 60, "yes": 79}
    assert main(["votes", "A/RES/74/247", "--format", "csv", "--group", "EU"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == 28
    assert {r["option"] for r in table} == {"no"}


def test_status_on_a_resolution_shows_its_votes(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's example: ``status A/RES/74/247`` said no actor had acted on it."""
    assert main(["status", "A/RES/74/247", "--as-of", "2020"]) == 0
    out = capsys.readouterr().out
    assert "no actor had acted" not in out
    assert "no (60):" in out
    assert main(["votes", "A/RES/74/247", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["votes"]["KOR"] == "no"


def test_an_unknown_resolution_says_so(tl: ct.Timeline) -> None:
    with pytest.raises(ct.UnknownEventError, match="no vote or adoption of 'A/RES/1/1'"):
        tl.resolution("A/RES/1/1")


def test_imported_votes_carry_their_title_into_views_and_positions() -> None:
    """The importer keeps the roll call's title; a position lists votes by date, titled."""
    store = ct.Timeline(clock=lambda: dt.date(2026, 1, 15))
    importers.import_votes(store, VOTES, ROLL_CALLS)
    view = store.resolution("A/RES/74/247")
    assert view.title is not None
    assert "criminal purposes" in view.title
    position = store.position("KOR", as_of="2020")
    assert position.votes["A/RES/74/247"].title == view.title
    assert "Countering the use of information" in str(position)


def test_a_position_lists_votes_by_date_not_by_text(tl: ct.Timeline) -> None:
    """46/10, 46/117, 46/16 sorted as text put December before March; by date they follow
    the record."""
    votes = tl.position("CAN", as_of="2024").to_dict()["votes"]
    dates = [v["date"] for v in votes.values()]
    assert dates == sorted(dates)
    text = str(tl.position("CAN", as_of="2024")).split("Votes\n")[1].split("Stances")[0]
    shown = [line.split()[2] for line in text.splitlines()]
    assert shown == sorted(shown)


def test_an_adoption_without_a_vote_and_a_vote_without_a_tally() -> None:
    """Adopted without a vote: the view has the adoption's date, body and tally and no votes;
    a later recorded vote without a tally takes the adoption's tally, and its own date."""
    record = ct.Source(title="Record")
    adopted = ct.Adoption(id="a", date=ct.Date.parse("2019-12-27"), body="UNGA",
                          resolution="A/RES/1/2", tally=ct.Tally(yes=10, no=0, abstain=2),
                          sources=[record])
    view = ct.Timeline([adopted]).resolution("A/RES/1/2")
    assert (str(view.date), view.body, view.tally, dict(view.votes)) == (
        "2019-12-27", "UNGA", ct.Tally(yes=10, no=0, abstain=2), {})
    assert "tally: 10 in favour, 0 against, 2 abstentions" in str(view)
    untallied = ct.Timeline([attrs.evolve(adopted, tally=None)]).resolution("A/RES/1/2")
    assert "no recorded vote (adopted without a vote)" in str(untallied)
    voted = ct.Vote(id="v", date=ct.Date.parse("2019-12-28"), body="UNGA",
                    resolution="A/RES/1/2", votes={"CAN": "yes"}, sources=[record])
    view = ct.Timeline([adopted, voted]).resolution("A/RES/1/2")
    assert (str(view.date), view.tally, dict(view.votes)) == (
        "2019-12-28", ct.Tally(yes=10, no=0, abstain=2), {"CAN": "yes"})
    assert [e.id for e in view.events] == ["a", "v"]
