"""An instrument's chart as of a date (`Timeline.status`): every actor's treaty status.

The acts folded are the known treaty acts on the instrument settled by the day
(rules 2 and 3); with ``all_actors`` every state is listed, acts or none; the
chart says ``none`` of an actor without acts only where the store declares the
chart complete on that day (rule 10), and "not yet open" before the instrument
opened for signature (rule 11).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING

from cybertimeline._model.dates import Date
from cybertimeline._model.registry import Coverage, Instrument, Registry
from cybertimeline._model.sources import Source
from cybertimeline._projections.chart import TreatyChart
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline._timeline.coverage import may_have_acted
from cybertimeline._timeline.selecting import Query, select
from cybertimeline._timeline.versions import Versions

if TYPE_CHECKING:
    from cybertimeline._model.events import TreatyAct

__all__ = ["chart"]


def chart(versions: Versions, instrument: str, query: Query, all_actors: bool,
          members: Collection[str] | None) -> TreatyChart:
    """Every actor's status towards ``instrument`` (an id): those that acted on it, every
    state too with ``all_actors``; only ``members`` where given."""
    registry = versions.registry
    acts = _acts(versions, instrument, query)
    if all_actors:
        for actor in _listed(registry, members):
            acts.setdefault(actor, [])
    if members is not None:
        acts = {actor: found for actor, found in acts.items() if actor in members}
    found = registry.instruments.get(instrument)
    coverage = None if found is None else found.coverage_on(query.day, query.known_day)
    opens, opens_sources = _opening(found, query.day)
    derived = versions.current()

    def covered(actor: str) -> Coverage | None:
        if coverage is None or (not query.possible and may_have_acted(
                derived, instrument, actor, query.day, query.known_day)):
            return None
        return coverage

    return TreatyChart(
        instrument=instrument, as_of=query.as_of, known_at=query.known_at, possible=query.possible,
        all_actors=all_actors, coverage=coverage, registry=registry, opens=opens,
        statuses={actor: TreatyStatus(actor=actor, instrument=instrument, events=tuple(events),
                                      opens=opens, opens_sources=opens_sources,
                                      coverage=covered(actor))
                  for actor, events in sorted(acts.items())})


def _acts(versions: Versions, instrument: str, query: Query) -> dict[str, list[TreatyAct]]:
    """The known acts on the instrument the chart folds, by actor."""
    from cybertimeline._model.events import TreatyAct

    acts: defaultdict[str, list[TreatyAct]] = defaultdict(list)
    for event in select(versions, lambda: versions.index.instrument_lane(instrument), query.day,
                        query.known_day, query.possible):
        assert isinstance(event, TreatyAct)
        acts[event.actor].append(event)
    return acts


def _listed(registry: Registry, members: Collection[str] | None) -> list[str]:
    """The actors a chart of ``all_actors`` lists: every state, and every member asked of."""
    return [actor.id for actor in registry.actors.values()
            if actor.type == "state" or (members is not None and actor.id in members)]


def _opening(found: Instrument | None, day: dt.date | None) -> tuple[Date | None,
                                                                      tuple[Source, ...]]:
    """When the instrument opens, and the sources that say so, if ``day`` is before."""
    if found is None or not found.not_yet_open(day):
        return None, ()
    return found.opening, found.opening_sources
