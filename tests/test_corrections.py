"""Chains of corrections: what a supersession or retraction of a correction means."""

from __future__ import annotations

from typing import Any

import cybertimeline as ct

SOURCE = (ct.Source(title="A test source"),)


def session(event_id: str, date: str, recorded: str, status: Any, **fields: Any) -> Any:
    return ct.Session(id=event_id, date=ct.Date.parse(date), recorded=ct.Date.parse(recorded),
                      body="AHC", status=status, sources=SOURCE, **fields)


def retraction(event_id: str, recorded: str, retracts: str) -> ct.Retraction:
    return ct.Retraction(id=event_id, date=ct.Date.parse(recorded),
                         recorded=ct.Date.parse(recorded), retracts=retracts,
                         reason="found to be wrong", sources=SOURCE)


def known(timeline: ct.Timeline, known_at: str | None = None) -> list[str]:
    return [e.id for e in timeline.events(known_at=known_at)]


SCHEDULED = session("a", "2020-08", "2019-12-27", "scheduled")
POSTPONED = session("b", "2020-08", "2020-08-14", "postponed", supersedes="a")
HELD = session("c", "2021-05-10/2021-05-12", "2021-05-12", "held", supersedes="b")


def test_a_superseded_replacement_still_replaces_what_it_replaced() -> None:
    """In a chain A <- B <- C only C is known today: A does not come back when B is replaced."""
    timeline = ct.Timeline([SCHEDULED, POSTPONED, HELD])
    assert known(timeline) == ["c"]
    assert known(timeline, "2021-01-01") == ["b"]
    assert known(timeline, "2020-01-01") == ["a"]
    assert [s.status for s in timeline.position("AHC", as_of="2022").sessions] == ["held"]


def test_retracting_a_replacement_restores_what_it_replaced() -> None:
    """A supersession found wrong (retracted) no longer replaces its target."""
    timeline = ct.Timeline([SCHEDULED, POSTPONED, retraction("r", "2020-09-01", "b")])
    assert known(timeline) == ["a", "r"]
    assert known(timeline, "2020-08-31") == ["b"]


def test_retracting_a_retraction_restores_its_target() -> None:
    """A retraction of a retraction brings the first event back; both retractions stay visible."""
    timeline = ct.Timeline([
        SCHEDULED,
        retraction("r1", "2020-01-10", "a"),
        retraction("r2", "2020-02-10", "r1"),
    ])
    assert known(timeline, "2020-01-31") == ["r1"]
    assert known(timeline) == ["r2", "a"]


def test_corrections_are_listed_with_include_corrected() -> None:
    """The record's revisions stay listed when asked for, in canonical order."""
    timeline = ct.Timeline([SCHEDULED, POSTPONED, HELD])
    assert [e.id for e in timeline.events(include_corrected=True)] == ["a", "b", "c"]


def test_the_events_about_an_actor_include_retractions_of_its_events() -> None:
    """A retraction names no actor; it is listed with the events of the actors it concerns."""
    statement = ct.Statement(id="can-1", date=ct.Date.parse("2020-05"), actor="CAN",
                             topic="budapest-convention", stance="supports", sources=SOURCE)
    timeline = ct.Timeline([
        statement,
        retraction("r1", "2021-01-10", "can-1"),
        retraction("r2", "2021-02-10", "r1"),
        session("a", "2020-08", "2019-12-27", "scheduled"),
    ])
    assert [e.id for e in timeline.events(actor="CAN", include_corrected=True)] == [
        "can-1", "r1", "r2"]
    assert [e.id for e in timeline.events(actor="CAN")] == ["can-1", "r2"]
    assert [e.id for e in timeline.events(actor="AHC")] == ["a"]
    assert timeline.position("CAN", as_of="2022").stances["budapest-convention"].event.id == (
        "can-1")
