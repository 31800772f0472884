"""One colour per meaning: every status, vote option, stance and session status its own."""

from __future__ import annotations

import itertools
import math
import typing

import cybertimeline as ct
from cybertimeline._model.events import SESSION_STATUSES, STANCES, VOTE_OPTIONS
from cybertimeline._model.palette import COLOURS, STATUS_COLOURS, colour, ink, value_colours
from cybertimeline._projections.treaty import TreatyStatusName


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIELAB of an sRGB colour (D65)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_value_drawn_has_a_colour() -> None:
    """Each treaty status (none too, rule 10), vote option, stance and session status; not
    "no data" nor "not yet open" (rule 11), which draw no band."""
    drawn_statuses = set(typing.get_args(TreatyStatusName)) - {"unknown", "not_yet_open"}
    assert set(STATUS_COLOURS) == drawn_statuses
    assert set(COLOURS) == drawn_statuses | {*VOTE_OPTIONS, *STANCES, *SESSION_STATUSES}


def test_every_section_colours_its_values_from_the_palette() -> None:
    """The colours a section declares (`SectionSpec.colours`) are the palette's; a section
    drawn as marks colours every value its kinds write (vote options, stances, statuses)."""
    for spec in ct.sections():
        assert all(colour(value) == given for value, given in spec.colours.items())
        if spec.marker is not None:
            assert spec.colours, spec.name
    drawn = {value for spec in ct.sections() if spec.marker for value in spec.colours}
    assert drawn == {*VOTE_OPTIONS, *STANCES, *SESSION_STATUSES}
    assert set(value_colours()) >= drawn


def test_no_two_meanings_share_a_colour() -> None:
    """Any two colours differ by at least 25 in CIELAB (ΔE*76): told apart at a glance."""
    every = {**STATUS_COLOURS, **value_colours()}
    for (one, first), (other, second) in itertools.combinations(every.items(), 2):
        distance = math.dist(_lab(first), _lab(second))
        assert distance >= 25, f"{one} {first} and {other} {second}: ΔE {distance:.1f}"


def test_ink_is_the_readable_one() -> None:
    """Text on a colour is black on light colours and white on dark ones."""
    assert ink("none") == "#1A1A1A"
    assert ink("signatory") == "#1A1A1A"
    assert ink("withdrawn") == "#FFFFFF"
    assert ink("absent") == "#FFFFFF"
    assert colour("no such value") == "#FFFFFF"
