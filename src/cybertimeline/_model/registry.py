"""Who and what events may name: actors (states, blocs, agencies...) and instruments."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import a_day, actor_id, date, non_empty_text, one_of, slug
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.instrument_names import resolve_instrument
from cybertimeline._model.names import NameIndex, name_keys
from cybertimeline._model.sources import Source, knowledge_day, some_source, sources
from cybertimeline._model.state_names import (
    FORMER_STATE_NAMES,
    UN_MEMBER_STATES,
    UN_OBSERVER_STATES,
)
from cybertimeline._model.suggestions import unknown_message
from cybertimeline.errors import (
    AmbiguousActorError,
    FieldError,
    UnknownActorError,
    UnknownInstrumentError,
)

__all__ = ["STAGES", "Actor", "Coverage", "EntryRule", "Instrument", "Milestone", "Registry",
           "Stage", "unknown_message"]

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


Stage = Literal["adopted", "opened", "in_force", "closed"]
STAGES: tuple[Stage, ...] = ("adopted", "opened", "in_force", "closed")
"""The days of an instrument's life, in the order they come: adopted, opened for signature,
entered into force, closed for signature."""


@attrs.frozen(kw_only=True)
class Milestone:
    """A day in an instrument's life, with the sources that say so.

    Attributes:
        stage: ``adopted`` (its text adopted), ``opened`` (opened for signature),
            ``in_force`` (entered into force, generally) or ``closed`` (closed for signature;
            accession stays open).
        date: When.
        sources: Where it is said (at least one).
    """

    stage: Stage = attrs.field(validator=one_of(STAGES))
    date: Date = attrs.field(converter=date)
    sources: tuple[Source, ...] = attrs.field(converter=sources, validator=some_source)

    def to_dict(self) -> dict[str, Any]:
        """``{"stage", "date", "sources"}``, the date as EDTF text."""
        return {"stage": self.stage, "date": str(self.date),
                "sources": [s.to_dict() for s in self.sources]}


_ORDER: tuple[tuple[Stage, Stage], ...] = (
    ("adopted", "opened"), ("adopted", "in_force"), ("adopted", "closed"),
    ("opened", "in_force"), ("opened", "closed"))
"""Which stage comes no later than which: closing for signature may come before or after
the entry into force."""


def _milestones(value: Iterable[Milestone]) -> tuple[Milestone, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class EntryRule:
    """When an instrument enters into force for a state that consents once it is in force.

    The Council of Europe's treaties say "the first day of the month following the
    expiration of a period of three months after the date of deposit" (``months=3,
    first_of_month=True``); UNTOC and UNCAC "the thirtieth day after the date of deposit"
    (``days=30``). A state that consented earlier is bound from the instrument's own entry
    into force.

    Attributes:
        months: Whole months after the deposit.
        days: Days after the deposit (after the months, if both).
        first_of_month: Whether it is then the first day of the following month.
    """

    months: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    days: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    first_of_month: bool = False

    def after(self, deposit: dt.date) -> dt.date:
        """The day the instrument enters into force for a state that deposited on ``deposit``."""
        month = deposit.month - 1 + self.months
        year = deposit.year + month // 12
        month = month % 12 + 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        day = dt.date(year, month, min(deposit.day, last)) + dt.timedelta(days=self.days)
        if self.first_of_month:
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day


@attrs.frozen(kw_only=True)
class Instrument:
    """A treaty or other instrument that actors sign, ratify, accede to...

    Attributes:
        id: A slug such as ``budapest-convention``.
        title: Its full title.
        short: Its common short name, if it has one.
        body: The actor under whose auspices it was made (``COE``, ``UNGA``).
        opened: When it was opened for signature (without a source; `life` may say it with
            one).
        coverage: Spans over which the store holds its chart completely (rule 10).
        life: Its milestones, each sourced: adopted, opened for signature, entered into
            force, closed for signature (rule 11).
        parent: The instrument it is a protocol to: consent to it needs consent to the
            parent first, or with it (rule 12).
        entry: When it enters into force for a state after its deposit (rule 12).
    """

    id: str = attrs.field(validator=slug)
    title: str = attrs.field(validator=non_empty_text)
    short: str | None = None
    body: str | None = None
    opened: Date | None = None
    coverage: tuple[Coverage, ...] = attrs.field(default=(), converter=_coverages)
    life: tuple[Milestone, ...] = attrs.field(default=(), converter=_milestones)
    parent: str | None = None
    entry: EntryRule | None = None

    def __attrs_post_init__(self) -> None:
        stages = [m.stage for m in self.life]
        twice = sorted({s for s in stages if stages.count(s) > 1})
        if twice:
            raise FieldError("life", f"the stage {twice[0]!r} is given twice: keep one")
        found = {m.stage: m.date for m in self.life}
        if self.opened is not None and "opened" in found and found["opened"] != self.opened:
            raise FieldError("opened", (
                f"'opened' {self.opened} and the life's 'opened' {found['opened']} differ: "
                f"keep one"))
        for first, then in _ORDER:
            if first in found and then in found and found[then].latest < found[first].earliest:
                raise FieldError("life", (
                    f"{then!r} ({found[then]}) is before {first!r} ({found[first]}): an "
                    f"instrument is adopted, then opened, then in force or closed (in either "
                    f"order)"))

    def milestone(self, stage: Stage) -> Milestone | None:
        """The sourced milestone of this stage, if the registry has it."""
        return next((m for m in self.life if m.stage == stage), None)

    @property
    def opening_sources(self) -> tuple[Source, ...]:
        """The sources of its opening for signature, where its life gives them."""
        found = self.milestone("opened")
        return () if found is None else found.sources

    @property
    def opening(self) -> Date | None:
        """When it was opened for signature: ``opened``, or the life's ``opened``."""
        found = self.milestone("opened")
        return self.opened if found is None else found.date

    def not_yet_open(self, day: dt.date | None) -> bool:
        """Whether ``day`` is before the instrument opened for signature (before the first day
        of its opening, rule 11); never for ``day`` None (now)."""
        opening = self.opening
        return day is not None and opening is not None and day < opening.earliest

    def coverage_on(self, day: dt.date | None, known_at: dt.date | None = None) -> Coverage | None:
        """The declaration that covers ``day`` as known at ``known_at``, if any; none before
        the instrument had certainly opened (a chart speaks only from the opening on, rule 11:
        within an opening known only to the month, "no data")."""
        opening = self.opening
        if day is not None and opening is not None and day < opening.latest:
            return None
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

