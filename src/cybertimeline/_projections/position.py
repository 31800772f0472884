"""An actor's position as of a date: the built-in projection and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.events import (
    CONSENT_KINDS,
    Adoption,
    Cooperation,
    Event,
    Legislation,
    Membership,
    Session,
    Statement,
    Vote,
    _BaseEvent,
    _TreatyAct,
)
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.registry import Coverage, Registry, unknown_message
from cybertimeline._model.sources import Source
from cybertimeline._stores.index import canonical_key
from cybertimeline.errors import UnknownInstrumentError

__all__ = [
    "AdoptionEntry",
    "CooperationEntry",
    "LegislationEntry",
    "MembershipEntry",
    "Position",
    "PositionProjection",
    "SessionEntry",
    "StanceEntry",
    "TreatyStatus",
    "VoteEntry",
    "touched_entries",
]

TreatyStatusName = Literal["signatory", "ratified", "party", "withdrawn", "none", "unknown"]


def _str(date: Date | None) -> str | None:
    return None if date is None else str(date)


def _latest(acts: tuple[_TreatyAct, ...], kinds: frozenset[str]) -> _TreatyAct | None:
    chosen = [a for a in acts if a.kind in kinds]
    return max(chosen, key=canonical_key) if chosen else None


_SIGNATURE = frozenset({"signature"})
_IN_FORCE = frozenset({"entry_into_force"})
_WITHDRAWAL = frozenset({"withdrawal"})


@attrs.frozen(kw_only=True)
class TreatyStatus:
    """An actor's standing towards one instrument, derived from every act folded.

    The status is ``signatory`` (signed only), ``ratified`` (consent to be
    bound given, not yet in force for it), ``party`` (in force for it) or
    ``withdrawn`` (a withdrawal after its latest consent and entry into force).
    Acts are compared by the canonical order of their dates, so an accession
    known only to the year settles after an entry into force in that year and
    the status is still ``party``.

    With no act, the status is ``none`` where the store declares the
    instrument's chart complete on that date (``coverage`` says by which
    declaration and source: not a signatory), and ``unknown`` where it does
    not (no data), rule 10.
    """

    actor: str
    instrument: str
    events: tuple[_TreatyAct, ...] = ()
    coverage: Coverage | None = None

    @property
    def status(self) -> TreatyStatusName:
        """``signatory``, ``ratified``, ``party``, ``withdrawn``; ``none`` or ``unknown``."""
        if not self.events:
            return "none" if self.coverage is not None else "unknown"
        consent = _latest(self.events, CONSENT_KINDS)
        in_force = _latest(self.events, _IN_FORCE)
        withdrawal = _latest(self.events, _WITHDRAWAL)
        withdrawn = None if withdrawal is None else canonical_key(withdrawal)
        later_than_withdrawal = [
            act for act in (consent, in_force)
            if act is not None and (withdrawn is None or canonical_key(act) > withdrawn)
        ]
        if withdrawal is not None and not later_than_withdrawal:
            return "withdrawn"
        if in_force is not None and in_force in later_than_withdrawal:
            return "party"
        if consent is not None:
            return "ratified"
        return "signatory"

    @property
    def signed(self) -> Date | None:
        """The date of signature, if it signed."""
        act = _latest(self.events, _SIGNATURE)
        return act.date if act else None

    @property
    def consented(self) -> Date | None:
        """The date of its latest consent to be bound, if any."""
        act = _latest(self.events, CONSENT_KINDS)
        return act.date if act else None

    @property
    def consent(self) -> str | None:
        """How it consented: ``ratification``, ``accession``, ``acceptance`` or ``approval``."""
        act = _latest(self.events, CONSENT_KINDS)
        return act.kind if act else None

    @property
    def in_force(self) -> Date | None:
        """When the instrument entered into force for it, if it has."""
        act = _latest(self.events, _IN_FORCE)
        return act.date if act else None

    @property
    def withdrawn(self) -> Date | None:
        """When it withdrew, if its status is ``withdrawn``."""
        act = _latest(self.events, _WITHDRAWAL)
        return act.date if act and self.status == "withdrawn" else None

    def sources(self) -> tuple[Source, ...]:
        """What the status rests on: its acts' sources, or the sources of the complete chart."""
        found = [s for e in self.events for s in e.sources]
        if not self.events and self.coverage is not None:
            found = list(self.coverage.sources)
        return tuple(dict.fromkeys(found))

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "signed", "consented", "consent", "in_force", "withdrawn", "events",
        "coverage"}``; ``coverage`` is the complete chart behind a ``none``, else None."""
        return {
            "status": self.status,
            "signed": _str(self.signed),
            "consented": _str(self.consented),
            "consent": self.consent,
            "in_force": _str(self.in_force),
            "withdrawn": _str(self.withdrawn),
            "events": [e.id for e in self.events],
            "coverage": None if self.events or self.coverage is None else self.coverage.to_dict(),
        }


@attrs.frozen(kw_only=True)
class VoteEntry:
    """How the actor voted on one resolution."""

    resolution: str
    option: str
    body: str
    date: Date
    event: Vote

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "body": self.body, "date": str(self.date),
                "event": self.event.id}


@attrs.frozen(kw_only=True)
class StanceEntry:
    """The actor's latest stance on one topic."""

    topic: str
    stance: str
    date: Date
    quote: str | None
    event: Statement

    def to_dict(self) -> dict[str, Any]:
        return {"stance": self.stance, "date": str(self.date), "quote": self.quote,
                "event": self.event.id}


