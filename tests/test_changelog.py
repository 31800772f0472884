"""Changelogs: diffs of positions (rule 6), corrections, and their rendering."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct

SOURCE = ct.Source(title="A test source", publisher="Tests", url="https://example.org/a")


@pytest.fixture(scope="module")
def bundled() -> ct.Timeline:
    return ct.load()


def test_canada_2014_2016_changes(bundled: ct.Timeline) -> None:
    """Canada's changelog for 2014-2016 holds its ratification and entry into force, by day."""
    log = bundled.changelog("CAN", since="2014", until="2016")
    status = [(c.settled, c.before, c.after) for c in log.changes
              if c.path == "treaties.budapest-convention.status"]
    assert status == [(dt.date(2015, 7, 8), "signatory", "ratified"),
                      (dt.date(2015, 11, 1), "ratified", "party")]
    ratified = next(c for c in log.changes if c.path == "treaties.budapest-convention.consent")
    assert ratified.after == "ratification"
    assert [e.id for e in ratified.events] == ["can-ratifies-budapest"]
    assert ratified.sources
    assert all(isinstance(s, ct.Source) for s in ratified.sources)


def test_canada_markdown_reads_like_a_report(bundled: ct.Timeline) -> None:
    """The Markdown has dated sections newest first, plain sentences and numbered sources."""
    text = bundled.changelog("CAN", since="2014", until="2016").to_markdown()
    assert text.startswith("# Changelog: Canada (CAN)")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 2016-12-05", "## 2015-11-01", "## 2015-07-08", "## 2015-03",
                        "## 2014-12-09",
                        "## Sources"]
    assert "### " not in text  # one actor: no actor heading under each date
    assert "- Ratified the Convention on Cybercrime (Budapest Convention); " \
           "status: signatory → ratified. [" in text
    assert "entered into force for Canada; status: ratified → party." in text
    assert "\n- [1] " in text.split("## Sources")[1]


def test_starts_from_the_day_before_since(bundled: ct.Timeline) -> None:
    """A change on the first day of the period is in it; one the day before is not."""
    on = bundled.changelog("CAN", since="2015-07-08", until="2015-07-08")
    before = bundled.changelog("CAN", since="2015-07-09", until="2015-12-31")
    assert any(c.path.endswith(".consent") for c in on.changes)
    assert not any(c.path.endswith(".consent") for c in before.changes)


def test_partial_dates_shown_as_given(bundled: ct.Timeline) -> None:
    """A change dated to the month keeps its month, and settles on its last day."""
    log = bundled.changelog("CAN", since="2015-03", until="2015-03")
    (change,) = log.changes
    assert str(change.date) == "2015-03"
    assert change.settled == dt.date(2015, 3, 31)
    assert change.path == "legislation.can-c13-in-force"


def test_dataset_changelog_applies(bundled: ct.Timeline) -> None:
    """For bundled actors, applying the changelog to the start gives the end position."""
    for actor in ("CAN", "KOR", "EU", "AHC", "SPO"):
        start = bundled.position(actor, as_of="2018-12-31")
        log = bundled.changelog(actor, since="2019", until="2022")
        assert log.apply(start) == ct.position_facts(bundled.position(actor, as_of="2022"))


def test_corrections_recorded_in_the_window(bundled: ct.Timeline) -> None:
    """Supersessions recorded in the period are listed as corrections, by recording day."""
    log = bundled.changelog("AHC", since="2021-11", until="2022-06")
    fixes = [(c.recorded, c.kind, c.corrected.id) for c in log.corrections]
    assert fixes == [(dt.date(2022, 1, 20), "supersession", "ahc-first-session-scheduled"),
                     (dt.date(2022, 3, 11), "supersession", "ahc-first-session-postponed")]
    assert "## Corrections to the record" in log.to_markdown()
    assert not bundled.changelog("AHC", since="2023", until="2024").corrections


def test_retraction_is_a_correction() -> None:
    """A retraction recorded in the period is a correction with its reason; it undoes the fact."""
    wrong = ct.Statement(id="wrong", date=ct.Date.parse("2020-01-10"), actor="CAN",
                         topic="budapest-convention", stance="opposes", sources=[SOURCE])
    fix = ct.Retraction(id="fix", date=ct.Date.parse("2020-03-01"), retracts="wrong",
                        reason="misattributed quote", sources=[SOURCE],
                        recorded=ct.Date.parse("2020-03-01"))
    tl = ct.Timeline([wrong, fix])
    log = tl.changelog("CAN", since="2020")
    (correction,) = log.corrections
    assert correction.kind == "retraction"
    assert correction.reason == "misattributed quote"
    assert correction.actors == ("CAN",)
    assert not log.changes
    as_known = tl.changelog("CAN", since="2020", known_at="2020-02-01")
    assert not as_known.corrections
    assert [c.path for c in as_known.changes] == ["stances.budapest-convention"]


def test_unknown_actor_raises(bundled: ct.Timeline) -> None:
    """Asking for an unknown actor raises UnknownActorError."""
    with pytest.raises(ct.UnknownActorError):
        bundled.changelog("XYZ")


def test_to_dict_is_json(bundled: ct.Timeline) -> None:
    """to_dict gives JSON with the documented keys."""
    data = json.loads(json.dumps(
        bundled.changelog(["KOR", "CAN"], since="2019", until="2019").to_dict()))
    assert set(data) == {"actors", "since", "until", "known_at", "changes", "corrections"}
    assert data["actors"] == ["KOR", "CAN"]
    change = data["changes"][0]
    assert set(change) == {"actor", "path", "before", "after", "date", "settled", "events",
                           "sources", "coverage"}


