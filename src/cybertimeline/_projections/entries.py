"""The entries of a position other than treaties: each a view of one event from one actor.

Each entry type builds itself from an event and an actor (``of``) and says
what it is as JSON (``to_dict``, with the id of its event).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import orjson

from cybertimeline._model.collection import collector_paused
from cybertimeline._model.dates import Date
from cybertimeline._model.sources import Source, sources_of_json, sources_of_many
from cybertimeline._model.written import Cited, Entries, Written, pick
from cybertimeline.errors import ValidationError

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.ballots import Ballots
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
    "read_events",
    "read_sources",
]


def read_events(entries: Iterable[object]) -> None:
    """Have the vote entries among ``entries`` that have not read their event yet read them
    all at once (their reader's ``many``: one query, not one per entry), before a text or
    the sources of a position need every one."""
    from cybertimeline._model.events import Vote

    waiting: dict[int, tuple[Any, dict[str, list[VoteEntry]]]] = {}
    for entry in entries:
        if isinstance(entry, VoteEntry) and entry._found is None:
            many = getattr(entry._load, "many", None)
            if many is not None:
                waiting.setdefault(id(entry._load), (many, {}))[1].setdefault(
                    entry.event_id, []).append(entry)
    for many, by_id in waiting.values():
        for event_id, event in many(list(by_id)).items():
            if isinstance(event, Vote):  # else `event` says what is wrong, when asked
                for entry in by_id.get(event_id, ()):
                    object.__setattr__(entry, "_found", event)


def read_sources(entries: Iterable[object]) -> None:
    """Have the vote entries among ``entries`` whose sources are still stored text (or
    still in the store) read them all at once, before a text or a table cites every one."""
    waiting = [entry for entry in entries
               if isinstance(entry, VoteEntry) and isinstance(entry._sources, (str, Cited))]
    texts = Cited.texts([cast("str | Cited", entry._sources) for entry in waiting])
    try:
        read = sources_of_many(texts)
    except (ValueError, TypeError):  # name the one that cannot be read
        read = [_read_sources(entry.event_id, text) for entry, text in zip(waiting, texts,
                                                                         strict=True)]
    for entry, found in zip(waiting, read, strict=True):
        object.__setattr__(entry, "_sources", found)


def _text(sources: str | Cited) -> str:
    return sources if isinstance(sources, str) else sources.text()


def _vote_entry(fields: dict[str, Any]) -> VoteEntry:
    return VoteEntry(**fields)


@attrs.frozen(kw_only=True, eq=False, repr=False, slots=False)  # `_stored_entry` sets its dict
class VoteEntry:
    """How the actor voted on one resolution.

    ``event`` is the roll call. A position read from a store's rows holds only its id
    (``event_id``) and reads the event the first time ``event`` is asked for (its
    sources, say); the answer is the same either way. Two entries are equal when they
    say the same of the same event.
    """

    resolution: str
    option: str
    body: str
    date: Date
    _found: Vote | None = attrs.field(default=None, alias="event")
    event_id: str = attrs.field(default=attrs.Factory(
        lambda self: "" if self._found is None else self._found.id, takes_self=True))
    title: str | None = attrs.field(default=attrs.Factory(
        lambda self: None if self._found is None else self._found.title, takes_self=True))
    """The resolution's title, where the roll call gives one."""
    # The roll call's sources: None to read them from the event, their stored JSON text
    # (or where the store keeps it: `Cited`) until first read.
    _sources: tuple[Source, ...] | str | Cited | None = attrs.field(default=None,
                                                                    alias="sources")
    _load: Callable[[str], Any] | None = attrs.field(default=None, alias="load")
    _dict: dict[str, Any] | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        if self._found is None and (self._load is None or not self.event_id):
            raise TypeError("a VoteEntry needs its event, or its event_id and a load")

    @property
    def event(self) -> Vote:
        """The roll call the entry rests on (read from the store at the first ask)."""
        from cybertimeline._model.events import Vote

        found = self._found
        if found is None:
            assert self._load is not None
            found = self._load(self.event_id)
            if not isinstance(found, Vote):  # the store's rows were changed by hand
                raise ValidationError([
                    f"the stored ballots name event {self.event_id!r}, which is a "
                    f"{found.kind}, not a vote: run `cybertimeline validate` on the store"])
            object.__setattr__(self, "_found", found)
        assert isinstance(found, Vote)
        return found

    @property
    def sources(self) -> tuple[Source, ...]:
        """The roll call's sources (without reading it, where the store keeps them)."""
        held = self._sources
        if held is None:
            return self.event.sources
        if isinstance(held, (str, Cited)):
            held = _read_sources(self.event_id, _text(held))
            object.__setattr__(self, "_sources", held)
        return held

    def _fields(self) -> tuple[str, str, str, Date, str, str | None]:
        return (self.resolution, self.option, self.body, self.date, self.event_id, self.title)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VoteEntry):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"VoteEntry(resolution={self.resolution!r}, option={self.option!r}, "
                f"body={self.body!r}, date={self.date!r}, event={self.event_id!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its event, read now: a store's connection does not travel.
        return (_vote_entry, ({"resolution": self.resolution, "option": self.option,
                               "body": self.body, "date": self.date, "event": self.event},))

    def to_dict(self) -> dict[str, Any]:
        made = self._dict
        if made is None:  # kept: an entry is shared by every actor that voted so
            made = _vote_dict(self.option, self.body, str(self.date), self.title,
                              self.event_id)
            object.__setattr__(self, "_dict", made)
        return dict(made)

    @classmethod
    def of(cls, event: Vote, actor: str) -> VoteEntry:
        """``actor``'s vote in ``event``."""
        return cls(resolution=event.resolution, option=event.votes[actor], body=event.body,
                   date=event.date, event=event)


