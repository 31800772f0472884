"""What every event is: an id, a date, sources, when it was recorded; and what a kind declares.

Each kind (in `cybertimeline._model.events`) says once, as class attributes,
what the rest of the library needs to know of it: the fields that name actors,
the entries it writes in a position, its verbs, whether it is announced
ahead. The projection, the indexes, validation, wording, exports and stores
read these; none of them matches on kinds.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, Literal

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import a_day, date, optional_slug, slug, strings
from cybertimeline._model.sources import Source, some_source, sources
from cybertimeline._model.vocabulary import COLUMNAR, Section
from cybertimeline.errors import FieldError

__all__ = ["COLUMNAR", "BaseEvent", "RecordedBasis", "Section", "Write", "WriteRow",
           "named_actors"]

RecordedBasis = Literal["recorded", "published", "date"]


@attrs.frozen
class Write:
    """An entry a kind writes in a position: ``section``, keyed by the field ``key`` (by
    the event's id if None), in the position of each actor named by the field ``whose``;
    ``detail`` names the fields the entry carries beside the event's value (a vote's
    body), which a store keeps with the write as a JSON array (`BaseEvent.detail`)."""

    section: Section
    key: str | None
    whose: str
    detail: tuple[str, ...] = ()


WriteRow = tuple[str, Section, str, str | None, str | None]
"""One write of an event as a store keeps it: ``(whose, section, key, value, detail)``: the
actor whose position it writes, the section and key of the entry, the event's value for
that actor (`BaseEvent.value`: a vote's option) and the field ``detail`` of its `Write`."""


def named_actors(field: str, value: object) -> Iterator[tuple[str, str]]:
    """``(path, actor)`` for each actor a field's value names: text names one; a list one
    per item (``actors[0]``); a table one per key (``votes[CAN]``). Works on events' values
    and on the raw values of a file alike."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, Mapping):
        yield from ((f"{field}[{key}]", key) for key in value if isinstance(key, str))
    elif isinstance(value, list | tuple):
        yield from ((f"{field}[{i}]", item) for i, item in enumerate(value)
                    if isinstance(item, str))


def _entries_of(writes: tuple[Write, ...]) -> Callable[[Any, str], tuple[tuple[Section, str], ...]]:
    """A kind's `BaseEvent.entries`, made once from its declared writes: positions are
    built by calling it on every event of an actor, so it does no more than it must."""
    plan = [(w.section, operator.attrgetter(w.whose), operator.attrgetter(w.key or "id"))
            for w in writes]

    def entries(event: Any, actor: str) -> tuple[tuple[Section, str], ...]:
        found = []
        for section, whose, key in plan:
            named = whose(event)
            if actor == named if named.__class__ is str else actor in named:
                found.append((section, str(key(event))))
        return tuple(found)

    if len(plan) != 1:
        return entries
    ((section, whose, key),) = plan

    def one_entry(event: Any, actor: str) -> tuple[tuple[Section, str], ...]:
        named = whose(event)
        if actor == named if named.__class__ is str else actor in named:
            return ((section, str(key(event))),)
        return ()

    return one_entry


@attrs.frozen(kw_only=True)
class BaseEvent:
    """The fields every event has, and what each kind declares about itself."""

    kind: ClassVar[str]
    """The persisted tag of the kind: ``ratification``, ``vote``..."""
    actor_fields: ClassVar[tuple[str, ...]] = ()
    """The fields that name actors, in order (a text, a list, or a table keyed by actor)."""
    writes: ClassVar[tuple[Write, ...]] = ()
    """The entries it writes in the positions of the actors it names."""
    verbs: ClassVar[tuple[str, str]] = ("", "")
    """Present and past tense, for changelogs: ``("ratifies", "ratified")``."""
    headline: ClassVar[str] = "{id}"
    """A template of its headline: ``{field}``, ``{verb}``, ``{field|if empty}``."""
    announced_ahead: ClassVar[bool] = False
    """Whether the record may know of it before it happens (rule 9): an entry into force,
    a session, a membership or a withdrawal is announced; a signature is not."""
    done_in_public: ClassVar[bool] = True
    """Whether it is an act done in public (a treaty act, a vote, an adoption, a membership,
    a law...), public on its date; else a reported or analytic fact (a statement read from
    a report, a cooperation), public when first published (rule 7)."""
    lasts: ClassVar[bool] = False
    """Whether a date of several days is how long it lasted (a session), not a range within
    which it happened on one day (a statement dated ``2019-07`` or ``2019-12-27/2021-05-09``)."""
    correction_field: ClassVar[str] = "supersedes"
    """The field that names the event it corrects (`corrects`), as problems name it."""
    retracts_what_it_corrects: ClassVar[bool] = False
    """Whether, as a correction, it withdraws the event it names with nothing in its place
    (a retraction), rather than superseding it with itself."""

    id: str = attrs.field(validator=slug)
    date: Date = attrs.field(converter=date)
    sources: tuple[Source, ...] = attrs.field(converter=sources, validator=some_source)
    recorded: Date | None = attrs.field(default=None, converter=optional_date, validator=a_day)
    stamped: Date | None = attrs.field(default=None, converter=optional_date, validator=a_day)
    """The day (UTC) the store received it by an append, set by the store, never by hand:
    the store's own history, which ``stored_by`` audits; None for curated files."""
    summary: str | None = None
    supersedes: str | None = attrs.field(default=None, validator=optional_slug)
    tags: tuple[str, ...] = attrs.field(default=(), converter=strings)

    def __attrs_post_init__(self) -> None:
        self._check_knowable()

    def _check_knowable(self) -> None:
        """Cross-field: nothing is recorded before it happened, unless announced (rule 9)."""
        if self.announced_ahead or self.recorded_on >= self.date.earliest:
            published = [s.published.latest for s in self.sources if s.published is not None]
            if self.announced_ahead or self.recorded is not None or not published or min(
                    published) >= self.date.earliest:
                return
        if self.recorded is not None:
            raise FieldError("recorded", (
                f"'recorded' {self.recorded} is before the event's date {self.date}: a "
                f"{self.kind} cannot be known before it happened (only an entry into force, "
                f"a session, a membership or a withdrawal is recorded ahead): give the day "
                f"it entered the record"))
        first = min(s.published.latest for s in self.sources if s.published is not None)
        raise FieldError("sources", (
            f"a source published on {first} (the earliest 'published' of its "
            f"sources) is before the event's date {self.date}: a {self.kind} cannot be "
            f"known before it happened: correct the source's 'published', or give "
            f"'recorded'"))

    @property
    def announces(self) -> bool:
        """Whether a source may make it known before its date: the kinds announced ahead
        (an entry into force, a withdrawal, a membership, a session not yet held)."""
        return self.announced_ahead

    @property
    def recorded_on(self) -> dt.date:
        """The day the event became public: what a researcher could have known (rule 7).

        ``recorded`` where it is given. Else, for an act done in public, the last day of
        its ``date``, or the earliest ``published`` of its sources where that is earlier
        and the kind is announced ahead; for a reported fact, the earliest ``published``
        of its sources (each at its last day), else the last day of ``date``.
        """
        return self._knowledge()[0]

    @property
    def recorded_basis(self) -> RecordedBasis:
        """Where `recorded_on` comes from: ``recorded``, ``published`` or ``date``."""
        return self._knowledge()[1]

    def _knowledge(self) -> tuple[dt.date, RecordedBasis]:
        if self.recorded is not None:
            return self.recorded.earliest, "recorded"
        end = self.date.latest
        published = [s.published.latest for s in self.sources if s.published is not None]
        if published and (not self.done_in_public or (self.announces
                                                      and min(published) < end)):
            return min(published), "published"
        return end, "date"

    @property
    def corrects(self) -> str | None:
        """The id of the event this one replaces or retracts, if any."""
        return self.supersedes

    def actor_names(self) -> Iterator[tuple[str, str]]:
        """``(path, actor)`` for each actor the event names, in the order of its fields."""
        for field in self.actor_fields:
            yield from named_actors(field, getattr(self, field))

    @property
    def involved(self) -> tuple[str, ...]:
        """Every actor the event is about, each once, in the order its fields name them."""
        found: list[str] = []
        for field in self.actor_fields:
            value = getattr(self, field)
            if isinstance(value, str):
                found.append(value)
            else:  # a tuple of actors, or a table keyed by actor
                found.extend(value)
        return tuple(dict.fromkeys(found))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "writes" in cls.__dict__:
            sections = [w.section for w in cls.writes]
            if len(set(sections)) != len(sections):
                # A store keeps one entry per event and section (its key and detail).
                raise TypeError(f"{cls.__name__} writes a section twice: {sections}")
            if COLUMNAR & set(sections) and len(sections) > 1:
                # A position reads a columnar section's rows and the events of the others:
                # an event is in one or the other.
                raise TypeError(f"{cls.__name__} writes a columnar section and others: "
                                f"{sections}")
            cls._entries = staticmethod(_entries_of(cls.writes))
            cls._details = {w.section: w.detail for w in cls.writes}

    _entries: ClassVar[Callable[[Any, str], tuple[tuple[Section, str], ...]]]
    _details: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def entries(self, actor: str) -> tuple[tuple[Section, str], ...]:
        """The ``(section, key)`` entries of ``actor``'s position that the event writes.

        Declared by the kind (`writes`); folding the event changes no other entry.
        """
        return type(self)._entries(self, actor)

    def written(self) -> list[WriteRow]:
        """Every write the event makes, in every actor's position, as a store keeps it: one
        row per actor and entry (a roll call: one per ballot), in the order declared."""
        if len(self.writes) == 1:  # most kinds, and votes: one row per actor named, at once
            (write,) = self.writes
            key = str(getattr(self, write.key or "id"))
            detail = self._detail(write.detail)
            named = getattr(self, write.whose)
            value = self.value
            return [(actor, write.section, key, value(actor), detail)
                    for actor in ((named,) if isinstance(named, str) else dict.fromkeys(named))]
        rows: dict[tuple[str, Section, str], WriteRow] = {}
        for write in self.writes:
            key = str(getattr(self, write.key or "id"))
            detail = self._detail(write.detail)
            named = getattr(self, write.whose)
            for actor in (named,) if isinstance(named, str) else named:
                rows.setdefault((actor, write.section, key),
                                (actor, write.section, key, self.value(actor), detail))
        return list(rows.values())

    def entry_key(self, section: str) -> str | None:
        """The key of the entry the event writes in ``section`` (for every actor it writes
        for), or None if it writes none there."""
        for write in self.writes:
            if write.section == section:
                return str(getattr(self, write.key or "id"))
        return None

    def written_for(self, actor: str) -> list[WriteRow]:
        """The rows of `written` whose actor is ``actor``, found as fast as `entries`."""
        details = type(self)._details
        return [(actor, section, key, self.value(actor), self._detail(details.get(section, ())))
                for section, key in type(self)._entries(self, actor)]

    def _detail(self, fields: tuple[str, ...]) -> str | None:
        """The values of ``fields`` as a store keeps them with a write: a JSON array."""
        if not fields:
            return None
        return json.dumps([getattr(self, field) for field in fields], ensure_ascii=False,
                          separators=(",", ":"))

    def verb(self, past: bool = False) -> str:
        """The kind's verb, present (``ratifies``) or past (``ratified``)."""
        return self.verbs[past]

    def value(self, actor: str) -> str | None:
        """The event in one word for ``actor``, where it has one: a vote's option, a
        statement's stance, a session's status, a membership's action."""
        return None

    @property
    def subject(self) -> str | None:
        """What the event is about: an instrument, a resolution, a topic, a group, a title."""
        return None

    def copy_with(self, **changes: Any) -> BaseEvent:
        """The event with some fields changed, checked again."""
        return attrs.evolve(self, **changes)


BaseEvent._entries = staticmethod(_entries_of(()))
