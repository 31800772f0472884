"""Who cast each vote: the codes of a voting data set mapped to actors, with a table for the
historical and odd ones.

A voter's code maps to an actor by, in order: the mapping the user gives
(``codes={"TW": "TWN"}``, ``--map TW=TWN``); the layout's table of `CodeRule`
(historical states, renamed states, odd codes; a rule may hold only up to a
day); the code itself, read as an ISO 3166-1 code of the layout's kind. A
row without a code is mapped by the name it gives. Former states are actors
the importer declares in the store when it uses them (`FORMER_STATES`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from cybertimeline._model.registry import Actor, Registry

__all__ = ["FORMER_STATES", "CodeRule", "CodeSystem", "VoterMap"]

CodeSystem = Literal["alpha-2", "alpha-3"]


@attrs.frozen
class CodeRule:
    """One row of a layout's table: a voter code (or, for rows without a code, the name the
    row gives) and the actor it stands for, up to a day.

    Attributes:
        code: The code as the data set writes it (``YU``), or a name (``Zanzibar``).
        actor: The actor id it maps to.
        until: The last day of the roll calls it holds for; None for every later day.
            Rules of one code are read in order: the first whose ``until`` is not
            past the roll call's day applies.
        note: Why: what the code stood for, and the source of the mapping.
    """

    code: str
    actor: str
    until: dt.date | None = None
    note: str = ""


FORMER_STATES: Mapping[str, Actor] = {a.id: a for a in (
    Actor(id="CSK", name="Czechoslovakia", type="state"),
    Actor(id="DDR", name="German Democratic Republic", type="state"),
    Actor(id="YMD", name="Democratic Yemen", type="state"),
    Actor(id="YUG", name="Yugoslavia", type="state"),
    Actor(id="SCG", name="Serbia and Montenegro", type="state"),
    Actor(id="SUN", name="Union of Soviet Socialist Republics", type="state"),
    Actor(id="ZANZIBAR", name="Zanzibar", type="state"),
)}
"""States no longer in ISO 3166-1, by their ISO 3166-3 alpha-3 codes (Zanzibar, a Member
State for four months of 1963-64, has none): declared in a store when an import names them."""


class VoterMap:
    """Maps the voters of one data set to actors, remembering what it could not map."""

    def __init__(self, rules: Sequence[CodeRule], system: CodeSystem, registry: Registry,
                 given: Mapping[str, str] | None = None) -> None:
        self._rules: dict[str, list[CodeRule]] = {}
        for rule in rules:
            self._rules.setdefault(rule.code, []).append(rule)
        self._system = system
        self._registry = registry
        self._given = {code: registry.resolve(actor) if actor not in FORMER_STATES else actor
                       for code, actor in (given or {}).items()}
        self._plain: dict[str, str | None] = {}
        self.used_former: set[str] = set()

    def actor(self, code: str, name: str, day: dt.date) -> str | None:
        """The actor a row's code (its name, if it has no code) stands for on ``day``."""
        key = code or name
        found = self._given.get(key)
        if found is None:
            rules = self._rules.get(key)
            if rules is not None:
                found = next((r.actor for r in rules if r.until is None or day <= r.until),
                             None)
            else:
                found = self._from_code(code)
        if found is not None and found in FORMER_STATES and not self._registry.has_actor(found):
            self.used_former.add(found)
        return found

    def dated(self, code: str) -> bool:
        """Whether the code's actor depends on the day (so results cannot be cached per code)."""
        return any(r.until is not None for r in self._rules.get(code, ()))

    def _from_code(self, code: str) -> str | None:
        if code in self._plain:
            return self._plain[code]
        found: str | None = None
        if code:
            if self._system == "alpha-2":
                import pycountry  # slow to import: only alpha-2 layouts need it

                country = pycountry.countries.get(alpha_2=code)
                found = country.alpha_3 if country is not None else None
            elif self._registry.has_actor(code):
                found = code
        if found is not None and not self._registry.has_actor(found):
            found = None
        self._plain[code] = found
        return found
