"""Swimlane charts: the files written, and the spans drawn against the projected statuses."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main

pytest.importorskip("matplotlib")

BUDAPEST = "budapest-convention"
LANES = ("CAN", "KOR", "EU", "JPN", "DEU", "ISL", "GRC")


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


@pytest.fixture(scope="module")
def chart(tl: ct.Timeline) -> ct.Swimlanes:
    return tl.plot(LANES, instrument=BUDAPEST, until="2023")


def test_png_file(chart: ct.Swimlanes, tmp_path: Path) -> None:
    """A chart saved as .png is a PNG image of a readable size."""
    path = chart.save(tmp_path / "budapest.png")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width >= 1200
    assert 300 <= height <= 4000


def test_svg_file_names_lanes_and_legend(tl: ct.Timeline, tmp_path: Path) -> None:
    """A chart saved as .svg is SVG, with the lanes' and legend's words in it."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):  # keep text as text
        path = tl.plot(["CAN", "KOR"], instrument=BUDAPEST).save(tmp_path / "b.svg")
    text = path.read_text()
    assert text.lstrip().startswith("<?xml")
    assert "<svg" in text
    for word in ("CAN", "KOR", "signatory", "ratified", "party", "withdrawn",
                 "no · A/RES/74/247", "stance: supports"):
        assert word in text


def test_spans_are_the_projected_statuses(tl: ct.Timeline, chart: ct.Swimlanes) -> None:
    """Every drawn span is the status position() gives on its first, middle and last day."""
    assert chart.spans
    for span in chart.spans:
        for day in span.days():
            position = tl.position(span.actor, as_of=day, possible=not span.settled)
            assert position.treaty(BUDAPEST).status == span.status, (span, day)


def test_spans_cover_every_day_with_a_status(tl: ct.Timeline, chart: ct.Swimlanes) -> None:
    """Each day that position() gives a status is inside exactly one settled span; no data, none."""
    length = (chart.end - chart.start).days
    days = [chart.start + dt.timedelta(days=n) for n in range(0, length, 61)]
    days += [chart.end, *(s.start for s in chart.spans), *(s.end for s in chart.spans)]
    for actor in LANES:
        settled = [s for s in chart.spans if s.actor == actor and s.settled]
        for day in days:
            if day > chart.end:
                continue
            status = tl.position(actor, as_of=day).treaty(BUDAPEST).status
            covering = [s for s in settled if s.start <= day < s.end]
            if status == "unknown":
                assert not covering, (actor, day)
            else:
                assert [s.status for s in covering] == [status], (actor, day)


def test_partial_date_is_hatched_over_its_span(chart: ct.Swimlanes) -> None:
    """Iceland's ratification, dated to January 2007, is possible over that whole month."""
    unsettled = [s for s in chart.spans if not s.settled and s.actor == "ISL"]
    assert [(s.status, s.start, s.end) for s in unsettled] == [
        ("ratified", dt.date(2007, 1, 1), dt.date(2007, 1, 31))]


def test_marks_are_votes_and_statements(chart: ct.Swimlanes) -> None:
    """Votes carry the option, statements the stance; a partial date is a span, not a point."""
    marks = {(m.actor, m.event): m for m in chart.marks}
    vote = marks[("KOR", "unga-vote-74-247")]
    assert (vote.kind, vote.value, vote.is_span) == ("vote", "no", False)
    stance = marks[("KOR", "kor-not-budapest-signatory-2021")]
    assert (stance.kind, stance.value) == ("statement", "neutral")
    assert (stance.earliest, stance.latest) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert stance.is_span
    # Neither is a signatory; the chart is complete, so each lane is one "none" band.
    for actor in ("KOR", "EU"):
        lane = [(s.status, s.settled) for s in chart.spans if s.actor == actor]
        assert lane == [("none", True)], actor


def test_known_at_draws_the_record_then(tl: ct.Timeline) -> None:
    """As known at 2021-12-01, the first session is the one scheduled for January 2022."""
    then = tl.plot("AHC", since="2020", until="2022", known_at="2021-12-01")
    now = tl.plot("AHC", since="2020", until="2022")
    first = [(m.value, m.earliest) for m in then.marks if m.label.endswith("First session")]
    assert first == [("scheduled", dt.date(2022, 1, 17))]
    first = [(m.value, m.earliest) for m in now.marks if m.label.endswith("First session")]
    assert first == [("held", dt.date(2022, 2, 28))]


def test_topics_filter_marks(tl: ct.Timeline) -> None:
    """With topics, only votes and statements on those topics are drawn."""
    chart = tl.plot("CAN", instrument=BUDAPEST, topics=[BUDAPEST])
    assert chart.marks
    assert {m.kind for m in chart.marks} == {"statement"}


def test_unknown_actor_and_empty_chart(tl: ct.Timeline) -> None:
    """An unknown actor or instrument is UnknownActorError; nothing to draw is TimelineError."""
    with pytest.raises(ct.UnknownActorError):
        tl.plot("XXX")
    with pytest.raises(ct.UnknownActorError):
        tl.plot("CAN", instrument="no-such-treaty")
    with pytest.raises(ct.TimelineError, match="nothing to plot"):
        tl.plot("ATA")


def test_cli_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`cybertimeline plot ... -o FILE.svg` writes the chart; another suffix is bad usage."""
    out = tmp_path / "chart.svg"
    assert main(["plot", "CAN", "KOR", "--instrument", BUDAPEST, "--since", "2015",
                 "-o", str(out)]) == 0
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    assert "2 lanes" in capsys.readouterr().out
    assert main(["plot", "CAN", "-o", str(tmp_path / "chart.pdf")]) == 2
    assert main(["plot", "XXX", "-o", str(out)]) == 1


def test_missing_matplotlib_names_the_extra(
    tl: ct.Timeline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without matplotlib, plot() raises an ImportError naming the plot extra; the CLI exits 1."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"cybertimeline\[plot\]"):
        tl.plot("CAN")
    assert main(["plot", "CAN", "-o", str(tmp_path / "x.png")]) == 1
    assert "cybertimeline[plot]" in capsys.readouterr().err
