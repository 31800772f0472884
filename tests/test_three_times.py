"""Three times, each named (rule 7 of ``docs/concepts.md``): when it happened (``as_of``),
when it became public (``known_at``), when this store received it (``stored_by``)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline import importers
from cybertimeline._cli import main
from tests import strategies as s
from tests.test_import_votes import ROLL_CALLS, VOTES

IMPORT_DAY = dt.date(2026, 1, 15)


def test_a_vote_done_in_public_is_known_from_its_day() -> None:
    """The issue's example: A/RES/74/247, voted in public on 2019-12-27, was public on
    2020-06-01, though the only source with a publication date is the 2021 atlas."""
    korea = ct.load().position("KOR", as_of="2020-06-01", known_at="2020-06-01")
    assert korea.votes["A/RES/74/247"].option == "no"
    atlas_statements = [e for e in ct.load().events("KOR", kind="statement")
                        if e.recorded_basis == "published"]
    assert atlas_statements
    assert all(e.recorded_on.year >= 2021 for e in atlas_statements)


@pytest.fixture
def imported() -> ct.Timeline:
    tl = ct.Timeline(clock=lambda: IMPORT_DAY)
    importers.import_votes(tl, VOTES, ROLL_CALLS)
    return tl


def test_imported_roll_calls_are_public_on_their_day_and_stamped_with_the_import(
        imported: ct.Timeline) -> None:
    """Every imported roll call counts from the vote, and the store stamps the import."""
    vote = imported.event("unvotes-9087")
    assert (vote.recorded, vote.recorded_on) == (None, dt.date(2019, 12, 27))
    assert vote.stamped == ct.Date.from_date(IMPORT_DAY)
    then = imported.position("KOR", as_of="2020-06-01", known_at="2020-06-01")
    assert "A/RES/74/247" in then.votes
    before_import = imported.position("KOR", as_of="2020-06-01", stored_by="2026-01-14")
    assert not before_import.votes
    assert list(imported.events(stored_by="2026-01-14")) == []
    assert len(imported.status("budapest-convention", stored_by="2026-01-15")) == 0


def test_the_command_line_audits_the_store(tmp_path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    """``--stored-by`` on any command that takes ``--known-at``."""
    into = str(tmp_path / "votes.sqlite")
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", into]) == 0
    capsys.readouterr()
    assert main(["--events", into, "position", "KOR", "--as-of", "2020-06-01",
                 "--known-at", "2020-06-01"]) == 0
    assert "A/RES/74/247" in capsys.readouterr().out
    assert main(["--events", into, "position", "KOR", "--as-of", "2020-06-01",
                 "--stored-by", "2020-01-01"]) == 0
    assert "A/RES/74/247" not in capsys.readouterr().out
    assert main(["--events", into, "timeline", "KOR", "--stored-by", "2020-01-01"]) == 0


@given(s.timelines(), st.sampled_from(s.ACTORS), s.days(2000, 2030), s.days(2026, 2040),
       st.data())
def test_a_correction_never_rewrites_what_was_public_before_it(events, actor, as_of, today,
                                                               data) -> None:
    """Property: appending a correction on day T (without ``recorded``) leaves every answer
    known at a day before T as it was (rules 2 and 7)."""
    if not events:
        return
    tl = ct.Timeline(events, clock=lambda: today)
    target = data.draw(st.sampled_from(events))
    known_at = data.draw(s.days(1995, 2040).filter(lambda d: d < today))
    before = tl.position(actor, as_of=as_of, known_at=known_at).to_dict()
    fix = ct.Retraction(id="the-fix", date=ct.Date.from_date(today - dt.timedelta(days=1)),
                        retracts=target.id, reason="found wrong",
                        sources=[ct.Source(title="Erratum")])
    tl.append(fix)
    assert tl.event("the-fix").recorded == ct.Date.from_date(today)
    assert tl.position(actor, as_of=as_of, known_at=known_at).to_dict() == before


@given(s.timelines(corrections=False), st.lists(s.days(2026, 2040), min_size=1, max_size=12),
       s.days(2025, 2041), st.sampled_from(s.ACTORS), s.days(2000, 2030))
def test_stored_by_is_what_the_store_had_received(events, days, audit, actor, as_of) -> None:
    """Property: appends stamp their day and leave when each event became public; the store
    as stored by a day answers as a store of the events stamped by then."""
    clock = [dt.date(2026, 1, 1)]
    tl = ct.Timeline(clock=lambda: clock[0])
    stamped = []
    for event, day in zip(events, sorted(days * len(events)), strict=False):
        clock[0] = day  # each append on its own day, in order
        tl.append(event)
        stored = tl.event(event.id)
        assert stored.recorded_on == event.recorded_on
        assert stored.stamped == ct.Date.from_date(day)
        stamped.append(stored)
    held = [e for e in stamped if e.stamped is not None and e.stamped.earliest <= audit]
    expected = ct.Timeline(held).position(actor, as_of=as_of).to_dict()
    assert tl.position(actor, as_of=as_of, stored_by=audit).to_dict() == expected
    assert [e.id for e in tl.events(stored_by=audit)] == [
        e.id for e in ct.Timeline(held).events()]


def test_curated_events_count_for_every_stored_by() -> None:
    """The bundled files are unstamped: their version control is their history."""
    tl = ct.load()
    assert len(list(tl.events(stored_by="1990"))) == len(list(tl.events()))
    assert all(e.stamped is None for e in tl.events())


def test_a_stamp_is_set_by_the_store_not_by_hand() -> None:
    """An event given with a stamp is stamped afresh by the append."""
    tl = ct.Timeline(clock=lambda: IMPORT_DAY)
    event = ct.Signature(id="fra-signs", date=ct.Date.parse("2001-11-23"), actor="FRA",
                         instrument="budapest-convention", stamped=ct.Date.parse("1999-01-01"),
                         sources=[ct.Source(title="Chart")])
    tl.append(event)
    assert tl.event("fra-signs") == attrs.evolve(event, stamped=ct.Date.from_date(IMPORT_DAY))


def test_a_curated_file_may_not_give_a_stamp(tmp_path) -> None:
    """``stamped`` in a curated file is refused at its line; a store's own files (appended/,
    a copy's imported-NNNN.toml) keep theirs."""
    (tmp_path / "events.toml").write_text(
        '[[event]]\nid = "can-signs"\nkind = "signature"\ndate = "2001-11-23"\n'
        'actor = "CAN"\ninstrument = "budapest-convention"\nstamped = "2020-01-01"\n\n'
        '[[event.sources]]\ntitle = "Chart"\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError, match="'stamped' is set by a store") as raised:
        ct.load(tmp_path)
    assert raised.value.problems[0].line == 7
    stamped = ct.Timeline(clock=lambda: IMPORT_DAY)
    stamped.append(ct.Signature(id="fra-signs", date=ct.Date.parse("2001-11-23"), actor="FRA",
                                instrument="budapest-convention",
                                sources=[ct.Source(title="Chart")]))
    copy = ct.copy_into(stamped, tmp_path / "copy")
    assert copy.event("fra-signs").stamped == ct.Date.from_date(IMPORT_DAY)
    assert ct.load(tmp_path / "copy").event("fra-signs").stamped == ct.Date.from_date(IMPORT_DAY)
