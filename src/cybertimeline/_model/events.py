"""Every kind of event, each declaring once what it is; `Event` is their union.

To add a kind: write its class here (its fields, ``kind``, ``actor_fields``,
``writes``, ``verbs``, and ``announced_ahead`` if it is announced before it
happens) and add it to `Event`. A kind defined outside the library (a user's, a
test's) is its class and `register_kind(cls)`: `KINDS`, which the codec, the stores'
checks and the command line read, then holds it. A kind that writes a
section of its own also gives that section's spec (`cybertimeline.SectionSpec`,
registered with `cybertimeline.register_section`), which every output reads.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

import attrs

from cybertimeline._model.event import BaseEvent, Write
from cybertimeline._model.fields import actor_id, non_empty_text, one_of, optional_slug, slug
from cybertimeline._model.fields import strings as _strings
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.vocabulary import (
    MEMBERSHIP_ACTIONS,
    SESSION_STATUSES,
    STANCES,
    VOTE_OPTIONS,
    ActRole,
    MembershipAction,
    SessionStatus,
    Stance,
    VoteOption,
)
from cybertimeline.errors import FieldError

__all__ = [
    "EVENT_CLASSES",
    "KINDS",
    "MEMBERSHIP_ACTIONS",
    "SESSION_STATUSES",
    "STANCES",
    "VOTE_OPTIONS",
    "Acceptance",
    "Accession",
    "ActRole",
    "Adoption",
    "Approval",
    "Cooperation",
    "EntryIntoForce",
    "Event",
    "Legislation",
    "Membership",
    "MembershipAction",
    "Ratification",
    "Retraction",
    "Session",
    "SessionStatus",
    "Signature",
    "Stance",
    "Statement",
    "Succession",
    "Tally",
    "TreatyAct",
    "Vote",
    "VoteOption",
    "Withdrawal",
    "every_kind",
    "on_kinds_changed",
    "register_kind",
    "treaty_act_kinds",
    "unregister_kind",
]

BaseEventT = TypeVar("BaseEventT", bound=BaseEvent)



# -- treaty acts ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TreatyAct(BaseEvent):
    """An act of an actor on an instrument; the kinds below are its seven acts."""

    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    writes: ClassVar[tuple[Write, ...]] = (Write("treaties", "instrument", "actor"),)
    role: ClassVar[ActRole]
    """What the act does to the actor's status: ``signature``; ``consent`` (to be bound:
    ratification, accession, acceptance, approval); ``in_force``; ``withdrawal``."""

    actor: str = attrs.field(validator=actor_id)
    instrument: str = attrs.field(validator=non_empty_text)
    irregular: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(non_empty_text))
    """Why the act departs from the sequence its instrument's rules allow (rule 12): a late
    deposit recorded by the depositary, a source that contradicts another; the sequence
    checks then let it pass, and say why."""

    @property
    def subject(self) -> str:
        return self.instrument


@attrs.frozen(kw_only=True)
class Signature(TreatyAct):
    """An actor signs an instrument."""

    kind: ClassVar[str] = "signature"
    role: ClassVar[ActRole] = "signature"
    headline: ClassVar[str] = "{actor} signs the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("signs", "signed")


@attrs.frozen(kw_only=True)
class Ratification(TreatyAct):
    """An actor ratifies an instrument it signed: consent to be bound."""

    kind: ClassVar[str] = "ratification"
    role: ClassVar[ActRole] = "consent"
    headline: ClassVar[str] = "{actor} ratifies the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("ratifies", "ratified")


@attrs.frozen(kw_only=True)
class Accession(TreatyAct):
    """An actor accedes to an instrument without having signed it: consent to be bound."""

    kind: ClassVar[str] = "accession"
    role: ClassVar[ActRole] = "consent"
    headline: ClassVar[str] = "{actor} accedes to the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("accedes to", "acceded to")


@attrs.frozen(kw_only=True)
class Acceptance(TreatyAct):
    """An actor accepts an instrument: consent to be bound."""

    kind: ClassVar[str] = "acceptance"
    role: ClassVar[ActRole] = "consent"
    headline: ClassVar[str] = "{actor} accepts the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("accepts", "accepted")


@attrs.frozen(kw_only=True)
class Approval(TreatyAct):
    """An actor approves an instrument: consent to be bound."""

    kind: ClassVar[str] = "approval"
    role: ClassVar[ActRole] = "consent"
    headline: ClassVar[str] = "{actor} approves the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("approves", "approved")


@attrs.frozen(kw_only=True)
class Succession(TreatyAct):
    """A state succeeds to an instrument its predecessor was bound by: consent to be bound.

    The UN Treaty Collection marks it ``d`` in its charts.
    """

    kind: ClassVar[str] = "succession"
    role: ClassVar[ActRole] = "consent"
    headline: ClassVar[str] = "{actor} succeeds to the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("succeeds to", "succeeded to")


@attrs.frozen(kw_only=True)
class EntryIntoForce(TreatyAct):
    """An instrument enters into force for an actor."""

    kind: ClassVar[str] = "entry_into_force"
    role: ClassVar[ActRole] = "in_force"
    headline: ClassVar[str] = "The {instrument} enters into force for {actor}"
    verbs: ClassVar[tuple[str, str]] = ("enters into force for", "entered into force for")
    announced_ahead: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class Withdrawal(TreatyAct):
    """An actor withdraws from (denounces) an instrument."""

    kind: ClassVar[str] = "withdrawal"
    role: ClassVar[ActRole] = "withdrawal"
    headline: ClassVar[str] = "{actor} withdraws from the {instrument}"
    verbs: ClassVar[tuple[str, str]] = ("withdraws from", "withdrew from")
    announced_ahead: ClassVar[bool] = True


# -- votes and adoptions -------------------------------------------------------------------


def _tally(value: Tally | Mapping[str, int] | None) -> Tally | None:
    if value is None or isinstance(value, Tally):
        return value
    return Tally(**value)


@attrs.frozen(kw_only=True)
class Tally:
    """The totals of a recorded vote."""

    yes: int = attrs.field(validator=attrs.validators.ge(0))
    no: int = attrs.field(validator=attrs.validators.ge(0))
    abstain: int = attrs.field(validator=attrs.validators.ge(0))


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


def _votes(value: Mapping[str, str]) -> Mapping[str, VoteOption]:
    # A read-only view keeps the event immutable, as its other fields are; the
    # validator checks the options (any text is accepted here, and refused there).
    return FrozenDict(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Vote(BaseEvent):
    """A recorded vote of a body on a resolution: each actor's option."""

    kind: ClassVar[str] = "vote"
    headline: ClassVar[str] = "{body} votes on {resolution}"
    actor_fields: ClassVar[tuple[str, ...]] = ("body", "votes")
    writes: ClassVar[tuple[Write, ...]] = (
        Write("votes", "resolution", "votes", ("body", "title")),)
    verbs: ClassVar[tuple[str, str]] = ("votes on", "voted on")

    body: str = attrs.field(validator=actor_id)
    resolution: str = attrs.field(validator=non_empty_text)
    votes: Mapping[str, VoteOption] = attrs.field(
        converter=_votes, validator=_each_vote, hash=False
    )
    tally: Tally | None = attrs.field(default=None, converter=_tally)
    topic: str | None = attrs.field(default=None, validator=optional_slug)
    title: str | None = attrs.field(default=None,
                                    validator=attrs.validators.optional(non_empty_text))
    """The resolution's title, as the record gives it."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        self._check_tally()

    def _check_tally(self) -> None:
        """Cross-field: the tally counts at least the votes listed."""
        if self.tally is None:
            return
        counts = Counter(self.votes.values())
        for option in ("yes", "no", "abstain"):
            if counts[option] > getattr(self.tally, option):
                raise FieldError(
                    "tally",
                    f"the tally says {getattr(self.tally, option)} '{option}' but "
                    f"{counts[option]} actors are recorded voting '{option}': correct the "
                    f"tally or the votes",
                )

    def value(self, actor: str) -> str | None:
        return self.votes.get(actor)

    @property
    def subject(self) -> str:
        return self.resolution


@attrs.frozen(kw_only=True)
class Adoption(BaseEvent):
    """A body adopts a resolution or an instrument."""

    kind: ClassVar[str] = "adoption"
    headline: ClassVar[str] = "{body} adopts {subject}"
    actor_fields: ClassVar[tuple[str, ...]] = ("body",)
    writes: ClassVar[tuple[Write, ...]] = (Write("adoptions", None, "body"),)
    verbs: ClassVar[tuple[str, str]] = ("adopts", "adopted")

    body: str = attrs.field(validator=actor_id)
    resolution: str | None = None
    instrument: str | None = None
    tally: Tally | None = attrs.field(default=None, converter=_tally)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.resolution is None and self.instrument is None:  # cross-field
            raise FieldError("resolution",
                             "an adoption needs 'resolution' or 'instrument' (or both)")

    @property
    def subject(self) -> str | None:
        return self.resolution or self.instrument


# -- what actors say and do ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Statement(BaseEvent):
    """An actor states a stance on a topic."""

    kind: ClassVar[str] = "statement"
    done_in_public: ClassVar[bool] = False
    headline: ClassVar[str] = "{actor} {stance} {topic}"
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    writes: ClassVar[tuple[Write, ...]] = (Write("stances", "topic", "actor"),)
    verbs: ClassVar[tuple[str, str]] = ("states", "stated")

    actor: str = attrs.field(validator=actor_id)
    topic: str = attrs.field(validator=slug)
    stance: Stance = attrs.field(validator=one_of(STANCES))
    quote: str | None = None
    venue: str | None = None

    def value(self, actor: str) -> str | None:
        return self.stance

    @property
    def subject(self) -> str:
        return self.topic


@attrs.frozen(kw_only=True)
class Session(BaseEvent):
    """A session of a body: scheduled, held, postponed or cancelled."""

    kind: ClassVar[str] = "session"
    headline: ClassVar[str] = "{body}: {title|session} {status}"
    actor_fields: ClassVar[tuple[str, ...]] = ("body",)
    writes: ClassVar[tuple[Write, ...]] = (Write("sessions", None, "body"),)
    verbs: ClassVar[tuple[str, str]] = ("meets", "met")
    announced_ahead: ClassVar[bool] = True
    lasts: ClassVar[bool] = True

    body: str = attrs.field(validator=actor_id)
    status: SessionStatus = attrs.field(validator=one_of(SESSION_STATUSES))
    title: str | None = None
    location: str | None = None

    @property
    def announces(self) -> bool:
        """A session held is public on its dates; one scheduled, postponed or cancelled is
        an announcement, public when published."""
        return self.status != "held"

    def value(self, actor: str) -> str | None:
        return self.status

    @property
    def subject(self) -> str | None:
        return self.title


@attrs.frozen(kw_only=True)
class Membership(BaseEvent):
    """An actor joins or leaves a group (a bloc, a body, a committee)."""

    kind: ClassVar[str] = "membership"
    headline: ClassVar[str] = "{actor} {verb} {group}"
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "group")
    writes: ClassVar[tuple[Write, ...]] = (Write("memberships", "group", "actor"),
                                          Write("members", "actor", "group"))
    verbs: ClassVar[tuple[str, str]] = ("joins", "joined")
    announced_ahead: ClassVar[bool] = True

    actor: str = attrs.field(validator=actor_id)
    group: str = attrs.field(validator=actor_id)
    action: MembershipAction = attrs.field(validator=one_of(MEMBERSHIP_ACTIONS))
    role: str | None = None

    def verb(self, past: bool = False) -> str:
        if self.action == "leave":
            return "left" if past else "leaves"
        return self.verbs[past]

    def value(self, actor: str) -> str | None:
        return self.action

    @property
    def subject(self) -> str:
        return self.group


def _two_or_more(_instance: Any, _attribute: Any, value: tuple[str, ...]) -> None:
    if len(set(value)) < 2:
        raise FieldError("actors", "'actors' must name at least two different actors")


@attrs.frozen(kw_only=True)
class Cooperation(BaseEvent):
    """Actors cooperate in some form (meetings, a programme, an agreement)."""

    kind: ClassVar[str] = "cooperation"
    done_in_public: ClassVar[bool] = False
    headline: ClassVar[str] = "{actors}: {form}"
    actor_fields: ClassVar[tuple[str, ...]] = ("actors",)
    writes: ClassVar[tuple[Write, ...]] = (Write("cooperation", None, "actors"),)
    verbs: ClassVar[tuple[str, str]] = ("cooperates with", "cooperated with")

    actors: tuple[str, ...] = attrs.field(converter=_strings, validator=_two_or_more)
    form: str = attrs.field(validator=non_empty_text)

    @property
    def subject(self) -> str:
        return self.form


@attrs.frozen(kw_only=True)
class Legislation(BaseEvent):
    """An actor enacts a law."""

    kind: ClassVar[str] = "legislation"
    headline: ClassVar[str] = "{actor}: {title}"
    actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
    writes: ClassVar[tuple[Write, ...]] = (Write("legislation", None, "actor"),)
    verbs: ClassVar[tuple[str, str]] = ("enacts", "enacted")

    actor: str = attrs.field(validator=actor_id)
    title: str = attrs.field(validator=non_empty_text)

    @property
    def subject(self) -> str:
        return self.title


# -- corrections ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Retraction(BaseEvent):
    """The record withdraws an earlier event found to be wrong."""

    kind: ClassVar[str] = "retraction"
    done_in_public: ClassVar[bool] = False
    headline: ClassVar[str] = "Retraction of {retracts}"
    verbs: ClassVar[tuple[str, str]] = ("retracts", "retracted")
    correction_field: ClassVar[str] = "retracts"
    retracts_what_it_corrects: ClassVar[bool] = True

    retracts: str = attrs.field(validator=slug)
    reason: str = attrs.field(validator=non_empty_text)

    @property
    def corrects(self) -> str | None:
        return self.retracts

    @property
    def subject(self) -> str:
        return self.retracts


Event = (
    Signature
    | Ratification
    | Accession
    | Acceptance
    | Approval
    | Succession
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

EVENT_CLASSES: tuple[type[Event], ...] = typing.get_args(Event)
"""The built-in kinds' classes (those of `Event`), in order."""

