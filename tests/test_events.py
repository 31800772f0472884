"""Events and sources: construction validates ids, enumerations, sources, recorded days, tallies."""

from __future__ import annotations

import re
import typing
from typing import Any, ClassVar

import attrs
import pytest

import cybertimeline as ct

D = ct.Date.parse
SOURCE = ct.Source(title="Chart of signatures and ratifications of Treaty 185")


def _ratification(**changes):
    fields: dict[str, Any] = {"id": "can-ratifies-budapest", "date": D("2015-07-08"),
                              "actor": "CAN", "instrument": "budapest-convention",
                              "sources": [SOURCE]}
    return ct.Ratification(**(fields | changes))


def test_an_event_has_the_common_fields():
    """Every event has an id, a kind, a date with bounds, and its sources."""
    event = _ratification()
    assert event.id == "can-ratifies-budapest"
    assert event.kind == "ratification"
    assert event.date.earliest == event.date.latest == D("2015-07-08").earliest
    assert event.sources == (SOURCE,)


def test_events_are_frozen_and_hashable():
    """An event cannot be edited in place and can be kept in a set."""
    event = _ratification()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.actor = "KOR"
    assert len({event, _ratification()}) == 1


def test_each_kind_has_its_own_tag():
    """The persisted ``kind`` tag is explicit per class, as the file format names it."""
    classes = typing.get_args(ct.Event)
    assert all("kind" in cls.__dict__ for cls in classes)  # its own, not inherited
    assert len({cls.kind for cls in classes}) == len(classes)  # one tag per kind
    assert all(getattr(ct, cls.__name__) is cls for cls in classes)  # each one public


@pytest.mark.parametrize("bad", ["", "Can-ratifies", "-leading", "has space", "under_score",
                                 "ünï"])
def test_id_must_be_a_slug(bad):
    """An id outside ``[a-z0-9][a-z0-9-]*`` is refused at construction."""
    with pytest.raises(ValueError, match="id"):
        _ratification(id=bad)


def test_an_event_needs_a_source():
    """An event without a source is invalid."""
    with pytest.raises(ValueError, match="at least one source"):
        _ratification(sources=[])


def test_a_source_needs_a_title():
    """A source without a title (or with a blank one) is refused."""
    with pytest.raises(ValueError, match="title"):
        ct.Source(title="  ")


def test_recorded_defaults_to_the_last_day_of_the_date():
    """Without ``recorded`` or a dated source, an event enters the record on the last day of
    its date (rule 7): never before it may have happened."""
    event = _ratification(date=D("2018"))
    assert event.recorded is None
    assert event.recorded_on == D("2018-12-31").earliest
    assert event.recorded_basis == "date"


def test_recorded_defaults_to_the_earliest_publication_of_a_source():
    """Without ``recorded``, the earliest ``published`` of its sources, each at its last day,
    dates the knowledge of a reported fact (a statement); an act done in public (a
    ratification) is public on its date, however late its sources (rule 7)."""
    sources = [ct.Source(title="Later report", published=D("2019-03-02")),
               ct.Source(title="Chart", published=D("2018-11")),
               ct.Source(title="Undated")]
    reported = ct.Statement(id="can-says", date=D("2018-07"), actor="CAN",
                            topic="budapest-convention", stance="supports", sources=sources)
    assert reported.recorded_on == D("2018-11-30").earliest
    assert reported.recorded_basis == "published"
    event = _ratification(date=D("2018-07"), sources=sources)
    assert event.recorded_on == D("2018-07-31").earliest
    assert event.recorded_basis == "date"
    assert _ratification(recorded=D("2018-08-01")).recorded_basis == "recorded"


