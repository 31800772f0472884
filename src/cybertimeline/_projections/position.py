"""An actor's position as of a date: the built-in projection and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage, Registry, unknown_message
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import counted
from cybertimeline._projections.entries import (
    AdoptionEntry,
    CooperationEntry,
    LegislationEntry,
    MembershipEntry,
    SessionEntry,
    StanceEntry,
    VoteEntry,
    read_events,
)
from cybertimeline._projections.section_table import BUILTIN
from cybertimeline._projections.sections import (
    SectionSpec,
    empties,
    entries_in,
    register_section,
    section_spec,
    sections,
)
from cybertimeline._projections.sections import sections as registered
from cybertimeline._projections.text import position_html, position_text
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline.errors import UnknownInstrumentError

if TYPE_CHECKING:
    from cybertimeline._model.event import BaseEvent
    from cybertimeline._model.events import Event

__all__ = ["BUILTIN", "EMPTY", "Position", "PositionProjection", "SectionSpec",
           "register_section", "section_spec", "sections", "write"]
# `SectionSpec`, `register_section` and `sections` are public from here: importing this
# module registers the built-in sections first, so a section registered later follows them.

EMPTY: Mapping[str, Any] = FrozenDict()
"""An empty section, shared."""


T = TypeVar("T")


class _Held(Generic[T]):
    """A registered section read as an attribute of a position: ``position.votes``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, position: None, owner: type[Any]) -> _Held[T]: ...
    @overload
    def __get__(self, position: Position, owner: type[Any]) -> T: ...

    def __get__(self, position: Position | None, owner: type[Any]) -> _Held[T] | T:
        if position is None:
            return self
        return position.section(self.name)  # type: ignore[no-any-return]


def _held(name: str, entries: Any) -> Any:
    """A section's entries as a position holds them: frozen, so that it stays a value
    (hashable, never changed), and of its shape (a keyed section's a mapping)."""
    if section_spec(name).keyed:
        if type(entries) is dict:
            return FrozenDict(entries)
        if isinstance(entries, Mapping):
            return entries
        wanted = "a mapping of key to entry"
    else:
        if type(entries) is tuple:
            return entries
        if isinstance(entries, list):
            return tuple(entries)
        wanted = "a tuple of entries"
    raise TypeError(f"Position's section {name} is a {type(entries).__name__}: give {wanted}")


