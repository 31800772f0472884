"""Where "no act" means "not a party" (rule 10): the charts declared complete on a day.

An instrument whose chart the store declares complete on a day lets a position
or a chart say ``none`` (not a signatory) of an actor with no act on it; but not
of an actor with a known act dated to a span that had begun by that day and not
ended (it may already have acted), unless the question counts what is possible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.registry import Coverage
from cybertimeline._timeline.caches import Derived

__all__ = ["coverage", "may_have_acted"]


def coverage(derived: Derived, actor: str, day: dt.date | None, known_day: dt.date | None,
             possible: bool) -> Mapping[str, Coverage]:
    """The instruments whose chart is complete on ``day``, as known at ``known_day``, and
    on which the actor has no act that may already have happened (rule 10)."""
    found = {}
    for instrument in derived.charted:
        covered = instrument.coverage_on(day, known_day)
        if covered is not None and (possible or not may_have_acted(
                derived, instrument.id, actor, day, known_day)):
            found[instrument.id] = covered
    return FrozenDict(found)


def may_have_acted(derived: Derived, instrument: str, actor: str, day: dt.date | None,
                   known_day: dt.date | None) -> bool:
    """Whether the actor has a known act on the instrument dated to a span that had begun by
    ``day`` but not ended: it may already have acted, so "not a signatory" would be a guess."""
    if day is None:
        return False
    known = derived.known.at(known_day)
    return any(e.date.earliest <= day < e.date.latest and known(e)
               for e in derived.acts(instrument, actor))
