"""The entries of a position other than treaties: each a view of one event from one actor.

Each entry type builds itself from an event and an actor (``of``) and says
what it is as JSON (``to_dict``, with the id of its event).
"""

from __future__ import annotations

from typing import Any

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.events import (
    Adoption,
    Cooperation,
    Legislation,
    Membership,
    Session,
    Statement,
    Vote,
)

__all__ = [
    "AdoptionEntry",
    "CooperationEntry",
    "Entry",
    "LegislationEntry",
    "MembershipEntry",
    "SessionEntry",
    "SharedVoteEntries",
    "StanceEntry",
    "VoteEntry",
]


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
                "title": self.event.title, "event": self.event.id}

    @classmethod
    def of(cls, event: Vote, actor: str) -> VoteEntry:
        """``actor``'s vote in ``event``."""
        return cls(resolution=event.resolution, option=event.votes[actor], body=event.body,
                   date=event.date, event=event)


class SharedVoteEntries:
    """Vote entries shared between actors: an entry names the event and the option, not
    the voter, so one is made per event and option, for every actor that voted so.

    Entries are immutable, so sharing one is the same as making it again; a
    timeline keeps one of these per version of its events.
    """

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], VoteEntry] = {}

    def of(self, event: Vote, actor: str) -> VoteEntry:
        """``actor``'s vote in ``event``, as `VoteEntry.of` makes it."""
        key = (event.id, event.votes[actor])
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = VoteEntry.of(event, actor)
        return found


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

    @classmethod
    def of(cls, event: Statement, actor: str) -> StanceEntry:
        """The stance ``event`` states."""
        return cls(topic=event.topic, stance=event.stance, date=event.date, quote=event.quote,
                   event=event)


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

    @classmethod
    def of(cls, event: Membership, actor: str) -> MembershipEntry | None:
        """The membership ``event`` begins; None when it ends one (a leave)."""
        if event.action == "leave":
            return None
        return cls(actor=event.actor, group=event.group, role=event.role, since=event.date,
                   event=event)


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

    @classmethod
    def of(cls, event: Cooperation, actor: str) -> CooperationEntry:
        """``actor``'s cooperation with the others ``event`` names."""
        others = tuple(a for a in dict.fromkeys(event.actors) if a != actor)
        return cls(with_=others, form=event.form, since=event.date, event=event)


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

    @classmethod
    def of(cls, event: Session, actor: str) -> SessionEntry:
        """The session ``event`` records."""
        return cls(status=event.status, date=event.date, title=event.title,
                   location=event.location, event=event)


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

    @classmethod
    def of(cls, event: Adoption, actor: str) -> AdoptionEntry:
        """The adoption ``event`` records."""
        return cls(resolution=event.resolution, instrument=event.instrument, date=event.date,
                   event=event)


@attrs.frozen(kw_only=True)
class LegislationEntry:
    """A law the actor enacted."""

    title: str
    date: Date
    event: Legislation

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "date": str(self.date), "event": self.event.id}

    @classmethod
    def of(cls, event: Legislation, actor: str) -> LegislationEntry:
        """The law ``event`` records."""
        return cls(title=event.title, date=event.date, event=event)


Entry = (VoteEntry | StanceEntry | MembershipEntry | CooperationEntry | SessionEntry
         | AdoptionEntry | LegislationEntry)
"""Any entry of a position but a treaty's."""
