"""Who and what events may name: actors (states, blocs, agencies...) and instruments."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import a_day, actor_id, date, non_empty_text, one_of, slug
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.names import NameIndex
from cybertimeline._model.sources import Source, knowledge_day, some_source, sources
from cybertimeline._model.state_names import UN_MEMBER_STATES, UN_OBSERVER_STATES
from cybertimeline._model.suggestions import unknown_message
from cybertimeline.errors import (
    AmbiguousActorError,
    FieldError,
    UnknownActorError,
    UnknownInstrumentError,
)

__all__ = ["Actor", "Coverage", "Instrument", "Registry", "unknown_message"]

ActorType = Literal["state", "territory", "bloc", "agency", "company", "body", "group"]
ACTOR_TYPES: tuple[ActorType, ...] = ("state", "territory", "bloc", "agency", "company", "body",
                                      "group")

# UN symbols such as A/RES/74/247 or A/74/L.84 name instruments as they are.
UN_SYMBOL = re.compile(r"[A-Z]+(?:/[A-Za-z0-9.]+)+")


@attrs.frozen(kw_only=True)
class Actor:
    """Someone whose position can be asked for.

    Attributes:
        id: ``CAN`` (an ISO 3166-1 alpha-3 code) for a state, else an id such as ``SPO``.
        name: The actor's name in English; a state's as the UN writes it ("Republic of Korea").
        type: ``state`` (a UN Member State or observer State, or a former state),
            ``territory`` (any other ISO 3166-1 entry: Antarctica, Greenland...), ``bloc``,
            ``agency``, ``company``, ``body`` or ``group``.
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


@functools.cache
def _states() -> Mapping[str, Actor]:
    """Every ISO 3166-1 entry: the UN's states under their UN names, the rest as territories
    under their ISO common names (`cybertimeline._model.state_names`)."""
    import pycountry  # its data is read on first use: not at import

    states = {}
    for country in pycountry.countries:
        code = country.alpha_3
        un_name = UN_MEMBER_STATES.get(code) or UN_OBSERVER_STATES.get(code)
        if un_name is not None:
            states[code] = Actor(id=code, name=un_name, type="state")
        else:
            name = getattr(country, "common_name", None) or country.name
            states[code] = Actor(id=code, name=name, type="territory")
    return FrozenDict(states)


@attrs.frozen
class Registry:
    """The actors and instruments a timeline knows.

    It starts from every ISO 3166-1 entry (the UN's Member and observer States as
    ``state``, the others as ``territory``) and the field's common actors and
    instruments; a store's ``actors.toml`` and ``instruments.toml`` add to them
    and override them (see `extended`). `resolve` turns the names people write
    into actor ids.
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

    @functools.cached_property
    def _names(self) -> NameIndex:
        return NameIndex.of(self.actors)

    def resolve(self, name: str) -> str:
        """The id of the actor a name means, as researchers write names.

        Accepted, in any case: an actor id (``CAN``, ``can``, ``EU``); an ISO 3166-1
        alpha-2 (``CA``) or numeric (``124``) code; a state's ISO name, official or
        common name (``Korea, Republic of``, ``Czechia``); its name in UN usage
        (``Republic of Korea``, ``Netherlands (Kingdom of the)``, ``Türkiye``,
        ``United Kingdom of Great Britain and Northern Ireland``); the Council of
        Europe's forms (``Czech Republic``, ``Republic of Moldova``); common names
        (``South Korea``, ``Russia``); and the name of any declared actor. Accents,
        punctuation, ``&`` for "and" and ``St.`` for "Saint" do not matter.

        Raises:
            AmbiguousActorError: the name means several actors (``Korea``); the error
                lists them (also an UnknownActorError).
            UnknownActorError: the name means no actor; the message suggests near misses.
        """
        if name.strip() in self.actors:  # an exact id wins (NameIndex.lookup), without the index
            return name.strip()
        found = self._names.lookup(name)
        if len(found) == 1:
            return found[0]
        if found:
            listed = " or ".join(self._described(a) for a in found)
            raise AmbiguousActorError(
                f"{name!r} may mean {listed}: give the id of the one meant", found)
        raise UnknownActorError(unknown_message("actor", name, self.actors))

    def _described(self, actor: str) -> str:
        return f"{actor!r} ({self.name(actor)})"

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
