"""Exports: flat event rows and TimelineJS JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

import cybertimeline as ct
from cybertimeline._reports.rows import write_csv
from cybertimeline._reports.timelinejs import timelinejs_date

SOURCE = ct.Source(title="A <b>source</b>", publisher="Tests", url="https://example.org/s")


def _timeline() -> ct.Timeline:
    return ct.Timeline([
        ct.Ratification(id="year", date=ct.Date.parse("2015"), actor="CAN",
                        instrument="budapest-convention", sources=[SOURCE], summary="A year."),
        ct.Statement(id="month-uncertain", date=ct.Date.parse("2019-07?"), actor="KOR",
                     topic="budapest-convention", stance="supports", sources=[SOURCE]),
        ct.Session(id="interval", date=ct.Date.parse("2022-01-17/2022-01-28"), body="AHC",
                   status="held", sources=[SOURCE, SOURCE]),
        ct.Vote(id="vote", date=ct.Date.parse("2019-12-27"), body="UNGA",
                resolution="A/RES/74/247", votes={"CAN": "no", "CHN": "yes"}, sources=[SOURCE]),
    ])


def test_rows_carry_the_documented_fields() -> None:
    """A row has every field of ROW_FIELDS, in order, with dates as EDTF and ISO days."""
    row = ct.event_row(_timeline().event("year"))
    assert tuple(row) == ct.ROW_FIELDS
    assert row["id"] == "year"
    assert row["kind"] == "ratification"
    assert row["date"] == "2015"
    assert (row["earliest"], row["latest"]) == ("2015-01-01", "2015-12-31")
    assert row["recorded"] == "2015-12-31"
    assert row["actor"] == "CAN"
    assert row["instrument"] == "budapest-convention"
    assert row["source_count"] == 1


def test_vote_row_gives_the_actors_option() -> None:
    """A vote's option is the option of the actor asked for, and null otherwise."""
    vote = _timeline().event("vote")
    assert ct.event_row(vote, "CAN")["option"] == "no"
    assert ct.event_row(vote)["option"] is None
    assert ct.event_row(vote)["actor"] == "UNGA"
    assert ct.event_row(vote)["actors"] == ["UNGA", "CAN", "CHN"]


def test_csv_joins_lists_and_round_trips() -> None:
    """CSV has a header of ROW_FIELDS; lists are joined with '; '."""
    buffer = io.StringIO()
    write_csv([ct.event_row(e) for e in _timeline().events()], buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert tuple(rows[0]) == ct.ROW_FIELDS
    vote = next(r for r in rows if r["id"] == "vote")
    assert vote["actors"] == "UNGA; CAN; CHN"


@pytest.mark.parametrize(("text", "expected"), [
    ("2015", {"year": 2015}),
    ("2019-07", {"year": 2019, "month": 7}),
    ("2015-07-08", {"year": 2015, "month": 7, "day": 8}),
    ("2019-07?", {"year": 2019, "month": 7, "display_date": "2019-07? (uncertain)"}),
    ("2019~", {"year": 2019, "display_date": "2019~ (approximate)"}),
])
def test_timelinejs_dates_only_as_far_as_known(text: str, expected: dict[str, object]) -> None:
    """TimelineJS dates fill the month and day only when the date gives them."""
    assert timelinejs_date(ct.Date.parse(text)) == expected


def test_timelinejs_slides() -> None:
    """Slides have the event id, the actor as group, start and end dates, and escaped text."""
    data = json.loads(json.dumps(_timeline().to_timelinejs(title="Test")))
    assert data["title"]["text"]["headline"] == "Test"
    slides = {s["unique_id"]: s for s in data["events"]}
    assert set(slides) == {"year", "month-uncertain", "interval", "vote"}
    assert slides["year"]["group"] == "CAN"
    assert slides["year"]["start_date"] == {"year": 2015}
    assert "end_date" not in slides["year"]
    assert slides["interval"]["end_date"] == {"year": 2022, "month": 1, "day": 28}
    assert slides["month-uncertain"]["display_date"] == "2019-07? (uncertain)"
    text = slides["year"]["text"]["text"]
    assert "<p>A year.</p>" in text
    assert "A &lt;b&gt;source&lt;/b&gt;" in text
    assert 'href="https://example.org/s"' in text


def test_timelinejs_for_actors_groups_by_them() -> None:
    """With actors, only their events are slides, grouped under the actor asked for."""
    data = _timeline().to_timelinejs(["CAN"])
    assert [(s["unique_id"], s["group"]) for s in data["events"]] == [
        ("year", "CAN"), ("vote", "CAN")]


def test_bundled_timelinejs_is_json() -> None:
    """The bundled dataset exports to TimelineJS JSON, one slide per known event."""
    tl = ct.load()
    data = json.loads(json.dumps(tl.to_timelinejs()))
    assert len(data["events"]) == len(list(tl.events()))


def test_timelinejs_gives_a_range_no_end_date() -> None:
    """A statement known only to lie within 17 months is no 17-month slide: no end_date, the
    range in its display date; a session keeps the days it lasted."""
    slides = {s["unique_id"]: s for s in ct.load().to_timelinejs()["events"]}
    paper = slides["can-position-paper-consistency"]
    assert "end_date" not in paper
    assert paper["start_date"] == {"year": 2019, "month": 12, "day": 27}
    assert paper["display_date"] == "sometime between 2019-12-27 and 2021-05-09"
    session = slides["ahc-first-session-held"]
    assert session["end_date"] == {"year": 2022, "month": 3, "day": 11}
    assert "display_date" not in session


def test_timelinejs_range_keeps_its_qualifiers() -> None:
    """An uncertain range says both: the range and that it is uncertain."""
    event = ct.Statement(id="s", date=ct.Date.parse("2019-07?/2020-02"), actor="CAN",
                         topic="budapest-convention", stance="supports", sources=[SOURCE])
    slide = ct.Timeline([event]).to_timelinejs()["events"][0]
    assert slide["display_date"] == "sometime between 2019-07-01 and 2020-02-29 (uncertain)"
    assert "end_date" not in slide
