"""A treaty chart as text: every actor's standing towards one instrument, as of a date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from cybertimeline._model.dates import Date
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import STATUS_WORDS, Citations, aligned, counted
from cybertimeline._projections.treaty import TreatyStatus

__all__ = ["chart_text"]


def chart_text(
    chart: Mapping[str, TreatyStatus], instrument: str, registry: Registry, *,
    as_of: Date | None, known_at: Date | None, all_actors: bool,
) -> str:
    """The chart as text: a row per actor, totals, what holds for the others, the sources."""
    head = f"{registry.label(instrument)} as of {as_of}"
    if known_at is not None:
        head += f", as known at {known_at}"
    found = registry.instruments.get(instrument)
    coverage = None if found is None or as_of is None else found.coverage_on(
        as_of.latest, None if known_at is None else known_at.latest)
    cites = Citations()
    if coverage is not None:
        others = (f"the chart is complete to {coverage.complete_until} "
                  f"{cites.cite(coverage.sources)}: any other state is not a signatory")
    else:
        others = "no complete chart covers this date: any other state is without data"
    if not chart:
        return f"{head}\n  no actor had acted on it by this date; {others}"
    rows = [["ACTOR", "NAME", "STATUS", "SIGNED", "CONSENTED", "IN FORCE", "WITHDRAWN",
             "SOURCES"]]
    for actor, status in chart.items():
        consented = f"{status.consented} ({status.consent})" if status.consented else ""
        rows.append([actor, registry.name(actor)[:32], STATUS_WORDS.get(status.status,
                                                                          status.status),
                     str(status.signed or ""), consented, str(status.in_force or ""),
                     str(status.withdrawn or ""), cites.cite(status.sources())])
    counts = Counter(s.status for s in chart.values())
    total = ", ".join(f"{n} {STATUS_WORDS.get(name, name)}" for name, n in sorted(counts.items()))
    footer = [] if all_actors else [
        f"Without --all, only actors that acted are listed; {others}."]
    return "\n".join([head, *("  " + line for line in aligned(rows)),
                      f"{counted(len(chart), 'actor')}: {total}", *footer, *cites.block()])
