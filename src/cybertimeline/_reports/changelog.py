"""Changelogs: what changed in actors' positions, day by day, and where the record was corrected.

A changelog is a diff of positions (rule 6 of ``docs/concepts.md``). A position is seen as
flat *facts*, one value per path (`position_facts`):

* ``treaties.<instrument>.<field>`` for ``status``, ``signed``, ``consented``,
  ``consent``, ``in_force`` and ``withdrawn``: text;
* ``votes.<resolution>``, ``stances.<topic>``, ``memberships.<group>`` and
  ``members.<actor>``: the entry of `Position.to_dict` without its event id;
* ``cooperation.<event id>``, ``sessions.<event id>``, ``adoptions.<event id>``
  and ``legislation.<event id>``: likewise, one per event.

Absent paths have no value (``None``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.events import CONSENT_KINDS, Event, Retraction
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.sources import Source
from cybertimeline._projections.position import Position, PositionProjection

if TYPE_CHECKING:
    from cybertimeline._timeline.timeline import DateLike, Timeline

__all__ = ["Change", "Changelog", "Correction", "diff_positions", "position_facts"]

TREATY_FIELDS = ("status", "signed", "consented", "consent", "in_force", "withdrawn")
KEYED_SECTIONS = ("votes", "stances", "memberships", "members")
LISTED_SECTIONS = ("cooperation", "sessions", "adoptions", "legislation")
SECTIONS = ("treaties", *KEYED_SECTIONS, *LISTED_SECTIONS)

_Key = tuple[str, str, str | None]  # section, key, field (treaties only)
_Facts = dict[_Key, tuple[Any, frozenset[str]]]  # value, and the ids of the events behind it


def _path(key: _Key) -> str:
    return ".".join(part for part in key if part is not None)


def _entry_facts(section: str, key: str, entry: Any) -> _Facts:
    """The facts of one entry of a position (absent: no facts)."""
    if entry is None:
        return {}
    data = entry.to_dict()
    if section == "treaties":
        ids = frozenset(data["events"])
        return {(section, key, name): (data[name], ids)
                for name in TREATY_FIELDS if data[name] is not None}
    value = {k: v for k, v in data.items() if k != "event"}
    return {(section, key, None): (value, frozenset({data["event"]}))}


def _flatten(position: Position) -> _Facts:
    """The facts of a position, each with the ids of the events it rests on."""
    facts: _Facts = {}
    for section in ("treaties", *KEYED_SECTIONS):
        for key, entry in getattr(position, section).items():
            facts.update(_entry_facts(section, key, entry))
    for section in LISTED_SECTIONS:
        for entry in getattr(position, section):
            facts.update(_entry_facts(section, entry.event.id, entry))
    return facts


def _facts_of(position: Position, keys: Iterable[tuple[str, str]]) -> _Facts:
    """The facts of these entries of a position."""
    facts: _Facts = {}
    for section, key in keys:
        if section in LISTED_SECTIONS:
            entry = next((e for e in reversed(getattr(position, section))
                          if e.event.id == key), None)
        else:
            entry = getattr(position, section).get(key)
        facts.update(_entry_facts(section, key, entry))
    return facts


def position_facts(position: Position) -> dict[str, Any]:
    """The facts of a position by path, such as ``treaties.budapest-convention.status``.

    This is what changelogs compare: applying a changelog's changes to the
    facts of its starting position gives the facts of its final position.
    """
    return {_path(key): value for key, (value, _ids) in _flatten(position).items()}


def _order(key: _Key) -> tuple[int, str, int]:
    section, name, field = key
    return (SECTIONS.index(section), name, -1 if field is None else TREATY_FIELDS.index(field))


def _differences(before: _Facts, after: _Facts) -> list[_Key]:
    keys = {k for k in before.keys() | after.keys()
            if before.get(k, (None,))[0] != after.get(k, (None,))[0]}
    return sorted(keys, key=_order)


@attrs.frozen(kw_only=True)
class Change:
    """One change to an actor's position: a path, its value before and after, and why.

    Attributes:
        actor: Whose position changed.
        section: ``treaties``, ``votes``, ``stances``, ``memberships``, ``members``,
            ``cooperation``, ``sessions``, ``adoptions`` or ``legislation``.
        key: The instrument, resolution, topic, group, member or event id.
        field: For treaties, the field that changed (``status``, ``signed``...).
        before: The value before (None when the path was absent).
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
    before: Any = None
    after: Any = None
    settled: dt.date | None = None
    date: Date | None = None
    events: tuple[Event, ...] = ()
    coverage: Coverage | None = None

    @property
    def path(self) -> str:
        """Where it is: ``treaties.budapest-convention.status``, ``votes.A/RES/74/247``..."""
        return _path((self.section, self.key, self.field))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the events behind the change, each once."""
        return tuple(dict.fromkeys(s for e in self.events for s in e.sources))

    def to_dict(self) -> dict[str, Any]:
        """``{"actor", "path", "before", "after", "date", "settled", "events", "sources",
        "coverage"}``."""
        return {
            "actor": self.actor,
            "path": self.path,
            "before": self.before,
            "after": self.after,
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


@attrs.frozen(kw_only=True)
class Changelog:
    """Changes to actors' positions between two dates, and the corrections recorded meanwhile.

    Build one with `Timeline.changelog`. ``changes`` are in the order
    they happened (by day, then actor, then path); ``corrections`` by the day
    they were recorded. Render with `to_markdown` or `to_dict`.
    """

    actors: tuple[str, ...]
    since: Date | None = None
    until: Date | None = None
    known_at: Date | None = None
    changes: tuple[Change, ...] = ()
    corrections: tuple[Correction, ...] = ()
    registry: Registry = attrs.field(factory=Registry.builtin, eq=False, repr=False)

    def __len__(self) -> int:
        return len(self.changes) + len(self.corrections)

    def for_actor(self, actor: str) -> tuple[Change, ...]:
        """The changes to one actor's position."""
        return tuple(c for c in self.changes if c.actor == actor)

    def apply(self, start: Position) -> dict[str, Any]:
        """The facts of ``start`` (see `position_facts`) with this changelog's changes
        for its actor applied in order: the facts of the position at ``until``."""
        facts = position_facts(start)
        for change in self.for_actor(start.actor):
            if change.after is None:
                facts.pop(change.path, None)
            else:
                facts[change.path] = change.after
        return facts

    def to_dict(self) -> dict[str, Any]:
        """As JSON: ``{"actors", "since", "until", "known_at", "changes", "corrections"}``."""
        return {
            "actors": list(self.actors),
            "since": None if self.since is None else str(self.since),
            "until": None if self.until is None else str(self.until),
            "known_at": None if self.known_at is None else str(self.known_at),
            "changes": [c.to_dict() for c in self.changes],
            "corrections": [c.to_dict() for c in self.corrections],
        }

    def to_markdown(self) -> str:
        """The changelog as Markdown: a section per date, newest first, grouped by actor,
        a plain sentence per change with numbered references to a list of sources."""
        from cybertimeline._reports.wording import render_markdown

        return render_markdown(self)


