"""An actor's position as of a date: the built-in projection and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.event import BaseEvent, Section
from cybertimeline._model.events import Event, TreatyAct
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
from cybertimeline._projections.text import by_date, position_html, position_text
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline.errors import UnknownInstrumentError

__all__ = ["EMPTY", "SECTIONS", "Position", "PositionProjection"]

EMPTY: Mapping[str, Any] = FrozenDict()
"""An empty section, shared."""


@attrs.frozen(kw_only=True, repr=False)
class Position:
    """An actor's position: what it had signed, voted, said and joined, as of a date.

    Every entry names the event it rests on; `sources` gives every source
    behind the answer. Entries are keyed: ``treaties`` and ``votes`` by
    instrument and resolution, ``stances`` by topic, ``memberships`` by group,
    ``members`` (for a group) by member. ``treaties`` holds the instruments the
    actor acted on; `treaty` answers for any instrument, telling "not a
    signatory" (``none``, where ``coverage`` holds a complete chart) from
    "no data" (``unknown``).

    ``str()`` gives the text ``cybertimeline position`` prints; in Jupyter it
    shows as tables with numbered, linked sources.
    """

    actor: str
    as_of: Date | None = None
    known_at: Date | None = None
    possible: bool = False
    treaties: Mapping[str, TreatyStatus] = EMPTY
    votes: Mapping[str, VoteEntry] = EMPTY
    stances: Mapping[str, StanceEntry] = EMPTY
    memberships: Mapping[str, MembershipEntry] = EMPTY
    members: Mapping[str, MembershipEntry] = EMPTY
    cooperation: tuple[CooperationEntry, ...] = ()
    sessions: tuple[SessionEntry, ...] = ()
    adoptions: tuple[AdoptionEntry, ...] = ()
    legislation: tuple[LegislationEntry, ...] = ()
    coverage: Mapping[str, Coverage] = EMPTY
    registry: Registry | None = attrs.field(default=None, eq=False, repr=False)
    """The registry of the timeline that answered: names, and the instruments it knows."""

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
        sections: tuple[tuple[Any, str, str], ...] = (
            (self.treaties, "treaty", "treaties"), (self.votes, "vote", "votes"),
            (self.stances, "stance", "stances"), (self.memberships, "membership", "memberships"),
            (self.members, "member", "members"), (self.cooperation, "cooperation", "cooperations"),
            (self.sessions, "session", "sessions"), (self.adoptions, "adoption", "adoptions"),
            (self.legislation, "law", "laws"))
        held = ", ".join(counted(len(entries), noun, plural)
                         for entries, noun, plural in sections if entries) or "nothing on record"
        when = "" if self.as_of is None else f" as of {self.as_of}"
        when += "" if self.known_at is None else f", known at {self.known_at}"
        return f"<Position of {self.actor}{when}: {held}>"

    @property
    def not_yet_open(self) -> Mapping[str, Date]:
        """The instruments the registry knows that had not yet opened for signature on
        ``as_of``, with the day each opened (rule 11): no state could have signed them."""
        if self.registry is None or self.as_of is None:
            return EMPTY
        day = self.as_of.latest
        return FrozenDict({i.id: i.opening for i in sorted(self.registry.instruments.values(),
                                                           key=lambda i: i.id)
                           if i.opening is not None and i.not_yet_open(day)
                           and i.id not in self.treaties})

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
        for status in self.treaties.values():
            found.update((e.id, e) for e in status.events)
        entries: list[Any] = [*self.votes.values(), *self.stances.values(),
                              *self.memberships.values(), *self.members.values(),
                              *self.cooperation, *self.sessions, *self.adoptions,
                              *self.legislation]
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
        return {
            "actor": self.actor,
            "as_of": None if self.as_of is None else str(self.as_of),
            "known_at": None if self.known_at is None else str(self.known_at),
            "possible": self.possible,
            "treaties": {k: v.to_dict() for k, v in sorted(self.treaties.items())},
            "votes": {k: v.to_dict() for k, v in by_date(self.votes)},
            "stances": {k: v.to_dict() for k, v in sorted(self.stances.items())},
            "memberships": {k: v.to_dict() for k, v in sorted(self.memberships.items())},
            "members": {k: v.to_dict() for k, v in sorted(self.members.items())},
            "cooperation": [c.to_dict() for c in self.cooperation],
            "sessions": [s.to_dict() for s in self.sessions],
            "adoptions": [a.to_dict() for a in self.adoptions],
            "legislation": [item.to_dict() for item in self.legislation],
            "coverage": {k: v.to_dict() for k, v in sorted(self.coverage.items())},
            "not_yet_open": {k: str(v) for k, v in self.not_yet_open.items()},
        }

# -- folding: how an event writes each section of a position -------------------------------

_Writer = Callable[[Position, str, Any, str], Position]


def _treaties(state: Position, key: str, event: TreatyAct, actor: str) -> Position:
    held = state.treaties.get(key)
    acts = (*held.events, event) if held is not None else (event,)
    status = TreatyStatus(actor=actor, instrument=key, events=acts)
    return attrs.evolve(state, treaties=FrozenDict({**state.treaties, key: status}))


def _keyed(section: str, make: Callable[[Any, str], Any]) -> _Writer:
    """A section of entries keyed by instrument, resolution, topic, group...: the latest
    entry of each key wins; an entry of None (a membership left) removes the key."""

    def write(state: Position, key: str, event: Any, actor: str) -> Position:
        entries = dict(getattr(state, section))
        entry = make(event, actor)
        if entry is None:
            entries.pop(key, None)
        else:
            entries[key] = entry
        changes: dict[str, Any] = {section: FrozenDict(entries)}
        return attrs.evolve(state, **changes)

    return write


def _listed(section: str, make: Callable[[Any, str], Any]) -> _Writer:
    """A section listing an entry per event (sessions, adoptions...), in the order folded."""

    def write(state: Position, key: str, event: Any, actor: str) -> Position:
        changes: dict[str, Any] = {section: (*getattr(state, section), make(event, actor))}
        return attrs.evolve(state, **changes)

    return write


SECTIONS: Mapping[Section, _Writer] = FrozenDict({
    "treaties": _treaties,
    "votes": _keyed("votes", VoteEntry.of),
    "stances": _keyed("stances", StanceEntry.of),
    "memberships": _keyed("memberships", MembershipEntry.of),
    "members": _keyed("members", MembershipEntry.of),
    "cooperation": _listed("cooperation", CooperationEntry.of),
    "sessions": _listed("sessions", SessionEntry.of),
    "adoptions": _listed("adoptions", AdoptionEntry.of),
    "legislation": _listed("legislation", LegislationEntry.of),
})
"""How folding an event writes each section; the kinds declare which sections they write."""


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
            state = SECTIONS[section](state, key, event, self.actor)
        return state