class SharedVoteEntries:
    """Vote entries shared between actors: an entry names the event and the option, not
    the voter, so one is made per event and option, for every actor that voted so.

    Entries are immutable, so sharing one is the same as making it again; a
    timeline keeps one of these per version of its events. Entries made from stored
    writes (`written`) read their event through ``load`` when asked for it.
    """

    __slots__ = ("_columns", "_dates", "_load", "_made", "_table")

    def __init__(self, load: Callable[[str], Any] | None = None) -> None:
        self._made: dict[tuple[str, str | None], VoteEntry] = {}
        self._dates: dict[str, tuple[Date, str]] = {}
        self._load = load
        self._table: _Table | None = None
        # Each actor's keys and entries of every actor's ballots, made at once (`prepare`).
        self._columns: tuple[Entries, dict[str, tuple[list[str], list[VoteEntry]]]] | None = None

    def of(self, event: Vote, actor: str) -> VoteEntry:
        """``actor``'s vote in ``event``, as `VoteEntry.of` makes it."""
        key = (event.id, event.votes[actor])
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = VoteEntry.of(event, actor)
        return found

    def written(self, event_id: str, date: str, resolution: str, option: str,
                detail: str, sources: str | Cited) -> VoteEntry:
        """The entry of a stored write: a vote of ``option`` in the roll call ``event_id``
        (``detail``: its `Write` detail, ``[body, title]`` as JSON; ``sources``: the roll
        call's, as `sources_json` writes them)."""
        return self.all_written([event_id], [date], [resolution], [option], [detail],
                                [sources])[0]

    def all_written(self, ids: Sequence[str], dates: Sequence[str], resolutions: Sequence[str],
                    options: Sequence[str | None], details: Sequence[str | None],
                    sources: Sequence[str | Cited]) -> list[VoteEntry]:
        """`written` for each of many stored writes (a position's votes, made at once)."""
        made = self._made
        keys = list(zip(ids, options, strict=True))
        missing = [place for place, key in enumerate(keys) if key not in made]
        if missing:
            picked = pick(keys, missing)
            if self._load is None or None in set(map(operator.itemgetter(1), picked)) or not all(
                    map(operator.itemgetter(0), picked)):  # a store checks both are there
                raise TypeError("a VoteEntry needs its event, or its event_id and a load")
            read = _read_details(pick(ids, missing), pick(details, missing))
            texts = pick(dates, missing)
            days = {text: self._date(text) for text in set(texts)}
            made.update(zip(picked, map(
                _stored_entry, picked, pick(resolutions, missing), read,
                map(days.__getitem__, texts), pick(sources, missing),
                itertools.repeat(self._load)), strict=True))
        return [made[key] for key in keys]

    @collector_paused()  # a dict per vote, none in a cycle: a state's thousands at once
    def all_json(self, ids: Sequence[str], dates: Sequence[str],
                 options: Sequence[str | None], details: Sequence[str | None]
                 ) -> list[dict[str, Any]]:
        """What `VoteEntry.to_dict` reads for each of many stored writes, without making
        their entries (a position's votes as JSON, from its stored columns)."""
        if None in set(options):  # a store checks every vote's write has its option
            raise TypeError("a stored vote without its option")
        if not ids:
            return []
        texts = {text: self._date(text)[1] for text in set(dates)}
        bodies, titles = _detail_columns(ids, details)
        return _vote_dicts(options, bodies, list(map(texts.__getitem__, dates)), titles, ids)

    def coded(self, written: Written, places: Sequence[int]) -> list[VoteEntry]:
        """`all_written` of the writes at ``places`` of a column of every actor's ballots
        (`Written.coded`, from `Ballots.written`): each entry looked up in a table by its
        entry's place and its code, those not made yet made (at the speed of C: a whole
        position's votes, when another actor's made most of them)."""
        import numpy as np

        coded = written.coded
        assert coded is not None
        codes, meaning = coded
        table = self._table
        if table is None or table.entries is not written.entries or table.meaning is not meaning:
            table = _Table(written.entries, meaning)
            # Every entry and option at once (a few per roll call): then no actor's
            # position makes any.
            self._fill(table, np.flatnonzero(np.tile(
                [value is not None for value in meaning], len(written.entries))))
            self._table = table
        at = (np.arange(places.start, places.stop) if isinstance(places, range)
              else np.asarray(places, dtype=np.intp))
        cells = np.asarray(written.ranks)[at].astype(np.intp) * len(meaning) + codes[at]
        if None in meaning[1:]:  # a cell of an option of None: `all_written` says what is wrong
            missing = np.unique(cells[~table.made[cells]])
            if missing.size:
                self._fill(table, missing)
        return pick(table.cells, cells.tolist())

    @collector_paused()
    def prepare(self, ballots: Ballots) -> None:
        """Make every actor's keys and entries of ``ballots`` at once, where each of its
        keys is written once (`column`): an actor's first position then reads lists made
        already. Done once per matrix (a few milliseconds per hundred actors)."""
        held = self._columns
        if held is not None and held[0] is ballots.entries:
            return
        counts, key_ids = ballots.entries.key_counts(), ballots.entries.key_ids()
        made: dict[str, tuple[list[str], list[VoteEntry]]] = {}
        for actor in ballots.actors:
            written = ballots.written(actor)
            ranks = written.ranks
            if len(ranks) and counts[key_ids[ranks]].max() > 1:
                continue  # a key that may be written again: read as its writes are
            made[actor] = (written.keys, self.coded(written, range(len(written))))
        self._columns = (ballots.entries, made)

    def column(self, actor: str, written: Written) -> tuple[list[str], list[VoteEntry]] | None:
        """The actor's keys and entries made by `prepare`, if ``written`` is the actor's
        column of the ballots prepared (each key written once); else None."""
        held = self._columns
        if held is None or written.coded is None or held[0] is not written.entries:
            return None
        found = held[1].get(actor)
        return found if found is not None and len(found[0]) == len(written) else None

    def _fill(self, table: _Table, cells: npt.NDArray[Any]) -> None:
        """Make the entries of ``cells`` of ``table``."""
        import numpy as np

        ranks, values = np.divmod(cells, len(table.meaning))
        entries, rank_list = table.entries, ranks.tolist()
        made = self.all_written(
            pick(entries.ids, rank_list), pick(entries.dates, rank_list),
            pick(entries.keys, rank_list), pick(table.meaning, values.tolist()),
            pick(entries.details, rank_list), entries.sources_of(rank_list))
        held = table.cells
        for cell, entry in zip(cells.tolist(), made, strict=True):
            held[cell] = entry
        table.made[cells] = True  # last: a thread that sees it reads the entry

    def _date(self, text: str) -> tuple[Date, str]:
        """The date of an EDTF text, and that date as text (as `VoteEntry.to_dict` shows
        it), each made once."""
        found = self._dates.get(text)
        if found is None:
            date = Date.parse(text)
            found = self._dates[text] = (date, str(date))
        return found


