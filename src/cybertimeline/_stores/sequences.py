"""Sequences the treaties rule out (rule 12): acts before an instrument opened, signatures
after it closed, consent to a protocol before consent to its convention, an entry into force
where the instrument's rule does not put it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from cybertimeline._model.registry import Instrument, Registry
from cybertimeline.errors import Problem

if TYPE_CHECKING:
    from cybertimeline._model.events import Event, TreatyAct

__all__ = ["sequence_problems"]

Locate = Callable[[str, str], Problem]
"""A problem (its message) located at an event's file and line (the event's id)."""

_WHY = ("; if the record is right, say why in the act's 'irregular' field")


def sequence_problems(
    checked: Iterable[TreatyAct],
    others: Iterable[TreatyAct],
    registry: Registry,
    locate: Locate,
) -> list[Problem]:
    """The problems of the ``checked`` acts (each reported at its place), read with the
    ``others`` the same actors made: acts that say ``irregular`` are let pass."""
    checked = list(checked)
    by_actor: defaultdict[tuple[str, str], list[TreatyAct]] = defaultdict(list)
    for act in (*checked, *others):
        by_actor[act.actor, act.instrument].append(act)
    problems = []
    for act in checked:
        instrument = registry.instruments.get(act.instrument)
        if instrument is None or act.irregular is not None:
            continue
        for message in _act_problems(act, instrument, registry, by_actor):
            problems.append(locate(act.id, f"event {act.id!r}: {message}{_WHY}"))
    return problems


def _act_problems(act: TreatyAct, instrument: Instrument, registry: Registry,
                  acts: Mapping[tuple[str, str], list[TreatyAct]]) -> list[str]:
    found = []
    opening = instrument.opening
    if opening is not None and act.date.latest < opening.earliest:
        found.append(f"a {act.kind} dated {act.date}, before the {instrument.id} opened for "
                     f"signature on {opening}")
    closed = instrument.milestone("closed")
    if act.role == "signature" and closed is not None and act.date.earliest > closed.date.latest:
        found.append(f"a signature dated {act.date}, after the {instrument.id} closed for "
                     f"signature on {closed.date} (accede to it instead)")
    if act.role == "consent" and instrument.parent is not None:
        found += _before_parent(act, instrument.parent, registry, acts)
    if act.role == "in_force" and instrument.entry is not None:
        found += _off_rule(act, instrument, acts.get((act.actor, act.instrument), []))
    return found


def _before_parent(act: TreatyAct, parent: str, registry: Registry,
                   acts: Mapping[tuple[str, str], list[TreatyAct]]) -> list[str]:
    """Consent to a protocol needs consent to its parent before or with it: wrong where every
    known consent to the parent is certainly later, or where none is known and the parent's
    chart is declared complete on that day."""
    consents = [a for a in acts.get((act.actor, parent), []) if a.role == "consent"]
    if any(c.date.earliest <= act.date.latest for c in consents):
        return []
    if consents:
        first = min(consents, key=lambda c: c.date.earliest)
        return [f"consent to the {act.instrument} ({act.date}) before consent to the "
                f"{parent} it is a protocol to ({first.date}, {first.id!r}): a state "
                f"consents to a protocol only with or after the convention"]
    charted = registry.instruments.get(parent)
    if charted is not None and charted.coverage_on(act.date.latest) is not None:
        return [f"consent to the {act.instrument} ({act.date}) without consent to the "
                f"{parent} it is a protocol to, whose chart is complete on that day"]
    return []


def _off_rule(act: TreatyAct, instrument: Instrument, own: list[TreatyAct]) -> list[str]:
    """An entry into force outside the days the rule gives for the latest consent before it
    (never before the instrument's own entry into force)."""
    assert instrument.entry is not None
    known = [c for c in own if c.role == "consent"]
    consents = [c for c in known if c.date.earliest <= act.date.latest]
    if not consents:
        if known:
            earliest = min(known, key=lambda c: c.date.earliest)
            return [f"entry into force dated {act.date}, before the consent it follows "
                    f"({earliest.date}, {earliest.id!r})"]
        return []
    consent = max(consents, key=lambda c: (c.date.latest, c.date.earliest))
    general = instrument.milestone("in_force")
    floor = dt.date.min if general is None else general.date.earliest
    first = max(instrument.entry.after(consent.date.earliest), floor)
    last = max(instrument.entry.after(consent.date.latest), floor)
    if act.date.latest < first or act.date.earliest > last:
        when = str(first) if first == last else f"between {first} and {last}"
        return [f"entry into force dated {act.date}, where the {instrument.id}'s rule puts "
                f"it {when} (consent {consent.date}, {consent.id!r})"]
    return []


def acts_of(events: Iterable[Event]) -> list[TreatyAct]:
    """The treaty acts among ``events``."""
    from cybertimeline._model.events import TreatyAct

    return [e for e in events if isinstance(e, TreatyAct)]
