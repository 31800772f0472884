"""An actor's standing towards one instrument, derived from every act on it that was folded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Coverage
from cybertimeline._model.sources import Source

if TYPE_CHECKING:
    from cybertimeline._model.events import ActRole, TreatyAct

__all__ = ["TreatyStatus", "TreatyStatusName"]

TreatyStatusName = Literal["signatory", "ratified", "party", "withdrawn", "none", "unknown",
                           "not_yet_open"]


def _str(date: Date | None) -> str | None:
    return None if date is None else str(date)


def _latest(acts: tuple[TreatyAct, ...], role: ActRole) -> TreatyAct | None:
    chosen = [a for a in acts if a.role == role]
    return max(chosen, key=canonical_key) if chosen else None




@attrs.frozen(kw_only=True)
class TreatyStatus:
    """An actor's standing towards one instrument, derived from every act folded.

    The status is ``signatory`` (signed only), ``ratified`` (consent to be
    bound given, not yet in force for it), ``party`` (in force for it) or
    ``withdrawn`` (a withdrawal after its latest consent and entry into force).
    Acts are compared by the canonical order of their dates, so an accession
    known only to the year settles after an entry into force in that year and
    the status is still ``party``.

    With no act, the status is ``not_yet_open`` before the instrument opened
    for signature (``opens`` says when it did, rule 11); else ``none`` where
    the store declares the instrument's chart complete on that date
    (``coverage`` says by which declaration and source: not a signatory), and
    ``unknown`` where it does not (no data), rule 10.
    """

    actor: str
    instrument: str
    events: tuple[TreatyAct, ...] = ()
    coverage: Coverage | None = None
    opens: Date | None = None
    """When the instrument opened for signature, if the date asked is before it."""
    opens_sources: tuple[Source, ...] = ()
    """The sources of that opening."""

    @property
    def status(self) -> TreatyStatusName:
        """``signatory``, ``ratified``, ``party``, ``withdrawn``; ``not_yet_open``, ``none`` or
        ``unknown``."""
        if not self.events:
            if self.opens is not None:
                return "not_yet_open"
            return "none" if self.coverage is not None else "unknown"
        consent = _latest(self.events, "consent")
        in_force = _latest(self.events, "in_force")
        withdrawal = _latest(self.events, "withdrawal")
        withdrawn = None if withdrawal is None else canonical_key(withdrawal)
        later_than_withdrawal = [
            act for act in (consent, in_force)
            if act is not None and (withdrawn is None or canonical_key(act) > withdrawn)
        ]
        if withdrawal is not None and not later_than_withdrawal:
            return "withdrawn"
        if in_force is not None and in_force in later_than_withdrawal:
            return "party"
        if consent is not None:
            return "ratified"
        return "signatory"

    @property
    def signed(self) -> Date | None:
        """The date of signature, if it signed."""
        act = _latest(self.events, "signature")
        return act.date if act else None

    @property
    def consented(self) -> Date | None:
        """The date of its latest consent to be bound, if any."""
        act = _latest(self.events, "consent")
        return act.date if act else None

    @property
    def consent(self) -> str | None:
        """How it consented: ``ratification``, ``accession``, ``acceptance``, ``approval`` or
        ``succession``."""
        act = _latest(self.events, "consent")
        return act.kind if act else None

    @property
    def in_force(self) -> Date | None:
        """When the instrument entered into force for it, if it has."""
        act = _latest(self.events, "in_force")
        return act.date if act else None

    @property
    def withdrawn(self) -> Date | None:
        """When it withdrew, if its status is ``withdrawn``."""
        act = _latest(self.events, "withdrawal")
        return act.date if act and self.status == "withdrawn" else None

    def sources(self) -> tuple[Source, ...]:
        """What the status rests on: its acts' sources, or the sources of the complete chart."""
        found = [s for e in self.events for s in e.sources]
        if not self.events and self.opens is not None:
            found = list(self.opens_sources)
        elif not self.events and self.coverage is not None:
            found = list(self.coverage.sources)
        return tuple(dict.fromkeys(found))

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "signed", "consented", "consent", "in_force", "withdrawn", "events",
        "coverage", "opens"}``; ``coverage`` is the complete chart behind a ``none``, else None;
        ``opens`` the instrument's opening behind a ``not_yet_open``, else None."""
        return {
            "status": self.status,
            "signed": _str(self.signed),
            "consented": _str(self.consented),
            "consent": self.consent,
            "in_force": _str(self.in_force),
            "withdrawn": _str(self.withdrawn),
            "events": [e.id for e in self.events],
            "coverage": None if self.events or self.coverage is None else self.coverage.to_dict(),
            "opens": None if self.events or self.opens is None else str(self.opens),
        }