def _vote_dicts(options: Sequence[str | None], bodies: Sequence[str], dates: Sequence[str],
                titles: Sequence[str | None], ids: Sequence[str]) -> list[dict[str, Any]]:
    """Votes as JSON (`VoteEntry.to_dict`), dates as text, by columns."""
    return [{"option": option, "body": body, "date": date, "title": title, "event": event_id}
            for option, body, date, title, event_id in zip(options, bodies, dates, titles, ids,
                                                            strict=True)]


def _vote_dict(option: str | None, body: str, date: str, title: str | None, event_id: str
               ) -> dict[str, Any]:
    """A vote as JSON (`VoteEntry.to_dict`), ``date`` as text."""
    return _vote_dicts([option], [body], [date], [title], [event_id])[0]

class _Table:
    """The vote entries of every actor's ballots (`Ballots`), by cell: an entry's place
    times the number of codes, plus the code of its option (`meaning`: what each means)."""

    __slots__ = ("cells", "entries", "made", "meaning")

    def __init__(self, entries: Entries, meaning: Sequence[str | None]) -> None:
        import numpy as np

        self.entries = entries
        self.meaning = meaning
        size = len(entries) * len(meaning)
        self.cells: list[VoteEntry | None] = [None] * size
        self.made = np.zeros(size, dtype=bool)


