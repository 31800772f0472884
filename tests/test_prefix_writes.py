"""`_Writes.write_all` records what `_Writes.write` records for each write in turn: the keys
in the order of their first writes, each key's writes in order, the keys written again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cybertimeline._projections.prefixes import _Writes


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e"])), st.booleans())
def test_writes_recorded_at_once_are_those_recorded_one_by_one(keys, ranged):
    """Keys written once or again, by ordinals 0, 1... (None) or increasing ones."""
    ordinals = None if ranged else [3 * place + 1 for place in range(len(keys))]
    one_by_one: _Writes[object] = _Writes(lambda events, at: None, [])
    for place, key in enumerate(keys):
        one_by_one.write(key, place if ordinals is None else ordinals[place])
    at_once: _Writes[object] = _Writes(lambda events, at: None, [])
    at_once.write_all(keys, ordinals)
    assert at_once.slots == one_by_one.slots
    assert list(at_once.slots) == list(one_by_one.slots)
    assert list(at_once.writes) == one_by_one.writes
    assert at_once.multiple == one_by_one.multiple
