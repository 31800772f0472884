"""Instruments by name, as researchers write them: ``Budapest Convention``, ``ETS 185``,
``UNTOC``, ``Palermo Convention``.

An instrument is found by its id, its title, its short name, its id with spaces for
hyphens, or one of the common names below; case, accents and punctuation do not matter
(as for actors, `name_keys`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from cybertimeline._model.names import name_keys
from cybertimeline._model.suggestions import unknown_message
from cybertimeline.errors import UnknownInstrumentError

__all__ = ["COMMON_NAMES", "resolve_instrument"]

COMMON_NAMES: Mapping[str, tuple[str, ...]] = {
    "budapest-convention": ("Budapest", "Convention on Cybercrime", "Cybercrime Convention",
                            "ETS 185", "ETS No. 185", "CETS 185"),
    "budapest-protocol-1": ("First Protocol", "ETS 189", "ETS No. 189", "CETS 189"),
    "budapest-protocol-2": ("Second Protocol", "CETS 224", "CETS No. 224"),
    "untoc": ("Palermo Convention",),
    "uncac": ("Merida Convention", "Mérida Convention"),
    "un-cybercrime-convention": ("UN Cybercrime Convention", "Hanoi Convention"),
}
"""Common names of the bundled instruments, beside their titles and short names."""


class Named(Protocol):
    """What names an instrument (`Instrument` has these)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def short(self) -> str | None: ...


def _names(instrument: Named) -> list[str]:
    return [instrument.id, instrument.id.replace("-", " "), instrument.title,
            *([instrument.short] if instrument.short else []),
            *COMMON_NAMES.get(instrument.id, ())]


def resolve_instrument(instruments: Mapping[str, Named], name: str) -> str:
    """The id of the instrument ``name`` means (an id wins as it is).

    Raises:
        UnknownInstrumentError: no instrument, or several, go by this name; the message
            lists them or suggests near misses.
    """
    if name.strip() in instruments:
        return name.strip()
    wanted = set(name_keys(name))
    found = [i.id for i in instruments.values()
             if wanted & {key for text in _names(i) for key in name_keys(text)}]
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownInstrumentError(f"{name!r} may mean {' or '.join(map(repr, found))}: "
                                     f"give the id of the one meant")
    raise UnknownInstrumentError(unknown_message("instrument", name, instruments))