_FIELD_KINDS = {
    "signed": frozenset({"signature"}),
    "consented": CONSENT_KINDS,
    "consent": CONSENT_KINDS,
    "in_force": frozenset({"entry_into_force"}),
    "withdrawn": frozenset({"withdrawal"}),
}


def diff_positions(before: Position, after: Position) -> tuple[Change, ...]:
    """What differs between two positions of one actor, path by path.

    Each change names the events of ``after`` that are new since ``before``
    (or, for a path that is gone, the events ``before`` rested on).
    """
    old, new = _flatten(before), _flatten(after)
    by_id = {e.id: e for e in (*before.events(), *after.events())}
    changes = []
    for key in _differences(old, new):
        old_value, old_ids = old.get(key, (None, frozenset()))
        new_value, new_ids = new.get(key, (None, frozenset()))
        ids = (new_ids - old_ids) or new_ids or old_ids
        kinds = _FIELD_KINDS.get(key[2] or "")
        found = [by_id[i] for i in ids]
        found = [e for e in found if kinds is None or e.kind in kinds] or found
        events = tuple(sorted(found, key=canonical_key))
        last = events[-1] if events else None
        first_act = key[2] == "status" and old_value is None
        changes.append(Change(
            actor=after.actor, section=key[0], key=key[1], field=key[2], before=old_value,
            after=new_value, settled=None if last is None else last.date.latest,
            date=None if last is None else last.date, events=events,
            coverage=before.coverage.get(key[1]) if first_act else None,
        ))
    return tuple(changes)


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1) if day > dt.date.min else day


