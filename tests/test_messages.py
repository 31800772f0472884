"""Error messages say what to write instead."""

from __future__ import annotations

import pytest

import cybertimeline as ct


@pytest.mark.parametrize(("text", "fix"), [
    ("July 2019", "write 2019-07"),
    ("8 Jul 2015", "write 2015-07-08"),
    ("2019/07/01", "write 2019-07-01"),
    ("2019-7-1", "2019-07-01, not 2019-7-1"),
])
def test_a_date_written_another_way_gets_its_edtf_form(text: str, fix: str) -> None:
    """Free text or a slashed day that reads as a date is answered with its EDTF spelling."""
    with pytest.raises(ct.DateError, match=fix):
        ct.Date.parse(text)


@pytest.mark.parametrize(("actor", "meant"), [("CNA", "CAN"), ("Cananda", "CAN")])
def test_a_mistyped_actor_gets_the_id_it_may_have_meant(actor: str, meant: str) -> None:
    """Swapped letters and misspelt names lead to the ISO code; lower case and country
    names resolve as on the command line, and "Korea" lists both Koreas."""
    with pytest.raises(ct.UnknownActorError, match=f"did you mean '{meant}'"):
        ct.load().position(actor, as_of="2016")
    assert ct.load().position("can", as_of="2016").actor == "CAN"
    assert ct.load().position("Canada", as_of="2016").actor == "CAN"
    with pytest.raises(ct.AmbiguousActorError, match="'KOR'"):
        ct.load().position("Korea", as_of="2016")


@pytest.mark.parametrize("instrument", ["budapst", "budapest-convnetion", "budapest-conv"])
def test_a_mistyped_instrument_gets_the_id_it_may_have_meant(instrument: str) -> None:
    """Part of an id, or a misspelling, leads to budapest-convention ("budapest" alone is a
    common name of it: `Registry.resolve_instrument`)."""
    with pytest.raises(ct.UnknownActorError, match="did you mean 'budapest-convention'"):
        ct.load().status(instrument, as_of="2016")


def test_an_actor_nothing_resembles_gets_the_rule() -> None:
    """With nothing close, the message says what an actor id is."""
    with pytest.raises(ct.UnknownActorError, match="ISO 3166-1 alpha-3 code"):
        ct.load().position("XYZ", as_of="2016")
