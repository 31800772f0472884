"""Filters across events: text, topic, instrument, resolution, body, tag, a group's members
and the day an event entered the record, beside `Timeline.events`' actor, kind and dates.

Text is matched against what an event says in words: its title, summary, quote and its
sources' titles and quotes, without regard to case or accents; every word of the text must
be found (a phrase in double quotes as a whole). Each event's words are made plain once per
version of the store's events (`Derived.words`), then every search scans them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, TypedDict

import attrs

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.registry import Registry
from cybertimeline.errors import ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["EventFilter", "FieldFilters", "Filters", "plain", "terms"]


class FieldFilters(TypedDict, total=False):
    """The filters `Timeline.search` takes beside its text, actors, kind and dates. Each
    that takes a collection keeps an event that matches any of it."""

    topic: str | Collection[str] | None
    instrument: str | Collection[str] | None
    resolution: str | Collection[str] | None
    body: str | Collection[str] | None
    tag: str | Collection[str] | None
    group: str | None
    recorded_since: DateLike | None
    recorded_until: DateLike | None


class Filters(FieldFilters, total=False):
    """The filters `Timeline.events` and `listing` take beside actor, kind and dates: those
    of `FieldFilters` and the text to search for."""

    text: str | None


_TERM = re.compile(r'"([^"]*)"|(\S+)')


def plain(text: str) -> str:
    """Lower case, without accents, whitespace as single spaces: what text search compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c))
                    .casefold().split())


def terms(text: str) -> tuple[str, ...]:
    """The words of a search (a phrase in double quotes as one), made `plain`."""
    found = [plain(quoted or word) for quoted, word in _TERM.findall(text)]
    return tuple(t for t in found if t)


def words_of(event: Event) -> str:
    """What an event says in words: title, summary, quote, its sources' titles and quotes."""
    parts = [getattr(event, name, None) for name in ("title", "summary", "quote")]
    for source in event.sources:
        parts += [source.title, source.quote]
    return plain(" \n ".join(p for p in parts if isinstance(p, str)))


def _set(value: str | Collection[str] | None,
         resolve: Callable[[str], str] = str) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(resolve(v) for v in ([value] if isinstance(value, str) else value))


def _day(value: DateLike | None, last: bool) -> dt.date | None:
    if value is None:
        return None
    date = Date.coerce(value)
    return date.latest if last else date.earliest


def _terms_of(text: str | None) -> tuple[str, ...]:
    """The `terms` of a text search (none without one).

    Raises:
        ValidationError: the text has no word.
    """
    found = () if text is None else terms(text)
    if text is not None and not found:
        raise ValidationError(["the text to search for has no word: give one or more"])
    return found


def _recorded(filters: Filters) -> tuple[dt.date | None, dt.date | None]:
    """The first and last days of ``recorded_since`` and ``recorded_until``.

    Raises:
        ValidationError: recorded_since is after recorded_until.
    """
    since = _day(filters.get("recorded_since"), last=False)
    until = _day(filters.get("recorded_until"), last=True)
    if since is not None and until is not None and since > until:
        raise ValidationError([f"recorded_since ({since}) is after recorded_until "
                               f"({until}): swap them"])
    return since, until


@attrs.frozen(kw_only=True)
class EventFilter:
    """Which events to keep: each field None (or empty) keeps every event."""

    terms: tuple[str, ...] = ()
    words: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    found: frozenset[str] = attrs.field(default=frozenset(), repr=False)
    """The ids of the events whose words hold every term, when the words were read."""
    checks: bool = True
    """Whether any filter but the text is given."""
    topics: frozenset[str] | None = None
    instruments: frozenset[str] | None = None
    resolutions: frozenset[str] | None = None
    bodies: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    members: frozenset[str] | None = None
    recorded_since: dt.date | None = None
    recorded_until: dt.date | None = None

    @classmethod
    def of(cls, filters: Filters, registry: Registry, members: Collection[str] | None,
           words: Callable[[], Mapping[str, str]]) -> EventFilter | None:
        """The filter of ``filters`` (None where none is given): instruments and bodies
        resolved by name, ``members`` those of the group asked about, ``words`` read only
        for a text search.

        Raises:
            UnknownActorError, UnknownInstrumentError: a body or instrument is not known.
            ValidationError: the text has no word, or recorded_since is after recorded_until.
        """
        given = {k: v for k, v in filters.items() if v is not None}
        if not given:
            return None
        found = _terms_of(filters.get("text"))
        since, until = _recorded(filters)
        said = words() if found else {}
        return cls(
            terms=found, words=said,
            found=frozenset(i for i, w in said.items() if all(t in w for t in found)),
            checks=bool(given.keys() - {"text"}),
            topics=_set(filters.get("topic")),
            instruments=_set(filters.get("instrument"), registry.resolve_instrument),
            resolutions=_set(filters.get("resolution"), str.strip),
            bodies=_set(filters.get("body"), registry.resolve),
            tags=_set(filters.get("tag")),
            members=None if members is None else frozenset(members),
            recorded_since=since, recorded_until=until)

    def __call__(self, event: Event) -> bool:
        return self._words(event) and (not self.checks or self._fields(event))

    def _fields(self, event: Event) -> bool:
        if self.topics is not None and not (
                self.topics & {getattr(event, "topic", None), *event.tags}):
            return False
        for wanted, name in ((self.instruments, "instrument"), (self.resolutions, "resolution"),
                             (self.bodies, "body")):
            if wanted is not None and getattr(event, name, None) not in wanted:
                return False
        if self.tags is not None and not self.tags.intersection(event.tags):
            return False
        if self.members is not None and not self.members.intersection(event.involved):
            return False
        return self._recorded_in(event)

    def _recorded_in(self, event: Event) -> bool:
        """Whether the event entered the record within ``recorded_since`` and ``_until``."""
        if self.recorded_since is None and self.recorded_until is None:
            return True
        recorded = event.recorded_on
        return not ((self.recorded_since is not None and recorded < self.recorded_since)
                    or (self.recorded_until is not None and recorded > self.recorded_until))

    def _words(self, event: Event) -> bool:
        if not self.terms or event.id in self.found:
            return True
        if event.id in self.words:
            return False
        said = words_of(event)  # an event appended since the words were read
        return all(term in said for term in self.terms)