def test_nothing_is_recorded_before_it_happened():
    """A ratification recorded, or published about, before its date is refused; an entry
    into force, announced ahead, is not (rule 9)."""
    with pytest.raises(ValueError, match="cannot be known before it happened"):
        _ratification(date=D("2024-03-15"), recorded=D("2020-01-01"))
    with pytest.raises(ValueError, match=r"earliest 'published'.*cannot be known"):
        _ratification(date=D("2024-03-15"),
                      sources=[ct.Source(title="Early", published=D("2023"))])
    announced = ct.EntryIntoForce(id="in-force", date=D("2024-07-01"), actor="CAN",
                                  instrument="budapest-convention", recorded=D("2024-03-15"),
                                  sources=[ct.Source(title="Notification")])
    assert announced.recorded_on < announced.date.earliest
    assert {cls.kind for cls in typing.get_args(ct.Event) if cls.announced_ahead} == {
        "entry_into_force", "session", "membership", "withdrawal"}


def test_recorded_is_kept_apart_from_the_date():
    """``recorded`` (transaction time) is its own field; the date does not move."""
    event = _ratification(recorded=D("2016-02-01"))
    assert event.recorded_on == D("2016-02-01").earliest
    assert str(event.date) == "2015-07-08"


@pytest.mark.parametrize("bad", ["2016", "2016-02", "2016-02-01?", "2016-02-01/2016-02-03"])
def test_recorded_must_be_one_exact_day(bad):
    """``recorded`` must be a single exact day, not a partial, qualified or interval date."""
    with pytest.raises(ValueError, match="recorded"):
        _ratification(recorded=D(bad))


def test_supersedes_must_be_an_id():
    """``supersedes`` names another event by its slug id."""
    with pytest.raises(ValueError, match="supersedes"):
        _ratification(supersedes="Not An Id")
    assert _ratification(supersedes="earlier-one").corrects == "earlier-one"


def test_retraction_corrects_what_it_retracts():
    """A retraction names its target through ``retracts`` and needs a reason."""
    retraction = ct.Retraction(id="r", date=D("2020-01-01"), sources=[SOURCE],
                               retracts="wrong-one", reason="misread the chart")
    assert retraction.corrects == "wrong-one"
    with pytest.raises(ValueError, match="reason"):
        ct.Retraction(id="r", date=D("2020-01-01"), sources=[SOURCE], retracts="x", reason="")


@pytest.mark.parametrize(
    ("cls", "field", "bad"),
    [
        (ct.Statement, "stance", "loves"),
        (ct.Session, "status", "rescheduled"),
        (ct.Membership, "action", "enter"),
    ],
)
def test_enumerations_are_checked(cls, field, bad):
    """A value outside its enumeration is refused and the message names the field."""
    valid = {
        ct.Statement: {"actor": "CAN", "topic": "budapest-convention", "stance": "supports"},
        ct.Session: {"body": "AHC", "status": "held"},
        ct.Membership: {"actor": "CAN", "group": "AHC", "action": "join"},
    }[cls]
    common = {"id": "x", "date": D("2021"), "sources": [SOURCE]}
    assert cls(**common, **valid) is not None
    with pytest.raises(ValueError, match=field):
        cls(**common, **(valid | {field: bad}))


def test_vote_options_are_checked():
    """A vote option other than yes, no, abstain or absent is refused."""
    with pytest.raises(ValueError, match="maybe"):
        ct.Vote(id="v", date=D("2019-12-27"), sources=[SOURCE], body="UNGA",
                resolution="A/RES/74/247", votes={"CAN": "maybe"})


def test_vote_is_immutable_including_its_table():
    """The votes table of a vote event cannot be changed after construction."""
    vote = ct.Vote(id="v", date=D("2019-12-27"), sources=[SOURCE], body="UNGA",
                   resolution="A/RES/74/247", votes={"CAN": "no"})
    with pytest.raises(TypeError):
        vote.votes["CAN"] = "yes"  # type: ignore[index]
    assert vote.involved == ("UNGA", "CAN")


