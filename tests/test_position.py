"""Positions: treaty statuses, votes, stances, memberships, partial dates, groups, projections."""

from __future__ import annotations

from typing import Any

import pytest

import cybertimeline as ct

D = ct.Date.parse
SOURCE = ct.Source(title="Chart of signatures and ratifications of Treaty 185",
                   publisher="Council of Europe Treaty Office")
OTHER_SOURCE = ct.Source(title="UN press release")


def _act(cls, event_id, date, actor="CAN", instrument="budapest-convention"):
    return cls(id=event_id, date=D(date), actor=actor, instrument=instrument, sources=[SOURCE])


def _member(event_id, actor, group, action, date, role=None):
    return ct.Membership(id=event_id, date=D(date), actor=actor, group=group, action=action,
                         role=role, sources=[OTHER_SOURCE])


CANADA = [
    _act(ct.Signature, "can-signs-budapest", "2001-11-23"),
    _act(ct.Ratification, "can-ratifies-budapest", "2015-07-08"),
    _act(ct.EntryIntoForce, "can-budapest-in-force", "2015-11-01"),
    ct.Vote(id="unga-74-247", date=D("2019-12-27"), body="UNGA", resolution="A/RES/74/247",
            votes={"CAN": "no", "KOR": "no", "DEU": "no", "FRA": "no"},
            sources=[OTHER_SOURCE]),
    ct.Statement(id="can-best-tool", date=D("2019-07"), actor="CAN",
                 topic="budapest-convention", stance="supports", quote="the best tool",
                 sources=[OTHER_SOURCE]),
    _member("can-joins-ahc", "CAN", "AHC", "join", "2021-05"),
    ct.Cooperation(id="kor-usa-meetings", date=D("2018"), actors=["KOR", "USA"],
                   form="regular meetings", sources=[OTHER_SOURCE]),
]


@pytest.fixture
def tl():
    return ct.Timeline(CANADA)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2001-11-22", None), ("2001-11-23", "signatory"), ("2014-12-31", "signatory"),
     ("2015-07-08", "ratified"), ("2015-10-31", "ratified"), ("2015-11-01", "party"),
     ("2016-01-01", "party")],
)
def test_treaty_status_as_of_a_date(tl, as_of, status):
    """Canada is a signatory from 2001, has ratified from 2015-07-08, is a party from 2015-11-01."""
    treaties = tl.position("CAN", as_of=as_of).treaties
    if status is None:
        assert "budapest-convention" not in treaties
    else:
        assert treaties["budapest-convention"].status == status


def test_treaty_entry_has_dates_and_its_events(tl):
    """A treaty entry gives the dates of signature, consent, entry into force and its events."""
    entry = tl.position("CAN", as_of="2016-01-01").treaties["budapest-convention"]
    assert str(entry.signed) == "2001-11-23"
    assert str(entry.consented) == "2015-07-08"
    assert entry.consent == "ratification"
    assert str(entry.in_force) == "2015-11-01"
    assert entry.withdrawn is None
    assert [e.id for e in entry.events] == [
        "can-signs-budapest", "can-ratifies-budapest", "can-budapest-in-force"]


def test_withdrawal_after_consent_gives_withdrawn():
    """A withdrawal after the latest consent and entry into force makes the status withdrawn."""
    tl = ct.Timeline([*CANADA[:3], _act(ct.Withdrawal, "can-withdraws", "2024-03-01")])
    entry = tl.position("CAN", as_of="2024-12-31").treaties["budapest-convention"]
    assert entry.status == "withdrawn"
    assert str(entry.withdrawn) == "2024-03-01"
    assert tl.position("CAN", as_of="2024-02-29").treaties[
        "budapest-convention"].withdrawn is None


def test_consent_again_after_withdrawal_is_no_longer_withdrawn():
    """An accession after a withdrawal ends the withdrawn status."""
    tl = ct.Timeline([*CANADA[:3], _act(ct.Withdrawal, "can-withdraws", "2024-03-01"),
                      _act(ct.Accession, "can-accedes-again", "2026-01-05")])
    entry = tl.position("CAN", as_of="2026-12-31").treaties["budapest-convention"]
    assert entry.status == "ratified"
    assert entry.consent == "accession"
    assert entry.withdrawn is None


