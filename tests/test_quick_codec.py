"""A stored payload of a plain kind read without the converter (`quick_event`): the same
event the converter builds, and nothing where the converter refuses the payload."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._codec.quick import quick_event
from cybertimeline._codec.reading import structure_event
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._stores.mapper import map_payload
from tests import strategies as gen


class Text(str):
    """Text of another class: not what a JSON decoder makes."""


HOSTILE = st.sampled_from([
    3, 2.5, True, None, "", " ", "x" * (MAX_TEXT_LENGTH + 1), Text("held"), ["a"], [3],
    {"title": "t"}, [{"title": "t"}], [{"title": "t", "extra": "x"}], [{"url": "u"}],
    [{"title": 3}], [{"title": "t", "published": "2019-13"}], [], "2019", "2019-02-30",
    "supports", "maybe", "CAN", "can", "budapest-convention", "Not a slug!", "2019/2020",
    {"CAN": "yes"}])


def _converted(data: dict[str, Any]) -> Any:
    """What the converter makes of ``data``: the event, or None if it refuses it."""
    event, problems = structure_event(data)
    return None if problems else event


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(gen.events(), st.data())
def test_a_payload_read_quickly_is_what_the_converter_reads(event: Any,
                                                            data: st.DataObject) -> None:
    """Of a valid event's payload, and of one with any field (or source field) changed to a
    hostile value, an added key or a key taken out, `quick_event` gives the converter's
    event, or None; never an event the converter refuses."""
    payload = orjson.loads(orjson.dumps(ct.event_to_dict(event)))
    quick = quick_event(payload)
    assert quick is None or quick == _converted(payload) == event
    if type(event).kind not in ("vote", "adoption"):  # a plain kind (no table): read quickly
        assert quick == event
    changed = dict(payload)
    how = data.draw(st.sampled_from(["set", "add", "drop", "source"]))
    key = data.draw(st.sampled_from(sorted(changed)))
    if how == "set":
        changed[key] = data.draw(HOSTILE)
    elif how == "add":
        changed[data.draw(st.sampled_from(["extra", "Kind", "votes", "stance", "quote"]))] = (
            data.draw(HOSTILE))
    elif how == "drop":
        del changed[key]
    else:
        sources = [dict(source) for source in changed["sources"]]
        field = data.draw(st.sampled_from(["title", "publisher", "published", "url", "x"]))
        sources[0][field] = data.draw(HOSTILE)
        changed["sources"] = sources
    quick = quick_event(changed)
    if quick is not None:
        assert quick == _converted(changed)
        assert type(quick) is type(_converted(changed))


@pytest.mark.parametrize("payload", [
    '{"id": "s", "kind": "statement", "date": "2019-05", "sources": [{"title": "T"}], '
    '"actor": "CAN", "topic": "budapest-convention", "stance": "maybe"}',
    '{"id": "s", "kind": "statement", "date": "2019-05", "sources": [{"title": "T"}], '
    '"actor": "CAN", "topic": "budapest-convention", "stance": "supports", "recorded": '
    '"2019-01-01"}',
    '{"id": "s", "kind": "signature", "date": "2019-05", "sources": [], "actor": "CAN", '
    '"instrument": "budapest-convention"}',
    '{"id": "s", "kind": "statement", "date": "2019-05", "sources": [{"title": "T"}], '
    '"actor": "CAN", "topic": "budapest-convention", "stance": "supports", "quote": '
    f'"{"x" * (MAX_TEXT_LENGTH + 1)}"}}',
    '{"id": "s", "kind": "statement", "date": "2019-05", "sources": [{"title": "T", '
    '"published": 2019}], "actor": "CAN", "topic": "budapest-convention", "stance": '
    '"supports"}',
    '{"id": "s", "kind": "signature", "date": "2019-05", "sources": [{"title": "T"}], '
    '"actor": "CAN", "instrument": "budapest-convention", "tags": ["a", 3]}',
])
def test_a_changed_payload_still_reads_as_the_converter_says(payload: str) -> None:
    """A payload the converter or the event's checks refuse (an option it does not know, a
    day recorded before the event, no source, a quote too long, a date or a tag that is no
    text) is no event, and the problem is the converter's."""
    assert quick_event(orjson.loads(payload)) is None
    mapped = map_payload(payload)
    assert mapped.event is None
    assert mapped.problems


@given(st.dates().map(lambda day: day.isoformat())
       | st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True) | st.text(max_size=12))
def test_a_day_read_quickly_is_the_day_parse_makes(text: str) -> None:
    """A date's text read by the quick reader is the date `Date.parse` makes, every field of
    it (dates equal by their text alone), or no event where `Date.parse` refuses it."""
    from cybertimeline._codec.quick import _date

    try:
        expected = ct.Date.parse(text)
    except ct.DateError:
        expected = None
    try:
        found = _date(text)
    except Exception:
        found = None
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert (found._start, found._end) == (expected._start, expected._end)
