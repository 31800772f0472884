"""Changes in words: the sentences a changelog's Markdown is made of."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cybertimeline._model.dates import Date
from cybertimeline._model.events import TreatyAct
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words, aligned
from cybertimeline._projections.entries import (
    AdoptionEntry,
    CooperationEntry,
    LegislationEntry,
    MembershipEntry,
    SessionEntry,
    StanceEntry,
    VoteEntry,
)
from cybertimeline._reports.changes import Change, FactValue, plain

__all__ = ["brief", "describe", "diff_text", "sentence", "treaty_sentences"]

_VOTE_VERBS = {"yes": "Voted yes on", "no": "Voted no on", "abstain": "Abstained on",
               "absent": "Was absent from the vote on"}
_STANCE_WORDS = {"supports": ("Stated support for", "Restated support for"),
                 "opposes": ("Stated opposition to", "Restated opposition to"),
                 "neutral": ("Took a neutral stance on", "Again took a neutral stance on"),
                 "mixed": ("Took a mixed stance on", "Again took a mixed stance on")}
_SESSION_WORDS = {"scheduled": "was scheduled", "held": "was held", "postponed": "was postponed",
                  "cancelled": "was cancelled"}


def _status_note(changes: Mapping[str | None, Change]) -> str:
    status = changes.get("status")
    if status is None:
        return ""
    if status.before is None:
        if status.coverage is not None:
            return f"; status: {STATUS_WORDS['none']} → {status.after}"
        return f"; status: {status.after}"
    if status.after is None:
        return f"; no status (was {status.before})"
    return f"; status: {status.before} → {status.after}"


def treaty_sentences(changes: list[Change], words: Words) -> list[str]:
    """Sentences for the changes to one treaty on one day."""
    by_field = {c.field: c for c in changes}
    events = tuple(dict.fromkeys(e for c in changes for e in c.events))
    label = words.instrument(changes[0].key)
    verbs = list(dict.fromkeys(e.verb(past=True) for e in events
                               if isinstance(e, TreatyAct) and e.role != "in_force"))
    sentences = []
    if verbs:
        text = " and ".join(verbs)
        sentences.append(f"{text[0].upper()}{text[1:]} {label}")
    if any(isinstance(e, TreatyAct) and e.role == "in_force" for e in events):
        name = words.registry.name(changes[0].actor)
        sentences.append(f"{label[0].upper()}{label[1:]} entered into force for {name}")
    if not sentences:
        sentences = [f"Record of {label} revised"]
    sentences[-1] += _status_note(by_field)
    return sentences


def _role(entry: MembershipEntry) -> str:
    return f" as {entry.role}" if entry.role and entry.role != "member" else ""


def sentence(change: Change, words: Words) -> str:
    """A plain sentence for one change (not a treaty's: see `treaty_sentences`)."""
    before, after = change.before, change.after
    last = change.events[-1] if change.events else None
    key = change.key
    match after:
        case VoteEntry():
            text = f"{_VOTE_VERBS.get(after.option, 'Voted on')} {key}"
            text += f" in {words.actor(after.body)}"
            if isinstance(before, VoteEntry) and before.option != after.option:
                text += f" (previously: {before.option})"
            return text
        case StanceEntry():
            first, again = _STANCE_WORDS.get(after.stance, ("Stated a stance on",) * 2)
            restated = isinstance(before, StanceEntry) and before.stance == after.stance
            text = f"{again if restated else first} {words.topic(key)}"
            if isinstance(before, StanceEntry) and not restated:
                text += f" (previously: {before.stance})"
            venue = getattr(last, "venue", None)
            text += f" — {venue}" if venue else ""
            return text + (f": “{after.quote}”" if after.quote else "")
        case MembershipEntry() if change.section == "memberships":
            group = words.actor(key)
            if before is not None:
                return f"Became {after.role or 'member'} of {group}"
            return f"Joined {group}{_role(after)}"
        case MembershipEntry():
            member = words.actor(key)
            return f"{member[0].upper()}{member[1:]} joined{_role(after)}"
        case CooperationEntry():
            partners = ", ".join(words.actor(a) for a in after.with_)
            return f"Began cooperating with {partners}: {after.form}"
        case SessionEntry():
            text = f"{after.title or 'A session'} {_SESSION_WORDS.get(after.status, after.status)}"
            if after.status == "scheduled":
                text += f" for {after.date}"
            return text + (f", {after.location}" if after.location else "")
        case AdoptionEntry():
            what = " / ".join(part for part in (
                after.resolution,
                words.instrument(after.instrument) if after.instrument else None) if part)
            return f"Adopted {what}{words.tally(after.event.tally)}"
        case LegislationEntry():
            return f"Legislation: {after.title}"
        case None if change.section == "memberships":
            return f"Left {words.actor(key)}"
        case None if change.section == "members":
            member = words.actor(key)
            return f"{member[0].upper()}{member[1:]} left"
    return f"{change.path}: {brief(before)} → {brief(after)}"


def brief(value: FactValue | None, width: int = 48) -> str:
    """A value of a fact in a few words: ``no (2019-12-27)``, ``supports (2019-07)``."""
    found = plain(value)
    if found is None:
        return "—"
    if not isinstance(found, Mapping):
        return str(found)
    head = str(next((found[k] for k in ("option", "stance", "role", "status", "title", "form",
                                        "resolution") if found.get(k)), ""))
    head = head if len(head) <= width else head[:width - 1] + "…"
    when = next((found[k] for k in ("date", "since") if found.get(k)), None)
    return f"{head} ({when})" if when else str(head)


def describe(changes: Iterable[Change], words: Words) -> list[tuple[str, tuple[Change, ...]]]:
    """Sentences for changes of one actor, each with the changes it stands for."""
    changes = list(changes)
    treaties: dict[str, list[Change]] = {}
    described: list[tuple[str, tuple[Change, ...]]] = []
    for change in changes:
        if change.section == "treaties":
            if change.key not in treaties:
                treaties[change.key] = []
                described.append((f"treaty:{change.key}", ()))
            treaties[change.key].append(change)
        else:
            described.append((sentence(change, words), (change,)))
    result = []
    for text, behind in described:
        if text.startswith("treaty:"):
            group = treaties[text.removeprefix("treaty:")]
            result += [(line, tuple(group)) for line in treaty_sentences(group, words)]
        else:
            result.append((text, behind))
    return result


def diff_text(
    changes: Sequence[Change], words: Words, actor: str, first: Date, second: Date,
    known_at: Date | None = None,
) -> str:
    """How a position differs between two dates, as text: a row per path, then the sources."""
    head = f"{words.heading(actor)}: position as of {first} → as of {second}"
    if known_at is not None:
        head += f", as known at {known_at}"
    if not changes:
        return f"{head}\n  no differences"
    cites = Citations()
    rows = [["PATH", "BEFORE", "", "AFTER", "DATE", "SOURCES"]]
    rows += [[c.path, brief(c.before), "→", brief(c.after), str(c.date or ""),
              cites.cite(c.sources)] for c in changes]
    return "\n".join([head, *("  " + line for line in aligned(rows)), *cites.block()])