def _said(stage: Stage, day: str, title: str, publisher: str, url: str, quote: str
          ) -> Milestone:
    return Milestone(stage=stage, date=Date.parse(day), sources=[Source(
        title=title, publisher=publisher, url=url, quote=quote)])


_COE_185 = ("Chart of signatures and ratifications of Treaty 185",
            "Council of Europe Treaty Office",
            "http://www.coe.int/en/web/conventions/full-list/-/conventions/treaty/185/"
            "signatures?p_auth=igXbHmd5")
_MOFA = ("Council of Europe Convention on Cybercrime (Budapest Convention)",
         "Ministry of Foreign Affairs of Japan",
         "https://www.mofa.go.jp/fp/is_sc/pagewe_000001_00080.html")
_UNTC_CYBER = ("Status of treaties, Chapter XVIII.16: United Nations Convention against "
               "Cybercrime", "United Nations Treaty Collection",
               "https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/"
               "XVIII-16.en.xml")
_EC_UNTOC = ("The United Nations Convention against Transnational Organized Crime",
             "European Commission, EU Anti-Trafficking website",
             "http://ec.europa.eu/anti-trafficking/entity.action?path=Legislation+and+Case+Law"
             "%2FInternational+Legislation%2FUnited+Nations%2FThe+UN+Convention+against+"
             "Transnational+Organized+Crime")
_TVE_UNCAC = ("Convención de las Naciones Unidas contra la Corrupción", "Transparencia Venezuela",
              "https://transparenciave.org/convencion-de-las-naciones-unidas-contra-la-corrupcion/")
_WIKI_189 = ("Additional Protocol to the Convention on Cybercrime", "Wikipedia",
             "https://en.wikipedia.org/wiki/Additional_Protocol_to_the_Convention_on_Cybercrime")
_COE_RULE = EntryRule(months=3, first_of_month=True)
_UN_RULE = EntryRule(days=30)

