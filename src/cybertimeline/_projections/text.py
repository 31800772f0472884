"""A position as aligned text with numbered sources: what ``cybertimeline position`` prints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cybertimeline._model.dates import Date
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words, aligned, headline
from cybertimeline._projections.entries import (
    AdoptionEntry,
    CooperationEntry,
    LegislationEntry,
    MembershipEntry,
    SessionEntry,
    StanceEntry,
    VoteEntry,
)
from cybertimeline._projections.treaty import TreatyStatus

__all__ = ["Sections", "position_text"]


class Sections(Protocol):
    """What a rendering reads of a `Position` (which imports this module, so cannot be named)."""

    @property
    def actor(self) -> str: ...
    @property
    def as_of(self) -> Date | None: ...
    @property
    def known_at(self) -> Date | None: ...
    @property
    def possible(self) -> bool: ...
    @property
    def treaties(self) -> Mapping[str, TreatyStatus]: ...
    @property
    def votes(self) -> Mapping[str, VoteEntry]: ...
    @property
    def stances(self) -> Mapping[str, StanceEntry]: ...
    @property
    def memberships(self) -> Mapping[str, MembershipEntry]: ...
    @property
    def members(self) -> Mapping[str, MembershipEntry]: ...
    @property
    def cooperation(self) -> tuple[CooperationEntry, ...]: ...
    @property
    def sessions(self) -> tuple[SessionEntry, ...]: ...
    @property
    def adoptions(self) -> tuple[AdoptionEntry, ...]: ...
    @property
    def legislation(self) -> tuple[LegislationEntry, ...]: ...
    @property
    def coverage(self) -> Mapping[str, Coverage]: ...


def position_text(position: Sections, registry: Registry) -> str:
    """The position as text: a heading, a section per kind of entry, and the sources."""
    words = Words(registry)
    head = f"{words.heading(position.actor)} as of {position.as_of}"
    if position.known_at is not None:
        head += f", as known at {position.known_at}"
    if position.possible:
        head += " (counting possible events)"
    lines = [head]
    cites = Citations()

    def section(title: str, rows: list[list[str]]) -> None:
        if rows:
            lines.append(title)
            lines.extend("  " + line for line in aligned(rows))

    treaty_rows = []
    for instrument, status in sorted(position.treaties.items()):
        acts = []  # each act with its own sources, so a reader sees what rests on what
        for label, role in (("signed", "signature"), (status.consent, "consent"),
                            ("in force", "in_force"), ("withdrawn", "withdrawal")):
            found = [e for e in status.events if e.role == role]
            if found and label and (label != "withdrawn" or status.withdrawn is not None):
                act = max(found, key=canonical_key)
                acts.append(f"{label} {act.date} {cites.cite(act.sources)}")
        treaty_rows.append([registry.label(instrument), status.status, ", ".join(acts)])
    for instrument, coverage in sorted(position.coverage.items()):
        if instrument not in position.treaties:
            treaty_rows.append([registry.label(instrument), STATUS_WORDS["none"],
                                f"chart complete to {coverage.complete_until} "
                                f"{cites.cite(coverage.sources)}"])
    section("Treaties", treaty_rows)
    section("Votes", [[r, v.option, str(v.date), cites.cite(v.event.sources)]
                      for r, v in sorted(position.votes.items())])
    section("Stances", [[words.topic(t), s.stance, str(s.date), cites.cite(s.event.sources)]
                        for t, s in sorted(position.stances.items())])
    section("Memberships", [[g, m.role or "member", f"since {m.since}", cites.cite(m.event.sources)]
                            for g, m in sorted(position.memberships.items())])
    if position.members:
        lines.append(f"Members ({len(position.members)})")
        lines.append("  " + " ".join(sorted(position.members)))
    listed: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("Sessions", position.sessions), ("Legislation", position.legislation),
        ("Adoptions", position.adoptions), ("Cooperation", position.cooperation))
    for title, entries in listed:
        section(title, [[str(getattr(e, "date", None) or getattr(e, "since", "")),
                         headline(e.event, registry), cites.cite(e.event.sources)]
                        for e in entries])
    if len(lines) == 1:
        lines.append("  (no data on this actor by this date)")
    return "\n".join([*lines, *cites.block()])
