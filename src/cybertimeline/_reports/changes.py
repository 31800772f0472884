"""Positions as facts, and the changes between two positions: what a changelog is made of.

A changelog is a diff of positions (rule 6). A position is seen as flat
*facts*, one value per path:

* ``<section>.<key>.<field>`` for a section whose entries are several facts
  (`SectionSpec.fields`: ``treaties.<instrument>.status``, ``.signed``...): text;
* ``<section>.<key>`` for any other keyed section (``votes.<resolution>``,
  ``stances.<topic>``, ``memberships.<group>``, ``members.<actor>``): the entry;
* ``<section>.<event id>`` for a listed section (``sessions.<event id>``...):
  likewise, one per event.

Every registered section (`cybertimeline.register_section`) is seen so, in the
order of the table.

Two values are the same fact when they say the same, whatever event they rest on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.events import ActRole, Event, Retraction
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage
from cybertimeline._model.sources import Source
from cybertimeline._projections.entries import Entry
from cybertimeline._projections.position import Position, section_spec, sections
from cybertimeline._projections.sentences import plain

__all__ = ["Change", "Correction", "Fact", "FactValue", "diff_positions", "keyed_sections",
           "listed_sections", "plain", "position_facts"]

def keyed_sections() -> tuple[str, ...]:
    """The names of the keyed sections registered, in order (treaties, votes...)."""
    return tuple(spec.name for spec in sections() if spec.keyed)


def listed_sections() -> tuple[str, ...]:
    """The names of the listed sections registered, in order (cooperation, sessions...)."""
    return tuple(spec.name for spec in sections() if not spec.keyed)


FactValue = str | Entry
"""The value of a fact: a treaty field's text, or an entry of the position."""

Key = tuple[str, str, str | None]
"""Where a fact is: section, key, and (for treaties) field."""


@attrs.frozen
class Fact:
    """One fact of a position, and the ids of the events it rests on."""

    value: FactValue
    events: frozenset[str]

    def same_as(self, other: Fact | None) -> bool:
        """Whether ``other`` says the same (on whatever events it rests)."""
        return other is not None and plain(self.value) == plain(other.value)


Facts = dict[Key, Fact]


def path_of(key: Key) -> str:
    """``treaties.budapest-convention.status``, ``votes.A/RES/74/247``..."""
    return ".".join(part for part in key if part is not None)


def entry_facts(section: str, key: str, entry: Any) -> Facts:
    """The facts of one entry of a position (absent: no facts)."""
    if entry is None:
        return {}
    fields = section_spec(section).fields
    if fields:
        ids = frozenset(e.id for e in entry.events)
        return {(section, key, name): Fact(str(value), ids) for name in fields
                if (value := getattr(entry, name)) is not None}
    return {(section, key, None): Fact(entry, frozenset({entry.event_id}))}


def facts(position: Position, but: frozenset[str] = frozenset()) -> Facts:
    """Every fact of a position (but those of the sections ``but``)."""
    found: Facts = {}
    for spec in sections():
        if spec.name not in but:
            for key, entry in spec.items(position.section(spec.name)):
                found.update(entry_facts(spec.name, key, entry))
    return found


def facts_of(position: Position, keys: Iterable[tuple[str, str]]) -> Facts:
    """The facts of these entries of a position."""
    found: Facts = {}
    for section, key in keys:
        held = position.section(section)
        if section_spec(section).keyed:
            entry = held.get(key)
        else:
            entry = next((e for e in reversed(held) if e.event_id == key), None)
        found.update(entry_facts(section, key, entry))
    return found


def position_facts(position: Position) -> dict[str, Any]:
    """The facts of a position by path, as JSON: ``treaties.budapest-convention.status``...

    This is what changelogs compare: applying a changelog's changes to the
    facts of its starting position gives the facts of its final position.
    """
    return {path_of(key): plain(fact.value) for key, fact in facts(position).items()}


def differences(before: Facts, after: Facts) -> list[Key]:
    """The keys whose facts differ, in the order of sections, keys and fields."""
    keys = {k for k in before.keys() | after.keys()
            if not (k in before and before[k].same_as(after.get(k)))}
    table = {spec.name: (place, spec.fields) for place, spec in enumerate(sections())}

    def order(key: Key) -> tuple[int, str, int]:
        section, name, field = key
        place, fields = table[section]
        return (place, name, -1 if field is None else fields.index(field))

    return sorted(keys, key=order)


