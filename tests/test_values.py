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
