"""What a timeline derives from one version of its store's events: every cache, in one place.

A `Derived` belongs to one version of the index; when the version moves (an
append here, or another writer's to a shared store), the timeline drops it
whole and derives afresh. Every cache in it is bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cybertimeline._model.events import Event
from cybertimeline._model.registry import Instrument, Registry
from cybertimeline._projections.prefixes import PrefixPositions
from cybertimeline._stores.index import Index
from cybertimeline._stores.lru import Lru
from cybertimeline._timeline.known import KnownSet

__all__ = ["PREFIX_CACHE_LIMIT", "Derived"]

PREFIX_CACHE_LIMIT = 64
"""How many (actor, known_at) pairs keep their positions at every prefix (about 100 bytes
per event of the actor's, for as long as they are kept)."""


class Derived:
    """The known set, the charts declared complete and the actors' positions at every prefix,
    for one version of the events."""

    def __init__(self, index: Index, registry: Registry) -> None:
        self.version = index.version
        self.known = KnownSet(index.correctors())
        self.charted: tuple[Instrument, ...] = tuple(
            i for i in registry.instruments.values() if i.coverage)
        self._prefixes: Lru[tuple[str, dt.date | None], PrefixPositions] = Lru(
            PREFIX_CACHE_LIMIT)
        self._index = index
        self._acts: dict[str, dict[str, list[Event]]] = {}

    def acts(self, instrument: str, actor: str) -> list[Event]:
        """The actor's stored acts on a charted instrument (corrected ones too)."""
        by_actor = self._acts.get(instrument)
        if by_actor is None:
            by_actor = self._acts[instrument] = {}
            for event in self._index.instrument_lane(instrument).events:
                by_actor.setdefault(getattr(event, "actor", ""), []).append(event)
        return by_actor.get(actor, [])

    def prefixes(self, actor: str, known_at: dt.date | None,
                 build: Callable[[], PrefixPositions]) -> PrefixPositions:
        """The actor's positions at every prefix of its events known at ``known_at``: built
        by ``build`` once, then kept for the most recently asked pairs."""
        key = (actor, known_at)
        found = self._prefixes.get(key)
        return found if found is not None else self._prefixes.put(key, build())
