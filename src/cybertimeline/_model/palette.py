"""One colour per meaning, shared by the pictures and the notebook badges.

Every treaty status, vote option, stance and session status has a colour of
its own, so that a colour in a picture or a badge means one thing (the values
of the four families are different words, so one table holds them all). The
colours are from Kelly's list of colours of maximum contrast; any two differ
by at least 25 in CIELAB (a test checks it), and the kinds of marks also
differ by shape.
"""

from __future__ import annotations

from collections.abc import Mapping

from cybertimeline._model.frozen import FrozenDict

__all__ = ["COLOURS", "STATUS_COLOURS", "VALUE_COLOURS", "add_colours", "colour", "ink",
           "value_colours"]

STATUS_COLOURS: Mapping[str, str] = FrozenDict({
    "none": "#E8E8E8",        # not a signatory (rule 10): pale grey, nothing there
    "signatory": "#A1CAF1",   # light blue
    "ratified": "#F6A600",    # amber
    "party": "#00774A",       # green
    "withdrawn": "#882D17",   # reddish brown
})
"""A treaty status's colour: the bands of a picture, the badges of a table."""

VALUE_COLOURS: Mapping[str, str] = FrozenDict({
    # vote options
    "yes": "#0067A5", "no": "#BE0032", "abstain": "#C2B280", "absent": "#2B3D26",
    # stances
    "supports": "#8DB600", "opposes": "#E25822", "neutral": "#848482", "mixed": "#E68FAC",
    # session statuses
    "scheduled": "#875692", "held": "#00A3A3", "postponed": "#F99379", "cancelled": "#DCD300",
})
"""The colour of a vote option, a stance or a session status: the marks of a picture.

The sections of a position declare these (`SectionSpec.colours`); they are here so that
one table holds every colour, and a test checks any two apart."""

_ADDED: dict[str, dict[str, str]] = {}
"""The colours of values that sections registered later declare (`add_colours`), by the
section that declared them: a section registered again gives its values anew."""

COLOURS: Mapping[str, str] = FrozenDict({**STATUS_COLOURS, **VALUE_COLOURS})
"""Every value's colour."""

_NO_COLOUR = "#FFFFFF"


def add_colours(colours: Mapping[str, str], section: str = "") -> None:
    """Give the values of ``section``, registered later, their colours
    (`SectionSpec.colours`), in place of those it gave before (a section registered again).

    Raises:
        ValueError: a value already has another colour (the built-in ones', or another
            section's), another value has this colour, or a colour is not ``#RRGGBB``.
    """
    others = {value: given for name, held in _ADDED.items() if name != section
              for value, given in held.items()}
    for value, given in colours.items():
        _check_colour(value, given, {**COLOURS, **others}, colours)
    _ADDED[section] = {value: given for value, given in colours.items() if value not in COLOURS}


def _check_colour(value: str, given: str, held: Mapping[str, str],
                  colours: Mapping[str, str]) -> None:
    """Refuse ``given`` for ``value`` if it is no ``#RRGGBB``, ``value`` has another colour
    in ``held``, or another value has it (in ``held`` or among ``colours``)."""
    if len(given) != 7 or not given.startswith("#") or not all(
            c in "0123456789abcdefABCDEF" for c in given[1:]):
        raise ValueError(f"the colour of {value!r} is {given!r}: give it as #RRGGBB")
    known = held.get(value)
    if known is not None and known.upper() != given.upper():
        raise ValueError(f"{value!r} already has the colour {known}, not {given}: "
                         f"one value, one colour")
    taken = [other for other, colour in {**held, **colours}.items()
             if colour.upper() == given.upper() and other != value]
    if taken:
        raise ValueError(f"the colour {given} of {value!r} is already {taken[0]!r}'s: "
                         f"one colour, one meaning")


def _added() -> dict[str, str]:
    return {value: given for held in _ADDED.values() for value, given in held.items()}


def value_colours() -> dict[str, str]:
    """Every value's colour but the treaty statuses': the built-in ones, then those added."""
    return {**VALUE_COLOURS, **_added()}


def colour(value: str) -> str:
    """The colour of a status, option, stance or session status; white for any other."""
    found = COLOURS.get(value)
    if found is None:
        found = next((held[value] for held in _ADDED.values() if value in held), _NO_COLOUR)
    return found


def ink(value: str) -> str:
    """Black or white, whichever reads better on `colour` of ``value`` (WCAG luminance)."""
    red, green, blue = (int(colour(value)[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    # The contrast with black beats the contrast with white above about 0.18.
    return "#1A1A1A" if luminance > 0.18 else "#FFFFFF"
