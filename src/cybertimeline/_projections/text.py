"""A position as aligned text with numbered sources (what ``cybertimeline position`` prints),
and as HTML for notebooks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from cybertimeline._model import markup
from cybertimeline._model.dates import Date
from cybertimeline._model.events import TreatyAct
from cybertimeline._model.markup import Markup, badge, cited
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
    read_sources,
)
from cybertimeline._projections.treaty import TreatyStatus

__all__ = ["Sections", "position_html", "position_text"]


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
    @property
    def not_yet_open(self) -> Mapping[str, Date]: ...


def _head(position: Sections, words: Words) -> str:
    when = ("on every known event" if position.as_of is None
            else f"as of {position.as_of}")
    head = f"{words.heading(position.actor)} {when}"
    if position.known_at is not None:
        head += f", as known at {position.known_at}"
    if position.possible:
        head += " (counting possible events)"
    return head


def _listed(position: Sections) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return (("Sessions", position.sessions), ("Legislation", position.legislation),
            ("Adoptions", position.adoptions), ("Cooperation", position.cooperation))


def _when(entry: Any) -> str:
    return str(getattr(entry, "date", None) or getattr(entry, "since", ""))


def _short(title: str | None, width: int = 60) -> str:
    """A title cut to ``width`` characters for a text table, marked where cut."""
    text = title or ""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def by_date(votes: Mapping[str, VoteEntry]) -> list[tuple[str, VoteEntry]]:
    """A position's votes in the order they were cast (canonical order of their events),
    not the order of their symbols' text (46/10, 46/117, 46/16...)."""
    return sorted(votes.items(), key=lambda item: (item[1].date.latest, item[1].date.earliest,
                                                   item[1].event_id))


def _unopened(position: Sections, registry: Registry) -> list[tuple[str, Date]]:
    """The charted instruments not yet open for signature on the position's date (rule 11):
    where a chart would otherwise say "not a signatory"."""
    return [(i, opens) for i, opens in position.not_yet_open.items()
            if i in registry.instruments and registry.instruments[i].coverage]


T = TypeVar("T")

SHOWN = 20
"""How many entries of a section a position shows (its votes: the latest), unless asked
for all (``full``): a whole UN record is thousands of votes."""


def shown(items: Sequence[T], full: bool, latest: bool = False) -> tuple[Sequence[T], int]:
    """The items a section shows (all with ``full``; else the first `SHOWN`, or the latest)
    and how many it leaves out."""
    if full or len(items) <= SHOWN:
        return items, 0
    return (items[-SHOWN:] if latest else items[:SHOWN]), len(items) - SHOWN


def _titled(title: str, total: int, hidden: int, latest: bool = False) -> str:
    """A section's title; where entries are left out, how many there are and which show."""
    if not hidden:
        return title
    which = "latest" if latest else "first"
    return (f"{title} ({total:,}; the {which} {total - hidden} shown: "
            f"full=True or --all for all)")


def _votes(position: Sections, full: bool) -> tuple[Sequence[tuple[str, VoteEntry]], int]:
    """The votes a position shows, in the order cast, their events read (they are cited)."""
    found, hidden = shown(by_date(position.votes), full, latest=True)
    read_sources(v for _, v in found)  # each is cited: read them at once
    return found, hidden


def position_text(position: Sections, registry: Registry, full: bool = False) -> str:
    """The position as text: a heading, a section per kind of entry (long ones cut to their
    first or latest entries, unless ``full``), and the sources."""
    votes, hidden_votes = _votes(position, full)
    words = Words(registry)
    lines = [_head(position, words)]
    cites = Citations()

    def section(title: str, rows: list[list[str]], latest: bool = False) -> None:
        if rows:
            kept, hidden = shown(rows, full, latest)
            lines.append(_titled(title, len(rows), hidden, latest))
            lines.extend("  " + line for line in aligned(list(kept)))

    treaty_rows = []
    for instrument, status in sorted(position.treaties.items()):
        acts = []  # each act with its own sources, so a reader sees what rests on what
        for label, role in (("signed", "signature"), (status.consent, "consent"),
                            ("in force", "in_force"), ("withdrawn", "withdrawal")):
            found = [e for e in status.events if e.role == role]
            if found and label and (label != "withdrawn" or status.withdrawn is not None):
                act = max(found, key=canonical_key)
                acts.append(f"{label} {act.date} {cites.cite(act.sources)}")
        treaty_rows.append([registry.short_label(instrument), status.status, ", ".join(acts)])
    for instrument, coverage in sorted(position.coverage.items()):
        if instrument not in position.treaties:
            treaty_rows.append([registry.short_label(instrument), STATUS_WORDS["none"],
                                f"chart complete to {coverage.complete_until} "
                                f"{cites.cite(coverage.sources)}"])
    for instrument, opens in _unopened(position, registry):
        treaty_rows.append([registry.short_label(instrument), STATUS_WORDS["not_yet_open"],
                            f"opened for signature {opens} "
                            f"{cites.cite(registry.instruments[instrument].opening_sources)}"
                            .rstrip()])
    section("Treaties", treaty_rows)
    titled = any(v.title for _, v in votes)
    if votes:
        lines.append(_titled("Votes", len(position.votes), hidden_votes, latest=True))
        lines.extend("  " + line for line in aligned([
            [r, v.option, str(v.date), *([_short(v.title)] if titled else []),
             cites.cite(v.sources)] for r, v in votes]))
    section("Stances", [[words.topic(t), s.stance, str(s.date), cites.cite(s.event.sources)]
                        for t, s in sorted(position.stances.items())])
    section("Memberships", [[g, m.role or "member", f"since {m.since}", cites.cite(m.event.sources)]
                            for g, m in sorted(position.memberships.items())])
    if position.members:
        lines.append(f"Members ({len(position.members)})")
        lines.append("  " + " ".join(a if m.role in (None, "member") else f"{a} ({m.role})"
                                     for a, m in sorted(position.members.items())))
    for title, entries in _listed(position):
        section(title, [[_when(e), headline(e.event, registry), cites.cite(e.event.sources)]
                        for e in entries])
    if len(lines) == 1:
        lines.append("  (no data on this actor by this date)")
    return "\n".join([*lines, *cites.block()])


