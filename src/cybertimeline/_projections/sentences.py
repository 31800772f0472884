"""Changes to positions in words: the sentences a changelog's Markdown is made of, and a
diff's rows.

Rendering is in one place, beside the section table it reads: a position's text and
HTML (`cybertimeline._projections.text`), each section's own rendering and sentences
(`cybertimeline._projections.section_table`), and the words of changes (here). It sits
below the reports so that a `Position` prints itself with no hook; the reports
(`cybertimeline._reports`) compose it. A change is read through `ChangeLike`, which
`cybertimeline._reports.changes.Change` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from cybertimeline._model.dates import Date
from cybertimeline._model.events import TreatyAct
from cybertimeline._model.registry import Coverage
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words, aligned, headline
from cybertimeline._projections.position import section_spec
from cybertimeline._projections.sections import SectionChange

__all__ = ["ChangeLike", "brief", "describe", "diff_text", "plain", "sentence",
           "treaty_sentences"]


class ChangeLike(SectionChange, Protocol):
    """What the words of a change read of it (`cybertimeline.Change`): what its section
    reads (`SectionChange`), and more."""

    @property
    def actor(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def coverage(self) -> Coverage | None: ...
    @property
    def date(self) -> Date | None: ...
    @property
    def settled(self) -> dt.date | None: ...
    @property
    def path(self) -> str: ...
    @property
    def sources(self) -> tuple[Source, ...]: ...


Change = TypeVar("Change", bound=ChangeLike)


def plain(value: Any) -> Any:
    """A fact's value as JSON: the text, or the entry's ``to_dict`` without its event id."""
    if value is None or isinstance(value, str):
        return value
    return {k: v for k, v in value.to_dict().items() if k != "event"}

def _status_note(changes: Mapping[str | None, ChangeLike]) -> str:
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


def treaty_sentences(changes: Sequence[ChangeLike], words: Words) -> list[str]:
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


def sentence(change: ChangeLike, words: Words) -> str:
    """A plain sentence for one change (not a treaty's: see `treaty_sentences`): as its
    section reads it (`SectionSpec.reads`), else the headline of the event behind it, else
    its path and values."""
    spec = section_spec(change.section)
    if change.after is not None and spec.reads is not None:
        return spec.reads(change, words)
    if change.after is None and spec.removes and spec.reads is not None:
        return spec.reads(change, words)  # an entry removed: a membership left
    if change.after is not None and change.events:
        return headline(change.events[-1], words.registry)
    return f"{change.path}: {brief(change.before)} → {brief(change.after)}"


def brief(value: Any, width: int = 48) -> str:
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
        if section_spec(change.section).fields:  # an entry of several facts: a treaty
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
    changes: Sequence[ChangeLike], words: Words, actor: str, first: Date, second: Date,
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
