"""The registry: ISO states, built-in actors and instruments, a store's additions and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

import cybertimeline as ct

STORES = Path(__file__).parent / "data" / "stores"


@pytest.fixture(scope="module")
def builtin():
    return ct.Registry.builtin()


@pytest.mark.parametrize("code", ["CAN", "KOR", "USA", "JPN", "DEU", "RUS", "BRA", "ZAF"])
def test_every_iso_state_is_a_known_actor(builtin, code):
    """Any ISO 3166-1 alpha-3 code is a state actor, with no declaration needed."""
    actor = builtin.actor(code)
    assert actor.id == code
    assert actor.type == "state"
    assert actor.name


def test_state_names_come_from_iso(builtin):
    """A state's name is its ISO name (the common one where there is one)."""
    assert builtin.actor("CAN").name == "Canada"
    assert "Korea" in builtin.actor("KOR").name


@pytest.mark.parametrize(("actor_id", "kind"),
                         [("EU", "bloc"), ("COE", "body"), ("UNGA", "body"), ("AHC", "body"),
                          ("UNODC", "agency")])
def test_builtin_actors(builtin, actor_id, kind):
    """The field's common actors are known out of the box, with their types."""
    assert builtin.actor(actor_id).type == kind


def test_the_ad_hoc_committee_belongs_to_the_general_assembly(builtin):
    """AHC is the Ad Hoc Committee on Cybercrime, under the UN General Assembly."""
    ahc = builtin.actor("AHC")
    assert ahc.parent == "UNGA"
    assert "Ad Hoc Committee" in ahc.name


@pytest.mark.parametrize("instrument", ["budapest-convention", "budapest-protocol-1",
                                        "budapest-protocol-2", "untoc", "uncac",
                                        "un-cybercrime-convention"])
def test_builtin_instruments(builtin, instrument):
    """The field's common instruments are known out of the box."""
    assert builtin.has_instrument(instrument)
    assert builtin.instrument(instrument).title


def test_un_symbols_are_instruments_as_they_are(builtin):
    """A UN document symbol such as A/RES/74/247 needs no declaration."""
    assert builtin.has_instrument("A/RES/74/247")
    assert builtin.has_instrument("A/74/L.84")
    assert not builtin.has_instrument("not-declared")


def test_label_of_an_instrument(builtin):
    """A declared instrument's label gives its title and short name; a UN symbol is itself."""
    assert builtin.label("budapest-convention") == "Convention on Cybercrime (Budapest Convention)"
    assert builtin.short_label("budapest-convention") == "Budapest Convention"
    assert builtin.short_label("A/RES/74/247") == "A/RES/74/247"
    assert builtin.label("A/RES/74/247") == "A/RES/74/247"


def test_unknown_actor_message_says_how_to_fix_it(builtin):
    """An unknown actor raises UnknownActorError naming it and pointing at actors.toml."""
    with pytest.raises(ct.UnknownActorError) as info:
        builtin.actor("XYZZY")
    message = str(info.value)
    assert "unknown actor 'XYZZY'" in message
    assert "actors.toml" in message
    assert isinstance(info.value, ct.TimelineError)


def test_unknown_actor_in_lower_case_suggests_the_code(builtin):
    """A lower-case code suggests its upper-case form."""
    with pytest.raises(ct.UnknownActorError, match="'CAN'"):
        builtin.actor("can")


def test_unknown_instrument_suggests_the_nearest(builtin):
    """An unknown instrument suggests a close one and points at instruments.toml."""
    with pytest.raises(ct.UnknownActorError) as info:
        builtin.instrument("budapest-conventoin")
    assert "'budapest-convention'" in str(info.value)
    assert "instruments.toml" in str(info.value)


def test_extended_adds_and_overrides(builtin):
    """A registry extended with actors and instruments adds new ids and replaces same ids."""
    spo = ct.Actor(id="SPO", name="Supreme Prosecutors' Office", type="agency", parent="KOR")
    eu = ct.Actor(id="EU", name="Union", type="bloc")
    treaty = ct.Instrument(id="test-treaty", title="Test Treaty")
    extended = builtin.extended([spo, eu], [treaty])
    assert extended.actor("SPO") == spo
    assert extended.actor("EU").name == "Union"
    assert extended.has_instrument("test-treaty")
    assert builtin.actor("EU").name == "European Union"
    assert not builtin.has_actor("SPO")


def test_actor_type_is_checked():
    """An actor's type must be one of the documented types."""
    with pytest.raises(ValueError, match="type"):
        ct.Actor(id="X1", name="X", type="club")  # type: ignore[arg-type]


def test_store_actors_toml_extends_and_overrides():
    """A store's actors.toml adds actors (SPO) and overrides built-ins (EU)."""
    tl = ct.load(STORES / "good")
    assert tl.registry.actor("SPO").parent == "KOR"
    assert tl.registry.actor("SPO").type == "agency"
    assert tl.registry.actor("EU").name == "The European Union (as this store calls it)"
    assert tl.registry.actor("CAN").name == "Canada"


def test_store_instruments_toml_extends():
    """A store's instruments.toml adds instruments, which events may then name."""
    tl = ct.load(STORES / "good")
    treaty = tl.registry.instrument("test-treaty")
    assert treaty.short == "TTC"
    assert str(treaty.opened) == "2010-05"
    assert tl.registry.has_instrument("budapest-convention")
    assert tl.position("KOR").treaties["test-treaty"].status == "signatory"


def test_a_parent_that_is_no_actor_is_an_error(tmp_path):
    """An actor whose parent is unknown fails the load, naming the file and line."""
    (tmp_path / "actors.toml").write_text(
        '[actors.SPO]\nname = "SPO"\ntype = "agency"\nparent = "KOREA"\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError) as info:
        ct.load(tmp_path)
    (problem,) = info.value.problems
    assert "KOREA" in problem.message
    assert problem.file == tmp_path / "actors.toml"
    assert problem.line == 1


def test_a_bad_actor_entry_is_an_error(tmp_path):
    """An actor of an unknown type in actors.toml fails the load, naming its line."""
    (tmp_path / "actors.toml").write_text(
        '# actors\n\n[actors.CLUB]\nname = "A club"\ntype = "club"\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError) as info:
        ct.load(tmp_path)
    (problem,) = info.value.problems
    assert "club" in problem.message
    assert problem.line == 3
