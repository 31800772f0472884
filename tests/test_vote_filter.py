"""Which roll calls an import of votes reads (`VoteFilter`): each filter as its docstring says,
all of them together, and a roll call without a session kept out by any session bound."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cybertimeline._importers.layouts import UNVOTES
from cybertimeline._importers.rollcalls import RollCall
from cybertimeline._importers.votes import VoteFilter
from cybertimeline._model.dates import Date
from tests import strategies as cts

RESOLUTIONS = ("R/73/187", "A/RES/73/187", "R/20/1", "R/74/247", "")
TOPICS = ("human-rights", "nuclear-weapons", "arms-control")
SESSIONS = st.none() | st.integers(1, 80)

roll_calls = st.builds(
    RollCall, id=st.just("1"), line=st.just(2), date=cts.dates(1946, 2025),
    session=SESSIONS, resolution=st.sampled_from(RESOLUTIONS),
    topics=st.lists(st.sampled_from(TOPICS), unique=True, max_size=2).map(tuple))
filters = st.builds(
    VoteFilter, resolutions=st.lists(st.sampled_from(RESOLUTIONS[:4]), max_size=2),
    first_session=SESSIONS, last_session=SESSIONS,
    since=st.none() | cts.dates(1946, 2025), until=st.none() | cts.dates(1946, 2025),
    topics=st.lists(st.sampled_from(("hr", "nu", *TOPICS)), max_size=2))


def expected(only: VoteFilter, roll_call: RollCall) -> bool:
    """Every filter as `VoteFilter` documents it, checked one by one."""
    symbols = {roll_call.resolution, UNVOTES.symbol(roll_call.resolution, roll_call.session)}
    session = roll_call.session
    checks = [
        not only.resolutions or bool(symbols & only.resolutions),
        only.first_session is None or (session is not None and session >= only.first_session),
        only.last_session is None or (session is not None and session <= only.last_session),
        only.since is None or roll_call.date.latest >= only.since.earliest,
        only.until is None or roll_call.date.earliest <= only.until.latest,
        not only.topics or bool({UNVOTES.topics.get(t, t) for t in only.topics}
                                & set(roll_call.topics)),
    ]
    return all(checks)


@given(filters, roll_calls)
def test_a_roll_call_passes_when_it_passes_every_filter(only, roll_call):
    assert only.admits(roll_call, UNVOTES) == expected(only, roll_call)


def test_each_filter_on_examples():
    """The data set's short symbol matches the UN one; a session bound keeps out a roll call
    without a session; dates are compared by their bounds; topics by code or slug."""
    call = RollCall(id="7", line=2, date=Date.parse("2018-12"), session=73,
                    resolution="R/73/187", topics=("human-rights",))
    no_session = RollCall(id="8", line=3, date=Date.parse("2018-12-17"), session=None,
                          resolution="R/73/187")
    assert VoteFilter().admits(no_session, UNVOTES)
    assert VoteFilter(resolutions="A/RES/73/187").admits(call, UNVOTES)
    assert not VoteFilter(resolutions="A/RES/74/247").admits(call, UNVOTES)
    assert VoteFilter(first_session=73, last_session=73).admits(call, UNVOTES)
    assert not VoteFilter(first_session=74).admits(call, UNVOTES)
    assert not VoteFilter(last_session=72).admits(call, UNVOTES)
    assert not VoteFilter(first_session=1).admits(no_session, UNVOTES)
    assert not VoteFilter(last_session=99).admits(no_session, UNVOTES)
    assert VoteFilter(since="2018-12-31", until="2018-12-01").admits(call, UNVOTES)
    assert not VoteFilter(since="2019").admits(call, UNVOTES)
    assert not VoteFilter(until="2018-11-30").admits(call, UNVOTES)
    assert VoteFilter(topics="hr").admits(call, UNVOTES)
    assert VoteFilter(topics=["nuclear-weapons", "human-rights"]).admits(call, UNVOTES)
    assert not VoteFilter(topics="nu").admits(call, UNVOTES)
