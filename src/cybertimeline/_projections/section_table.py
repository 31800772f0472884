"""The built-in sections of a position: one `SectionSpec` each, registered in order.

The order is the order of a position's JSON (`Position.to_dict`) and of its text.
A section's presentation is here with it: how it renders where a table of its
entries does not do (treaties, votes, members), and how a change to it reads in
a changelog (`SectionSpec.reads`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model import markup
from cybertimeline._model.order import canonical_key
from cybertimeline._model.palette import VALUE_COLOURS
from cybertimeline._model.vocabulary import VOTE_OPTIONS
from cybertimeline._model.wording import STATUS_WORDS, Words
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
from cybertimeline._projections.sections import (
    Page,
    SectionChange,
    SectionSpec,
    register_section,
)
from cybertimeline._projections.text import shown
from cybertimeline._projections.treaty import TreatyStatus

if TYPE_CHECKING:
    from cybertimeline._model.events import TreatyAct

__all__ = ["BUILTIN"]


# -- treaties ------------------------------------------------------------------------------

_ROLES = ("signature", "consent", "in_force", "withdrawal")


def _latest_act(status: TreatyStatus, role: str) -> TreatyAct | None:
    found = [e for e in status.events if e.role == role]
    if not found or (role == "withdrawal" and status.withdrawn is None):
        return None
    return max(found, key=canonical_key)


def _acts_text(page: Page, status: TreatyStatus) -> str:
    """Each act with its own sources, so a reader sees what rests on what."""
    acts = []
    for label, role in (("signed", "signature"), (status.consent, "consent"),
                        ("in force", "in_force"), ("withdrawn", "withdrawal")):
        act = _latest_act(status, role) if label else None
        if act is not None:
            acts.append(f"{label} {act.date} {page.cite(act.sources)}")
    return ", ".join(acts)


def _act_cell(page: Page, status: TreatyStatus, role: str) -> Any:
    """The date of the status's latest act of this role, and its sources."""
    act = _latest_act(status, role)
    if act is None:
        return markup.Markup("")
    extra = f" ({act.kind})" if role == "consent" else ""
    return markup.join([f"{act.date}{extra} ", page.cite(act.sources)])


def _unheld_row(page: Page, instrument: str, status: str, text: str, sources: Any) -> list[Any]:
    """A row for an instrument the actor never acted on: not a signatory, not yet open."""
    label = page.registry.short_label(instrument)
    if page.html:
        return [label, page.badge(status), markup.join([f"{text} ", page.cite(sources)]),
                "", "", ""]
    return [label, STATUS_WORDS[status], f"{text} {page.cite(sources)}".rstrip()]


def _render_treaties(page: Page, spec: SectionSpec, entries: Any) -> None:
    position, registry = page.position, page.registry
    rows: list[list[Any]] = []
    for instrument, status in sorted(entries.items()):
        label = registry.short_label(instrument)
        rows.append([label, page.badge(status.status), *(_act_cell(page, status, role)
                                                          for role in _ROLES)]
                    if page.html else [label, status.status, _acts_text(page, status)])
    rows += [_unheld_row(page, instrument, "none",
                         f"chart complete to {coverage.complete_until}", coverage.sources)
             for instrument, coverage in sorted(position.coverage.items())
             if instrument not in entries]
    rows += [_unheld_row(page, instrument, "not_yet_open", f"opened for signature {opens}",
                         registry.instruments[instrument].opening_sources)
             for instrument, opens in position.not_yet_open.items()
             if instrument in registry.instruments and registry.instruments[instrument].coverage]
    page.table(spec.title, ["Instrument", "Status", "Signed", "Consented", "In force",
                            "Withdrawn"], rows)


def _accumulate_treaty(events: Sequence[Any], actor: str) -> TreatyStatus:
    return TreatyStatus(actor=actor, instrument=events[0].instrument, events=tuple(events))


# -- votes ---------------------------------------------------------------------------------