@attrs.frozen(kw_only=True)
class MembershipEntry:
    """A membership in force: the actor in a group, or a member of the actor (a group)."""

    actor: str
    group: str
    role: str | None
    since: Date
    event: Membership

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role or "member", "since": str(self.since), "event": self.event.id}


@attrs.frozen(kw_only=True)
class CooperationEntry:
    """Cooperation of the actor with others."""

    with_: tuple[str, ...]
    form: str
    since: Date
    event: Cooperation

    def to_dict(self) -> dict[str, Any]:
        return {"with": list(self.with_), "form": self.form, "since": str(self.since),
                "event": self.event.id}


@attrs.frozen(kw_only=True)
class SessionEntry:
    """A session of the actor (a body), as known."""

    status: str
    date: Date
    title: str | None
    location: str | None
    event: Session

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "date": str(self.date), "title": self.title,
                "location": self.location, "event": self.event.id}


@attrs.frozen(kw_only=True)
class AdoptionEntry:
    """A resolution or instrument the actor (a body) adopted."""

    resolution: str | None
    instrument: str | None
    date: Date
    event: Adoption

    def to_dict(self) -> dict[str, Any]:
        tally = self.event.tally
        return {"resolution": self.resolution, "instrument": self.instrument,
                "date": str(self.date),
                "tally": None if tally is None else attrs.asdict(tally),
                "event": self.event.id}


@attrs.frozen(kw_only=True)
class LegislationEntry:
    """A law the actor enacted."""

    title: str
    date: Date
    event: Legislation

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "date": str(self.date), "event": self.event.id}


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenDict(mapping)


_EMPTY: Mapping[str, Any] = FrozenDict()


@attrs.frozen(kw_only=True)
class Position:
    """An actor's position: what it had signed, voted, said and joined, as of a date.

    Every entry names the event it rests on; `sources` gives every source
    behind the answer. Entries are keyed: ``treaties`` and ``votes`` by
    instrument and resolution, ``stances`` by topic, ``memberships`` by group,
    ``members`` (for a group) by member. ``treaties`` holds the instruments the
    actor acted on; `treaty` answers for any instrument, telling "not a
    signatory" (``none``, where ``coverage`` holds a complete chart) from
    "no data" (``unknown``).
    """

    actor: str
    as_of: Date | None = None
    known_at: Date | None = None
    possible: bool = False
    treaties: Mapping[str, TreatyStatus] = _EMPTY
    votes: Mapping[str, VoteEntry] = _EMPTY
    stances: Mapping[str, StanceEntry] = _EMPTY
    memberships: Mapping[str, MembershipEntry] = _EMPTY
    members: Mapping[str, MembershipEntry] = _EMPTY
    cooperation: tuple[CooperationEntry, ...] = ()
    sessions: tuple[SessionEntry, ...] = ()
    adoptions: tuple[AdoptionEntry, ...] = ()
    legislation: tuple[LegislationEntry, ...] = ()
    coverage: Mapping[str, Coverage] = _EMPTY
    registry: Registry | None = attrs.field(default=None, eq=False, repr=False)
    """The registry of the timeline that answered: names, and the instruments it knows."""

    def treaty(self, instrument: str) -> TreatyStatus:
        """The actor's standing towards any instrument, acted on or not (rule 10).

        An acted status (``signatory``, ``ratified``, ``party``, ``withdrawn``);
        else ``none`` where the store declares the instrument's chart complete
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
        return TreatyStatus(actor=self.actor, instrument=instrument,
                            coverage=self.coverage.get(instrument))

    def events(self) -> tuple[Event, ...]:
        """Every event the position rests on, in canonical order."""
        found: dict[str, _BaseEvent] = {}
        for status in self.treaties.values():
            found.update((e.id, e) for e in status.events)
        entries: list[Any] = [*self.votes.values(), *self.stances.values(),
                              *self.memberships.values(), *self.members.values(),
                              *self.cooperation, *self.sessions, *self.adoptions,
                              *self.legislation]
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
        keyed or listed as on the object, and ``coverage`` (the complete charts on this date:
        an instrument there but not in ``treaties`` is ``none``, not a signatory)."""
        return {
            "actor": self.actor,
            "as_of": _str(self.as_of),
            "known_at": _str(self.known_at),
            "possible": self.possible,
            "treaties": {k: v.to_dict() for k, v in sorted(self.treaties.items())},
            "votes": {k: v.to_dict() for k, v in sorted(self.votes.items())},
            "stances": {k: v.to_dict() for k, v in sorted(self.stances.items())},
            "memberships": {k: v.to_dict() for k, v in sorted(self.memberships.items())},
            "members": {k: v.to_dict() for k, v in sorted(self.members.items())},
            "cooperation": [c.to_dict() for c in self.cooperation],
            "sessions": [s.to_dict() for s in self.sessions],
            "adoptions": [a.to_dict() for a in self.adoptions],
            "legislation": [item.to_dict() for item in self.legislation],
            "coverage": {k: v.to_dict() for k, v in sorted(self.coverage.items())},
        }


