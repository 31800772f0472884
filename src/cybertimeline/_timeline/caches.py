"""What a timeline derives from one version of its store's events: every cache, in one place.

The rule: whatever a timeline keeps that is derived from the events belongs to
the `Derived` of one version of the index, and nothing else keeps such a thing.
When the version moves (an append here, another writer's to a shared store, a
store read again), `Versions.current` drops the `Derived` whole and a new one
derives afresh, lazily. So no cached answer can be of an older version than the
index it is asked of. Every cache in it is bounded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from cybertimeline._model.registry import Instrument, Registry
from cybertimeline._model.written import Entries, Written, listed
from cybertimeline._projections.entries import SharedVoteEntries
from cybertimeline._projections.prefixes import PrefixPositions
from cybertimeline._stores.index import ActorWrites, Index, MemoryIndex
from cybertimeline._stores.lru import Lru
from cybertimeline._timeline.known import KnownSet
from cybertimeline._timeline.prepared import every_prefix
from cybertimeline.errors import UnknownEventError, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["PREFIX_CACHE_LIMIT", "Derived"]

PREFIX_CACHE_LIMIT = 64
"""How many (actor, known_at) pairs keep their positions at every prefix (about 100 bytes
per event of the actor's, for as long as they are kept)."""


class Derived:
    """The known set, the charts declared complete, the actors' positions at every prefix,
    their acts on charted instruments, vote entries and every event's words (text search),
    for one version of the events."""

    def __init__(self, index: Index, registry: Registry) -> None:
        self.version = index.version
        self._known: KnownSet | None = None
        with contextlib.suppress(ValidationError):  # raised again when an answer asks
            self._known = KnownSet(index.correctors())
        self.charted: tuple[Instrument, ...] = tuple(
            i for i in registry.instruments.values() if i.coverage)
        self._prefixes: Lru[tuple[str, dt.date | None], PrefixPositions] = Lru(
            PREFIX_CACHE_LIMIT)
        # Every actor's, known now, made at once on a store in memory (`_every_actor`).
        self._every: dict[str, PrefixPositions] | None = None
        self._lock = threading.Lock()
        self._index = index
        self._acts: dict[str, dict[str, list[Event]]] = {}
        self.votes = SharedVoteEntries(_Reader(index))
        self._words: dict[str, str] | None = None
        # The places of the dropped events among a section's entries, by the entries.
        self._dropped_places: dict[int, tuple[Entries, frozenset[int]]] = {}

    @property
    def known(self) -> KnownSet:
        """The known set of this version's corrections (made with the version; where its
        corrections cannot be read, the error is raised here, when an answer asks, so that
        the store still opens for `validate` to report them)."""
        found = self._known
        if found is None:
            found = self._known = KnownSet(self._index.correctors())
        return found

    def acts(self, instrument: str, actor: str) -> list[Event]:
        """The actor's stored acts on a charted instrument (corrected ones too)."""
        by_actor = self._acts.get(instrument)
        if by_actor is None:
            by_actor = self._acts[instrument] = {}
            for event in self._index.instrument_lane(instrument).events:
                by_actor.setdefault(getattr(event, "actor", ""), []).append(event)
        return by_actor.get(actor, [])

    def prefixes(self, actor: str, known_at: dt.date | None,
                 writes: Callable[[], ActorWrites]) -> PrefixPositions:
        """The actor's positions at every prefix of its writes (``writes()``, read only when
        they are not kept) known at ``known_at``: built once, then kept for the most
        recently asked pairs (or, known now on a store in memory, made with every actor's
        at once: `_every_actor`)."""
        key = (actor, known_at)
        found = self._prefixes.get(key)
        if found is None and known_at is None:
            found = self._every_actor(actor)
        if found is None:
            found = self._prefixes.put(key, self.build(actor, writes(), known_at))
        return found

    def _every_actor(self, actor: str) -> PrefixPositions | None:
        """The actor's positions at every prefix known now, made with every actor's at once
        (`every_prefix`) on a store held in memory, from the second actor asked: a single
        question (the command line) builds its one actor alone. None where they are not
        made (a store of rows, or one read as whole lanes)."""
        every = self._every
        if every is None:
            if not isinstance(self._index, MemoryIndex) or not len(self._prefixes):
                return None
            with self._lock:  # made once: threads may ask for two actors at once
                every = self._every
                if every is None:
                    every = self._every = every_prefix(self._index, self.known.dropped_now(),
                                                       self.votes)
        return every.get(actor)

    def build(self, actor: str, events: ActorWrites | Iterable[Event],
              known_at: dt.date | None = None) -> PrefixPositions:
        """The actor's positions at every prefix of ``events`` known at ``known_at``."""
        if not isinstance(events, ActorWrites):
            return PrefixPositions(actor, events, votes=self.votes)
        others, columns = events.others, events.columns
        if isinstance(self._index, MemoryIndex) and any(
                written.coded is not None for written in columns.values()):
            # Columns of every actor's ballots made from events held in memory: every
            # actor's votes made at once, for whole positions read one actor after another.
            # Not on a SQL store: there the matrix serves questions about many actors,
            # which read few entries of each (a count, a panel's cells), and every actor's
            # entries made at once cost more than the question (about 90 ms and 14 MB on
            # the UN record).
            for section in columns:
                self.votes.prepare(self._index.ballots(section))
        dropped = self.known.dropped_now() if known_at is None else None
        if dropped is not None and not self._reads_any(events, dropped):
            # No event it reads is dropped (the common case): no filter, and the lane's days.
            return PrefixPositions(actor, others.events, latest=others.latest, columns=columns,
                                   votes=self.votes, sections=events.sections)
        if dropped is not None and not self._columns_read_any(columns, dropped):
            # Only the actor's other events are corrected: its columns stand whole.
            kept = events.without(dropped)
            return PrefixPositions(actor, kept.others.events, latest=kept.others.latest,
                                   columns=columns, votes=self.votes, sections=kept.sections)
        keeps = self.known.keeps(known_at)
        return PrefixPositions(actor, filter(self.known.at(known_at), others.events),
                               columns={section: written.kept(keeps)
                                        for section, written in columns.items()},
                               votes=self.votes)

    def _reads_any(self, writes: ActorWrites, dropped: frozenset[str]) -> bool:
        """Whether an actor's position reads any of the events ``dropped`` (by id): its
        events, or the entries of its columnar writes. Read from what is held, not asked of
        the store."""
        if not dropped:
            return False
        return not dropped.isdisjoint(writes.others.ids()) or (
            self._columns_read_any(writes.columns, dropped))

    def _columns_read_any(self, columns: Mapping[str, Written], dropped: frozenset[str]
                          ) -> bool:
        """Whether an actor's columnar writes read any of the events ``dropped`` (by id):
        the places of the dropped among a section's entries found once for every actor."""
        for written in columns.values():
            entries = written.entries
            if len(written) == len(entries):  # the actor's own entries (its rows)
                if not dropped.isdisjoint(entries.ids):
                    return True
                continue
            held = self._dropped_places.get(id(entries))
            if held is None or held[0] is not entries:
                places = frozenset(p for p, i in enumerate(entries.ids) if i in dropped)
                held = self._dropped_places[id(entries)] = (entries, places)
            if held[1] and not held[1].isdisjoint(listed(written.ranks)):
                return True
        return False

    def words(self) -> Mapping[str, str]:
        """Each stored event's `words_of` (corrected ones too), by id: made once."""
        from cybertimeline._timeline.search import words_of

        if self._words is None:
            self._words = {e.id: words_of(e) for e in self._index.lane().events}
        return self._words



class _Reader:
    """Reads the stored events that positions' entries name, one or many at once: through
    the store's index while it is open, else from the store opened afresh. It keeps no
    index alive: a position handed out outlives its timeline, as any value does."""

    __slots__ = ("_detached", "_index")

    def __init__(self, index: Index) -> None:
        self._index = weakref.ref(index)
        detached = getattr(index, "detached_reader", None)
        self._detached: Callable[[list[str]], dict[str, Event]] | None = (
            None if detached is None else detached())

    def __call__(self, event_id: str) -> Event:
        """The stored event ``event_id``."""
        return self.many([event_id])[event_id]

    def many(self, event_ids: list[str]) -> dict[str, Event]:
        """The stored events of these ids, by id, read at once.

        Raises:
            UnknownEventError: one is no longer stored.
        """
        index = self._index()
        if index is not None and not getattr(index, "closed", False):
            found = index.get_many(event_ids)
        elif self._detached is not None:
            found = self._detached(event_ids)
        else:
            raise UnknownEventError("the store these positions were read from is closed")
        missing = [i for i in event_ids if i not in found]
        if missing:
            raise UnknownEventError(f"no event with id {missing[0]!r}: the store changed "
                                    f"since the position was answered")
        return found
