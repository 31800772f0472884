"""Events: immutable, dated, sourced facts, one class per kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import actor_id, non_empty_text, one_of, slug
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.sources import Source
from cybertimeline.errors import FieldError

__all__ = [
    "CONSENT_KINDS",
    "KINDS",
    "TREATY_ACT_KINDS",
    "Acceptance",
    "Accession",
    "Adoption",
    "Approval",
    "Cooperation",
    "EntryIntoForce",
    "Event",
    "Legislation",
    "Membership",
    "Ratification",
    "Retraction",
    "Session",
    "Signature",
    "Statement",
    "Tally",
    "Vote",
    "Withdrawal",
]

VoteOption = Literal["yes", "no", "abstain", "absent"]
Stance = Literal["supports", "opposes", "neutral", "mixed"]
SessionStatus = Literal["scheduled", "held", "postponed", "cancelled"]
MembershipAction = Literal["join", "leave"]

VOTE_OPTIONS: tuple[VoteOption, ...] = ("yes", "no", "abstain", "absent")
STANCES: tuple[Stance, ...] = ("supports", "opposes", "neutral", "mixed")
SESSION_STATUSES: tuple[SessionStatus, ...] = ("scheduled", "held", "postponed", "cancelled")
MEMBERSHIP_ACTIONS: tuple[MembershipAction, ...] = ("join", "leave")


def _date(value: Date | dt.date | str) -> Date:
    return Date.coerce(value)


def _source(value: Source | Mapping[str, Any]) -> Source:
    if isinstance(value, Source):
        return value
    if isinstance(value, Mapping):
        return Source(**value)
    raise TypeError(f"a source must be a ct.Source or a table with a title, "
                    f"not {type(value).__name__}")


def _sources(value: Iterable[Source | Mapping[str, Any]]) -> tuple[Source, ...]:
    if isinstance(value, str | Mapping):
        raise TypeError("'sources' must be a list of sources")
    return tuple(_source(item) for item in value)


def _tally(value: Tally | Mapping[str, int] | None) -> Tally | None:
    if value is None or isinstance(value, Tally):
        return value
    return Tally(**value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("expected a list of text, not a single text")
    return tuple(value)


def _votes(value: Mapping[str, VoteOption]) -> Mapping[str, VoteOption]:
    # A read-only view keeps the event immutable, as its other fields are.
    return FrozenDict(value)


def _at_least_one_source(_instance: Any, _attribute: Any, value: tuple[Source, ...]) -> None:
    if not value:
        raise FieldError(
            "sources", "an event needs at least one source: add an [[event.sources]] table"
        )


def _a_day(_instance: Any, attribute: attrs.Attribute[Any], value: Date | None) -> None:
    if value is not None and not value.is_day:
        raise FieldError(
            attribute.name, f"'{attribute.name}' must be one exact day (YYYY-MM-DD), not {value}"
        )


def _optional_slug(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        slug(instance, attribute, value)


RecordedBasis = Literal["recorded", "published", "date"]


@attrs.frozen(kw_only=True)
class _BaseEvent:
    """The fields every event has; see the module docs of `cybertimeline`."""

    kind: ClassVar[str]
    announced_ahead: ClassVar[bool] = False
    """Whether the record may know of it before it happens (rule 9): an entry into
    force, a session, a membership or a withdrawal is announced; a signature is not."""

    id: str = attrs.field(validator=slug)
    date: Date = attrs.field(converter=_date)
    sources: tuple[Source, ...] = attrs.field(converter=_sources, validator=_at_least_one_source)
    recorded: Date | None = attrs.field(default=None, converter=optional_date, validator=_a_day)
    summary: str | None = None
    supersedes: str | None = attrs.field(default=None, validator=_optional_slug)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def __attrs_post_init__(self) -> None:
        if self.announced_ahead or self.recorded_on >= self.date.earliest:
            return
        if self.recorded is not None:
            raise FieldError("recorded", (
                f"'recorded' {self.recorded} is before the event's date {self.date}: a "
                f"{self.kind} cannot be known before it happened (only an entry into force, "
                f"a session, a membership or a withdrawal is recorded ahead): give the day "
                f"it entered the record"))
        raise FieldError("sources", (
            f"its knowledge date {self.recorded_on} (the earliest 'published' of its "
            f"sources) is before the event's date {self.date}: a {self.kind} cannot be "
            f"known before it happened: correct the source's 'published', or give "
            f"'recorded'"))

    @property
    def recorded_on(self) -> dt.date:
        """The day the event entered the record (rule 7).

        ``recorded`` where it is given; else the earliest ``published`` date of its
        sources (each at its last day); else the last day of ``date``.
        """
        if self.recorded is not None:
            return self.recorded.earliest
        published = [s.published.latest for s in self.sources if s.published is not None]
        return min(published) if published else self.date.latest

    @property
    def recorded_basis(self) -> RecordedBasis:
        """Where `recorded_on` comes from: ``recorded``, ``published`` or ``date``."""
        if self.recorded is not None:
            return "recorded"
        if any(s.published is not None for s in self.sources):
            return "published"
        return "date"

    @property
    def involved(self) -> tuple[str, ...]:
        """Every actor the event is about, in the order its fields name them."""
        return ()

    @property
    def corrects(self) -> str | None:
        """The id of the event this one replaces or retracts, if any."""
        return self.supersedes


@attrs.frozen(kw_only=True)
class _TreatyAct(_BaseEvent):
    actor: str = attrs.field(validator=actor_id)
    instrument: str = attrs.field(validator=non_empty_text)

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.actor,)


@attrs.frozen(kw_only=True)
class Signature(_TreatyAct):
    """An actor signs an instrument."""

    kind: ClassVar[str] = "signature"


@attrs.frozen(kw_only=True)
class Ratification(_TreatyAct):
    """An actor ratifies an instrument it signed: consent to be bound."""

    kind: ClassVar[str] = "ratification"


@attrs.frozen(kw_only=True)
class Accession(_TreatyAct):
    """An actor accedes to an instrument without having signed it: consent to be bound."""

    kind: ClassVar[str] = "accession"


@attrs.frozen(kw_only=True)
class Acceptance(_TreatyAct):
    """An actor accepts an instrument: consent to be bound."""

    kind: ClassVar[str] = "acceptance"


@attrs.frozen(kw_only=True)
class Approval(_TreatyAct):
    """An actor approves an instrument: consent to be bound."""

    kind: ClassVar[str] = "approval"


@attrs.frozen(kw_only=True)
class EntryIntoForce(_TreatyAct):
    """An instrument enters into force for an actor."""

    kind: ClassVar[str] = "entry_into_force"
    announced_ahead: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class Withdrawal(_TreatyAct):
    """An actor withdraws from (denounces) an instrument."""

    kind: ClassVar[str] = "withdrawal"
    announced_ahead: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class Tally:
    """The totals of a recorded vote."""

    yes: int = attrs.field(validator=attrs.validators.ge(0))
    no: int = attrs.field(validator=attrs.validators.ge(0))
    abstain: int = attrs.field(validator=attrs.validators.ge(0))


def _tally_agrees(instance: Any, _attribute: Any, value: Tally | None) -> None:
    if value is None:
        return
    counts = Counter(instance.votes.values())
    for option in ("yes", "no", "abstain"):
        if counts[option] > getattr(value, option):
            raise FieldError(
                "tally",
                f"the tally says {getattr(value, option)} '{option}' but {counts[option]} "
                f"actors are recorded voting '{option}': correct the tally or the votes",
            )


_VOTE_OPTION_SET = frozenset(VOTE_OPTIONS)


def _each_vote(_instance: Any, _attribute: Any, value: Mapping[str, str]) -> None:
    if _VOTE_OPTION_SET.issuperset(value.values()):
        return
    for actor, option in value.items():
        if option not in _VOTE_OPTION_SET:
            options = ", ".join(repr(o) for o in VOTE_OPTIONS)
            raise FieldError(
                "votes", f"vote {option!r} for {actor} is not allowed: use one of {options}"
            )


@attrs.frozen(kw_only=True)
class Vote(_BaseEvent):
    """A recorded vote of a body on a resolution: each actor's option."""

    kind: ClassVar[str] = "vote"

    body: str = attrs.field(validator=actor_id)
    resolution: str = attrs.field(validator=non_empty_text)
    votes: Mapping[str, VoteOption] = attrs.field(
        converter=_votes, validator=_each_vote, hash=False
    )
    tally: Tally | None = attrs.field(default=None, converter=_tally, validator=_tally_agrees)
    topic: str | None = attrs.field(default=None, validator=_optional_slug)

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.body, *self.votes)


