"""The known set read from a store's rows of its corrections (`Corrections`: each one's id,
recorded day and whether it retracts) answers as the known set of their events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.corrections import Correction, Corrections
from cybertimeline._timeline.known import KnownSet
from tests import reference as ref
from tests import strategies as gen


def _by_target(events: list[Any]) -> dict[str, list[Any]]:
    found: defaultdict[str, list[Any]] = defaultdict(list)
    for event in events:
        if event.corrects is not None:
            found[event.corrects].append(event)
    return dict(found)


@settings(max_examples=200, deadline=None)
@given(gen.timelines(max_size=16), st.lists(gen.days(1995, 2040), max_size=4))
def test_the_known_set_of_rows_is_the_known_set_of_events(events: list[Any],
                                                         days: list[dt.date]) -> None:
    events_by_target = _by_target(events)
    rows = {target: [Correction(e.id, e.recorded_on, e.retracts_what_it_corrects)
                     for e in found] for target, found in events_by_target.items()}
    read: list[bool] = []

    def events_read() -> dict[str, list[Any]]:
        read.append(True)
        return events_by_target

    of_rows = KnownSet(Corrections(rows, events_read))
    of_events = KnownSet(events_by_target)
    assert bool(of_rows) == bool(of_events)
    assert of_rows.dropped_now() == of_events.dropped_now()
    for day in [None, *days]:
        keeps, expected = of_rows.keeps(day), of_events.keeps(day)
        assert [keeps(e.id, e.recorded_on) for e in events] == [
            expected(e.id, e.recorded_on) for e in events]
        assert [of_rows.at(day)(e) for e in events] == [of_events.at(day)(e) for e in events]
    assert not read  # the events are not read for the known set
    assert dict(of_rows.correctors()) == events_by_target
    assert read == ([True] if events_by_target else [])  # once, when first asked for


@settings(max_examples=300, deadline=None)
@given(gen.timelines(max_size=16))
def test_what_a_correction_drops_now_is_what_the_rules_drop(events: list[Any]) -> None:
    """`KnownSet.dropped_now`, where no correction is itself corrected (the common case,
    read without walking each one) and where some are (chains, retracted retractions),
    is what rule 2 drops with every event recorded."""
    known = {e.id for e in ref.known_set(events, None)}
    dropped = {e.id for e in events if e.id not in known}
    by_target = _by_target(events)
    rows = {target: [Correction(e.id, e.recorded_on, e.retracts_what_it_corrects)
                     for e in found] for target, found in by_target.items()}
    assert KnownSet(by_target).dropped_now() == dropped
    assert KnownSet(Corrections(rows, lambda: by_target)).dropped_now() == dropped


def test_a_supersession_withdrawn_by_a_retraction_drops_nothing_it_replaced() -> None:
    """A <- B (B supersedes A) <- R (R retracts B): B is out, A is back in."""
    source = [ct.Source(title="A source", url="https://example.org/a")]
    first = ct.Statement(id="a", date=ct.Date.parse("2019-01-01"), actor="CAN",
                         topic="untoc", stance="supports", sources=source)
    second = ct.Statement(id="b", date=ct.Date.parse("2019-02-01"), actor="CAN",
                          topic="untoc", stance="opposes", supersedes="a", sources=source)
    withdrawn = ct.Retraction(id="r", date=ct.Date.parse("2019-03-01"), retracts="b",
                              reason="Misattributed", sources=source)
    assert KnownSet(_by_target([first, second, withdrawn])).dropped_now() == {"b"}
    assert KnownSet(_by_target([first, second])).dropped_now() == {"a"}