@pytest.mark.parametrize("cls", [ct.Accession, ct.Acceptance, ct.Approval, ct.Ratification])
def test_every_consent_kind_counts_as_consent(cls):
    """Ratification, accession, acceptance and approval are each consent to be bound."""
    tl = ct.Timeline([_act(cls, "consent", "2010-05-05", actor="JPN")])
    entry = tl.position("JPN", as_of="2011").treaties["budapest-convention"]
    assert entry.status == "ratified"
    assert entry.consent == cls.kind


def test_year_accession_with_day_entry_into_force_is_party():
    """An accession known only to "2018" settles after an entry into force of 2018-07-01: party."""
    tl = ct.Timeline([_act(ct.Accession, "acc", "2018", actor="KOR"),
                      _act(ct.EntryIntoForce, "eif", "2018-07-01", actor="KOR")])
    assert tl.position("KOR", as_of="2018-12-31").treaties[
        "budapest-convention"].status == "party"
    assert tl.position("KOR", as_of="2019-06-01").treaties[
        "budapest-convention"].status == "party"


def test_year_accession_counts_from_the_end_of_the_year_unless_possible():
    """A "2015" accession counts from 2015-12-31, or from 2015-01-01 with possible=True."""
    tl = ct.Timeline([_act(ct.Accession, "acc", "2015", actor="JPN")])
    assert tl.position("JPN", as_of="2015-12-30").treaties == {}
    assert tl.position("JPN", as_of="2015-12-31").treaties["budapest-convention"].status == (
        "ratified")
    assert tl.position("JPN", as_of="2014-12-31", possible=True).treaties == {}
    assert tl.position("JPN", as_of="2015-01-01", possible=True).treaties[
        "budapest-convention"].status == "ratified"


def test_a_month_statement_does_not_count_mid_month_unless_possible(tl):
    """A statement dated 2019-07 does not count on 2019-07-15 unless possible=True."""
    assert "budapest-convention" not in tl.position("CAN", as_of="2019-07-15").stances
    possible = tl.position("CAN", as_of="2019-07-15", possible=True)
    assert possible.stances["budapest-convention"].stance == "supports"
    assert possible.possible is True
    settled = tl.position("CAN", as_of="2019-07-31")
    assert settled.stances["budapest-convention"].stance == "supports"


def test_a_partial_as_of_means_its_last_day(tl):
    """``as_of="2019-07"`` means 2019-07-31, so the July statement counts."""
    assert tl.position("CAN", as_of="2019-07").stances["budapest-convention"].quote == (
        "the best tool")


def test_the_latest_stance_per_topic_wins():
    """Of two statements on one topic, the later one in canonical order is the stance."""
    statements = [
        ct.Statement(id="s0", date=D("2020-05"), actor="KOR", topic="un-cybercrime-treaty",
                     stance="opposes", sources=[OTHER_SOURCE]),
        ct.Statement(id="s1", date=D("2021"), actor="KOR", topic="un-cybercrime-treaty",
                     stance="mixed", sources=[OTHER_SOURCE]),
    ]
    tl = ct.Timeline(statements)
    assert tl.position("KOR", as_of="2021-06-30").stances["un-cybercrime-treaty"].stance == (
        "opposes")
    assert tl.position("KOR", as_of="2022").stances["un-cybercrime-treaty"].stance == "mixed"


def test_votes_memberships_and_cooperation(tl):
    """A position gives each vote's option, the groups joined and the cooperation."""
    pos = tl.position("CAN", as_of="2022-01-01")
    assert pos.votes["A/RES/74/247"].option == "no"
    assert pos.votes["A/RES/74/247"].event.id == "unga-74-247"
    assert pos.memberships["AHC"].event.id == "can-joins-ahc"
    korea = tl.position("KOR", as_of="2019")
    assert [c.with_ for c in korea.cooperation] == [("USA",)]
    assert korea.cooperation[0].form == "regular meetings"


def test_leaving_a_group_ends_the_membership():
    """A leave after a join removes the membership."""
    tl = ct.Timeline([_member("j", "GBR", "EU", "join", "1973-01-01"),
                      _member("l", "GBR", "EU", "leave", "2020-01-31")])
    assert "EU" in tl.position("GBR", as_of="2019-12-27").memberships
    assert "EU" not in tl.position("GBR", as_of="2020-02-01").memberships