@attrs.frozen(kw_only=True)
class Change:
    """One change to an actor's position: a path, its value before and after, and why.

    Attributes:
        actor: Whose position changed.
        section: The section's name (``treaties``, ``votes``...: `SectionSpec.name`).
        key: The instrument, resolution, topic, group, member or event id.
        field: For treaties, the field that changed (``status``, ``signed``...).
        before: The value before: a treaty field's text or an entry (None when absent).
        after: The value after (None when the path is gone).
        settled: The day the change happened: the latest day of its events' dates.
        date: The date of the (last) event behind it, as given: ``2019-07``, ``2015-07-08``.
        events: The events behind the change, in canonical order.
        coverage: For a treaty status that had no act before: the complete chart that
            held the day before, so the status was ``none`` (not a signatory), not
            unknown (rule 10); None otherwise.
    """

    actor: str
    section: str
    key: str
    field: str | None = None
    before: FactValue | None = None
    after: FactValue | None = None
    settled: dt.date | None = None
    date: Date | None = None
    events: tuple[Event, ...] = ()
    coverage: Coverage | None = None

    @property
    def path(self) -> str:
        """Where it is: ``treaties.budapest-convention.status``, ``votes.A/RES/74/247``..."""
        return path_of((self.section, self.key, self.field))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the events behind the change, each once."""
        return tuple(dict.fromkeys(s for e in self.events for s in e.sources))

    def to_dict(self) -> dict[str, Any]:
        """``{"actor", "path", "before", "after", "date", "settled", "events", "sources",
        "coverage"}``; ``before`` and ``after`` as in `position_facts`."""
        return {
            "actor": self.actor,
            "path": self.path,
            "before": plain(self.before),
            "after": plain(self.after),
            "date": None if self.date is None else str(self.date),
            "settled": None if self.settled is None else self.settled.isoformat(),
            "events": [e.id for e in self.events],
            "sources": [s.to_dict() for s in self.sources],
            "coverage": None if self.coverage is None else self.coverage.to_dict(),
        }


@attrs.frozen(kw_only=True)
class Correction:
    """A revision of the record itself: an event superseded or retracted by a later one.

    Attributes:
        recorded: The day the correcting event entered the record.
        kind: ``supersession`` or ``retraction``.
        event: The correcting event (the new version, or the retraction).
        corrected: The event it replaces or retracts.
        actors: The actors the corrected event is about.
    """

    recorded: dt.date
    kind: Literal["supersession", "retraction"]
    event: Event
    corrected: Event
    actors: tuple[str, ...]

    @property
    def reason(self) -> str | None:
        """Why a retraction was made; None for a supersession."""
        return self.event.reason if isinstance(self.event, Retraction) else None

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the correcting event."""
        return self.event.sources

    def to_dict(self) -> dict[str, Any]:
        """``{"recorded", "kind", "event", "corrects", "actors", "reason", "sources"}``."""
        return {
            "recorded": self.recorded.isoformat(),
            "kind": self.kind,
            "event": self.event.id,
            "corrects": self.corrected.id,
            "actors": list(self.actors),
            "reason": self.reason,
            "sources": [s.to_dict() for s in self.sources],
        }


_FIELD_ROLES: dict[str, ActRole] = {
    "signed": "signature", "consented": "consent", "consent": "consent",
    "in_force": "in_force", "withdrawn": "withdrawal",
}


def _events_behind(was: Fact | None, now: Fact | None, field: str | None,
                   by_id: Mapping[str, Event]) -> tuple[Event, ...]:
    """The events behind a change: those of ``now`` new since ``was`` (or, for a fact gone,
    those it rested on); for a treaty field, the acts of its role where there are any."""
    old_ids = was.events if was else frozenset()
    new_ids = now.events if now else frozenset()
    ids = (new_ids - old_ids) or new_ids or old_ids
    role = _FIELD_ROLES.get(field or "")
    found = [by_id[i] for i in ids]
    found = [e for e in found if role is None or getattr(e, "role", None) == role] or found
    return tuple(sorted(found, key=canonical_key))


def diff_positions(before: Position, after: Position) -> tuple[Change, ...]:
    """What differs between two positions of one actor, path by path.

    Each change names the events of ``after`` that are new since ``before``
    (or, for a path that is gone, the events ``before`` rested on).
    """
    old, new = facts(before), facts(after)
    by_id = {e.id: e for e in (*before.events(), *after.events())}
    changes = []
    for key in differences(old, new):
        was, now = old.get(key), new.get(key)
        events = _events_behind(was, now, key[2], by_id)
        last = events[-1] if events else None
        first_act = key[2] == "status" and was is None
        changes.append(Change(
            actor=after.actor, section=key[0], key=key[1], field=key[2],
            before=None if was is None else was.value, after=None if now is None else now.value,
            settled=None if last is None else last.date.latest,
            date=None if last is None else last.date, events=events,
            coverage=before.coverage.get(key[1]) if first_act else None,
        ))
    return tuple(changes)
