"""Who and what events may name: actors (states, blocs, agencies...) and instruments."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Literal

import attrs
import pycountry

from ._dates import Date
from ._errors import UnknownActorError
from ._frozen import FrozenDict
from ._validators import actor_id, non_empty_text, one_of, slug

__all__ = ["Actor", "Instrument", "Registry"]

ActorType = Literal["state", "bloc", "agency", "company", "body", "group"]
ACTOR_TYPES: tuple[ActorType, ...] = ("state", "bloc", "agency", "company", "body", "group")

# UN symbols such as A/RES/74/247 or A/74/L.84 name instruments as they are.
UN_SYMBOL = re.compile(r"[A-Z]+(?:/[A-Za-z0-9.]+)+")


@attrs.frozen(kw_only=True)
class Actor:
    """Someone whose position can be asked for.

    Attributes:
        id: ``CAN`` (an ISO 3166-1 alpha-3 code) for a state, else an id such as ``SPO``.
        name: The actor's name in English.
        type: ``state``, ``bloc``, ``agency``, ``company``, ``body`` or ``group``.
        parent: The actor it belongs to (``SPO`` belongs to ``KOR``), if any.
    """

    id: str = attrs.field(validator=actor_id)
    name: str = attrs.field(validator=non_empty_text)
    type: ActorType = attrs.field(validator=one_of(ACTOR_TYPES))
    parent: str | None = None


@attrs.frozen(kw_only=True)
class Instrument:
    """A treaty or other instrument that actors sign, ratify, accede to...

    Attributes:
        id: A slug such as ``budapest-convention``.
        title: Its full title.
        short: Its common short name, if it has one.
        body: The actor under whose auspices it was made (``COE``, ``UNGA``).
        opened: When it was opened for signature.
    """

    id: str = attrs.field(validator=slug)
    title: str = attrs.field(validator=non_empty_text)
    short: str | None = None
    body: str | None = None
    opened: Date | None = None

    @property
    def label(self) -> str:
        """The title, followed by the short name in brackets where there is one."""
        return f"{self.title} ({self.short})" if self.short else self.title


_BUILTIN_ACTORS = (
    Actor(id="EU", name="European Union", type="bloc"),
    Actor(id="COE", name="Council of Europe", type="body"),
    Actor(id="UNGA", name="United Nations General Assembly", type="body"),
    Actor(
        id="AHC",
        name="Ad Hoc Committee to Elaborate a Comprehensive International Convention on "
        "Countering the Use of Information and Communications Technologies for Criminal Purposes",
        type="body",
        parent="UNGA",
    ),
    Actor(id="UNODC", name="United Nations Office on Drugs and Crime", type="agency"),
)

_BUILTIN_INSTRUMENTS = (
    Instrument(
        id="budapest-convention",
        title="Convention on Cybercrime",
        short="Budapest Convention",
        body="COE",
        opened=Date.parse("2001-11-23"),
    ),
    Instrument(
        id="budapest-protocol-1",
        title="Additional Protocol to the Convention on Cybercrime, concerning the "
        "criminalisation of acts of a racist and xenophobic nature committed through "
        "computer systems",
        short="First Additional Protocol",
        body="COE",
    ),
    Instrument(
        id="budapest-protocol-2",
        title="Second Additional Protocol to the Convention on Cybercrime on enhanced "
        "co-operation and disclosure of electronic evidence",
        short="Second Additional Protocol",
        body="COE",
        opened=Date.parse("2022-05-12"),
    ),
    Instrument(
        id="untoc",
        title="United Nations Convention against Transnational Organized Crime",
        short="UNTOC",
        body="UNGA",
    ),
    Instrument(
        id="uncac",
        title="United Nations Convention against Corruption",
        short="UNCAC",
        body="UNGA",
    ),
    Instrument(
        id="un-cybercrime-convention",
        title="United Nations Convention against Cybercrime",
        short="UN Cybercrime Convention",
        body="UNGA",
        opened=Date.parse("2025-10-25"),
    ),
)


@cache
def _states() -> Mapping[str, Actor]:
    states = {}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        states[country.alpha_3] = Actor(id=country.alpha_3, name=name, type="state")
    return FrozenDict(states)


@attrs.frozen
class Registry:
    """The actors and instruments a timeline knows.

    It starts from every ISO 3166-1 state and the field's common actors and
    instruments; a store's ``actors.toml`` and ``instruments.toml`` add to them
    and override them (see `extended`).
    """

    actors: Mapping[str, Actor]
    instruments: Mapping[str, Instrument]

    @classmethod
    def builtin(cls) -> Registry:
        """Every ISO state, and the built-in actors and instruments."""
        actors = dict(_states())
        actors.update((a.id, a) for a in _BUILTIN_ACTORS)
        instruments = {i.id: i for i in _BUILTIN_INSTRUMENTS}
        return cls(FrozenDict(actors), FrozenDict(instruments))

    def extended(
        self, actors: Iterable[Actor] = (), instruments: Iterable[Instrument] = ()
    ) -> Registry:
        """A registry with these actors and instruments added, replacing any of the same id."""
        merged_actors = dict(self.actors)
        merged_actors.update((a.id, a) for a in actors)
        merged_instruments = dict(self.instruments)
        merged_instruments.update((i.id, i) for i in instruments)
        return Registry(
            FrozenDict(merged_actors), FrozenDict(merged_instruments)
        )

    def has_actor(self, actor: str) -> bool:
        """Whether ``actor`` is a known actor id."""
        return actor in self.actors

    def has_instrument(self, instrument: str) -> bool:
        """Whether ``instrument`` is a known instrument id or a UN document symbol."""
        return instrument in self.instruments or UN_SYMBOL.fullmatch(instrument) is not None

    def actor(self, actor: str) -> Actor:
        """The actor of this id.

        Raises:
            UnknownActorError: no actor has this id.
        """
        try:
            return self.actors[actor]
        except KeyError:
            raise UnknownActorError(unknown_message("actor", actor, self.actors)) from None

    def instrument(self, instrument: str) -> Instrument:
        """The instrument of this id.

        Raises:
            UnknownActorError: no instrument has this id.
        """
        try:
            return self.instruments[instrument]
        except KeyError:
            message = unknown_message("instrument", instrument, self.instruments)
            raise UnknownActorError(message) from None

    def label(self, instrument: str) -> str:
        """A readable name for an instrument id, or the id (a UN symbol) itself."""
        found = self.instruments.get(instrument)
        return found.label if found else instrument

    def name(self, actor: str) -> str:
        """The name of an actor id, or the id itself if it is not known."""
        found = self.actors.get(actor)
        return found.name if found else actor


def _candidates(name: str, known: Mapping[str, object]) -> list[str]:
    """Ids a mistyped ``name`` may have meant, best first."""
    upper = name.upper()
    found = [upper] if upper in known and upper != name else []
    # The same letters in another order (CNA for CAN), then names (Canada for CAN).
    found += sorted(k for k in known if len(k) == len(name) and sorted(k) == sorted(upper))
    by_name = {str(getattr(v, "name", "")).casefold(): k for k, v in known.items()}
    if name.casefold() in by_name:
        found.append(by_name[name.casefold()])
    found += [by_name[n] for n in difflib.get_close_matches(name.casefold(), list(by_name), n=2)]
    # Part of an id (budapest for budapest-convention), then ids that look alike.
    if len(name) >= 4:
        found += sorted(k for k in known if name.casefold() in k.casefold())
    found += difflib.get_close_matches(name, list(known), n=3)
    heads: dict[str, str] = {}
    for key in known:  # budapst for budapest-convention: the first word of an id
        heads.setdefault(key.split("-")[0].casefold(), key)
    found += [heads[h] for h in difflib.get_close_matches(name.casefold(), list(heads), n=1)]
    return list(dict.fromkeys(c for c in found if c != name))[:3]


def unknown_message(what: str, name: str, known: Mapping[str, object]) -> str:
    """Why ``name`` is refused, with the ids it may have meant."""
    close = _candidates(name, known)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    if what == "actor":
        return (
            f"unknown actor {name!r}{hint}: use an ISO 3166-1 alpha-3 code "
            f"or declare it in actors.toml"
        )
    return f"unknown instrument {name!r}{hint}: declare it in instruments.toml"