@attrs.frozen
class PositionProjection:
    """The projection behind `Timeline.position`: one actor's `Position`.

    Its state is the `Position` itself, rebuilt (never changed in place)
    by every event that concerns the actor.
    """

    actor: str

    def initial(self) -> Position:
        return Position(actor=self.actor)

    def apply(self, state: Position, event: Event) -> Position:
        actor = self.actor
        match event:
            case _TreatyAct() if event.actor == actor:
                held = state.treaties.get(event.instrument)
                acts = (*held.events, event) if held else (event,)
                status = TreatyStatus(actor=actor, instrument=event.instrument, events=acts)
                return attrs.evolve(state, treaties=_frozen({**state.treaties,
                                                             event.instrument: status}))
            case Vote() if actor in event.votes:
                entry = VoteEntry(resolution=event.resolution, option=event.votes[actor],
                                  body=event.body, date=event.date, event=event)
                return attrs.evolve(state, votes=_frozen({**state.votes,
                                                         event.resolution: entry}))
            case Statement() if event.actor == actor:
                stance = StanceEntry(topic=event.topic, stance=event.stance, date=event.date,
                                     quote=event.quote, event=event)
                return attrs.evolve(state, stances=_frozen({**state.stances,
                                                           event.topic: stance}))
            case Membership():
                return self._membership(state, event)
            case Cooperation() if actor in event.actors:
                others = tuple(a for a in dict.fromkeys(event.actors) if a != actor)
                item = CooperationEntry(with_=others, form=event.form, since=event.date,
                                        event=event)
                return attrs.evolve(state, cooperation=(*state.cooperation, item))
            case Session() if event.body == actor:
                session = SessionEntry(status=event.status, date=event.date, title=event.title,
                                       location=event.location, event=event)
                return attrs.evolve(state, sessions=(*state.sessions, session))
            case Adoption() if event.body == actor:
                adoption = AdoptionEntry(resolution=event.resolution,
                                         instrument=event.instrument, date=event.date,
                                         event=event)
                return attrs.evolve(state, adoptions=(*state.adoptions, adoption))
            case Legislation() if event.actor == actor:
                law = LegislationEntry(title=event.title, date=event.date, event=event)
                return attrs.evolve(state, legislation=(*state.legislation, law))
        return state

    def _membership(self, state: Position, event: Membership) -> Position:
        entry = MembershipEntry(actor=event.actor, group=event.group, role=event.role,
                                since=event.date, event=event)
        if event.actor == self.actor:
            memberships = dict(state.memberships)
            if event.action == "join":
                memberships[event.group] = entry
            else:
                memberships.pop(event.group, None)
            state = attrs.evolve(state, memberships=_frozen(memberships))
        if event.group == self.actor:
            members = dict(state.members)
            if event.action == "join":
                members[event.actor] = entry
            else:
                members.pop(event.actor, None)
            state = attrs.evolve(state, members=_frozen(members))
        return state


def touched_entries(actor: str, event: Event) -> list[tuple[str, str]]:
    """The entries of ``actor``'s position that folding ``event`` may change.

    ``(section, key)`` pairs such as ``("votes", "A/RES/74/247")`` or, for the
    listed sections, ``("sessions", event id)``. `PositionProjection.apply`
    changes no other entry, which is what lets changelogs and
    `PrefixPositions` look only at these.
    """
    match event:
        case _TreatyAct() if event.actor == actor:
            return [("treaties", event.instrument)]
        case Vote() if actor in event.votes:
            return [("votes", event.resolution)]
        case Statement() if event.actor == actor:
            return [("stances", event.topic)]
        case Membership():
            keys = []
            if event.actor == actor:
                keys.append(("memberships", event.group))
            if event.group == actor:
                keys.append(("members", event.actor))
            return keys
        case Cooperation() if actor in event.actors:
            return [("cooperation", event.id)]
        case Session() if event.body == actor:
            return [("sessions", event.id)]
        case Adoption() if event.body == actor:
            return [("adoptions", event.id)]
        case Legislation() if event.actor == actor:
            return [("legislation", event.id)]
    return []