def test_diff_positions(bundled: ct.Timeline) -> None:
    """The diff of two positions names the paths that differ and the new events behind them."""
    changes = ct.diff_positions(bundled.position("CAN", as_of="2014"),
                                bundled.position("CAN", as_of="2016"))
    status = next(c for c in changes if c.path == "treaties.budapest-convention.status")
    assert (status.before, status.after) == ("signatory", "party")
    assert {e.id for e in status.events} == {"can-ratifies-budapest", "can-budapest-in-force"}


def test_empty_changelog_says_so(bundled: ct.Timeline) -> None:
    """A period without changes renders a sentence saying so."""
    log = bundled.changelog("CAN", since="2003", until="2004")
    assert len(log) == 0
    assert "No changes to positions in this period." in log.to_markdown()


# -- the property: applying a changelog gives the later position -------------------------------

ACTORS = ("CAN", "KOR", "FRA")
INSTRUMENTS = ("budapest-convention", "untoc")
TREATY_KINDS = {"signature": ct.Signature, "ratification": ct.Ratification,
                "accession": ct.Accession, "entry_into_force": ct.EntryIntoForce,
                "withdrawal": ct.Withdrawal}


@st.composite
def dates(draw: st.DrawFn) -> ct.Date:
    """Days, months and years between 2000 and 2003, some intervals."""
    year = draw(st.integers(2000, 2003))
    shape = draw(st.sampled_from(["year", "month", "day", "interval"]))
    if shape == "year":
        return ct.Date.parse(f"{year}")
    month = draw(st.integers(1, 12))
    if shape == "month":
        return ct.Date.parse(f"{year}-{month:02d}")
    day = draw(st.integers(1, 28))
    start = f"{year}-{month:02d}-{day:02d}"
    if shape == "day":
        return ct.Date.parse(start)
    return ct.Date.parse(f"{start}/{year + 1}-{month:02d}-{day:02d}")


@st.composite
def events(draw: st.DrawFn, index: int) -> Any:
    """One event of a kind that shapes positions."""
    common: dict[str, Any] = {"id": f"e{index}", "date": draw(dates()), "sources": [SOURCE]}
    kind = draw(st.sampled_from(["treaty", "vote", "statement", "membership"]))
    actor = draw(st.sampled_from(ACTORS))
    if kind == "treaty":
        cls = TREATY_KINDS[draw(st.sampled_from(sorted(TREATY_KINDS)))]
        return cls(actor=actor, instrument=draw(st.sampled_from(INSTRUMENTS)), **common)
    if kind == "vote":
        voters = draw(st.dictionaries(st.sampled_from(ACTORS),
                                      st.sampled_from(["yes", "no", "abstain", "absent"]),
                                      min_size=1))
        return ct.Vote(body="UNGA", resolution=draw(st.sampled_from(["A/RES/1", "A/RES/2"])),
                       votes=voters, **common)
    if kind == "statement":
        return ct.Statement(actor=actor, topic=draw(st.sampled_from(["t-one", "t-two"])),
                            stance=draw(st.sampled_from(["supports", "opposes", "mixed"])),
                            quote=draw(st.none() | st.just("q")), **common)
    return ct.Membership(actor=actor, group="AHC", action=draw(st.sampled_from(["join", "leave"])),
                         role=draw(st.none() | st.just("chair")), **common)


@st.composite
def timelines(draw: st.DrawFn) -> ct.Timeline:
    count = draw(st.integers(0, 12))
    return ct.Timeline([draw(events(i)) for i in range(count)])


days = st.dates(dt.date(1999, 12, 1), dt.date(2005, 1, 31))


@given(timelines(), st.sampled_from(ACTORS), days, days)
def test_applying_the_changelog_gives_the_later_position(
    tl: ct.Timeline, actor: str, first: dt.date, second: dt.date
) -> None:
    """Changes from D1 (exclusive) to D2, applied to the position at D1, give the one at D2."""
    first, second = min(first, second), max(first, second)
    since = first + dt.timedelta(days=1)
    if since > second:  # a reversed period is an error, in Python as on the command line
        with pytest.raises(ct.ValidationError, match="swap them"):
            tl.changelog(actor, since=since, until=second)
        return
    log = tl.changelog(actor, since=since, until=second)
    assert log.apply(tl.position(actor, as_of=first)) == ct.position_facts(
        tl.position(actor, as_of=second))
    assert all(since <= c.settled <= second for c in log.changes if c.settled)
    assert all(c.before != c.after and c.events for c in log.changes)


@given(timelines(), st.sampled_from(ACTORS), days)
def test_changelog_from_the_start_gives_the_position(
    tl: ct.Timeline, actor: str, until: dt.date
) -> None:
    """Without since, the changelog starts from the empty position."""
    log = tl.changelog(actor, until=until)
    empty = ct.PositionProjection(actor).initial()
    assert log.apply(empty) == ct.position_facts(tl.position(actor, as_of=until))


@given(timelines(), st.sampled_from(ACTORS), days, days)
def test_diff_agrees_with_the_changelog(
    tl: ct.Timeline, actor: str, first: dt.date, second: dt.date
) -> None:
    """The net diff of two positions, applied to the first, gives the second."""
    first, second = min(first, second), max(first, second)
    start, end = tl.position(actor, as_of=first), tl.position(actor, as_of=second)
    facts = ct.position_facts(start)
    for change in ct.diff_positions(start, end):
        if change.after is None:
            del facts[change.path]
        else:
            facts[change.path] = change.to_dict()["after"]
    assert facts == ct.position_facts(end)
