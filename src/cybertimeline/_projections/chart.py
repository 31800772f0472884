"""A treaty chart: every actor's standing towards one instrument, as of a date."""

from __future__ import annotations

from collections import Counter
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

import attrs

from cybertimeline._model import markup
from cybertimeline._model.dates import Date
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.markup import Markup, badge, cited
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.wording import STATUS_WORDS, Citations, aligned, counted
from cybertimeline._projections.treaty import TreatyStatus

__all__ = ["DepositaryCounts", "TreatyChart"]


def _frozen(statuses: Mapping[str, TreatyStatus]) -> Mapping[str, TreatyStatus]:
    return FrozenDict(statuses)


def _text(date: Date | None) -> str | None:
    return None if date is None else str(date)


@attrs.frozen(kw_only=True)
class DepositaryCounts:
    """A chart's totals as its depositary counts them (the Council of Europe's Treaty Office,
    the UN Treaty Collection).

    Attributes:
        parties: The actors that had consented to be bound (deposited a ratification,
            accession, acceptance, approval or succession), in force for them or not, and not
            withdrawn: the depositaries' "Parties" (the CoE's "ratifications/accessions").
        in_force: Of those, the ones bound on the date (status ``party``).
        consented_not_in_force: Of those, the ones not yet bound (status ``ratified``).
        signed_only: The actors that had signed and not consented: the CoE's "signatures not
            followed by ratifications".
        signatories: Every actor that had signed, consented since or not (and not withdrawn):
            the UN Treaty Collection's "Signatories".
    """

    parties: int
    in_force: int
    consented_not_in_force: int
    signed_only: int
    signatories: int

    @classmethod
    def of(cls, statuses: ValuesView[TreatyStatus]) -> DepositaryCounts:
        """The totals of these statuses."""
        held = [s for s in statuses if s.status not in ("withdrawn", "none", "unknown",
                                                        "not_yet_open")]
        bound = sum(1 for s in held if s.status == "party")
        ratified = sum(1 for s in held if s.status == "ratified")
        return cls(parties=bound + ratified, in_force=bound, consented_not_in_force=ratified,
                   signed_only=sum(1 for s in held if s.status == "signatory"),
                   signatories=sum(1 for s in held if s.signed is not None))

    def to_dict(self) -> dict[str, int]:
        """``{"parties", "in_force", "consented_not_in_force", "signed_only", "signatories"}``."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        return (f"as the depositary counts: {counted(self.parties, 'Party', 'Parties')} "
                f"(consent deposited, in force or not: {self.in_force} bound, "
                f"{self.consented_not_in_force} not yet in force); "
                f"{counted(self.signed_only, 'signature')} not followed by ratification; "
                f"{counted(self.signatories, 'signatory', 'signatories')} in all")


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TreatyChart(Mapping[str, TreatyStatus]):
    """Every actor's `TreatyStatus` towards one instrument as of a date: the treaty office's chart.

    A read-only mapping of actor id to status, sorted by id (what
    `Timeline.status` returns), that knows what it is a chart of: ``str()``
    gives the text ``cybertimeline status`` prints, `to_dict` its JSON, and
    Jupyter shows it as a table with status badges and linked sources.

    Attributes:
        instrument: The instrument's id.
        statuses: Each actor's status, by actor id.
        as_of: The date asked about.
        known_at: The record as it stood on this day, if asked.
        possible: Whether events that had only started by ``as_of`` count.
        all_actors: Whether every state is listed (else only those that acted).
        coverage: The complete chart that covers ``as_of``, if the store declares one:
            then any state not listed is not a signatory (rule 10).
        opens: When the instrument opened for signature, if ``as_of`` is before it: then
            every state is "not yet open" (rule 11).
    """

    instrument: str
    statuses: Mapping[str, TreatyStatus] = attrs.field(converter=_frozen, factory=FrozenDict)
    as_of: Date | None = None
    known_at: Date | None = None
    possible: bool = False
    all_actors: bool = False
    coverage: Coverage | None = None
    opens: Date | None = None
    registry: Registry = attrs.field(factory=Registry.builtin, repr=False)
    """The registry of the timeline that answered: the names its renderings use."""

    def __getitem__(self, actor: str) -> TreatyStatus:
        return self.statuses[actor]

    def __iter__(self) -> Iterator[str]:
        return iter(self.statuses)

    def __len__(self) -> int:
        return len(self.statuses)

    def __contains__(self, actor: object) -> bool:
        return actor in self.statuses

    def keys(self) -> KeysView[str]:
        """The actors, sorted by id."""
        return self.statuses.keys()

    def values(self) -> ValuesView[TreatyStatus]:
        """Their statuses, in the order of the actors."""
        return self.statuses.values()

    def items(self) -> ItemsView[str, TreatyStatus]:
        """``(actor, status)`` pairs, sorted by actor."""
        return self.statuses.items()

    def counts(self) -> dict[str, int]:
        """How many actors have each status, by status name (``party`` is in force only:
        `depositary` counts as the depositaries do)."""
        return dict(sorted(Counter(s.status for s in self.values()).items()))

    def depositary(self) -> DepositaryCounts:
        """The totals as the depositary counts them, in one call: Parties (consent deposited,
        in force or not), of which bound (in force), signatures not followed by ratification,
        and signatories."""
        return DepositaryCounts.of(self.values())

    def to_dict(self) -> dict[str, Any]:
        """As JSON: ``{"instrument", "title", "as_of", "known_at", "possible", "opens", "counts",
        "depositary",
        "actors": {actor: {"name", **TreatyStatus.to_dict()}}}``."""
        return {
            "instrument": self.instrument, "title": self.registry.label(self.instrument),
            "as_of": _text(self.as_of), "known_at": _text(self.known_at),
            "possible": self.possible, "opens": _text(self.opens), "counts": self.counts(),
            "depositary": self.depositary().to_dict(),
            "actors": {a: {"name": self.registry.name(a), **s.to_dict()}
                       for a, s in self.items()},
        }

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {STATUS_WORDS.get(s, s)}" for s, n in self.counts().items())
        return (f"<TreatyChart of {self.instrument} as of {self.as_of}: "
                f"{counted(len(self), 'actor')}{': ' + counts if counts else ''}>")

    def __str__(self) -> str:
        return _chart_text(self)

    def _repr_html_(self) -> str:
        """The chart as HTML, with status badges and linked sources: how Jupyter shows it."""
        return _chart_html(self)


def _head(chart: TreatyChart) -> str:
    when = "on every known event" if chart.as_of is None else f"as of {chart.as_of}"
    head = f"{chart.registry.label(chart.instrument)} {when}"
    return head if chart.known_at is None else f"{head}, as known at {chart.known_at}"


def _others(chart: TreatyChart, cites: Citations) -> str:
    """What holds for the states not listed (rules 10 and 11)."""
    if chart.opens is not None:
        opening = chart.registry.instruments.get(chart.instrument)
        cited_opening = cites.cite(opening.opening_sources) if opening is not None else ""
        return (f"it opened for signature only on {chart.opens} {cited_opening}".rstrip()
                + ": no state could have signed it yet, every state is not yet open")
    if chart.coverage is None:
        return "no complete chart covers this date: any other state is without data"
    return (f"the chart is complete to {chart.coverage.complete_until} "
            f"{cites.cite(chart.coverage.sources)}: any other state is not a signatory")


def _chart_html(chart: TreatyChart) -> str:
    cites = Citations()
    parts: list[object] = [Markup(f"<p><strong>{markup.escape(_head(chart))}</strong></p>")]
    others = _others(chart, cites)
    if not chart:
        parts.append(Markup(f"<p>No actor had acted on it by this date; "
                            f"{markup.escape(others)}.</p>"))
        return markup.block("chart", *parts, markup.sources_list(cites))
    rows = []
    for actor, status in chart.items():
        consented = f"{status.consented} ({status.consent})" if status.consented else ""
        rows.append([actor, chart.registry.name(actor), badge(status.status),
                     str(status.signed or ""), consented, str(status.in_force or ""),
                     str(status.withdrawn or ""), cited(cites, status.sources())])
    parts.append(markup.table(["Actor", "Name", "Status", "Signed", "Consented", "In force",
                               "Withdrawn", "Sources"], rows, wrap=("Name",)))
    totals = markup.join((markup.join([f"{n} ", badge(name)])
                          for name, n in chart.counts().items()), ", ")
    parts.append(Markup(f"<p>{markup.escape(counted(len(chart), 'actor'))}: {totals}; "
                        f"{markup.escape(chart.depositary())}</p>"))
    if not chart.all_actors:
        parts.append(Markup(f"<p>Only the actors that acted are listed (all_actors=True lists "
                            f"every state); {markup.escape(others)}.</p>"))
    parts.append(markup.sources_list(cites))
    return markup.block("chart", *parts)


def _chart_text(chart: TreatyChart) -> str:
    """The chart as text: a row per actor, totals, what holds for the others, the sources."""
    registry = chart.registry
    head = _head(chart)
    cites = Citations()
    others = _others(chart, cites)
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
    total = ", ".join(f"{n} {STATUS_WORDS.get(name, name)}" for name, n in chart.counts().items())
    footer = [] if chart.all_actors else [
        f"Only the actors that acted are listed (--all, or all_actors=True, lists every "
        f"state); {others}."]
    return "\n".join([head, *("  " + line for line in aligned(rows)),
                      f"{counted(len(chart), 'actor')}: {total}",
                      _sentence(str(chart.depositary())), *footer, *cites.block()])


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