def _resolution_or_instrument(instance: Any, _attribute: Any, _value: Any) -> None:
    if instance.resolution is None and instance.instrument is None:
        raise FieldError("resolution", "an adoption needs 'resolution' or 'instrument' (or both)")


@attrs.frozen(kw_only=True)
class Adoption(_BaseEvent):
    """A body adopts a resolution or an instrument."""

    kind: ClassVar[str] = "adoption"

    body: str = attrs.field(validator=actor_id)
    resolution: str | None = None
    instrument: str | None = attrs.field(default=None, validator=_resolution_or_instrument)
    tally: Tally | None = attrs.field(default=None, converter=_tally)

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.body,)


@attrs.frozen(kw_only=True)
class Statement(_BaseEvent):
    """An actor states a stance on a topic."""

    kind: ClassVar[str] = "statement"

    actor: str = attrs.field(validator=actor_id)
    topic: str = attrs.field(validator=slug)
    stance: Stance = attrs.field(validator=one_of(STANCES))
    quote: str | None = None
    venue: str | None = None

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.actor,)


@attrs.frozen(kw_only=True)
class Session(_BaseEvent):
    """A session of a body: scheduled, held, postponed or cancelled."""

    kind: ClassVar[str] = "session"
    announced_ahead: ClassVar[bool] = True

    body: str = attrs.field(validator=actor_id)
    status: SessionStatus = attrs.field(validator=one_of(SESSION_STATUSES))
    title: str | None = None
    location: str | None = None

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.body,)