_BUILTIN_INSTRUMENTS = (
    Instrument(
        id="budapest-convention",
        title="Convention on Cybercrime",
        short="Budapest Convention",
        body="COE",
        opened=Date.parse("2001-11-23"),
        entry=_COE_RULE,  # articles 36(4) and 37(2)
        life=[
            _said("adopted", "2001-11-08", *_MOFA,
                  "The Convention on Cybercrime was adopted by the Committee of Ministers of "
                  "the Council of Europe on November 8, 2001"),
            _said("opened", "2001-11-23", *_COE_185,
                  "Budapest, 23/11/2001 - Treaty open for signature by the member States and "
                  "the non-member States which have participated in its elaboration"),
            _said("in_force", "2004-07-01", *_COE_185,
                  "Entry into Force | 01/07/2004 - 5 Ratifications including at least 3 member "
                  "States of the Council of Europe"),
        ],
    ),
    Instrument(
        id="budapest-protocol-1",
        title="Additional Protocol to the Convention on Cybercrime, concerning the "
        "criminalisation of acts of a racist and xenophobic nature committed through "
        "computer systems",
        short="First Additional Protocol",
        body="COE",
        parent="budapest-convention",  # article 9
        entry=_COE_RULE,  # article 10
        life=[
            _said("adopted", "2002-11-07", *_WIKI_189,
                  "Final text of this protocol was adopted by the Council of Europe Committee "
                  "of Ministers on 7 November 2002"),
            _said("opened", "2003-01-28", "The First Additional Protocol to the Convention on "
                  "Cybercrime: good practice study", "Council of Europe (copy on PhilArchive)",
                  "https://philrxiv.org/rec/BROITP-6",
                  "(ETS 189) was opened for signature in Strasbourg, France, on 28 January "
                  "2003"),
            _said("in_force", "2006-03-01", "Ratification status for the CoE Additional "
                  "Protocol", "cyberlaw.org.uk (Yaman Akdeniz)",
                  "https://cyberlaw.org.uk/2008/04/26/ratification-status-for-the-coe-"
                  "additional-protocol",
                  "Following the initial five ratifications the Additional Protocol came into "
                  "force on March 1, 2006."),
        ],
    ),
    Instrument(
        id="budapest-protocol-2",
        title="Second Additional Protocol to the Convention on Cybercrime on enhanced "
        "co-operation and disclosure of electronic evidence",
        short="Second Additional Protocol",
        body="COE",
        opened=Date.parse("2022-05-12"),
        parent="budapest-convention",  # article 15
        entry=_COE_RULE,  # article 16(2)
        life=[
            _said("adopted", "2021-11-17", *_MOFA,
                  "was adopted by the Committee of Ministers of the Council of Europe on "
                  "November 17, 2021."),
            _said("opened", "2022-05-12", "Budapest Convention reaches 75 Parties",
                  "Council of Europe (via Mirage News)",
                  "https://miragenews.com/budapest-convention-reaches-75-parties-1260176",
                  "The Second Additional Protocol on enhanced co-operation and disclosure of "
                  "electronic evidence was opened for signature on 12 May 2022 within the "
                  "framework of an international conference in Strasbourg"),
        ],
    ),
    Instrument(
        id="untoc",
        title="United Nations Convention against Transnational Organized Crime",
        short="UNTOC",
        body="UNGA",
        entry=_UN_RULE,  # article 38(2)
        life=[
            _said("adopted", "2000-11-15", *_EC_UNTOC,
                  "Adopted by General Assembly resolution 55/25 of 15 November 2000"),
            _said("opened", "2000-12-12", *_EC_UNTOC,
                  "It opened for signature by Member States in Palermo, Italy, on 12-15 "
                  "December 2000"),
            _said("in_force", "2003-09-29", *_EC_UNTOC, "and entered into force on 29 "
                  "September 2003"),
            _said("closed", "2002-12-12", "United Nations Convention against Transnational "
                  "Organized Crime and its Protocols: signatories", "UNODC",
                  "http://unodc.org/unodc/en/treaties/CTOC/signatures.html",
                  "and thereafter at United Nations Headquarters in New York until 12 December "
                  "2002"),
        ],
    ),
    Instrument(
        id="uncac",
        title="United Nations Convention against Corruption",
        short="UNCAC",
        body="UNGA",
        entry=_UN_RULE,  # article 68(2)
        life=[
            _said("adopted", "2003-10-31", *_TVE_UNCAC,
                  "fue adoptada por la Asamblea General por medio de la resolución 58/4 del 31 "
                  "de octubre de 2003"),
            _said("opened", "2003-12-09", "UN member countries sign anti-corruption treaty in "
                  "Merida, Mexico", "UN News", "https://news.un.org/en/story/2003/12/88082-un-"
                  "member-countries-sign-anti-corruption-treaty-merida-mexico",
                  "Representatives of more than 120 governments met in Merida, Mexico, today "
                  "for the start of a three-day conference at which they will sign"),
            _said("in_force", "2005-12-14", *_TVE_UNCAC,
                  "la Convención de Naciones Unidas contra la Corrupción entró en vigencia el "
                  "14 de diciembre de 2005"),
        ],
    ),
    Instrument(
        id="un-cybercrime-convention",
        title="United Nations Convention against Cybercrime",
        short="UN Cybercrime Convention",
        body="UNGA",
        opened=Date.parse("2025-10-25"),
        life=[
            _said("adopted", "2024-12-24", *_UNTC_CYBER,
                  "The Convention was adopted on 24 December 2024 by Resolution 79/243"),
            _said("opened", "2025-10-25", *_UNTC_CYBER,
                  "the Convention shall be open for signature to all States and regional "
                  "economic integration organizations in Hanoi, from 25 to 26 October 2025"),
        ],
    ),
)