def _actor_changes(
    timeline: Timeline, actor: str, since: Date | None, until: Date | None,
    known_at: Date | None,
) -> list[Change]:
    projection = PositionProjection(actor)
    if since is None:
        state = projection.initial()
    else:
        state = timeline.position(actor, _day_before(since.earliest), known_at)
    facts = _flatten(state)
    changes: list[Change] = []
    events = timeline.events(actor=actor, since=since, until=until, known_at=known_at)
    for day, group in itertools.groupby(events, key=lambda e: e.date.latest):
        day_start: _Facts = {}
        touched_today: set[_Key] = set()
        behind: dict[_Key, list[Event]] = {}
        for event in group:
            touched = event.entries(actor)
            before = _facts_of(state, touched)
            state = projection.apply(state, event)
            after = _facts_of(state, touched)
            for key in _differences(before, after):
                behind.setdefault(key, []).append(event)
            for key in before.keys() | after.keys():
                if key not in touched_today:
                    touched_today.add(key)
                    if key in facts:
                        day_start[key] = facts[key]
            for key in before:
                facts.pop(key, None)
            facts.update(after)
        for key in _differences(day_start, {k: facts[k] for k in touched_today if k in facts}):
            found = tuple(behind[key])
            before_value = day_start.get(key, (None,))[0]
            changes.append(Change(
                actor=actor, section=key[0], key=key[1], field=key[2],
                before=before_value, after=facts.get(key, (None,))[0],
                settled=day, date=found[-1].date, events=found,
                coverage=_chart_before(timeline, key, before_value, day, known_at),
            ))
    return changes


def _chart_before(
    timeline: Timeline, key: _Key, before: Any, day: dt.date, known_at: Date | None
) -> Coverage | None:
    """The complete chart behind a ``none`` status the day before a first treaty act."""
    if key[2] != "status" or before is not None:
        return None
    instrument = timeline.registry.instruments.get(key[1])
    if instrument is None:
        return None
    return instrument.coverage_on(_day_before(day), None if known_at is None else known_at.latest)


def _corrections(
    timeline: Timeline, actors: set[str] | None, since: Date | None, until: Date | None,
    known_at: Date | None,
) -> list[Correction]:
    first = None if since is None else since.earliest
    ends = [d.latest for d in (until, known_at) if d is not None]
    last = min(ends) if ends else None
    found = []
    for event in timeline.events(include_corrected=True):
        target = event.corrects
        if target is None:
            continue
        day = event.recorded_on
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        corrected = timeline.event(target)
        involved = tuple(dict.fromkeys((*corrected.involved, *event.involved)))
        if actors is not None and not actors.intersection(involved):
            continue
        kind: Literal["supersession", "retraction"] = (
            "retraction" if isinstance(event, Retraction) else "supersession")
        found.append(Correction(recorded=day, kind=kind, event=event, corrected=corrected,
                                actors=involved))
    found.sort(key=lambda c: (c.recorded, c.event.id))
    return found


def build_changelog(
    timeline: Timeline,
    actors: str | Iterable[str] | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
) -> Changelog:
    """The changelog of `Timeline.changelog`."""
    start = None if since is None else Date.coerce(since)
    end = None if until is None else Date.coerce(until)
    known = None if known_at is None else Date.coerce(known_at)
    if isinstance(actors, str):
        chosen: tuple[str, ...] = (actors,)
    elif actors is not None:
        chosen = tuple(dict.fromkeys(actors))
    else:
        chosen = tuple(sorted({a for e in timeline.events(since=start, until=end,
                                                          known_at=known)
                               for a in e.involved}))
    for actor in chosen:
        timeline.registry.actor(actor)
    changes = [c for a in chosen for c in _actor_changes(timeline, a, start, end, known)]
    changes.sort(key=lambda c: (c.settled, chosen.index(c.actor)))
    corrections = _corrections(timeline, None if actors is None else set(chosen),
                               start, end, known)
    return Changelog(actors=chosen, since=start, until=end, known_at=known,
                     changes=tuple(changes), corrections=tuple(corrections),
                     registry=timeline.registry)


def group_changes(changes: Iterable[Change]) -> Mapping[tuple[Any, ...], list[Change]]:
    """Changes grouped by (settled day, date as given, actor), in order of first appearance."""
    groups: dict[tuple[Any, ...], list[Change]] = {}
    for change in changes:
        groups.setdefault((change.settled, str(change.date), change.actor), []).append(change)
    return groups