def _short(title: str | None, width: int = 60) -> str:
    """A title cut to ``width`` characters for a text table, marked where cut."""
    text = title or ""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _render_votes(page: Page, spec: SectionSpec, entries: Any) -> None:
    """The votes in the order cast, the latest shown, their sources read at once."""
    votes, hidden = shown(spec.ordered(entries), page.full, latest=True)
    read_sources(v for _, v in votes)  # each is cited: read them at once
    if page.html:
        rows = [[r, v.title or "", page.badge(v.option), page.registry.name(v.body),
                 str(v.date), page.cite(v.sources)] for r, v in votes]
    else:
        titled = any(v.title for _, v in votes)
        rows = [[r, v.option, str(v.date), *([_short(v.title)] if titled else []),
                 page.cite(v.sources)] for r, v in votes]
    page.table(spec.title, ["Resolution", "Title", "Vote", "Body", "Date", "Sources"], rows,
               hidden=hidden, latest=True)


_VOTE_VERBS = {"yes": "Voted yes on", "no": "Voted no on", "abstain": "Abstained on",
               "absent": "Was absent from the vote on"}


def _reads_vote(change: SectionChange, words: Words) -> str:
    before, after = change.before, change.after
    text = f"{_VOTE_VERBS.get(after.option, 'Voted on')} {change.key} in {words.actor(after.body)}"
    if isinstance(before, VoteEntry) and before.option != after.option:
        text += f" (previously: {before.option})"
    return text


# -- stances -------------------------------------------------------------------------------

def _render_stances(page: Page, spec: SectionSpec, entries: Any) -> None:
    ordered = spec.ordered(entries)
    quoted = page.html and any(e.quote for _, e in ordered)
    page.table(spec.title, ["Topic", "Stance", "Date", *(["Quote"] if quoted else []),
                            "Sources"],
               [[page.words.topic(t), page.badge(e.stance), str(e.date),
                 *([markup.Markup(f"<q>{markup.escape(e.quote)}</q>") if e.quote else ""]
                   if quoted else []),
                 page.cite(e.event.sources)] for t, e in ordered])


_STANCE_WORDS = {"supports": ("Stated support for", "Restated support for"),
                 "opposes": ("Stated opposition to", "Restated opposition to"),
                 "neutral": ("Took a neutral stance on", "Again took a neutral stance on"),
                 "mixed": ("Took a mixed stance on", "Again took a mixed stance on")}


def _reads_stance(change: SectionChange, words: Words) -> str:
    before, after = change.before, change.after
    first, again = _STANCE_WORDS.get(after.stance, ("Stated a stance on",) * 2)
    restated = isinstance(before, StanceEntry) and before.stance == after.stance
    text = f"{again if restated else first} {words.topic(change.key)}"
    if isinstance(before, StanceEntry) and not restated:
        text += f" (previously: {before.stance})"
    venue = getattr(change.events[-1] if change.events else None, "venue", None)
    text += f" — {venue}" if venue else ""
    return text + (f": “{after.quote}”" if after.quote else "")


# -- memberships and members ---------------------------------------------------------------

def _render_memberships(page: Page, spec: SectionSpec, entries: Any) -> None:
    page.table(spec.title, ["Group", "Role", "Since", "Sources"],
               [[page.words.heading(g) if page.html else g, m.role or "member",
                 str(m.since) if page.html else f"since {m.since}",
                 page.cite(m.event.sources)] for g, m in spec.ordered(entries)])


def _role(entry: MembershipEntry) -> str:
    return f" as {entry.role}" if entry.role and entry.role != "member" else ""


def _reads_membership(change: SectionChange, words: Words) -> str:
    group = words.actor(change.key)
    if change.after is None:
        return f"Left {group}"
    if change.before is not None:
        return f"Became {change.after.role or 'member'} of {group}"
    return f"Joined {group}{_role(change.after)}"


def _render_members(page: Page, spec: SectionSpec, entries: Any) -> None:
    if not entries:
        return
    ordered = spec.ordered(entries)
    if page.html:
        text = " ".join(a for a, _ in ordered)
    else:
        text = " ".join(a if m.role in (None, "member") else f"{a} ({m.role})"
                        for a, m in ordered)
    page.paragraph(f"{spec.title} ({len(entries)})", text)


