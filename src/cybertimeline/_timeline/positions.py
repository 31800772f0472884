"""What actors hold as of a date: a position, every actor's vote on one resolution, every
known roll call's ballots, a group's members.

A position is read from the actor's positions at every prefix of its writes (kept
in the `Derived` of the version), or, where acts that had only begun count
(``possible``), folded from the chosen events; votes and ballots from the rows a
store keeps of them, less what is corrected as known on the day asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from cybertimeline._model.registry import Coverage
from cybertimeline._projections.entries import VoteEntry
from cybertimeline._projections.position import Position
from cybertimeline._projections.prefixes import PrefixPositions
from cybertimeline._timeline.caches import Derived
from cybertimeline._timeline.selecting import Query, select
from cybertimeline._timeline.versions import Versions

if TYPE_CHECKING:
    from cybertimeline._model.ballots import Ballots

__all__ = ["CoverageOf", "known_ballots", "members", "position", "votes_on"]

CoverageOf = Callable[[Derived, str, "dt.date | None", "dt.date | None", bool],
                      Mapping[str, Coverage]]
"""`cybertimeline._timeline.coverage.coverage`, or what stands for it."""


def position(versions: Versions, actor: str, query: Query, coverage: CoverageOf) -> Position:
    """The actor's (an id) position as asked, with the charts complete for it (``coverage``)."""
    if query.possible and query.day is not None:
        # Not a prefix of the known events: fold the chosen ones, in one pass.
        chosen = select(versions, lambda: versions.index.lane(actor), query.day,
                        query.known_day, query.possible)
        derived = versions.current()
        prefixes, upto = derived.build(actor, chosen), None
    else:
        derived, prefixes = _prefixes(versions, actor, query.known_day)
        upto = query.day
    return prefixes.at(upto, as_of=query.as_of, known_at=query.known_at,
                       possible=query.possible, registry=versions.registry,
                       coverage=coverage(derived, actor, query.day, query.known_day,
                                         query.possible))


def _prefixes(versions: Versions, actor: str,
              known_day: dt.date | None) -> tuple[Derived, PrefixPositions]:
    """The actor's positions at every prefix of its writes known at ``known_day``, and the
    `Derived` they are kept in (of the same version)."""
    index = versions.index
    return versions.consistent(
        lambda derived: derived.prefixes(actor, known_day, lambda: index.writes(actor)))


def votes_on(versions: Versions, resolution: str, query: Query) -> dict[str, VoteEntry]:
    """Every actor's latest known vote on ``resolution`` settled by the day, by actor id."""
    derived, on_key = versions.consistent(
        lambda _: versions.index.on_key("votes", resolution))
    keep = (None if query.known_day is None and not derived.known
            else derived.known.keeps(query.known_day))
    entries, votes = on_key.entries, derived.votes
    found = {}
    for actor, (rank, option) in sorted(on_key.last(query.day, keep).items()):
        detail = entries.details[rank]
        if option is not None and detail is not None:
            found[actor] = votes.written(entries.ids[rank], entries.dates[rank], resolution,
                                         option, detail, entries.sources[rank])
    return found


def known_ballots(versions: Versions, known_day: dt.date | None) -> Ballots:
    """Every known roll call's ballots as one matrix (`Ballots`, canonical order): the
    stored ones less those corrected as known at ``known_day``, and none recorded after."""
    from cybertimeline._model.ballots import Ballots
    from cybertimeline._model.written import Entries

    derived, found = versions.consistent(lambda _: versions.index.ballots("votes"))
    if known_day is None and not derived.known:
        return found
    keep, entries = derived.known.keeps(known_day), found.entries
    ranks = [r for r, (i, day) in enumerate(zip(entries.ids, entries.recorded, strict=True))
             if keep(i, day)]
    if len(ranks) == len(entries):
        return found
    rows = [(r, entries.ids[r], entries.latest[r], entries.recorded[r], entries.dates[r],
             entries.keys[r], entries.details[r], entries.sources[r]) for r in ranks]
    return Ballots(Entries(rows), found.actors, found.values, found.codes[ranks])


def members(versions: Versions, group: str, query: Query) -> tuple[str, ...]:
    """The members of ``group`` (an id) as asked, from its membership events, sorted."""
    from cybertimeline._model.events import Membership

    joined: dict[str, bool] = {}
    for event in select(versions, lambda: versions.index.lane(group), query.day,
                        query.known_day, query.possible):
        if isinstance(event, Membership) and event.group == group:
            joined[event.actor] = event.action == "join"
    return tuple(sorted(a for a, joined_last in joined.items() if joined_last))