_WRAP = ("Instrument", "Body", "Topic", "Quote", "Group", "What", "Title")
"""The columns of a position's tables whose text wraps."""


def _act(status: TreatyStatus, role: str, cites: Citations) -> Markup:
    """The date of the status's latest act of this role, and its sources."""
    found = [e for e in status.events if e.role == role]
    if not found or (role == "withdrawal" and status.withdrawn is None):
        return Markup("")
    act: TreatyAct = max(found, key=canonical_key)
    extra = f" ({act.kind})" if role == "consent" else ""
    return markup.join([f"{act.date}{extra} ", cited(cites, act.sources)])


def position_html(position: Sections, registry: Registry, full: bool = False) -> str:
    """The position as HTML: a table per kind of entry, status badges, numbered linked sources.
    A long section shows its first (votes: latest) entries; with ``full``, the others follow
    folded (``<details>``), else a line says how many are left out."""
    votes, hidden_votes = _votes(position, full)
    words = Words(registry)
    cites = Citations()
    parts: list[object] = [Markup(f"<p><strong>{markup.escape(_head(position, words))}"
                                  f"</strong></p>")]

    def section(title: str, header: list[str], rows: Sequence[list[object]],
                hidden: int = 0, latest: bool = False) -> None:
        if not rows:
            return
        if not hidden:
            rows, hidden = shown(rows, full, latest)
        total = len(rows) + hidden
        parts.append(markup.heading(title if total <= SHOWN else f"{title} ({total:,})"))
        if full and len(rows) > SHOWN:
            first, rest = ((rows[-SHOWN:], rows[:-SHOWN]) if latest
                           else (rows[:SHOWN], rows[SHOWN:]))
            parts.extend([markup.table(header, first, _WRAP), Markup(
                f"<details><summary>{len(rest):,} more</summary>"
                f"{markup.table(header, rest, _WRAP)}</details>")])
            return
        parts.append(markup.table(header, rows, _WRAP))
        if hidden:
            which = "earlier" if latest else "more"
            parts.append(Markup(f"<p><em>{hidden:,} {which} not shown: "
                                f"<code>.html(full=True)</code> shows them.</em></p>"))

    treaties: list[list[object]] = [
        [registry.short_label(instrument), badge(status.status),
         *(_act(status, role, cites) for role in ("signature", "consent", "in_force",
                                                  "withdrawal"))]
        for instrument, status in sorted(position.treaties.items())]
    treaties += [[registry.short_label(instrument), badge("none"),
                  markup.join([f"chart complete to {coverage.complete_until} ",
                               cited(cites, coverage.sources)]), "", "", ""]
                 for instrument, coverage in sorted(position.coverage.items())
                 if instrument not in position.treaties]
    treaties += [[registry.short_label(instrument), badge("not_yet_open"),
                  markup.join([f"opened for signature {opens} ", cited(
                      cites, registry.instruments[instrument].opening_sources)]), "", "", ""]
                 for instrument, opens in _unopened(position, registry)]
    section("Treaties", ["Instrument", "Status", "Signed", "Consented", "In force", "Withdrawn"],
            treaties)
    section("Votes", ["Resolution", "Title", "Vote", "Body", "Date", "Sources"],
            [[r, v.title or "", badge(v.option), registry.name(v.body), str(v.date),
              cited(cites, v.sources)] for r, v in votes], hidden_votes, latest=True)
    quoted = any(e.quote for e in position.stances.values())
    section("Stances", ["Topic", "Stance", "Date", *(["Quote"] if quoted else []), "Sources"],
            [[words.topic(t), badge(e.stance), str(e.date),
              *([Markup(f"<q>{markup.escape(e.quote)}</q>") if e.quote else ""] if quoted
                else []),
              cited(cites, e.event.sources)] for t, e in sorted(position.stances.items())])
    section("Memberships", ["Group", "Role", "Since", "Sources"],
            [[words.heading(g), m.role or "member", str(m.since), cited(cites, m.event.sources)]
             for g, m in sorted(position.memberships.items())])
    if position.members:
        parts += [markup.heading(f"Members ({len(position.members)})"),
                  Markup(f"<p>{markup.escape(' '.join(sorted(position.members)))}</p>")]
    for title, entries in _listed(position):
        section(title, ["Date", "What", "Sources"],
                [[_when(e), headline(e.event, registry), cited(cites, e.event.sources)]
                 for e in entries])
    if len(parts) == 1:
        parts.append(Markup("<p><em>No data on this actor by this date.</em></p>"))
    parts.append(markup.sources_list(cites))
    return markup.block("position", *parts)
