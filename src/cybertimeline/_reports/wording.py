"""Changelogs in words: the sentences, citations and Markdown a report is made of."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cybertimeline._model.dates import Date
from cybertimeline._model.events import Event, TreatyAct
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words
from cybertimeline._reports.changelog import Change, Changelog, group_changes

__all__ = ["brief", "describe", "render_markdown", "sentence"]

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
                               if isinstance(e, TreatyAct) and e.kind != "entry_into_force"))
    sentences = []
    if verbs:
        text = " and ".join(verbs)
        sentences.append(f"{text[0].upper()}{text[1:]} {label}")
    if any(e.kind == "entry_into_force" for e in events):
        name = words.registry.name(changes[0].actor)
        sentences.append(f"{label[0].upper()}{label[1:]} entered into force for {name}")
    if not sentences:
        sentences = [f"Record of {label} revised"]
    sentences[-1] += _status_note(by_field)
    return sentences


def sentence(change: Change, words: Words) -> str:
    """A plain sentence for one change (not a treaty's: see `treaty_sentences`)."""
    before, after = change.before or {}, change.after or {}
    last = change.events[-1] if change.events else None
    key = change.key
    match change.section:
        case "votes" if after:
            text = f"{_VOTE_VERBS.get(after['option'], 'Voted on')} {key}"
            text += f" in {words.actor(after['body'])}" if after.get("body") else ""
            if before and before.get("option") != after["option"]:
                text += f" (previously: {before['option']})"
            return text
        case "stances" if after:
            first, again = _STANCE_WORDS.get(after["stance"], ("Stated a stance on",) * 2)
            restated = bool(before) and before.get("stance") == after["stance"]
            text = f"{again if restated else first} {words.topic(key)}"
            if before and not restated:
                text += f" (previously: {before['stance']})"
            venue = getattr(last, "venue", None)
            text += f" — {venue}" if venue else ""
            return text + (f": “{after['quote']}”" if after.get("quote") else "")
        case "memberships":
            group = words.actor(key)
            if not after:
                return f"Left {group}"
            role = after.get("role")
            if before:
                return f"Became {role} of {group}"
            return f"Joined {group}" + (f" as {role}" if role and role != "member" else "")
        case "members":
            member = words.actor(key)
            if not after:
                return f"{member[0].upper()}{member[1:]} left"
            role = after.get("role")
            return f"{member[0].upper()}{member[1:]} joined" + (
                f" as {role}" if role and role != "member" else "")
        case "cooperation" if after:
            partners = ", ".join(words.actor(a) for a in after.get("with", ()))
            return f"Began cooperating with {partners}: {after['form']}"
        case "sessions" if after:
            what = after.get("title") or "A session"
            text = f"{what} {_SESSION_WORDS.get(after['status'], after['status'])}"
            if after["status"] == "scheduled":
                text += f" for {after['date']}"
            return text + (f", {after['location']}" if after.get("location") else "")
        case "adoptions" if after:
            what = " / ".join(part for part in (
                after.get("resolution"),
                words.instrument(after["instrument"]) if after.get("instrument") else None)
                if part)
            return f"Adopted {what}{words.tally(after.get('tally'))}"
        case "legislation" if after:
            return f"Legislation: {after['title']}"
    return f"{change.path}: {brief(before or None)} → {brief(after or None)}"


def brief(value: Any, width: int = 48) -> str:
    """A value of a fact in a few words: ``no (2019-12-27)``, ``supports (2019-07)``."""
    if value is None:
        return "—"
    if not isinstance(value, Mapping):
        return str(value)
    head = str(next((value[k] for k in ("option", "stance", "role", "status", "title", "form",
                                        "resolution") if value.get(k)), ""))
    head = head if len(head) <= width else head[:width - 1] + "…"
    when = next((value[k] for k in ("date", "since") if value.get(k)), None)
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


def _period(log: Changelog) -> str:
    since = f"from {log.since}" if log.since else "from the start of the record"
    until = f"to {log.until}" if log.until else "to its end"
    known = f", as the record stood on {log.known_at}" if log.known_at else ""
    return f"{since} {until}{known}"


def _corrected_text(event: Event) -> str:
    return f"“{event.summary.rstrip('.')}”" if event.summary else f"event {event.id}"


def render_markdown(log: Changelog) -> str:
    words = Words(log.registry)
    cites = Citations()
    if len(log.actors) <= 3:
        who = ", ".join(words.heading(a) for a in log.actors)
    else:
        who = f"{len(log.actors)} actors"
    lines = [f"# Changelog: {who}", "",
             f"Changes to positions {_period(log)}, newest first. Each change is dated by "
             f"the day it took effect, as precisely as the record knows it, and cites "
             f"its sources.", ""]
    groups = group_changes(log.changes)
    dates: dict[tuple[Any, ...], list[tuple[str, list[Change]]]] = {}
    for (settled, given, actor), changes in groups.items():
        dates.setdefault((settled, given), []).append((actor, changes))
    if not dates:
        lines += ["No changes to positions in this period.", ""]
    ordered = sorted(dates.items(),
                     key=lambda item: (item[0][0], Date.parse(item[0][1]).earliest),
                     reverse=True)
    for (_settled, given), actors in ordered:
        lines += [f"## {given}", ""]
        for actor, changes in actors:
            lines += [f"### {words.heading(actor)}", ""]
            for text, behind in describe(changes, words):
                sources = [s for c in behind
                           for s in (*c.sources, *(c.coverage.sources if c.coverage else ()))]
                lines.append(f"- {text}. {cites.cite(sources)}".rstrip())
            lines.append("")
    if log.corrections:
        lines += ["## Corrections to the record", ""]
        for fix in reversed(log.corrections):
            old = _corrected_text(fix.corrected)
            if fix.kind == "retraction":
                text = f"{old} ({fix.corrected.date}) was retracted: {fix.reason}"
            else:
                text = (f"{old} ({fix.corrected.date}) was superseded by "
                        f"{_corrected_text(fix.event)} ({fix.event.date})")
            lines.append(f"- {fix.recorded.isoformat()}: {text.rstrip('.')}. "
                         f"{cites.cite(fix.sources)}".rstrip())
        lines.append("")
    if cites:
        lines += ["## Sources", ""]
        lines += [f"- {line}" for line in cites.lines()]
        lines.append("")
    return "\n".join(lines)