_new_entry = object.__new__
_set = object.__setattr__


def _stored_entry(key: tuple[str, str], resolution: str, detail: tuple[str, str | None],
                  date: tuple[Date, str], sources: str | Cited, load: Callable[[str], Any]
                  ) -> VoteEntry:
    """A `VoteEntry` of a stored write (``key``: its event's id and its option), made
    without its ``__init__``: the store's rows were checked when appended (and by
    ``validate``), and what is read of them was checked as read (`Entries.of_columns`,
    `_read_details`), so its checks would hold; this is the cost of a position's votes.
    Its `VoteEntry.to_dict` is made with it (``date``: the date and its text)."""
    event_id, option = key
    body, title = detail
    entry = _new_entry(VoteEntry)
    _set(entry, "__dict__", {
        "resolution": resolution, "option": option, "body": body, "date": date[0],
        "_found": None, "event_id": event_id, "title": title, "_sources": sources,
        "_load": load, "_dict": _vote_dict(option, body, date[1], title, event_id)})
    return entry


def _read_sources(event_id: str, text: str) -> tuple[Source, ...]:
    try:
        return sources_of_json(text)
    except (ValueError, TypeError):  # the store was changed by something else
        raise _unreadable(event_id, "sources", text) from None


def _unreadable(event_id: str, what: str, text: object) -> ValidationError:
    return ValidationError([
        f"the stored {what} of the roll call {event_id!r} cannot be read ({what}: "
        f"{str(text)[:80]!r}): run `cybertimeline validate` on the store"])


def _read_details(ids: Sequence[str], details: Sequence[str | None]
                  ) -> list[tuple[str, str | None]]:
    """The ``[body, title]`` of each detail; a detail that is not such a pair is reported
    with its event."""
    bodies, titles = _detail_columns(ids, details)
    return list(zip(bodies, titles, strict=True))


def _detail_columns(ids: Sequence[str], details: Sequence[str | None]
                    ) -> tuple[Sequence[str], Sequence[str | None]]:
    """`_read_details` as two columns: the bodies and the titles."""
    read = _pairs(details)
    if read is not None:
        return read
    for event_id, detail in zip(ids, details, strict=True):  # find the one to name
        if _pair(detail) is None:
            raise _unreadable(event_id, "detail", detail)
    raise _unreadable(ids[0], "details", details[0])  # pragma: no cover - found above


def _is_pair(pair: Any) -> bool:
    return (type(pair) is list and len(pair) == 2 and type(pair[0]) is str
            and (pair[1] is None or type(pair[1]) is str))


def _pairs(details: Sequence[str | None]
           ) -> tuple[Sequence[str], Sequence[str | None]] | None:
    """Every detail read as a ``[body, title]`` pair, as two columns (the bodies and the
    titles), or None if any is not one."""
    try:  # each alone: joined, two changed details could complete each other
        read = list(map(orjson.loads, details))  # type: ignore[arg-type]
    except (orjson.JSONDecodeError, TypeError):
        return None
    # Checked by the sets of their types and lengths: at the speed of C.
    if not read or set(map(type, read)) != {list} or set(map(len, read)) != {2}:
        return None if read else ([], [])
    bodies, titles = zip(*read, strict=True)
    if set(map(type, bodies)) != {str} or not set(map(type, titles)) <= {str, type(None)}:
        return None
    return bodies, titles


def _pair(detail: str | None) -> tuple[str, str | None] | None:
    """One detail read as a ``[body, title]`` pair, or None."""
    try:
        found = orjson.loads(detail or "")
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return None
    return (found[0], found[1]) if _is_pair(found) else None


@attrs.frozen(kw_only=True)
class StanceEntry:
    """The actor's latest stance on one topic."""

    topic: str
    stance: str
    date: Date
    quote: str | None
    event: Statement

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

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

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

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

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

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

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

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

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

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

    @property
    def event_id(self) -> str:
        """The id of the event the entry rests on."""
        return self.event.id

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "date": str(self.date), "event": self.event.id}

    @classmethod
    def of(cls, event: Legislation, actor: str) -> LegislationEntry:
        """The law ``event`` records."""
        return cls(title=event.title, date=event.date, event=event)


Entry = (VoteEntry | StanceEntry | MembershipEntry | CooperationEntry | SessionEntry
         | AdoptionEntry | LegislationEntry)
"""Any entry of a position but a treaty's."""