@attrs.frozen(kw_only=True, repr=False, init=False)
class Position:
    """An actor's position: what it had signed, voted, said and joined, as of a date.

    Every entry names the event it rests on; `sources` gives every source
    behind the answer. ``sections`` holds every registered section
    (`cybertimeline.register_section`), by name, and `section` reads any; the
    built-in ones are also attributes (``position.votes``). Entries are keyed: ``treaties``
    and ``votes`` by instrument and resolution, ``stances`` by topic,
    ``memberships`` by group, ``members`` (for a group) by member; listed
    sections (``cooperation``, ``sessions``...) hold one entry per event.
    ``treaties`` holds the instruments the actor acted on; `treaty` answers for
    any instrument, telling "not a signatory" (``none``, where ``coverage``
    holds a complete chart) from "no data" (``unknown``).

    ``str()`` gives the text ``cybertimeline position`` prints; in Jupyter it
    shows as tables with numbered, linked sources.
    """

    actor: str
    as_of: Date | None = None
    known_at: Date | None = None
    possible: bool = False
    sections: Mapping[str, Any] = EMPTY
    """Every registered section's entries, by name: a mapping (keyed) or a tuple (listed)."""
    coverage: Mapping[str, Coverage] = EMPTY
    registry: Registry | None = attrs.field(default=None, eq=False, repr=False)
    """The registry of the timeline that answered: names, and the instruments it knows."""

    treaties = _Held[Mapping[str, TreatyStatus]]("treaties")
    votes = _Held[Mapping[str, VoteEntry]]("votes")
    stances = _Held[Mapping[str, StanceEntry]]("stances")
    memberships = _Held[Mapping[str, MembershipEntry]]("memberships")
    members = _Held[Mapping[str, MembershipEntry]]("members")
    cooperation = _Held[tuple[CooperationEntry, ...]]("cooperation")
    sessions = _Held[tuple[SessionEntry, ...]]("sessions")
    adoptions = _Held[tuple[AdoptionEntry, ...]]("adoptions")
    legislation = _Held[tuple[LegislationEntry, ...]]("legislation")

    def __init__(self, *, actor: str, as_of: Date | None = None, known_at: Date | None = None,
                 possible: bool = False, sections: Mapping[str, Any] = EMPTY,
                 coverage: Mapping[str, Coverage] = EMPTY, registry: Registry | None = None,
                 **by_name: Any) -> None:
        """``sections`` (or a keyword per section: ``votes=...``) gives the entries of
        each section; a section not given is empty.

        Raises:
            TypeError: a section is not registered, or its entries are not a mapping (a
                keyed section) or a tuple or list (a listed one).
        """
        given = {**sections, **by_name} if by_name else sections
        held = empties()
        if len(held) != len(held.keys() | given.keys()):
            unknown = sorted(given.keys() - held.keys())
            raise TypeError(f"Position has no section {', '.join(unknown)}: register it "
                            f"with cybertimeline.register_section")
        held.update((name, _held(name, entries)) for name, entries in given.items())
        self.__attrs_init__(actor=actor, as_of=as_of, known_at=known_at, possible=possible,
                            sections=FrozenDict(held), coverage=coverage, registry=registry)

    def section(self, name: str) -> Any:
        """The entries of the section ``name`` (empty where the position has none).

        Raises:
            KeyError: no section of that name is registered.
        """
        found = self.sections.get(name)
        return section_spec(name).empty if found is None else found

    @classmethod
    def _answered(cls, *, actor: str, as_of: Date | None, known_at: Date | None,
                  possible: bool, sections: dict[str, Any], coverage: Mapping[str, Coverage],
                  registry: Registry | None) -> Position:
        """A position whose ``sections`` are registered ones already of their shape, frozen
        (a prefix's answer): made without the checks of `__init__`, which a warm answer
        would spend most of its time in."""
        held = empties()
        held.update(sections)
        made = object.__new__(cls)
        made.__attrs_init__(actor=actor, as_of=as_of, known_at=known_at, possible=possible,
                            sections=FrozenDict(held), coverage=coverage, registry=registry)
        return made

    def _with(self, name: str, entries: Any) -> Position:
        """The position with the section ``name`` holding ``entries`` (of its shape, frozen:
        the fold's step, which skips the checks of `__init__`)."""
        changed = object.__new__(Position)
        changed.__attrs_init__(actor=self.actor, as_of=self.as_of,
                               known_at=self.known_at, possible=self.possible,
                               sections=FrozenDict({**self.sections, name: entries}),
                               coverage=self.coverage, registry=self.registry)
        return changed

    def __str__(self) -> str:
        return self.text()

    def text(self, full: bool = False) -> str:
        """The position as text (``str()``): a section per kind of entry, each long one cut
        to its first entries (votes: the latest) with their count, unless ``full``."""
        return position_text(self, self.registry or Registry.builtin(), full)

    def html(self, full: bool = False) -> str:
        """The position as HTML, long sections cut as in `text` (with ``full``: folded)."""
        return position_html(self, self.registry or Registry.builtin(), full)

    def _repr_html_(self) -> str:
        """The position as HTML: how Jupyter shows it."""
        return self.html()

    def __repr__(self) -> str:
        held = ", ".join(counted(len(self.section(spec.name)), spec.noun, spec.plural)
                         for spec in registered() if self.section(spec.name)
                         ) or "nothing on record"
        when = "" if self.as_of is None else f" as of {self.as_of}"
        when += "" if self.known_at is None else f", known at {self.known_at}"
        return f"<Position of {self.actor}{when}: {held}>"

    @property
    def not_yet_open(self) -> Mapping[str, Date]:
        """The instruments the registry knows that had not yet opened for signature on
        ``as_of``, with the day each opened (rule 11): no state could have signed them."""
        if self.registry is None or self.as_of is None:
            return EMPTY
        day, treaties = self.as_of.latest, self.treaties
        return FrozenDict({name: opening for name, opening, first in _openings(self.registry)
                           if day < first and name not in treaties})

    def treaty(self, instrument: str) -> TreatyStatus:
        """The actor's standing towards any instrument, acted on or not (rules 10 and 11).

        An acted status (``signatory``, ``ratified``, ``party``, ``withdrawn``);
        else ``not_yet_open`` before the instrument opened for signature; else
        ``none`` where the store declares the instrument's chart complete
        on this date, as known at ``known_at`` (`coverage`); else ``unknown``.

        Raises:
            UnknownInstrumentError: the timeline does not know the instrument.
        """
        found = self.treaties.get(instrument)
        if found is not None:
            return found
        if self.registry is not None and not self.registry.has_instrument(instrument):
            raise UnknownInstrumentError(
                unknown_message("instrument", instrument, self.registry.instruments))
        if instrument in self.not_yet_open:
            known = self.registry.instruments[instrument] if self.registry else None
            return TreatyStatus(actor=self.actor, instrument=instrument,
                                opens=self.not_yet_open[instrument],
                                opens_sources=known.opening_sources if known else ())
        return TreatyStatus(actor=self.actor, instrument=instrument,
                            coverage=self.coverage.get(instrument))

    def events(self) -> tuple[Event, ...]:
        """Every event the position rests on, in canonical order."""
        found: dict[str, BaseEvent] = {}
        entries: list[Any] = []
        for spec in registered():
            for entry in entries_in(spec, self.section(spec.name)):
                if spec.accumulate is not None:  # an entry made of every event of its key
                    found.update((e.id, e) for e in entry.events)
                else:
                    entries.append(entry)
        read_events(entries)
        found.update((entry.event.id, entry.event) for entry in entries)
        return tuple(sorted(found.values(), key=canonical_key))  # type: ignore[arg-type]

    def sources(self) -> tuple[Source, ...]:
        """Every source behind the position, each once, in the order of its events."""
        return tuple(dict.fromkeys(s for e in self.events() for s in e.sources))

    @property
    def is_empty(self) -> bool:
        """True when no event speaks for the actor by this date."""
        return not self.events()

    def to_dict(self) -> dict[str, Any]:
        """The position as JSON: ``actor``, ``as_of``, ``known_at``, ``possible``, each section
        keyed or listed as on the object, ``coverage`` (the complete charts on this date:
        an instrument there but not in ``treaties`` is ``none``, not a signatory) and
        ``not_yet_open`` (the instruments not yet open for signature, with their opening)."""
        found: dict[str, Any] = {
            "actor": self.actor,
            "as_of": None if self.as_of is None else str(self.as_of),
            "known_at": None if self.known_at is None else str(self.known_at),
            "possible": self.possible,
        }
        found.update((spec.name, spec.to_json(self.section(spec.name))) for spec in registered())
        found["coverage"] = {k: v.to_dict() for k, v in sorted(self.coverage.items())}
        found["not_yet_open"] = {k: str(v) for k, v in self.not_yet_open.items()}
        return found