def _inherit(entry: Instrument, before: Instrument | None) -> Instrument:
    """A store's entry that gives no life, parent or entry rule keeps those of the entry it
    replaces (a store declaring a chart's coverage keeps the built-in life, rule 11)."""
    if before is None:
        return entry
    life = entry.life or before.life
    if entry.opened is not None and before.opening not in (None, entry.opened):
        life = entry.life  # the store says otherwise: its own opening, without the built-in life
    return attrs.evolve(entry, life=life,
                        parent=entry.parent or before.parent, entry=entry.entry or before.entry)


def _former_state(name: str) -> str | None:
    """The id importers give the former state ``name`` means (``USSR``: ``SUN``), if any."""
    keys = set(name_keys(name))
    return next((code for code, names in FORMER_STATE_NAMES.items()
                 if any(keys & set(name_keys(n)) for n in names)), None)


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


@functools.cache
def _un_state(code: str) -> Actor | None:
    """The UN Member or observer State of this ISO code, as `_states` has it (no pycountry)."""
    un_name = UN_MEMBER_STATES.get(code) or UN_OBSERVER_STATES.get(code)
    return None if un_name is None else Actor(id=code, name=un_name, type="state")


class _Actors(Mapping[str, Actor]):
    """A registry's actors: its own (built in and declared) over every ISO 3166-1 entry.

    The ISO entries other than the UN's States are read (pycountry, which takes longer
    to load than a query on one state takes) when first needed: looking up a State by its
    id does without them; listing, counting or resolving names reads them.
    """

    __slots__ = ("_merged", "own")

    def __init__(self, own: Mapping[str, Actor]) -> None:
        self.own = own
        self._merged: FrozenDict[str, Actor] | None = None

    def _all(self) -> FrozenDict[str, Actor]:
        if self._merged is None:
            self._merged = FrozenDict({**_states(), **self.own})
        return self._merged

    def __getitem__(self, key: str) -> Actor:
        found = self.own.get(key)
        if found is None and self._merged is None and isinstance(key, str):
            found = _un_state(key)
        return self._all()[key] if found is None else found

    def __contains__(self, key: object) -> bool:
        if key in self.own or (self._merged is None and isinstance(key, str)
                               and _un_state(key) is not None):
            return True
        return key in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __eq__(self, other: object) -> bool:
        return self._all() == other if isinstance(other, Mapping) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Actors, (FrozenDict(self.own),))


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
        actors = _Actors(FrozenDict((a.id, a) for a in _BUILTIN_ACTORS))
        instruments = {i.id: i for i in _BUILTIN_INSTRUMENTS}
        return cls(actors, FrozenDict(instruments))

    def extended(
        self, actors: Iterable[Actor] = (), instruments: Iterable[Instrument] = ()
    ) -> Registry:
        """A registry with these actors and instruments added, replacing any of the same id."""
        layered = isinstance(self.actors, _Actors)  # the ISO entries stay unread
        merged_actors = dict(self.actors.own if isinstance(self.actors, _Actors)
                             else self.actors)
        merged_actors.update((a.id, a) for a in actors)
        merged_instruments = dict(self.instruments)
        merged_instruments.update((i.id, _inherit(i, merged_instruments.get(i.id)))
                                  for i in instruments)
        return Registry(
            _Actors(FrozenDict(merged_actors)) if layered else FrozenDict(merged_actors),
            FrozenDict(merged_instruments),
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
        former = _former_state(name)
        if former is not None:
            raise UnknownActorError(
                f"{name!r} is a former state ({former}), which this store does not declare: "
                f"declare it in actors.toml (type \"state\"), as import-votes does")
        raise UnknownActorError(unknown_message("actor", name, self.actors))

    def resolve_instrument(self, name: str) -> str:
        """The id of the instrument a name means: its id, title or short name, or a common
        name (``Budapest Convention``, ``ETS 185``, ``UNTOC``, ``Palermo Convention``), in any
        case; a UN document symbol (``A/RES/74/247``) as it is.

        Raises:
            UnknownInstrumentError: no instrument, or several, go by this name.
        """
        if name.strip() not in self.instruments and UN_SYMBOL.fullmatch(name.strip()):
            return name.strip()
        return resolve_instrument(self.instruments, name)

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
