"""What reports ask of a timeline: the questions a `Timeline` answers, as a protocol.

Reports are functions of anything that answers these (a `cybertimeline.Timeline`
does), so that they depend on the answers, not on how a timeline is built.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Protocol

from cybertimeline._model.dates import DateLike
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._projections.position import Position

__all__ = ["Answers"]


class Answers(Protocol):
    """The questions reports ask: the registry, events, and positions as of a date."""

    @property
    def registry(self) -> Registry:
        """The actors and instruments known."""
        ...

    def event(self, event_id: str) -> Event:
        """The stored event with this id."""
        ...

    def events(
        self,
        actor: str | None = None,
        kind: str | Collection[str] | None = None,
        *,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        include_corrected: bool = False,
    ) -> Iterator[Event]:
        """The known events, in canonical order, filtered."""
        ...

    def positions(
        self,
        actors: str | Iterable[str] | None = None,
        *,
        group: str | None = None,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> dict[str, Position]:
        """Positions of several actors as of a date."""
        ...

    def corrections(self) -> Iterator[Event]:
        """Every stored supersession and retraction, in canonical order."""
        ...

    def position(
        self,
        actor: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> Position:
        """The actor's position as of a date."""
        ...

    def members(
        self,
        group: str,
        *,
        as_of: DateLike | None = None,
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> tuple[str, ...]:
        """The members of a group as of a date."""
        ...
