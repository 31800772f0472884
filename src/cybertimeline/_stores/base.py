"""What every store gives a timeline: its contents, durable writes, and what it sees."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline._stores.checks import Origin, check_events
from cybertimeline._stores.index import Index, MemoryIndex
from cybertimeline.errors import ConflictError, TimelineError, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["MAX_EVENTS", "MAX_EVENT_BYTES", "Accept", "Contents", "Declaration", "FileStore",
           "MemoryStore", "Store", "check_expected", "declared", "event_json", "must_be_new",
           "sized_json"]

MAX_EVENTS = 5_000_000
"""A folder or JSON Lines store holding more events than this is refused (use SQLite):
it is read whole into memory."""

MAX_EVENT_BYTES = 1024 * 1024
"""One event (or registry entry) written as JSON may take this many bytes, in every store:
a larger one is refused before anything is written, so that any event can be copied
into any store, and every read is bounded."""


def event_json(event: Event) -> str:
    """The event as one line of JSON (a JSON Lines line, a SQLite payload), without newline."""
    from cybertimeline._codec.converters import event_to_dict  # built on first use: slow

    return json.dumps(event_to_dict(event), ensure_ascii=False)


def sized_json(events: Sequence[Event]) -> list[str]:
    """Each event as `event_json`, once none is over `MAX_EVENT_BYTES`.

    Raises:
        ValidationError: an event takes more than `MAX_EVENT_BYTES`; nothing is written.
    """
    texts = [event_json(e) for e in events]
    problems = [f"event {e.id!r} takes {size} bytes as JSON, more than the limit of "
                f"{MAX_EVENT_BYTES} bytes of one event: shorten its texts or lists"
                for e, text in zip(events, texts, strict=True)
                if (size := len(text.encode("utf-8")) + 1) > MAX_EVENT_BYTES]
    if problems:
        raise ValidationError(problems)
    return texts


@attrs.define
class Contents:
    """What a timeline reads of a store: its events (indexed), registry, and events' places."""

    index: Index
    registry: Registry
    origins: dict[str, Origin] = attrs.field(factory=dict)

    @classmethod
    def in_memory(cls, located: Iterable[tuple[Event, Origin]], registry: Registry) -> Contents:
        """Contents held in memory, from events and where each was read."""
        pairs = list(located)
        return cls(MemoryIndex(e for e, _ in pairs), registry, {e.id: o for e, o in pairs})

    def add(self, events: Iterable[tuple[Event, Origin]],
            declare: Sequence[Declaration] = ()) -> Contents:
        """These contents, held in memory, with more events indexed and more actors and
        instruments declared."""
        assert isinstance(self.index, MemoryIndex)
        for event, origin in events:
            self.index.add(event)
            self.origins[event.id] = origin
        self.registry = declared(self.registry, declare)
        return self


Accept = Callable[[Contents], None]
"""Checks new events against a store's current contents; raises ValidationError to refuse."""

Declaration = Actor | Instrument
"""An actor or an instrument a write declares, as ``actors.toml`` and ``instruments.toml`` do."""


def declared(registry: Registry, declare: Iterable[Declaration]) -> Registry:
    """The registry with these actors and instruments added or replacing those of the same id."""
    entries = list(declare)
    if not entries:
        return registry
    return registry.extended([e for e in entries if isinstance(e, Actor)],
                             [e for e in entries if isinstance(e, Instrument)])


class Store(Protocol):
    """Where a timeline's events live: a folder of TOML files, JSON Lines, SQLite, or memory."""

    @property
    def location(self) -> str:
        """Where the store is, for messages."""
        ...

    @property
    def sees_other_writers(self) -> bool:
        """Whether another process's writes show in this store's next read (SQLite does;
        a folder or a JSON Lines file is read once, and re-read before each write)."""
        ...

    def read(self) -> Contents:
        """Everything in the store, validated as a whole.

        Raises:
            ValidationError: every problem found, each with its file and line.
        """
        ...

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        """Write ``events`` and the ``declare``d actors and instruments durably, all or none,
        if ``accept`` lets them in.

        The store reads its current contents (another process may have added
        to them), checks that it holds ``expected`` events if that is given
        (else raises ConflictError), calls ``accept``, writes the events and
        declarations in one transaction or one file, and returns the contents
        with them. When it returns, they are durable; when it raises, nothing
        was written. A declaration replaces the store's entry of the same id.
        """
        ...

    def validate(self) -> None:
        """Check everything the store holds, as thoroughly as a load of a folder does:
        every record, the references between them, the registry.

        Raises:
            ValidationError: every problem found (up to a limit), each where it was found.
        """
        ...

    def close(self) -> None:
        """Release what the store holds open (a database connection)."""
        ...


def check_expected(contents: Contents, expected: int | None, location: str) -> None:
    """Raise ConflictError unless the store holds ``expected`` events (when it is given)."""
    if expected is not None and len(contents.index) != expected:
        raise ConflictError(
            f"{location}: the store moved on ({len(contents.index)} events, expected "
            f"{expected}): another writer appended first; reload and retry"
        )


def must_be_new(path: Path) -> None:
    """Raise TimelineError if something is at ``path``: a new store never overwrites."""
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise TimelineError(f"{path}: already exists; load it with ct.load() "
                            f"or choose a new path")


class FileStore(Store, Protocol):
    """A store on disk or a server, which a copy fills in one go."""

    def fill(self, events: Iterable[Event], registry: Registry) -> None:
        """Write a whole store's events and registry into this new store, unchecked: for
        copies of a store validated as a whole."""
        ...


class MemoryStore:
    """A store that lives in memory only: for tests, notebooks and derived timelines."""

    location = "memory"
    sees_other_writers = False

    def __init__(self, events: Iterable[Event] = (), registry: Registry | None = None) -> None:
        registry = registry or Registry.builtin()
        located = [(e, Origin()) for e in events]
        problems = check_events(located, registry)
        if problems:
            raise ValidationError(problems)
        self._contents = Contents.in_memory(located, registry)

    def read(self) -> Contents:
        return self._contents

    def extend(self, events: Sequence[Event], accept: Accept,
               expected: int | None = None, declare: Sequence[Declaration] = ()) -> Contents:
        check_expected(self._contents, expected, self.location)
        accept(self._contents)
        return self._contents.add(((e, Origin()) for e in events), declare)

    def validate(self) -> None:
        """Events in memory were checked when they came in: nothing more to check."""

    def close(self) -> None:
        """Nothing to release."""
