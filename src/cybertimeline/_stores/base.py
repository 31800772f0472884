"""What every store gives a timeline: its contents, and a way to append durably."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

import attrs

from cybertimeline._model.events import Event
from cybertimeline._model.registry import Registry
from cybertimeline._stores.checks import Origin, check_events
from cybertimeline._stores.index import Index, MemoryIndex
from cybertimeline.errors import ConflictError, TimelineError, ValidationError

__all__ = ["Contents", "MemoryStore", "Store"]


@attrs.define
class Contents:
    """What a timeline reads of a store: its events (indexed), registry, and events' places."""

    index: Index
    registry: Registry
    origins: dict[str, Origin] = attrs.field(factory=dict)


def memory_contents(
    located: Iterable[tuple[Event, Origin]], registry: Registry
) -> Contents:
    """Contents held in memory, from events and where each was read."""
    pairs = list(located)
    return Contents(MemoryIndex(e for e, _ in pairs), registry, {e.id: o for e, o in pairs})


def add_event(contents: Contents, event: Event, origin: Origin | None = None) -> Contents:
    """Index one more event in contents held in memory."""
    assert isinstance(contents.index, MemoryIndex)
    contents.index.add(event)
    contents.origins[event.id] = origin or Origin()
    return contents


MAX_EVENTS = 5_000_000
"""A folder or JSON Lines store holding more events than this is refused (use SQLite):
it is read whole into memory."""

Accept = Callable[[Contents], None]
"""Checks an event against a store's current contents; raises ValidationError to refuse it."""


class Store(Protocol):
    """Where a timeline's events live: a folder of TOML files, SQLite, or memory."""

    @property
    def location(self) -> str:
        """Where the store is, for messages."""
        ...

    def read(self) -> Contents:
        """Everything in the store, validated as a whole.

        Raises:
            ValidationError: every problem found, each with its file and line.
        """
        ...

    def append(self, event: Event, accept: Accept, expected: int | None = None) -> Contents:
        """Write ``event`` durably, if ``accept`` lets it in against the current contents.

        The store reads its current contents (another process may have added
        to them), checks that it holds ``expected`` events if that is given
        (else raises ConflictError), calls ``accept``, writes the event, and
        returns the contents with the event. When it returns, the event is
        durable; when it raises, nothing was written.
        """
        ...


def validate(events: Iterable[Event], registry: Registry) -> None:
    """Raise ValidationError if these events do not hold together with this registry."""
    problems = check_events(((e, Origin()) for e in events), registry)
    if problems:
        raise ValidationError(problems)


class MemoryStore:
    """A store that lives in memory only: for tests, notebooks and derived timelines."""

    def __init__(self, events: Iterable[Event] = (), registry: Registry | None = None) -> None:
        registry = registry or Registry.builtin()
        events = tuple(events)
        validate(events, registry)
        self._contents = memory_contents(((e, Origin()) for e in events), registry)

    @property
    def location(self) -> str:
        return "memory"

    def read(self) -> Contents:
        return self._contents

    def append(self, event: Event, accept: Accept, expected: int | None = None) -> Contents:
        check_expected(self._contents, expected, self.location)
        accept(self._contents)
        return add_event(self._contents, event)


def must_be_new(path: Path) -> None:
    """Raise TimelineError if something is at ``path``: a new store never overwrites."""
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise TimelineError(f"{path}: already exists; load it with ct.load() "
                            f"or choose a new path")


def check_expected(contents: Contents, expected: int | None, location: str) -> None:
    """Raise ConflictError unless the store holds ``expected`` events (when it is given)."""
    if expected is not None and len(contents.index) != expected:
        raise ConflictError(
            f"{location}: the store moved on ({len(contents.index)} events, expected "
            f"{expected}): another writer appended first; reload and retry"
        )

