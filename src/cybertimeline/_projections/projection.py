"""The projection protocol: a pure fold of events into a state."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from cybertimeline._model.events import Event


__all__ = ["Projection", "fold"]

S = TypeVar("S")


class Projection(Protocol[S]):
    """A fold of events into a state of type ``S``: how any view of the timeline is built.

    Write a class with two methods; `Timeline.project` feeds it the known
    events settled by a date, in canonical order::

        class CountVotes:
            def initial(self) -> int:
                return 0

            def apply(self, state: int, event: ct.Event) -> int:
                return state + 1 if event.kind == "vote" else state

        tl.project(CountVotes(), as_of="2020-01-01")

    ``apply`` must be pure: it returns a new state and leaves ``state`` as it
    was, reads nothing but its arguments (not the clock), and gives the same
    answer for the same inputs. That is what lets the timeline cache states
    and still give exactly the answer of a full replay.
    """

    def initial(self) -> S:
        """The state before any event."""
        ...

    def apply(self, state: S, event: Event) -> S:
        """The state after ``event``."""
        ...


def fold(projection: Projection[S], events: Iterable[Event]) -> S:
    """Apply ``events`` in the order given, starting from ``projection.initial()``."""
    state = projection.initial()
    for event in events:
        state = projection.apply(state, event)
    return state
