"""Names as researchers write them: Registry.resolve, UN display names, near-miss suggestions."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.names import name_keys
from cybertimeline._model.state_names import (
    AMBIGUOUS_NAMES,
    OTHER_FORMS,
    UN_MEMBER_STATES,
    UN_OBSERVER_STATES,
)


@pytest.fixture(scope="module")
def registry():
    return ct.Registry.builtin()


@pytest.mark.parametrize(("name", "actor"), [
    # codes, in any case
    ("CAN", "CAN"), ("can", "CAN"), ("CA", "CAN"), ("ca", "CAN"), ("124", "CAN"),
    ("040", "AUT"), ("40", "AUT"), ("eu", "EU"), ("unga", "UNGA"),
    # ISO names, official and common
    ("Korea, Republic of", "KOR"), ("Moldova, Republic of", "MDA"), ("Czechia", "CZE"),
    ("Congo, The Democratic Republic of the", "COD"), ("Bolivia", "BOL"),
    # the UN's names
    ("Republic of Korea", "KOR"), ("Republic of Moldova", "MDA"),
    ("United States of America", "USA"), ("Türkiye", "TUR"), ("Viet Nam", "VNM"),
    ("Netherlands (Kingdom of the)", "NLD"), ("Bolivia (Plurinational State of)", "BOL"),
    ("Russian Federation", "RUS"), ("Iran (Islamic Republic of)", "IRN"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("Democratic People's Republic of Korea", "PRK"), ("Gambia (Republic of The)", "GMB"),
    ("Holy See", "VAT"), ("State of Palestine", "PSE"), ("Congo", "COG"),
    # the Council of Europe's forms
    ("Czech Republic", "CZE"), ("Slovak Republic", "SVK"), ("Turkey", "TUR"),
    ("the former Yugoslav Republic of Macedonia", "MKD"),
    # common names, and CLDR short forms as data sets write them
    ("South Korea", "KOR"), ("Russia", "RUS"), ("Vietnam", "VNM"), ("Cape Verde", "CPV"),
    ("Congo - Kinshasa", "COD"), ("Myanmar (Burma)", "MMR"), ("St. Kitts & Nevis", "KNA"),
    ("St. Vincent & Grenadines", "VCT"), ("São Tomé & Príncipe", "STP"),
    ("Côte d’Ivoire", "CIV"), ("Antigua & Barbuda", "ATG"),
    # case, spaces, a leading "the"
    ("  republic of KOREA ", "KOR"), ("The Gambia", "GMB"), ("timor leste", "TLS"),
    # declared actors by name
    ("European Union", "EU"), ("council of europe", "COE"),
])
def test_resolve_accepts_the_names_researchers_write(registry, name, actor):
    """Codes in any case, ISO, UN, Council of Europe and common names all resolve."""
    assert registry.resolve(name) == actor


def test_every_un_member_state_resolves_by_its_un_name(registry):
    """The 193 Member States and the two observer States each resolve under their UN name."""
    assert len(UN_MEMBER_STATES) == 193
    for code, name in {**UN_MEMBER_STATES, **UN_OBSERVER_STATES}.items():
        assert registry.resolve(name) == code


def test_every_iso_entry_resolves_by_its_codes_and_names(registry):
    """Each ISO 3166-1 entry resolves by its alpha-2, numeric code and each of its ISO names."""
    for country in pycountry.countries:
        for text in (country.alpha_2, country.numeric, country.name,
                     getattr(country, "official_name", None)):
            if text is not None:
                assert registry.resolve(text) == country.alpha_3, text


def test_the_other_forms_name_known_states(registry):
    """Each form of the table names a state the registry knows."""
    for name, code in OTHER_FORMS.items():
        assert registry.resolve(name) == code


def test_display_names_follow_un_usage(registry):
    """A state's name is its name in UN usage."""
    assert registry.name("KOR") == "Republic of Korea"
    assert registry.name("USA") == "United States of America"
    assert registry.name("TUR") == "Türkiye"
    assert registry.name("VNM") == "Viet Nam"
    assert registry.name("CAN") == "Canada"


