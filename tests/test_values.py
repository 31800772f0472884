"""Events, positions and registries are values: hashable, and they pickle (for multiprocessing)."""

from __future__ import annotations

import pickle
from typing import Any

from hypothesis import given

import cybertimeline as ct
from tests import strategies as s


@given(s.events())
def test_every_event_pickles_to_an_equal_event_with_the_same_hash(event: Any) -> None:
    """An event survives pickling unchanged: multiprocessing and joblib can ship it."""
    again = pickle.loads(pickle.dumps(event))
    assert again == event
    assert hash(again) == hash(event)


def test_a_position_pickles_and_hashes_like_an_equal_position() -> None:
    """A position (its lazily read mappings included) pickles to an equal, equally hashed one."""
    timeline = ct.load()
    for actor in ("CAN", "EU", "AHC", "KOR"):
        position = timeline.position(actor, as_of="2023")
        again = pickle.loads(pickle.dumps(position))
        assert again == position
        assert again.to_dict() == position.to_dict()
        assert hash(again) == hash(position)


def test_a_registry_pickles() -> None:
    """The registry (every ISO state and the store's own actors) pickles to an equal one."""
    registry = ct.load().registry
    assert pickle.loads(pickle.dumps(registry)) == registry


def test_a_bounded_cache_forgets_the_least_recently_used():
    """The caches of stores and timelines keep at most their limit, the most recently used."""
    from cybertimeline._stores.lru import Lru

    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now more recent than b
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2
