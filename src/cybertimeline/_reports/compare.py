"""Positions side by side: the facts of several actors' positions as of one date, a row per
fact (``treaties.budapest-convention.status``, ``votes.A/RES/74/247``), the rows on which
they differ first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.markup import Markup, block, escape, table
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import aligned, counted
from cybertimeline._projections.position import Position
from cybertimeline._projections.sentences import brief
from cybertimeline._reports.answers import Answers
from cybertimeline._reports.changes import Facts, Key, differences, facts, path_of
from cybertimeline.errors import ValidationError

__all__ = ["Compared", "Comparison", "compare"]


@attrs.frozen
class Compared:
    """One fact across the actors compared: its path, each actor's value in a few words
    (None where its position holds nothing there), and whether they differ."""

    path: str
    values: tuple[str | None, ...]
    differs: bool

    def to_dict(self, actors: Iterable[str]) -> dict[str, Any]:
        return {"path": self.path, "differs": self.differs,
                "values": dict(zip(actors, self.values, strict=True))}


@attrs.frozen(kw_only=True)
class Comparison:
    """Several actors' positions side by side as of one date: `rows`, those that differ
    first, each in the order of sections and keys. ``str()`` gives a table (the rows that
    differ, and a count of those alike; ``full()`` all of them), Jupyter an HTML table."""

    actors: tuple[str, ...]
    as_of: Date | None
    known_at: Date | None
    rows: tuple[Compared, ...]
    registry: Registry = attrs.field(eq=False, repr=False)

    @property
    def differing(self) -> tuple[Compared, ...]:
        """The rows on which the actors' positions differ."""
        return tuple(r for r in self.rows if r.differs)

    def __iter__(self) -> Iterator[Compared]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"actors": list(self.actors),
                "as_of": None if self.as_of is None else str(self.as_of),
                "known_at": None if self.known_at is None else str(self.known_at),
                "rows": [r.to_dict(self.actors) for r in self.rows]}

    def _head(self) -> str:
        names = ", ".join(f"{self.registry.name(a)} ({a})" for a in self.actors)
        when = f"as of {self.as_of}" if self.as_of is not None else "on every known event"
        known = f", as known at {self.known_at}" if self.known_at is not None else ""
        differ = len(self.differing)
        verb = "differs" if differ == 1 else "differ"
        return (f"{names}: positions {when}{known}: {counted(differ, 'fact')} {verb}, "
                f"{len(self.rows) - differ} alike")

    def _cells(self, rows: Iterable[Compared]) -> list[list[str]]:
        return [[r.path, *("—" if v is None else v for v in r.values)] for r in rows]

    def text(self, full: bool = False) -> str:
        """The table: the rows that differ (all rows with ``full``)."""
        rows = self.rows if full else self.differing
        lines = [self._head()]
        if rows:
            lines += ["  " + line for line in aligned([["PATH", *self.actors],
                                                       *self._cells(rows)])]
        if not full and len(rows) < len(self.rows):
            lines.append(f"  ({counted(len(self.rows) - len(rows), 'fact')} alike not shown: "
                         f"full() or --all shows them)")
        return "\n".join(lines)

    def full(self) -> str:
        """The table of every row, alike ones too."""
        return self.text(full=True)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        head = Markup(f"<p><strong>{escape(self._head())}</strong></p>")
        parts: list[object] = [head, table(["PATH", *self.actors], self._cells(self.differing))]
        alike = [r for r in self.rows if not r.differs]
        if alike:
            parts.append(Markup(
                f"<details><summary>{escape(counted(len(alike), 'fact'))} alike</summary>"
                f"{table(['PATH', *self.actors], self._cells(alike))}</details>"))
        return block("comparison", *parts)


def _cell(key: Key, found: Facts, position: Position) -> str | None:
    """A fact in a few words; a treaty status the actor has none of is ``none`` (not a
    signatory) where the store declares the chart complete (rule 10)."""
    if key in found:
        return brief(found[key].value)
    section, instrument, field = key
    if section == "treaties" and field == "status" and instrument in position.coverage:
        return "none"
    return None


def compare(
    timeline: Answers,
    actors: Iterable[str],
    *,
    as_of: DateLike | None = None,
    known_at: DateLike | None = None,
    possible: bool = False,
) -> Comparison:
    """Several actors' positions as of one date, side by side, the facts on which they
    differ first: treaty statuses and dates, votes, stances, memberships...

    Raises:
        UnknownActorError: an actor is not known.
        ValidationError: fewer than two actors.
    """
    chosen = list(dict.fromkeys(timeline.registry.resolve(a) for a in actors))
    if len(chosen) < 2:
        raise ValidationError(["compare needs two actors or more"])
    positions = [timeline.position(a, as_of=as_of, known_at=known_at, possible=possible)
                 for a in chosen]
    each = [facts(p) for p in positions]
    keys: set[Key] = set().union(*each)
    differ = set()
    for other in each[1:]:
        differ |= set(differences(each[0], other))
    ordered = differences({}, {k: f for found in each for k, f in found.items()})
    rows = [Compared(path_of(k), tuple(_cell(k, f, p) for f, p in zip(each, positions,
                                                                       strict=True)),
                     k in differ) for k in ordered if k in keys]
    rows.sort(key=lambda r: not r.differs)
    return Comparison(actors=tuple(chosen), as_of=None if as_of is None else Date.coerce(as_of),
                      known_at=None if known_at is None else Date.coerce(known_at),
                      rows=tuple(rows), registry=timeline.registry)