def test_iso_entries_that_are_not_states_are_territories(registry):
    """Only the UN's Member and observer States are states; Antarctica is a territory."""
    states = {a.id for a in registry.actors.values() if a.type == "state"}
    assert states == set(UN_MEMBER_STATES) | set(UN_OBSERVER_STATES)
    assert registry.actor("ATA").type == "territory"
    assert registry.actor("GRL").type == "territory"


def test_status_of_all_actors_lists_states_not_territories():
    """`status(all_actors=True)` lists the 195 states, not Antarctica."""
    chart = ct.load().status("budapest-convention", as_of="2020-01-01", all_actors=True)
    assert "ATA" not in chart
    assert {"CAN", "KOR", "VAT", "PSE"} <= set(chart)
    assert len(chart) == 195


@pytest.mark.parametrize("name", ["Korea", "Virgin Islands"])
def test_an_ambiguous_name_lists_its_candidates(registry, name):
    """A name that means several actors raises AmbiguousActorError naming each."""
    with pytest.raises(ct.AmbiguousActorError) as info:
        registry.resolve(name)
    assert len(info.value.candidates) == len(AMBIGUOUS_NAMES[name]) == 2
    for candidate in info.value.candidates:
        assert repr(candidate) in str(info.value)
    assert isinstance(info.value, ct.UnknownActorError)
    assert isinstance(info.value, ct.TimelineError)


def test_a_name_declared_twice_is_ambiguous(registry):
    """Two declared actors of the same name make that name ambiguous."""
    twins = registry.extended([ct.Actor(id="CYBERPOL", name="Cyber Police", type="agency"),
                               ct.Actor(id="CYBERPOL2", name="Cyber police", type="agency")])
    with pytest.raises(ct.AmbiguousActorError, match="CYBERPOL2"):
        twins.resolve("cyber police")
    assert twins.resolve("CYBERPOL2") == "CYBERPOL2"


def test_a_store_name_overrides_resolve_too(registry):
    """A store that renames an actor makes the new name resolve."""
    renamed = registry.extended([ct.Actor(id="EU", name="The Union", type="bloc")])
    assert renamed.resolve("the union") == "EU"


@pytest.mark.parametrize(("name", "meant"), [
    ("Cananda", "CAN"), ("CNA", "CAN"), ("Germny", "DEU"), ("Korea, Republik of", "KOR"),
])
def test_suggestions_rank_real_near_misses_first(registry, name, meant):
    """An unknown name suggests what it nearly spells, first."""
    with pytest.raises(ct.UnknownActorError) as info:
        registry.resolve(name)
    message = str(info.value)
    assert f"did you mean {meant!r}" in message


@pytest.mark.parametrize("name", ["NATO", "Atlantis", "XYZZY"])
def test_no_suggestion_without_a_near_miss(registry, name):
    """A name nothing resembles suggests nothing (NATO does not suggest MCO)."""
    with pytest.raises(ct.UnknownActorError) as info:
        registry.resolve(name)
    assert "did you mean" not in str(info.value)


def test_an_unknown_id_suggests_what_resolve_would_take(registry):
    """`actor("Korea, Republic of")` suggests KOR, not an id that shares letters."""
    with pytest.raises(ct.UnknownActorError, match=r"did you mean 'KOR' \(Republic of Korea\)"):
        registry.actor("Korea, Republic of")
    with pytest.raises(ct.UnknownActorError) as info:
        ct.load().members("NATO")
    assert "MCO" not in str(info.value)


@given(st.sampled_from(sorted(UN_MEMBER_STATES.values())),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_case_and_spacing_do_not_matter(name, change):
    """A name resolves the same whatever its case and surrounding spaces."""
    registry = ct.Registry.builtin()
    assert registry.resolve(change(name)) == registry.resolve(name)


@given(st.text(max_size=40))
def test_name_keys_are_normal_forms(text):
    """Keys are lower case, single-spaced words: keying a key gives it back."""
    for key in name_keys(text):
        assert key == key.strip()
        assert "  " not in key
        assert name_keys(key)[0] == key
