"""Changelogs: what changed in actors' positions, day by day, and where the record was corrected.

A changelog is a diff of positions (DESIGN.md, rule 6). A position is seen as
flat *facts*, one value per path (:func:`position_facts`):

* ``treaties.<instrument>.<field>`` for ``status``, ``signed``, ``consented``,
  ``consent``, ``in_force`` and ``withdrawn``: text;
* ``votes.<resolution>``, ``stances.<topic>``, ``memberships.<group>`` and
  ``members.<actor>``: the entry of :meth:`Position.to_dict` without its event id;
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

from ._dates import Date
from ._events import CONSENT_KINDS, Event, Retraction
from ._index import canonical_key
from ._position import Position, PositionProjection
from ._registry import Registry
from ._sources import Source

if TYPE_CHECKING:
    from ._timeline import DateLike, Timeline

__all__ = ["Change", "Changelog", "Correction", "diff_positions", "position_facts"]

TREATY_FIELDS = ("status", "signed", "consented", "consent", "in_force", "withdrawn")
KEYED_SECTIONS = ("votes", "stances", "memberships", "members")
LISTED_SECTIONS = ("cooperation", "sessions", "adoptions", "legislation")
SECTIONS = ("treaties", *KEYED_SECTIONS, *LISTED_SECTIONS)

_Key = tuple[str, str, str | None]  # section, key, field (treaties only)
_Facts = dict[_Key, tuple[Any, frozenset[str]]]  # value, and the ids of the events behind it


def _path(key: _Key) -> str:
    return ".".join(part for part in key if part is not None)


def _flatten(position: Position) -> _Facts:
    """The facts of a position, each with the ids of the events it rests on."""
    data = position.to_dict()
    facts: _Facts = {}
    for instrument, treaty in data["treaties"].items():
        ids = frozenset(treaty["events"])
        for name in TREATY_FIELDS:
            if treaty[name] is not None:
                facts["treaties", instrument, name] = (treaty[name], ids)
    for section in KEYED_SECTIONS:
        for key, entry in data[section].items():
            value = {k: v for k, v in entry.items() if k != "event"}
            facts[section, key, None] = (value, frozenset({entry["event"]}))
    for section in LISTED_SECTIONS:
        for entry in data[section]:
            value = {k: v for k, v in entry.items() if k != "event"}
            facts[section, entry["event"], None] = (value, frozenset({entry["event"]}))
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

    @property
    def path(self) -> str:
        """Where it is: ``treaties.budapest-convention.status``, ``votes.A/RES/74/247``..."""
        return _path((self.section, self.key, self.field))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the events behind the change, each once."""
        return tuple(dict.fromkeys(s for e in self.events for s in e.sources))

    def to_dict(self) -> dict[str, Any]:
        """``{"actor", "path", "before", "after", "date", "settled", "events", "sources"}``."""
        return {
            "actor": self.actor,
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "date": None if self.date is None else str(self.date),
            "settled": None if self.settled is None else self.settled.isoformat(),
            "events": [e.id for e in self.events],
            "sources": [source_dict(s) for s in self.sources],
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
            "sources": [source_dict(s) for s in self.sources],
        }


def source_dict(source: Source) -> dict[str, Any]:
    """A source as JSON: its fields, None where absent."""
    return {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": None if source.published is None else str(source.published),
        "locator": source.locator,
        "quote": source.quote,
    }


