"""A model of the rules of docs/concepts.md, written from them and not from the library.

Naive, whole-list computations of the known set (rule 2), the canonical order
(rule 1) and the events folded as of a date (rule 3): what the property tests,
the stateful test and the benchmark's equivalence check compare every answer to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import cybertimeline as ct


def known_set(evs: Sequence[Any], known_at: dt.date | None) -> list[Any]:
    """Rule 2 by hand: events recorded by ``known_at`` minus those a known correction drops.

    A correction (a supersession or a retraction) holds once it is recorded,
    unless a retraction that holds withdraws it; a superseded superseding
    event still keeps out what it replaced (in a chain A <- B <- C, A stays out).
    """
    by_target: dict[str, list[Any]] = {}
    for event in evs:
        if event.corrects is not None:
            by_target.setdefault(event.corrects, []).append(event)

    def recorded(event: Any) -> bool:
        return known_at is None or event.recorded_on <= known_at

    def holds(correction: Any) -> bool:
        return recorded(correction) and not any(
            holds(r) for r in by_target.get(correction.id, ()) if r.kind == "retraction")

    return [e for e in evs
            if recorded(e) and not any(holds(c) for c in by_target.get(e.id, ()))]


def about(evs: Sequence[Any], actor: str) -> set[str]:
    """The ids of the events about ``actor``: those naming it, and retractions of those
    (a retraction names no actor of its own), and retractions of those retractions..."""
    ids = {e.id for e in evs if actor in e.involved}
    grew = True
    while grew:
        more = {e.id for e in evs if e.kind == "retraction" and e.retracts in ids}
        grew = not more <= ids
        ids |= more
    return ids


def canonical(evs: Sequence[Any]) -> list[Any]:
    """Events sorted by rule 1: ``(latest, earliest, id)``."""
    return sorted(evs, key=lambda e: (e.date.latest, e.date.earliest, e.id))


def folded(
    evs: Sequence[Any], as_of: dt.date | None, known_at: dt.date | None, possible: bool
) -> list[Any]:
    """Rule 3 by hand: the known events settled by ``as_of`` (started, if possible)."""
    chosen = known_set(evs, known_at)
    if as_of is not None:
        limit: Callable[[Any], dt.date] = (
            (lambda e: e.date.earliest) if possible else (lambda e: e.date.latest)
        )
        chosen = [e for e in chosen if limit(e) <= as_of]
    return canonical(chosen)


def last_day(value: Any) -> dt.date | None:
    """A query date's last day, as the rules say ``as_of`` and ``known_at`` mean."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return ct.Date.parse(str(value)).latest


class Collect:
    """A user projection that keeps the events folded, in the order folded."""

    def initial(self) -> tuple[Any, ...]:
        return ()

    def apply(self, state: tuple[Any, ...], event: Any) -> tuple[Any, ...]:
        return (*state, event)
