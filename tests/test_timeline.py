"""The timeline: canonical order, filtered events, the known set and bitemporal corrections."""

from __future__ import annotations

import datetime as dt

import pytest

import cybertimeline as ct

D = ct.Date.parse
SOURCE = ct.Source(title="A source")


def _session(event_id, date, status, recorded=None, supersedes=None):
    return ct.Session(id=event_id, date=D(date), body="AHC", status=status, sources=[SOURCE],
                      recorded=D(recorded) if recorded else None, supersedes=supersedes)


def _act(cls, event_id, date, actor="CAN", instrument="budapest-convention", **kw):
    return cls(id=event_id, date=D(date), actor=actor, instrument=instrument, sources=[SOURCE],
               **kw)


# The seed's real case: the first session of the Ad Hoc Committee, announced
# for 17-28 January 2022 and held 28 February - 11 March 2022.
SCHEDULED = _session("ahc-first-session-scheduled", "2022-01-17/2022-01-28", "scheduled",
                     recorded="2021-11-01")
HELD = _session("ahc-first-session-held", "2022-02-28/2022-03-11", "held",
                recorded="2022-03-11", supersedes="ahc-first-session-scheduled")


def _ids(events):
    return [e.id for e in events]


def test_events_come_in_canonical_order():
    """Events sort by latest day, then earliest day, then id, whatever order they came in."""
    events = [
        _act(ct.Accession, "b-year", "2018"),
        _act(ct.EntryIntoForce, "c-day", "2018-07-01"),
        _act(ct.Signature, "a-month", "2018-07"),
        _act(ct.Signature, "a-day", "2018-07-31", actor="KOR"),
        _act(ct.Signature, "z-day", "2018-07-31", actor="USA"),
        _act(ct.Signature, "interval", "2018-06/2018-07-31", actor="JPN"),
    ]
    tl = ct.Timeline(reversed(events))
    assert _ids(tl.events()) == ["c-day", "interval", "a-month", "a-day", "z-day", "b-year"]


def test_canonical_key_is_latest_earliest_id():
    """``ct.canonical_key`` is ``(latest, earliest, id)``."""
    event = _act(ct.Accession, "acc", "2018")
    assert ct.canonical_key(event) == (dt.date(2018, 12, 31), dt.date(2018, 1, 1), "acc")


def test_timeline_validates_events_given_in_memory():
    """A timeline built from events refuses duplicate ids and unknown actors."""
    event = _act(ct.Signature, "same", "2001")
    with pytest.raises(ct.ValidationError, match="duplicate id"):
        ct.Timeline([event, _act(ct.Signature, "same", "2002")])
    with pytest.raises(ct.ValidationError, match="unknown actor"):
        ct.Timeline([_act(ct.Signature, "x", "2001", actor="ZZZ")])


def test_event_by_id_and_length():
    """A timeline gives an event by id and counts every stored event, corrected ones too."""
    tl = ct.Timeline([SCHEDULED, HELD])
    assert tl.event("ahc-first-session-held") is HELD
    assert len(tl) == 2
    with pytest.raises(KeyError):
        tl.event("nope")


@pytest.fixture
def canada():
    return ct.Timeline([
        _act(ct.Signature, "can-signs", "2001-11-23"),
        _act(ct.Ratification, "can-ratifies", "2015-07-08"),
        _act(ct.EntryIntoForce, "can-in-force", "2015-11-01"),
        ct.Vote(id="unga-74-247", date=D("2019-12-27"), body="UNGA", resolution="A/RES/74/247",
                votes={"CAN": "no", "KOR": "no"}, sources=[SOURCE]),
        ct.Statement(id="can-supports", date=D("2019-07"), actor="CAN",
                     topic="budapest-convention", stance="supports", sources=[SOURCE]),
        _act(ct.Signature, "kor-signs", "2020", actor="KOR", instrument="untoc"),
    ])