@attrs.frozen(kw_only=True)
class Changelog:
    """Changes to actors' positions between two dates, and the corrections recorded meanwhile.

    Build one with :meth:`Timeline.changelog`. ``changes`` are in the order
    they happened (by day, then actor, then path); ``corrections`` by the day
    they were recorded. Render with :meth:`to_markdown` or :meth:`to_dict`.
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
        """The facts of ``start`` (see :func:`position_facts`) with this changelog's changes
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
        return _render_markdown(self)


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
        changes.append(Change(
            actor=after.actor, section=key[0], key=key[1], field=key[2], before=old_value,
            after=new_value, settled=None if last is None else last.date.latest,
            date=None if last is None else last.date, events=events,
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
        day_start = facts
        behind: dict[_Key, list[Event]] = {}
        for event in group:
            state = projection.apply(state, event)
            new = _flatten(state)
            for key in _differences(facts, new):
                behind.setdefault(key, []).append(event)
            facts = new
        for key in _differences(day_start, facts):
            found = tuple(behind[key])
            changes.append(Change(
                actor=actor, section=key[0], key=key[1], field=key[2],
                before=day_start.get(key, (None,))[0], after=facts.get(key, (None,))[0],
                settled=day, date=found[-1].date, events=found,
            ))
    return changes


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
    """The changelog of :meth:`Timeline.changelog`."""
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


# -- words ---------------------------------------------------------------------------------

_CONSENT_VERBS = {"signature": "signed", "ratification": "ratified", "accession": "acceded to",
                  "acceptance": "accepted", "approval": "approved", "withdrawal": "withdrew from"}
_VOTE_VERBS = {"yes": "Voted yes on", "no": "Voted no on", "abstain": "Abstained on",
               "absent": "Was absent from the vote on"}
_STANCE_WORDS = {"supports": ("Stated support for", "Restated support for"),
                 "opposes": ("Stated opposition to", "Restated opposition to"),
                 "neutral": ("Took a neutral stance on", "Again took a neutral stance on"),
                 "mixed": ("Took a mixed stance on", "Again took a mixed stance on")}
_SESSION_WORDS = {"scheduled": "was scheduled", "held": "was held", "postponed": "was postponed",
                  "cancelled": "was cancelled"}


_NOUNS = ("process", "convention", "treaty", "committee", "group", "resolution")


class Words:
    """Names of actors, instruments and topics as a report writes them."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def actor(self, actor: str) -> str:
        """``Canada (CAN)``, ``the European Union (EU)``."""
        found = self.registry.actors.get(actor)
        if found is None:
            return actor
        return f"{found.name} ({actor})" if found.type == "state" else f"the {found.name} ({actor})"

    def heading(self, actor: str) -> str:
        """``Canada (CAN)``, ``European Union (EU)``: an actor's name for a heading."""
        return f"{self.registry.name(actor)} ({actor})"

    def instrument(self, instrument: str) -> str:
        """``the Convention on Cybercrime (ETS No. 185; Budapest Convention)``, or a UN symbol."""
        found = self.registry.instruments.get(instrument)
        if found is None:
            return instrument
        if found.short and found.title.endswith(")"):
            return f"the {found.title[:-1]}; {found.short})"
        return f"the {found.label}"

    def topic(self, topic: str) -> str:
        """An instrument's name, or a topic slug in words (``un-cybercrime-treaty``: the UN
        cybercrime treaty)."""
        if topic in self.registry.instruments:
            return self.instrument(topic)
        words = []
        for word in topic.split("-"):
            known = self.registry.actors.get(word.upper())
            upper = word.upper() in ("UN", "ICT", "ICTS") or (known and known.type != "state")
            words.append(word.upper() if upper else word)
        return "the " + " ".join(words) if words[-1] in _NOUNS else \
            " ".join(words)

    def tally(self, tally: Mapping[str, int] | None) -> str:
        if not tally:
            return ""
        return (f" by a recorded vote of {tally['yes']} to {tally['no']}, "
                f"with {tally['abstain']} abstentions")


def _status_note(changes: Mapping[str | None, Change]) -> str:
    status = changes.get("status")
    if status is None:
        return ""
    if status.before is None:
        return f"; status: {status.after}"
    if status.after is None:
        return f"; no status (was {status.before})"
    return f"; status: {status.before} → {status.after}"


def treaty_sentences(changes: list[Change], words: Words) -> list[str]:
    """Sentences for the changes to one treaty on one day."""
    by_field = {c.field: c for c in changes}
    events = tuple(dict.fromkeys(e for c in changes for e in c.events))
    label = words.instrument(changes[0].key)
    verbs = list(dict.fromkeys(_CONSENT_VERBS[e.kind] for e in events
                               if e.kind in _CONSENT_VERBS))
    sentences = []
    if verbs:
        text = " and ".join(verbs)
        sentences.append(f"{text[0].upper()}{text[1:]} {label}")
    if any(e.kind == "entry_into_force" for e in events):
        name = words.registry.name(changes[0].actor)
        sentences.append(f"{label[0].upper()}{label[1:]} entered into force for {name}")
    if not sentences:
        sentences = [f"Record of {label} revised"]
    sentences[-1] += _status_note(by_field)
    return sentences


def sentence(change: Change, words: Words) -> str:
    """A plain sentence for one change (not a treaty's: see :func:`treaty_sentences`)."""
    before, after = change.before or {}, change.after or {}
    last = change.events[-1] if change.events else None
    key = change.key
    match change.section:
        case "votes" if after:
            text = f"{_VOTE_VERBS.get(after['option'], 'Voted on')} {key}"
            text += f" in {words.actor(after['body'])}" if after.get("body") else ""
            if before and before.get("option") != after["option"]:
                text += f" (previously: {before['option']})"
            return text
        case "stances" if after:
            first, again = _STANCE_WORDS.get(after["stance"], ("Stated a stance on",) * 2)
            restated = bool(before) and before.get("stance") == after["stance"]
            text = f"{again if restated else first} {words.topic(key)}"
            if before and not restated:
                text += f" (previously: {before['stance']})"
            venue = getattr(last, "venue", None)
            text += f" — {venue}" if venue else ""
            return text + (f": “{after['quote']}”" if after.get("quote") else "")
        case "memberships":
            group = words.actor(key)
            if not after:
                return f"Left {group}"
            role = after.get("role")
            if before:
                return f"Became {role} of {group}"
            return f"Joined {group}" + (f" as {role}" if role and role != "member" else "")
        case "members":
            member = words.actor(key)
            if not after:
                return f"{member[0].upper()}{member[1:]} left"
            role = after.get("role")
            return f"{member[0].upper()}{member[1:]} joined" + (
                f" as {role}" if role and role != "member" else "")
        case "cooperation" if after:
            partners = ", ".join(words.actor(a) for a in after.get("with", ()))
            return f"Began cooperating with {partners}: {after['form']}"
        case "sessions" if after:
            what = after.get("title") or "A session"
            text = f"{what} {_SESSION_WORDS.get(after['status'], after['status'])}"
            if after["status"] == "scheduled":
                text += f" for {after['date']}"
            return text + (f", {after['location']}" if after.get("location") else "")
        case "adoptions" if after:
            what = " / ".join(part for part in (
                after.get("resolution"),
                words.instrument(after["instrument"]) if after.get("instrument") else None)
                if part)
            return f"Adopted {what}{words.tally(after.get('tally'))}"
        case "legislation" if after:
            return f"Legislation: {after['title']}"
    return f"{change.path}: {brief(before or None)} → {brief(after or None)}"


def brief(value: Any, width: int = 48) -> str:
    """A value of a fact in a few words: ``no (2019-12-27)``, ``supports (2019-07)``."""
    if value is None:
        return "—"
    if not isinstance(value, Mapping):
        return str(value)
    head = str(next((value[k] for k in ("option", "stance", "role", "status", "title", "form",
                                        "resolution") if value.get(k)), ""))
    head = head if len(head) <= width else head[:width - 1] + "…"
    when = next((value[k] for k in ("date", "since") if value.get(k)), None)
    return f"{head} ({when})" if when else str(head)


def describe(changes: Iterable[Change], words: Words) -> list[tuple[str, tuple[Change, ...]]]:
    """Sentences for changes of one actor, each with the changes it stands for."""
    changes = list(changes)
    treaties: dict[str, list[Change]] = {}
    described: list[tuple[str, tuple[Change, ...]]] = []
    for change in changes:
        if change.section == "treaties":
            if change.key not in treaties:
                treaties[change.key] = []
                described.append((f"treaty:{change.key}", ()))
            treaties[change.key].append(change)
        else:
            described.append((sentence(change, words), (change,)))
    result = []
    for text, behind in described:
        if text.startswith("treaty:"):
            group = treaties[text.removeprefix("treaty:")]
            result += [(line, tuple(group)) for line in treaty_sentences(group, words)]
        else:
            result.append((text, behind))
    return result


class Citations:
    """Sources numbered in order of first citation; one number per document."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._sources: list[Source] = []

    def cite(self, sources: Iterable[Source]) -> str:
        """``[1][2]`` for these sources, numbering new documents."""
        numbers = []
        for source in sources:
            document = (source.title, source.publisher, source.url)
            if document not in self._numbers:
                self._numbers[document] = len(self._sources) + 1
                self._sources.append(source)
            numbers.append(self._numbers[document])
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    def __bool__(self) -> bool:
        return bool(self._sources)

    def lines(self, markdown: bool = True) -> list[str]:
        """One line per source: ``[1] Publisher. Title (published). <url>``."""
        result = []
        for number, source in enumerate(self._sources, start=1):
            title = f"*{source.title}*" if markdown else source.title
            parts = [p for p in (source.publisher, title) if p]
            text = ". ".join(parts)
            text += f" ({source.published})" if source.published else ""
            text += f". <{source.url}>" if source.url else ""
            result.append(f"[{number}] {text}")
        return result


def _period(log: Changelog) -> str:
    since = f"from {log.since}" if log.since else "from the start of the record"
    until = f"to {log.until}" if log.until else "to its end"
    known = f", as the record stood on {log.known_at}" if log.known_at else ""
    return f"{since} {until}{known}"


def _corrected_text(event: Event) -> str:
    return f"“{event.summary.rstrip('.')}”" if event.summary else f"event {event.id}"


def _render_markdown(log: Changelog) -> str:
    words = Words(log.registry)
    cites = Citations()
    if len(log.actors) <= 3:
        who = ", ".join(words.heading(a) for a in log.actors)
    else:
        who = f"{len(log.actors)} actors"
    lines = [f"# Changelog: {who}", "",
             f"Changes to positions {_period(log)}, newest first. Each change is dated by "
             f"the day it took effect, as precisely as the record knows it, and cites "
             f"its sources.", ""]
    groups = group_changes(log.changes)
    dates: dict[tuple[Any, ...], list[tuple[str, list[Change]]]] = {}
    for (settled, given, actor), changes in groups.items():
        dates.setdefault((settled, given), []).append((actor, changes))
    if not dates:
        lines += ["No changes to positions in this period.", ""]
    ordered = sorted(dates.items(),
                     key=lambda item: (item[0][0], Date.parse(item[0][1]).earliest),
                     reverse=True)
    for (_settled, given), actors in ordered:
        lines += [f"## {given}", ""]
        for actor, changes in actors:
            lines += [f"### {words.heading(actor)}", ""]
            for text, behind in describe(changes, words):
                sources = [s for c in behind for s in c.sources]
                lines.append(f"- {text}. {cites.cite(sources)}".rstrip())
            lines.append("")
    if log.corrections:
        lines += ["## Corrections to the record", ""]
        for fix in reversed(log.corrections):
            old = _corrected_text(fix.corrected)
            if fix.kind == "retraction":
                text = f"{old} ({fix.corrected.date}) was retracted: {fix.reason}"
            else:
                text = (f"{old} ({fix.corrected.date}) was superseded by "
                        f"{_corrected_text(fix.event)} ({fix.event.date})")
            lines.append(f"- {fix.recorded.isoformat()}: {text.rstrip('.')}. "
                         f"{cites.cite(fix.sources)}".rstrip())
        lines.append("")
    if cites:
        lines += ["## Sources", ""]
        lines += [f"- {line}" for line in cites.lines()]
        lines.append("")
    return "\n".join(lines)
