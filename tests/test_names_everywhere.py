"""Names everywhere: every public function that takes an actor accepts what the command line
accepts (`Registry.resolve`), with the same ambiguity errors; abbreviations and former
states' names resolve."""

from __future__ import annotations

import pytest

import cybertimeline as ct
from cybertimeline._importers.voters import FORMER_STATES


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


@pytest.mark.parametrize("name", ["South Korea", "kor", "ROK", "Korea, South",
                                  "Republic of Korea", "KR", "410"])
def test_a_position_takes_any_name_of_the_state(tl: ct.Timeline, name: str) -> None:
    """The issue's examples: ``tl.position("South Korea")`` and ``"kor"`` failed."""
    position = tl.position(name, as_of="2020-06-01")
    assert position.actor == "KOR"
    assert position.to_dict() == tl.position("KOR", as_of="2020-06-01").to_dict()


@pytest.mark.parametrize(("name", "actor"), [("DPRK", "PRK"), ("Holland", "NLD"),
                                             ("UAE", "ARE"), ("PRC", "CHN"), ("KSA", "SAU")])
def test_abbreviations_resolve(tl: ct.Timeline, name: str, actor: str) -> None:
    assert tl.registry.resolve(name) == actor


def test_every_entry_point_resolves_names(tl: ct.Timeline) -> None:
    """events, project, positions, members, listing, changelog, frames, TimelineJS."""
    assert [e.id for e in tl.events("south korea")] == [e.id for e in tl.events("KOR")]
    assert tl.project(ct.PositionProjection("KOR"), "Republic of Korea", as_of="2020") == (
        tl.project(ct.PositionProjection("KOR"), "KOR", as_of="2020"))
    assert list(tl.positions(["ROK", "Canada"], as_of="2020")) == ["KOR", "CAN"]
    assert tl.members("European Union", as_of="2019") == tl.members("EU", as_of="2019")
    assert tl.listing("South Korea").actor == "KOR"
    assert tl.changelog("South Korea", since="2019", until="2020").actors == ("KOR",)
    assert ct.changelog(tl, ["canada", "ROK"], since="2019", until="2020").actors == (
        "CAN", "KOR")
    timeline_js = tl.to_timelinejs("South Korea")
    assert "Republic of Korea" in timeline_js["title"]["text"]["headline"]


def test_frames_resolve_names(tl: ct.Timeline) -> None:
    pytest.importorskip("pandas")
    frame = tl.positions_frame(["South Korea"], ["2020-01-01"])
    assert list(frame.index.get_level_values(0)) == ["KOR"]
    assert len(tl.events_frame("ROK")) == len(tl.events_frame("KOR"))


def test_an_ambiguous_name_fails_as_on_the_command_line(tl: ct.Timeline) -> None:
    """``Korea`` lists both, in every entry point."""
    for ask in (lambda: tl.position("Korea"), lambda: list(tl.events("Korea")),
                lambda: tl.changelog("Korea"), lambda: tl.members("Korea")):
        with pytest.raises(ct.AmbiguousActorError, match=r"'KOR'.*'PRK'"):
            ask()


def test_former_states_resolve_where_the_registry_holds_them(tl: ct.Timeline) -> None:
    """USSR, Yugoslavia, East Germany: to the ids importers declare them with; where the
    store does not declare them, the error says what they are and how to declare them."""
    with pytest.raises(ct.UnknownActorError, match=r"former state \(SUN\).*actors\.toml"):
        tl.position("USSR")
    registry = ct.Registry.builtin().extended(actors=FORMER_STATES.values())
    for name, actor in [("USSR", "SUN"), ("Soviet Union", "SUN"), ("Yugoslavia", "YUG"),
                        ("East Germany", "DDR"), ("Czechoslovakia", "CSK")]:
        assert registry.resolve(name) == actor
    assert ct.Timeline(registry=registry).position("USSR", as_of="1990").actor == "SUN"
