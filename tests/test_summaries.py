"""Summaries that scale: a long section of a position shows its count and its first entries
(votes: the latest), the whole on request (``full=True``, ``--all``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main
from cybertimeline._projections.text import SHOWN

VOTES = 57


def record() -> ct.Timeline:
    events: list[ct.Event] = [
        ct.Vote(id=f"v{n}", date=ct.Date.from_date(dt.date(1990, 1, 1) + dt.timedelta(days=n)),
                body="UNGA", resolution=f"A/RES/44/{n}", votes={"CAN": "yes", "USA": "no"},
                sources=[ct.Source(title=f"Record {n}")])
        for n in range(VOTES)]
    events += [ct.Statement(id=f"s{n}", date=ct.Date.parse("2000"), actor="CAN",
                            topic=f"topic-{n:02d}", stance="supports",
                            sources=[ct.Source(title="Statement")]) for n in range(SHOWN + 3)]
    return ct.Timeline(events)


@pytest.fixture(scope="module")
def position() -> ct.Position:
    return record().position("CAN")


def test_text_shows_the_latest_votes_and_how_many_there_are(position):
    text = str(position)
    assert f"Votes ({VOTES}; the latest {SHOWN} shown: full=True or --all for all)" in text
    shown = [n for n in range(VOTES) if f"A/RES/44/{n} " in text]
    assert shown == list(range(VOTES - SHOWN, VOTES))
    assert f"Stances ({SHOWN + 3}; the first {SHOWN} shown" in text
    assert sum(" supports " in line for line in text.splitlines()) == SHOWN
    cited = [line for line in text.splitlines() if line.startswith("  [")]
    assert len(cited) == SHOWN + 1  # only the shown votes' sources, and the statements'


def test_full_text_shows_everything_with_plain_headings(position):
    text = position.text(full=True)
    assert all(f"A/RES/44/{n} " in text for n in range(VOTES))
    assert "\nVotes\n" in text
    assert "shown" not in text


def test_a_short_position_reads_as_before():
    tl = ct.load()
    can = tl.position("CAN", as_of="2016")
    assert str(can) == can.text(full=True)
    assert can._repr_html_() == can.html(full=True)


def test_html_shows_the_first_rows_and_says_how_many_are_left_out(position):
    html = position._repr_html_()
    assert html.count("A/RES/44/") == SHOWN
    assert f"{VOTES - SHOWN} earlier not shown" in html
    assert "<details>" not in html
    full = position.html(full=True)
    assert full.count("A/RES/44/") == VOTES
    assert f"<summary>{VOTES - SHOWN} more</summary>" in full
    assert len(html) < len(full)


def test_command_line_all(capsys, tmp_path: Path):
    store = tmp_path / "s.jsonl"
    ct.copy_into(record(), store)
    assert main(["--events", str(store), "position", "CAN"]) == 0
    short = capsys.readouterr().out
    assert main(["--events", str(store), "position", "CAN", "--all"]) == 0
    full = capsys.readouterr().out
    assert f"Votes ({VOTES};" in short
    assert len(full.splitlines()) > len(short.splitlines()) + VOTES - SHOWN


def test_a_summary_column_is_never_squeezed_to_a_word_a_line():
    """The HTML of a listing keeps its summary column at least 16em wide (the table scrolls
    sideways instead), while dates and ids do not wrap."""
    html = ct.load().listing("CAN")._repr_html_()
    head = html[html.index("<thead>"):html.index("</thead>")]
    cells = head.split("<th ")[1:]
    summary = next(c for c in cells if ">Summary<" in c)
    assert "min-width:16em" in summary
    assert all("white-space:nowrap" in c for c in cells if ">Date<" in c or ">Id<" in c)