@attrs.frozen(kw_only=True)
class Membership(_BaseEvent):
    """An actor joins or leaves a group (a bloc, a body, a committee)."""

    kind: ClassVar[str] = "membership"
    announced_ahead: ClassVar[bool] = True

    actor: str = attrs.field(validator=actor_id)
    group: str = attrs.field(validator=actor_id)
    action: MembershipAction = attrs.field(validator=one_of(MEMBERSHIP_ACTIONS))
    role: str | None = None

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.actor, self.group)


def _two_or_more(_instance: Any, _attribute: Any, value: tuple[str, ...]) -> None:
    if len(set(value)) < 2:
        raise FieldError("actors", "'actors' must name at least two different actors")


@attrs.frozen(kw_only=True)
class Cooperation(_BaseEvent):
    """Actors cooperate in some form (meetings, a programme, an agreement)."""

    kind: ClassVar[str] = "cooperation"

    actors: tuple[str, ...] = attrs.field(converter=_strings, validator=_two_or_more)
    form: str = attrs.field(validator=non_empty_text)

    @property
    def involved(self) -> tuple[str, ...]:
        return self.actors


@attrs.frozen(kw_only=True)
class Legislation(_BaseEvent):
    """An actor enacts a law."""

    kind: ClassVar[str] = "legislation"

    actor: str = attrs.field(validator=actor_id)
    title: str = attrs.field(validator=non_empty_text)

    @property
    def involved(self) -> tuple[str, ...]:
        return (self.actor,)


@attrs.frozen(kw_only=True)
class Retraction(_BaseEvent):
    """The record withdraws an earlier event found to be wrong."""

    kind: ClassVar[str] = "retraction"

    retracts: str = attrs.field(validator=slug)
    reason: str = attrs.field(validator=non_empty_text)

    @property
    def corrects(self) -> str | None:
        return self.retracts


Event = (
    Signature
    | Ratification
    | Accession
    | Acceptance
    | Approval
    | EntryIntoForce
    | Withdrawal
    | Vote
    | Adoption
    | Statement
    | Session
    | Membership
    | Cooperation
    | Legislation
    | Retraction
)
"""Any event: the tagged union of every kind."""

EVENT_CLASSES: tuple[type[Event], ...] = (
    Signature,
    Ratification,
    Accession,
    Acceptance,
    Approval,
    EntryIntoForce,
    Withdrawal,
    Vote,
    Adoption,
    Statement,
    Session,
    Membership,
    Cooperation,
    Legislation,
    Retraction,
)
KINDS: Mapping[str, type[Event]] = FrozenDict({c.kind: c for c in EVENT_CLASSES})
TREATY_ACT_KINDS = frozenset(
    c.kind for c in EVENT_CLASSES if issubclass(c, _TreatyAct)
)
CONSENT_KINDS = frozenset({"ratification", "accession", "acceptance", "approval"})