def test_events_filter_by_actor(canada):
    """``actor=`` keeps events about that actor, in any role (a voter too)."""
    assert _ids(canada.events(actor="KOR")) == ["unga-74-247", "kor-signs"]
    assert _ids(canada.events(actor="UNGA")) == ["unga-74-247"]
    assert _ids(canada.events(actor="JPN")) == []


def test_events_filter_by_kind(canada):
    """``kind=`` takes one kind or several."""
    assert _ids(canada.events(kind="vote")) == ["unga-74-247"]
    assert _ids(canada.events(actor="CAN", kind=["signature", "ratification"])) == [
        "can-signs", "can-ratifies"]


def test_events_filter_by_since_and_until(canada):
    """``since`` takes a date's first day and ``until`` its last, on the day each event settles."""
    assert _ids(canada.events(since="2015", until="2019")) == [
        "can-ratifies", "can-in-force", "can-supports", "unga-74-247"]
    assert _ids(canada.events(until="2019-07-15")) == ["can-signs", "can-ratifies",
                                                        "can-in-force"]
    assert _ids(canada.events(since="2019-07-15", until="2019-12")) == [
        "can-supports", "unga-74-247"]
    assert _ids(canada.events(since=dt.date(2020, 1, 1))) == ["kor-signs"]


def test_events_of_an_unknown_actor_raise(canada):
    """Asking for the events of an unknown actor raises UnknownActorError."""
    with pytest.raises(ct.UnknownActorError):
        list(canada.events(actor="XYZ"))


def test_events_known_at_leaves_out_what_was_not_yet_recorded():
    """``known_at`` keeps only events recorded on or before its last day."""
    late = _act(ct.Ratification, "late", "2015-07-08", recorded=D("2016-03-01"))
    tl = ct.Timeline([_act(ct.Signature, "early", "2001-11-23"), late])
    assert _ids(tl.events(known_at="2016-02-29")) == ["early"]
    assert _ids(tl.events(known_at="2016-03-01")) == ["early", "late"]
    assert _ids(tl.events(known_at="2016-03")) == ["early", "late"]
    assert _ids(tl.events(known_at="2016-02")) == ["early"]
    assert _ids(tl.events()) == ["early", "late"]


def test_an_event_without_recorded_is_known_from_the_last_day_of_its_date():
    """Without ``recorded`` or a dated source, an event is known from the last day of its
    date (rule 7): a year-precision accession is not known before the year is out."""
    tl = ct.Timeline([_act(ct.Accession, "acc", "2018")])
    assert _ids(tl.events(known_at="2018-12-30")) == []
    assert _ids(tl.events(known_at="2018-12-31")) == ["acc"]


def test_the_ahc_session_as_known_before_and_after_the_move():
    """Known at 2021-12-01 the first session is scheduled for January; later, held in March."""
    tl = ct.Timeline([HELD, SCHEDULED])
    assert _ids(tl.events(known_at="2021-12-01")) == ["ahc-first-session-scheduled"]
    assert _ids(tl.events(known_at="2022-03-10")) == ["ahc-first-session-scheduled"]
    assert _ids(tl.events(known_at="2022-03-11")) == ["ahc-first-session-held"]
    assert _ids(tl.events()) == ["ahc-first-session-held"]
    believed = tl.position("AHC", as_of="2022-01-31", known_at="2021-12-01")
    assert [(s.status, str(s.date)) for s in believed.sessions] == [
        ("scheduled", "2022-01-17/2022-01-28")]
    now = tl.position("AHC", as_of="2022-12-31")
    assert [(s.status, str(s.date)) for s in now.sessions] == [
        ("held", "2022-02-28/2022-03-11")]


def test_a_superseded_event_drops_out_only_when_its_corrector_was_recorded():
    """As known before the superseding event was recorded, the old one still counts."""
    tl = ct.Timeline([SCHEDULED, HELD])
    before = tl.position("AHC", as_of="2022-12-31", known_at="2022-03-10")
    assert [s.status for s in before.sessions] == ["scheduled"]
    at = tl.position("AHC", as_of="2022-12-31", known_at="2022-03-11")
    assert [s.status for s in at.sessions] == ["held"]


