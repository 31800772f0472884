"""Results show themselves: ``str()`` is the command line's text, ``repr()`` says what it is."""

from __future__ import annotations

import json
import pickle
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


@pytest.fixture(autouse=True)
def _no_store_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CYBERTIMELINE_EVENTS", raising=False)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out.removesuffix("\n")


def test_a_position_prints_as_the_command_line_does(
    tl: ct.Timeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """str(position) is what `cybertimeline position` prints, sources and all."""
    for actor, as_of, known_at in (("CAN", "2016-01-01", None), ("AHC", "2022-12-31",
                                                                  "2021-12-01")):
        position = tl.position(actor, as_of=as_of, known_at=known_at)
        argv = ["position", actor, "--as-of", as_of]
        argv += ["--known-at", known_at] if known_at else []
        assert str(position) == cli(capsys, *argv)
    text = str(tl.position("CAN", as_of="2016-01-01"))
    assert text.startswith("Canada (CAN) as of 2016-01-01\nTreaties\n")
    assert "\nSources\n  [1] " in text


def test_a_changelog_prints_its_markdown(
    tl: ct.Timeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """str(changelog) is the Markdown `cybertimeline changelog` prints."""
    log = tl.changelog("CAN", since="2014", until="2016")
    assert str(log) == cli(capsys, "changelog", "CAN", "--since", "2014", "--until", "2016")
    assert str(log) == log.to_markdown().rstrip()


def test_a_treaty_chart_prints_as_the_command_line_does(
    tl: ct.Timeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """str(tl.status(...)) and its to_dict() are `cybertimeline status`'s text and JSON."""
    chart = tl.status("budapest-convention", as_of="2016-01-01")
    argv = ("status", "budapest-convention", "--as-of", "2016-01-01")
    assert str(chart) == cli(capsys, *argv)
    assert chart.to_dict() == json.loads(cli(capsys, *argv, "--format", "json"))
    every = tl.status("budapest-convention", as_of="2016-01-01", all_actors=True)
    assert str(every) == cli(capsys, *argv, "--all")


def test_a_treaty_chart_is_still_a_mapping(tl: ct.Timeline) -> None:
    """The chart reads, compares and pickles as the dict `status` used to return."""
    chart = tl.status("budapest-convention", as_of="2016-01-01")
    assert isinstance(chart, ct.TreatyChart)
    assert chart["JPN"].status == "party"
    assert "CAN" in chart
    assert "XYZ" not in chart
    assert list(chart) == sorted(chart)
    assert chart == dict(chart.items())
    assert {a: s.status for a, s in chart.items()}["CAN"] == "party"
    counts = chart.counts()
    assert sum(counts.values()) == len(chart)
    assert counts["party"] == sum(s.status == "party" for s in chart.values())
    assert pickle.loads(pickle.dumps(chart)) == chart
    with pytest.raises(TypeError):
        chart["CAN"] = chart["JPN"]  # type: ignore[index]


def test_a_listing_prints_as_the_command_line_does(
    tl: ct.Timeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """str(tl.listing(...)) is `cybertimeline timeline`'s table; str(tl) lists every event."""
    listing = tl.listing("CAN", until="2016")
    assert str(listing) == cli(capsys, "timeline", "CAN", "--until", "2016")
    assert [e.id for e in listing] == [e.id for e in tl.events("CAN", until="2016")]
    assert listing[0].id == "can-signs-budapest"
    votes = tl.listing("CAN", "vote")
    assert str(votes) == cli(capsys, "timeline", "CAN", "--kind", "vote")
    assert "vote (no)" in str(votes)
    assert str(tl) == cli(capsys, "timeline")
    assert str(tl).endswith(f"\n{len(list(tl.events()))} events")
    assert str(tl.listing("CAN", since="1990", until="1991")) == "no events"


def test_reprs_are_short_and_say_what_the_object_is(tl: ct.Timeline) -> None:
    """Each repr names the kind of object and what it holds, in one short line."""
    position = tl.position("CAN", as_of="2016-01-01")
    log = tl.changelog("CAN", since="2014", until="2016")
    chart = tl.status("budapest-convention", as_of="2016-01-01")
    counts = chart.counts()
    listed = len(tl.listing("CAN", until="2016"))
    assert (len(position.treaties), len(position.votes), len(position.legislation)) == (2, 4, 2)
    found = {
        repr(position):
            "<Position of CAN as of 2016-01-01: 2 treaties, 4 votes, 1 membership, 2 laws>",
        repr(tl.position("NRU", as_of="2004")): "<Position of NRU as of 2004: nothing on record>",
        repr(log): f"<Changelog of CAN from 2014 to 2016: {len(log.changes)} changes, "
                   f"{len(log.corrections)} corrections>",
        repr(chart): f"<TreatyChart of budapest-convention as of 2016-01-01: {len(chart)} "
                     f"actors: {counts['party']} party, {counts['signatory']} signatory>",
        repr(tl.listing("CAN", until="2016")): f"<EventListing of {listed} events about CAN>",
    }
    for text, expected in found.items():
        assert text == expected
        assert "\n" not in text


def test_a_long_listing_shows_its_ends_in_a_notebook(tl: ct.Timeline) -> None:
    """A notebook shows the first and last 30 events of a long listing and says how many are
    left out; str() lists every one."""
    listing = tl.listing()
    html = listing._repr_html_()
    assert html.count("<tr>") == 1 + 60 + 1
    assert f"… {len(listing) - 60} more events" in html
    assert listing[0].id in html
    assert listing[-1].id in html
    assert listing[30].id not in html
    assert tl._repr_html_().count("<tr>") == html.count("<tr>")


def test_a_plot_shows_its_picture_inline(tl: ct.Timeline) -> None:
    """A chart's HTML is its PNG inline, described for those who cannot see it."""
    pytest.importorskip("matplotlib")
    chart = tl.plot(["CAN", "KOR"], instrument="budapest-convention", until="2023")
    html = chart._repr_html_()
    assert html.count('<img src="data:image/png;base64,') == 1
    assert 'alt="Swimlane chart of CAN, KOR, 2001-01-01 to 2023-12-31' in html
    assert repr(chart) == (f"<Swimlanes of CAN, KOR on budapest-convention, 2001-01-01 to "
                           f"2023-12-31: {len(chart.spans)} spans, {len(chart.marks)} marks>")


def test_markdown_for_a_notebook_keeps_tags_from_the_data_as_text() -> None:
    """A quote holding a tag stays text in the Markdown a notebook renders; links stay links."""
    source = ct.Source(title="<i>x</i>", url="https://example.org/a?b=1&c=2")
    event = ct.Statement(id="s", date=ct.Date.parse("2020-01-10"), actor="CAN",
                         topic="budapest-convention", stance="supports",
                         quote="<script>alert(1)</script>", sources=[source])
    markdown = ct.Timeline([event]).changelog("CAN")._repr_markdown_()
    assert "<script" not in markdown
    assert "<i>" not in markdown
    assert "&lt;i&gt;x&lt;/i&gt;" in markdown
    assert "<https://example.org/a?b=1&c=2>" in markdown


_TAGS = {"div", "p", "strong", "em", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
         "span", "ol", "ul", "li", "cite", "a", "q", "code"}


class _Tags(HTMLParser):
    """The tags and attributes of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@given(text=st.text(min_size=1, max_size=40), url=st.one_of(
    st.text(max_size=30), st.just("javascript:alert(1)"),
    st.builds(lambda t: f"https://example.org/{t}", st.text(max_size=20))))
@settings(max_examples=60)
def test_no_text_from_the_data_becomes_markup(text: str, url: str) -> None:
    """Whatever names, summaries, quotes, titles and addresses hold, the HTML has only the tags
    the library writes, no event handlers, and links only to http(s) addresses."""
    registry = ct.Registry.builtin().extended(actors=[
        ct.Actor(id="XEV", name=f"x{text}", type="group")])
    source = ct.Source(title=f"t{text}", publisher=text, url=url, quote=text)
    events: list[ct.Event] = [
        ct.Statement(id="s", date=ct.Date.parse("2020-01-10"), actor="XEV",
                     topic="budapest-convention", stance="opposes", quote=text, summary=text,
                     sources=[source]),
        ct.Signature(id="g", date=ct.Date.parse("2020-02-01"), actor="XEV",
                     instrument="budapest-convention", sources=[source]),
    ]
    tl = ct.Timeline(events, registry=registry)
    for result in (tl.position("XEV", as_of="2021"), tl.listing("XEV"), tl.changelog("XEV"),
                   tl.status("budapest-convention", as_of="2021"), tl):
        parser = _Tags()
        parser.feed(result._repr_html_())
        parser.close()
        for tag, attrs in parser.found:
            assert tag in _TAGS, (tag, text)
            for name, value in attrs:
                assert name in ("class", "style", "href", "target", "rel"), (name, text)
                if name == "href":
                    assert str(value).startswith(("http://", "https://")), value