_KINDS: dict[str, type[Event]] = {c.kind: c for c in EVENT_CLASSES}
KINDS: Mapping[str, type[Event]] = MappingProxyType(_KINDS)
"""Every kind by its tag: the built-in ones, then those registered (`register_kind`), in
order. A live view: what reads it sees a kind registered after it was imported."""

_ON_CHANGE: list[Callable[[], None]] = []


def every_kind() -> dict[str, type[BaseEvent]]:
    """Every kind by its tag: those of `Event`, then any other subclass of `BaseEvent` that
    declares a ``kind`` (defined by a user, for an in-memory timeline), in the order
    defined."""
    found: dict[str, type[BaseEvent]] = dict(KINDS)
    waiting: list[type[BaseEvent]] = [BaseEvent]
    while waiting:
        cls = waiting.pop(0)
        waiting.extend(cls.__subclasses__())
        tag = cls.__dict__.get("kind")
        if isinstance(tag, str):
            found.setdefault(tag, cls)
    return found


def register_kind(cls: type[BaseEventT]) -> type[BaseEventT]:
    """Make ``cls`` a kind every store reads, validates and appends, and returns it.

    ``cls`` is an attrs subclass of `BaseEvent` declaring its ``kind`` tag; once
    registered, files, JSON Lines and SQL stores load and validate events of that kind,
    ``Timeline.events(kind=...)`` and the command line's ``--kind`` name it, and an
    unknown kind is still refused with the kinds known. A kind writing a section of its
    own also needs that section's spec (`register_section`). Registering the same class
    again does nothing; the registry is process-wide (`unregister_kind` undoes it).

    Raises:
        TypeError: ``cls`` is not an attrs subclass of `BaseEvent`, or its fields' types
            cannot be resolved.
        ValueError: it declares no ``kind``, or another class has that tag.
    """
    if not _an_event_class(cls):
        raise TypeError(f"{cls!r} is not a kind of event: subclass BaseEvent with "
                        f"@attrs.frozen(kw_only=True)")
    tag = cls.__dict__.get("kind")
    if not isinstance(tag, str) or not tag:
        raise ValueError(f"{cls.__name__} declares no kind: add kind: ClassVar[str] = "
                         f"\"{cls.__name__.lower()}\"")
    held = _KINDS.get(tag)
    if held is cls:
        return cls
    try:  # here, not in the codec: a class the codec cannot read is never registered
        attrs.resolve_types(cls)
    except Exception as exc:
        raise TypeError(f"the fields of {cls.__name__} name types that cannot be found "
                        f"({exc}): import them in its module") from None
    if held is not None:
        raise ValueError(f"the kind {tag!r} is already {held.__module__}.{held.__qualname__}: "
                         f"give {cls.__name__} another tag")
    _KINDS[tag] = cls  # type: ignore[assignment]
    _changed()
    return cls


def _an_event_class(cls: object) -> bool:
    return isinstance(cls, type) and issubclass(cls, BaseEvent) and attrs.has(cls)


def unregister_kind(kind: str) -> None:
    """Forget a kind `register_kind` added (the built-in kinds stay).

    Raises:
        ValueError: ``kind`` is built in.
    """
    if kind in _BUILTIN:
        raise ValueError(f"{kind!r} is a built-in kind: it cannot be unregistered")
    if _KINDS.pop(kind, None) is not None:
        _changed()


def treaty_act_kinds() -> frozenset[str]:
    """The tags of every kind that is a treaty act (`TreatyAct`), registered ones too."""
    return frozenset(tag for tag, cls in every_kind().items() if issubclass(cls, TreatyAct))


def on_kinds_changed(rebuild: Callable[[], None]) -> None:
    """Call ``rebuild`` whenever a kind is registered or unregistered: for what is made
    once from the kinds (the codec's converters, its field lists)."""
    _ON_CHANGE.append(rebuild)


def _changed() -> None:
    for rebuild in _ON_CHANGE:
        rebuild()


_BUILTIN = frozenset(_KINDS)