def test_include_corrected_lists_superseded_events_too():
    """``include_corrected=True`` lists superseded events alongside their correctors."""
    tl = ct.Timeline([SCHEDULED, HELD])
    assert _ids(tl.events(include_corrected=True)) == [
        "ahc-first-session-scheduled", "ahc-first-session-held"]


def test_a_retracted_event_drops_out_from_when_the_retraction_was_recorded():
    """A retraction removes its target from the known set from its recorded day on."""
    wrong = _act(ct.Ratification, "kor-ratifies", "2016-05-01", actor="KOR")
    retraction = ct.Retraction(id="retract-kor", date=D("2017-01-10"), retracts="kor-ratifies",
                               reason="misread the chart", sources=[SOURCE],
                               recorded=D("2017-01-10"))
    tl = ct.Timeline([wrong, retraction])
    assert _ids(tl.events(known_at="2017-01-09")) == ["kor-ratifies"]
    assert _ids(tl.events(known_at="2017-01-10")) == ["retract-kor"]
    assert "budapest-convention" in tl.position(
        "KOR", as_of="2020", known_at="2017-01-09").treaties
    assert tl.position("KOR", as_of="2020").treaties == {}
    assert tl.position("KOR", as_of="2016-12-31").treaties == {}


def test_the_corrector_is_itself_in_the_known_set():
    """Superseding and retracting events are themselves known events."""
    tl = ct.Timeline([SCHEDULED, HELD])
    assert "ahc-first-session-held" in _ids(tl.events(known_at="2022-12-31"))


def test_a_chain_of_supersessions_does_not_bring_back_the_first():
    """Scheduled, postponed (superseding it), then held (superseding that): only held remains."""
    scheduled = _session("org-scheduled", "2020-08", "scheduled", recorded="2019-12-27")
    postponed = _session("org-postponed", "2020-08", "postponed", recorded="2020-08-14",
                         supersedes="org-scheduled")
    held = _session("org-held", "2021-05-10/2021-05-12", "held", recorded="2021-05-12",
                    supersedes="org-postponed")
    tl = ct.Timeline([scheduled, postponed, held])
    assert _ids(tl.events(known_at="2020-09-01")) == ["org-postponed"]
    assert _ids(tl.events(known_at="2021-12-01")) == ["org-held"]
    assert [s.status for s in tl.position("AHC", known_at="2021-12-01").sessions] == ["held"]


def test_known_at_accepts_dates_and_partial_text():
    """``known_at`` may be a ``datetime.date``, a ``ct.Date`` or partial text (its last day)."""
    tl = ct.Timeline([SCHEDULED, HELD])
    for value in ("2022-03", dt.date(2022, 3, 31), D("2022-03")):
        assert _ids(tl.events(known_at=value)) == ["ahc-first-session-held"]


def test_an_invalid_query_date_raises_date_error():
    """A query date that is not EDTF raises DateError."""
    tl = ct.Timeline([SCHEDULED])
    with pytest.raises(ct.DateError):
        list(tl.events(known_at="March 2022"))
    with pytest.raises(ct.DateError):
        tl.position("AHC", as_of="2022-13")


def test_append_in_memory_keeps_the_canonical_order():
    """Appending to an in-memory timeline, back-dated or not, keeps the canonical order."""
    tl = ct.Timeline()
    tl.append(_act(ct.EntryIntoForce, "c", "2015-11-01"))
    tl.append(_act(ct.Signature, "a", "2001-11-23"))
    tl.append(_act(ct.Ratification, "b", "2015-07-08"))
    assert _ids(tl.events()) == ["a", "b", "c"]
    assert tl.position("CAN", as_of="2015-10-01").treaties["budapest-convention"].status == (
        "ratified")
