"""An append's check that an event reads back as itself, told from its fields' types
(`reads_back`) where they are plain, by a round trip through the codec where not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._codec.plain import reads_back
from cybertimeline._importers.votes import read_votes
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._timeline.writing import check_writable, stamped
from tests import strategies as gen

DATA = Path(__file__).parent / "data" / "unvotes"
TODAY = dt.date(2026, 12, 7)


def round_trips(event: Any) -> bool:
    """What `reads_back` stands for: the codec decodes the event's encoding as itself."""
    try:
        return bool(ct.event_from_dict(ct.event_to_dict(event)) == event)
    except Exception:
        return False


class Text(str):
    """Text of another class: equal to its value, but not what the codec builds."""


HOSTILE = st.sampled_from([
    3, 2.5, True, None, b"bytes", "", "x" * (MAX_TEXT_LENGTH + 1), Text("held"), ["a"],
    ("a", 3), {"CAN": "yes"}, {"CAN": "maybe"}, {3: "yes"}, {"CAN": Text("yes")},
    ct.Date.parse("2019"), dt.date(2019, 1, 1), ct.Tally(yes=1, no=0, abstain=0),
    (ct.Source(title="t"),), ct.Source(title="t"), (Text("tag"),)])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(gen.events(), st.data())
def test_an_event_said_to_read_back_reads_back(event: Any, data: st.DataObject) -> None:
    """Whatever a field holds (set behind the constructor's back), `reads_back` says True
    only of an event the codec decodes as itself; and of every event built through its
    constructor from plain values, it says True."""
    assert reads_back(event)
    assert round_trips(event)
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(type(event))]))
    changed = attrs.evolve(event)
    object.__setattr__(changed, field, data.draw(HOSTILE))
    if reads_back(changed):
        assert round_trips(changed)


def test_the_imported_roll_calls_read_back_without_a_round_trip() -> None:
    """The votes an import makes are plain: none is decoded to be checked."""
    read = read_votes(DATA / "un_votes.csv", DATA / "un_roll_calls.csv",
                      issues=DATA / "un_roll_call_issues.csv")
    assert read.events
    assert all(reads_back(stamped(e, TODAY)) for e in read.events)


@pytest.mark.parametrize(("changes", "message"), [
    ({"summary": 3}, "'summary': expected text"),
    ({"summary": "x" * (MAX_TEXT_LENGTH + 1)}, "longer than the limit"),
    ({"tags": ("ok", 3)}, "tags"),
])
def test_an_event_that_is_not_plain_is_still_refused_by_the_round_trip(
        changes: dict[str, Any], message: str) -> None:
    """What the constructor lets pass and the format does not is refused, as before."""
    event = ct.Statement(id="can-1", date="2020-01-01", actor="CAN", topic="cybercrime",
                         stance="supports", sources=[{"title": "A source"}])
    bad = attrs.evolve(event, **changes)
    assert not reads_back(bad)
    with pytest.raises(ct.ValidationError, match=message):
        check_writable(bad)


def test_stamping_copies_the_event_with_its_day_and_checks_it_again() -> None:
    """A stamped event equals the one `attrs.evolve` would build; the class's checks across
    fields still run on the copy (a tally set past them is refused)."""
    vote = ct.Vote(id="v-1", date="2019-12-27", body="UNGA", resolution="A/RES/74/247",
                   votes={"CAN": "no", "RUS": "yes"}, sources=[{"title": "Record"}],
                   tally=ct.Tally(yes=1, no=1, abstain=0))
    day = ct.Date.from_date(TODAY)
    assert stamped(vote, TODAY) == attrs.evolve(vote, stamped=day)
    broken = attrs.evolve(vote)
    object.__setattr__(broken, "tally", ct.Tally(yes=0, no=0, abstain=0))
    with pytest.raises(ct.ValidationError, match=r"cannot be stored: .*tally"):
        stamped(broken, TODAY)


def test_an_append_stamps_all_its_events_with_the_one_day_it_is_received() -> None:
    """The clock is read once an append: one running over midnight stamps every event with
    the day it began."""
    days = iter([dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 9)])
    timeline = ct.Timeline(clock=lambda: next(days))
    timeline.extend([ct.Statement(id=f"can-{n}", date="2020-01-01", actor="CAN",
                                  topic="cybercrime", stance="supports",
                                  sources=[{"title": "A source"}]) for n in range(3)])
    assert {str(e.stamped) for e in timeline.events()} == {"2026-12-07"}


def test_a_kind_that_caches_its_hash_is_stamped_and_hashes_as_one_built_so() -> None:
    """Stamping copies as pickle does: a registered kind's cached hash is of the copy."""

    @attrs.frozen(kw_only=True, cache_hash=True)
    class Remark(ct.BaseEvent):
        kind: ClassVar[str] = "remark-cached"
        actor_fields: ClassVar[tuple[str, ...]] = ("actor",)
        actor: str

    ct.register_kind(Remark)
    try:
        event = Remark(id="r-1", date="2020-01-01", actor="CAN", sources=[{"title": "A"}])
        hash(event)  # cached before the copy
        stored = stamped(event, TODAY)  # type: ignore[arg-type]  # a registered kind
        assert hash(stored) == hash(attrs.evolve(event, stamped=ct.Date.from_date(TODAY)))
        assert reads_back(stored)
    finally:
        ct.unregister_kind("remark-cached")
