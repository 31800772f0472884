"""Events listed one a line: what ``cybertimeline timeline`` prints."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

import attrs

from cybertimeline._model import markup
from cybertimeline._model.events import Event, Vote
from cybertimeline._model.markup import Markup, badge, cited
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import Citations, aligned, counted, headline
from cybertimeline._reports.rows import main_actor

__all__ = ["HTML_ROWS", "EventListing", "listing_html", "listing_text"]

HTML_ROWS = 60
"""How many events a notebook shows before it leaves out the middle (``str()`` lists all)."""


def _tuple(events: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(events)


@attrs.frozen(kw_only=True, repr=False)
class EventListing(Sequence[Event]):
    """Events in canonical order, as a value that shows itself: `Timeline.listing` returns one.

    A read-only sequence of events. ``str()`` gives the table ``cybertimeline
    timeline`` prints (a vote shows ``actor``'s option); Jupyter shows it as a
    table with each event's sources linked.

    Attributes:
        events: The events, in canonical order.
        actor: The actor asked about, whose option a vote shows; None for every actor.
    """

    events: tuple[Event, ...] = attrs.field(converter=_tuple)
    actor: str | None = None
    registry: Registry = attrs.field(factory=Registry.builtin, eq=False)
    """The registry of the timeline that answered: the names its renderings use."""

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __str__(self) -> str:
        return listing_text(self.events, self.registry, self.actor)

    def _repr_html_(self) -> str:
        """The events as an HTML table with linked sources (the first and last 30 of a long
        listing): how Jupyter shows it."""
        return listing_html(self.events, self.registry, self.actor)

    def __repr__(self) -> str:
        about = "" if self.actor is None else f" about {self.actor}"
        return f"<EventListing of {counted(len(self), 'event')}{about}>"


def listing_text(events: Sequence[Event], registry: Registry, actor: str | None = None) -> str:
    """The events as an aligned table (a vote shows ``actor``'s option), and how many."""
    if not events:
        return "no events"
    table = [["DATE", "KIND", "ACTOR", "ID", "SOURCES", "SUMMARY"]]
    for event in events:
        table.append([str(event.date), _kind(event, actor), main_actor(event) or "", event.id,
                      str(len(event.sources)), event.summary or headline(event, registry)])
    return "\n".join([*aligned(table), counted(len(events), "event")])


def _kind(event: Event, actor: str | None) -> str:
    """The kind, with ``actor``'s option on a vote: ``vote (no)``."""
    option = event.votes.get(actor) if isinstance(event, Vote) and actor else None
    return f"{event.kind} ({option})" if option else event.kind


def listing_html(events: Sequence[Event], registry: Registry, actor: str | None = None,
                 limit: int | None = HTML_ROWS) -> str:
    """The events as an HTML table; past ``limit``, the first and last halves with a row saying
    how many are left out."""
    if not events:
        return markup.block("listing", Markup("<p><em>No events.</em></p>"))
    cites = Citations()
    shown: list[Event | None] = list(events)
    half = len(events)
    if limit is not None and len(events) > limit:
        half = limit // 2
        shown = [*events[:half], None, *events[len(events) - half:]]
    rows: list[list[object]] = []
    for event in shown:
        if event is None:
            left = len(events) - 2 * half
            rows.append([Markup(f"<em>… {markup.escape(counted(left, 'more event'))} "
                                f"(str() lists every one)</em>"), "", "", "", "", ""])
            continue
        option = event.votes.get(actor) if isinstance(event, Vote) and actor else None
        kind = markup.join([event.kind, " ", badge(option)]) if option else event.kind
        rows.append([str(event.date), kind, main_actor(event) or "", event.id,
                     event.summary or headline(event, registry), cited(cites, event.sources)])
    return markup.block(
        "listing", markup.table(["Date", "Kind", "Actor", "Id", "Summary", "Sources"], rows,
                                wrap=("Summary",)),
        Markup(f"<p>{markup.escape(counted(len(events), 'event'))}</p>"),
        markup.sources_list(cites))
