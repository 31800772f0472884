"""Who and what events may name: actors (states, blocs, agencies...) and instruments."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import a_day, actor_id, date, non_empty_text, one_of, slug
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.sources import Source, knowledge_day, some_source, sources
from cybertimeline.errors import FieldError, UnknownActorError, UnknownInstrumentError

__all__ = ["Actor", "Coverage", "Instrument", "Registry"]

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
class Coverage:
    """A declaration that the store holds an instrument's chart completely over a span (rule 10).

    On a day the span covers, an actor with no act on the instrument is not a
    signatory (status ``none``), not merely without data (``unknown``).

    Attributes:
        complete_until: The chart's date: every act up to its last day is in the store.
        complete_from: The first day covered; from the beginning if None.
        sources: The chart or list that says so (at least one).
        recorded: The day the declaration entered the record; by default the earliest
            ``published`` of its sources, else the last day of ``complete_until``.
    """

    complete_until: Date = attrs.field(converter=date)
    sources: tuple[Source, ...] = attrs.field(converter=sources, validator=some_source)
    complete_from: Date | None = attrs.field(default=None, converter=optional_date)
    recorded: Date | None = attrs.field(default=None, converter=optional_date,
                                        validator=a_day)

    def __attrs_post_init__(self) -> None:
        if self.complete_from is not None and (
                self.complete_from.earliest > self.complete_until.latest):
            raise FieldError("complete_from", f"'complete_from' {self.complete_from} is after "
                                              f"'complete_until' {self.complete_until}")
        if self.recorded_on < self.complete_until.latest:
            what = "'recorded'" if self.recorded is not None else "the sources' 'published'"
            raise FieldError("recorded", (
                f"{what} ({self.recorded_on}) is before the chart's date "
                f"{self.complete_until}: a chart cannot be known complete before its date"))

    @property
    def recorded_on(self) -> dt.date:
        """The day the declaration entered the record (as for events, rule 7)."""
        return knowledge_day(self.recorded, self.sources, self.complete_until.latest)

    def covers(self, day: dt.date | None, known_at: dt.date | None = None) -> bool:
        """Whether the chart is complete on ``day``, as the record stood at ``known_at``.

        Never for ``day`` None (every event known: the chart may be incomplete after its date).
        """
        if day is None or day > self.complete_until.latest:
            return False
        if self.complete_from is not None and day < self.complete_from.earliest:
            return False
        return known_at is None or self.recorded_on <= known_at

    def to_dict(self) -> dict[str, Any]:
        """``{"complete_from", "complete_until", "recorded", "sources"}``, dates as EDTF text."""
        return {
            "complete_from": None if self.complete_from is None else str(self.complete_from),
            "complete_until": str(self.complete_until),
            "recorded": self.recorded_on.isoformat(),
            "sources": [s.to_dict() for s in self.sources],
        }


def _coverages(value: Iterable[Coverage]) -> tuple[Coverage, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Instrument:
    """A treaty or other instrument that actors sign, ratify, accede to...

    Attributes:
        id: A slug such as ``budapest-convention``.
        title: Its full title.
        short: Its common short name, if it has one.
        body: The actor under whose auspices it was made (``COE``, ``UNGA``).
        opened: When it was opened for signature.
        coverage: Spans over which the store holds its chart completely (rule 10).
    """

    id: str = attrs.field(validator=slug)
    title: str = attrs.field(validator=non_empty_text)
    short: str | None = None
    body: str | None = None
    opened: Date | None = None
    coverage: tuple[Coverage, ...] = attrs.field(default=(), converter=_coverages)

    def coverage_on(self, day: dt.date | None, known_at: dt.date | None = None) -> Coverage | None:
        """The declaration that covers ``day`` as known at ``known_at``, if any."""
        return next((c for c in self.coverage if c.covers(day, known_at)), None)

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
    import pycountry  # its data is read on first use: not at import

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
            UnknownInstrumentError: no instrument has this id (also an UnknownActorError).
        """
        try:
            return self.instruments[instrument]
        except KeyError:
            message = unknown_message("instrument", instrument, self.instruments)
            raise UnknownInstrumentError(message) from None

    def label(self, instrument: str) -> str:
        """A readable name for an instrument id, or the id (a UN symbol) itself."""
        found = self.instruments.get(instrument)
        return found.label if found else instrument

    def short_label(self, instrument: str) -> str:
        """An instrument's short name (``Budapest Convention``) where it has one, else its
        title, or the id (a UN symbol) itself: for rows and lists."""
        found = self.instruments.get(instrument)
        return (found.short or found.title) if found else instrument

    def name(self, actor: str) -> str:
        """The name of an actor id, or the id itself if it is not known."""
        found = self.actors.get(actor)
        return found.name if found else actor


def _candidates(name: str, known: Mapping[str, object]) -> list[str]:
    """Ids a mistyped ``name`` may have meant, best first."""
    import difflib  # only when a name is not found

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
