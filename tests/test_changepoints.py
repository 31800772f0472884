"""Change points give, on every day, what `Timeline.status`, `Timeline.position` and
`Timeline.votes_on` answer: the last change point on or before a day is the answer of that
day (what the static site's date control shows)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._reports.changepoints import (
    ChartChanges,
    Steps,
    chart_change_points,
    chart_days,
    position_change_points,
    vote_change_points,
)
from cybertimeline._reports.changes import plain, position_facts
from tests import strategies as s

DAYS = st.dates(dt.date(1945, 1, 1), dt.date(2030, 12, 31))


@cache
def bundled() -> ct.Timeline:
    return ct.load()


@cache
def charts(instrument: str, possible: bool) -> ChartChanges:
    return chart_change_points(bundled(), instrument, possible=possible)


@cache
def facts(actor: str) -> dict[str, Steps[Any]]:
    return position_change_points(bundled(), actor)


def _facts_on(found: dict[str, Steps[Any]], day: dt.date) -> dict[str, Any]:
    shown = {path: steps.at(day) for path, steps in found.items()}
    return {path: plain(fact.value) for path, fact in shown.items() if fact is not None}


def _check_chart(tl: ct.Timeline, changes: ChartChanges, day: dt.date) -> None:
    chart = tl.status(changes.instrument, as_of=day, possible=changes.possible,
                      all_actors=True)
    shown = {a: steps.at(day) for a, steps in changes.statuses.items()}
    assert {a: s.status for a, s in shown.items() if s is not None} == {
        a: s.status for a, s in chart.items()}
    assert {a: s.sources() for a, s in shown.items() if s is not None} == {
        a: s.sources() for a, s in chart.items()}
    assert changes.counts.at(day) == chart.depositary()


INSTRUMENTS = sorted(ct.Registry.builtin().instruments)


@pytest.mark.parametrize("instrument", INSTRUMENTS)
@pytest.mark.parametrize("possible", [False, True])
@given(day=DAYS)
def test_a_chart_on_any_day_is_its_last_change_point(instrument: str, possible: bool,
                                                     day: dt.date) -> None:
    _check_chart(bundled(), charts(instrument, possible), day)


@pytest.mark.slow
def test_the_change_points_are_days_the_answer_changes() -> None:
    """Every change point differs from the one before, and each is on its day and not the
    day before (so none is missing and none is spurious), for every bundled chart."""
    tl = bundled()
    for instrument in INSTRUMENTS:
        changes = charts(instrument, False)
        for actor, steps in changes.statuses.items():
            for day, value in steps.points()[1:]:
                assert day is not None
                assert value is not None
                before = tl.status(instrument, as_of=day - dt.timedelta(days=1),
                                   all_actors=True).get(actor)
                assert before is None or before.status != value.status or (
                    before.events != value.events or before.coverage != value.coverage)
                assert tl.status(instrument, as_of=day, all_actors=True)[actor] == value


def test_canada_on_the_budapest_chart() -> None:
    """Meaning, from the bundled data: not yet open, signatory from the opening day, party
    from the entry into force; the counts as the depositary counts on the chart's date."""
    canada = charts("budapest-convention", False).statuses["CAN"]
    assert [(None if d is None else d.isoformat(), v.status if v else None)
            for d, v in canada.points()][:4] == [
        (None, "not_yet_open"), ("2001-11-23", "signatory"), ("2015-07-08", "ratified"),
        ("2015-11-01", "party")]
    assert charts("budapest-convention", False).counts.at("2024-10-09").parties == 76
    later = charts("un-cybercrime-convention", False).statuses["ARG"]
    assert later.at("2010-01-01") is not None
    assert later.at("2010-01-01").status == "not_yet_open"  # type: ignore[union-attr]


ACTORS = ("CAN", "KOR", "AHC", "EU", "USA", "RUS", "CHN", "GBR", "LUX", "UNGA", "QUINTET",
          "SRB", "FRA", "DEU", "JPN", "BRA", "IND", "ZAF")


@given(actor=st.sampled_from(ACTORS), day=DAYS)
def test_a_position_on_any_day_is_its_facts_last_change_points(actor: str,
                                                               day: dt.date) -> None:
    tl = bundled()
    assert _facts_on(facts(actor), day) == position_facts(tl.position(actor, as_of=day))


@given(actor=st.sampled_from(ACTORS), day=DAYS,
       instrument=st.sampled_from(INSTRUMENTS))
def test_a_state_s_chart_steps_agree_with_its_position(actor: str, day: dt.date,
                                                       instrument: str) -> None:
    steps = charts(instrument, False).statuses.get(actor)
    status = bundled().position(actor, as_of=day).treaty(instrument).status
    if steps is not None and steps.at(day) is not None:
        assert steps.at(day).status == status  # type: ignore[union-attr]


@given(events=s.timelines(max_size=10), day=s.days(1995, 2030))
def test_random_timelines_agree_on_any_day(events: list[Any], day: dt.date) -> None:
    """Random stores, with corrections and imprecise dates: charts, positions and votes."""
    tl = ct.Timeline(events)
    for instrument in s.INSTRUMENTS:
        for possible in (False, True):
            _check_chart(tl, chart_change_points(tl, instrument, possible=possible), day)
    for actor in s.ACTORS:
        assert _facts_on(position_change_points(tl, actor), day) == position_facts(
            tl.position(actor, as_of=day))
    votes: dict[str, list[ct.Date]] = {}
    for event in tl.events(kind="vote", include_corrected=True):
        assert isinstance(event, ct.Vote)
        votes.setdefault(event.resolution, []).append(event.date)
    for resolution, dates in votes.items():
        found = vote_change_points(tl, resolution, dates)
        shown = {a: v.at(day) for a, v in found.items()}
        assert {a: plain(v) for a, v in shown.items() if v is not None} == {
            a: plain(v) for a, v in tl.votes_on(resolution, as_of=day).items()}


def test_a_step_function_reads_partial_dates_at_their_last_day() -> None:
    steps = Steps((None, dt.date(2015, 7, 8)), ("before", "after"))
    assert steps.at("2015-07-07") == "before"
    assert steps.at("2015-07") == "after"
    assert steps.at(dt.date(2015, 7, 8)) == "after"
    assert steps.at("1900") == "before"


def test_a_treaty_act_of_a_kind_defined_later_moves_the_chart_and_the_position() -> None:
    """The kinds a chart and a position's change points read are those known when asked,
    not those of the library's import: a treaty act of a kind defined afterwards counts."""
    @attrs.frozen(kw_only=True)
    class DefinitiveSignature(ct.TreatyAct):
        kind: ClassVar[str] = "definitive_signature_changepoints"
        role: ClassVar[ct.ActRole] = "consent"

    day = dt.date(2006, 6, 6)
    act = DefinitiveSignature(id="mne-signs", date=ct.Date.parse(day.isoformat()),
                              actor="MNE", instrument="budapest-convention",
                              sources=[ct.Source(title="Chart")])
    events: list[Any] = [act]  # a kind outside the union `Event`, folded as declared
    tl = ct.Timeline(events, registry=bundled().registry)
    assert day in chart_days(tl, "budapest-convention")
    found = position_change_points(tl, "MNE")
    status = found["treaties.budapest-convention.status"]
    assert status.days[-1] == day
    assert status.at(day - dt.timedelta(days=1)) is None