def test_to_dict_has_the_shape_of_design(tl):
    """``to_dict`` gives the documented JSON shape."""
    data = tl.position("CAN", as_of="2022-01-01").to_dict()
    assert data["actor"] == "CAN"
    assert data["as_of"] == "2022-01-01"
    assert data["known_at"] is None
    assert data["treaties"]["budapest-convention"] == {
        "status": "party", "signed": "2001-11-23", "consented": "2015-07-08",
        "consent": "ratification", "in_force": "2015-11-01", "withdrawn": None,
        "events": ["can-signs-budapest", "can-ratifies-budapest", "can-budapest-in-force"],
        "coverage": None, "opens": None}
    assert data["not_yet_open"] == {"budapest-protocol-2": "2022-05-12",
                                    "un-cybercrime-convention": "2025-10-25"}
    vote = data["votes"]["A/RES/74/247"]
    assert (vote["option"], vote["date"], vote["event"]) == ("no", "2019-12-27", "unga-74-247")
    stance = data["stances"]["budapest-convention"]
    assert (stance["stance"], stance["date"], stance["event"]) == (
        "supports", "2019-07", "can-best-tool")
    membership = data["memberships"]["AHC"]
    assert (membership["role"], membership["since"], membership["event"]) == (
        "member", "2021-05", "can-joins-ahc")
    assert data["cooperation"] == []
    korea = tl.position("KOR", as_of="2019").to_dict()
    assert korea["cooperation"] == [{"with": ["USA"], "form": "regular meetings",
                                     "since": "2018", "event": "kor-usa-meetings"}]


def test_to_dict_records_the_query(tl):
    """``to_dict`` gives the as-of and known-at dates as they were asked."""
    data = tl.position("CAN", as_of="2019", known_at="2020-06").to_dict()
    assert (data["as_of"], data["known_at"]) == ("2019", "2020-06")


def test_sources_lists_every_source_once(tl):
    """``sources()`` gives every source behind the position, each once."""
    pos = tl.position("CAN", as_of="2022-01-01")
    assert pos.sources() == (SOURCE, OTHER_SOURCE)
    assert {e.id for e in pos.events()} == {
        "can-signs-budapest", "can-ratifies-budapest", "can-budapest-in-force", "unga-74-247",
        "can-best-tool", "can-joins-ahc"}


def test_unknown_actor_raises(tl):
    """A position of an unknown actor raises UnknownActorError, a TimelineError."""
    with pytest.raises(ct.UnknownActorError, match="XYZ"):
        tl.position("XYZ", as_of="2020")
    with pytest.raises(ct.TimelineError):
        tl.position("XYZ", as_of="2020")


def test_an_actor_with_no_events_has_an_empty_position(tl):
    """A known actor without events has an empty position, not an error."""
    pos = tl.position("BRA", as_of="2020-01-01")
    assert pos.is_empty
    assert pos.sources() == ()
    data = pos.to_dict()
    for spec in ct.sections():  # every registered section, keyed or listed, is there empty
        assert data[spec.name] == ({} if spec.keyed else [])


def test_members_of_a_group_as_of_a_date():
    """``members`` lists a group's members as of a date, from join and leave events."""
    tl = ct.Timeline([
        _member("gbr-joins", "GBR", "EU", "join", "1973-01-01"),
        _member("deu-joins", "DEU", "EU", "join", "1958-01-01"),
        _member("hrv-joins", "HRV", "EU", "join", "2013-07-01"),
        _member("gbr-leaves", "GBR", "EU", "leave", "2020-01-31"),
    ])
    assert tl.members("EU", as_of="2010") == ("DEU", "GBR")
    assert tl.members("EU", as_of="2019-12-27") == ("DEU", "GBR", "HRV")
    assert tl.members("EU", as_of="2020-02-01") == ("DEU", "HRV")
    with pytest.raises(ct.UnknownActorError):
        tl.members("NOPE")


def test_positions_of_a_group_use_its_members_on_the_date():
    """``positions(group)`` gives each member's position, members taken as of the date."""
    tl = ct.Timeline([
        _member("deu-joins", "DEU", "EU", "join", "1958-01-01"),
        _member("fra-joins", "FRA", "EU", "join", "1958-01-01"),
        _member("fra-leaves", "FRA", "EU", "leave", "2030-01-01"),
        *CANADA,
    ])
    votes = {a: p.votes["A/RES/74/247"].option
             for a, p in tl.positions(group="EU", as_of="2019-12-27").items()}
    assert votes == {"DEU": "no", "FRA": "no"}
    assert set(tl.positions(group="EU", as_of="2030-06-01")) == {"DEU"}
    assert set(tl.positions("EU", as_of="2019-12-27")) == {"EU"}  # a text is one actor
    with pytest.raises(TypeError, match="not both"):
        tl.positions(["CAN"], group="EU")
    listed = tl.positions(["CAN", "KOR"], as_of="2020")
    assert set(listed) == {"CAN", "KOR"}
    assert listed["KOR"].votes["A/RES/74/247"].option == "no"