_OPENINGS: dict[int, tuple[Mapping[str, Any], list[tuple[str, Date, Any]]]] = {}
"""`_openings` of the last registries' instruments, by the id of their mapping."""


def _openings(registry: Registry) -> list[tuple[str, Date, Any]]:
    """Each instrument of the registry with an opening (`Instrument.opening`), by id: its id,
    its opening and that opening's first day (`Instrument.not_yet_open` of a day before
    it); made once per registry's instruments (a registry is a value)."""
    instruments = registry.instruments
    held = _OPENINGS.get(id(instruments))
    if held is not None and held[0] is instruments:
        return held[1]
    found = [(i.id, i.opening, i.opening.earliest)
             for i in sorted(instruments.values(), key=lambda i: i.id) if i.opening is not None]
    if len(_OPENINGS) >= 8:  # a few registries at a time
        _OPENINGS.clear()
    _OPENINGS[id(instruments)] = (instruments, found)
    return found


# -- folding: how an event writes a section of a position ---------------------------------

def write(state: Position, spec: SectionSpec, key: str, event: Any, actor: str) -> Position:
    """The position after ``event`` writes the entry ``key`` of ``spec``'s section: a listed
    section gains an entry; in a keyed one the entry of ``key`` is made again (from every
    event of the key where the section accumulates), and None removes it."""
    held = state.section(spec.name)
    if not spec.keyed:
        return state._with(spec.name, (*held, spec.make(event, actor)))
    entries = dict(held)
    if spec.accumulate is not None:
        prior = entries.get(key)
        entry = spec.accumulate((*prior.events, event) if prior is not None else (event,),
                                actor)
    else:
        entry = spec.make(event, actor)
    if spec.checked(entry, event) is None:
        entries.pop(key, None)
    else:
        entries[key] = entry
    return state._with(spec.name, FrozenDict(entries))


@attrs.frozen
class PositionProjection:
    """The projection behind `Timeline.position`: one actor's `Position`.

    Its state is the `Position` itself, rebuilt (never changed in place) by
    every event that concerns the actor: each event writes the entries its
    kind declares (``Event.entries``), and no other.
    """

    actor: str

    def initial(self) -> Position:
        """A position with nothing in it."""
        return Position(actor=self.actor)

    def apply(self, state: Position, event: Event) -> Position:
        """The position after ``event``."""
        for section, key in event.entries(self.actor):
            state = write(state, section_spec(section), key, event, self.actor)
        return state