def test_tally_must_not_count_fewer_than_the_recorded_votes():
    """A tally that counts fewer votes of an option than are recorded is refused."""
    votes = {"CAN": "no", "KOR": "no", "USA": "no"}
    common: dict[str, Any] = {"id": "v", "date": D("2019-12-27"), "sources": [SOURCE],
                              "body": "UNGA", "resolution": "A/RES/74/247", "votes": votes}
    assert ct.Vote(**common, tally=ct.Tally(yes=79, no=60, abstain=33)).tally == ct.Tally(
        yes=79, no=60, abstain=33)
    with pytest.raises(ValueError, match="tally"):
        ct.Vote(**common, tally=ct.Tally(yes=79, no=2, abstain=33))


def test_tally_counts_are_not_negative():
    """A negative count in a tally is refused."""
    with pytest.raises(ValueError):  # noqa: PT011
        ct.Tally(yes=-1, no=0, abstain=0)


def test_adoption_needs_a_resolution_or_an_instrument():
    """An adoption names what was adopted: a resolution, an instrument, or both."""
    common: dict[str, Any] = {"id": "a", "date": D("2019-12-27"), "sources": [SOURCE],
                              "body": "UNGA"}
    assert ct.Adoption(**common, resolution="A/RES/74/247").instrument is None
    assert ct.Adoption(**common, instrument="un-cybercrime-convention").resolution is None
    with pytest.raises(ValueError, match="resolution"):
        ct.Adoption(**common)


def test_cooperation_needs_two_different_actors():
    """Cooperation is between at least two different actors."""
    common: dict[str, Any] = {"id": "c", "date": D("2018"), "sources": [SOURCE],
                              "form": "regular meetings"}
    assert ct.Cooperation(**common, actors=["KOR", "USA"]).involved == ("KOR", "USA")
    with pytest.raises(ValueError, match="actors"):
        ct.Cooperation(**common, actors=["KOR", "KOR"])


def test_actor_fields_must_look_like_actor_ids():
    """An actor field that cannot be an actor id is refused at construction."""
    with pytest.raises(ValueError, match="actor"):
        _ratification(actor="not an actor")


def test_tags_must_be_a_list_not_one_text():
    """A single text given as ``tags`` is refused rather than split into letters."""
    with pytest.raises(TypeError):
        _ratification(tags="budapest")
    assert _ratification(tags=["budapest"]).tags == ("budapest",)


@pytest.mark.parametrize("cls", typing.get_args(ct.Event))
def test_every_kind_declares_what_it_is(cls: Any) -> None:
    """Each kind names its tag, verbs and headline, the fields that name actors and the
    entries it writes, all in terms of its own fields: what the rest of the library reads."""
    fields = {a.name for a in attrs.fields(cls)}
    assert cls.kind
    assert all(cls.verbs)
    assert set(cls.actor_fields) <= fields
    for write in cls.writes:
        assert write.whose in cls.actor_fields
        assert write.key is None or write.key in fields
    named = re.findall(r"\{(\w+)", cls.headline)
    assert named
    assert set(named) <= fields | {"verb", "subject"}


def test_a_kind_defined_outside_the_library_folds_as_it_declares():
    """The projection reads what a kind declares, so a new treaty act needs no other code."""

    @attrs.frozen(kw_only=True)
    class DefinitiveSignature(ct.TreatyAct):
        kind: ClassVar[str] = "definitive_signature"
        verbs: ClassVar[tuple[str, str]] = ("signs definitively", "signed definitively")
        headline: ClassVar[str] = "{actor} signs the {instrument} definitively"
        role: ClassVar[ct.ActRole] = "consent"

    event = DefinitiveSignature(id="mne-signs", date=D("2006-06-06"), actor="MNE",
                                instrument="budapest-convention", sources=[SOURCE])
    projection = ct.PositionProjection("MNE")
    # Not in the Event union: adding it there is the other line a new kind takes.
    position = projection.apply(projection.initial(), event)  # type: ignore[arg-type]
    assert position.treaties["budapest-convention"].status == "ratified"
    assert position.treaties["budapest-convention"].consent == "definitive_signature"
    assert event.involved == ("MNE",)
    assert event.entries("MNE") == (("treaties", "budapest-convention"),)