def _reads_member(change: SectionChange, words: Words) -> str:
    member = words.actor(change.key)
    member = f"{member[0].upper()}{member[1:]}"
    return f"{member} left" if change.after is None else f"{member} joined{_role(change.after)}"


# -- listed sections -----------------------------------------------------------------------

def _reads_cooperation(change: SectionChange, words: Words) -> str:
    partners = ", ".join(words.actor(a) for a in change.after.with_)
    return f"Began cooperating with {partners}: {change.after.form}"


_SESSION_WORDS = {"scheduled": "was scheduled", "held": "was held", "postponed": "was postponed",
                  "cancelled": "was cancelled"}


def _reads_session(change: SectionChange, words: Words) -> str:
    after = change.after
    text = f"{after.title or 'A session'} {_SESSION_WORDS.get(after.status, after.status)}"
    if after.status == "scheduled":
        text += f" for {after.date}"
    return text + (f", {after.location}" if after.location else "")


def _reads_adoption(change: SectionChange, words: Words) -> str:
    after = change.after
    what = " / ".join(part for part in (
        after.resolution, words.instrument(after.instrument) if after.instrument else None)
        if part)
    return f"Adopted {what}{words.tally(after.event.tally)}"


def _reads_legislation(change: SectionChange, words: Words) -> str:
    return f"Legislation: {change.after.title}"


def _colours(values: Sequence[str]) -> dict[str, str]:
    return {value: VALUE_COLOURS[value] for value in values}


BUILTIN: tuple[SectionSpec, ...] = (
    SectionSpec(name="treaties", title="Treaties", noun="treaty", plural="treaties",
                make=lambda event, actor: _accumulate_treaty((event,), actor), keyed=True,
                keys="instrument", value="status", accumulate=_accumulate_treaty,
                fields=("status", "signed", "consented", "consent", "in_force", "withdrawn"),
                render=_render_treaties),
    SectionSpec(name="votes", title="Votes", noun="vote", plural="votes", make=VoteEntry.of,
                keyed=True, keys="resolution", value="option", colours=_colours(VOTE_OPTIONS),
                marker="s", by_date=True, latest=True, render=_render_votes,
                reads=_reads_vote),
    SectionSpec(name="stances", title="Stances", noun="stance", plural="stances",
                make=StanceEntry.of, keyed=True, keys="topic", value="stance",
                colours=_colours(("supports", "opposes", "neutral", "mixed")), marker="o",
                render=_render_stances, reads=_reads_stance),
    SectionSpec(name="memberships", title="Memberships", noun="membership",
                plural="memberships", make=MembershipEntry.of, keyed=True, keys="actor",
                value="role", blank="member", removes=True, render=_render_memberships,
                reads=_reads_membership),
    SectionSpec(name="members", title="Members", noun="member", plural="members",
                make=MembershipEntry.of, keyed=True, keys="actor", removes=True,
                render=_render_members, reads=_reads_member),
    SectionSpec(name="cooperation", title="Cooperation", noun="cooperation",
                plural="cooperations", make=CooperationEntry.of, value="form",
                reads=_reads_cooperation),
    SectionSpec(name="sessions", title="Sessions", noun="session", plural="sessions",
                make=SessionEntry.of, value="status",
                colours=_colours(("scheduled", "held", "postponed", "cancelled")), marker="D",
                reads=_reads_session),
    SectionSpec(name="adoptions", title="Adoptions", noun="adoption", plural="adoptions",
                make=AdoptionEntry.of, value="resolution", reads=_reads_adoption),
    SectionSpec(name="legislation", title="Legislation", noun="law", plural="laws",
                make=LegislationEntry.of, value="title", reads=_reads_legislation),
)
"""The built-in sections, in the order of a position's JSON."""

for _spec in BUILTIN:
    register_section(_spec)
