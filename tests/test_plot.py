"""Swimlane charts: the files written, and the spans drawn against the projected statuses."""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path
from typing import Any

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
    assert width >= 1000
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
            if status in ("unknown", "not_yet_open"):  # no band: nothing there
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
    assert stance.is_range
    # Neither is a signatory; the chart is complete, so each lane is one "none" band.
    for actor in ("KOR", "EU"):
        lane = [(s.status, s.settled) for s in chart.spans if s.actor == actor]
        assert lane == [("none", True)], actor


def _drawn_over(chart: ct.Swimlanes, mark: ct.Mark) -> list[str]:
    """What the axes hold over exactly the mark's days: ``line`` or ``bar``."""
    import matplotlib.dates as mdates
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D

    x0 = mdates.date2num(mark.earliest)
    x1 = mdates.date2num(mark.latest + dt.timedelta(days=1))
    found = []
    for artist in chart.figure.axes[0].get_children():
        drawn: Any = artist
        if isinstance(artist, Line2D) and list(drawn.get_xdata()) == [x0, x1]:
            found.append("line")
        elif isinstance(artist, PolyCollection):
            for path in drawn.get_paths():
                xs = path.vertices[:, 0]
                if math.isclose(xs.min(), x0) and math.isclose(xs.max(), x1):
                    found.append("bar")
    return found


def test_a_date_known_to_a_range_is_a_range_marker_not_a_span(tl: ct.Timeline) -> None:
    """Canada's position paper, dated 2019-12-27/2021-05-09, happened on one day of those 17
    months: drawn as a range marker; a session is a bar over the days it lasted."""
    chart = tl.plot(["CAN", "AHC"], since="2019", until="2022")
    marks = {m.event: m for m in chart.marks}
    paper = marks["can-position-paper-consistency"]
    assert (paper.is_span, paper.lasts, paper.is_range) == (True, False, True)
    assert set(_drawn_over(chart, paper)) == {"line"}  # two papers share those dates
    session = marks["ahc-first-session-held"]
    assert (session.lasts, session.is_range) == (True, False)
    assert set(_drawn_over(chart, session)) == {"bar"}


def test_every_statement_label_names_its_topic(tl: ct.Timeline, chart: ct.Swimlanes) -> None:
    """A statement's label is its stance and its topic, even when the topic is the
    instrument of the band (it was dropped there)."""
    statements = [m for m in chart.marks if m.kind == "statement"]
    assert statements
    for mark in statements:
        event = tl.event(mark.event)
        assert isinstance(event, ct.Statement)
        value, _, topic = mark.label.partition(" · ")
        assert value == mark.value
        assert topic, mark.label
        instrument = tl.registry.instruments.get(event.topic)
        if instrument is not None:
            assert topic == (instrument.short or instrument.title)
        else:
            assert topic.lower() == event.topic.replace("-", " ")


def test_one_colour_one_meaning_with_a_legend_entry_each(chart: ct.Swimlanes) -> None:
    """The legend names every status and every value drawn; no colour names two things."""
    from matplotlib.colors import to_hex

    legend = chart.figure.legends[0]
    named: dict[str, set[str]] = {}
    handle: Any
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        face = (handle.get_facecolor() if hasattr(handle, "get_hatch") and not handle.get_hatch()
                else getattr(handle, "get_markerfacecolor", lambda: None)())
        if face is not None and to_hex(face) != "#ffffff":
            named.setdefault(to_hex(face), set()).add(text.get_text())
    assert all(len(labels) == 1 for labels in named.values()), named
    labels = {t.get_text() for t in legend.get_texts()}
    assert {"not a signatory", "signatory", "ratified", "party", "withdrawn"} <= labels
    assert {f"{'vote' if m.kind == 'vote' else 'stance'}: {m.value}"
            for m in chart.marks} <= labels
    assert "one day, known only to a range" in labels


def test_readable_at_the_width_of_the_docs(chart: ct.Swimlanes) -> None:
    """The figure is no wider than the docs column shows it (8 inches, about 800 pixels), so
    no text is smaller there than its size: every text at least 9 points."""
    from matplotlib.text import Text

    width, _ = chart.figure.get_size_inches()
    assert width <= 8
    texts = [t for t in chart.figure.findobj(Text) if t.get_text().strip()]
    assert texts
    assert min(float(t.get_fontsize()) for t in texts) >= 9


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


@pytest.mark.parametrize("name", [r"$\foo$", "$x^{$", "Bank of $5 and $6"])
def test_names_are_drawn_as_text_never_as_mathtext(tmp_path: Path, name: str) -> None:
    """matplotlib reads ``$...$`` as mathematics (and raises on an unknown command such as
    ``\\foo``): a name or a title is drawn as its own letters (issue 26, item 9)."""
    actor = ct.Actor(id="XMATH", name=name, type="group")
    timeline = ct.Timeline(clock=lambda: dt.date(2026, 1, 1))
    timeline.extend([ct.Statement(id="xmath-1", date=ct.Date.parse("2020-05"), actor="XMATH",
                                  topic="budapest-convention", stance="supports",
                                  sources=[ct.Source(title="A source")])], declare=[actor])
    chart = ct.plot(timeline, "XMATH", "budapest-convention", title=name)
    chart.save(tmp_path / "chart.svg")
    assert name.replace("&", "&amp;") in (tmp_path / "chart.svg").read_text(encoding="utf-8")