def test_status_of_an_instrument_for_every_actor():
    """``status(instrument)`` gives every actor's status towards it, like a treaty chart."""
    tl = ct.Timeline([*CANADA, _act(ct.Signature, "jpn-signs", "2001-11-23", actor="JPN"),
                      _act(ct.Accession, "kor-accedes", "2024", actor="KOR"),
                      _act(ct.Signature, "usa-signs-untoc", "2000", actor="USA",
                           instrument="untoc")])
    chart = tl.status("budapest-convention", as_of="2016-01-01")
    assert {a: s.status for a, s in chart.items()} == {"CAN": "party", "JPN": "signatory"}
    later = tl.status("budapest-convention", as_of="2024-12-31")
    assert later["KOR"].status == "ratified"
    assert set(tl.status("untoc")) == {"USA"}
    with pytest.raises(ct.UnknownActorError):
        tl.status("no-such-treaty")


class CountVotes:
    """A user projection: how many vote events are folded."""

    def initial(self) -> int:
        return 0

    def apply(self, state: int, event: ct.Event) -> int:
        return state + 1 if event.kind == "vote" else state


class Kinds:
    """A user projection: the kinds folded, in order."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], event: ct.Event) -> tuple[str, ...]:
        return (*state, event.kind)


def test_a_user_projection_through_project(tl):
    """Any object with ``initial`` and ``apply`` folds the settled events through ``project``."""
    assert tl.project(CountVotes(), as_of="2019-12-26") == 0
    assert tl.project(CountVotes(), as_of="2019-12-27") == 1
    assert tl.project(Kinds(), as_of="2015-12-31") == (
        "signature", "ratification", "entry_into_force")
    assert tl.project(Kinds(), as_of="2019-07-15", actor="CAN") == (
        "signature", "ratification", "entry_into_force")
    assert tl.project(Kinds(), as_of="2019-07-15", actor="CAN", possible=True)[-1] == "statement"
    assert len(tl.project(Kinds())) == len(CANADA)


def test_fold_with_the_position_projection_equals_position(tl):
    """``ct.fold(ct.PositionProjection(actor), events)`` is the position the timeline gives."""
    events = list(tl.events(until="2020"))
    folded = ct.fold(ct.PositionProjection("CAN"), events)
    pos = tl.position("CAN", as_of="2020")
    assert folded.treaties == pos.treaties
    assert folded.votes == pos.votes
    assert folded.stances == pos.stances


def test_sessions_of_a_body():
    """A body's position lists its sessions, as known."""
    tl = ct.Timeline([ct.Session(id="s1", date=D("2022-02-28/2022-03-11"), body="AHC",
                                 status="held", location="New York", sources=[OTHER_SOURCE])])
    (session,) = tl.position("AHC", as_of="2022-12-31").sessions
    assert (session.status, str(session.date), session.location) == (
        "held", "2022-02-28/2022-03-11", "New York")
    assert tl.position("AHC", as_of="2022-03-10").sessions == ()


@pytest.mark.parametrize(("given", "message"), [
    ({"votes": []}, "votes is a list: give a mapping"),
    ({"stances": "supports"}, "stances is a str: give a mapping"),
    ({"cooperation": {"CAN": None}}, "cooperation is a dict: give a tuple"),
    ({"sessions": "held"}, "sessions is a str: give a tuple"),
])
def test_a_section_of_the_wrong_shape_is_refused_when_made(given: dict[str, Any],
                                                           message: str) -> None:
    """A keyed section given as a list, a listed one as a mapping: refused at once, naming
    the section (it failed later, in `to_dict`, with an AttributeError)."""
    with pytest.raises(TypeError, match=message):
        ct.Position(actor="CAN", **given)


def test_a_position_made_by_hand_is_a_value_like_one_answered() -> None:
    """Sections given as a dict and a list are frozen: the position hashes, equals the one
    a timeline answers, and never changes when the caller's dict does."""
    answered = ct.load().position("CAN", as_of="2016-01-01")
    votes = dict(answered.votes)
    made = ct.Position(actor="CAN", as_of=answered.as_of, known_at=answered.known_at,
                       sections={**answered.sections, "votes": votes,
                                 "sessions": list(answered.sessions)},
                       coverage=answered.coverage)
    assert made == answered
    assert hash(made) == hash(answered)
    votes.clear()
    assert made.votes
    assert made == answered
